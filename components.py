"""Custom components: what manifest.yaml cannot say (docs/contributing.md: why each). Injected whole, outside
sys.modules: no ``from __future__``. Module globals, empty at each load, hold what a sync's streams share."""

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import InitVar, dataclass, field
from itertools import groupby
from typing import Any, ClassVar
from urllib.parse import unquote, urlencode, urlsplit

import airbyte_cdk as cdk
import requests
import requests_cache
import urllib3
from airbyte_cdk import AirbyteTracedException, FailureType, InterpolatedString, RecordExtractor, StreamSlice
from airbyte_cdk.sources.declarative.migrations.state_migration import StateMigration
from airbyte_cdk.sources.declarative.models import declarative_component_schema as models
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import ModelToComponentFactory
from airbyte_cdk.sources.declarative.partition_routers import GroupingPartitionRouter, PartitionRouter
from airbyte_cdk.sources.declarative.requesters.error_handlers import DefaultErrorHandler
from airbyte_cdk.sources.declarative.transformations.config_transformations import config_transformation
from airbyte_cdk.sources.declarative.validators import ValidationStrategy
from airbyte_cdk.sources.streams.call_rate import APIBudget
from airbyte_cdk.sources.streams.http import HttpClient
from airbyte_cdk.sources.streams.http.error_handlers.response_models import ErrorResolution, ResponseAction
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets, filter_secrets
from airbyte_cdk.utils.datetime_helpers import AirbyteDateTime, ab_datetime_now

logger = logging.getLogger("airbyte")
RETRY, FAIL, IGNORE = ResponseAction.RETRY, ResponseAction.FAIL, ResponseAction.IGNORE


def user_error(message: str, failure: FailureType = FailureType.config_error) -> AirbyteTracedException:
    """An error shown as it is, in one line: a config error unless ``failure`` says otherwise."""
    return AirbyteTracedException(message, message, failure_type=failure)


# Config: cleaned where it enters (spec.config_normalization_rules), checked before any stream is built.
class CleanCredentials(config_transformation.ConfigTransformation):
    """Credentials stripped of surrounding whitespace (a token file's newline); a bare token: access token."""

    def transform(self, config: MutableMapping[str, Any]) -> None:
        for key in ("credentials", "dma_credentials", "ads_credentials"):
            if isinstance(value := config.get(key), str):  # a bare token
                value = {"auth_method": "access_token", "access_token": value}
            if isinstance(value, Mapping):
                config[key] = {name: v.strip() if isinstance(v, str) else v for name, v in value.items()}


def canonical_id(value: Any, kind: str = "[A-Za-z]+") -> str | None:
    """An id as users paste it (``" 02414183 "``, ``urn:li:organization:2414183``) as LinkedIn's."""
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    match = None if isinstance(value, bool) else re.fullmatch(rf"\s*(?:urn:li:{kind}:)?0*(\d+)\s*", text)
    return match.group(1) if match else None


class CanonicalIds(config_transformation.ConfigTransformation):
    """Configured ids canonical, each once; source-linkedin-pages' ``org_id`` (kept) as organization_ids."""

    def transform(self, config: MutableMapping[str, Any]) -> None:
        legacy = canonical_id(config["org_id"], "organization") if "org_id" in config else None
        if legacy:  # kept: it names whose that connector's saved state is
            config["org_id"] = legacy
            config["organization_ids"] = config.get("organization_ids") or [legacy]
        kinds = {"organization_ids": "organization", "ad_account_ids": "sponsoredAccount"}
        for key, kind in {**kinds, "showcase_page_ids": "organizationBrand"}.items():
            if isinstance(config.get(key), list):  # another kind's URN stays: the spec's pattern refuses it
                config[key] = list(dict.fromkeys(canonical_id(value, kind) or value for value in config[key]))


@dataclass
class MatchesPattern(ValidationStrategy):
    """A config value matches ``pattern``, else ``message``, which never repeats it (it may be a secret)."""

    pattern: str
    message: str

    def validate(self, value: Any) -> None:
        if value is not None and not (isinstance(value, str) and re.fullmatch(self.pattern, value)):
            raise user_error(self.message)


