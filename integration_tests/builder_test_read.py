"""What the Connector Builder does with this connector, run with airbyte-cdk alone (no project package).

``python builder_test_read.py CONFIG MANIFEST COMPONENTS STREAM...`` prints one JSON line per stream:
``{"stream", "records", "error"}``. Each stream is read with ``test_read`` exactly as the Builder sends it:
the manifest and the components' source text injected into the config, the components' md5 beside them.
With ``--normalized``, the manifest is first normalized by the Builder's ``resolve_manifest`` (what the
Builder does when a YAML manifest is imported), and the normalized manifest is the one test-read.
"""

import argparse
import hashlib
import json
import os
from pathlib import Path

import yaml
from airbyte_cdk.connector_builder.connector_builder_handler import (
    create_source,
    get_limits,
    read_stream,
    resolve_manifest,
)
from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer


def builder_config(config: dict, manifest: dict, components: str, command: str, **flags: object) -> dict:
    return {
        **config,
        "__injected_declarative_manifest": manifest,
        "__command": command,
        "__injected_components_py": components,
        "__injected_components_py_checksums": {"md5": hashlib.md5(components.encode()).hexdigest()},
        "__test_read_config": {
            "max_records": 500,
            "max_pages_per_slice": 5,
            "max_slices": 5,
        },  # the Builder's own limits are smaller
        **flags,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("config", type=Path)
    parser.add_argument("manifest", type=Path)
    parser.add_argument("components", type=Path)
    parser.add_argument("streams", nargs="+")
    parser.add_argument("--normalized", action="store_true")
    args = parser.parse_args()
    os.environ["AIRBYTE_ENABLE_UNSAFE_CODE"] = "true"  # the Builder's own switch for custom components
    config = json.loads(args.config.read_text())
    manifest = yaml.safe_load(args.manifest.read_text())
    components = args.components.read_text()
    if args.normalized:
        request = builder_config(config, manifest, components, "resolve_manifest", __should_normalize=True)
        manifest = resolve_manifest(create_source(request)).record.data["manifest"]
    for stream in args.streams:
        request = builder_config(config, json.loads(json.dumps(manifest)), components, "test_read")
        catalog = ConfiguredAirbyteCatalogSerializer.load(
            {
                "streams": [
                    {
                        "stream": {
                            "name": stream,
                            "json_schema": {},
                            "supported_sync_modes": ["full_refresh"],
                        },
                        "sync_mode": "full_refresh",
                        "destination_sync_mode": "overwrite",
                    }
                ]
            }
        )
        limits = get_limits(request)
        answer = read_stream(create_source(request, limits, catalog, []), request, catalog, [], limits)
        if answer.trace:
            result = {"stream": stream, "records": [], "error": answer.trace.error.message[-2000:]}
        else:
            read = answer.record.data
            records = [r for s in read["slices"] for p in s["pages"] for r in p["records"]]
            errors = [log["message"] for log in read["logs"] if log["level"] == "ERROR"]
            result = {"stream": stream, "records": records, "error": "; ".join(errors) or None}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
