"""The Connector Builder's server (``airbyte_cdk.manifest_server``) as Airbyte's Builder drives it, run where
airbyte-cdk is all there is (no project package): ``python manifest_server_session.py CONFIG MANIFEST
COMPONENTS ROUNDS STREAM...``.

Each round sends, to one server process: ``check`` and ``discover`` with ``components.py`` injected into the
config (those requests have no field for it), then a ``test_read`` with ``components.py`` in
``custom_components_code``, as the Builder sends it: of every stream in the first round, of the first stream in
the later ones. It prints one JSON line per round: the answers, and what the process holds after the round
(threads, logging handlers), to show that nothing accumulates.
"""

import hashlib
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path

import yaml
from fastapi.testclient import TestClient

os.environ["AIRBYTE_ENABLE_UNSAFE_CODE"] = "true"  # the server's own switch for custom components

from airbyte_cdk.manifest_server.app import app  # noqa: E402 - after the switch


def connector_threads() -> int:
    return sum(1 for thread in threading.enumerate() if not thread.name.startswith("AnyIO worker"))


def main() -> None:
    config_path, manifest_path, components_path, rounds, *streams = sys.argv[1:]
    config = json.loads(Path(config_path).read_text())
    manifest = yaml.safe_load(Path(manifest_path).read_text())
    components = Path(components_path).read_text()
    injected = {
        **config,
        "__injected_components_py": components,
        "__injected_components_py_checksums": {"md5": hashlib.md5(components.encode()).hexdigest()},
    }
    client, first_threads = TestClient(app), 0
    for round_ in range(int(rounds)):
        check = client.post("/v1/manifest/check", json={"manifest": manifest, "config": injected}).json()
        discover = client.post(
            "/v1/manifest/discover", json={"manifest": manifest, "config": injected}
        ).json()
        reads = {}
        for stream in streams if round_ == 0 else streams[:1]:
            request = {"manifest": manifest, "config": config, "stream_name": stream,
                       "custom_components_code": components, "record_limit": 500, "page_limit": 5}  # fmt: skip
            answer = client.post("/v1/manifest/test_read", json=request).json()
            pages = [page for slice_ in answer.get("slices", []) for page in slice_["pages"]]
            errors = [log["message"] for log in answer.get("logs", []) if log["level"] == "ERROR"]
            reads[stream] = {
                "records": [record for page in pages for record in page["records"]],
                "error": answer.get("detail") or "; ".join(errors) or None,
            }
        # A thread of the round may still be ending (on a loaded machine): what stays after it has had its time
        # is what accumulates. The server's own pool of worker threads (AnyIO's) comes and goes: not the connector's.
        deadline = time.monotonic() + 20
        while round_ and connector_threads() > first_threads and time.monotonic() < deadline:
            time.sleep(0.1)
        first_threads = connector_threads() if round_ == 0 else first_threads
        process = {
            "threads": connector_threads(),
            "root_handlers": len(logging.getLogger().handlers),
            "airbyte_handlers": len(logging.getLogger("airbyte").handlers),
        }
        streams_found = sorted(s["name"] for s in discover.get("catalog", {}).get("streams", []))
        print(
            json.dumps({"check": check, "streams": streams_found, "reads": reads, "process": process}),
            flush=True,
        )


if __name__ == "__main__":
    main()