class StartDateIsAPastDay(ValidationStrategy):
    """``start_date`` is a day that has begun (the spec's pattern accepts 2026-02-30 and 2999-01-01)."""

    def validate(self, value: Any) -> None:
        try:
            day = dt.datetime.strptime(str(value)[:10], "%Y-%m-%d").date() if value else None
        except ValueError:
            raise user_error(f"start_date {value!r} is not a calendar date: use YYYY-MM-DD.") from None
        if day and day > dt.datetime.now(dt.UTC).date():
            raise user_error(f"start_date {value} is in the future: LinkedIn has no statistics for it yet.")


MAX_EPOCH_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z, the last time airbyte-cdk can represent
PARTITIONED = {"states", "state", "use_global_cursor"}


@dataclass
class SavedStateGuard(StateMigration):
    """A saved state it cannot read fails naming its stream; a partition new to it starts anew, not at it."""

    parameters: InitVar[Mapping[str, Any]]
    declarative_stream: Any = None  # the stream's model, which airbyte-cdk hands a state migration

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        self._stream = (parameters or {}).get("name") or getattr(self.declarative_stream, "name", None) or "?"
        self._retention_days = int((parameters or {}).get("retention_days") or 0)

    def should_migrate(self, state: Mapping[str, Any]) -> bool:
        unreadable = f"The saved state of stream {self._stream} holds {{}}: reset the stream's state."
        try:  # objects all the way down to the cursors' values
            entries = [entry.get("cursor") or {} for entry in state.get("states") or []]
            legacy = not PARTITIONED & set(state)  # source-linkedin-pages': one cursor, whose it does not say
            cursors = [state] if legacy else [state.get("state") or {}, *entries]
            values = [value for cursor in cursors for value in cursor.values()]
        except (AttributeError, TypeError):
            raise user_error(unreadable.format("a partition or a cursor that is not an object")) from None
        for value in values:
            if not re.fullmatch(r"\d{1,15}", str(value)) or int(value) > MAX_EPOCH_MS:
                raise user_error(unreadable.format(f"a cursor ({value!r:.40}) not in epoch milliseconds"))
        if any(int(value) > time.time() * 1000 for value in values):  # kept, as Airbyte's tests want
            logger.warning(f"{self._stream}: a saved cursor is in the future; reset the stream to read on")
        oldest, days = min(map(int, values), default=0), self._retention_days  # LinkedIn keeps `days` days
        if days and 0 < oldest < (time.time() - days * 86_400) * 1000:
            logger.warning(f"{self._stream}: read last over {days} days ago; what came between may be lost")
        return legacy or bool(state.get("states")) and not state.get("use_global_cursor") and "state" in state

    def migrate(self, state: Mapping[str, Any]) -> Mapping[str, Any]:  # a legacy state: every one starts anew
        return {k: value for k, value in state.items() if k != "state"} if PARTITIONED & set(state) else {}


# Transport: Rest.li 2.0 queries, query tunneling, the LinkedIn-Version in force, no redirects.
VERSION_HEADER = "LinkedIn-Version"
MAX_QUERY_STRING_BYTES = 4096  # LinkedIn answers 414 past it: such a query goes by query tunneling instead
RESTLI_SAFE_CHARACTERS = "():,%"  # literal: the structure of tuples and lists, and the "%" of encoded URNs
_VERSION: dict[str, str] = {}  # "version": the one that replaced a sunset LinkedIn-Version, for every stream
_VERSION_LOCK = threading.Lock()
_QUOTA_SPENT: dict[str, str] = {}  # resource: LinkedIn's word that its daily quota is spent until 00:00 UTC


def resource_of(url: str | None) -> str:  # the resource: socialActions of …/rest/socialActions/{urn}/…
    return urlsplit(url or "").path.partition("/rest/")[2].split("/")[0]


def older_version(rejected: str, today: dt.date) -> str | None:
    """The version to try after LinkedIn refused ``rejected`` (None: no more), among the 5 months before."""
    this_month = today.year * 12 + today.month - 1
    candidates = [month for month in range(this_month - 1, this_month - 6, -1) if month % 12 != 11]
    sent = int(rejected[:4]) * 12 + int(rejected[4:6]) - 1 if re.match(r"\d{6}", rejected) else this_month
    older = candidates[:1] if sent < candidates[-1] else [month for month in candidates if month < sent]
    return f"{older[0] // 12:04d}{older[0] % 12 + 1:02d}" if older else None


