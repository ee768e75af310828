"""The unit tests, laid out as airbyte-ci runs a manifest-only connector's: a venv built from
``unit_tests/pyproject.toml`` alone (airbyte-cdk and the test tools, never the connector as a package), the
connector's folder on ``sys.path`` so that ``components.py`` imports as ``components``, and airbyte-cdk's
``manifest_only_fixtures`` (``components_module``, ``manifest_path``, ``connector_dir``)."""

import sys
from collections.abc import Iterator
from pathlib import Path

import backoff._sync
import pytest
from airbyte_cdk.sources.streams.http import rate_limiting

pytest_plugins = ["airbyte_cdk.test.utils.manifest_only_fixtures"]


def _connector_dir() -> Path:
    airbyte_ci = Path("/airbyte/integration_code/source_declarative_manifest")
    return airbyte_ci if airbyte_ci.exists() else Path(__file__).parent.parent


CONNECTOR_DIR = _connector_dir()
sys.path.append(str(CONNECTOR_DIR))

from unit_tests.helpers import RecordingSleep  # noqa: E402 - after the path is set


@pytest.fixture(autouse=True)
def fresh_components_and_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts as a sync in a new process does: ``components.py`` loaded afresh (its module state
    empty) and airbyte-cdk's response cache in a folder of its own."""
    for name in ("components", "source_declarative_manifest.components"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setenv("REQUEST_CACHE_PATH", str(tmp_path))
    yield


@pytest.fixture(autouse=True)
def instant_backoff(monkeypatch: pytest.MonkeyPatch) -> RecordingSleep:
    """airbyte-cdk's retries record their waits instead of sleeping."""
    recorder = RecordingSleep()
    monkeypatch.setattr(rate_limiting, "time", recorder)
    monkeypatch.setattr(backoff._sync, "time", recorder)
    return recorder
