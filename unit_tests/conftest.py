"""Fixtures of the unit tests: instant backoff, and a fresh process state for every test."""

from collections.abc import Iterable

import backoff._sync
import pytest
from airbyte_cdk.sources.streams.http import rate_limiting
from source_linkedin_org.components import reset_process_state

from unit_tests.helpers import RecordingSleep


@pytest.fixture(autouse=True)
def instant_backoff(monkeypatch: pytest.MonkeyPatch) -> RecordingSleep:
    recorder = RecordingSleep()
    monkeypatch.setattr(rate_limiting, "time", recorder)
    monkeypatch.setattr(backoff._sync, "time", recorder)
    return recorder


@pytest.fixture(autouse=True)
def fresh_process_state() -> Iterable[None]:
    """Each test starts as a new process would: no version fallback, token, discovery or budget cached."""
    reset_process_state()
    yield
