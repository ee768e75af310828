"""One connector, every Airbyte runtime: the same manifest and components read the same records whether run
by the pip package, by airbyte-cdk's ``source-declarative-manifest`` (what Airbyte's manifest-only image
runs), by the Connector Builder's ``test_read`` with injected components, or by PyAirbyte's
``source_manifest=``. The manifest-only and Builder runs use a virtualenv that holds airbyte-cdk alone."""

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from integration_tests.helpers import full_catalog, read_in_process, run_connector
from linkedin_emulator import Dataset

ROOT = Path(__file__).resolve().parent.parent
MANIFEST, COMPONENTS = ROOT / "manifest.yaml", ROOT / "components.py"
UNSAFE_CODE_ALLOWED = {**os.environ, "AIRBYTE_ENABLE_UNSAFE_CODE": "true"}
STREAMS = [stream["stream"]["name"] for stream in full_catalog()["streams"]]
# The Builder builds every stream for each test_read of its normalized manifest (2.3 MB, every $ref inlined):
# about 10 s of CPU a stream. One stream whose components cover most others': posts batched for statistics (a
# substream, a custom router and extractor, a cached parent, the Rest.li transport). Every stream of the
# manifest as written: test_the_builder_server_checks_discovers_and_test_reads_every_stream_and_keeps_nothing.
ONE_OF_EACH_KIND = ["post_statistics"]
KINDS = ["organization_lookup", "share_statistics_time_bound", "post_statistics", "post_comments", "facet_names",
         "dma_page_followers", "company_intelligence"]  # fmt: skip


