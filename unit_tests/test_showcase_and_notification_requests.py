"""Showcase pages (organization brands) and page notifications, on LinkedIn's documented answers
(documented_answers.py): the exact requests, the records, and what a user configures."""

import time

import freezegun
import pytest
import requests_mock
from airbyte_cdk.sources.types import StreamSlice

from unit_tests.documented_answers import (
    BRAND_PAGE_STATISTICS_LIFETIME,
    BRAND_PAGE_STATISTICS_TIME_BOUND,
    NOTIFICATION_WITH_DECORATIONS,
    NOTIFICATIONS,
    SHOWCASE_PAGES_BY_PARENT,
)
from unit_tests.helpers import API, ORG, access_token_config, run_read, serve_showcase_pages

LISTING_QUERY = f"q=parentOrganization&parent=urn%3Ali%3Aorganization%3A{ORG}&count=100"
BRANDS = [89758488, 89757515]  # the ids of LinkedIn's sample listing


def queries(mock, path):
    return [r.url.split("?", 1)[1] for r in mock.request_history if f"/rest/{path}?" in r.url]


def serve_documented_listing(mock):
    mock.get(f"{API}/organizations?q=parentOrganization", json=SHOWCASE_PAGES_BY_PARENT)


def test_showcase_pages_are_listed_once_per_organization_and_carry_their_parent():
    with requests_mock.Mocker() as mock:
        serve_documented_listing(mock)
        output = run_read(access_token_config(), ["showcase_pages"])
    assert queries(mock, "organizations") == [LISTING_QUERY], "one listing, then its cached answer"
    records = [r.record.data for r in output.records]
    assert sorted((r["id"], r["localizedName"], r["organization"]) for r in records) == [
        (89757515, "Internal_EI_TestCompany", f"urn:li:organization:{ORG}"),
        (89758488, "Internal_EI_Demo", f"urn:li:organization:{ORG}"),
    ]


def test_brand_page_statistics_are_asked_by_brand_urn_and_named_with_brand_and_parent():
    with requests_mock.Mocker() as mock:
        serve_documented_listing(mock)
        mock.get(f"{API}/brandPageStatistics", json=BRAND_PAGE_STATISTICS_LIFETIME)
        output = run_read(access_token_config(), ["showcase_page_statistics"])
    assert sorted(queries(mock, "brandPageStatistics")) == sorted(
        f"q=brand&brand=urn%3Ali%3AorganizationBrand%3A{brand}" for brand in BRANDS
    )
    records = [r.record.data for r in output.records]
    assert {(r["brand"], r["organization"]) for r in records} == {
        (f"urn:li:organizationBrand:{brand}", f"urn:li:organization:{ORG}") for brand in BRANDS
    }
    # The documented answer's views, kept as LinkedIn sends them (its older facet names included).
    assert records[0]["totalPageStatistics"]["views"]["allPageViews"] == {"pageViews": 1}
    assert "pageStatisticsByRegion" in records[0]


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
def test_brand_time_bound_statistics_use_the_time_bound_windows_and_keys():
    with requests_mock.Mocker() as mock:
        serve_showcase_pages(mock, {ORG: [BRANDS[0]]})
        mock.get(f"{API}/brandPageStatistics", json=BRAND_PAGE_STATISTICS_TIME_BOUND)
        output = run_read(access_token_config(), ["showcase_page_statistics_time_bound"])
    [query] = queries(mock, "brandPageStatistics")
    assert query.startswith(
        f"q=brand&brand=urn%3Ali%3AorganizationBrand%3A{BRANDS[0]}&timeIntervals=(timeRange:"
    )
    assert query.endswith(",timeGranularityType:DAY)")
    records = [r.record.data for r in output.records]
    assert records and all(r["brand"] == f"urn:li:organizationBrand:{BRANDS[0]}" for r in records)
    assert [r["timeRangeStart"] for r in records] == [
        e["timeRange"]["start"] for e in BRAND_PAGE_STATISTICS_TIME_BOUND["elements"]
    ]


