"""One handler per LinkedIn resource, and ``ROUTES``, the table the server dispatches on.

A handler takes the emulator (dataset, settings, clock), the parsed Rest.li query and the decoded path keys
that follow the resource name, and returns the JSON body of a 200 or raises ``ApiError``.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from linkedin_emulator.data import (
    CONTENT_LIFETIME_FIELDS,
    DAY_MS,
    FUNCTION_NAMES,
    GEO_NAMES,
    INDUSTRY_NAMES,
    OLD_INDUSTRY_NAMES,
    SENIORITY_NAMES,
    VIDEO_METRICS,
    Brand,
    Organization,
    day_start_ms,
    ms_to_date,
)
from linkedin_emulator.rules import (
    ApiError,
    days_of,
    int_param,
    months_before,
    offset_page,
    require,
    time_buckets,
)

if TYPE_CHECKING:
    from linkedin_emulator.server import Emulator

Handler = Callable[..., dict]

EMPTY_PAGING = {"count": 10, "start": 0}
UNCAPPED_COMPANY_INTELLIGENCE = "202606"  # the version from which Company Intelligence has no row cap


def organization_from_urn(emulator: Emulator, urn: Any, prefix: str = "urn:li:organization:") -> Organization:
    """The organization a URN names: 400 if malformed, 404 if unknown, 403 if the member does not administer it."""
    if not isinstance(urn, str) or not urn.startswith(prefix):
        raise ApiError(400, f"Invalid URN {urn!r}: expected {prefix}<id>", "INVALID_PARAM")
    entity_id = urn.removeprefix(prefix)
    org = emulator.dataset.organization(int(entity_id) if entity_id.isdigit() else -1)
    if org is None:
        raise ApiError(404, f"Could not find entity {urn}", "NOT_FOUND")
    if not emulator.administered(org.id):
        raise ApiError(
            403,
            f"Not enough permissions to access {urn}: member is not an ADMINISTRATOR",
            "ACCESS_DENIED",
            100,
        )
    return org


BRAND_PREFIX = "urn:li:organizationBrand:"


def brand_from_urn(emulator: Emulator, urn: Any) -> Brand:
    """The showcase page a brand URN names: 400 if malformed (an organization URN included), 404 if unknown,
    403 if the member does not administer its parent, with the message LinkedIn's Postman sample shows."""
    if not isinstance(urn, str) or not urn.startswith(BRAND_PREFIX):
        raise ApiError(400, f"Invalid URN {urn!r}: expected {BRAND_PREFIX}<id>", "INVALID_PARAM")
    brand_id = urn.removeprefix(BRAND_PREFIX)
    brand = emulator.dataset.brand(int(brand_id) if brand_id.isdigit() else -1)
    if brand is None:
        raise ApiError(404, f"Could not find entity {urn}", "NOT_FOUND")
    if not emulator.administered(brand.parent_id):
        raise ApiError(
            403,
            "Viewer don't have permission to the ADMIN_ONLY VisibilityReduction for "
            f"urn:li:organization:{brand.id}",
        )
    return brand


# ----------------------------------------------------------------------------------------------------
# Organizations
# ----------------------------------------------------------------------------------------------------
def organization_acls(emulator: Emulator, params: dict) -> dict:
    require(params, q="roleAssignee")
    orgs = [o for o in emulator.dataset.organizations if emulator.administered(o.id)]
    elements = [
        {"organization": o.urn, "role": params.get("role", "ADMINISTRATOR"), "roleAssignee": "urn:li:person:emulator",
         "state": params.get("state", "APPROVED")}
        for o in orgs
    ]  # fmt: skip
    return offset_page(elements, params, max_count=100)


def batch_get(params: dict, what: str, serve: Callable[[str], dict]) -> dict:
    """A Rest.li BATCH_GET over ``ids=List(...)``: ``results`` and ``statuses`` by key, each key ``serve`` refuses
    (an ApiError) in ``errors`` with its status."""
    ids = params.get("ids")
    if not isinstance(ids, list) or not ids:
        raise ApiError(400, f"ids must be a non-empty List(...) of {what}", "INVALID_PARAM")
    results, statuses, errors = {}, {}, {}
    for key in map(str, ids):
        try:
            results[key], statuses[key] = serve(key), 200
        except ApiError as refusal:
            errors[key], statuses[key] = refusal.body(), refusal.status
    return {"results": results, "statuses": statuses, "errors": errors}


