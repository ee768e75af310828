"""Custom components: only what ``manifest.yaml`` cannot say. Every runtime injects this file whole, as
``source_declarative_manifest.components``, outside ``sys.modules`` (so no ``from __future__ import annotations``).
Module globals, empty at each load, hold what a sync's streams share (docs/contributing.md says why)."""

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import InitVar, dataclass, field
from itertools import groupby
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

import dpath
import requests
import requests_cache
from airbyte_cdk import AirbyteTracedException, FailureType, InterpolatedString, RecordExtractor, StreamSlice
from airbyte_cdk.sources.declarative.auth import DeclarativeOauth2Authenticator
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.declarative.partition_routers import (
    GroupingPartitionRouter,
    PartitionRouter,
    SubstreamPartitionRouter,
)
from airbyte_cdk.sources.declarative.requesters import HttpRequester
from airbyte_cdk.sources.declarative.requesters.error_handlers import DefaultErrorHandler
from airbyte_cdk.sources.declarative.requesters.paginators.strategies import CursorPaginationStrategy
from airbyte_cdk.sources.declarative.requesters.paginators.strategies.pagination_strategy import (
    PaginationStrategy,
)
from airbyte_cdk.sources.declarative.requesters.request_options import InterpolatedRequestOptionsProvider
from airbyte_cdk.sources.declarative.retrievers import SimpleRetriever
from airbyte_cdk.sources.declarative.transformations.config_transformations.config_transformation import (
    ConfigTransformation,
)
from airbyte_cdk.sources.declarative.validators import ValidationStrategy
from airbyte_cdk.sources.streams.call_rate import APIBudget, BaseCallRatePolicy, CallRateLimitHit
from airbyte_cdk.sources.streams.http import HttpClient
from airbyte_cdk.sources.streams.http.error_handlers import (
    ErrorResolution,
    JsonErrorMessageParser,
    ResponseAction,
)
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets, filter_secrets
from airbyte_cdk.utils.datetime_helpers import AirbyteDateTime, ab_datetime_now
from urllib3.exceptions import NameResolutionError

logger = logging.getLogger("airbyte")


def config_error(message: str) -> AirbyteTracedException:
    """An error the user fixes in the config: one line, shown as it is."""
    return AirbyteTracedException(
        message=message, internal_message=message, failure_type=FailureType.config_error
    )


def fail_with(message: str) -> ErrorResolution:
    return ErrorResolution(ResponseAction.FAIL, FailureType.config_error, message)


# --- Config: cleaned where it enters (spec.config_normalization_rules), checked before any stream is built ---


@dataclass
class CleanCredentials(ConfigTransformation):
    """LinkedIn's tokens, client ids and secrets hold no whitespace: what surrounds one (a token read from a
    file ends in a newline) is stripped before it reaches a header; a bare token is the access token it is."""

    def transform(self, config: MutableMapping[str, Any]) -> None:
        for key in ("credentials", "dma_credentials", "ads_credentials"):
            value = config.get(key)
            if isinstance(value, str):
                value = {"auth_method": "access_token", "access_token": value}
            if isinstance(value, Mapping):
                config[key] = {name: v.strip() if isinstance(v, str) else v for name, v in value.items()}


def canonical_id(value: Any) -> str | None:
    """An organization's or ad account's id as users paste it (``2414183``, ``" 02414183 "``,
    ``urn:li:organization:2414183``) as LinkedIn's id, ``"2414183"``; None when it is no id."""
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    match = None if isinstance(value, bool) else re.fullmatch(r"\s*(?:urn:li:[A-Za-z]+:)?0*(\d+)\s*", text)
    return match.group(1) if match else None


@dataclass
class CanonicalIds(ConfigTransformation):
    """``organization_ids``, ``ad_account_ids`` canonical, each id once; source-linkedin-pages' ``org_id`` as
    ``organization_ids`` when unset, and kept: it names whose that connector's saved state is. Stored by the CDK."""

    def transform(self, config: MutableMapping[str, Any]) -> None:
        legacy = canonical_id(config["org_id"]) if "org_id" in config else None
        if legacy:
            config["org_id"] = legacy
            config["organization_ids"] = config.get("organization_ids") or [legacy]
        for key in ("organization_ids", "ad_account_ids"):
            if isinstance(config.get(key), list):
                config[key] = list(dict.fromkeys(canonical_id(value) or value for value in config[key]))


@dataclass
class MatchesPattern(ValidationStrategy):
    """A config value matches ``pattern``, else ``message``, which never repeats the value (it may be a secret)."""

    pattern: str
    message: str

    def validate(self, value: Any) -> None:
        if value is not None and not (isinstance(value, str) and re.fullmatch(self.pattern, value)):
            raise config_error(self.message)


@dataclass
class StartDateIsAPastDay(ValidationStrategy):
    """``start_date`` is a day that has begun: the spec's pattern accepts ``2026-02-30`` and ``2999-01-01``."""

    def validate(self, value: Any) -> None:
        if value in (None, ""):  # not set: the retention window's start
            return
        try:
            day = dt.datetime.strptime(str(value)[:10], "%Y-%m-%d").date()
        except ValueError:
            raise config_error(f"start_date {value!r} is not a calendar date: use YYYY-MM-DD.") from None
        if day > dt.datetime.now(dt.UTC).date():
            raise config_error(f"start_date {value} is in the future: LinkedIn has no statistics for it yet.")