def test_share_statistics_carry_a_row_per_showcase_page_named_by_its_own_urn():
    def answer(request, context):
        # LinkedIn may name a showcase page `urn:li:organization:<its id>` (the two addressed one entity since 2024).
        entity = request.qs["organizationalentity"][0].replace("organizationbrand", "organization")
        return {"elements": [{"organizationalEntity": entity, "totalShareStatistics": {"clickCount": 1}}]}

    with requests_mock.Mocker() as mock:
        serve_showcase_pages(mock, {ORG: [BRANDS[0]]})
        mock.get(f"{API}/organizationalEntityShareStatistics", json=answer)
        output = run_read(access_token_config(), ["share_statistics"])
    assert sorted(queries(mock, "organizationalEntityShareStatistics")) == [
        f"q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A{ORG}",
        f"q=organizationalEntity&organizationalEntity=urn%3Ali%3AorganizationBrand%3A{BRANDS[0]}",
    ]
    assert sorted(r.record.data["organizationalEntity"] for r in output.records) == [
        f"urn:li:organization:{ORG}",
        f"urn:li:organizationBrand:{BRANDS[0]}",
    ]


def test_showcase_page_ids_narrow_the_pages_and_the_switch_asks_for_no_listing():
    with requests_mock.Mocker() as mock:
        serve_documented_listing(mock)
        mock.get(f"{API}/brandPageStatistics", json=BRAND_PAGE_STATISTICS_LIFETIME)
        run_read(
            access_token_config(showcase_page_ids=[str(BRANDS[1])]),
            ["showcase_page_statistics"],
        )
    assert queries(mock, "brandPageStatistics") == [
        f"q=brand&brand=urn%3Ali%3AorganizationBrand%3A{BRANDS[1]}"
    ]
    with requests_mock.Mocker() as mock:
        mock.get(
            f"{API}/organizationalEntityShareStatistics", json={"elements": [{"organizationalEntity": "x"}]}
        )
        output = run_read(
            access_token_config(include_showcase_pages=False), ["share_statistics", "showcase_pages"]
        )
    assert [r.url for r in mock.request_history if "parentOrganization" in r.url] == []
    assert len(output.records) == 1 and output.errors == []


def test_a_showcase_page_linkedin_no_longer_has_is_skipped_and_said():
    with requests_mock.Mocker() as mock:
        serve_documented_listing(mock)
        mock.get(
            f"{API}/brandPageStatistics",
            [{"json": {"message": "Not found", "status": 404}, "status_code": 404},
             {"json": BRAND_PAGE_STATISTICS_LIFETIME}],
        )  # fmt: skip
        output = run_read(access_token_config(num_workers=1), ["showcase_page_statistics"])
    assert output.errors == [] and len(output.records) == 1
    warnings = [m.log.message for m in output.logs if m.log.level.value == "WARN"]
    assert any("no longer has showcase page 8975" in w for w in warnings)


def test_the_organizations_then_showcase_pages_router_yields_each_in_turn(components_module):
    class Fixed:
        def __init__(self, *partitions):
            self.partitions = partitions

        def stream_slices(self):
            return iter(StreamSlice(partition=p, cursor_slice={}) for p in self.partitions)

    router = components_module.ChainedPartitionRouter(
        routers=[Fixed({"a": 1}, {"a": 2}), Fixed(), Fixed({"b": 3})]
    )
    assert [dict(s.partition) for s in router.stream_slices()] == [{"a": 1}, {"a": 2}, {"b": 3}]


# --- Page notifications --------------------------------------------------------------------------------------


def window_of(url):
    """The (start, end) of a notifications request's timeRange."""
    start, end = url.split("timeRange=(start:")[1].split(")")[0].split(",end:")
    return int(start), int(end)