def organizations(emulator: Emulator, params: dict, org_id: str = "") -> dict:
    """GET ``organizations/{id}``, or the BATCH_GET ``organizations?ids=List(1,2)``: a 200 whose ``results``
    hold the organizations served and ``errors`` the error of each one refused (Rest.li's batch answer); or
    the finder ``q=parentOrganization&parent=<encoded organization URN>`` ("Find Administered Organization
    Brands by Parent Org"): the parent's showcase pages, ``start``/``count`` pages (default 10), elements
    without their parent."""
    if org_id:
        return emulator.dataset.organization_resource(
            organization_from_urn(emulator, f"urn:li:organization:{org_id}")
        )
    if "q" in params:
        require(params, q="parentOrganization")
        parent = organization_from_urn(emulator, params.get("parent"))
        listed = [emulator.dataset.brand_listing(b) for b in emulator.dataset.brands_of(parent)]
        return offset_page(listed, params, max_count=100)
    return batch_get(params, "organization ids", lambda key: emulator.dataset.organization_resource(
        organization_from_urn(emulator, f"urn:li:organization:{key}")))  # fmt: skip


def organization_brands(emulator: Emulator, params: dict, brand_id: str = "") -> dict:
    """GET ``organizationBrands/{id}`` ("Retrieve an Administered Organization Brand": ``parentRelationship``
    and ``$URN``), or its BATCH_GET ``organizationBrands?ids=List(…)``, whose results have no ``$URN`` (the
    Postman sample) and whose refusals are per-id errors."""
    if brand_id:
        return emulator.dataset.brand_resource(brand_from_urn(emulator, BRAND_PREFIX + brand_id))

    def serve(key: str) -> dict:
        resource = emulator.dataset.brand_resource(brand_from_urn(emulator, BRAND_PREFIX + key))
        return {k: v for k, v in resource.items() if k != "$URN"}

    return batch_get(params, "organization brand ids", serve)


def network_sizes(emulator: Emulator, params: dict, urn: str = "") -> dict:
    require(params, edgeType="COMPANY_FOLLOWED_BY_MEMBER")
    org = organization_from_urn(emulator, urn)
    return {"firstDegreeSize": emulator.dataset.total_followers(org, emulator.today())}


# ----------------------------------------------------------------------------------------------------
# Follower, share and page statistics
# ----------------------------------------------------------------------------------------------------
def follower_statistics(emulator: Emulator, params: dict) -> dict:
    require(params, q="organizationalEntity")
    org = organization_from_urn(emulator, params.get("organizationalEntity"))
    if "timeIntervals" not in params:
        return {
            "elements": [emulator.dataset.follower_facets(org)],
            "paging": {"count": 10, "start": 0, "links": []},
        }
    elements = []
    for start, end in time_buckets(params["timeIntervals"], ("DAY", "WEEK", "MONTH"), emulator.today()):
        gains = [emulator.dataset.follower_gain(org, day) for day in days_of(start, end)]
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


def share_statistics(emulator: Emulator, params: dict) -> dict:
    """Share statistics of an organization, or of a showcase page (``organizationalEntity`` a brand URN: ebx's
    "LinkedIn enables both organization and showcase pages to retrieve ... share statistics"); posts
    (``shares``, ``ugcPosts``) of organizations only."""
    require(params, q="organizationalEntity")
    entity = params.get("organizationalEntity")
    dataset, today = emulator.dataset, emulator.today()
    if isinstance(entity, str) and entity.startswith(BRAND_PREFIX):
        brand = brand_from_urn(emulator, entity)
        if "shares" in params or "ugcPosts" in params:
            raise ApiError(400, "shares and ugcPosts take an organization's posts", "INVALID_PARAM")
        urn, lifetime = brand.urn, partial(dataset.brand_share_lifetime, brand, today)
        share_day: Callable[[dt.date], dict] = partial(dataset.brand_share_day, brand)
    else:
        org = organization_from_urn(emulator, entity)
        if "shares" in params or "ugcPosts" in params:
            return post_statistics(emulator, org, params)
        urn, lifetime = org.urn, partial(dataset.share_lifetime, org, today)
        share_day = partial(dataset.share_day, org)
    if "timeIntervals" not in params:
        return {"elements": [lifetime()], "paging": EMPTY_PAGING}
    elements = []
    for start, end in time_buckets(params["timeIntervals"], ("DAY", "MONTH"), today):
        days = [share_day(day) for day in days_of(start, end)]
        totals = {k: sum(d[k] for d in days) for k in days[0] if k != "engagement"}
        engaged = totals["clickCount"] + totals["likeCount"] + totals["commentCount"] + totals["shareCount"]
        totals["engagement"] = engaged / totals["impressionCount"] if totals["impressionCount"] else 0.0
        elements.append(
            {
                "timeRange": {"start": start, "end": end},
                "organizationalEntity": urn,
                "totalShareStatistics": totals,
            }
        )
    return {"elements": elements, "paging": EMPTY_PAGING}