def requested_query(request: requests.PreparedRequest) -> str:  # the URL's, or a tunneled request's body
    if request.headers.get("X-HTTP-Method-Override", "").upper() == "GET":
        return request.body.decode() if isinstance(request.body, bytes) else request.body or ""
    return urlsplit(request.url or "").query


MAX_ANSWER_SECONDS, MAX_ANSWER_BYTES = 300, 128 * 2**20  # LinkedIn's largest answers: a few MB, in seconds


def read_answer_whole(answer: requests.Response, **kwargs: Any) -> requests.Response:
    """The body, decoded, within MAX_ANSWER_SECONDS and MAX_ANSWER_BYTES: no trickle or gzip bomb holds on."""
    deadline, body, host = time.monotonic() + MAX_ANSWER_SECONDS, bytearray(), urlsplit(answer.url).netloc
    try:
        while chunk := answer.raw.read1(2**16, decode_content=True):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES or time.monotonic() > deadline:
                raise requests.ConnectionError(f"{host}: an answer over {MAX_ANSWER_BYTES >> 20} MB or 300 s")
    except urllib3.exceptions.HTTPError as error:  # as requests would have raised it
        raise requests.ConnectionError(error) from None
    answer._content, answer._content_consumed = answer._content or bytes(body), True  # cached: read already
    answer.raw.release_conn()  # the connection back to its pool, as requests' own reading does
    return answer


class RestliHttpClient(HttpClient):
    """airbyte-cdk's HttpClient, preparing requests as LinkedIn reads them, following no redirect."""

    @classmethod
    def adopt(cls, client: HttpClient) -> HttpClient:  # the one airbyte-cdk's HttpRequester built
        client.__class__, parser = cls, client._error_message_parser
        parse = parser.parse_response_error_message  # LinkedIn's messages may echo the bearer token: masked
        parser.parse_response_error_message = lambda answer: filter_secrets(parse(answer) or "") or None
        client._session.max_redirects, client._session.hooks["response"] = 0, [read_answer_whole]
        if isinstance(client._session, requests_cache.CacheMixin):
            client._session.settings.filter_fn = cls.is_a_page_of_elements
        return client

    @staticmethod
    def is_a_page_of_elements(response: requests.Response) -> bool:
        """What the response cache keeps: a malformed answer, kept, would be served again to its own retry."""
        try:
            results, elements = (body := response.json()).get("results"), body.get("elements")
        except (ValueError, AttributeError):  # no JSON object
            return False
        if isinstance(results, Mapping):  # BATCH_GET: every key found
            return bool(results) and not body.get("errors")
        return isinstance(elements, list) and all(isinstance(e, Mapping) and e for e in elements)

    def _create_prepared_request(self, http_method: str, url: str, **kw: Any) -> requests.PreparedRequest:
        if resource_of(url) in _QUOTA_SPENT:
            raise user_error(_QUOTA_SPENT[resource_of(url)], FailureType.transient_error)
        headers = {**(kw.get("headers") or {}), **({VERSION_HEADER: _VERSION["version"]} if _VERSION else {})}
        query = urlencode(kw.get("params") or {}, safe=RESTLI_SAFE_CHARACTERS)
        asked = requests.Request(http_method, url, headers, data=kw.get("data"), params=query)  # data: a form
        request = self._session.prepare_request(asked)
        url, _, query = (request.url or "").partition("?")
        if http_method.upper() == "GET" and len(query) > MAX_QUERY_STRING_BYTES:  # query tunneling, in place
            request.method, request.url = "POST", url
            request.headers["X-HTTP-Method-Override"] = "GET"
            request.headers["Content-Type"] = "application/x-www-form-urlencoded"
            request.prepare_body(data=query, files=None)
        return request


class RequestSpacing(APIBudget):
    """One call per ``seconds`` (+2 % and 0.1 s: LinkedIn counts them as they arrive), the others waiting."""

    def __init__(self, seconds: float) -> None:
        super().__init__(policies=[])
        self._seconds, self._next_call, self._lock = seconds * 1.02 + 0.1, 0.0, threading.Lock()

    def acquire_call(self, request: Any, block: bool = True, timeout: float | None = None) -> None:
        with self._lock:  # bounded, whatever the clock did
            time.sleep(max(0.0, min(self._next_call - time.monotonic(), self._seconds)))
            self._next_call = time.monotonic() + self._seconds