@pytest.fixture(scope="session")
def cdk_only(tmp_path_factory):
    """A virtualenv with the pinned airbyte-cdk and nothing of this project: the unit tests' (airbyte-ci's
    layout, which scripts/test builds), else one made here."""
    environment = ROOT / ".venv-unit"
    if not (environment / "bin" / "source-declarative-manifest").exists():
        pin = re.search(r'"(airbyte-cdk==[^"]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
        pin = pin.replace("airbyte-cdk", "airbyte-cdk[manifest-server]") + " httpx"
        environment = tmp_path_factory.mktemp("cdk-only") / "venv"
        venv.create(environment, with_pip=True)
        subprocess.run(
            [str(environment / "bin" / "python"), "-m", "pip", "install", "--quiet", *pin.split()],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    probe = subprocess.run(
        [str(environment / "bin" / "python"), "-c", "import source_linkedin_org"],
        capture_output=True, cwd=environment,
    )  # fmt: skip
    assert probe.returncode != 0, "the manifest-only environment must not see the project package"
    return environment / "bin"


def manifest_only(cdk_only, tmp_path, command, **files):
    """``source-declarative-manifest`` as Airbyte runs a manifest-only connector, from a bare directory."""
    args = [str(cdk_only / "source-declarative-manifest"), command]
    for name, value in files.items():
        path = tmp_path / f"sdm-{name}.json"
        path.write_text(json.dumps(value))
        args += [f"--{name}", str(path)]
    args += ["--manifest-path", str(MANIFEST), "--components-path", str(COMPONENTS)]
    completed = subprocess.run(
        args, capture_output=True, text=True, timeout=600, cwd=tmp_path, env=UNSAFE_CODE_ALLOWED
    )
    return [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]


def records_of(messages):
    return sorted(
        json.dumps([m["record"]["stream"], m["record"]["data"]], sort_keys=True)
        for m in messages
        if m["type"] == "RECORD"
    )


def test_manifest_only_runtime_reads_exactly_what_the_pip_package_reads(emulator, cdk_only, tmp_path):
    config = emulator.connector_config()
    check = manifest_only(cdk_only, tmp_path, "check", config=config)
    assert [m["connectionStatus"]["status"] for m in check if m["type"] == "CONNECTION_STATUS"] == [
        "SUCCEEDED"
    ]

    discovered = run_connector(tmp_path, "discover", config=config)
    sdm_catalog = next(
        m for m in manifest_only(cdk_only, tmp_path, "discover", config=config) if m["type"] == "CATALOG"
    )
    assert sdm_catalog["catalog"] == discovered.of_type("CATALOG")[0]["catalog"]

    # A stream of each component kind (discover above compares every stream): BATCH_GET, time windows, the
    # posts listing with its batches, comments with their carried state, facet names, DMA, the ads app.
    catalog = full_catalog(discovered, KINDS)
    package = read_in_process(config, catalog)
    assert package.returncode == 0 and package.errors() == [], (package.errors(), package.stderr[-3000:])
    sdm = manifest_only(cdk_only, tmp_path, "read", config=config, catalog=catalog)
    assert [m for m in sdm if m["type"] == "TRACE" and m["trace"]["type"] == "ERROR"] == []
    assert {json.loads(r)[0] for r in records_of(sdm)} == {s["stream"]["name"] for s in catalog["streams"]}
    assert records_of(sdm) == package.record_set()


def test_connector_builder_test_reads_every_stream_of_the_manifest_it_normalized(
    emulator, cdk_only, tmp_path
):
    """The Builder's import: ``resolve_manifest`` normalizes the YAML, then each stream is test-read from it."""
    config = emulator.connector_config()
    package = read_in_process(config, full_catalog(None, ONE_OF_EACH_KIND))
    package = package.record_set()
    (tmp_path / "config.json").write_text(json.dumps(config))
    completed = subprocess.run(
        [str(cdk_only / "python"), str(ROOT / "integration_tests" / "builder_test_read.py"),
         str(tmp_path / "config.json"), str(MANIFEST), str(COMPONENTS), *ONE_OF_EACH_KIND, "--normalized"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    results = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith('{"stream"')]
    assert [r["stream"] for r in results] == ONE_OF_EACH_KIND, completed.stderr[-3000:]
    for result in results:
        assert result["error"] is None, f"{result['stream']}: {result['error']}"
        assert result["records"], f"{result['stream']}: no record"
        read = {json.dumps([result["stream"], record], sort_keys=True) for record in result["records"]}
        assert read <= set(package), f"{result['stream']}: the Builder read records the package does not"


def test_the_builder_server_checks_discovers_and_test_reads_every_stream_and_keeps_nothing(
    emulator, cdk_only, tmp_path
):
    """``airbyte_cdk.manifest_server``, the Builder's server, in one process for two rounds of requests."""
    # Every stream, the DMA app's included; a smaller dataset than the fixture's (the Builder reads 5 partitions
    # of a stream at most, the package all of them: a year of days of every post).
    emulator.dataset = Dataset(posts_per_org=40, member_followers_per_org=300, companies_per_account=100)
    config = emulator.connector_config(dma_app=True)
    package = read_in_process(config, full_catalog()).record_set()
    (tmp_path / "config.json").write_text(json.dumps(config))
    completed = subprocess.run(
        [str(cdk_only / "python"), str(ROOT / "integration_tests" / "manifest_server_session.py"),
         str(tmp_path / "config.json"), str(MANIFEST), str(COMPONENTS), "2", *STREAMS],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )  # fmt: skip
    rounds = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith('{"check"')]
    assert len(rounds) == 2, completed.stderr[-3000:]
    assert list(rounds[0]["reads"]) == STREAMS and list(rounds[1]["reads"]) == STREAMS[:1]
    for round_ in rounds:
        assert round_["check"] == {"success": True, "message": None}
        assert round_["streams"] == sorted(STREAMS)
        for stream, read in round_["reads"].items():
            assert read["error"] is None, f"{stream}: {read['error']}"
            assert read["records"], f"{stream}: no record"
            records = {json.dumps([stream, record], sort_keys=True) for record in read["records"]}
            assert records <= set(package), f"{stream}: the server read records the package does not"
    first, second = rounds[0]["process"], rounds[1]["process"]
    assert second["threads"] <= first["threads"], "no thread left behind by a round"
    assert (second["root_handlers"], second["airbyte_handlers"]) == (
        first["root_handlers"],
        first["airbyte_handlers"],
    )


PYAIRBYTE_READ = """
import json, os, sys
from pathlib import Path
import airbyte as ab
config = json.loads(Path(sys.argv[1]).read_text())
source = ab.get_source("source-linkedin-org", config=config, source_manifest=Path(sys.argv[2]))
source.select_streams(["posts"])
result = source.read(cache=ab.new_local_cache("runtimes", cache_dir=sys.argv[3]))
print(json.dumps(sorted(record["id"] for record in result["posts"])))
"""


def test_pyairbyte_source_manifest_reads_posts(emulator, tmp_path):
    (tmp_path / "config.json").write_text(json.dumps(emulator.connector_config()))
    environment = {
        **UNSAFE_CODE_ALLOWED,
        "AIRBYTE_OFFLINE_MODE": "1",
        "DO_NOT_TRACK": "1",
        "AIRBYTE_LOGGING_ROOT": str(tmp_path / "logs"),
    }
    completed = subprocess.run(
        [sys.executable, "-c", PYAIRBYTE_READ, str(tmp_path / "config.json"), str(MANIFEST), str(tmp_path / "cache")],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, env=environment,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    ids = json.loads(completed.stdout.strip().splitlines()[-1])
    assert ids == sorted(
        p["id"] for org in emulator.dataset.organizations for p in emulator.dataset.posts(org)
    )