def post_statistics(emulator: Emulator, org: Organization, params: dict) -> dict:
    """Share statistics of listed posts (``shares=List(…)``, ``ugcPosts=List(…)``); posts without activity omitted."""
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
    # "The organizationalEntityShareStatistics endpoint returns share data only within the past 12 months, using a
    # rolling 12-month window": a post created before it is omitted, like a post without activity.
    window_start = day_start_ms(months_before(emulator.today(), 12))
    own = {p["id"] for p in emulator.dataset.posts(org) if p["createdAt"] >= window_start}
    elements = []
    for key, urn in requested:
        stats = emulator.dataset.post_statistics(org, urn) if urn in own else None
        if stats is not None:  # posts with no activity are omitted, as LinkedIn omits them
            elements.append({"organizationalEntity": org.urn, key[:-1]: urn, "totalShareStatistics": stats})
    emulator.count("post statistics posts requested", len(requested))
    return {"elements": elements, "paging": {"count": 10, "start": 0, "links": []}}


def page_statistics(emulator: Emulator, params: dict) -> dict:
    require(params, q="organization")
    org = organization_from_urn(emulator, params.get("organization"))
    if "timeIntervals" not in params:
        return {"elements": [emulator.dataset.page_lifetime(org)], "paging": EMPTY_PAGING}
    return time_bound_page_statistics(
        emulator, params, "organization", org.urn, lambda day: emulator.dataset.page_day(org, day)
    )


def brand_page_statistics(emulator: Emulator, params: dict) -> dict:
    """``brandPageStatistics?q=brand&brand=<encoded urn:li:organizationBrand:…>`` ("organizationPageStatistics
    and brandPageStatistics allow you to retrieve both lifetime and time-bound statistics on views and clicks
    for an organization or organization brand page respectively"): organizationPageStatistics' answers, each
    element naming its ``brand``."""
    require(params, q="brand")
    brand = brand_from_urn(emulator, params.get("brand"))
    if "timeIntervals" not in params:
        return {"elements": [emulator.dataset.brand_page_lifetime(brand)], "paging": EMPTY_PAGING}
    return time_bound_page_statistics(
        emulator, params, "brand", brand.urn, lambda day: emulator.dataset.brand_page_day(brand, day)
    )


def time_bound_page_statistics(
    emulator: Emulator, params: dict, entity_key: str, urn: str, page_day: Callable[[dt.date], dict]
) -> dict:
    """One element per whole DAY or MONTH bucket: its views summed, the clicks of its last day."""
    elements = []
    for start, end in time_buckets(params["timeIntervals"], ("DAY", "MONTH"), emulator.today()):
        days = [page_day(day) for day in days_of(start, end)]
        views: dict[str, dict] = {}
        for d in days:
            for key, value in d["views"].items():
                slot = views.setdefault(key, {})
                for k, v in value.items():
                    slot[k] = slot.get(k, 0) + v
        elements.append(
            {"timeRange": {"start": start, "end": end}, entity_key: urn,
             "totalPageStatistics": {"views": views, "clicks": days[-1]["clicks"]}}
        )  # fmt: skip
    return {"elements": elements, "paging": EMPTY_PAGING}


# ----------------------------------------------------------------------------------------------------
# Posts
# ----------------------------------------------------------------------------------------------------
def posts(emulator: Emulator, params: dict) -> dict:
    """``posts?q=author`` ("Posts API"): pages of at most 100. ``sortBy`` orders them, but no page promises a
    strict order: with ``posts_order: rough`` every fourth post swaps with the next, across page boundaries too
    (positions 99 and 100), so a client that stops at the first older post loses the newer one behind it."""
    require(params, q="author")
    org = organization_from_urn(emulator, params.get("author"))
    listed = emulator.dataset.posts(org)
    if params.get("sortBy", "LAST_MODIFIED") == "CREATED":
        listed = sorted(listed, key=lambda p: (p["createdAt"], p["id"]), reverse=True)
    if emulator.settings.posts_order == "rough":
        listed = list(listed)
        for i in range(3, len(listed) - 1, 4):
            listed[i], listed[i + 1] = listed[i + 1], listed[i]
    return offset_page(listed, params, max_count=100)


# ----------------------------------------------------------------------------------------------------
# Page notifications (Organization Social Action Notifications, the pull finder)
# ----------------------------------------------------------------------------------------------------
NOTIFICATION_ACTIONS = (
    "LIKE",
    "COMMENT",
    "SHARE",
    "SHARE_MENTION",
    "ADMIN_COMMENT",
    "COMMENT_EDIT",
    "COMMENT_DELETE",
)
NOTIFICATION_RETENTION_DAYS = 60  # "Notifications are retained and available to pull for 60 days."