@dataclass
class RestliHttpRequester(cdk.HttpRequester):
    """HttpRequester with RestliHttpClient and ``cache_responses``, ``cache_name``, a request interval."""

    request_parameters: Mapping[str, Any] | str | None = None
    request_headers: Mapping[str, Any] | str | None = None
    query_properties_key: str | None = None  # the parameter airbyte-cdk's QueryProperties fills
    cache_responses: bool = False  # airbyte-cdk hands a custom requester use_cache=None
    cache_name: str | None = None  # a cache shared by requesters of other names
    min_request_interval_seconds: str | float | None = None
    spacings: ClassVar[dict[float, APIBudget]] = {}  # one per spacing: the DMA follows of both DMA streams

    def __post_init__(self, parameters: Mapping[str, Any]) -> None:
        keys = ("request_parameters", "request_headers", "query_properties_key")  # airbyte-cdk builds it
        self.request_options_provider = {k: getattr(self, k) for k in keys} | {"parameters": parameters or {}}
        interval = InterpolatedString.create(str(self.min_request_interval_seconds or 0), parameters={})
        if (seconds := float(interval.eval(self.config) or 0)) > 0:
            self.api_budget = self.spacings.setdefault(seconds, RequestSpacing(seconds))
        self.use_cache, self.name = bool(self.use_cache or self.cache_responses), self.cache_name or self.name
        super().__post_init__(parameters)
        RestliHttpClient.adopt(self._http_client)


# Errors: the manifest's response filters decide; here what needs the request, the config or the version.
@dataclass
class LinkedInErrorHandler(DefaultErrorHandler):
    """DefaultErrorHandler (the manifest's filters decide), and what needs the request, config or version."""

    access_token_rejected_message: str = "LinkedIn rejected the access token: update the credentials."
    credentials_config_key: str = "credentials"
    ignored_as_empty: bool = False  # an ignored answer reads as an empty page, so paging goes on past it
    entities_in_request: Mapping[str, str] = field(default_factory=dict)  # {organization}: its pattern

    def interpret_response(self, answer: requests.Response | Exception | None) -> ErrorResolution:
        host = urlsplit(getattr(getattr(answer, "request", None), "url", "") or "").netloc
        if isinstance(answer, requests.TooManyRedirects):  # the session follows none: credentials stay here
            target = urlsplit(getattr(answer.response, "headers", {}).get("Location") or "").netloc
            message = f"{host} answered with a redirect to {target}, which credentials never follow: check"
            return ErrorResolution(FAIL, FailureType.config_error, f"{message} the base URLs and any proxy.")
        if isinstance(answer, requests.Timeout):
            return ErrorResolution(RETRY, FailureType.transient_error, f"{host} did not answer in time")
        if isinstance(answer, requests.Response) and answer.status_code == 426:
            return self._older_version(answer)
        resolution = super().interpret_response(answer)
        action, message = resolution.response_action, resolution.error_message
        oauth = (self.config.get(self.credentials_config_key) or {}).get("auth_method") == "oAuth2.0"
        if action == ResponseAction.REFRESH_TOKEN_THEN_RETRY and not oauth:  # no refresh cures it
            return ErrorResolution(FAIL, FailureType.config_error, self.access_token_rejected_message)
        if message and isinstance(answer, requests.Response):  # {organization}: the ids the request was about
            text = unquote(f"{answer.request.url}?{requested_query(answer.request)}")
            for name, pattern in self.entities_in_request.items():
                found = re.search(pattern, text) if f"{{{name}}}" in message else None
                entity = next((group for group in found.groups() if group), "?") if found else "?"
                message = resolution.error_message = message.replace(f"{{{name}}}", entity.replace(",", ", "))
        if action in (IGNORE, ResponseAction.SUCCESS) and message:
            logger.warning(message)  # what a filter ignores or skips is said
        if action == IGNORE and self.ignored_as_empty and answer is not None:
            answer.status_code, answer._content = 200, b'{"elements": []}'  # type: ignore[union-attr]
            return ErrorResolution(ResponseAction.SUCCESS)
        if getattr(answer, "status_code", 0) == 429 and action == FAIL:
            _QUOTA_SPENT[resource_of(answer.request.url)] = message or "quota"  # type: ignore[union-attr]
        return resolution

    def _older_version(self, response: requests.Response) -> ErrorResolution:
        rejected, today = response.request.headers.get(VERSION_HEADER, ""), dt.datetime.now(dt.UTC).date()
        with _VERSION_LOCK:  # unless another request has moved on already, the next older version
            current = _VERSION.get("version")
            replacement = current if current and current < rejected[:6] else older_version(rejected, today)
            if replacement and replacement != current:
                _VERSION["version"] = replacement
                message = f"LinkedIn no longer serves API version {rejected} (HTTP 426): this sync tries"
                logger.warning(f"{message} {replacement}: set 'linkedin_api_version' to one LinkedIn serves.")
        if replacement is None:
            message = f"LinkedIn refused API version {rejected} and the newer ones tried before it (HTTP 426)"
            return ErrorResolution(FAIL, FailureType.config_error, f"{message}: set 'linkedin_api_version'.")
        response.request.headers[VERSION_HEADER] = replacement  # the retry resends this very request
        return ErrorResolution(RETRY, FailureType.transient_error, f"{rejected} is sunset")