# --- State ---

MAX_EPOCH_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z, the last time airbyte-cdk can represent


@dataclass
class SavedStateGuard(StateMigration):
    """A saved state this connector cannot read is named in one line (not airbyte-cdk's "Something went wrong"); a
    cursor in the future is warned about; a partition new to the state starts at the stream's start (airbyte-cdk
    would give it the global cursor, losing its history); source-linkedin-pages' one cursor goes to its ``org_id``."""

    parameters: InitVar[Mapping[str, Any]]
    config: Mapping[str, Any] = field(default_factory=dict)
    declarative_stream: Any = None  # the stream's model, which airbyte-cdk hands a state migration

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._stream = (parameters or {}).get("name") or getattr(self.declarative_stream, "name", None) or "?"

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        cursors = self._cursors(stream_state)
        for value in cursors:
            if not re.fullmatch(r"\d{1,15}", str(value)) or int(value) > MAX_EPOCH_MS:
                raise self._unreadable(f"holds a cursor ({str(value)[:40]!r}) not in epoch milliseconds")
        if any(int(value) > time.time() * 1000 for value in cursors):
            logger.warning(
                f"The saved state of stream {self._stream} holds a cursor in the future: it reads "
                "nothing new until then. Reset the stream's state if that is not intended."
            )
        partitioned = bool(stream_state.get("states")) and not stream_state.get("use_global_cursor")
        return (partitioned and "state" in stream_state) or self._is_legacy(stream_state)

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        if not self._is_legacy(stream_state):
            return {key: value for key, value in stream_state.items() if key != "state"}
        ids = self.config.get("organization_ids") or []
        owner = self.config.get("org_id") or (ids[0] if len(ids) == 1 else None)
        if owner is None:
            logger.warning(
                f"The saved state of stream {self._stream} has one cursor for all organizations (from "
                "source-linkedin-pages) and the config does not say whose: every organization starts at start_date."
            )
        partition = {"organization_id": str(owner), "parent_slice": {}}
        return {"states": [{"partition": partition, "cursor": stream_state}]} if owner else {}

    @staticmethod
    def _is_legacy(stream_state: Mapping[str, Any]) -> bool:  # one cursor, no partitions: one organization's
        return bool(stream_state) and not {"states", "state", "use_global_cursor"} & set(stream_state)

    def _cursors(self, state: Any) -> list[Any]:
        entries = state.get("states") or [] if isinstance(state, Mapping) else None
        if not isinstance(entries, list) or not all(isinstance(entry, Mapping) for entry in entries):
            raise self._unreadable(
                "is not an object" if entries is None else "holds a partition that is not an object"
            )
        if self._is_legacy(state):
            return list(state.values())
        cursors = [state.get("state") or {}, *[entry.get("cursor") or {} for entry in entries]]
        if not all(isinstance(cursor, Mapping) for cursor in cursors):
            raise self._unreadable("holds a cursor that is not an object")
        return [value for cursor in cursors for value in cursor.values()]

    def _unreadable(self, problem: str) -> AirbyteTracedException:
        return config_error(f"The saved state of stream {self._stream} {problem}: reset the stream's state.")


# --- Transport: Rest.li 2.0 queries, query tunneling, the LinkedIn-Version in force, no redirects ---

VERSION_HEADER = "LinkedIn-Version"
MAX_QUERY_STRING_BYTES = 4096  # LinkedIn answers 414 past it: such a query goes by query tunneling instead
RESTLI_SAFE_CHARACTERS = "():,%"  # literal: the structure of tuples and lists, and the "%" of encoded URNs
_VERSION: dict[str, str] = {}  # "version": the one that replaced a sunset LinkedIn-Version, for every stream
_VERSION_LOCK = threading.Lock()
# The resources whose daily quota LinkedIn said is spent ("DAY limit for calls to this resource is reached"): until
# 00:00 UTC no request to them is answered, so none is sent again this sync.
_QUOTA_SPENT: dict[str, str] = {}


def resource_of(url: str | None) -> str:
    """The REST resource a request is for: ``socialActions`` of ``…/rest/socialActions/{urn}/comments``."""
    return urlsplit(url or "").path.partition("/rest/")[2].split("/")[0]


def older_version(rejected: str, today: dt.date) -> str | None:
    """The next version to try after LinkedIn refused ``rejected``, or None at the end of the walk. LinkedIn
    releases one every month but December, mid-month: the candidates are the 5 months before this one but
    Decembers (the walk ends within one request's retries). Older than them: sunset, try last month's; else the
    next older candidate, so the walk only goes down."""
    this_month = today.year * 12 + today.month - 1
    candidates = [month for month in range(this_month - 1, this_month - 6, -1) if month % 12 != 11]
    sent = int(rejected[:4]) * 12 + int(rejected[4:6]) - 1 if re.match(r"\d{6}", rejected) else this_month
    older = candidates[:1] if sent < candidates[-1] else [month for month in candidates if month < sent]
    return f"{older[0] // 12:04d}{older[0] % 12 + 1:02d}" if older else None


def requested_query(request: requests.PreparedRequest) -> str:
    """The query LinkedIn answered: the URL's, or the form body of a tunneled request."""
    if request.headers.get("X-HTTP-Method-Override", "").upper() == "GET":
        return request.body.decode() if isinstance(request.body, bytes) else request.body or ""
    return urlsplit(request.url or "").query


