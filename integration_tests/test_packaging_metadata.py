"""The packaging files agree with each other: one version, one airbyte-cdk, the manifest-only layout."""

import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
METADATA = yaml.safe_load((ROOT / "metadata.yaml").read_text())["data"]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_one_version_everywhere():
    label = re.search(r"io\.airbyte\.version=(\S+)", (ROOT / "Dockerfile").read_text()).group(1)
    assert METADATA["dockerImageTag"] == PYPROJECT["project"]["version"] == label
    changelog = (ROOT / "docs" / "linkedin-org.md").read_text().split("## Changelog", 1)[1]
    assert f"| {METADATA['dockerImageTag']} |" in changelog


def test_the_manifest_only_image_and_the_unit_tests_run_the_airbyte_cdk_the_package_pins():
    pinned = re.search(r"airbyte-cdk==([\d.]+)", " ".join(PYPROJECT["project"]["dependencies"])).group(1)
    unit_tests = tomllib.loads((ROOT / "unit_tests" / "pyproject.toml").read_text())["tool"]["poetry"]
    assert unit_tests["dependencies"]["airbyte-cdk"]["version"] == f"=={pinned}"
    image, _, tag = METADATA["connectorBuildOptions"]["baseImage"].partition("@")[0].rpartition(":")
    assert image == "docker.io/airbyte/source-declarative-manifest" and tag == pinned
    assert yaml.safe_load((ROOT / "manifest.yaml").read_text())["version"] == pinned


def test_the_layout_airbyte_classifies_as_manifest_only():
    assert (ROOT / "manifest.yaml").is_file() and (ROOT / "components.py").is_file()
    assert "language:manifest-only" in METADATA["tags"]
    assert (ROOT / METADATA["icon"]).read_text().lstrip().startswith("<svg")
    assert "breakingChanges" not in METADATA.get("releases", {}), "an empty breakingChanges is invalid"
    components = (ROOT / "components.py").read_text()
    assert not re.search(r"^from __future__ import", components, re.M), "injected components cannot use it"


def test_no_plain_http_url_but_localhost_in_the_connector_files():
    """Airbyte's HTTPS-only QA check, by its own rule: outside tests, comments, expected records and icons, every
    plain-http URL is localhost (the emulator) or a JSON-schema id. The check itself needs airbyte-internal-ops
    (``scripts/qa-checks``), too heavy for every run."""
    scheme = "http" + "://"  # split, so that this file's own lines do not match
    comment_marks = {".py": "#", ".yml": "#", ".yaml": "#", ".md": "<!--"}
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    offending = []
    for relative in tracked.splitlines():
        path = ROOT / relative
        skipped = path.name == "expected_records.jsonl" or path.suffix in {".svg", ".pyc", ".gz"}
        if skipped or {"unit_tests", "integration_tests"} & set(path.parts) or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(errors="ignore").lower().splitlines(), 1):
            mark = comment_marks.get(path.suffix)
            if mark and line.lstrip().startswith(mark):
                continue
            if scheme in line.replace(scheme + "localhost", "").replace(scheme + "json-schema.org", ""):
                offending.append(f"{relative}:{number}")
    assert not offending, f"plain-http URLs: {offending}"
