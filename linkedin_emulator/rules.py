"""LinkedIn's rules, as its documentation states them, for every resource of the emulator.

- errors: LinkedIn's error body (``ApiError``);
- auth: bearer tokens issued by the token endpoint, or static ones (``TokenStore``), and the app each one
  belongs to: each product may live on an app of its own (``require_product``), and a consent may ask only for
  the scopes of its app's products (``consent``);
- versions: LinkedIn's release pattern (``served_versions``), 426 for any other;
- Rest.li: the protocol header, the 4 KB query limit (414) and Rest.li 2.0 syntax;
- scopes: the OAuth scope each resource needs;
- parameters and paging: required finder parameters, ``start``/``count`` pages;
- time buckets: whole buckets, 12-month retention (14 tolerated), data until two days ago;
- request spacing: one request per interval (the DMA limit), 429 otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import threading
import time
from typing import TYPE_CHECKING, Any

from linkedin_emulator.data import DAY_MS, day_start_ms, ms_to_date
from linkedin_emulator.restli import RestliSyntaxError, RestliUnpermittedFieldError, parse_query

if TYPE_CHECKING:
    from collections.abc import Mapping

    from linkedin_emulator.server import EmulatorSettings

MAX_QUERY_STRING_BYTES = 4096

SCOPE_OF_ENDPOINT: dict[str, str | None] = {
    "posts": "r_organization_social",
    # "Social Metadata API" and "Comments API": r_organization_social_feed ("Retrieve organizations' posts,
    # comments, and reactions"); "Video Analytics API": r_organization_social.
    "socialMetadata": "r_organization_social_feed",
    "socialActions": "r_organization_social_feed",
    "videoAnalytics": "r_organization_social",
    "dmaOrganizationalPageFollows": "r_dma_admin_pages_content",
    "dmaOrganizationalPageProfiles": "r_dma_admin_pages_content",
    "dmaOrganizationAcls": "r_dma_admin_pages_content",
    # "r_dma_admin_pages_content … Retrieve your Organization's pages and their reporting data (including
    # follower, visitor, content, and other analytics)" (the DMA Pages Data Portability overview).
    "dmaOrganizationalPageContentAnalytics": "r_dma_admin_pages_content",
    # Showcase pages ("Organization lookup API": rw_organization_admin; page statistics "rw_organization_admin
    # … Restricted to organizations in which the authenticated member has the following role: ADMINISTRATOR")
    # and page notifications ("Organization Social Action Notifications": the same scope and role).
    "organizationBrands": "rw_organization_admin",
    "brandPageStatistics": "rw_organization_admin",
    "organizationalEntityNotifications": "rw_organization_admin",
    "accountIntelligence": "r_ads_reporting",
    "adAccounts": "r_ads",
    # Standardized data (the developer portal's endpoint table): no scope for geo, seniorities and functions;
    # r_basicprofile for both industry lists.
    "geo": None,
    "seniorities": None,
    "functions": None,
    "industries": "r_basicprofile",
    "industryTaxonomyVersions": "r_basicprofile",
}
DEFAULT_SCOPE = "rw_organization_admin"


# ----------------------------------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------------------------------
class ApiError(Exception):
    """An error LinkedIn answers with: ``{"status", "message", "code"?, "serviceErrorCode"?}``."""

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


# ----------------------------------------------------------------------------------------------------
# Auth
# ----------------------------------------------------------------------------------------------------
MAIN_APP, DMA_APP, ADS_APP = "main", "dma", "ads"
# Each LinkedIn product a connector reads, the resources it serves and the scopes it grants. "Community Management
# API" requires "that it be the only product on the application" (the developer portal's refusal), and LinkedIn
# provisions "Pages Data Portability API" on an app of its own ("DMA Pages Data Portability API" overview), so a
# page admin may hold three apps. With `separate_dma_app` / `separate_ads_app`, a product's resources answer only
# its own app's tokens (403 otherwise), and that app's tokens nothing else.
DMA_RESOURCES = frozenset(
    {
        "dmaOrganizationalPageFollows",
        "dmaOrganizationalPageProfiles",
        "dmaOrganizationAcls",
        "dmaOrganizationalPageContentAnalytics",
    }
)
ADS_RESOURCES = frozenset({"adAccounts", "accountIntelligence"})
APP_SCOPES = {
    MAIN_APP: {"rw_organization_admin", "r_organization_social", "r_organization_social_feed"},
    DMA_APP: {"r_dma_admin_pages_content"},
    ADS_APP: {"r_ads", "rw_ads", "r_ads_reporting"},
}


class TokenStore:
    """Access tokens issued by the token endpoint: the app each belongs to, and the API calls each one made."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, int] = {}
        self._app: dict[str, str] = {}
        self._limit: dict[str, int | None] = {}  # API calls after which a token answers 401

    @property
    def issued(self) -> list[str]:
        with self._lock:
            return list(self._calls)

    def issue(self, form: Mapping[str, str], settings: EmulatorSettings) -> dict:
        """The refresh-token grant of LinkedIn's ``/oauth/v2/accessToken``, for either app's client."""
        if form.get("grant_type") != "refresh_token":
            raise ApiError(400, "invalid grant_type", "invalid_request")
        apps = {
            MAIN_APP: (settings.client_id, settings.client_secret, settings.refresh_token),
            DMA_APP: (settings.dma_client_id, settings.dma_client_secret, settings.dma_refresh_token),
            ADS_APP: (settings.ads_client_id, settings.ads_client_secret, settings.ads_refresh_token),
        }
        app = next(
            (name for name, (client_id, secret, _) in apps.items()
             if form.get("client_id") == client_id and form.get("client_secret") == secret),
            None,
        )  # fmt: skip
        if app is None:
            raise ApiError(401, "Client authentication failed", "invalid_client")
        if form.get("refresh_token") != apps[app][2]:
            raise ApiError(
                400,
                "The provided authorization grant or refresh token is invalid, expired or revoked",
                "invalid_grant",
            )
        token = "AQV" + secrets.token_urlsafe(24)
        with self._lock:
            self._calls[token] = 0
            self._app[token] = app
            # LinkedIn's tokens live 60 days: at most the one in use expires during a sync, not each renewal.
            self._limit[token] = settings.token_expires_after_calls if not self._limit else None
        return {
            "access_token": token,
            "expires_in": 5_184_000,
            "refresh_token": apps[app][2],
            "refresh_token_expires_in": 31_536_000,
        }

    def introspect(self, form: Mapping[str, str], settings: EmulatorSettings) -> dict:
        """LinkedIn's ``/oauth/v2/introspectToken`` ("Token Introspection", learn.microsoft.com/linkedin/shared/
        authentication/token-introspection): the app's client id and secret, and a token; its sample answer's
        fields. The scopes: those of the resources the app's products serve, less ``denied_scopes``."""
        apps = {
            MAIN_APP: (settings.client_id, settings.client_secret),
            DMA_APP: (settings.dma_client_id, settings.dma_client_secret),
            ADS_APP: (settings.ads_client_id, settings.ads_client_secret),
        }
        app = next(
            (a for a, pair in apps.items() if pair == (form.get("client_id"), form.get("client_secret"))),
            None,
        )
        if app is None:
            raise ApiError(401, "Client authentication failed", "invalid_client")
        with self._lock:
            known = self._app.get(form.get("token", "")) == app
        if not known:
            return {"active": False, "status": "expired"}
        resources = [*SCOPE_OF_ENDPOINT, "organizations"]
        served = {
            SCOPE_OF_ENDPOINT.get(r, DEFAULT_SCOPE) for r in resources if app_of_resource(r, settings) == app
        }
        scopes = sorted(scope for scope in served if scope and scope not in settings.denied_scopes)
        now = int(time.time())
        return {
            "active": True, "client_id": form["client_id"], "authorized_at": now - 86_400, "created_at": now - 60,
            "status": "active", "expires_at": now + 5_184_000, "scope": ",".join(scopes), "auth_type": "3L",
        }  # fmt: skip

    def authenticate(self, authorization: str | None, settings: EmulatorSettings) -> str:
        """The app of a bearer token this emulator issued (and not expired by ``token_expires_after_calls``),
        or of a static one."""
        token = (authorization or "").removeprefix("Bearer ").strip()
        if not token:
            raise ApiError(401, "Empty oauth2 access token", "EMPTY_ACCESS_TOKEN", 65604)
        if token in settings.static_access_tokens:
            return MAIN_APP
        if token in settings.dma_static_access_tokens:
            return DMA_APP
        if token in settings.ads_static_access_tokens:
            return ADS_APP
        with self._lock:
            if token not in self._calls:
                raise ApiError(401, "Invalid access token", "INVALID_ACCESS_TOKEN", 65600)
            self._calls[token] += 1
            limit = self._limit.get(token)
            if limit is not None and self._calls[token] > limit:
                raise ApiError(
                    401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN", 65601
                )
            return self._app[token]