def is_a_page_of_elements(response: requests.Response) -> bool:
    """What the response cache keeps: a malformed answer, kept, would be served again to its own retry."""
    try:
        body = response.json()
    except ValueError:
        return False
    if isinstance(body, Mapping) and isinstance(body.get("results"), Mapping):  # BATCH_GET: all entries found
        return not body.get("errors")
    return isinstance(body, Mapping) and isinstance(body.get("elements"), list) and all(body["elements"])


class RestliHttpClient(HttpClient):
    """airbyte-cdk's HttpClient preparing requests as LinkedIn reads them; its session follows no redirect (a
    credential never goes to another host) and caches only well-formed pages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._session.max_redirects = 0
        if isinstance(self._session, requests_cache.CacheMixin):
            self._session.settings.filter_fn = is_a_page_of_elements

    def _create_prepared_request(self, http_method: str, url: str, **kw: Any) -> requests.PreparedRequest:
        if resource_of(url) in _QUOTA_SPENT:
            raise AirbyteTracedException(
                message=_QUOTA_SPENT[resource_of(url)], failure_type=FailureType.transient_error
            )
        headers = {**(kw.get("headers") or {}), **({VERSION_HEADER: _VERSION["version"]} if _VERSION else {})}
        query = urlencode(kw.get("params") or {}, safe=RESTLI_SAFE_CHARACTERS)
        request = self._session.prepare_request(requests.Request(http_method, url, headers, params=query))
        url, _, query = (request.url or "").partition("?")
        if http_method.upper() == "GET" and len(query) > MAX_QUERY_STRING_BYTES:  # query tunneling, in place
            request.method, request.url = "POST", url
            request.headers.update(
                {"X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded"}
            )
            request.prepare_body(data=query, files=None)
        return request


class SecretFilteringErrorMessageParser(JsonErrorMessageParser):
    """LinkedIn's error message, secrets masked (echoed bearer token; airbyte-cdk prints it unfiltered)."""

    def parse_response_error_message(self, response: requests.Response) -> str | None:
        return filter_secrets(super().parse_response_error_message(response) or "") or None


class RequestSpacing(BaseCallRatePolicy):
    """One call per ``seconds`` (+2 % and 0.1 s: LinkedIn counts calls as they arrive); APIBudget waits out the
    rest. The CDK's moving window starts an endless thread per policy; ``api_budget`` takes no interval from config."""

    def __init__(self, seconds: float) -> None:
        super().__init__(matchers=[])
        self._seconds, self._next_call, self._lock = seconds * 1.02 + 0.1, 0.0, threading.Lock()

    def try_acquire(self, request: Any, weight: int) -> None:
        with self._lock:
            wait = min(self._next_call - time.monotonic(), self._seconds)  # bounded, whatever the clock did
            if wait > 0:
                raise CallRateLimitHit(
                    "spaced", request, weight, f"1/{self._seconds:g}s", dt.timedelta(seconds=wait)
                )
            self._next_call = time.monotonic() + self._seconds

    def update(self, available_calls: int | None, call_reset_ts: dt.datetime | None) -> None:
        pass


_BUDGETS: dict[float, APIBudget] = {}
_BUDGETS_LOCK = threading.Lock()


def spaced_budget(seconds: float) -> APIBudget:
    """The call budget of every requester with this spacing (the DMA follows requests of both DMA streams)."""
    with _BUDGETS_LOCK:
        return _BUDGETS.setdefault(seconds, APIBudget(policies=[RequestSpacing(seconds)]))


@dataclass
class RestliHttpRequester(HttpRequester):
    """HttpRequester with ``RestliHttpClient`` (as in source-linkedin-ads), made at its first request (a parent
    that is never read, as the organizations' listing when ids are configured, costs no session), ``cache_responses``
    (a custom requester gets ``use_cache=None``), ``cache_name`` (a cache shared under another name), and
    ``min_request_interval_seconds``."""

    request_parameters: Mapping[str, Any] | str | None = None
    request_headers: Mapping[str, Any] | str | None = None
    cache_responses: bool = False
    cache_name: str | None = None
    min_request_interval_seconds: str | float | None = None

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self.request_options_provider = InterpolatedRequestOptionsProvider(
            request_parameters=self.request_parameters,
            request_headers=self.request_headers,
            config=self.config,
            parameters=parameters or {},
        )
        use_cache, self.use_cache = (
            self.use_cache,
            False,
        )  # the base class's own client is never used: no cache
        super().__post_init__(parameters)
        self.use_cache, self._client_lock, self._restli_client = use_cache, threading.Lock(), None

    def send_request(self, *args: Any, **kwargs: Any) -> Any:
        with self._client_lock:
            if self._restli_client is None:
                interval = InterpolatedString.create(
                    str(self.min_request_interval_seconds or 0), parameters={}
                )
                seconds = float(interval.eval(self.config) or 0)
                self._restli_client = self._http_client = RestliHttpClient(
                    name=self.cache_name or self.name,
                    logger=self.logger,
                    error_handler=self.error_handler,
                    api_budget=spaced_budget(seconds) if seconds > 0 else self.api_budget,
                    authenticator=self.get_authenticator(),
                    use_cache=bool(self.use_cache or self.cache_responses),
                    backoff_strategy=getattr(self.error_handler, "backoff_strategies", None),
                    error_message_parser=SecretFilteringErrorMessageParser(),
                    disable_retries=self.disable_retries,
                    message_repository=self.message_repository,
                    request_timeout=(self.connect_timeout_in_seconds, self.read_timeout_in_seconds),
                    use_tcp_keepalive=self.use_tcp_keepalive,
                )
        return super().send_request(*args, **kwargs)