def paging_did_not_advance(url: str, what: str) -> AirbyteTracedException:
    message = f"LinkedIn's paging did not advance ({urlsplit(url).path} {what}): the sync stopped instead of"
    return user_error(f"{message} reading one page forever. Run it again later.", FailureType.transient_error)


class AdvancingCursorPagination(cdk.CursorPaginationStrategy):
    """CursorPagination failing on a page token sent back or a page served again (``paging.start`` echoes)."""

    seen: ClassVar[threading.local] = threading.local()  # the pages of each thread's listing (one at a time)

    def next_page_token(self, response: requests.Response, *args: Any, **kwargs: Any) -> Any:
        token = super().next_page_token(response, *args, **kwargs)
        sent = args[2] if len(args) > 2 else kwargs.get("last_page_token_value")
        self.seen.pages = pages = getattr(self.seen, "pages", set()) if sent is not None else set()
        page = hash(repr(response.json().get("elements")))
        if token is not None and (str(token) == str(sent) or page in pages):
            raise paging_did_not_advance(response.url, f"served a page or token ({str(token)[:40]}) again")
        pages.add(page)
        return token


_TOKENS: dict[tuple[str, ...], tuple[str, AirbyteDateTime]] = {}  # credential: its token this sync
_TOKENS_LOCK = threading.Lock()


@dataclass
class SharedTokenOAuthAuthenticator(cdk.DeclarativeOauth2Authenticator):
    """DeclarativeOauth2Authenticator whose token, asked by ``token_requester`` when needed, serves all."""

    token_requester: Mapping[str, Any] = field(default_factory=dict)

    def refresh_access_token(self) -> tuple[str, AirbyteDateTime]:
        key = (str(self.get_token_refresh_endpoint()), self.get_client_id(), self.get_client_secret())
        key += (str(self.get_refresh_token()),)  # the secret too: one app's token never serves a wrong one
        with _TOKENS_LOCK:
            cached = _TOKENS.get(key)
            if not cached or cached[0] == self._access_token or cached[1] <= ab_datetime_now():  # else new
                body, headers = self.build_refresh_request_body(), self.build_refresh_request_headers()
                model, build = {"type": "CustomRequester", **self.token_requester}, ModelToComponentFactory()
                endpoint = build.create_component(models.CustomRequester, model, self.config)
                answer = endpoint.send_request(request_headers=headers, request_body_data=body).json()
                add_to_secrets(answer["access_token"])
                expiry = ab_datetime_now() + dt.timedelta(seconds=int(answer.get("expires_in") or 3600))
                cached = _TOKENS[key] = (answer["access_token"], expiry)
            return cached


# A partition router adding nothing to requests: its partitions are read by interpolation.
class PlainPartitionRouter(PartitionRouter):
    def get_request_params(self, *args: Any, **kwargs: Any) -> Mapping[str, Any]:
        return {}

    get_request_headers = get_request_body_data = get_request_body_json = get_request_params

    def get_stream_state(self) -> Mapping[str, Any] | None:
        return getattr(self, "_state", None)


