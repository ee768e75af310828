"""What the unit tests share: the connector built from its manifest (resolved once per session), LinkedIn's
endpoint URLs, configs, LinkedIn error bodies, a read runner, the config_error assertion and time helpers.
Fixtures live in ``conftest.py``; no test module imports another."""

import datetime as dt
import functools
import pickle
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import requests_mock
from airbyte_cdk.models import AirbyteErrorTraceMessage, FailureType, SyncMode
from airbyte_cdk.sources.declarative import concurrent_declarative_source as cdk_source
from airbyte_cdk.sources.declarative.concurrent_declarative_source import ConcurrentDeclarativeSource
from airbyte_cdk.sources.declarative.yaml_declarative_source import YamlDeclarativeSource
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read
from airbyte_cdk.test.state_builder import StateBuilder

# ----------------------------------------------------------------------------------------------------
# The connector: manifest.yaml and components.py, as airbyte-ci loads them
# ----------------------------------------------------------------------------------------------------
MANIFEST = Path(__file__).parent.parent / "manifest.yaml"


@functools.cache
def _resolved_manifest_pickled() -> bytes:
    return pickle.dumps(dict(YamlDeclarativeSource(path_to_yaml=str(MANIFEST)).resolved_manifest))


def resolved_manifest() -> dict[str, Any]:
    """The manifest with its references resolved, validated against airbyte-cdk's schema once per session; each
    caller gets a copy of its own (unpickled: ten times faster than a deepcopy)."""
    return pickle.loads(_resolved_manifest_pickled())


# airbyte-cdk parses its 5,000-line component schema again for every source it builds: once per session here.
_COMPONENT_SCHEMA = pickle.dumps(cdk_source.get_declarative_component_schema())
cdk_source.get_declarative_component_schema = lambda: pickle.loads(_COMPONENT_SCHEMA)


class ConnectorSource(ConcurrentDeclarativeSource):
    """The connector as every runtime builds it, from the session's resolved manifest (resolving and
    validating 1,800 lines again for every test would take most of the suite's time); a read builds only the
    streams it selects."""

    def __init__(self, catalog: Any = None, **kwargs: Any) -> None:
        super().__init__(catalog=catalog, source_config=resolved_manifest(), **kwargs)
        self._selected = {stream.stream.name for stream in catalog.streams} if catalog else set()

    def streams(self, config: Mapping[str, Any]) -> list[Any]:
        """A read builds only the streams its catalog selects (each with its parents, inlined), through
        airbyte-cdk's own partial build (its check's); discover and check build every stream."""
        if not self._selected:
            return super().streams(config)
        self._prepare_for_stream_build()
        every = self._stream_configs(self._source_config)
        return self._create_streams([c for c in every if c["name"] in self._selected], every)

    def _pre_process_manifest(self, manifest: dict[str, Any]) -> dict[str, Any]:
        return manifest  # resolved already, and a copy of its own

    def _validate_source(self) -> None:
        pass  # validated when resolved_manifest() built it


def make_source(
    config: Mapping[str, Any] | None = None, catalog: Any = None, state: Any = None, **kw: Any
) -> ConnectorSource:
    return ConnectorSource(config=config, catalog=catalog, state=state, **kw)


# ----------------------------------------------------------------------------------------------------
# LinkedIn's endpoints
# ----------------------------------------------------------------------------------------------------
API = "https://api.linkedin.com/rest"
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
ORGANIZATIONS = f"{API}/organizations"  # BATCH_GET: ?ids=List(1,2,3)
ORGANIZATION_ACLS = f"{API}/organizationAcls"
NETWORK_SIZES = re.compile(rf"{API}/networkSizes/.*")
FOLLOWER_STATISTICS = f"{API}/organizationalEntityFollowerStatistics"
SHARE_STATISTICS = f"{API}/organizationalEntityShareStatistics"
PAGE_STATISTICS = f"{API}/organizationPageStatistics"
POSTS = f"{API}/posts"
DMA_FOLLOWS = f"{API}/dmaOrganizationalPageFollows"
DMA_PAGE_PROFILES = f"{API}/dmaOrganizationalPageProfiles"
DMA_ORGANIZATION_ACLS = f"{API}/dmaOrganizationAcls"
AD_ACCOUNTS = f"{API}/adAccounts"
ACCOUNT_INTELLIGENCE = f"{API}/accountIntelligence"

ORG = "2414183"
ORG_URN_ENCODED = f"urn%3Ali%3Aorganization%3A{ORG}"


def requested_organizations(request: Any) -> list[str]:
    """The ids of an organizations BATCH_GET (``ids=List(1,2,3)``)."""
    return re.search(r"ids=List\(([^)]*)\)", request.url).group(1).split(",")


def organizations_batch(
    errors: Mapping[str, Mapping[str, Any]] | None = None, resource: Any = lambda org_id: {"id": int(org_id)}
) -> Any:
    """A requests-mock answer to the organizations BATCH_GET, as LinkedIn gives it: each requested id in
    ``results`` (``resource(id)``), or, when ``errors`` names it, in ``errors`` with its status."""

    def answer(request: Any, context: Any) -> dict[str, Any]:
        results, statuses, refused = {}, {}, {}
        for org_id in requested_organizations(request):
            if errors and org_id in errors:
                refused[org_id], statuses[org_id] = dict(errors[org_id]), errors[org_id]["status"]
            else:
                results[org_id], statuses[org_id] = resource(org_id), 200
        return {"results": results, "statuses": statuses, "errors": refused}

    return answer


