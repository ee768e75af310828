"""Custom components: what ``manifest.yaml`` cannot say on its own.

Everything else (auth flows, retries, backoff, pagination, cursors, partition routing) is airbyte-cdk's own,
configured in the manifest. This is one file because every Airbyte runtime loads it as one: the manifest-only
image, the Connector Builder and PyAirbyte inject ``components.py`` and register it as
``source_declarative_manifest.components``, the name the manifest's ``class_name`` entries use. Hence no
``from __future__ import annotations``: injected code is executed outside ``sys.modules``, where dataclasses
cannot resolve string annotations.

Contents, in order (each component's docstring lists the fields the manifest sets on it and the
``$parameters`` it reads; each has its unit test in ``unit_tests/``):

1. Config and state: validations (``StartDateIsAPastDay``, ``MatchesPattern``, ``RefusedWhenPresent``),
   transformations (``CredentialsMustBeObjects``, ``LegacyOrgIdToOrganizationIds``), and
   ``StateCursorsAreEpochMilliseconds``.
2. Transport: Rest.li 2.0 encoding, query tunneling, the LinkedIn-Version fallback, the HTTP client and
   requester (``RestliHttpRequester``), DMA request spacing.
3. Errors: ``LinkedInErrorHandler`` (and Rest.li BATCH_GET errors) and the messages it fills in.
4. Paging: ``BoundedOffsetIncrement``.
5. Organizations and discovery: ``ConfiguredIdsPartitionRouter``, ``NewPartitionsStartAtTheBeginning``.
6. Auth: ``SharedTokenOAuthAuthenticator``.
7. Posts: ``OrganizationPostBatchRouter``, ``PostStatisticsExtractor``.
8. DMA: ``OrganizationalPageExtractor``, ``OrganizationalPagePartitionRouter``, ``DmaCursorPagination``.
9. Process state: ``reset_process_state()``.

Process-wide state. airbyte-cdk builds every component once per stream, but some facts hold for the whole
sync; each lives in one cache, and ``reset_process_state()`` clears them all (tests call it between cases):

- ``API_VERSION_FALLBACK``: the active version that replaced a sunset ``LinkedIn-Version``, so the other
  streams do not each meet the 426 again;
- ``_SPACED_BUDGETS``: one call budget per spaced request group, so DMA requests are spaced across streams;
- ``ConfiguredIdsPartitionRouter._discovered``: the organizations (or ad accounts) discovered once per sync;
- ``SharedTokenOAuthAuthenticator._cache``: the access token of one refresh per credential, shared by every stream;
- ``OrganizationalPagePartitionRouter._resolved``: each organization's page URN, looked up once per sync for
  both DMA streams (and ``_page_owners``, the reverse, which names the organization in DMA error messages);
- ``DmaCursorPagination._follows_read`` and ``_pages_read``: the follows and pages read per DMA partition (the
  progress log, and the bound on pages);
- ``SYNC_REQUEST_TALLY``: the requests sent to LinkedIn this sync, per endpoint, logged when the sync ends.
"""

import datetime as dt
import hashlib
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import InitVar, dataclass
from typing import Any, ClassVar
from urllib.parse import quote, quote_plus, unquote, urlencode, urlsplit

import requests
import urllib3
from airbyte_cdk.models import FailureType
from airbyte_cdk.sources.declarative.auth.oauth import DeclarativeOauth2Authenticator
from airbyte_cdk.sources.declarative.extractors.record_extractor import RecordExtractor
from airbyte_cdk.sources.declarative.interpolation import InterpolatedString
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.declarative.partition_routers.grouping_partition_router import (
    GroupingPartitionRouter,
)
from airbyte_cdk.sources.declarative.partition_routers.substream_partition_router import (
    SubstreamPartitionRouter,
)
from airbyte_cdk.sources.declarative.requesters.error_handlers import DefaultErrorHandler
from airbyte_cdk.sources.declarative.requesters.http_requester import HttpRequester
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.cursor_pagination_strategy import (
    CursorPaginationStrategy,
)
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.offset_increment import OffsetIncrement
from airbyte_cdk.sources.declarative.requesters.request_options.interpolated_request_options_provider import (
    InterpolatedRequestOptionsProvider,
    RequestInput,
)
from airbyte_cdk.sources.declarative.transformations.config_transformations.config_transformation import (
    ConfigTransformation,
)
from airbyte_cdk.sources.declarative.validators.validation_strategy import ValidationStrategy
from airbyte_cdk.sources.streams.call_rate import APIBudget, MovingWindowCallRatePolicy, Rate
from airbyte_cdk.sources.streams.http import HttpClient
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy
from airbyte_cdk.sources.streams.http.error_handlers.response_models import (
    ErrorResolution,
    ResponseAction,
)
from airbyte_cdk.sources.streams.http.exceptions import BaseBackoffException
from airbyte_cdk.sources.streams.http.tcp_keepalive import TcpKeepaliveHTTPAdapter
from airbyte_cdk.sources.types import StreamSlice
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets, filter_secrets
from airbyte_cdk.utils.datetime_helpers import AirbyteDateTime, ab_datetime_now
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

logger = logging.getLogger("airbyte")


# ========================================================================================================
# 1. Config validation (the manifest's `spec.config_normalization_rules.validations`, run in every runtime)
# ========================================================================================================


def config_error(message: str) -> AirbyteTracedException:
    """An error the user fixes in the config: one line, shown as it is."""
    return AirbyteTracedException(
        message=message, internal_message=message, failure_type=FailureType.config_error
    )


@dataclass
class StartDateIsAPastDay(ValidationStrategy):
    """``start_date`` must be a calendar day (``YYYY-MM-DD``, optionally ``THH:MM:SSZ``) that has begun.

    The spec's pattern accepts ``2026-02-30`` and ``2999-01-01``; LinkedIn has no statistics for either,
    and a sync would read nothing without saying why.

    Manifest fields: none (a ``DpathValidator``'s ``validation_strategy`` on ``["start_date"]``).
    """

    def validate(self, value: Any) -> None:
        if value in (None, ""):
            return
        try:
            day = dt.datetime.strptime(str(value)[:10], "%Y-%m-%d").date()
        except ValueError:
            raise config_error(
                f"start_date {value!r} is not a calendar date: use YYYY-MM-DD, e.g. 2026-01-01."
            ) from None
        if day > dt.datetime.now(dt.UTC).date():
            raise config_error(
                f"start_date {value} is in the future: LinkedIn has no statistics for it yet. Use a past date."
            )


@dataclass
class MatchesPattern(ValidationStrategy):
    """A config value must match ``pattern``, else ``message`` (which never repeats the value: it may hold
    credentials, e.g. a URL's user info).

    Manifest fields: ``pattern``, ``message``.
    """

    pattern: str
    message: str

    def validate(self, value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, str) or not re.fullmatch(self.pattern, value):
            raise config_error(self.message)


@dataclass
class RefusedWhenPresent(ValidationStrategy):
    """A config value that must not be there (a marker ``CredentialsMustBeObjects`` leaves) is refused with
    ``message``.

    Manifest fields: ``message``.
    """

    message: str

    def validate(self, value: Any) -> None:
        raise config_error(self.message)


NOT_AN_OBJECT = "__pasted_as_text"


@dataclass
class CredentialsMustBeObjects(ConfigTransformation):
    """``credentials`` (or ``dma_credentials``) pasted as a bare token, not the object the spec describes.

    airbyte-cdk's spec validation would answer "'<the token>' is not of type 'object'": the token in clear. The
    value is moved where a token belongs (an access token, which the secret filter masks) and marked, and
    ``RefusedWhenPresent`` then refuses the config with a message that never repeats it.

    Manifest fields: none (a ``CustomConfigTransformation`` of ``config_normalization_rules``).
    """

    def transform(self, config: MutableMapping[str, Any]) -> None:
        for key in ("credentials", "dma_credentials"):
            value = config.get(key)
            if value is not None and not isinstance(value, Mapping):
                config[key] = {"auth_method": "access_token", "access_token": str(value), NOT_AN_OBJECT: True}


