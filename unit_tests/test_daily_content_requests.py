"""Daily post and page analytics (issue 32): LinkedIn's DMA content analytics, on the shapes production code reads
(documented_answers.py, each naming its source): the request, one record per day with each metric's organic and
sponsored parts, each variant of a count, and the DMA app they need."""

import freezegun
import pytest
import requests_mock

from unit_tests.documented_answers import (
    DMA_CONTENT_ANALYTICS,
    DMA_CONTENT_ANALYTICS_BIGDECIMAL,
    DMA_CONTENT_ANALYTICS_NO_TOTAL,
)
from unit_tests.helpers import (
    API,
    DMA_PAGE_PROFILES,
    ORG,
    access_token_config,
    page_id_of,
    page_profiles,
    run_read,
)
from unit_tests.test_posts import NEWEST, serve_posts

ANALYTICS = f"{API}/dmaOrganizationalPageContentAnalytics"
POST = "urn:li:ugcPost:7001"
DAY = 1772323200000  # 2026-03-01, the documented answers' day
METRICS = "List(IMPRESSIONS,UNIQUE_IMPRESSIONS,CLICKS,COMMENTS,REACTIONS,REPOSTS)"


def dma_config(**overrides):
    dma = {"auth_method": "access_token", "access_token": "dma-token"}
    return access_token_config(dma_credentials=dma, **overrides)


def analytics_queries(mock):
    return [r.url.split("?", 1)[1] for r in mock.request_history if r.url.startswith(ANALYTICS)]


def read_post_days(answer, **config):
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {ORG: [{"id": POST, "createdAt": NEWEST, "lastModifiedAt": NEWEST}]})
        mock.get(ANALYTICS, json=answer)
        output = run_read(dma_config(**config), ["post_daily_statistics"])
    return mock, output


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
def test_a_post_s_days_are_asked_in_one_request_with_the_dma_token_and_merged_one_record_a_day():
    mock, output = read_post_days(DMA_CONTENT_ANALYTICS)
    [query] = analytics_queries(mock)
    # The shape dpella/linked-company-pages-export sends: q=trend, one encoded sourceEntity, the metrics as a
    # Rest.li list, whole UTC days up to the last one LinkedIn serves, DAY buckets.
    assert sorted(query.split("&")) == [
        f"metricTypes={METRICS}",
        "q=trend",
        "sourceEntity=urn%3Ali%3AugcPost%3A7001",
        "timeIntervals=(timeRange:(start:1741564800000,end:1773014400000),timeGranularityType:DAY)",
    ]
    [request] = [r for r in mock.request_history if r.url.startswith(ANALYTICS)]
    assert request.headers["Authorization"] == "Bearer dma-token"
    assert output.errors == []
    [record] = [r.record.data for r in output.records]
    assert record == {
        "post": POST,
        "organization": f"urn:li:organization:{ORG}",
        "timeRangeStart": DAY,
        "timeRangeEnd": DAY + 86_400_000,
        "day": "2026-03-01",
        "impressions": {"total": 412, "organic": 380, "sponsored": 32},
        "clicks": {"total": 9, "organic": 8, "sponsored": 1},
    }


def test_a_count_as_a_big_decimal_and_a_ratio_are_read_as_numbers_kept_apart():
    _, output = read_post_days(DMA_CONTENT_ANALYTICS_BIGDECIMAL)
    [record] = [r.record.data for r in output.records]
    assert record["reactions"] == {"total": 12, "organic": 10, "sponsored": 2}
    assert record["engagementRate"] == {"total": 0.0123, "organic": 0.0131, "sponsored": 0.0031}


def test_without_a_total_the_total_is_organic_plus_sponsored():
    _, output = read_post_days(DMA_CONTENT_ANALYTICS_NO_TOTAL)
    [record] = [r.record.data for r in output.records]
    assert record["impressions"] == {"total": 412, "organic": 380, "sponsored": 32}


def test_elements_at_the_top_level_and_days_apart_make_a_record_each_day():
    element = DMA_CONTENT_ANALYTICS["elements"][0]
    flat = {"type": element["type"], **element["metric"]}  # `timeIntervals` and `value` at the top level
    next_day = {
        **element,
        "metric": {
            **element["metric"],
            "timeIntervals": {"timeRange": {"start": DAY + 86_400_000, "end": DAY + 2 * 86_400_000}},
        },
    }
    _, output = read_post_days({"elements": [flat, next_day, None, {"type": "CLICKS"}], "paging": {}})
    assert sorted(
        (r.record.data["timeRangeStart"], r.record.data["impressions"]["total"]) for r in output.records
    ) == [
        (DAY, 412),
        (DAY + 86_400_000, 412),
    ]


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
def test_a_start_date_two_years_back_is_asked_in_spans_under_14_months_from_the_12_month_floor():
    mock, _ = read_post_days({"elements": [], "paging": {}}, start_date="2024-03-01")
    spans = [q.split("timeRange:(start:")[1].split("),")[0].split(",end:") for q in analytics_queries(mock)]
    assert spans and all(int(end) - int(start) <= 365 * 86_400_000 for start, end in spans)