def app_of_resource(resource: str, settings: EmulatorSettings) -> str:
    """The app whose product serves ``resource``: its own app when the product is on one, else the main app."""
    if resource in DMA_RESOURCES and settings.separate_dma_app:
        return DMA_APP
    if resource in ADS_RESOURCES and settings.separate_ads_app:
        return ADS_APP
    return MAIN_APP


def require_product(resource: str, app: str, settings: EmulatorSettings, version: str) -> None:
    """Each resource answers only tokens of the app that holds its product. A product not on an app of its own is
    on the main app: its credentials are the main app's, under another name."""
    same_app = {DMA_APP: settings.separate_dma_app, ADS_APP: settings.separate_ads_app}
    if (app if same_app.get(app, True) else MAIN_APP) != app_of_resource(resource, settings):
        raise ApiError(
            403, f"Not enough permissions to access: {resource}.GET.{version}", "ACCESS_DENIED", 100
        )


def consent(client_id: str | None, scopes: list[str], settings: EmulatorSettings) -> str | None:
    """LinkedIn's authorization screen ("Authorization Code Flow": "If multiple scopes are requested, the user
    must consent to all of them"): the app's client asks for scopes, and one scope its products do not grant
    refuses the whole consent, ``unauthorized_scope_error``. Returns that error's description, or None."""
    clients = {settings.client_id: MAIN_APP, settings.dma_client_id: DMA_APP, settings.ads_client_id: ADS_APP}
    app = clients.get(client_id or "")
    if app is None:
        return "The client is not authorized"
    # An app with one product grants that product's scopes; without separate apps, the main one holds them all.
    granted = set(APP_SCOPES[app])
    if app == MAIN_APP and not settings.separate_dma_app:
        granted |= APP_SCOPES[DMA_APP]
    if app == MAIN_APP and not settings.separate_ads_app:
        granted |= APP_SCOPES[ADS_APP]
    refused = [scope for scope in scopes if scope not in granted]
    return f'Scope "{refused[0]}" is not authorized for your application' if refused else None


