"""A LinkedIn REST API emulator: a real HTTP server on loopback that enforces what LinkedIn documents.

It serves the endpoints the connector calls, with the rules a lax client would trip on: the active
``LinkedIn-Version`` window (426), the Rest.li 2.0 header and syntax (400/403), the 4 KB query limit (414) and
query tunneling, time-window rules (whole buckets, 2-day lag, 12-month retention), page-size limits, the DMA
one-request-per-interval limit (429), bearer tokens issued by its own token endpoint, and switchable faults.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import random
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from linkedin_emulator.data import DAY_MS, Dataset, day_start_ms, ms_to_date
from linkedin_emulator.restli import RestliSyntaxError, RestliUnpermittedFieldError, parse_query

MAX_QUERY_STRING_BYTES = 4096
FAULT_KINDS = ("429", "500", "502", "503", "504", "html", "badjson", "drop", "slow")


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str = "", service_error_code: int = 0) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.service_error_code = (
            status,
            message,
            code,
            service_error_code,
        )

    def body(self) -> dict:
        body: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.code:
            body["code"] = self.code
        if self.service_error_code:
            body["serviceErrorCode"] = self.service_error_code
        return body


@dataclass
class EmulatorSettings:
    """Everything a test, the demo or the benchmark may switch. Mutable at run time via POST /_emulator/settings."""

    client_id: str = "emulator-client-id"
    client_secret: str = "emulator-client-secret"
    refresh_token: str = "emulator-refresh-token"
    static_access_tokens: list[str] = field(default_factory=lambda: ["emulator-access-token"])
    administered_organizations: list[int] | None = None  # None: every organization of the dataset
    denied_scopes: list[str] = field(default_factory=list)  # e.g. ["r_dma_admin_pages_content"]
    company_intelligence_access: bool = True
    token_expires_after_calls: int | None = None  # an issued token answers 401 after this many API calls
    fault_rate: float = 0.0
    fault_kinds: list[str] = field(default_factory=lambda: list(FAULT_KINDS))
    fault_seed: int = 1
    slow_seconds: float = 2.0
    latency_ms: float = 0.0
    dma_interval_seconds: float = 60.0
    min_version: str | None = None  # oldest active LinkedIn-Version; default: 12 months before today
    max_version: str | None = None  # newest released version; default: this month
    today: str | None = None  # ISO date; default: the real UTC date


SCOPE_OF_ENDPOINT = {
    "posts": "r_organization_social",
    "dmaOrganizationalPageFollows": "r_dma_admin_pages_content",
    "accountIntelligence": "r_ads_reporting",
    "adAccounts": "r_ads",
}


class Emulator:
    """Owns the dataset, the settings, the issued tokens and the request statistics; runs the server."""

    def __init__(self, dataset: Dataset | None = None, settings: EmulatorSettings | None = None) -> None:
        self.dataset = dataset or Dataset()
        self.settings = settings or EmulatorSettings()
        self._lock = threading.Lock()
        self._tokens: dict[str, int] = {}  # issued access token -> API calls made with it
        self._dma_last_request = 0.0
        self._fault_rng = random.Random(self.settings.fault_seed)
        self.stats: Counter[str] = Counter()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> Emulator:
        emulator = self

        class Handler(_Handler):
            pass

        Handler.emulator = emulator
        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="linkedin-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Emulator:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server, "emulator not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def connector_config(self, **overrides: Any) -> dict[str, Any]:
        """A connector config that points at this emulator with OAuth credentials it accepts."""
        config: dict[str, Any] = {
            "credentials": {
                "auth_method": "oAuth2.0",
                "client_id": self.settings.client_id,
                "client_secret": self.settings.client_secret,
                "refresh_token": self.settings.refresh_token,
            },
            "api_base_url": self.url,
            "oauth_base_url": self.url,
            "dma_min_request_interval_seconds": self.settings.dma_interval_seconds,
        }
        config.update(overrides)
        return config

    def update_settings(self, **changes: Any) -> None:
        with self._lock:
            for key, value in changes.items():
                if not hasattr(self.settings, key):
                    raise KeyError(f"unknown emulator setting {key!r}")
                setattr(self.settings, key, value)
            if "fault_seed" in changes:
                self._fault_rng = random.Random(self.settings.fault_seed)

    # ------------------------------------------------------------------------------------------------
    # Time and versions
    # ------------------------------------------------------------------------------------------------
    def today(self) -> dt.date:
        return (
            dt.date.fromisoformat(self.settings.today)
            if self.settings.today
            else dt.datetime.now(dt.UTC).date()
        )

    def active_versions(self) -> tuple[str, str]:
        today = self.today()
        newest = self.settings.max_version or f"{today.year:04d}{today.month:02d}"
        month = today.year * 12 + today.month - 1 - 12
        oldest = self.settings.min_version or f"{month // 12:04d}{month % 12 + 1:02d}"
        return oldest, newest

    # ------------------------------------------------------------------------------------------------
    # Request pipeline
    # ------------------------------------------------------------------------------------------------
    def draw_fault(self) -> str | None:
        with self._lock:
            if self.settings.fault_rate and self._fault_rng.random() < self.settings.fault_rate:
                kind = self._fault_rng.choice(self.settings.fault_kinds)
                self.stats[f"fault {kind}"] += 1
                return kind
        return None

    def authenticate(self, authorization: str | None) -> None:
        token = (authorization or "").removeprefix("Bearer ").strip()
        if not token:
            raise ApiError(401, "Empty oauth2 access token", "EMPTY_ACCESS_TOKEN", 65604)
        with self._lock:
            if token in self.settings.static_access_tokens:
                return
            if token not in self._tokens:
                raise ApiError(401, "Invalid access token", "INVALID_ACCESS_TOKEN", 65600)
            self._tokens[token] += 1
            limit = self.settings.token_expires_after_calls
            if limit is not None and self._tokens[token] > limit:
                raise ApiError(
                    401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN", 65601
                )

    def check_version(self, version: str | None) -> None:
        if not version:
            raise ApiError(
                400,
                "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
                "VERSION_MISSING",
            )
        if not re.fullmatch(r"20\d{4}(\d{2})?", version):
            raise ApiError(400, f"Invalid version {version}", "INVALID_VERSION")
        oldest, newest = self.active_versions()
        if not oldest <= version[:6] <= newest:
            raise ApiError(426, f"Requested version {version} is not active", "NONEXISTENT_VERSION")

    def issue_token(self, form: dict[str, str]) -> dict:
        if form.get("grant_type") != "refresh_token":
            raise ApiError(400, "invalid grant_type", "invalid_request")
        if (
            form.get("client_id") != self.settings.client_id
            or form.get("client_secret") != self.settings.client_secret
        ):
            raise ApiError(401, "Client authentication failed", "invalid_client")
        if form.get("refresh_token") != self.settings.refresh_token:
            raise ApiError(
                400,
                "The provided authorization grant or refresh token is invalid, expired or revoked",
                "invalid_grant",
            )
        token = "AQV" + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = 0
            self.stats["token issued"] += 1
        return {
            "access_token": token,
            "expires_in": 5_184_000,
            "refresh_token": self.settings.refresh_token,
            "refresh_token_expires_in": 31_536_000,
        }

    def require_scope(self, resource: str) -> None:
        scope = SCOPE_OF_ENDPOINT.get(resource, "rw_organization_admin")
        if scope in self.settings.denied_scopes:
            raise ApiError(
                403,
                f"Not enough permissions to access: {resource}.GET.{self.active_versions()[1]}",
                "ACCESS_DENIED",
                100,
            )

    def administered(self, org_id: int) -> bool:
        allowed = self.settings.administered_organizations
        return allowed is None or org_id in allowed

    def organization_from_urn(self, urn: Any, prefix: str = "urn:li:organization:") -> Any:
        if not isinstance(urn, str) or not urn.startswith(prefix):
            raise ApiError(400, f"Invalid URN {urn!r}: expected {prefix}<id>", "INVALID_PARAM")
        org = self.dataset.organization(
            int(urn.removeprefix(prefix)) if urn.removeprefix(prefix).isdigit() else -1
        )
        if org is None:
            raise ApiError(404, f"Could not find entity {urn}", "NOT_FOUND")
        if not self.administered(org.id):
            raise ApiError(
                403,
                f"Not enough permissions to access {urn}: member is not an ADMINISTRATOR",
                "ACCESS_DENIED",
                100,
            )
        return org

    # ------------------------------------------------------------------------------------------------
    # Endpoints
    # ------------------------------------------------------------------------------------------------
    def route(self, path: str, params: dict[str, Any]) -> dict:
        parts = path.removeprefix("/rest/").split("/")
        resource = parts[0]
        self.require_scope(resource)
        handler: Callable[..., dict] | None = getattr(self, f"_rest_{resource}", None)
        if handler is None:
            raise ApiError(404, f"No resource {resource}", "NOT_FOUND")
        return handler(params, *[unquote(p) for p in parts[1:]])

    def _rest_organizationAcls(self, params: dict) -> dict:  # noqa: N802 - LinkedIn's resource names
        _require(params, q="roleAssignee")
        orgs = [o for o in self.dataset.organizations if self.administered(o.id)]
        elements = [
            {"organization": o.urn, "role": params.get("role", "ADMINISTRATOR"), "roleAssignee": "urn:li:person:emulator",
             "state": params.get("state", "APPROVED")}
            for o in orgs
        ]  # fmt: skip
        return _page(elements, params, max_count=100)

    def _rest_organizations(self, params: dict, org_id: str = "") -> dict:
        return self.dataset.organization_resource(self.organization_from_urn(f"urn:li:organization:{org_id}"))

    def _rest_networkSizes(self, params: dict, urn: str = "") -> dict:  # noqa: N802
        _require(params, edgeType="COMPANY_FOLLOWED_BY_MEMBER")
        org = self.organization_from_urn(urn)
        return {"firstDegreeSize": self.dataset.total_followers(org, self.today())}

    def _rest_organizationalEntityFollowerStatistics(self, params: dict) -> dict:  # noqa: N802
        _require(params, q="organizationalEntity")
        org = self.organization_from_urn(params.get("organizationalEntity"))
        if "timeIntervals" not in params:
            return {
                "elements": [self.dataset.follower_facets(org)],
                "paging": {"count": 10, "start": 0, "links": []},
            }
        buckets = self._buckets(params["timeIntervals"], ("DAY", "WEEK", "MONTH"))
        elements = []
        for start, end in buckets:
            gains = [self.dataset.follower_gain(org, day) for day in _days(start, end)]
            elements.append(
                {
                    "timeRange": {"start": start, "end": end},
                    "organizationalEntity": org.urn,
                    "followerGains": {
                        k: sum(g[k] for g in gains) for k in ("organicFollowerGain", "paidFollowerGain")
                    },
                }
            )
        return {"elements": elements, "paging": {"count": 10, "start": 0, "links": []}}

    def _rest_organizationalEntityShareStatistics(self, params: dict) -> dict:  # noqa: N802
        _require(params, q="organizationalEntity")
        org = self.organization_from_urn(params.get("organizationalEntity"))
        if "shares" in params or "ugcPosts" in params:
            return self._post_statistics(org, params)
        if "timeIntervals" not in params:
            return {
                "elements": [self.dataset.share_lifetime(org, self.today())],
                "paging": {"count": 10, "start": 0},
            }
        elements = []
        for start, end in self._buckets(params["timeIntervals"], ("DAY", "MONTH")):
            days = [self.dataset.share_day(org, day) for day in _days(start, end)]
            totals = {k: sum(d[k] for d in days) for k in days[0] if k != "engagement"}
            engaged = (
                totals["clickCount"] + totals["likeCount"] + totals["commentCount"] + totals["shareCount"]
            )
            totals["engagement"] = engaged / totals["impressionCount"] if totals["impressionCount"] else 0.0
            elements.append(
                {
                    "timeRange": {"start": start, "end": end},
                    "organizationalEntity": org.urn,
                    "totalShareStatistics": totals,
                }
            )
        return {"elements": elements, "paging": {"count": 10, "start": 0}}

    def _post_statistics(self, org: Any, params: dict) -> dict:
        if "timeIntervals" in params:
            raise ApiError(400, "timeIntervals cannot be combined with shares or ugcPosts", "INVALID_PARAM")
        requested = []
        for key, prefix in (("shares", "urn:li:share:"), ("ugcPosts", "urn:li:ugcPost:")):
            value = params.get(key, [])
            if not isinstance(value, list):
                raise ApiError(400, f"Invalid {key} parameter: expected List(...)", "INVALID_PARAM")
            for urn in value:
                if not isinstance(urn, str) or not urn.startswith(prefix):
                    raise ApiError(
                        400, f"Invalid {key} parameter: {urn!r} is not a {prefix}<id> URN", "INVALID_PARAM"
                    )
                requested.append((key, urn))
        own = {p["id"] for p in self.dataset.posts(org)}
        elements = []
        for key, urn in requested:
            stats = self.dataset.post_statistics(org, urn) if urn in own else None
            if stats is not None:  # posts with no activity are omitted, as LinkedIn omits them
                elements.append(
                    {"organizationalEntity": org.urn, key[:-1]: urn, "totalShareStatistics": stats}
                )
        with self._lock:
            self.stats["post statistics posts requested"] += len(requested)
        return {"elements": elements, "paging": {"count": 10, "start": 0, "links": []}}

    def _rest_organizationPageStatistics(self, params: dict) -> dict:  # noqa: N802
        _require(params, q="organization")
        org = self.organization_from_urn(params.get("organization"))
        if "timeIntervals" not in params:
            return {"elements": [self.dataset.page_lifetime(org)], "paging": {"count": 10, "start": 0}}
        elements = []
        for start, end in self._buckets(params["timeIntervals"], ("DAY", "MONTH")):
            days = [self.dataset.page_day(org, day) for day in _days(start, end)]
            views: dict[str, dict] = {}
            for d in days:
                for key, value in d["views"].items():
                    slot = views.setdefault(key, {})
                    for k, v in value.items():
                        slot[k] = slot.get(k, 0) + v
            elements.append(
                {"timeRange": {"start": start, "end": end}, "organization": org.urn,
                 "totalPageStatistics": {"views": views, "clicks": days[-1]["clicks"]}}
            )  # fmt: skip
        return {"elements": elements, "paging": {"count": 10, "start": 0}}

    def _rest_posts(self, params: dict) -> dict:
        _require(params, q="author")
        org = self.organization_from_urn(params.get("author"))
        posts = self.dataset.posts(org)
        if params.get("sortBy", "LAST_MODIFIED") == "CREATED":
            posts = sorted(posts, key=lambda p: (p["createdAt"], p["id"]), reverse=True)
        return _page(posts, params, max_count=100)

    def _rest_dmaOrganizationalPageFollows(self, params: dict) -> dict:  # noqa: N802
        with self._lock:
            now = time.monotonic()
            wait = self.settings.dma_interval_seconds - (now - self._dma_last_request)
            if self._dma_last_request and wait > 0:
                self.stats["dma rate limited"] += 1
                raise ApiError(
                    429,
                    f"Resource level throttle 1 request per {self.settings.dma_interval_seconds:g}s exceeded",
                    "TOO_MANY_REQUESTS",
                )
            self._dma_last_request = now
        count = _int(params, "maxPaginationCount", required=True)
        if not 1 <= count <= 1000:
            raise ApiError(400, "maxPaginationCount must be between 1 and 1000", "INVALID_PARAM")
        if params.get("q") == "followee":
            org = self.organization_from_urn(params.get("followee"), "urn:li:organizationalPage:")
            edge = params.get("edgeType")
            if edge not in (
                "MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE",
                "ORGANIZATIONAL_PAGE_FOLLOWS_ORGANIZATIONAL_PAGE",
            ):
                raise ApiError(400, "edgeType is required", "INVALID_PARAM")
            follows = self.dataset.page_followers(org, edge)
        elif params.get("q") == "follower":
            org = self.organization_from_urn(params.get("follower"), "urn:li:organizationalPage:")
            follows = self.dataset.followed_pages(org)
        else:
            raise ApiError(400, "q must be followee or follower", "INVALID_PARAM")
        cursor = params.get("paginationCursor")
        offset = int(base64.urlsafe_b64decode(cursor.encode()).decode().split("_")[0]) if cursor else 0
        page = follows[offset : offset + count]
        metadata = {}
        if offset + count < len(follows):
            metadata["nextPaginationCursor"] = base64.urlsafe_b64encode(
                f"{offset + count}_{org.id}".encode()
            ).decode()
        return {
            "elements": page,
            "metadata": metadata,
            "paging": {"start": 0, "count": 10, "links": [], "total": len(page)},
        }

    def _rest_adAccounts(self, params: dict) -> dict:  # noqa: N802
        _require(params, q="search")
        elements = [
            {"id": a.id, "name": a.name, "test": a.test, "reference": self.dataset.organizations[0].urn,
             "status": "ACTIVE", "type": "BUSINESS", "currency": "USD"}
            for a in self.dataset.ad_accounts
        ]  # fmt: skip
        return _page(elements, params, max_count=1000)

    def _rest_accountIntelligence(self, params: dict) -> dict:  # noqa: N802
        _require(params, q="account")
        if not self.settings.company_intelligence_access:
            raise ApiError(
                403,
                "ACCESS_DENIED: Not enough permissions to access /accountIntelligence API",
                "ACCESS_DENIED",
                100,
            )
        urn = params.get("account")
        account_id = str(urn).removeprefix("urn:li:sponsoredAccount:")
        account = self.dataset.ad_account(int(account_id)) if account_id.isdigit() else None
        if account is None:
            raise ApiError(
                403,
                "PERMISSION_DENIED: Access request for sponsored account denied for READ_SPONSORED_ACCOUNT permissions.",
                "PERMISSION_DENIED",
            )
        criteria = params.get("filterCriteria")
        if not isinstance(criteria, dict):
            raise ApiError(
                400, "filterCriteria is required: filterCriteria=(lookbackWindow:...)", "INVALID_PARAM"
            )
        lookback = criteria.get("lookbackWindow", "LAST_90_DAYS")
        if lookback not in ("LAST_7_DAYS", "LAST_30_DAYS", "LAST_60_DAYS", "LAST_90_DAYS"):
            raise ApiError(400, f"Invalid lookbackWindow {lookback}", "INVALID_PARAM")
        for segment in (
            criteria.get("adSegments", []) if isinstance(criteria.get("adSegments", []), list) else [None]
        ):
            if not isinstance(segment, str) or not segment.startswith("urn:li:adSegment:"):
                raise ApiError(400, f"Invalid adSegments value {segment!r}", "INVALID_PARAM")
        campaign = criteria.get("campaign")
        if campaign is not None and not str(campaign).startswith("urn:li:sponsoredCampaign:"):
            raise ApiError(400, f"Invalid campaign {campaign!r}", "INVALID_PARAM")
        start = _int(params, "start", default=0)
        if start >= 100_000:
            raise ApiError(400, f"Row index {start} exceeds maximum limit of 100,000.", "INVALID_PARAM")
        rows = self.dataset.companies(account, lookback)
        if campaign is not None:
            rows = [{**row, "organicImpressions": 0, "organicEngagements": 0} for row in rows]
        if params.get("skipCompanyDecoration") == "true":
            rows = [{**row, "companyName": ""} for row in rows]
        return _page(rows, params, max_count=1000)

    def _buckets(self, intervals: Any, granularities: tuple[str, ...]) -> list[tuple[int, int]]:
        """LinkedIn's time-bound rules: whole buckets, 12-month retention (14 tolerated), data until 2 days ago."""
        if not isinstance(intervals, dict) or not isinstance(intervals.get("timeRange"), dict):
            raise ApiError(400, "Invalid timeIntervals parameter", "INVALID_PARAM")
        granularity = intervals.get("timeGranularityType", "DAY")
        if granularity not in granularities:
            raise ApiError(400, f"Invalid timeGranularityType {granularity}", "INVALID_PARAM")
        try:
            start = int(intervals["timeRange"]["start"])
            end = int(intervals["timeRange"].get("end", day_start_ms(self.today())))
        except (KeyError, ValueError) as error:
            raise ApiError(400, "Invalid timeIntervals parameter", "INVALID_PARAM") from error
        if end - start < DAY_MS:
            raise ApiError(
                400,
                "Invalid timeIntervals parameter: the time range is shorter than one day",
                "INVALID_PARAM",
            )
        if start % DAY_MS or end % DAY_MS:
            raise ApiError(
                400, "Invalid timeIntervals parameter: start and end must be whole UTC days", "INVALID_PARAM"
            )
        today = self.today()
        oldest = day_start_ms(_months_before(today, 12))
        if start < day_start_ms(_months_before(today, 14)):
            raise ApiError(
                400,
                "Invalid timeIntervals parameter: start is beyond the 12-month retention",
                "INVALID_PARAM",
            )
        start = max(start, oldest)
        last_end = day_start_ms(today - dt.timedelta(days=1))  # the last bucket starts two days before today
        buckets = []
        cursor = ms_to_date(start)
        while True:
            if granularity == "DAY":
                nxt = cursor + dt.timedelta(days=1)
            elif granularity == "WEEK":
                nxt = cursor + dt.timedelta(days=7)
            else:
                if cursor.day != 1:
                    raise ApiError(
                        400,
                        "Invalid timeIntervals parameter: MONTH buckets start on the first of a month",
                        "INVALID_PARAM",
                    )
                nxt = _months_before(cursor, -1)
            bucket_start, bucket_end = day_start_ms(cursor), day_start_ms(nxt)
            if bucket_end > min(end, last_end):
                break
            buckets.append((bucket_start, bucket_end))
            cursor = nxt
        return buckets


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def _days(start: int, end: int) -> list[dt.date]:
    first = ms_to_date(start)
    return [first + dt.timedelta(days=i) for i in range((end - start) // DAY_MS)]


def _require(params: dict, **expected: str) -> None:
    for key, value in expected.items():
        if params.get(key) != value:
            raise ApiError(400, f"Invalid or missing parameter {key}: expected {value}", "INVALID_PARAM")


def _int(params: dict, key: str, default: int | None = None, required: bool = False) -> int:
    value = params.get(key)
    if value is None:
        if required:
            raise ApiError(400, f"{key} is required", "INVALID_PARAM")
        return default or 0
    if not isinstance(value, str) or not value.isdigit():
        raise ApiError(400, f"Invalid {key} {value!r}", "INVALID_PARAM")
    return int(value)


def _page(elements: list, params: dict, max_count: int) -> dict:
    start, count = _int(params, "start", default=0), _int(params, "count", default=10)
    if count > max_count:
        raise ApiError(400, f"count must not exceed {max_count}", "INVALID_PARAM")
    page = elements[start : start + count]
    links = []
    if start + count < len(elements):
        links.append(
            {"rel": "next", "type": "application/json", "href": f"?start={start + count}&count={count}"}
        )
    return {
        "elements": page,
        "paging": {"start": start, "count": count, "total": len(elements), "links": links},
    }


class _Handler(BaseHTTPRequestHandler):
    emulator: Emulator
    protocol_version = "HTTP/1.1"
    server_version = "LinkedInEmulator/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        pass  # quiet: the emulator's own statistics say what was asked

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET", urlsplit(self.path).query)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        path = urlsplit(self.path).path
        if path == "/oauth/v2/accessToken":
            return self._token(body)
        if path == "/_emulator/settings":
            return self._control_settings(body)
        if self.headers.get("X-HTTP-Method-Override", "").upper() == "GET":
            if not self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                return self._send(
                    400,
                    {
                        "status": 400,
                        "message": "Query tunneling needs Content-Type application/x-www-form-urlencoded",
                    },
                )
            return self._handle("GET", body, tunneled=True)
        self._send(405, {"status": 405, "message": "Method not allowed"})

    def _handle(self, method: str, raw_query: str, tunneled: bool = False) -> None:
        emulator = self.emulator
        path = urlsplit(self.path).path
        if path.startswith("/_emulator/"):
            return self._control(path)
        with emulator._lock:
            emulator.stats["requests"] += 1
            emulator.stats[f"{method} {path.removeprefix('/rest/').split('/')[0]}"] += 1
            if tunneled:
                emulator.stats["tunneled"] += 1
        if emulator.settings.latency_ms:
            time.sleep(emulator.settings.latency_ms / 1000)
        fault = emulator.draw_fault() if path.startswith("/rest/") else None
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        if fault == "slow":
            time.sleep(emulator.settings.slow_seconds)
        elif fault == "html":
            return self._send_raw(502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>")
        elif fault == "badjson":  # a 200 whose body was cut short
            return self._send_raw(
                200, "application/json", b'{"elements": [{"organizationalEntity": "urn:li:orga'
            )
        elif fault:
            return self._send(int(fault), {"status": int(fault), "message": f"Injected fault {fault}"})
        try:
            if not path.startswith("/rest/"):
                raise ApiError(404, f"No route {path}", "NOT_FOUND")
            emulator.authenticate(self.headers.get("Authorization"))
            emulator.check_version(self.headers.get("LinkedIn-Version"))
            if self.headers.get("X-Restli-Protocol-Version") != "2.0.0":
                raise ApiError(400, "X-Restli-Protocol-Version: 2.0.0 is required", "INVALID_PROTOCOL")
            if not tunneled and len(raw_query) > MAX_QUERY_STRING_BYTES:
                raise ApiError(414, "Request-URI Too Long", "URI_TOO_LONG")
            params = parse_query(raw_query)
            payload = emulator.route(path, params)
        except ApiError as error:
            with emulator._lock:
                emulator.stats[f"status {error.status}"] += 1
            return self._send(error.status, error.body())
        except RestliUnpermittedFieldError as error:
            return self._send(403, {"status": 403, "message": str(error), "code": "ACCESS_DENIED"})
        except RestliSyntaxError as error:
            return self._send(400, {"status": 400, "message": str(error), "code": "ILLEGAL_ARGUMENT"})
        with emulator._lock:
            emulator.stats["status 200"] += 1
        self._send(200, payload)

    def _token(self, body: str) -> None:
        form = {k: v[0] for k, v in parse_qs(body).items()}
        try:
            self._send(200, self.emulator.issue_token(form))
        except ApiError as error:
            self._send(error.status, {"error": error.code, "error_description": error.message})

    def _control(self, path: str) -> None:
        if path == "/_emulator/stats":
            with self.emulator._lock:
                return self._send(200, dict(self.emulator.stats))
        if path == "/_emulator/settings":
            return self._send(200, dataclasses.asdict(self.emulator.settings))
        self._send(404, {"message": "unknown control endpoint"})

    def _control_settings(self, body: str) -> None:
        try:
            self.emulator.update_settings(**json.loads(body or "{}"))
        except (KeyError, ValueError) as error:
            return self._send(400, {"message": str(error)})
        self._send(200, dataclasses.asdict(self.emulator.settings))

    def _send(self, status: int, payload: Any) -> None:
        self._send_raw(status, "application/json", json.dumps(payload).encode())

    def _send_raw(self, status: int, content_type: str, body: bytes) -> None:
        try:
            self.send_response(
                status, HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
            )
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-li-uuid", secrets.token_hex(8))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