def test_without_a_dma_app_nothing_is_asked_and_one_line_says_so():
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {ORG: [{"id": POST, "createdAt": NEWEST, "lastModifiedAt": NEWEST}]})
        output = run_read(access_token_config(), ["post_daily_statistics", "page_daily_content_statistics"])
    assert analytics_queries(mock) == [] and output.errors == [] and output.records == []
    warnings = [m.log.message for m in output.logs if m.log.level.value == "WARN"]
    assert any("set dma_credentials" in w for w in warnings), warnings


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
def test_the_page_s_days_are_asked_on_its_page_entity_and_named_by_its_organization():
    with requests_mock.Mocker() as mock:
        mock.get(DMA_PAGE_PROFILES, json=page_profiles())
        mock.get(ANALYTICS, json=DMA_CONTENT_ANALYTICS)
        output = run_read(dma_config(), ["page_daily_content_statistics"])
    [query] = analytics_queries(mock)
    page = f"urn:li:organizationalPage:{page_id_of(ORG)}"
    assert (
        f"sourceEntity={page.replace(':', '%3A')}" in query.split("&") and f"metricTypes={METRICS}" in query
    )
    [record] = [r.record.data for r in output.records]
    assert (record["organization"], record["page"], record["timeRangeStart"]) == (
        f"urn:li:organization:{ORG}",
        page,
        DAY,
    )
    assert record["impressions"] == {"total": 412, "organic": 380, "sponsored": 32}


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
def test_a_day_outside_the_window_asked_is_dropped_and_never_moves_the_cursor():
    element = DMA_CONTENT_ANALYTICS["elements"][0]
    future = {
        **element,
        "metric": {
            **element["metric"],
            "timeIntervals": {"timeRange": {"start": 4102444800000, "end": 4102531200000}},
        },
    }
    _, output = read_post_days({"elements": [element, future], "paging": {}})
    assert [r.record.data["timeRangeStart"] for r in output.records] == [DAY]
    cursor = output.state_messages[-1].state.stream.stream_state.__dict__["states"][0]["cursor"]
    assert int(cursor["timeRangeEnd"]) <= 1773014400000  # the window's end, 2026-03-09


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
@pytest.mark.parametrize(
    "time_range",
    [
        {"start": DAY},
        {"start": DAY + 0.5, "end": DAY + 86_400_000},
        {"start": str(DAY), "end": DAY + 86_400_000},
    ],
    ids=["no-end", "fraction", "text"],
)
def test_a_day_with_no_whole_window_is_dropped_never_a_template_in_a_record(time_range):
    # Such an element once became a record whose `day_metric` held the template's own text (found by trying to
    # break the connector): it has no day to be.
    element = DMA_CONTENT_ANALYTICS["elements"][0]
    broken = {**element, "metric": {**element["metric"], "timeIntervals": {"timeRange": time_range}}}
    _, output = read_post_days({"elements": [element, broken], "paging": {}})
    assert [r.record.data["timeRangeStart"] for r in output.records] == [DAY]
    assert all("day_metric" not in r.record.data and "{%" not in str(r.record.data) for r in output.records)


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
@pytest.mark.parametrize(
    ("paging", "paged"),
    [
        ({"start": 0, "count": 10, "links": [{"rel": "next", "href": "/rest/x?start=10"}]}, True),
        ({"start": 0, "count": 10, "total": 708}, True),
        ({"start": 0, "count": 10, "total": 1, "links": []}, False),  # every element came
        ({"start": 0, "count": 10}, False),  # the emulator's, and no integration reads more
    ],
    ids=["next-link", "total-above", "total-all", "no-total"],
)
def test_an_answer_that_says_it_holds_more_fails_the_post_never_reads_it_in_part(paging, paged):
    # No integration pages this resource and LinkedIn's page is out of reach: a paged answer read as whole would
    # lose days without a word (found by trying to break the connector).
    mock, output = read_post_days({**DMA_CONTENT_ANALYTICS, "paging": paging})
    if paged:
        error = output.errors[0].trace.error  # (then airbyte-cdk's line naming the stream that failed)
        assert error.message.startswith(f"LinkedIn paged the daily analytics of {POST},")
        assert output.records == []
    else:
        assert output.errors == [] and [r.record.data["timeRangeStart"] for r in output.records] == [DAY]