# --- Errors: the manifest's response filters decide; here what needs the request, the config or the version ---

_ENTITY_IN_REQUEST = {
    "organization": re.compile(r"li:organization(?:Brand)?:(\d+)|/organizations/(\d+)|ids=List\(([\d,]+)\)"),
    "account": re.compile(r"urn:li:sponsoredAccount:(\d+)"),
    "page": re.compile(r"urn:li:organizationalPage:(\d+)"),
}


def name_entities(message: str, request: requests.PreparedRequest) -> str:
    """``{organization}``, ``{account}`` and ``{page}`` in ``message`` become the ids the request was about."""
    text = unquote(f"{request.url}?{requested_query(request)}")
    for name, pattern in _ENTITY_IN_REQUEST.items():
        if f"{{{name}}}" in message:
            match = pattern.search(text)
            entity = next((group for group in match.groups() if group), "?") if match else "?"
            message = message.replace(f"{{{name}}}", entity.replace(",", ", "))
    return message


def refused_redirect(response: requests.Response | None) -> str:
    answered, target = (
        urlsplit(url or "").netloc or "?"
        for url in (getattr(response, "url", ""), getattr(response, "headers", {}).get("Location"))
    )
    return (
        f"{answered} answered with a redirect to {target}: the connector never follows a redirect with your "
        "credentials. Check 'api_base_url', 'oauth_base_url' and any proxy between the connector and LinkedIn."
    )


@dataclass
class LinkedInErrorHandler(DefaultErrorHandler):
    """DefaultErrorHandler (the manifest's filters decide), plus: a 426 moves the sync to an older version; a
    redirect or an unknown host fails, naming it; a 401 with a plain access token fails at once (no refresh cures
    it; a filter cannot read the config); ``{organization}``, ``{account}``, ``{page}`` name the request's entity."""

    access_token_rejected_message: str = "LinkedIn rejected the access token: update the credentials."
    credentials_config_key: str = "credentials"
    ignored_as_empty: bool = False  # an ignored answer reads as an empty page, so paging goes on past it

    def interpret_response(self, answer: requests.Response | Exception | None) -> ErrorResolution:
        if isinstance(answer, requests.TooManyRedirects):
            return fail_with(refused_redirect(answer.response))
        if isinstance(answer, requests.ConnectionError) and any(
            isinstance(getattr(error, "reason", None), NameResolutionError) for error in answer.args
        ):
            host = urlsplit(getattr(answer.request, "url", "") or "").hostname  # no retry cures a host name
            return fail_with(f"{host} does not resolve: check 'api_base_url', the DNS and the network.")
        if isinstance(answer, requests.Response) and answer.status_code == 426:
            return self._older_version(answer)
        resolution = super().interpret_response(answer)
        oauth = (self.config.get(self.credentials_config_key) or {}).get("auth_method") == "oAuth2.0"
        if resolution.response_action == ResponseAction.REFRESH_TOKEN_THEN_RETRY and not oauth:
            return fail_with(self.access_token_rejected_message)
        if resolution.error_message and isinstance(answer, requests.Response):
            resolution.error_message = name_entities(resolution.error_message, answer.request)
        if resolution.response_action == ResponseAction.IGNORE and resolution.error_message:
            logger.warning(resolution.error_message)  # what a filter ignores is said
        if (
            resolution.response_action == ResponseAction.IGNORE
            and self.ignored_as_empty
            and answer is not None
        ):
            answer.status_code, answer._content = 200, b'{"elements": []}'  # type: ignore[union-attr]
            return ErrorResolution(ResponseAction.SUCCESS)
        if getattr(answer, "status_code", 0) == 429 and resolution.response_action == ResponseAction.FAIL:
            _QUOTA_SPENT[resource_of(answer.request.url)] = resolution.error_message or "daily quota"
        return resolution

    def _older_version(self, response: requests.Response) -> ErrorResolution:
        rejected = response.request.headers.get(VERSION_HEADER, "")
        with _VERSION_LOCK:
            replacement = _VERSION.get("version")
            if not replacement or replacement >= rejected[:6]:  # else another request has already moved on
                replacement = older_version(rejected, dt.datetime.now(dt.UTC).date())
                if replacement:
                    _VERSION["version"] = replacement
                    logger.warning(
                        f"LinkedIn no longer serves API version {rejected} (HTTP 426): this sync tries "
                        f"{replacement}. Set 'linkedin_api_version' to a version LinkedIn supports."
                    )
        if replacement is None:
            return fail_with(
                f"LinkedIn refused API version {rejected} and the newer ones tried before it (HTTP 426): "
                "set 'linkedin_api_version' to a current version from LinkedIn's versioning page."
            )
        response.request.headers[VERSION_HEADER] = replacement  # the retry resends this very request
        return ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, f"{rejected} is sunset")


# --- Paging ---