# ----------------------------------------------------------------------------------------------------
# Versions
# ----------------------------------------------------------------------------------------------------
def served_versions(today: dt.date, settings: EmulatorSettings) -> list[str]:
    """The ``YYYYMM`` versions LinkedIn serves on ``today``, newest first ("LinkedIn Marketing API Versioning":
    "Our versioned API releases follow a monthly cycle. These API versions are supported and stable for a
    minimum of one year before sunset"; the migrations table has no December release in 2024 or 2025, e.g.
    202411 then 202501). A month's version comes out mid-month (here on the 15th), so not on the 1st.
    ``min_version`` / ``max_version`` narrow the window (tests)."""
    this_month = today.year * 12 + today.month - 1 - (1 if today.day < 15 else 0)
    months = [m for m in range(this_month, this_month - 13, -1) if m % 12 != 11]
    versions = [f"{m // 12:04d}{m % 12 + 1:02d}" for m in months]
    return [v for v in versions if (settings.min_version or "") <= v <= (settings.max_version or "999999")]


def active_versions(today: dt.date, settings: EmulatorSettings) -> tuple[str, str]:
    """(oldest, newest) version served."""
    served = served_versions(today, settings)
    return served[-1], served[0]


def check_version(version: str | None, today: dt.date, settings: EmulatorSettings) -> None:
    if not version:
        raise ApiError(
            400,
            "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
            "VERSION_MISSING",
        )
    if not re.fullmatch(r"20\d{4}(\d{2})?", version):
        raise ApiError(400, f"Invalid version {version}", "INVALID_VERSION")
    if version[:6] not in served_versions(today, settings):
        raise ApiError(426, f"Requested version {version} is not active", "NONEXISTENT_VERSION")


# ----------------------------------------------------------------------------------------------------
# Rest.li
# ----------------------------------------------------------------------------------------------------
def parse_restli_request(protocol_header: str | None, raw_query: str, tunneled: bool) -> dict:
    """The query of a Rest.li 2.0 request, or the error LinkedIn answers a malformed one with."""
    if protocol_header != "2.0.0":
        raise ApiError(400, "X-Restli-Protocol-Version: 2.0.0 is required", "INVALID_PROTOCOL")
    if not tunneled and len(raw_query) > MAX_QUERY_STRING_BYTES:
        raise ApiError(414, "Request-URI Too Long", "URI_TOO_LONG")
    try:
        return parse_query(raw_query)
    except RestliUnpermittedFieldError as error:
        raise ApiError(403, str(error), "ACCESS_DENIED") from error
    except RestliSyntaxError as error:
        raise ApiError(400, str(error), "ILLEGAL_ARGUMENT") from error


# ----------------------------------------------------------------------------------------------------
# Scopes
# ----------------------------------------------------------------------------------------------------
def require_scope(resource: str, settings: EmulatorSettings, version: str) -> None:
    scope = SCOPE_OF_ENDPOINT.get(resource, DEFAULT_SCOPE)
    if scope and scope in settings.denied_scopes:
        raise ApiError(
            403, f"Not enough permissions to access: {resource}.GET.{version}", "ACCESS_DENIED", 100
        )