SHOWCASE_LISTING = f"{ORGANIZATIONS}?q=parentOrganization"  # each organization's showcase pages


def serve_showcase_pages(mock: Any, pages: Mapping[str, list[int]] | None = None) -> None:
    """Each organization's showcase pages (``pages``: organization id -> showcase page ids; none by default),
    in the shape of LinkedIn's parentOrganization finder (documented_answers.SHOWCASE_PAGES_BY_PARENT)."""

    def answer(request: Any, context: Any) -> dict[str, Any]:
        parent = re.search(r"parent=urn%3Ali%3Aorganization%3A(\d+)", request.url).group(1)
        ids = (pages or {}).get(parent, [])
        elements = [
            {"id": i, "localizedName": f"Showcase {i}", "primaryOrganizationType": "BRAND"} for i in ids
        ]
        return {"paging": {"start": 0, "count": 10, "links": [], "total": len(ids)}, "elements": elements}

    mock.get(SHOWCASE_LISTING, json=answer)


def page_id_of(org_id: str) -> str:
    """The page id these tests give an organization: never the organization id (a page is its own entity)."""
    return f"9{org_id}7"


def page_profiles(pageless: tuple[str, ...] = ()) -> Any:
    """A requests-mock answer to the DMA pageEntity finder: the page of the organization asked for, none for
    the ``pageless`` ones (LinkedIn then answers no element)."""

    def answer(request: Any, context: Any) -> dict[str, Any]:
        org_id = re.search(r"pageEntity=\(organization:urn%3Ali%3Aorganization%3A(\d+)\)", request.url).group(
            1
        )
        pages = (
            [] if org_id in pageless else [{"entityUrn": f"urn:li:organizationalPage:{page_id_of(org_id)}"}]
        )
        return {"elements": pages, "paging": {"start": 0, "count": 10}}

    return answer


# ----------------------------------------------------------------------------------------------------
# Configs
# ----------------------------------------------------------------------------------------------------
INCREMENTAL_STREAMS = {
    "follower_statistics_time_bound",
    "share_statistics_time_bound",
    "page_statistics_time_bound",
    "showcase_page_statistics_time_bound",
    "page_notifications",
    "post_daily_statistics",
    "page_daily_content_statistics",
    "posts",
}


def access_token_config(**overrides: Any) -> dict[str, Any]:
    config = {
        "credentials": {"auth_method": "access_token", "access_token": "test-access-token"},
        "organization_ids": [ORG],
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
        "organization_ids": [ORG],
    }
    config.update(overrides)
    return config


# ----------------------------------------------------------------------------------------------------
# Reading, and LinkedIn's errors
# ----------------------------------------------------------------------------------------------------
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
    source = make_source(config, catalog, state_messages)
    return read(source, config, catalog, state_messages, expecting_exception=expecting_exception)


def linkedin_error(status: int, message: str, code: str = "", service_error_code: int = 0) -> dict[str, Any]:
    """An error body as LinkedIn sends it."""
    body: dict[str, Any] = {"status": status, "message": message}
    if code:
        body["code"] = code
    if service_error_code:
        body["serviceErrorCode"] = service_error_code
    return body


def read_failing_with(
    url: str | re.Pattern,
    status: int,
    body: Mapping[str, Any],
    streams: Iterable[str],
    config: Mapping[str, Any] | None = None,
) -> tuple[AirbyteErrorTraceMessage, requests_mock.Mocker]:
    """Read ``streams`` while ``url`` answers ``status`` with ``body``: the sync's error, and the mock."""
    with requests_mock.Mocker() as mock:
        mock.get(url, status_code=status, json=dict(body))
        output = run_read(config or access_token_config(), streams, expecting_exception=True)
    assert output.errors, "the sync did not fail"
    return output.errors[0].trace.error, mock


def assert_config_error(error: AirbyteErrorTraceMessage, *fragments: str) -> None:
    """A config_error, on one line, whose message holds every fragment."""
    assert error.failure_type == FailureType.config_error, error
    assert "\n" not in error.message.strip(), error.message
    for fragment in fragments:
        assert fragment in error.message, f"{fragment!r} not in {error.message!r}"


# ----------------------------------------------------------------------------------------------------
# Time
# ----------------------------------------------------------------------------------------------------
DAY_MS = 86_400_000


def ms(year: int, month: int, day: int) -> int:
    """Epoch milliseconds of a UTC midnight."""
    return int(dt.datetime(year, month, day, tzinfo=dt.UTC).timestamp() * 1000)


def daily_elements(
    start: int, end: int, entity_key: str = "organizationalEntity", **fields: Any
) -> list[dict]:
    """One time-bound element a day from ``start`` to ``end`` (exclusive), as LinkedIn answers them."""
    return [
        {"timeRange": {"start": t, "end": t + DAY_MS}, entity_key: f"urn:li:organization:{ORG}", **fields}
        for t in range(start, end, DAY_MS)
    ]


class RecordingSleep:
    """Stands in for the ``time`` module in the retry code: records each backoff instead of waiting."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)