@dataclass
class LegacyOrgIdToOrganizationIds(ConfigTransformation):
    """source-linkedin-pages' ``org_id`` (a number, a string with spaces, or an organization URN) becomes
    ``organization_ids: ["<digits>"]`` and is removed; airbyte-cdk writes the migrated config back.

    Interpolated, ``{{ config['org_id'] | string }}`` wraps a JSON number in triple quotes, which every
    later check refuses: the conversion is done here.

    Manifest fields: none (a ``CustomConfigTransformation`` of a ``ConfigMigration``).
    """

    def transform(self, config: MutableMapping[str, Any]) -> None:
        if "org_id" not in config:
            return
        if config.get("organization_ids"):  # the new setting wins; the legacy one goes
            del config["org_id"]
            return
        value = config["org_id"]
        if isinstance(value, bool):
            return  # not an id: left for the spec's validation to refuse
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        digits = re.fullmatch(r"\s*(?:urn:li:organization:)?(\d+)\s*", str(value))
        if digits:
            config["organization_ids"] = [digits.group(1)]
            del config["org_id"]


@dataclass
class StateCursorsAreEpochMilliseconds(StateMigration):
    """A saved state whose cursor is not epoch milliseconds (edited by hand, or from another connector) is
    refused with a message naming the stream, instead of airbyte-cdk's "Something went wrong".

    Manifest fields: none (a stream's ``state_migrations``). ``$parameters``: ``name`` (the stream).
    """

    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._stream = parameters.get("name", "?")

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        if not isinstance(stream_state, Mapping):
            raise config_error(
                f"The saved state of stream {self._stream} is not an object: reset the stream's state."
            )
        cursors = [
            stream_state.get("state") or {},
            *[s.get("cursor") or {} for s in stream_state.get("states") or []],
        ]
        if "states" not in stream_state and "state" not in stream_state:
            cursors = [stream_state]
        for cursor in cursors:
            for field_name, value in cursor.items() if isinstance(cursor, Mapping) else [("cursor", cursor)]:
                if field_name in ("use_global_cursor", "lookback_window", "parent_state"):
                    continue
                if not re.fullmatch(r"\d{1,16}", str(value)):
                    raise config_error(
                        f"The saved state of stream {self._stream} holds a {field_name} that is not a time in epoch "
                        "milliseconds: reset the stream's state (the next sync then reads from start_date)."
                    )
        return False

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        return stream_state


# ========================================================================================================
# 2. Transport: Rest.li 2.0 encoding, query tunneling, LinkedIn-Version, HTTP client, request spacing
# ========================================================================================================

VERSION_HEADER = "LinkedIn-Version"

# LinkedIn answers 414 past a 4 KB query string; such a request is sent by query tunneling instead.
MAX_QUERY_STRING_BYTES = 4096

# Characters that stay literal in a Rest.li 2.0 query: the structure of tuples and lists, plus "%" because
# URNs inside values are already percent-encoded in the manifest (``urn%3Ali%3Aorganization%3A1``).
RESTLI_SAFE_CHARACTERS = "():,%"


def encode_restli_query(params: Mapping[str, Any] | str) -> str:
    """Encode query parameters in Rest.li 2.0 syntax: ``( ) : ,`` literal, everything else percent-encoded."""
    if isinstance(params, str):
        return params
    return urlencode(params, safe=RESTLI_SAFE_CHARACTERS)


def tunnel_request(request: requests.PreparedRequest) -> None:
    """Turn a GET whose query is too long into LinkedIn's query tunneling form, in place."""
    url, _, query = (request.url or "").partition("?")
    request.method = "POST"
    request.url = url
    request.headers["X-HTTP-Method-Override"] = "GET"
    request.headers["Content-Type"] = "application/x-www-form-urlencoded"
    request.prepare_body(data=query, files=None)


def requested_query(request: requests.PreparedRequest) -> str:
    """The query LinkedIn answered: the URL's, or the form body of a tunneled request."""
    if request.headers.get("X-HTTP-Method-Override", "").upper() == "GET":
        body = request.body or ""
        return body.decode() if isinstance(body, bytes) else body
    return (request.url or "").partition("?")[2]


def active_version_for(today: dt.date) -> str:
    """A ``YYYYMM`` version that is certainly released and active on ``today``.

    LinkedIn releases a version every month and keeps each for about a year, so the version of two
    months ago exists (the current month's may not be out yet) and has about ten months left.
    """
    month_index = today.year * 12 + (today.month - 1) - 2
    return f"{month_index // 12:04d}{month_index % 12 + 1:02d}"


class ApiVersionFallback:
    """Process-wide record of the version that replaced a sunset one, shared by every stream."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._replacement: str | None = None

    @property
    def replacement(self) -> str | None:
        return self._replacement

    def replace(self, rejected_version: str, today: dt.date | None = None) -> str:
        """Move away from ``rejected_version``; warn once, the first time it happens."""
        with self._lock:
            if self._replacement and self._replacement != rejected_version:
                return self._replacement
            self._replacement = active_version_for(today or dt.datetime.now(dt.UTC).date())
            logger.warning(
                f"LinkedIn no longer serves API version {rejected_version} (HTTP 426). This sync goes on with "
                f"version {self._replacement}; update the pinned LinkedIn-Version (or the "
                f"'linkedin_api_version' setting) to a version LinkedIn still supports."
            )
            return self._replacement

    def reset(self) -> None:
        with self._lock:
            self._replacement = None


API_VERSION_FALLBACK = ApiVersionFallback()


# A deadline for a whole request (connect, headers and body). requests' own timeout bounds each socket read:
# a server that sends a byte now and then is never timed out. 180 s leaves LinkedIn's documented DMA latency
# (above 10 s, 120 s read timeout) room; the hidden 'request_deadline_seconds' setting changes it (tests).
DEFAULT_REQUEST_DEADLINE_SECONDS = 180.0
_DEADLINE = threading.local()


class _Watchdog:
    """Shuts a request's socket down when its deadline passes, so the blocked read fails at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.fired, self.connection = seconds, False, None
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        _DEADLINE.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _DEADLINE.watchdog = None

    def _fire(self) -> None:
        self.fired = True
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _WatchedConnection:
    """Hands the connection a request goes out on to the thread's watchdog, which shuts its socket down."""

    def request(self, *args: Any, **kwargs: Any) -> None:
        watchdog = getattr(_DEADLINE, "watchdog", None)
        if watchdog is not None:
            watchdog.connection = self
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_WatchedConnection, urllib3.connection.HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedConnection, urllib3.connection.HTTPSConnection):
    pass


class _WatchedHTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class SyncRequestTally(logging.Handler):
    """The requests a sync sent to LinkedIn, per endpoint, and the 429s among their answers, logged in one line
    at the end of the sync: LinkedIn's daily limits are per app and per member, so what a sync cost in quota
    is what a user needs to see.

    ``DeadlineHTTPAdapter`` counts each request it sends, retries included (below airbyte-cdk's response
    cache, so an answer served from the cache is not counted: it cost no quota). Installed as a logging handler by every
    ``RestliHttpRequester``, it starts counting at airbyte-cdk's "Starting syncing" log and reports at its
    "Finished syncing" log: the manifest-only runtimes run no code of ours at the end of a sync.
    Manifest fields: none (process-wide, ``SYNC_REQUEST_TALLY``).
    """

    SYNC_STARTED, SYNC_FINISHED = "Starting syncing", "Finished syncing"

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self._counts_lock = threading.Lock()
        self.sent: dict[str, int] = {}
        self.rate_limited = 0

    def install(self) -> None:
        """On the root logger, after airbyte-cdk's console handler (so the line follows its "Finished
        syncing"); checked each time, since airbyte-cdk's logging setup replaces the root's handlers."""
        root = logging.getLogger()
        if self not in root.handlers:
            root.addHandler(self)

    def count_request(self, url: str) -> None:
        path = urlsplit(url).path
        endpoint = (
            path.split("/rest/", 1)[1].split("/", 1)[0] if "/rest/" in path else path.rsplit("/", 1)[-1]
        )
        with self._counts_lock:
            self.sent[endpoint] = self.sent.get(endpoint, 0) + 1

    def count_rate_limited(self) -> None:
        with self._counts_lock:
            self.rate_limited += 1

    def reset(self) -> None:
        with self._counts_lock:
            self.sent, self.rate_limited = {}, 0

    def line(self) -> str:
        with self._counts_lock:
            sent, rate_limited = dict(self.sent), self.rate_limited
        tokens = sent.pop("accessToken", 0)
        by_endpoint = ", ".join(
            f"{endpoint} {n}" for endpoint, n in sorted(sent.items(), key=lambda e: (-e[1], e[0]))
        )
        return (
            f"LinkedIn requests this sync: {sum(sent.values())} to the API ({by_endpoint or 'none'}) and {tokens} "
            f"to the token endpoint; {rate_limited} answered 429 (rate limited)."
        )

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("airbyte"):
            return
        message = record.getMessage()
        if message == self.SYNC_STARTED:
            self.reset()
        elif message == self.SYNC_FINISHED:
            logger.info(self.line())
            self.reset()


