"""What the end-to-end tests share: the installed ``source-linkedin-org`` binary, run as a subprocess, and
what it printed. The emulator fixture lives in ``conftest.py``; no test module imports another."""

import functools
import json
import subprocess
import sys
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

CONNECTOR = Path(sys.executable).parent / "source-linkedin-org"


class ConnectorRun:
    def __init__(self, completed: subprocess.CompletedProcess) -> None:
        self.returncode = completed.returncode
        self.stdout, self.stderr = completed.stdout, completed.stderr
        self.messages = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]

    def of_type(self, kind: str) -> list[dict]:
        return [m for m in self.messages if m["type"] == kind]

    def records(self, stream: str | None = None) -> list[dict]:
        return [
            m["record"]["data"] for m in self.of_type("RECORD") if stream in (None, m["record"]["stream"])
        ]

    def record_set(self) -> list[str]:
        return sorted(
            json.dumps([m["record"]["stream"], m["record"]["data"]], sort_keys=True)
            for m in self.of_type("RECORD")
        )

    def errors(self) -> list[dict]:
        return [m["trace"]["error"] for m in self.of_type("TRACE") if m["trace"]["type"] == "ERROR"]

    def final_states(self) -> list[dict]:
        """The last state message of each stream: what the platform would hand to the next sync."""
        last: dict[str, dict] = {}
        for message in self.of_type("STATE"):
            last[message["state"]["stream"]["stream_descriptor"]["name"]] = message["state"]
        return list(last.values())


def read_in_process(config: dict, catalog: dict, state: list | None = None) -> ConnectorRun:
    """A ``read`` by the package's source in this process, for tests about records and requests: the same
    messages as the binary's, without a Python start and airbyte-cdk's import (seconds each) per run. Tests of
    what the process itself prints or does (config errors, signals, secrets in the output) use the binary."""
    from airbyte_cdk.models import (
        AirbyteMessageSerializer,
        AirbyteStateMessageSerializer,
        ConfiguredAirbyteCatalogSerializer,
    )
    from airbyte_cdk.test.entrypoint_wrapper import read

    configured = ConfiguredAirbyteCatalogSerializer.load(catalog)
    states = [AirbyteStateMessageSerializer.load(message) for message in state or []]
    source = session_source()(config=config, catalog=configured, state=states)
    output = read(source, config, configured, states, expecting_exception=True)
    stdout = "\n".join(json.dumps(AirbyteMessageSerializer.dump(m)) for m in output.get_message_iterator())
    return ConnectorRun(subprocess.CompletedProcess([], 1 if output.errors else 0, stdout, ""))


@functools.cache
def session_source() -> type:
    """The package's source, its manifest parsed, resolved and validated by the package once per session (the
    same file every time; airbyte-cdk takes about a second for it), and airbyte-cdk's component schema too."""
    import pickle

    from airbyte_cdk.sources.declarative import concurrent_declarative_source as cdk_source

    from source_linkedin_org import SourceLinkedinOrg

    resolved = pickle.dumps(dict(SourceLinkedinOrg().resolved_manifest))
    schema = pickle.dumps(cdk_source.get_declarative_component_schema())
    cdk_source.get_declarative_component_schema = lambda: pickle.loads(schema)

    class SessionSource(SourceLinkedinOrg):
        def __init__(self, catalog: Any = None, **kwargs: Any) -> None:
            super().__init__(catalog=catalog, **kwargs)
            self._selected = {stream.stream.name for stream in catalog.streams} if catalog else set()

        def streams(self, config: Mapping[str, Any]) -> list[Any]:
            """A read builds only the streams its catalog selects (each with its parents, inlined), through
            airbyte-cdk's own partial build (its check's): the binary builds all 19 for every read."""
            if not self._selected:
                return super().streams(config)
            self._prepare_for_stream_build()
            every = self._stream_configs(self._source_config)
            return self._create_streams([c for c in every if c["name"] in self._selected], every)

        def _read_and_parse_yaml_file(self, path_to_yaml_file: str) -> dict:
            return {}

        def _pre_process_manifest(self, manifest: dict) -> dict:
            return pickle.loads(resolved)

        def _validate_source(self) -> None:
            pass  # validated once, above

    return SessionSource


def run_connector(tmp_path: Path, command: str, config: dict | None = None, catalog: dict | None = None,
                  state: list | None = None, timeout: float = 600) -> ConnectorRun:  # fmt: skip
    args = [str(CONNECTOR), command]
    for name, value in (("config", config), ("catalog", catalog), ("state", state)):
        if value is not None:
            path = tmp_path / f"{name}-{command}.json"
            path.write_text(json.dumps(value))
            args += [f"--{name}", str(path)]
    completed = subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=tmp_path)
    return ConnectorRun(completed)


@functools.cache
def discovered_catalog() -> dict[str, Any]:
    """The catalog ``discover`` gives, once per test session, in process (it needs no API call; the binary's
    own discover: test_end_to_end.py::test_spec_check_discover)."""
    from airbyte_cdk.models import AirbyteMessageSerializer
    from airbyte_cdk.test.entrypoint_wrapper import discover

    config = {"credentials": {"auth_method": "access_token", "access_token": "x"}, "organization_ids": ["1"]}
    output = discover(session_source()(config=config), config)
    return AirbyteMessageSerializer.dump(output.catalog)["catalog"]


def full_catalog(discovered: ConnectorRun | None = None, streams: list[str] | None = None) -> dict[str, Any]:
    """A configured catalog of ``streams`` (all of them by default), incremental where a stream can be."""
    catalog = discovered.of_type("CATALOG")[0]["catalog"] if discovered else discovered_catalog()
    return {
        "streams": [
            {
                "stream": stream,
                "sync_mode": "incremental"
                if "incremental" in stream["supported_sync_modes"]
                else "full_refresh",
                "destination_sync_mode": "append",
            }
            for stream in catalog["streams"]
            if streams is None or stream["name"] in streams
        ]
    }


def secret_forms(secret: str) -> set[str]:
    """A secret as it can appear in output: raw, URL-encoded, JSON-escaped."""
    return {
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }


def assert_dma_follows_match_the_dataset(run: ConnectorRun, dataset: Any, org: Any) -> None:
    """Both DMA streams read exactly the follows the emulator holds for ``org``'s page."""
    followers = {
        (r["edgeType"], r["follower"])
        for r in run.records("dma_page_followers")
        if r["followee"] == org.page_urn
    }
    assert followers == {
        (f["edgeType"], f["follower"])
        for edge in ("MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE", "ORGANIZATIONAL_PAGE_FOLLOWS_ORGANIZATIONAL_PAGE")
        for f in dataset.page_followers(org, edge)
    }
    followed = {r["followee"] for r in run.records("dma_followed_pages") if r["follower"] == org.page_urn}
    assert followed == {f["followee"] for f in dataset.followed_pages(org)}