# ----------------------------------------------------------------------------------------------------
# Parameters and paging
# ----------------------------------------------------------------------------------------------------
def require(params: dict, **expected: str) -> None:
    for key, value in expected.items():
        if params.get(key) != value:
            raise ApiError(400, f"Invalid or missing parameter {key}: expected {value}", "INVALID_PARAM")


def int_param(params: dict, key: str, default: int | None = None, required: bool = False) -> int:
    value = params.get(key)
    if value is None:
        if required:
            raise ApiError(400, f"{key} is required", "INVALID_PARAM")
        return default or 0
    if not isinstance(value, str) or not value.isdigit():
        raise ApiError(400, f"Invalid {key} {value!r}", "INVALID_PARAM")
    return int(value)


def offset_page(elements: list, params: dict, max_count: int) -> dict:
    """A ``start``/``count`` page of ``elements``, with LinkedIn's ``paging`` block."""
    start, count = int_param(params, "start", default=0), int_param(params, "count", default=10)
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


# ----------------------------------------------------------------------------------------------------
# Time buckets
# ----------------------------------------------------------------------------------------------------
def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def days_of(start: int, end: int) -> list[dt.date]:
    first = ms_to_date(start)
    return [first + dt.timedelta(days=i) for i in range((end - start) // DAY_MS)]


def time_buckets(intervals: Any, granularities: tuple[str, ...], today: dt.date) -> list[tuple[int, int]]:
    """LinkedIn's time-bound rules: whole buckets, 12-month retention (14 tolerated), data until 2 days ago."""
    if not isinstance(intervals, dict) or not isinstance(intervals.get("timeRange"), dict):
        raise ApiError(400, "Invalid timeIntervals parameter", "INVALID_PARAM")
    granularity = intervals.get("timeGranularityType", "DAY")
    if granularity not in granularities:
        raise ApiError(400, f"Invalid timeGranularityType {granularity}", "INVALID_PARAM")
    try:
        start = int(intervals["timeRange"]["start"])
        end = int(intervals["timeRange"].get("end", day_start_ms(today)))
    except (KeyError, ValueError) as error:
        raise ApiError(400, "Invalid timeIntervals parameter", "INVALID_PARAM") from error
    if end - start < DAY_MS:
        raise ApiError(
            400, "Invalid timeIntervals parameter: the time range is shorter than one day", "INVALID_PARAM"
        )
    if start % DAY_MS or end % DAY_MS:
        raise ApiError(
            400, "Invalid timeIntervals parameter: start and end must be whole UTC days", "INVALID_PARAM"
        )
    oldest = day_start_ms(months_before(today, 12))
    if start < day_start_ms(months_before(today, 14)):
        raise ApiError(
            400, "Invalid timeIntervals parameter: start is beyond the 12-month retention", "INVALID_PARAM"
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
            nxt = months_before(cursor, -1)
        bucket_start, bucket_end = day_start_ms(cursor), day_start_ms(nxt)
        if bucket_end > min(end, last_end):
            break
        buckets.append((bucket_start, bucket_end))
        cursor = nxt
    return buckets


# ----------------------------------------------------------------------------------------------------
# Daily quotas
# ----------------------------------------------------------------------------------------------------
class DailyQuota:
    """LinkedIn's daily limits ("Rate Limiting": calls "that can be made in a 24 hour period", per application
    and per member, reset at midnight UTC; the numbers are not published): the calls each resource answered on
    each day, and the 429 it answers past its limit, with LinkedIn's message for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: dict[tuple[dt.date, str], int] = {}

    def spend(self, resource: str, day: dt.date, limits: Mapping[str, int]) -> None:
        with self._lock:
            used = self.calls.get((day, resource), 0)
            if resource in limits and used >= limits[resource]:
                raise ApiError(
                    429,
                    "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
                    "TOO_MANY_REQUESTS",
                )
            self.calls[day, resource] = used + 1


# ----------------------------------------------------------------------------------------------------
# Request spacing
# ----------------------------------------------------------------------------------------------------
class RequestSpacing:
    """At most one request per interval; the one that comes sooner is refused with a 429."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0.0
        self.refused = 0

    def admit(self, interval_seconds: float) -> None:
        with self._lock:
            now = time.monotonic()
            if self._last and interval_seconds - (now - self._last) > 0:
                self.refused += 1
                raise ApiError(
                    429,
                    f"Resource level throttle 1 request per {interval_seconds:g}s exceeded",
                    "TOO_MANY_REQUESTS",
                )
            self._last = now