@dataclass
class AdvancingCursorPagination(CursorPaginationStrategy):
    """airbyte-cdk's CursorPagination, failing loudly when LinkedIn hands back the page token it was just asked
    with: paging that does not advance would read the same page forever."""

    def next_page_token(self, response: requests.Response, *args: Any, **kwargs: Any) -> Any:
        token = super().next_page_token(response, *args, **kwargs)
        sent = args[2] if len(args) > 2 else kwargs.get("last_page_token_value")
        if token is not None and sent is not None and str(token) == str(sent):
            raise AirbyteTracedException(
                message=f"LinkedIn's paging did not advance ({urlsplit(response.url).path} sent the page token "
                f"{str(token)[:40]} again): the sync stopped instead of reading one page forever. Run it again later.",
                failure_type=FailureType.transient_error,
            )
        return token


# --- Auth: one token refresh per credential and sync, with a timeout, never redirected ---

TOKEN_REQUEST_TIMEOUT_SECONDS = (10.0, 60.0)  # (connect, read): airbyte-cdk's own token request has none
TOKEN_REQUEST_ATTEMPTS = 3
_TOKENS: dict[tuple[str, str, str], tuple[str, AirbyteDateTime]] = {}
_TOKENS_LOCK = threading.Lock()


@dataclass
class SharedTokenOAuthAuthenticator(DeclarativeOauth2Authenticator):
    """DeclarativeOauth2Authenticator whose token serves every stream (the CDK builds one per stream, each would
    refresh); a rejected token is renewed once. The token request has a timeout, follows no redirect."""

    def refresh_access_token(self) -> tuple[str, AirbyteDateTime]:
        key = (str(self.get_token_refresh_endpoint()), self.get_client_id(), str(self.get_refresh_token()))
        try:
            held = self.access_token
        except ValueError:  # none yet
            held = None
        with _TOKENS_LOCK:
            cached = _TOKENS.get(key)
            if not cached or cached[0] == held or cached[1] <= ab_datetime_now():
                answer = self._request_token()
                add_to_secrets(answer["access_token"])
                expiry = ab_datetime_now() + dt.timedelta(seconds=int(answer.get("expires_in") or 3600))
                cached = _TOKENS[key] = (answer["access_token"], expiry)
            return cached

    def _request_token(self) -> Mapping[str, Any]:
        endpoint = str(self.get_token_refresh_endpoint())
        host, failure = urlsplit(endpoint).netloc, ""
        for attempt in range(TOKEN_REQUEST_ATTEMPTS):
            time.sleep(2**attempt - 1)
            try:
                response = requests.post(
                    endpoint,
                    data=self.build_refresh_request_body(),
                    headers=self.build_refresh_request_headers(),
                    timeout=TOKEN_REQUEST_TIMEOUT_SECONDS,
                    allow_redirects=False,
                )
                body = response.json() if response.content.strip().startswith(b"{") else None
            except (requests.RequestException, ValueError) as error:
                failure = (
                    f"did not answer within {TOKEN_REQUEST_TIMEOUT_SECONDS[1]:g} s"
                    if isinstance(error, requests.Timeout)
                    else f"could not be reached or answered garbage ({type(error).__name__})"
                )
                continue
            if 300 <= response.status_code < 400:
                raise config_error(refused_redirect(response))
            error = (body or {}).get("error")
            if 400 <= response.status_code < 500 and response.status_code != 429:
                raise config_error(
                    f"LinkedIn's token endpoint ({host}) refused to renew the access token (HTTP {response.status_code}"
                    f"{', ' + error if re.fullmatch(r'[a-z_]{1,40}', str(error)) else ''}): the client id, client secret or refresh "
                    "token is wrong, expired or revoked. Re-authenticate the source."
                )
            if response.ok and isinstance((body or {}).get("access_token"), str):
                return body  # type: ignore[return-value]
            failure = f"answered HTTP {response.status_code} without a token (a proxy's or a sign-in page?)"
        raise AirbyteTracedException(
            message=f"LinkedIn's token endpoint ({host}) {failure}, {TOKEN_REQUEST_ATTEMPTS} times: the access token "
            "could not be renewed. Run the sync again later; if it persists, check 'oauth_base_url' and the network.",
            failure_type=FailureType.transient_error,
        )


# --- Partitions: the configured ids, and posts batched per organization ---