def organizational_entity_notifications(emulator: Emulator, params: dict) -> dict:
    """``organizationalEntityNotifications?q=criteria&organizationalEntity=<encoded organization URN>``, with
    optional ``actions=List(…)`` (default: the seven documented actions; any other is a 400) and
    ``timeRange=(start:<ms>,end:<ms>)`` (start inclusive, end exclusive): the notifications of the last 60
    days before the emulator's clock (``Emulator.now_ms``), newest ``lastModifiedAt`` first,
    ``start``/``count`` pages of at most 100. Organizations only: a brand URN is a 400 (whether LinkedIn
    serves showcase pages here is unsettled)."""
    require(params, q="criteria")
    actions = params.get("actions", list(NOTIFICATION_ACTIONS))
    if not isinstance(actions, list) or not actions:
        raise ApiError(400, "Invalid actions parameter: expected a non-empty List(...)", "INVALID_PARAM")
    for action in actions:
        if action not in NOTIFICATION_ACTIONS:
            raise ApiError(400, f"Invalid actions parameter: unknown action {action!r}", "INVALID_PARAM")
    now = emulator.now_ms()
    since, until = now - NOTIFICATION_RETENTION_DAYS * DAY_MS, now
    if "timeRange" in params:
        time_range = params["timeRange"]
        if not isinstance(time_range, dict) or not set(time_range) <= {"start", "end"}:
            raise ApiError(
                400, "Invalid timeRange parameter: expected (start:<ms>,end:<ms>)", "INVALID_PARAM"
            )
        if not all(isinstance(v, str) and v.isdigit() for v in time_range.values()):
            raise ApiError(
                400, "Invalid timeRange parameter: start and end are epoch milliseconds", "INVALID_PARAM"
            )
        start, end = int(time_range.get("start", since)), int(time_range.get("end", until))
        if end < start:
            raise ApiError(400, "Invalid timeRange parameter: end is before start", "INVALID_PARAM")
        since, until = max(since, start), min(until, end)
    org = organization_from_urn(emulator, params.get("organizationalEntity"))
    listed = [
        n for n in emulator.dataset.notifications(org, until, since) if n["action"] in actions
    ] if until > since else []  # fmt: skip
    return offset_page(listed, params, max_count=100)


# ----------------------------------------------------------------------------------------------------
# DMA page follows
# ----------------------------------------------------------------------------------------------------
def organization_from_page_urn(emulator: Emulator, urn: Any) -> Organization:
    """The organization of a page URN (``urn:li:organizationalPage:<page id>``): 400 if malformed, 404 if no
    such page, 403 if the member does not administer it. An organization id in its place names no page."""
    prefix = "urn:li:organizationalPage:"
    if not isinstance(urn, str) or not urn.startswith(prefix):
        raise ApiError(400, f"Invalid URN {urn!r}: expected {prefix}<page id>", "INVALID_PARAM")
    page_id = urn.removeprefix(prefix)
    org = emulator.dataset.organization_of_page(int(page_id) if page_id.isdigit() else -1)
    if org is None or org.id in emulator.settings.pageless_organizations:
        raise ApiError(404, f"Could not find entity {urn}", "NOT_FOUND")
    return organization_from_urn(emulator, org.urn)


def dma_organizational_page_profiles(emulator: Emulator, params: dict) -> dict:
    """The ``pageEntity`` finder: ``pageEntity=(organization:urn%3Ali%3Aorganization%3A<id>)`` (a Rest.li union)
    answers the organization's page, whose ``entityUrn`` names it in the other DMA APIs; no page, no element."""
    require(params, q="pageEntity")
    entity = params.get("pageEntity")
    if not isinstance(entity, dict) or set(entity) != {"organization"}:
        raise ApiError(
            400, "pageEntity must be a union: pageEntity=(organization:<organization URN>)", "INVALID_PARAM"
        )
    org = organization_from_urn(emulator, entity["organization"])
    pages = [] if org.id in emulator.settings.pageless_organizations else [emulator.dataset.page_profile(org)]
    return {"elements": pages, "paging": {"count": 10, "start": 0, "links": []}}


def dma_organization_acls(emulator: Emulator, params: dict) -> dict:
    """The DMA app's ``roleAssignee`` finder: the organizations the member holds a role on. Its optional
    ``role`` and ``state`` filters are records, ``role=(value:ADMINISTRATOR)&state=(value:APPROVED)``."""
    require(params, q="roleAssignee")
    filters = {}
    for name in ("role", "state"):
        value = params.get(name)
        if value is None:
            continue
        if not isinstance(value, dict) or set(value) != {"value"}:
            raise ApiError(400, f"Invalid {name} parameter: expected {name}=(value:...)", "INVALID_PARAM")
        filters[name] = value["value"]
    elements = [
        {"key": {"organization": o.urn, "role": "ADMINISTRATOR", "roleAssignee": "urn:li:person:emulator"},
         "state": "APPROVED", "created": {"time": 1_700_000_000_000}, "lastModified": {"time": 1_700_000_000_000}}
        for o in emulator.dataset.organizations
        if emulator.administered(o.id)
    ]  # fmt: skip
    if (
        filters.get("role", "ADMINISTRATOR") != "ADMINISTRATOR"
        or filters.get("state", "APPROVED") != "APPROVED"
    ):
        elements = []  # the member holds the ADMINISTRATOR role, APPROVED, and no other
    return offset_page(elements, params, max_count=100)