SYNC_REQUEST_TALLY = SyncRequestTally()


class DeadlineHTTPAdapter(TcpKeepaliveHTTPAdapter):
    """airbyte-cdk's keep-alive adapter, with a deadline for the whole request: connect, headers and body.

    At the deadline the socket is shut down and the request fails with a ``ReadTimeout``, which airbyte-cdk
    retries like any timeout.
    """

    def __init__(self, deadline_seconds: float, **kwargs: Any) -> None:
        self.deadline_seconds = deadline_seconds
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPConnectionPool,
            "https": _WatchedHTTPSConnectionPool,
        }

    def send(
        self, request: requests.PreparedRequest, stream: bool = False, **kwargs: Any
    ) -> requests.Response:
        with _Watchdog(self.deadline_seconds) as watchdog:
            try:
                SYNC_REQUEST_TALLY.count_request(request.url or "")
                response = super().send(request, stream=True, **kwargs)
                if response.status_code == 429:
                    SYNC_REQUEST_TALLY.count_rate_limited()
                if not stream:
                    _ = response.content  # the body too, before the deadline
            except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
                if watchdog.fired:
                    raise requests.exceptions.ReadTimeout(
                        f"no complete answer within the {self.deadline_seconds:g} s request deadline",
                        request=request,
                    ) from error
                raise
        if watchdog.fired:
            raise requests.exceptions.ReadTimeout(
                f"no complete answer within the {self.deadline_seconds:g} s request deadline", request=request
            )
        return response


def deadline_session(deadline_seconds: float) -> requests.Session:
    """A requests session whose every request has a total deadline (see ``DeadlineHTTPAdapter``)."""
    session = requests.Session()
    mount_deadline_adapter(session, deadline_seconds)
    return session


def mount_deadline_adapter(session: requests.Session, deadline_seconds: float) -> None:
    """Send the session's requests through a ``DeadlineHTTPAdapter``: every https URL, and plain http to
    localhost only, the emulator (the spec's base URL patterns allow no other http host)."""
    adapter = DeadlineHTTPAdapter(deadline_seconds)
    for prefix in ("https://", "http://localhost"):
        session.mount(prefix, adapter)


_REGISTERED_SECRETS: set[str] = set()
_REGISTERED_SECRETS_LOCK = threading.Lock()


def register_secret_forms(*secrets: Any) -> None:
    """Mask every form a secret can take in output: raw, URL-encoded (a form body echoed back) and JSON-escaped
    (a debug log of a non-ASCII token). airbyte-cdk masks the raw values of the config's secret fields only."""
    with _REGISTERED_SECRETS_LOCK:
        for secret in secrets:
            if not isinstance(secret, str) or len(secret) < 4:
                continue
            forms = {
                secret,
                quote(secret, safe=""),
                quote_plus(secret),
                json.dumps(secret)[1:-1],
                json.dumps(json.dumps(secret)[1:-1])[1:-1],
            }
            for form in forms - _REGISTERED_SECRETS:
                add_to_secrets(form)
                _REGISTERED_SECRETS.add(form)