@dataclass
class ConfiguredIdsPartitionRouter(PlainPartitionRouter):
    """A partition per configured id, else per id the ``listing`` (a SubstreamPartitionRouter) lists."""

    listing: cdk.SubstreamPartitionRouter  # its partitions' `listed`: an id or a URN (never another kind's)
    config: Mapping[str, Any]
    ids_config_key: str = "organization_ids"
    partition_key: str = "organization_id"
    nothing_to_read_message: str = "Nothing to read: set the ids to read in the configuration."
    off_config_key: str = ""  # a config value that, set, turns these partitions off (a text: said)

    def stream_slices(self) -> Iterable[StreamSlice]:  # a brand's URN is no organization's
        if off := self.config.get(self.off_config_key or "-"):
            return logger.warning(off) if isinstance(off, str) else None
        listed = (canonical_id(p.partition["listed"], "organization") for p in self.listing.stream_slices())
        ids = [str(i) for i in self.config.get(self.ids_config_key) or []] or [i for i in listed if i]
        if not ids:
            raise user_error(self.nothing_to_read_message)
        for entity_id in dict.fromkeys(ids):
            yield StreamSlice(partition={self.partition_key: entity_id, "parent_slice": {}}, cursor_slice={})


@dataclass
class ChainedPartitionRouter(PlainPartitionRouter):
    """Each router's partitions in turn (share statistics: the organizations', then their showcase pages')."""

    routers: list[PartitionRouter]

    def stream_slices(self) -> Iterable[StreamSlice]:
        for router in self.routers:
            yield from router.stream_slices()


POST_KINDS = {"urn:li:share:": "shares", "urn:li:ugcPost:": "ugcPosts"}


class OrganizationPostBatchRouter(GroupingPartitionRouter):
    """Posts in batches of ``group_size``, one organization each: share statistics answer for one entity."""

    def stream_slices(self) -> Iterable[StreamSlice]:
        listing = self.underlying_partition_router.stream_slices()  # one organization after the other
        for organization, posts in groupby(listing, lambda p: p.partition["parent_slice"]["organization_id"]):
            modified = {post.partition["post_urn"]: post.extra_fields.get("lastModifiedAt") for post in posts}
            self._state = self.underlying_partition_router.get_stream_state()  # the listing's, as the CDK's
            for start in range(0, len(modified), self.group_size):
                batch = list(modified)[start : start + self.group_size]  # batch[0]: a unique key
                partition = {"organization_id": str(organization), "first_post": batch[0], "parent_slice": {}}
                posts = {key: [u for u in batch if u.startswith(p)] for p, key in POST_KINDS.items()}
                posts["modified"] = {urn: modified[urn] for urn in batch}  # in extra_fields: not in every key
                yield StreamSlice(partition=partition, cursor_slice={}, extra_fields=posts)


# Comments: each post's thread read whole; a backfill that anything stops goes on where it stopped.
def epoch_ms(value: Any) -> int:
    return int(value) if isinstance(value, int | float) or str(value).isdigit() else 0


@dataclass
class CompletedPostsToProgress(StateMigration):
    """post_comments' saved state: posts read whole join the progress ``progress_stream`` hands the router."""

    progress_stream: str = "comment_progress"

    def should_migrate(self, stream_state: Mapping[str, Any]) -> bool:
        return bool(stream_state.get("states") or stream_state.get("use_global_cursor"))

    def migrate(self, stream_state: Mapping[str, Any]) -> Mapping[str, Any]:
        parents = dict(stream_state.get("parent_state") or {})
        saved = (parents.get(self.progress_stream) or {}).get("states") or []
        entries = stream_state.get("states") or []
        read = [s for s in entries if epoch_ms((s.get("cursor") or {}).get("lastModifiedAt"))]
        parents[self.progress_stream] = {"states": [*saved, *read]}  # cursor "0": begun, never ended
        return {**stream_state, "states": [], "use_global_cursor": False, "parent_state": parents}