def dma_page_follows(emulator: Emulator, params: dict) -> dict:
    """``q=followee`` (both edge types) or ``q=follower``, on a page URN, paged by an opaque ``paginationCursor``."""
    try:
        emulator.dma_spacing.admit(emulator.settings.dma_interval_seconds)
    except ApiError:
        emulator.count("dma rate limited")
        raise
    count = int_param(params, "maxPaginationCount", required=True)
    if not 1 <= count <= 1000:
        raise ApiError(400, "maxPaginationCount must be between 1 and 1000", "INVALID_PARAM")
    if params.get("q") == "followee":
        org = organization_from_page_urn(emulator, params.get("followee"))
        edge = params.get("edgeType")
        if edge not in (
            "MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE",
            "ORGANIZATIONAL_PAGE_FOLLOWS_ORGANIZATIONAL_PAGE",
        ):
            raise ApiError(400, "edgeType is required", "INVALID_PARAM")
        follows = emulator.dataset.page_followers(org, edge)
    elif params.get("q") == "follower":
        org = organization_from_page_urn(emulator, params.get("follower"))
        follows = emulator.dataset.followed_pages(org)
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


# ----------------------------------------------------------------------------------------------------
# DMA content analytics
# ----------------------------------------------------------------------------------------------------
CONTENT_RATIOS = ("ENGAGEMENT_RATE", "CLICK_THROUGH_RATE")
CONTENT_METRIC_TYPES = (*CONTENT_LIFETIME_FIELDS, *CONTENT_RATIOS)
SPAN_MESSAGE = "Start time and end time must be less than 14 months apart."  # LinkedIn's, as observed


def dma_content_analytics(emulator: Emulator, params: dict) -> dict:
    """``dmaOrganizationalPageContentAnalytics?q=trend&sourceEntity=<encoded page, share or ugcPost URN>
    &metricTypes=List(…)&timeIntervals=(timeRange:(start:<ms>,end:<ms>),timeGranularityType:DAY)``: one
    element per requested metric and day with activity (a day without any: no element), the day in
    ``metric.timeIntervals.timeRange``, counts as ``{"long": n}``, ratios as ``{"bigDecimal": "0.0123"}``,
    each split into organic and sponsored values. A window of 14 months or more is refused with LinkedIn's
    message; there is no lookback limit; the days served start in the window, the last two days before today.
    Not paged. No request spacing: LinkedIn documents one request a minute for follows only."""
    require(params, q="trend")
    metrics = params.get("metricTypes")
    if not isinstance(metrics, list) or not metrics:
        raise ApiError(400, "metricTypes is required: metricTypes=List(...)", "INVALID_PARAM")
    for metric in metrics:
        if metric not in CONTENT_METRIC_TYPES:
            raise ApiError(400, f"Invalid metricTypes parameter: unknown metric {metric!r}", "INVALID_PARAM")
    intervals = params.get("timeIntervals")
    time_range = intervals.get("timeRange") if isinstance(intervals, dict) else None
    if (
        not isinstance(time_range, dict)
        or set(time_range) != {"start", "end"}
        or not all(isinstance(v, str) and v.isdigit() for v in time_range.values())
    ):
        raise ApiError(
            400, "timeIntervals is required: timeIntervals=(timeRange:(start:<ms>,end:<ms>))", "INVALID_PARAM"
        )
    if intervals.get("timeGranularityType", "DAY") != "DAY":
        raise ApiError(400, "Invalid timeGranularityType: content analytics are by DAY", "INVALID_PARAM")
    start, end = int(time_range["start"]), int(time_range["end"])
    if end <= start:
        raise ApiError(400, "Invalid timeIntervals parameter: end must be after start", "INVALID_PARAM")
    end_day = ms_to_date(end)  # 14 calendar months before the end, at the end's time of day
    if start <= day_start_ms(months_before(end_day, 14)) + end - day_start_ms(end_day):
        raise ApiError(400, SPAN_MESSAGE, "INVALID_PARAM")
    entity = params.get("sourceEntity")
    if isinstance(entity, str) and entity.startswith("urn:li:organizationalPage:"):
        daily = emulator.dataset.page_daily(organization_from_page_urn(emulator, entity))
    elif isinstance(entity, str) and POST_URN.fullmatch(entity):
        org, _ = post_of(emulator, entity)
        daily = emulator.dataset.post_daily(organization_from_urn(emulator, org.urn), entity)
    else:
        raise ApiError(
            400,
            f"Invalid sourceEntity {entity!r}: expected an organizationalPage, share or ugcPost URN",
            "INVALID_PARAM",
        )
    last_day = emulator.today() - dt.timedelta(days=2)
    days = [day for day in daily if start <= day_start_ms(day) < end and day <= last_day]
    elements = [content_element(metric, day, daily[day]) for day in sorted(days) for metric in metrics]
    return {"elements": elements, "paging": {"start": 0, "count": 10, "links": []}}


