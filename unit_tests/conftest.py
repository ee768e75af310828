"""Shared helpers for the unit tests: configs, a read runner, and instant backoff."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import backoff._sync
import pytest
from airbyte_cdk.models import SyncMode
from airbyte_cdk.sources.streams.http import rate_limiting
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read
from airbyte_cdk.test.state_builder import StateBuilder

from source_linkedin_org import SourceLinkedinOrg
from source_linkedin_org.components import (
    API_VERSION_FALLBACK,
    ConfiguredIdsPartitionRouter,
    SharedTokenOAuthAuthenticator,
    forget_spaced_budgets,
)

API = "https://api.linkedin.com/rest"
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
INCREMENTAL_STREAMS = {
    "follower_statistics_time_bound",
    "share_statistics_time_bound",
    "page_statistics_time_bound",
    "posts",
}


def access_token_config(**overrides: Any) -> dict[str, Any]:
    config = {
        "credentials": {"auth_method": "access_token", "access_token": "test-access-token"},
        "organization_ids": ["2414183"],
    }
    config.update(overrides)
    return config


def oauth_config(**overrides: Any) -> dict[str, Any]:
    config = {
        "credentials": {
            "auth_method": "oAuth2.0",
            "client_id": "test-client-id",
            "client_secret": "test-client-secret",
            "refresh_token": "test-refresh-token",
        },
        "organization_ids": ["2414183"],
    }
    config.update(overrides)
    return config


def run_read(
    config: Mapping[str, Any],
    streams: Iterable[str],
    state: Mapping[str, Any] | None = None,
    sync_mode: SyncMode | None = None,
    expecting_exception: bool = False,
) -> EntrypointOutput:
    """Read ``streams`` the way the platform does: catalog, state and config handed to the source."""
    builder = CatalogBuilder()
    for name in streams:
        mode = sync_mode or (SyncMode.incremental if name in INCREMENTAL_STREAMS else SyncMode.full_refresh)
        builder = builder.with_stream(name, mode)
    catalog = builder.build()
    state_messages = None
    if state:
        state_builder = StateBuilder()
        for name, value in state.items():
            state_builder = state_builder.with_stream_state(name, value)
        state_messages = state_builder.build()
    source = SourceLinkedinOrg(config=config, catalog=catalog, state=state_messages)
    return read(source, config, catalog, state_messages, expecting_exception=expecting_exception)


class RecordingSleep:
    """Stands in for the ``time`` module in the retry code: records each backoff instead of waiting."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@pytest.fixture(autouse=True)
def instant_backoff(monkeypatch: pytest.MonkeyPatch) -> RecordingSleep:
    recorder = RecordingSleep()
    monkeypatch.setattr(rate_limiting, "time", recorder)
    monkeypatch.setattr(backoff._sync, "time", recorder)
    return recorder


@pytest.fixture(autouse=True)
def fresh_process_state() -> Iterable[None]:
    """Version fallback, token and ACL caches live for a process; each test starts a new 'process'."""
    for forget in (
        API_VERSION_FALLBACK.reset,
        SharedTokenOAuthAuthenticator.clear_shared_tokens,
        ConfiguredIdsPartitionRouter.forget_discovered,
        forget_spaced_budgets,
    ):
        forget()
    yield
