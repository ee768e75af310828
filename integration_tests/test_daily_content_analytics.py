"""Daily post and page analytics end to end (issue 32): the emulator's DMA content analytics read into a record
per post (or page) and day, equal to its ground truth, in the fewest requests, incrementally, and over several
syncs when LinkedIn's daily quota stops one."""

import datetime as dt
import time
from collections import Counter

from integration_tests.helpers import full_catalog, read_in_process
from linkedin_emulator.data import CONTENT_LIFETIME_FIELDS, day_start_ms

ORG = 2414183
NAMES = {"IMPRESSIONS": "impressions", "UNIQUE_IMPRESSIONS": "uniqueImpressions", "CLICKS": "clicks",
         "COMMENTS": "comments", "REACTIONS": "reactions", "REPOSTS": "reposts"}  # fmt: skip
RESOURCE = "GET dmaOrganizationalPageContentAnalytics"


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def as_rows(series, served):
    """The ground truth ``{day: {metric: (organic, sponsored)}}`` as the connector's rows, for the days served."""
    return {
        day_start_ms(day): {
            NAMES[m]: {"total": o + s, "organic": o, "sponsored": s} for m, (o, s) in metrics.items()
        }
        for day, metrics in series.items()
        if day in served
    }


def measured_posts(emulator):
    """The posts whose days are read: those LinkedIn measures, created within the last 364 days."""
    org = emulator.dataset.organization(ORG)
    since = (time.time() - 364 * 86_400) * 1000
    return org, [
        p["id"]
        for p in emulator.dataset.posts(org)
        if p["createdAt"] >= since and ":activity:" not in p["id"]
    ]


def rows_of(run, stream, key):
    return {
        (r[key], r["timeRangeStart"]): {k: v for k, v in r.items() if k in NAMES.values()}
        for r in run.records(stream)
    }


def test_each_post_and_the_page_day_by_day_equal_the_ground_truth_in_one_request_each(emulator):
    config = emulator.connector_config(dma_app=True, organization_ids=[str(ORG)])
    catalog = full_catalog(None, ["post_daily_statistics", "page_daily_content_statistics"])
    first = read_in_process(config, catalog)
    assert first.returncode == 0 and first.errors() == [], first.stderr[-2000:]
    org, posts = measured_posts(emulator)
    served = {today() - dt.timedelta(days=d) for d in range(2, 366)}  # 12 months, to the last day served
    expected = {
        (post, start): metrics
        for post in posts
        for start, metrics in as_rows(emulator.dataset.post_daily(org, post), served).items()
    }
    assert expected and rows_of(first, "post_daily_statistics", "post") == expected
    page = {(org.urn, start): m for start, m in as_rows(emulator.dataset.page_daily(org), served).items()}
    assert rows_of(first, "page_daily_content_statistics", "organization") == page
    # One request per post (a year is one window) and one for the page; the DMA app's token each time.
    assert emulator.stats[RESOURCE] == len(posts) + 1
    assert emulator.stats[f"dma app {RESOURCE.split()[1]}"] == len(posts) + 1

    # A post's days add up to its lifetime statistics (LinkedIn counts them apart: see docs/linkedin-org.md).
    lived = {p: emulator.dataset.post_daily(org, p) for p in posts}
    whole = next(p for p, days in lived.items() if days and min(days) in served and max(days) in served)
    impressions = sum(
        r["impressions"]["total"] for r in first.records("post_daily_statistics") if r["post"] == whole
    )
    lifetime = emulator.dataset.post_statistics(org, whole)[CONTENT_LIFETIME_FIELDS["IMPRESSIONS"]]
    assert impressions == lifetime > 0
    print(f"{whole}: {impressions} impressions over its days, {lifetime} in its lifetime statistics")

    before = emulator.stats[RESOURCE]
    second = read_in_process(config, catalog, first.final_states())
    assert second.returncode == 0 and second.errors() == []
    assert emulator.stats[RESOURCE] - before == len(posts) + 1, "each post's lookback days, one request each"
    again = Counter(r["post"] for r in second.records("post_daily_statistics"))
    assert again and max(again.values()) <= 2, "the lookback's two days, not the year again"


def test_a_backfill_the_daily_quota_stops_ends_over_two_syncs_with_nothing_lost_or_read_twice(emulator):
    config = emulator.connector_config(dma_app=True, organization_ids=[str(ORG)], lookback_window_days=0)
    catalog = full_catalog(None, ["post_daily_statistics"])
    org, posts = measured_posts(emulator)
    emulator.update_settings(daily_quota={"dmaOrganizationalPageContentAnalytics": len(posts) // 2})
    first = read_in_process(config, catalog)
    assert first.returncode != 0 and any("quota" in e["message"] for e in first.errors()), first.stderr[
        -2000:
    ]
    emulator.update_settings(daily_quota={})  # the next day: a new quota
    second = read_in_process(config, catalog, first.final_states())
    assert second.returncode == 0 and second.errors() == []
    served = {today() - dt.timedelta(days=d) for d in range(2, 366)}
    expected = {
        (post, start) for post in posts for start in as_rows(emulator.dataset.post_daily(org, post), served)
    }
    read_first, read_second = (
        set(rows_of(first, "post_daily_statistics", "post")),
        set(rows_of(second, "post_daily_statistics", "post")),
    )
    assert read_first | read_second == expected, "nothing lost"
    assert not read_first & read_second, "nothing read twice"