class PlainPartitionRouter(PartitionRouter):
    """A partition router that adds nothing to requests: its partitions are read by interpolation."""

    def get_request_params(self, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    get_request_headers = get_request_body_data = get_request_body_json = get_request_params

    def get_stream_state(self) -> Mapping[str, Any] | None:
        return getattr(self, "_state", None)


@dataclass
class ConfiguredIdsPartitionRouter(PlainPartitionRouter):
    """A partition ``{partition_key: "<id>", "parent_slice": {}}`` (the keys of users' states) per id in
    ``ids_config_key``, else per ``id_path`` of what ``requester`` lists (cached: one discovery a sync), by
    ``start``/``count``, or by LinkedIn's page tokens with ``page_token``; test ad accounts are skipped. A requester,
    not a parent stream: built for every stream, it costs nothing where ids are configured."""

    requester: HttpRequester
    config: Mapping[str, Any]
    id_path: str
    ids_config_key: str = "organization_ids"
    partition_key: str = "organization_id"
    page_token: bool = False
    nothing_to_read_message: str = "Nothing to read: set the ids to read in the configuration."

    def stream_slices(self) -> Iterable[StreamSlice]:
        ids = [str(value) for value in self.config.get(self.ids_config_key) or []] or self._discover()
        for entity_id in dict.fromkeys(ids):
            yield StreamSlice(partition={self.partition_key: entity_id, "parent_slice": {}}, cursor_slice={})

    def _discover(self) -> list[str]:
        found, page, sent = [], {"pageSize" if self.page_token else "count": 100}, set()
        while str(page) not in sent:
            sent.add(str(page))
            response = self.requester.send_request(
                stream_slice=StreamSlice(partition={}, cursor_slice={}), request_params=page
            )
            body = response.json() if response is not None else {}
            elements = body.get("elements") or []
            found += [dpath.get(e, self.id_path, default=None) for e in elements if not e.get("test")]
            if self.page_token and (token := (body.get("metadata") or {}).get("nextPageToken")) and elements:
                page = {"pageToken": token, "pageSize": 100}
            elif not self.page_token and len(elements) == 100:
                page = {
                    "start": (body.get("paging") or {}).get("start", page.get("start", 0)) + 100,
                    "count": 100,
                }
            else:
                break
        ids = [canonical_id(str(value).rsplit(":", 1)[-1]) for value in found if value is not None]
        if not ids:
            raise config_error(self.nothing_to_read_message)
        return [i for i in ids if i]


POST_KINDS = {"urn:li:share:": "shares", "urn:li:ugcPost:": "ugcPosts"}


@dataclass
class OrganizationPostBatchRouter(GroupingPartitionRouter):
    """Posts in batches of at most ``group_size``, one organization each (share statistics answer for one entity):
    partition ``{"organization_id", "first_post"}``, the posts in ``extra_fields`` (manifest.yaml's post_batches)."""

    def stream_slices(self) -> Iterable[StreamSlice]:
        listing = self.underlying_partition_router.stream_slices()  # one organization after the other
        for organization, posts in groupby(listing, lambda p: p.partition["parent_slice"]["organization_id"]):
            modified = {post.partition["post_urn"]: post.extra_fields.get("lastModifiedAt") for post in posts}
            urns = list(modified)
            self._state = self.underlying_partition_router.get_stream_state()  # the listing's, as the CDK's
            for start in range(0, len(urns), self.group_size):
                batch = urns[start : start + self.group_size]  # first_post: unique even if interleaved
                partition = {"organization_id": str(organization), "first_post": batch[0], "parent_slice": {}}
                posts = {key: [u for u in batch if u.startswith(p)] for p, key in POST_KINDS.items()}
                posts["modified"] = {urn: modified[urn] for urn in batch}
                yield StreamSlice(partition=partition, cursor_slice={}, extra_fields=posts)


# --- Comments: each post's thread read whole; a backfill that anything stops goes on where it stopped ---


def comment_urn(element: Any) -> str | None:
    return (element.get("commentUrn") or element.get("$URN")) if isinstance(element, Mapping) else None


def epoch_ms(value: Any) -> int:
    return int(value) if isinstance(value, int | float) or str(value).isdigit() else 0


@dataclass
class CompletedPostsToProgress(StateMigration):
    """post_comments' saved state for the next sync: the posts airbyte-cdk saved as read whole (a partition whose
    cursor left its start, "0": it saves every partition begun, and moves a cursor when one ends) join the progress
    ``progress_stream`` hands the router; the stream itself starts with none."""

    progress_stream: str = "comment_progress"

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        return bool(stream_state.get("states") or stream_state.get("use_global_cursor"))

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        parents = dict(stream_state.get("parent_state") or {})
        saved = (parents.get(self.progress_stream) or {}).get("states") or []
        read = [
            s
            for s in stream_state.get("states") or []
            if epoch_ms((s.get("cursor") or {}).get("lastModifiedAt"))
        ]
        parents[self.progress_stream] = {"states": [*saved, *read]}
        return {**stream_state, "states": [], "use_global_cursor": False, "parent_state": parents}


@dataclass
class CommentBackfillRouter(PlainPartitionRouter):
    """A partition per post with comments (``underlying_partition_router``) that no sync read whole, each
    organization's oldest-modified first, then those modified within ``lookback_days`` again. What earlier syncs read
    comes from ``progress_router``'s never-read parent, to which airbyte-cdk hands this router's state: per
    organization, the post up to which every post was read (as of each partition: airbyte-cdk keeps the state of
    the last one that ended with every earlier one), and the posts read whole beyond it."""

    underlying_partition_router: PartitionRouter
    progress_router: SubstreamPartitionRouter
    config: Mapping[str, Any]
    lookback_days: str = "30"
    quota_resource: str = "socialActions"

    def stream_slices(self) -> Iterable[StreamSlice]:
        holder = self.progress_router.parent_stream_configs[0].stream
        self._name, saved, done = holder.name, {}, {}
        for entry in (holder.cursor.state or {}).get("states") or []:
            partition, cursor = entry.get("partition") or {}, entry.get("cursor") or {}
            if partition.get("post"):
                done[partition["post"]] = entry
            elif partition.get("organization_id"):
                saved[str(partition["organization_id"])] = epoch_ms(cursor.get("lastModifiedAt"))
        self._marks, self._kept = dict(saved), {org: [] for org in saved}
        for entry in done.values():  # until the listing says when each was modified, each is kept
            self._kept.setdefault(str(entry["partition"].get("organization_id")), []).append((0, entry))
        self._state = self._report()  # what earlier syncs saved, until the listing is read
        days = float(InterpolatedString.create(self.lookback_days, parameters={}).eval(self.config))
        recent, new, again = (time.time() - days * 86_400) * 1000, [], []
        for org, posts in groupby(self.underlying_partition_router.stream_slices(), _organization_of):
            mark, kept, first, unread = saved.get(org, -1), [], None, []
            for post in sorted(posts, key=lambda p: (_modified(p), _post(p))):
                modified, known = _modified(post), _post(post) in done
                if known or 0 < modified <= saved.get(org, -1):  # read by an earlier sync
                    again += [[org, post, None]] if modified > recent else []
                    kept += [(modified, done[_post(post)])] if known else []
                    mark = max(mark, modified)
                elif (
                    modified
                ):  # the watermark before it (a tie is read again) is the one after the post before
                    cut = min(mark, modified - 1)
                    first = cut if not unread else first
                    if unread:
                        unread[-1][2] = cut
                    unread.append([org, post, None])
                    mark = modified
                else:  # no modification time: read, and never under a watermark
                    new.append([org, post, None])
            if unread:
                unread[-1][2] = mark
            self._marks[org], self._kept[org], new = mark if first is None else first, kept, new + unread
        self._state = self._report()
        logger.info(
            f"post_comments: the comments of {len(new)} posts no sync read whole, then {len(again)} again"
        )
        for org, post, mark in new + again:
            if self.quota_resource in _QUOTA_SPENT:  # the posts left are the next sync's
                return
            if mark is not None:
                self._marks[org] = mark
                self._state = self._report()
            summary = post.extra_fields.get("commentSummary")
            count, top = (
                (summary.get("count"), summary.get("topLevelCount"))
                if isinstance(summary, Mapping)
                else (0, 0)
            )
            replies = count - top if isinstance(count, int) and isinstance(top, int) else -1  # unknown: -1
            partition = {"post": _post(post), "organization_id": org}
            yield StreamSlice(partition=partition, cursor_slice={}, extra_fields={"replies": replies})

    def _report(self) -> Mapping[str, Any]:
        """The watermarks, and the posts read whole beyond them (or without a modification time)."""
        states = [
            {
                "partition": {"organization_id": org, "parent_slice": {}},
                "cursor": {"lastModifiedAt": str(mark)},
            }
            for org, mark in self._marks.items()
            if mark >= 0
        ]
        beyond = [
            entry for org, kept in self._kept.items() for m, entry in kept if not m or m > self._marks[org]
        ]
        return {self._name: {"states": [*states, *beyond]}}


def _organization_of(post: StreamSlice) -> str:
    return str(post.partition["parent_slice"]["organization_id"])


def _post(post: StreamSlice) -> str:
    return str(post.partition["post"])


def _modified(post: StreamSlice) -> int:
    return epoch_ms(post.extra_fields.get("lastModifiedAt"))


@dataclass
class CommentThreadPagination(PaginationStrategy):
    """A post's thread as one partition: its comments page by page, then the replies of each comment that may have
    some (its commentsSummary says so; without one, each in turn while the post's socialMetadata counts replies not
    read yet: the slice's ``replies``). A listing ends on an empty page, or when ``paging.total`` or ``paging.links``
    say so, never on a short one (LinkedIn documents no cap); a page served again for another start fails."""

    parameters: InitVar[Mapping[str, Any]]

    @property
    def initial_token(self) -> Any:
        return None

    def get_page_size(self) -> None:
        return None

    def next_page_token(
        self,
        response: requests.Response,
        last_page_size: int,
        last_record: Any,
        last_page_token_value: Any = None,
        page_size_override: int | None = None,
        stream_slice: StreamSlice | None = None,
    ) -> Any:
        body, token = response.json(), dict(last_page_token_value or {"start": 0, "pending": [], "seen": []})
        token.setdefault("left", (stream_slice.extra_fields if stream_slice else {}).get("replies", -1))
        listed = body.get("elements") or []
        elements = [e for e in listed if isinstance(e, Mapping)]
        if token.get(
            "target"
        ):  # replies: once as many as socialMetadata counts are read, no comment has more
            token["left"] -= len(elements) if token["left"] > 0 else 0
        else:
            found = [comment_urn(e) for e in elements if may_have_replies(e, token["left"])]
            token["pending"] = [*token["pending"], *filter(None, found)]
        if (first := comment_urn(elements[0]) if elements else None) in token["seen"]:
            raise AirbyteTracedException(
                message=f"LinkedIn's comment paging did not advance ({urlsplit(response.url).path} served a page it "
                "had served for another start): the sync stopped instead of reading it forever. Run it again later.",
                failure_type=FailureType.transient_error,
            )
        paging = body.get("paging") if isinstance(body.get("paging"), Mapping) else {}
        total, links = (
            paging.get("total"),
            paging.get("links") if isinstance(paging.get("links"), list) else [],
        )
        last = isinstance(total, int) and token["start"] + len(listed) >= total
        if listed and not (last or (links and all(link.get("rel") != "next" for link in links))):
            return {**token, "start": token["start"] + len(listed), "seen": [*token["seen"], first]}
        pending = token["pending"] if token["left"] != 0 else []
        if not pending:
            return None
        return {"target": pending[0], "start": 0, "pending": pending[1:], "seen": [], "left": token["left"]}


def may_have_replies(comment: Mapping[str, Any], replies_on_post: int) -> bool:
    summary = comment.get("commentsSummary")
    count = summary.get("aggregatedTotalComments") if isinstance(summary, Mapping) else None
    return count > 0 if isinstance(count, int) else replies_on_post != 0


@dataclass
class CommentsExtractor(RecordExtractor):
    """A page's comments; a reply without ``parentComment`` gets the comment its request named (LinkedIn's samples
    do not settle whether replies carry it). What is not a comment (null, a string) is left out."""

    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[str, Any]]:
        target = unquote(urlsplit(response.request.url).path.rsplit("/", 2)[-2])
        for element in filter(lambda e: isinstance(e, Mapping), response.json().get("elements") or []):
            reply = target.startswith("urn:li:comment:") and not element.get("parentComment")
            yield {**element, "parentComment": target} if reply else element