@dataclass
class CommentBackfillRouter(PlainPartitionRouter):
    """A partition per post with comments no sync read whole, oldest first, then the recent ones again."""

    underlying_partition_router: Any
    progress_router: cdk.SubstreamPartitionRouter
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
        listing = self.underlying_partition_router.stream_slices()
        for org, posts in groupby(listing, lambda p: str(p.partition["parent_slice"]["organization_id"])):
            mark, kept, first, unread = saved.get(org, -1), [], None, []
            posts = [(epoch_ms(p.extra_fields.get("lastModifiedAt")), p.partition["post"], p) for p in posts]
            for modified, urn, post in sorted(posts, key=lambda p: p[:2]):
                if urn in done or 0 < modified <= saved.get(org, -1):  # read by an earlier sync
                    again += [[org, post, None]] if modified > recent else []
                    kept += [(modified, done[urn])] if urn in done else []
                    mark = max(mark, modified)
                elif modified:  # the watermark before it: the one after the post before (a tie is read again)
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
        logger.info(f"post_comments: the comments of {len(new)} posts to read, then {len(again)} again")
        for org, post, mark in new + again:
            if self.quota_resource in _QUOTA_SPENT:  # the posts left are the next sync's
                return
            if mark is not None:
                self._marks[org] = mark
                self._state = self._report()
            summary = post.extra_fields.get("commentSummary")
            summary = summary if isinstance(summary, Mapping) else {"count": 0, "topLevelCount": 0}
            count, top = summary.get("count"), summary.get("topLevelCount")
            replies = count - top if isinstance(count, int) and isinstance(top, int) else -1  # unknown: -1
            partition = {"post": str(post.partition["post"]), "organization_id": org}
            yield StreamSlice(partition=partition, cursor_slice={}, extra_fields={"replies": replies})

    def _report(self) -> Mapping[str, Any]:
        """The watermarks, and the posts read whole beyond them (or without a modification time)."""
        marks = [({"organization_id": org, "parent_slice": {}}, mark) for org, mark in self._marks.items()]
        states = [{"partition": p, "cursor": {"lastModifiedAt": str(mark)}} for p, mark in marks if mark >= 0]
        kept = self._kept.items()
        beyond = [entry for org, entries in kept for m, entry in entries if not m or m > self._marks[org]]
        return {self._name: {"states": [*states, *beyond]}}


@dataclass
class CommentThreadPagination(cdk.PaginationStrategy):
    """A post's thread as one partition: its comments page by page, then the replies of those with some."""

    parameters: InitVar[Mapping[str, Any]]
    initial_token = None

    def get_page_size(self) -> None:
        return None

    @staticmethod
    def urn_of(element: Any) -> str | None:
        return (element.get("commentUrn") or element.get("$URN")) if isinstance(element, Mapping) else None

    def next_page_token(self, response: requests.Response, *args: Any, **kwargs: Any) -> Any:
        sent, comment_urn = args[2] if len(args) > 2 else kwargs.get("last_page_token_value"), self.urn_of
        body, token = response.json(), dict(sent or {"start": 0, "pending": [], "seen": []})
        token.setdefault("left", getattr(kwargs.get("stream_slice"), "extra_fields", {}).get("replies", -1))
        listed = body.get("elements") or []
        elements = [e for e in listed if isinstance(e, Mapping)]
        if token.get("target"):  # replies: once as many as socialMetadata counts are read, none has more
            token["left"] -= len(elements) if token["left"] > 0 else 0
        for element in [] if token.get("target") else elements:  # comments: those that may have replies
            summary = element.get("commentsSummary")
            count = summary.get("aggregatedTotalComments") if isinstance(summary, Mapping) else None
            if (count > 0 if isinstance(count, int) else token["left"] != 0) and comment_urn(element):
                token["pending"] = [*token["pending"], comment_urn(element)]
        if (first := comment_urn(elements[0]) if elements else None) in token["seen"]:
            raise paging_did_not_advance(response.url, "served a page it had served for another start")
        paging = body.get("paging") if isinstance(body.get("paging"), Mapping) else {}
        total, links = paging.get("total"), paging.get("links")
        last = isinstance(total, int) and token["start"] + len(listed) >= total  # not a short page: no cap
        if isinstance(links, list) and links and all(link.get("rel") != "next" for link in links):
            last = True
        if listed and not last:
            return {**token, "start": token["start"] + len(listed), "seen": [*token["seen"], first]}
        if not (pending := token["pending"] if token["left"] != 0 else []):
            return None
        return {"target": pending[0], "start": 0, "pending": pending[1:], "seen": [], "left": token["left"]}


