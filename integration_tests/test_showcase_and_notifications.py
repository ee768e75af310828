"""Showcase pages and page notifications end to end (issue 31): a full and an incremental sync against the
emulator, values against its ground truth, requests against the minimum, and the days between two syncs (a
showcase page added or removed, notifications that LinkedIn keeps 60 days)."""

import dataclasses
import datetime as dt
import time
from collections import Counter

from integration_tests.helpers import full_catalog, read_in_process
from linkedin_emulator.data import Brand, day_start_ms

ASKED = {"COMMENT", "SHARE", "SHARE_MENTION", "ADMIN_COMMENT", "COMMENT_EDIT", "COMMENT_DELETE"}  # not LIKE
SHOWCASE_STREAMS = ["showcase_pages", "showcase_page_statistics", "showcase_page_statistics_time_bound"]


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def requests_to(emulator, resource):
    return emulator.stats[f"GET {resource}"]


def test_showcase_streams_equal_the_ground_truth_in_the_fewest_requests(emulator):
    config = emulator.connector_config()  # every organization the member administers
    first = read_in_process(config, full_catalog(None, [*SHOWCASE_STREAMS, "share_statistics"]))
    assert first.returncode == 0 and first.errors() == [], first.stderr[-2000:]
    dataset, brands = emulator.dataset, emulator.dataset.brands
    assert {(r["id"], r["organization"]) for r in first.records("showcase_pages")} == {
        (b.id, f"urn:li:organization:{b.parent_id}") for b in brands
    }
    lifetime = {r["brand"]: r for r in first.records("showcase_page_statistics")}
    assert set(lifetime) == {b.urn for b in brands}
    for brand in brands:
        expected = dataset.brand_page_lifetime(brand)
        assert lifetime[brand.urn]["totalPageStatistics"] == expected["totalPageStatistics"]
        assert lifetime[brand.urn]["organization"] == brand.parent_urn
    days = {
        (r["brand"], r["timeRangeStart"]): r for r in first.records("showcase_page_statistics_time_bound")
    }
    assert len(days) == 364 * len(brands)
    day = today() - dt.timedelta(days=30)
    for brand in brands:
        row = days[(brand.urn, day_start_ms(day))]
        assert row["totalPageStatistics"]["views"] == dataset.brand_page_day(brand, day)["views"]
    shares = {r["organizationalEntity"]: r for r in first.records("share_statistics")}
    assert set(shares) == {o.urn for o in dataset.organizations} | {b.urn for b in brands}
    for brand in brands:
        expected = dataset.brand_share_lifetime(brand, today())["totalShareStatistics"]
        assert shares[brand.urn]["totalShareStatistics"] == expected
    # The minimum: one listing per organization (served from the cache to every other stream), one lifetime and
    # one time-bound request per showcase page.
    organizations = len(dataset.organizations)
    assert requests_to(emulator, "organizations") == organizations
    assert requests_to(emulator, "brandPageStatistics") == 2 * len(brands)

    second = read_in_process(config, full_catalog(None, SHOWCASE_STREAMS), first.final_states())
    assert second.returncode == 0 and second.errors() == []
    again = Counter(r["brand"] for r in second.records("showcase_page_statistics_time_bound"))
    assert again == {b.urn: 2 for b in brands}, "an incremental sync reads the lookback days again, no more"


def test_a_showcase_page_added_between_two_syncs_gets_its_history_and_one_removed_ends_cleanly(emulator):
    config = emulator.connector_config(organization_ids=["2414183"])
    catalog = full_catalog(None, ["showcase_page_statistics_time_bound"])
    first = read_in_process(config, catalog)
    assert first.returncode == 0 and first.errors() == []
    before = {r["brand"] for r in first.records()}
    kept, removed = [b for b in emulator.dataset.brands if b.urn in before]
    added = Brand(71829999, "Northwind Labs", "northwind-labs", 2414183)
    brands = [b for b in emulator.dataset.brands if b != removed] + [added]
    emulator.dataset = dataclasses.replace(emulator.dataset, brands=tuple(brands))

    second = read_in_process(config, catalog, first.final_states())
    assert second.returncode == 0 and second.errors() == [], second.stderr[-2000:]
    rows = Counter(r["brand"] for r in second.records())
    assert rows == {kept.urn: 2, added.urn: 364}, "the new page from the start, the kept one its lookback"