def content_element(metric: str, day: dt.date, values: dict[str, tuple[int, int]]) -> dict:
    """One metric of one day, in the nesting production clients read (``type``, ``metric.timeIntervals``,
    ``metric.value.totalCount`` and ``typeSpecificValue.contentAnalyticsValue``)."""
    if metric in CONTENT_RATIOS:
        numerators = (
            ["CLICKS"] if metric == "CLICK_THROUGH_RATE" else ["CLICKS", "REACTIONS", "COMMENTS", "REPOSTS"]
        )

        def ratio(part: int | None) -> dict:
            pick = (lambda pair: sum(pair)) if part is None else (lambda pair: pair[part])
            shown = pick(values["IMPRESSIONS"])
            rate = Decimal(sum(pick(values[m]) for m in numerators)) / shown if shown else Decimal(0)
            return {"bigDecimal": str(rate.quantize(Decimal("0.0001")))}

        total, organic, sponsored = ratio(None), ratio(0), ratio(1)
    else:
        organic_count, sponsored_count = values[metric]
        total = {"long": organic_count + sponsored_count}
        organic, sponsored = {"long": organic_count}, {"long": sponsored_count}
    start = day_start_ms(day)
    return {
        "type": metric,
        "metric": {
            "timeIntervals": {"timeRange": {"start": start, "end": start + DAY_MS}},
            "value": {
                "totalCount": total,
                "typeSpecificValue": {
                    "contentAnalyticsValue": {"organicValue": organic, "sponsoredValue": sponsored}
                },
            },
        },
    }


# ----------------------------------------------------------------------------------------------------
# Ad accounts and Company Intelligence
# ----------------------------------------------------------------------------------------------------
def ad_accounts(emulator: Emulator, params: dict) -> dict:
    """``adAccounts?q=search`` ("Cursor Based Pagination": "From 202401 version and above, we have moved from index
    based pagination to cursor based pagination for our search APIs"): ``pageSize`` (default 100) and
    ``pageToken``, the next token in ``metadata.nextPageToken``, absent on the last page. LinkedIn does not say
    what it does with ``start``: here a search that sends it is refused, as a client paging by index would
    repeat the first page or miss accounts."""
    require(params, q="search")
    if "start" in params or "count" in params:
        raise ApiError(
            400, "Search APIs page by cursor since 202401: use pageSize and pageToken", "INVALID_PARAM"
        )
    size = int_param(params, "pageSize", default=100)
    if not 1 <= size <= 1000:
        raise ApiError(400, "pageSize must be between 1 and 1000", "INVALID_PARAM")
    token = params.get("pageToken")
    offset = int(base64.urlsafe_b64decode(token.encode()).decode().removeprefix("acct_")) if token else 0
    accounts = emulator.dataset.ad_accounts
    elements = [
        {"id": a.id, "name": a.name, "test": a.test, "reference": emulator.dataset.organizations[0].urn,
         "status": "ACTIVE", "type": "BUSINESS", "currency": "USD"}
        for a in accounts[offset : offset + size]
    ]  # fmt: skip
    metadata = {}
    if offset + size < len(accounts):
        metadata["nextPageToken"] = base64.urlsafe_b64encode(f"acct_{offset + size}".encode()).decode()
    return {"elements": elements, "metadata": metadata}


def account_intelligence(emulator: Emulator, params: dict) -> dict:
    require(params, q="account")
    if not emulator.settings.company_intelligence_access:
        raise ApiError(
            403,
            "ACCESS_DENIED: Not enough permissions to access /accountIntelligence API",
            "ACCESS_DENIED",
            100,
        )
    account_id = str(params.get("account")).removeprefix("urn:li:sponsoredAccount:")
    account = emulator.dataset.ad_account(int(account_id)) if account_id.isdigit() else None
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
    segments = criteria.get("adSegments", [])
    for segment in segments if isinstance(segments, list) else [None]:
        if not isinstance(segment, str) or not segment.startswith("urn:li:adSegment:"):
            raise ApiError(400, f"Invalid adSegments value {segment!r}", "INVALID_PARAM")
    campaign = criteria.get("campaign")
    if campaign is not None and not str(campaign).startswith("urn:li:sponsoredCampaign:"):
        raise ApiError(400, f"Invalid campaign {campaign!r}", "INVALID_PARAM")
    # Two readings of one page: "The maximum number of total results that can be returned is 100,000" (400 "Row
    # index {rowIndex} exceeds maximum limit of 100,000.") and, newer, "All results available are returned via the
    # API with no upper limits". Here the cap goes with 202606, which added companySize, industry and countryCode.
    start = int_param(params, "start", default=0)
    version = getattr(emulator.request, "version", "")
    cap = emulator.settings.company_intelligence_row_cap
    if version < UNCAPPED_COMPANY_INTELLIGENCE and start >= cap:
        raise ApiError(400, f"Row index {start} exceeds maximum limit of {cap:,}.", "INVALID_PARAM")
    rows = emulator.dataset.companies(account, lookback)
    if version < UNCAPPED_COMPANY_INTELLIGENCE:
        rows = [
            {k: v for k, v in row.items() if k not in ("companySize", "industry", "countryCode")}
            for row in rows
        ]
    if campaign is not None:
        rows = [{**row, "organicImpressions": 0, "organicEngagements": 0} for row in rows]
    if params.get("skipCompanyDecoration") == "true":
        rows = [{**row, "companyName": ""} for row in rows]
    return offset_page(rows, params, max_count=1000)