@dataclass
class CommentsExtractor(RecordExtractor):
    """A page's comments (objects only); a reply without ``parentComment`` gets the one it was asked of."""

    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[str, Any]]:
        target = unquote(urlsplit(response.request.url).path.rsplit("/", 2)[-2])
        for element in filter(lambda e: isinstance(e, Mapping), response.json().get("elements") or []):
            reply = target.startswith("urn:li:comment:") and not element.get("parentComment")
            yield {**element, "parentComment": target} if reply else element


# Facet names: the values the demographics name, batched per standardized-data resource.
STAFF_COUNT_RANGE = re.compile(r"SIZE_\d+(_TO_\d+|_OR_MORE)?")  # SIZE_1, SIZE_11_TO_50, SIZE_10001_OR_MORE


@dataclass
class FacetValueBatchRouter(GroupingPartitionRouter):
    """The distinct facet values the parents emit (``urn``) as partitions {facet, resource, ids, batch}."""

    resources: Mapping[str, list[Any]] = field(default_factory=dict)  # URN type: [resource, has BATCH_GET]

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
            size, batch = (self.group_size if batch else len(ids)) or 1, "true" if batch else ""  # GET_ALL: 1
            for start in range(0, len(ids), size):
                chunk = ",".join(list(ids)[start : start + size])
                partition = {"facet": kind, "resource": resource, "ids": chunk, "batch": batch}
                yield StreamSlice(partition=partition, cursor_slice={})


class FacetNamesRetriever(cdk.SimpleRetriever):
    """SimpleRetriever naming staff-count ranges with no request: ``SIZE_11_TO_50`` is "11-50"."""

    def read_records(self, records_schema: Mapping[str, Any], stream_slice: StreamSlice | None = None) -> Any:
        if (partition := stream_slice.partition if stream_slice else {}).get("resource"):
            yield from super().read_records(records_schema, stream_slice)
        for value in [] if partition.get("resource") else filter(None, str(partition.get("ids")).split(",")):
            name = value.removeprefix("SIZE_").replace("_TO_", "-").replace("_OR_MORE", "+")
            yield {"facet": partition["facet"], "urn": value, "name": name}


_COUNTS = "clickCount commentCount impressionCount likeCount shareCount uniqueImpressionsCount".split()
ZERO_SHARE_STATISTICS = {**dict.fromkeys(_COUNTS, 0), "engagement": 0.0}
_REQUESTED_POSTS = re.compile(r"(?:^|&)(shares|ugcPosts)=List\(([^)]*)\)")


@dataclass
class PostStatisticsExtractor(RecordExtractor):
    """A record per requested post: those LinkedIn omits (no activity: "counts of 0") with every count 0."""

    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[str, Any]]:
        yield from (elements := response.json().get("elements") or [])
        seen = {element.get("share") or element.get("ugcPost") for element in elements}
        for match in _REQUESTED_POSTS.finditer(requested_query(response.request)):  # the body when tunneled
            kind = match.group(1)[:-1]  # shares -> share, ugcPosts -> ugcPost
            for urn in dict.fromkeys(unquote(encoded) for encoded in match.group(2).split(",") if encoded):
                if urn not in seen:
                    yield {kind: urn, "totalShareStatistics": dict(ZERO_SHARE_STATISTICS)}


@dataclass
class FacetRowsExtractor(RecordExtractor):
    """A lifetime statistics answer as a long table: a record per facet value with ``facet`` and ``value``."""

    parameters: InitVar[Mapping[str, Any]]

    def extract_records(self, response: requests.Response) -> Iterable[MutableMapping[str, Any]]:
        for element in filter(lambda e: isinstance(e, Mapping), response.json().get("elements") or []):
            entity = {key: value for key, value in element.items() if isinstance(value, str)}  # its org
            for facet, rows in element.items():  # (an object, as totalPageStatistics, is no facet)
                for row in rows if isinstance(rows, list) else []:
                    strings = row.items() if isinstance(row, Mapping) else []  # the value: a URN or an enum
                    value = next((v for k, v in strings if isinstance(v, str) and k not in entity), None)
                    if value is None:  # no row without its value: it is in the primary key
                        logger.warning(f"{facet}: a row with no facet value was skipped: {str(row):.80}")
                    else:
                        yield {**row, **entity, "facet": facet, "value": value}