@pytest.mark.parametrize("answer", [NOTIFICATIONS, NOTIFICATION_WITH_DECORATIONS], ids=["pull", "decorated"])
@freezegun.freeze_time("2023-11-20T12:00:00Z", tick=True)
def test_notifications_are_pulled_from_max_start_date_and_60_days_ago_with_the_documented_actions(answer):
    windows: list[tuple[int, int]] = []

    def on_the_first_day(
        request, context
    ):  # the answer belongs to the oldest day asked, the others are empty
        windows.append(window_of(request.url))
        return answer if windows[-1][0] < (time.time() - 59 * 86_400) * 1000 else {"elements": []}

    with requests_mock.Mocker() as mock:
        mock.get(f"{API}/organizationalEntityNotifications", json=on_the_first_day)
        output = run_read(access_token_config(start_date="2020-01-01"), ["page_notifications"])
    for query in queries(mock, "organizationalEntityNotifications"):
        assert query.startswith(
            f"q=criteria&organizationalEntity=urn%3Ali%3Aorganization%3A{ORG}"
            "&actions=List(COMMENT,SHARE,SHARE_MENTION,ADMIN_COMMENT,COMMENT_EDIT,COMMENT_DELETE)&timeRange=(start:"
        )
    # A day a request (a sync the daily quota stops keeps the days read), from 60 days ago to now, end exclusive.
    windows.sort()
    sixty_days_ago = (time.time() - 60 * 86_400) * 1000
    assert sixty_days_ago < windows[0][0] < sixty_days_ago + 3_600_000, "LinkedIn keeps 60 days: none older"
    assert all(end - start <= 86_400_000 for start, end in windows)
    assert all(after[0] == before[1] for before, after in zip(windows, windows[1:], strict=False)), (
        "no gap, no overlap"
    )
    assert windows[-1][1] >= time.time() * 1000 - 60_000 and len(windows) in (60, 61)
    records = [r.record.data for r in output.records]
    assert [r["notificationId"] for r in records] == [e["notificationId"] for e in answer["elements"]]
    assert all(r["organizationalEntity"].startswith("urn:li:organization:") for r in records)


@freezegun.freeze_time("2026-03-10T12:00:00Z", tick=True)
def test_a_state_older_than_linkedins_retention_warns_that_notifications_may_be_lost():
    old = int((time.time() - 90 * 86_400) * 1000)
    partition = {"organization_id": ORG, "parent_slice": {}}
    saved = {
        "states": [{"partition": partition, "cursor": {"lastModifiedAt": str(old)}}],
        "use_global_cursor": False,
    }
    state = {"page_notifications": saved}
    with requests_mock.Mocker() as mock:
        mock.get(
            f"{API}/organizationalEntityNotifications",
            json={"elements": [], "paging": {"start": 0, "count": 10}},
        )
        output = run_read(access_token_config(), ["page_notifications"], state=state)
    warnings = [m.log.message for m in output.logs if m.log.level.value == "WARN"]
    assert any("page_notifications" in w and "over 60 days ago" in w for w in warnings), warnings
    assert output.errors == []


def test_a_notification_stamped_in_the_future_does_not_move_the_cursor_past_now():
    # One notification in 2100: as LinkedIn sent it, it would move the cursor there, and every later sync would
    # ask from 2100 and read nothing again.
    future = {"action": "COMMENT", "notificationId": 1, "lastModifiedAt": 4102444800000}

    def on_the_last_day(request, context):  # the day asked that holds now
        latest = window_of(request.url)[1] > (time.time() - 12 * 3600) * 1000  # the others end a day before
        return {"elements": [future] if latest else [], "paging": {"start": 0}}

    with requests_mock.Mocker() as mock:
        mock.get(f"{API}/organizationalEntityNotifications", json=on_the_last_day)
        output = run_read(access_token_config(), ["page_notifications"])
    [record] = [r.record.data for r in output.records]
    assert record["notificationId"] == 1 and record["lastModifiedAt"] <= time.time() * 1000
    cursor = output.state_messages[-1].state.stream.stream_state.__dict__["states"][0]["cursor"]
    assert int(cursor["lastModifiedAt"]) <= time.time() * 1000