# The resource named by the first path segment after /rest/, and its handler.
# ----------------------------------------------------------------------------------------------------
# Engagement: social metadata, comments, video analytics
# ----------------------------------------------------------------------------------------------------
POST_URN = re.compile(r"urn:li:(share|ugcPost):\d+")
COMMENT_URN = re.compile(r"urn:li:comment:\((urn:li:activity:\d+),(\d+)\)")


def post_of(emulator: Emulator, urn: str) -> tuple[Organization, dict]:
    """The organization and post a share or ugcPost URN names: 400 if malformed, 404 if no such post."""
    if not POST_URN.fullmatch(urn or ""):
        raise ApiError(400, f"{urn!r} is not a share or ugcPost URN", "INVALID_PARAM")
    for org in emulator.dataset.organizations:
        post = emulator.dataset.post(org, urn)
        if post is not None:
            return org, post
    raise ApiError(404, f"Post {urn} not found", "NOT_FOUND")


def social_metadata(emulator: Emulator, params: dict) -> dict:
    """BATCH_GET ``socialMetadata?ids=List(<encoded post URNs>)`` ("Social Metadata API": reactions by type,
    comment counts, comments state): ``results`` by URN, a post it cannot serve in ``errors``."""

    def serve(urn: str) -> dict:
        org, _ = post_of(emulator, urn)
        return emulator.dataset.social_metadata(org, urn)

    answer = batch_get(params, "post URNs", serve)
    emulator.count("socialMetadata posts", len(answer["statuses"]))
    return answer


def social_actions(emulator: Emulator, params: dict, target: str = "", action: str = "") -> dict:
    """``socialActions/{encoded URN}/comments`` ("Comments API"): the comments on a post (its share or ugcPost
    URN), or the replies to a comment ("To resolve nested comments for a given parent comment, provide a parent
    commentUrn as the target": ``urn:li:comment:(urn:li:activity:…,…)``), newest first, ``start``/``count``
    pages. LinkedIn documents no page cap: this one serves at most ``comments_page_cap`` whatever the count asked,
    so a client that stops on a page shorter than its count loses the rest."""
    if action != "comments":
        raise ApiError(404, f"No social action {action!r}", "NOT_FOUND")
    reply_to = COMMENT_URN.fullmatch(target)
    if reply_to:
        found = emulator.dataset.post_of_activity(reply_to.group(1))
        if found is None:
            raise ApiError(404, f"Comment {target} not found", "NOT_FOUND")
        org, post = found
    else:
        org, post = post_of(emulator, target)
    comments = emulator.dataset.comments(org, post["id"])
    if reply_to:
        if not any(c["commentUrn"] == target for c in comments):
            raise ApiError(404, f"Comment {target} not found", "NOT_FOUND")
        listed = [c for c in comments if c.get("parentComment") == target]
    else:
        listed = [c for c in comments if "parentComment" not in c]
    listed = sorted(listed, key=lambda c: c["created"]["time"], reverse=True)
    emulator.count("comment requests")
    capped = dict(params)
    if int_param(params, "count", default=10) > emulator.settings.comments_page_cap:
        capped["count"] = str(emulator.settings.comments_page_cap)
    return offset_page(listed, capped, max_count=1000)


def video_analytics(emulator: Emulator, params: dict) -> dict:
    """``videoAnalytics?q=entity&entity=<ugcPost URN>&type=<metric>&aggregation=ALL`` ("Video Analytics API"):
    the entity must be a ugcPost that includes a video. An element names its metric ``statisticsType`` (what
    production clients read: 247GradLabs/LinkedInNET's VideoAnalyticsElement), not ``type``, the request's
    parameter. VIDEO_VIEW and VIEWER "will not be available after six months"."""
    require(params, q="entity")
    metric = params.get("type")
    if metric not in VIDEO_METRICS:
        raise ApiError(400, f"Invalid type {metric!r}", "INVALID_PARAM")
    if params.get("aggregation", "ALL") != "ALL":
        raise ApiError(400, "This emulator serves aggregation ALL only", "INVALID_PARAM")
    org, post = post_of(emulator, params.get("entity", ""))
    if not emulator.dataset.is_video(post):
        raise ApiError(400, f"{post['id']} is not a ugcPost with a video", "INVALID_PARAM")
    six_months_ago = day_start_ms(months_before(emulator.today(), 6))
    if metric in ("VIDEO_VIEW", "VIEWER") and post["createdAt"] < six_months_ago:
        return {"elements": [], "paging": EMPTY_PAGING}
    element = {"entity": post["id"], "statisticsType": metric,
               "value": emulator.dataset.video_metric(org, post, metric),
               "timeRange": {"start": post["createdAt"], "end": day_start_ms(emulator.today())}}  # fmt: skip
    return {"elements": [element], "paging": EMPTY_PAGING}