def config_secrets(config: Mapping[str, Any]) -> list[str]:
    """Every string under the config's credentials, whatever their shape (a token pasted as text included)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if key != "auth_method":
                    walk(item)

    for key in ("credentials", "dma_credentials"):
        walk(config.get(key))
    return found


class RestliHttpClient(HttpClient):
    """airbyte-cdk's HttpClient, with Rest.li 2.0 query encoding, query tunneling, the version fallback, a
    deadline for every request, and 401 retries that take a token another stream renewed meanwhile."""

    # A request rejected again after its token refresh may go once more, if another stream renewed the token
    # meanwhile (airbyte-cdk would fail it as a config error, "re-authenticate").
    MAX_RENEWED_TOKEN_RETRIES = 2

    def __init__(
        self, *args: Any, deadline_seconds: float = DEFAULT_REQUEST_DEADLINE_SECONDS, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        mount_deadline_adapter(self._session, deadline_seconds)
        self._renewed_token_retries: dict[requests.PreparedRequest, int] = {}

    def _create_prepared_request(
        self,
        http_method: str,
        url: str,
        dedupe_query_params: bool = False,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
        data: str | Mapping[str, Any] | None = None,
    ) -> requests.PreparedRequest:
        query_params = self._dedupe_query_params(url, params) if dedupe_query_params else params or {}
        request = self._session.prepare_request(
            requests.Request(
                method=http_method, url=url, headers=headers, params=encode_restli_query(query_params)
            )
        )
        if http_method.upper() == "GET" and len(request.url.partition("?")[2]) > MAX_QUERY_STRING_BYTES:
            tunnel_request(request)
        return request

    def _send_with_retry(
        self,
        request: requests.PreparedRequest,
        request_kwargs: Mapping[str, Any],
        log_formatter: Any = None,
        exit_on_rate_limit: bool | None = False,
    ) -> requests.Response:
        try:
            return super()._send_with_retry(request, request_kwargs, log_formatter, exit_on_rate_limit)
        except AirbyteTracedException as error:
            if error.message != "API rate limit exceeded.":
                raise
            # A 429 that outlasts every backoff is LinkedIn's daily quota, which no retry clears before midnight.
            raise AirbyteTracedException(
                message=daily_quota_message(dt.datetime.now(dt.UTC)),
                internal_message=error.internal_message,
                failure_type=FailureType.transient_error,
                stream_descriptor=error._stream_descriptor,
            ) from error

    def _handle_error_resolution(
        self,
        response: requests.Response | None,
        exc: requests.RequestException | None,
        request: requests.PreparedRequest,
        error_resolution: ErrorResolution,
        exit_on_rate_limit: bool | None = False,
    ) -> None:
        cache_key = getattr(response, "cache_key", None)
        if cache_key and error_resolution.response_action != ResponseAction.SUCCESS:
            # An answer the error handler rejects (a 200 without its elements, above all) leaves the response
            # cache: else the retry, and the other stream reading the same listing, would be served it again.
            self._session.cache.delete(cache_key)
        if (
            error_resolution.response_action == ResponseAction.REFRESH_TOKEN_THEN_RETRY
            and self._token_refresh_outcomes.get(request)
            and self._renewed_token_retries.get(request, 0) < self.MAX_RENEWED_TOKEN_RETRIES
        ):
            # Rejected again after a refresh. With streams sharing one token, the refresh may have handed out
            # a token that another stream saw expire in the meantime: handle it as a first 401 (take the
            # process's current token, or renew it) instead of failing as "re-authenticate".
            self._renewed_token_retries[request] = self._renewed_token_retries.get(request, 0) + 1
            self._token_refresh_outcomes.pop(request, None)
        try:
            super()._handle_error_resolution(response, exc, request, error_resolution, exit_on_rate_limit)
        except AirbyteTracedException as error:
            # airbyte-cdk quotes LinkedIn's error message unmasked in internal_message, and its concurrent
            # reader prints that unfiltered: a body that echoes the bearer token would show it.
            error.internal_message = filter_secrets(error.internal_message or "") or None
            error.message = filter_secrets(error.message) if error.message else error.message
            raise

    def _send(
        self,
        request: requests.PreparedRequest,
        request_kwargs: Mapping[str, Any],
        log_formatter: Any = None,
        exit_on_rate_limit: bool | None = False,
    ) -> requests.Response:
        # Retries resend the same prepared request: stamp the version in force at each attempt.
        if API_VERSION_FALLBACK.replacement:
            request.headers[VERSION_HEADER] = API_VERSION_FALLBACK.replacement
        try:
            return super()._send(request, request_kwargs, log_formatter, exit_on_rate_limit)
        except BaseBackoffException as error:
            response = error.response
            if isinstance(response, requests.Response) and response.status_code == 414:
                tunnel_request(request)
            raise


@dataclass
class RestliHttpRequester(HttpRequester):
    """HttpRequester whose HTTP client speaks Rest.li 2.0 (see ``RestliHttpClient``).

    Manifest fields: HttpRequester's (``url_base``, ``path``, ``http_method``, ``read_timeout_in_seconds``,
    ``authenticator``, ``error_handler``, ``request_headers``, ``request_parameters``) and
    ``min_request_interval_seconds`` (interpolated from the config: spaces this requester's calls),
    ``request_deadline_seconds`` (interpolated: the deadline of each whole request) and ``share_responses``
    (answers cached for the sync and served to identical requests).
    ``$parameters``: ``path``, which names the spaced request group.
    """

    request_parameters: RequestInput | None = None
    request_headers: RequestInput | None = None
    request_body_data: RequestInput | None = None
    request_body_json: RequestInput | None = None
    # Spacing of this requester's calls, shared by every requester of the same path in the process (the DMA
    # API allows one request per 60 s). Interpolated: the manifest's api_budget cannot interpolate an interval.
    min_request_interval_seconds: str | float | None = None
    # A deadline for each whole request (connect, headers, body); interpolated from the config.
    request_deadline_seconds: str | float | None = None
    # Answers kept for the sync and served to an identical request (airbyte-cdk's parent-stream cache): set
    # explicitly, because airbyte-cdk hands a custom requester use_cache=None whatever the manifest says.
    share_responses: bool = False

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        # The credentials this requester sends are masked in every form they can take in output.
        register_secret_forms(*config_secrets(self.config))
        SYNC_REQUEST_TALLY.install()
        self.request_options_provider = InterpolatedRequestOptionsProvider(
            request_parameters=self.request_parameters,
            request_headers=self.request_headers,
            request_body_data=self.request_body_data,
            request_body_json=self.request_body_json,
            config=self.config,
            parameters=parameters or {},
        )
        super().__post_init__(parameters)
        if self.min_request_interval_seconds is not None:
            interval = float(
                InterpolatedString.create(str(self.min_request_interval_seconds), parameters=parameters).eval(
                    self.config
                )
            )
            if interval > 0:
                self.api_budget = spaced_budget(str(parameters.get("path", self.path)), interval)
        self._http_client = RestliHttpClient(
            name=self.name,
            logger=self.logger,
            error_handler=self.error_handler,
            api_budget=self.api_budget,
            authenticator=self._authenticator,
            use_cache=bool(self.use_cache or self.share_responses),
            backoff_strategy=getattr(self.error_handler, "backoff_strategies", None),
            disable_retries=self.disable_retries,
            message_repository=self.message_repository,
            request_timeout=(
                (self.connect_timeout_in_seconds, self.read_timeout_in_seconds)
                if self.connect_timeout_in_seconds is not None or self.read_timeout_in_seconds is not None
                else None
            ),
            use_tcp_keepalive=self.use_tcp_keepalive,
            deadline_seconds=float(
                InterpolatedString.create(str(self.request_deadline_seconds), parameters=parameters).eval(
                    self.config
                )
                if self.request_deadline_seconds is not None
                else DEFAULT_REQUEST_DEADLINE_SECONDS
            ),
        )


_SPACED_BUDGETS: dict[tuple[str, float], APIBudget] = {}

_SPACED_BUDGETS_LOCK = threading.Lock()


# Calls are spaced when sent, LinkedIn counts them when they arrive: a little slack (2 % + 0.1 s: 61.3 s for
# LinkedIn's 60 s) keeps network and scheduling jitter from turning a well-spaced call into a 429.
SPACING_SLACK_RATIO = 0.02

SPACING_SLACK_SECONDS = 0.1


def spaced_budget(group: str, interval_seconds: float) -> APIBudget:
    """One process-wide budget per request group: at most one call per ``interval_seconds`` (plus slack)."""
    with _SPACED_BUDGETS_LOCK:
        key = (group, interval_seconds)
        if key not in _SPACED_BUDGETS:
            spacing = dt.timedelta(
                seconds=interval_seconds * (1 + SPACING_SLACK_RATIO) + SPACING_SLACK_SECONDS
            )
            _SPACED_BUDGETS[key] = APIBudget(
                policies=[MovingWindowCallRatePolicy(rates=[Rate(limit=1, interval=spacing)], matchers=[])]
            )
        return _SPACED_BUDGETS[key]


# ========================================================================================================
# 3. Errors: what the user must fix says what to do; what is transient is retried
# ========================================================================================================


def daily_quota_message(now: dt.datetime) -> str:
    """What to tell a user whose sync keeps getting 429s: the quota resets at 00:00 UTC."""
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    hours, rest = divmod(int((midnight - now).total_seconds()), 3600)
    return (
        "LinkedIn kept answering 429 (too many requests) through every retry: the app's or the member's daily "
        f"API quota is used up. It resets at 00:00 UTC, in {hours} h {rest // 60:02d} min; run the sync again "
        "after that (incremental streams resume from their saved state)."
    )


_ORGANIZATION_IN_URL = re.compile(r"(?:urn:li:organization(?:Brand)?:|/organizations/)(\d+)")
_ORGANIZATIONS_IN_BATCH = re.compile(r"[?&]ids=List\(([\d,]+)\)")
_PAGE_IN_URL = re.compile(r"urn:li:organizationalPage:(\d+)")

_ACCOUNT_IN_URL = re.compile(r"urn:li:sponsoredAccount:(\d+)")


def _entity_ids(request: requests.PreparedRequest) -> dict[str, str]:
    """The organization and ad account a request was about (from its path, query, or tunneled body)."""
    decoded = unquote(f"{request.url or ''}?{requested_query(request)}")
    organization = _ORGANIZATION_IN_URL.search(decoded) or _ORGANIZATIONS_IN_BATCH.search(decoded)
    page = _PAGE_IN_URL.search(decoded)
    account = _ACCOUNT_IN_URL.search(decoded)
    if organization:
        organization_id = organization.group(1).replace(",", ", ")
    elif page:  # DMA requests name the page; the organization is the one it was resolved from
        organization_id = OrganizationalPagePartitionRouter.organization_of_page(page.group(1)) or "?"
    else:
        organization_id = "?"
    return {"organization": organization_id, "account": account.group(1) if account else "?"}


class _RetryAtOnce(BackoffStrategy):
    """After a 426 the retry goes out with an active version, after a 401 with a renewed token: no reason to
    wait (the manifest's exponential backoff is for rate limits and outages)."""

    def backoff_time(
        self, response_or_exception: requests.Response | Exception | None, attempt_count: int
    ) -> float | None:
        if isinstance(response_or_exception, requests.Response) and response_or_exception.status_code in (
            401,
            426,
        ):
            return 0.001
        return None


_PAGING_PARAMETERS = re.compile(r"(?:^|&)(start|paginationCursor)=([^&]*)")


class PagingProgress:
    """Catches a LinkedIn whose paging does not advance, before the page's records are read: a page asked with
    a new ``start`` or ``paginationCursor`` whose elements are the previous page's, or a position asked twice.

    Keyed by the request without its paging parameters, so each partition (organization, edge type, ...) is
    followed on its own; a retry of the same request is not a repeat."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pages: dict[str, tuple[str, str, set[str]]] = {}  # query -> (position, fingerprint, positions)

    def problem(self, request: requests.PreparedRequest, elements: list) -> str | None:
        query = requested_query(request)
        position = "&".join(f"{k}={v}" for k, v in _PAGING_PARAMETERS.findall(query)) or "first page"
        key = f"{(request.url or '').partition('?')[0]}?{_PAGING_PARAMETERS.sub('', query)}"
        fingerprint = (
            f"{len(elements)}|{json.dumps(elements[0], sort_keys=True)}|{json.dumps(elements[-1], sort_keys=True)}"
            if elements
            else ""
        )
        with self._lock:
            previous_position, previous_fingerprint, positions = self._pages.get(key, ("", "", set()))
            if position == previous_position:
                return None  # a retry of the same page
            if position in positions:
                return f"it was sent back to a page it had already answered ({position})"
            self._pages[key] = (position, fingerprint, positions | {position})
            if fingerprint and fingerprint == previous_fingerprint:
                return (
                    f"it answered the same {len(elements)} elements for {position} as for {previous_position}"
                )
        return None


@dataclass
class LinkedInErrorHandler(DefaultErrorHandler):
    """DefaultErrorHandler plus what LinkedIn needs beyond response filters.

    - 426 ``NONEXISTENT_VERSION``: switch the whole sync to an active version and retry.
    - A 200 whose body is not JSON (proxy page, truncated answer) is retried, never read as "no records".
    - A 403 whose body names a known cause gets that cause's message (``forbidden_messages_by_reason``).
    - A token refresh is only possible with OAuth: with a plain access token, a 401 fails at once with
      ``access_token_rejected_message`` (response filters cannot see the config).
    - ``{organization}`` / ``{account}`` in a filter's error message become the id the failed request was
      about, so a user with ten organizations knows which one lacks the role or scope.

    Manifest fields: DefaultErrorHandler's (``max_retries``, ``backoff_strategies``, ``response_filters``),
    ``access_token_rejected_message`` and ``credentials_config_key`` (``credentials``, or ``dma_credentials``). ``$parameters``: ``forbidden_messages_by_reason``; the response
    filters' messages interpolate ``forbidden_message`` and ``not_found_message``.
    """

    access_token_rejected_message: str = (
        "LinkedIn rejected the access token; update the source's credentials."
    )
    # The config key of the credentials the requests carry: `credentials`, or `dma_credentials` for DMA.
    credentials_config_key: str = "credentials"

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self.backoff_strategies = [_RetryAtOnce(), *(self.backoff_strategies or [])]
        self._paging = PagingProgress()
        # `$parameters.forbidden_messages_by_reason`: {text LinkedIn puts in a 403 body: message for the user},
        # for endpoints whose 403s have several causes with different fixes (Company Intelligence).
        self._forbidden_by_reason: Mapping[str, str] = parameters.get("forbidden_messages_by_reason") or {}

    def interpret_response(
        self, response_or_exception: requests.Response | Exception | None
    ) -> ErrorResolution:
        return self._interpret(response_or_exception, None)

    def _interpret(
        self, response_or_exception: requests.Response | Exception | None, entity_ids: dict[str, str] | None
    ) -> ErrorResolution:
        if isinstance(response_or_exception, requests.Response) and response_or_exception.status_code == 426:
            sent = response_or_exception.request.headers.get(VERSION_HEADER, "?")
            API_VERSION_FALLBACK.replace(sent)
            return ErrorResolution(
                response_action=ResponseAction.RETRY,
                failure_type=FailureType.transient_error,
                error_message=f"LinkedIn API version {sent} is sunset; retrying with an active version.",
            )
        if isinstance(response_or_exception, requests.Response) and response_or_exception.ok:
            try:
                body = response_or_exception.json()
            except ValueError:
                # A proxy's page or a truncated body with a 200: read as JSON it would yield no records and
                # the sync would silently lose a page. Retry it; if it persists, fail saying so.
                return ErrorResolution(
                    response_action=ResponseAction.RETRY,
                    failure_type=FailureType.transient_error,
                    error_message="LinkedIn answered with a body that is not valid JSON (a proxy error page or a "
                    "truncated response); the request was retried and kept failing. Run the sync again later.",
                )
            malformed = malformed_answer(response_or_exception.request, body)
            if malformed:
                # Read as "no records", it would end the partition and let the state move past what was not read.
                return ErrorResolution(
                    response_action=ResponseAction.RETRY,
                    failure_type=FailureType.transient_error,
                    error_message=f"LinkedIn answered {malformed}; the request was retried and kept getting it. "
                    "Nothing past it was saved: run the sync again later.",
                )
            if isinstance(body, Mapping) and isinstance(body.get("elements"), list):
                problem = self._paging.problem(response_or_exception.request, body["elements"])
                if problem:
                    return ErrorResolution(
                        response_action=ResponseAction.FAIL,
                        failure_type=FailureType.transient_error,
                        error_message=f"LinkedIn's paging did not advance for {requested_resource(response_or_exception.request)}: "
                        f"{problem}. The sync stopped instead of reading the same records again; run it again later.",
                    )
            failed = first_batch_error(body)
            if failed:
                # A BATCH_GET answers 200 and reports each key it could not serve in `errors`: that key is
                # handled as if it had been requested alone (403 says what to grant, 5xx is retried, ...).
                key, error = failed
                return self._interpret(as_error_response(response_or_exception, error), {"organization": key})
        resolution = super().interpret_response(response_or_exception)
        if isinstance(response_or_exception, requests.Response) and response_or_exception.status_code == 403:
            reason = next((r for r in self._forbidden_by_reason if r in response_or_exception.text), None)
            if reason and resolution.response_action == ResponseAction.FAIL:
                resolution.error_message = self._forbidden_by_reason[reason]
        if (
            resolution.response_action == ResponseAction.REFRESH_TOKEN_THEN_RETRY
            and (self.config.get(self.credentials_config_key) or {}).get("auth_method") != "oAuth2.0"
        ):
            return ErrorResolution(
                response_action=ResponseAction.FAIL,
                failure_type=FailureType.config_error,
                error_message=self.access_token_rejected_message,
            )
        if resolution.error_message and isinstance(response_or_exception, requests.Response):
            # Plain replacement, not str.format: any other brace in a message must stay as it is.
            for name, entity_id in (entity_ids or _entity_ids(response_or_exception.request)).items():
                resolution.error_message = resolution.error_message.replace(f"{{{name}}}", entity_id)
        return resolution


def requested_resource(request: requests.PreparedRequest) -> str:
    """The LinkedIn resource a request asked for, e.g. ``posts`` (for messages)."""
    return (request.url or "").partition("?")[0].rsplit("/rest/", 1)[-1].split("/")[0] or "?"


def malformed_answer(request: requests.PreparedRequest, body: Any) -> str | None:
    """What is wrong with a 200 that is JSON but not the shape LinkedIn documents, or None.

    A finder (``q=...``) answers ``{"elements": [...]}``; a BATCH_GET (``ids=List(...)``) answers
    ``{"results": {...}}``; a GET of one entity answers an object."""
    query = requested_query(request)
    resource = requested_resource(request)
    if re.search(r"(?:^|&)q=", query):
        if not isinstance(body, Mapping) or not isinstance(body.get("elements"), list):
            return f"{resource} without a list of elements ({type(body).__name__ if not isinstance(body, Mapping) else 'elements: ' + type(body.get('elements')).__name__})"
    elif re.search(r"(?:^|&)ids=List\(", query):
        if not isinstance(body, Mapping) or not isinstance(body.get("results"), Mapping):
            return f"{resource} without its results"
    elif not isinstance(body, Mapping):
        return f"{resource} with {type(body).__name__} instead of an object"
    return None


def first_batch_error(body: Any) -> tuple[str, Mapping[str, Any]] | None:
    """The first key a Rest.li BATCH_GET answer reports in ``errors`` (with its error body), if any."""
    errors = body.get("errors") if isinstance(body, Mapping) else None
    if isinstance(errors, Mapping) and errors:
        key = sorted(errors, key=str)[0]
        error = errors[key]
        return str(key), error if isinstance(error, Mapping) else {"status": 500}
    return None


def as_error_response(response: requests.Response, error: Mapping[str, Any]) -> requests.Response:
    """``response`` as if LinkedIn had answered ``error`` (a BATCH_GET entry's error) with its status."""
    failed = requests.Response()
    status = error.get("status")
    failed.status_code = status if isinstance(status, int) and 400 <= status < 600 else 500
    failed._content = json.dumps(dict(error)).encode()
    failed.headers = requests.structures.CaseInsensitiveDict(response.headers)
    failed.request, failed.url, failed.encoding = response.request, response.url, "utf-8"
    return failed


# ========================================================================================================
# 4. Paging
# ========================================================================================================


def paging_did_not_advance(problem: str) -> AirbyteTracedException:
    message = f"LinkedIn's paging did not advance: {problem}. The sync stopped instead of reading on; run it again later."
    return AirbyteTracedException(
        message=message, internal_message=message, failure_type=FailureType.transient_error
    )


@dataclass
class BoundedOffsetIncrement(OffsetIncrement):
    """airbyte-cdk's OffsetIncrement (``start`` = the start asked for plus the page read, never a field of the
    answer; a short or empty page ends the partition) that never asks for a row at or past ``max_records`` and
    never more than ``max_pages`` pages.

    LinkedIn caps some finders (Company Intelligence: 100,000 rows) and answers 400 past the cap, so the last
    page before it ends the partition instead of a request that fails the sync. ``max_pages`` bounds a
    LinkedIn that keeps answering full pages (a repeated page is caught before, by ``PagingProgress``).

    Manifest fields: OffsetIncrement's ``page_size``, ``max_records`` and ``max_pages`` (optional).
    ``$parameters``: none.
    """

    max_records: int | None = None
    max_pages: int | None = None

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Any,
        last_page_token_value: Any = None,
        page_size_override: int | None = None,
        stream_slice: StreamSlice | None = None,
    ) -> Any:
        token = super().next_page_token(
            response, last_page_size, last_record, last_page_token_value, page_size_override, stream_slice
        )
        if token is None:
            return None
        if last_page_token_value is not None and int(token) <= int(last_page_token_value):
            raise paging_did_not_advance(f"the next start {token} is not past {last_page_token_value}")
        if self.max_records is not None and int(token) >= self.max_records:
            return None
        page_size = page_size_override or self.get_page_size() or 1
        if self.max_pages is not None and int(token) // page_size >= self.max_pages:
            raise paging_did_not_advance(f"more than {self.max_pages} pages of {page_size} (start {token})")
        return token


# ========================================================================================================
# 5. Organizations and discovery
# ========================================================================================================


def configured_ids(config: Mapping[str, Any], key: str, legacy_key: str | None = None) -> list[str]:
    """``config[key]`` (or ``[config[legacy_key]]`` when empty), de-duplicated, order kept."""
    ids = [str(i).strip() for i in config.get(key) or []]
    if not ids and legacy_key and config.get(legacy_key):
        ids = [str(config[legacy_key]).strip()]
    return list(dict.fromkeys(i for i in ids if i))


@dataclass
class ConfiguredIdsPartitionRouter(SubstreamPartitionRouter):
    """One partition ``{partition_key: "<id>"}`` per id the user configured, else per id the parent stream lists.

    Organizations: ``organization_ids`` (or the legacy ``org_id``), else every organization the member
    administers (``organizationAcls``). Ad accounts: ``ad_account_ids``, else every non-test account
    (``adAccounts``). Every stream routes through the same discovery and streams start concurrently, so the
    first to arrive reads the parent and the others wait for its answer: one discovery per sync.

    Manifest fields: ``ids_config_key``, ``legacy_id_config_key``, ``partition_key``, ``split_by``,
    ``nothing_to_read_message`` (when nothing is configured and discovery finds nothing) and
    ``parent_stream_configs`` (the discovery stream). ``$parameters``: none.
    """

    ids_config_key: str = "organization_ids"
    legacy_id_config_key: str | None = None
    partition_key: str = "organization_id"
    # Optional ``{key: [values]}``: one partition per id and value (e.g. the DMA edge types).
    # A CartesianProductStreamSlicer would do the same but warns about parent state on every sync.
    split_by: Mapping[str, list[str]] | None = None
    nothing_to_read_message: str = "Nothing to read: set the ids to read in the configuration."

    _discovered: ClassVar[dict[str, list[str]]] = {}
    _discovery_lock: ClassVar[threading.Lock] = threading.Lock()

    def stream_slices(self) -> Iterable[StreamSlice]:
        (key, values), *_ = (self.split_by or {None: [None]}).items()
        ids = configured_ids(self.config, self.ids_config_key, self.legacy_id_config_key) or self._discover()
        for entity_id in ids:
            for value in values:
                partition = {self.partition_key: entity_id, "parent_slice": {}}
                if key:
                    partition[key] = value
                yield StreamSlice(partition=partition, cursor_slice={})

    def _discover(self) -> list[str]:
        key = hashlib.sha256(
            repr(
                (
                    self.partition_key,
                    [parent.stream.name for parent in self.parent_stream_configs],
                    self.config.get("credentials"),
                    self.config.get("dma_credentials"),
                    self.config.get("api_base_url"),
                )
            ).encode()
        ).hexdigest()
        with ConfiguredIdsPartitionRouter._discovery_lock:
            if key not in ConfiguredIdsPartitionRouter._discovered:
                # Parent values are URNs (urn:li:organization:123) or bare ids: keep the id.
                ids = list(
                    dict.fromkeys(
                        str(value).rsplit(":", 1)[-1]
                        for parent_slice in super().stream_slices()
                        for name, value in parent_slice.partition.items()
                        if name != "parent_slice"
                    )
                )
                ConfiguredIdsPartitionRouter._discovered[key] = ids
            ids = ConfiguredIdsPartitionRouter._discovered[key]
        if not ids:
            # Nothing configured and nothing to discover: a sync that "succeeds" with no records would hide
            # it, so check and read say what to set instead.
            raise config_error(self.nothing_to_read_message)
        return ids


@dataclass
class NewPartitionsStartAtTheBeginning(StateMigration):
    """A partition the state does not know (an organization added to 'organization_ids', or newly administered)
    starts at the stream's start, not where the other organizations stopped.

    airbyte-cdk's per-partition cursor gives a partition missing from the state the global cursor, the newest
    of all partitions: the new organization would silently lose its history. Without the global cursor in
    the incoming state, it starts at ``start_date`` (or the retention floor; posts: their whole history).
    Partitions in the state keep their cursor and lookback; a state that is global only is left as it is.

    Manifest fields: none (a stream's ``state_migrations``). ``$parameters``: none.
    """

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        return (
            isinstance(stream_state, Mapping)
            and bool(stream_state.get("states"))
            and "state" in stream_state
            and not stream_state.get("use_global_cursor")
        )

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        return {key: value for key, value in stream_state.items() if key != "state"}


# ========================================================================================================
# 6. Auth: one token refresh for the whole sync
# ========================================================================================================


@dataclass
class SharedTokenOAuthAuthenticator(DeclarativeOauth2Authenticator):
    """DeclarativeOauth2Authenticator whose access token is shared by every stream of the process, and whose
    token request has a deadline and says in one line what went wrong.

    - airbyte-cdk builds one authenticator per stream, so a plain OAuthAuthenticator refreshes once per stream.
      Here the first refresh is cached by (token endpoint, client id, refresh token); every stream uses the
      process's current token, and a 401 forces one real refresh for the credential that was rejected.
    - airbyte-cdk sends the token request without a timeout: a token endpoint that accepts the connection and
      never answers hangs the sync. Here it has the request deadline and is tried a few times.
    - A token endpoint that answers a page instead of JSON gets a message, not a bare JSONDecodeError; the
      credentials and issued tokens are masked in every form they can take in output.

    Manifest fields: DeclarativeOauth2Authenticator's (``token_refresh_endpoint``, ``client_id``,
    ``client_secret``, ``refresh_token``, ``refresh_token_error_status_codes|key|values``) and
    ``request_deadline_seconds`` (interpolated). ``$parameters``: ``credentials_key``, the config key of the
    credentials (read by the manifest's interpolation).
    """

    request_deadline_seconds: str | float | None = None

    TOKEN_REQUEST_ATTEMPTS: ClassVar[int] = 3
    _cache: ClassVar[dict[str, tuple[str, AirbyteDateTime]]] = {}
    _cache_lock: ClassVar[threading.Lock] = threading.Lock()

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        super().__post_init__(parameters)
        self._deadline = float(
            InterpolatedString.create(str(self.request_deadline_seconds), parameters=parameters).eval(
                self.config
            )
            if self.request_deadline_seconds is not None
            else DEFAULT_REQUEST_DEADLINE_SECONDS
        )

    def _cache_key(self) -> str:
        raw = f"{self.get_token_refresh_endpoint()}|{self.get_client_id()}|{self.get_refresh_token()}"
        return hashlib.sha256(raw.encode()).hexdigest()

    def get_access_token(self) -> str:
        # The process's current token: another stream may have renewed it since this one last used it.
        with SharedTokenOAuthAuthenticator._cache_lock:
            cached = SharedTokenOAuthAuthenticator._cache.get(self._cache_key())
        if cached and cached[0] != self._current_access_token_or_none() and cached[1] > ab_datetime_now():
            self.access_token = cached[0]
            self.set_token_expiry_date(cached[1])
        return super().get_access_token()

    def refresh_access_token(self) -> tuple[str, AirbyteDateTime]:
        cache = SharedTokenOAuthAuthenticator._cache
        key = self._cache_key()
        rejected = self._current_access_token_or_none()
        with SharedTokenOAuthAuthenticator._cache_lock:
            cached = cache.get(key)
            if cached and cached[0] != rejected and cached[1] > ab_datetime_now():
                return cached
            token, expiry = super().refresh_access_token()
            register_secret_forms(token)
            cache[key] = (token, expiry)
            return token, expiry

    def _make_handled_request(self) -> Any:
        register_secret_forms(self.get_client_id(), self.get_client_secret(), self.get_refresh_token())
        endpoint = urlsplit(str(self.get_token_refresh_endpoint())).netloc
        session = deadline_session(self._deadline)
        failure = ""
        for attempt in range(1, self.TOKEN_REQUEST_ATTEMPTS + 1):
            try:
                response = session.post(
                    str(self.get_token_refresh_endpoint()),
                    data=self.build_refresh_request_body(),
                    headers=self.build_refresh_request_headers(),
                    params=self.build_refresh_request_query_params(),
                    timeout=(min(10.0, self._deadline), self._deadline),
                )
            except requests.exceptions.Timeout:
                failure = f"LinkedIn's token endpoint ({endpoint}) did not answer within {self._deadline:g} s"
            except requests.exceptions.ConnectionError as error:
                failure = (
                    f"LinkedIn's token endpoint ({endpoint}) could not be reached ({type(error).__name__})"
                )
            else:
                if response.status_code == 429 or response.status_code >= 500:
                    failure = f"LinkedIn's token endpoint ({endpoint}) answered HTTP {response.status_code}"
                else:
                    return self._token_answer(response, endpoint)
            time.sleep(min(2**attempt, 10))
        raise AirbyteTracedException(
            message=f"{failure}, {self.TOKEN_REQUEST_ATTEMPTS} times: the access token could not be renewed. "
            "Run the sync again later; if it persists, check the network between the connector and LinkedIn.",
            failure_type=FailureType.transient_error,
        )

    def _token_answer(self, response: requests.Response, endpoint: str) -> Any:
        """The JSON of a token answer that is not transient, or an error saying what to do."""
        self._log_response(response)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not response.ok:
            error = requests.exceptions.HTTPError(response=response)
            if isinstance(body, Mapping) and self._wrap_refresh_token_exception(error, response_content=body):
                detail = self._build_provider_error_detail(body)
                raise AirbyteTracedException(
                    message="Refresh token was rejected by the OAuth provider (invalid, expired, or already used). "
                    "Re-authenticate this source's credentials in its connection settings."
                    + (f" Provider error: {detail}" if detail else ""),
                    internal_message=f"Refresh token rejected by the OAuth token endpoint. {self._build_provider_response_info(error)}",
                    failure_type=FailureType.config_error,
                )
            raise AirbyteTracedException(
                message=f"LinkedIn's token endpoint ({endpoint}) refused to renew the access token (HTTP "
                f"{response.status_code}). Check the client id, client secret and refresh token, then re-authenticate.",
                internal_message=self._build_provider_response_info(error),
                failure_type=FailureType.config_error,
            )
        if not isinstance(body, Mapping):
            raise AirbyteTracedException(
                message=f"LinkedIn's token endpoint ({endpoint}) answered with a page that is not JSON "
                f"({response.headers.get('Content-Type', 'no content type')}): a proxy or a sign-in page stands "
                "between the connector and LinkedIn. Check 'oauth_base_url' and the network, then run the sync again.",
                failure_type=FailureType.transient_error,
            )
        return body


# ========================================================================================================
# 7. Posts and per-post statistics
# ========================================================================================================

POST_KINDS = {"urn:li:share:": "shares", "urn:li:ugcPost:": "ugcPosts"}


@dataclass
class OrganizationPostBatchRouter(GroupingPartitionRouter):
    """Batches the posts of ``posts`` into partitions of at most ``group_size``, never mixing organizations.

    airbyte-cdk's GroupingPartitionRouter batches across parent partitions, but the share statistics finder
    answers for one ``organizationalEntity`` only: a batch spanning two organizations would silently lose
    the statistics of the second. Each partition is ``{"organization_id", "shares": [...], "ugcPosts": [...]}``.

    Manifest fields: ``group_size`` and ``underlying_partition_router`` (a SubstreamPartitionRouter over
    ``posts``). ``$parameters``: none.
    """

    def stream_slices(self) -> Iterable[StreamSlice]:
        organization: str | None = None
        batch: list[str] = []
        for parent in self.underlying_partition_router.stream_slices():
            post_organization = str(parent.partition["parent_slice"]["organization_id"])
            if batch and (post_organization != organization or len(batch) == self.group_size):
                yield self._batch_slice(organization, batch)
                batch = []
            organization = post_organization
            if parent.partition["post_urn"] not in batch:
                batch.append(parent.partition["post_urn"])
        if batch:
            yield self._batch_slice(organization, batch)

    @staticmethod
    def _batch_slice(organization: str | None, posts: list[str]) -> StreamSlice:
        partition: dict[str, Any] = {"organization_id": organization, "parent_slice": {}}
        for prefix, key in POST_KINDS.items():
            partition[key] = [urn for urn in posts if urn.startswith(prefix)]
        return StreamSlice(partition=partition, cursor_slice={})


ZERO_SHARE_STATISTICS = {
    "clickCount": 0,
    "commentCount": 0,
    "engagement": 0.0,
    "impressionCount": 0,
    "likeCount": 0,
    "shareCount": 0,
    "uniqueImpressionsCount": 0,
}

_REQUESTED_POSTS = re.compile(r"(?:^|&)(shares|ugcPosts)=List\(([^)]*)\)")

_REQUESTED_ORGANIZATION = re.compile(r"(?:^|&)organizationalEntity=([^&]+)")


@dataclass
class PostStatisticsExtractor(RecordExtractor):
    """One record per requested post, with the added ``post`` field.

    LinkedIn omits the posts that had no activity from the answer ("can be assumed to have counts of 0"):
    they get a record whose every count is 0, so each post of ``posts`` has its statistics row. The posts
    asked for are read back from the request LinkedIn answered (query string, or body when tunneled).

    Manifest fields: none. ``$parameters``: none.
    """

    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[str, Any]]:
        seen: set[str] = set()
        for element in response.json().get("elements", []):
            element["post"] = element.get("share") or element.get("ugcPost")
            seen.add(element["post"])
            yield element
        query = requested_query(response.request)
        organization = _REQUESTED_ORGANIZATION.search(query)
        for match in _REQUESTED_POSTS.finditer(query):
            kind = match.group(1)[:-1]  # shares -> share, ugcPosts -> ugcPost
            for encoded in filter(None, match.group(2).split(",")):
                urn = unquote(encoded)
                if urn not in seen:
                    seen.add(urn)
                    yield {
                        "organizationalEntity": unquote(organization.group(1)) if organization else None,
                        kind: urn,
                        "post": urn,
                        "totalShareStatistics": dict(ZERO_SHARE_STATISTICS),
                    }


# ========================================================================================================
# 8. DMA page follows
# ========================================================================================================


@dataclass
class OrganizationalPageExtractor(RecordExtractor):
    """The page of the organization a ``pageEntity`` lookup (``dmaOrganizationalPageProfiles``) asked for.

    LinkedIn answers an organization without a page with no element; read as "no records" it would silently
    drop the organization's follows, so it fails with ``$parameters.no_page_message`` (``{organization}``
    filled in), which says what to change.

    Manifest fields: none. ``$parameters``: ``no_page_message``.
    """

    parameters: InitVar[Mapping[str, Any]]

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._no_page_message = (
            parameters.get("no_page_message") or "LinkedIn has no page for organization {organization}."
        )

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[str, Any]]:
        pages = [page for page in response.json().get("elements") or [] if page.get("entityUrn")]
        if not pages:
            raise config_error(
                self._no_page_message.replace("{organization}", _entity_ids(response.request)["organization"])
            )
        yield from pages[:1]