# --- Facet names ---

STAFF_COUNT_RANGE = re.compile(
    r"SIZE_(\d+)(?:_TO_(\d+)|(_OR_MORE))?"
)  # SIZE_1, SIZE_11_TO_50, SIZE_10001_OR_MORE


@dataclass
class FacetValueBatchRouter(GroupingPartitionRouter):
    """The distinct facet values the parents emit (``urn``) as partitions ``{facet, resource, ids, batch}``:
    ``resources`` maps a URN type to the standardized-data resource naming it and whether it has BATCH_GET (then
    ``group_size`` ids a request; else one GET_ALL, the ids to keep). Staff-count ranges: no resource."""

    resources: Mapping[str, list[Any]] = field(default_factory=dict)

    def stream_slices(self) -> Iterable[StreamSlice]:
        found: dict[str, dict[str, None]] = {kind: {} for kind in [*self.resources, "staffCountRange"]}
        for parent in self.underlying_partition_router.stream_slices():
            value = str(parent.partition.get("urn"))
            kind, _, entity_id = value.removeprefix("urn:li:").partition(":")
            if kind in self.resources and entity_id.isascii() and entity_id.isdigit():
                found[kind][entity_id] = None
            elif STAFF_COUNT_RANGE.fullmatch(value):
                found["staffCountRange"][value] = None
        for kind, ids in found.items():
            resource, batch = self.resources.get(kind) or ["", False]
            size = (self.group_size if batch else len(ids)) or 1
            for start in range(0, len(ids), size):
                chunk = ",".join(list(ids)[start : start + size])
                partition = {
                    "facet": kind,
                    "resource": resource,
                    "ids": chunk,
                    "batch": "true" if batch else "",
                }
                yield StreamSlice(partition=partition, cursor_slice={})