def asked(emulator, org, until_ms, since_ms):
    """The ids of the notifications of the actions the connector asks for, in a window."""
    notifications = emulator.dataset.notifications(org, until_ms, since_ms)
    return {n["notificationId"] for n in notifications if n["action"] in ASKED}


def test_notifications_of_the_last_60_days_then_only_the_new_ones(emulator):
    emulator.update_settings(today=(today() - dt.timedelta(days=3)).isoformat())
    config = emulator.connector_config(organization_ids=["2414183"], lookback_window_days=0)
    catalog = full_catalog(None, ["page_notifications"])
    org = emulator.dataset.organization(2414183)
    began = time.time() * 1000
    first = read_in_process(config, catalog)
    ended = time.time() * 1000
    assert first.returncode == 0 and first.errors() == [], first.stderr[-2000:]
    # The connector asks from 60 days (less a minute) before the moment it starts, which lies between the two.
    now, sixty_days = emulator.now_ms(), 60 * 86_400_000
    read = {r["notificationId"] for r in first.records()}
    at_most, at_least = (
        asked(emulator, org, now, began - sixty_days),
        asked(emulator, org, now, ended - sixty_days + 60_000),
    )
    assert at_least and at_least <= read <= at_most
    assert len(read) == len(first.records()), "each notification once"
    assert {r["organizationalEntity"] for r in first.records()} == {org.urn}

    emulator.update_settings(today=today().isoformat())  # three days later: new notifications
    second = read_in_process(config, catalog, first.final_states())
    assert second.returncode == 0 and second.errors() == []
    new, again = asked(emulator, org, emulator.now_ms(), now), {r["notificationId"] for r in second.records()}
    # The new ones, and of the first sync's only the last one read (the cursor is inclusive): not 60 days again.
    assert new and new <= again and len(again - new) <= 1 and again - new <= read


def test_notifications_the_daily_quota_stops_go_on_the_next_day_with_nothing_lost_or_read_twice(emulator):
    # One request for the 60 days kept no progress: a quota below an organization's pages re-read its newest
    # notifications every day while the oldest aged out (found by trying to break the connector).
    emulator.update_settings(
        today=(today() - dt.timedelta(days=1)).isoformat(),
        daily_quota={"organizationalEntityNotifications": 40},
    )
    config = emulator.connector_config(organization_ids=["2414183"], lookback_window_days=0, num_workers=1)
    catalog = full_catalog(None, ["page_notifications"])
    org = emulator.dataset.organization(2414183)
    began = time.time() * 1000
    first = read_in_process(config, catalog)
    assert "DAY limit" in " ".join(e["message"] for e in first.errors()), "the quota stopped the first sync"
    emulator.update_settings(today=today().isoformat())  # the next day: a new quota
    second = read_in_process(config, catalog, first.final_states())
    assert second.returncode == 0 and second.errors() == [], second.stderr[-2000:]
    read_first = [r["notificationId"] for r in first.records()]
    read_second = [r["notificationId"] for r in second.records()]
    now = emulator.now_ms()
    # Every notification of the 60 days (from the first sync's start) is read, the second sync re-reading at most
    # the one its cursor (inclusive) starts at.
    assert asked(emulator, org, now, began - 60 * 86_400_000 + 86_400_000) <= set(read_first) | set(
        read_second
    )
    assert len(set(read_first) & set(read_second)) <= 1
    assert len(read_first) == len(set(read_first)) and len(read_second) == len(set(read_second))