@dataclass
class OrganizationalPagePartitionRouter(SubstreamPartitionRouter):
    """One partition ``{"organization_id", "page_urn"}`` per organization, its page URN resolved once per sync.

    The DMA APIs address a page (``urn:li:organizationalPage:<page id>``), an entity with its own id. The
    parent stream (the ``pageEntity`` finder, one lookup per organization) resolves them the first time any
    DMA stream starts; the other DMA streams wait for that answer and reuse it. ``split_by`` gives one
    partition per organization and value (the follower edge types).

    Manifest fields: ``parent_stream_configs`` (the page lookup: ``parent_key: entityUrn``) and ``split_by``.
    ``$parameters``: none.
    """

    split_by: Mapping[str, list[str]] | None = None

    _resolved: ClassVar[dict[str, list[tuple[str, str]]]] = {}
    _page_owners: ClassVar[dict[str, str]] = {}  # page id -> organization id, for error messages
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def stream_slices(self) -> Iterable[StreamSlice]:
        (key, values), *_ = (self.split_by or {None: [None]}).items()
        for organization_id, page_urn in self._pages():
            for value in values:
                partition = {"organization_id": organization_id, "page_urn": page_urn}
                if key:
                    partition[key] = value
                yield StreamSlice(partition=partition, cursor_slice={})

    def _pages(self) -> list[tuple[str, str]]:
        cache_key = hashlib.sha256(
            repr((self.config.get("credentials"), self.config.get("dma_credentials"), self.config.get("api_base_url"),
                  configured_ids(self.config, "organization_ids", "org_id"))).encode()
        ).hexdigest()  # fmt: skip
        with OrganizationalPagePartitionRouter._lock:
            if cache_key not in OrganizationalPagePartitionRouter._resolved:
                pages = []
                for parent in super().stream_slices():
                    organization_id = str(parent.partition["parent_slice"]["organization_id"])
                    page_urn = str(parent.partition["page_urn"])
                    pages.append((organization_id, page_urn))
                    OrganizationalPagePartitionRouter._page_owners[page_urn.rsplit(":", 1)[-1]] = (
                        organization_id
                    )
                OrganizationalPagePartitionRouter._resolved[cache_key] = pages
            return OrganizationalPagePartitionRouter._resolved[cache_key]

    @staticmethod
    def organization_of_page(page_id: str) -> str | None:
        with OrganizationalPagePartitionRouter._lock:
            return OrganizationalPagePartitionRouter._page_owners.get(page_id)