# ----------------------------------------------------------------------------------------------------
# Standardized data: names in the default locale, en_US. The methods each resource has, as LinkedIn's pages and
# its endpoint table list them: geo GET | BATCH_GET; seniorities and functions GET | GET_ALL (no BATCH_GET);
# industries and industryTaxonomyVersions/{version}/industries GET | BATCH_GET | GET_ALL.
# ----------------------------------------------------------------------------------------------------
EN_US = {"country": "US", "language": "en"}


def batch_of_ids(
    emulator: Emulator, params: dict, names: dict[int, str], answer: Callable[[int, str], dict]
) -> dict:
    if not all(str(key).isdigit() for key in params.get("ids") or []):  # a typed key: the whole request fails
        raise ApiError(400, "ids must be a non-empty List(...) of numeric ids", "INVALID_PARAM")

    def serve(key: str) -> dict:
        if int(key) not in names:
            raise ApiError(404, f"{key} not found", "NOT_FOUND")
        return answer(int(key), names[int(key)])

    answered = batch_get(params, "numeric ids", serve)
    emulator.count("standardized ids", len(answered["statuses"]))
    return answered


def geo(emulator: Emulator, params: dict) -> dict:
    """BATCH_GET ``geo?ids=List(<ids>)``: ``defaultLocalizedName``, no ``$URN``; no GET_ALL (the world)."""
    return batch_of_ids(
        emulator,
        params,
        GEO_NAMES,
        lambda i, name: {"id": i, "defaultLocalizedName": {"locale": EN_US, "value": name}},
    )


def named(kind: str) -> Callable[[int, str], dict]:
    """A standardized-data element as the Seniorities and Industries pages' samples show it."""
    return lambda i, name: {"name": {"localized": {"en_US": name}}, "id": i, "$URN": f"urn:li:{kind}:{i}"}


def get_all_or_batch_get(names: dict[int, str], kind: str, batch: bool) -> Handler:
    """GET_ALL (every value, ``start``/``count`` paged), and BATCH_GET ``ids=List(...)`` where ``batch``; a
    resource without BATCH_GET refuses ``ids`` with a 400, as LinkedIn refuses a method a resource lacks."""

    def handler(emulator: Emulator, params: dict, *keys: str) -> dict:
        if "ids" in params:
            if not batch:
                raise ApiError(
                    400, f"BATCH_GET is not supported on {kind} (GET | GET_ALL)", "ILLEGAL_ARGUMENT"
                )
            return batch_of_ids(emulator, params, names, named(kind))
        return offset_page([named(kind)(i, name) for i, name in names.items()], params, max_count=100)

    return handler


def industry_taxonomy(emulator: Emulator, params: dict, version: str = "", collection: str = "") -> dict:
    """``industryTaxonomyVersions/{version}/industries`` ("DEFAULT points to the latest version"): the taxonomy
    whose ids ``industryV2`` facets carry, by its current names."""
    if collection != "industries" or version not in ("DEFAULT", "V1_0", "V2_5", "V2_6", "V2_7"):
        raise ApiError(404, f"No resource industryTaxonomyVersions/{version}/{collection}", "NOT_FOUND")
    return get_all_or_batch_get(INDUSTRY_NAMES, "industry", batch=True)(emulator, params)


ROUTES: dict[str, Handler] = {
    "socialMetadata": social_metadata,
    "socialActions": social_actions,
    "videoAnalytics": video_analytics,
    "geo": geo,
    "industries": get_all_or_batch_get(OLD_INDUSTRY_NAMES, "industry", batch=True),
    "industryTaxonomyVersions": industry_taxonomy,
    "seniorities": get_all_or_batch_get(dict(enumerate(SENIORITY_NAMES, 1)), "seniority", batch=False),
    "functions": get_all_or_batch_get(dict(enumerate(FUNCTION_NAMES, 1)), "function", batch=False),
    "organizationAcls": organization_acls,
    "organizations": organizations,
    "organizationBrands": organization_brands,
    "brandPageStatistics": brand_page_statistics,
    "organizationalEntityNotifications": organizational_entity_notifications,
    "networkSizes": network_sizes,
    "organizationalEntityFollowerStatistics": follower_statistics,
    "organizationalEntityShareStatistics": share_statistics,
    "organizationPageStatistics": page_statistics,
    "posts": posts,
    "dmaOrganizationalPageFollows": dma_page_follows,
    "dmaOrganizationalPageProfiles": dma_organizational_page_profiles,
    "dmaOrganizationAcls": dma_organization_acls,
    "dmaOrganizationalPageContentAnalytics": dma_content_analytics,
    "adAccounts": ad_accounts,
    "accountIntelligence": account_intelligence,
}
