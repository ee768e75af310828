"""The packaging files agree with each other: one version, one airbyte-cdk, the manifest-only layout."""

import re
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


def test_the_manifest_only_image_runs_the_airbyte_cdk_the_package_pins():
    pinned = re.search(r"airbyte-cdk==([\d.]+)", " ".join(PYPROJECT["project"]["dependencies"])).group(1)
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