@dataclass
class DmaCursorPagination(CursorPaginationStrategy):
    """airbyte-cdk's CursorPagination (``paginationCursor`` from ``metadata.nextPaginationCursor``, stop when it
    is absent or the page is empty, as the manifest says), plus a progress line per page.

    A DMA page takes at least a minute (LinkedIn allows one request per 60 s), so a sync of 50,000 followers
    runs close to an hour: the log says after every page how many follows were read and when the next
    request may go.

    A cursor that comes back unchanged, or more than ``max_pages`` pages, stops the sync with an error instead
    of paging forever.

    Manifest fields: CursorPagination's ``cursor_value`` and ``stop_condition``, and ``max_pages``; the
    config's ``dma_min_request_interval_seconds`` times the progress line. ``$parameters``: none.
    """

    # A bound on the pages of one partition: a LinkedIn whose cursor never ends is stopped (50,000 pages of
    # 1,000 follows, 50 million: more than any page has followers).
    max_pages: int | None = 50_000

    _follows_read: ClassVar[dict[str, int]] = {}
    _pages_read: ClassVar[dict[str, int]] = {}

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Any,
        last_page_token_value: Any = None,
        page_size_override: int | None = None,
        stream_slice: StreamSlice | None = None,
    ) -> Any:
        token = super().next_page_token(
            response, last_page_size, last_record, last_page_token_value, page_size_override, stream_slice
        )
        partition = dict(stream_slice.partition) if stream_slice else {}
        key = repr(sorted(partition.items()))
        if token is not None and token == last_page_token_value:
            DmaCursorPagination._follows_read.pop(key, None)
            raise paging_did_not_advance(f"the DMA follows cursor {token!r} came back unchanged")
        pages = DmaCursorPagination._pages_read.get(key, 0) + 1
        if token is not None and self.max_pages is not None and pages >= self.max_pages:
            raise paging_did_not_advance(f"more than {self.max_pages} pages of DMA follows")
        DmaCursorPagination._pages_read[key] = pages if token else 0
        total = DmaCursorPagination._follows_read.get(key, 0) + last_page_size
        what = f"organization {partition.get('organization_id', '?')}" + (
            f" ({partition['edge_type']})" if partition.get("edge_type") else ""
        )
        if token:
            DmaCursorPagination._follows_read[key] = total
            interval = float(self.config.get("dma_min_request_interval_seconds", 60))
            next_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=interval)
            logger.info(
                f"DMA follows of {what}: {last_page_size} on this page, {total} so far; next page request at "
                f"{next_at:%H:%M:%S} UTC (LinkedIn allows one DMA request per {interval:g} s)."
            )
        else:
            DmaCursorPagination._follows_read.pop(key, None)
            logger.info(f"DMA follows of {what}: done, {total} read.")
        return token


# ========================================================================================================
# 9. Process state
# ========================================================================================================


def reset_process_state() -> None:
    """Forget every process-wide cache (listed in the module docstring), as a new process would start."""
    API_VERSION_FALLBACK.reset()
    with _SPACED_BUDGETS_LOCK:
        _SPACED_BUDGETS.clear()
    with ConfiguredIdsPartitionRouter._discovery_lock:
        ConfiguredIdsPartitionRouter._discovered.clear()
    with SharedTokenOAuthAuthenticator._cache_lock:
        SharedTokenOAuthAuthenticator._cache.clear()
    with OrganizationalPagePartitionRouter._lock:
        OrganizationalPagePartitionRouter._resolved.clear()
        OrganizationalPagePartitionRouter._page_owners.clear()
    DmaCursorPagination._follows_read.clear()
    DmaCursorPagination._pages_read.clear()
    SYNC_REQUEST_TALLY.reset()