@dataclass
class FacetNamesRetriever(SimpleRetriever):
    """SimpleRetriever; a partition without a resource (staff-count ranges, enums no LinkedIn resource names) is
    named without a request, by its bounds: ``SIZE_11_TO_50`` is "11-50", ``SIZE_10001_OR_MORE`` "10001+"."""

    def read_records(self, records_schema: Mapping[str, Any], stream_slice: StreamSlice | None = None) -> Any:
        partition = stream_slice.partition if stream_slice else {}
        if partition.get("resource"):
            yield from super().read_records(records_schema, stream_slice)
            return
        for value in filter(None, str(partition.get("ids") or "").split(",")):
            low, high, more = STAFF_COUNT_RANGE.fullmatch(value).groups()  # type: ignore[union-attr]
            name = f"{low}-{high}" if high else low + "+" * bool(more)
            yield {"facet": partition["facet"], "urn": value, "name": name}


@dataclass
class NamedValuesExtractor(RecordExtractor):
    """The values of a standardized-data answer: a BATCH_GET's ``results``, or a GET_ALL page's ``elements``."""

    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[str, Any]]:
        body = response.json()
        results = body.get("results")
        yield from results.values() if isinstance(results, Mapping) else body.get("elements") or []


# --- Records ---

_COUNTS = "clickCount commentCount impressionCount likeCount shareCount uniqueImpressionsCount".split()
ZERO_SHARE_STATISTICS = {**dict.fromkeys(_COUNTS, 0), "engagement": 0.0}
_REQUESTED_POSTS = re.compile(r"(?:^|&)(shares|ugcPosts)=List\(([^)]*)\)")


@dataclass
class PostStatisticsExtractor(RecordExtractor):
    """One record per requested post (read back from the request, its body when tunneled): LinkedIn omits those
    without activity ("can be assumed to have counts of 0"), so each gets a record whose every count is 0."""

    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[str, Any]]:
        elements = response.json().get("elements") or []
        yield from elements
        seen = {element.get("share") or element.get("ugcPost") for element in elements}
        for match in _REQUESTED_POSTS.finditer(requested_query(response.request)):
            kind = match.group(1)[:-1]  # shares -> share, ugcPosts -> ugcPost
            for urn in dict.fromkeys(unquote(encoded) for encoded in match.group(2).split(",") if encoded):
                if urn not in seen:
                    yield {kind: urn, "totalShareStatistics": dict(ZERO_SHARE_STATISTICS)}


@dataclass
class FacetRowsExtractor(RecordExtractor):
    """A lifetime statistics answer as a long table: a record per facet value, with the element's strings (its
    organization), ``facet`` (``followerCountsBySeniority``...) and ``value`` (the row's first string: URN, enum)."""

    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[str, Any]]:
        for element in response.json().get("elements") or []:
            entity = {key: value for key, value in element.items() if isinstance(value, str)}
            for facet, rows in element.items():
                for row in rows if isinstance(rows, list) else []:
                    value = next((v for v in row.values() if isinstance(v, str)), None)
                    yield {**entity, **row, "facet": facet, "value": value}
