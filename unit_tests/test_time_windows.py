"""Time-bound windows: whole UTC buckets, end exclusive, retention clamp, incremental resumption, lookback."""

import re

import freezegun
import pytest
import requests_mock

from unit_tests.helpers import (
    DAY_MS,
    FOLLOWER_STATISTICS,
    ORG,
    SHARE_STATISTICS,
    access_token_config,
    daily_elements,
    ms,
    run_read,
    serve_showcase_pages,
)


def windows(mock):
    """(start, end, granularity) of each time-bound request, parsed from the raw query string."""
    found = []
    for request in mock.request_history:
        if "q=parentOrganization" in request.url:  # share statistics list the showcase pages first
            continue
        match = re.search(
            r"timeIntervals=\(timeRange:\(start:(\d+),end:(\d+)\),timeGranularityType:(\w+)\)", request.url
        )
        assert match, f"no Rest.li 2.0 timeIntervals in {request.url}"
        found.append((int(match.group(1)), int(match.group(2)), match.group(3)))
    return found


def echo_days(request, context):
    start, end, _ = windows_of(request.url)
    return {"elements": daily_elements(start, end)}


def windows_of(url):
    match = re.search(r"start:(\d+),end:(\d+)\),timeGranularityType:(\w+)", url)
    return int(match.group(1)), int(match.group(2)), match.group(3)


def state_at(cursor_ms):
    return {
        "states": [
            {
                "partition": {"organization_id": ORG, "parent_slice": {}},
                "cursor": {"timeRangeEnd": str(cursor_ms)},
            }
        ]
    }


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)  # a Tuesday
@pytest.mark.parametrize(
    ("granularity", "stream", "url", "expected"),
    [
        # Monday 2025-03-10 .. Monday 2026-03-09: 52 whole weeks.
        (
            "WEEK",
            "follower_statistics_time_bound",
            FOLLOWER_STATISTICS,
            (ms(2025, 3, 10), ms(2026, 3, 9), "WEEK"),
        ),
        # Share statistics have no WEEK buckets: DAY instead.
        ("WEEK", "share_statistics_time_bound", SHARE_STATISTICS, (ms(2025, 3, 10), ms(2026, 3, 9), "DAY")),
        # Whole months only: April 2025 .. February 2026 (March 2026 is not over).
        (
            "MONTH",
            "follower_statistics_time_bound",
            FOLLOWER_STATISTICS,
            (ms(2025, 4, 1), ms(2026, 3, 1), "MONTH"),
        ),
        ("MONTH", "share_statistics_time_bound", SHARE_STATISTICS, (ms(2025, 4, 1), ms(2026, 3, 1), "MONTH")),
    ],
)
def test_windows_are_whole_buckets_of_the_granularity(granularity, stream, url, expected):
    with requests_mock.Mocker() as mock:
        mock.get(url, json={"elements": []})
        serve_showcase_pages(mock)
        run_read(access_token_config(time_granularity_type=granularity), [stream])
    assert windows(mock) == [expected]


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
@pytest.mark.parametrize(
    ("start_date", "expected_start"),
    [
        ("2026-01-15", ms(2026, 1, 15)),
        ("2026-01-15T10:20:30Z", ms(2026, 1, 15)),  # start_date names the first day, whatever its time
        ("2019-01-01", ms(2025, 3, 10)),  # clamped to the 12-month retention
    ],
)
def test_start_date_is_used_within_the_retention_window(start_date, expected_start):
    with requests_mock.Mocker() as mock:
        mock.get(FOLLOWER_STATISTICS, json={"elements": []})
        run_read(access_token_config(start_date=start_date), ["follower_statistics_time_bound"])
    assert windows(mock) == [(expected_start, ms(2026, 3, 9), "DAY")]


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
def test_incremental_sync_rereads_the_lookback_window_and_stops_at_the_last_served_day():
    previous_end = ms(2026, 3, 5)
    with requests_mock.Mocker() as mock:
        mock.get(FOLLOWER_STATISTICS, json=echo_days)
        output = run_read(
            access_token_config(lookback_window_days=3),
            ["follower_statistics_time_bound"],
            state={"follower_statistics_time_bound": state_at(previous_end)},
        )
    assert windows(mock) == [(previous_end - 3 * DAY_MS, ms(2026, 3, 9), "DAY")]
    assert [r.record.data["timeRangeStart"] for r in output.records] == list(
        range(previous_end - 3 * DAY_MS, ms(2026, 3, 9), DAY_MS)
    )
    final_state = output.state_messages[-1].state.stream.stream_state.__dict__
    assert final_state["states"][0]["cursor"] == {"timeRangeEnd": str(ms(2026, 3, 9))}


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
def test_no_request_when_no_whole_new_bucket_exists():
    with requests_mock.Mocker() as mock:
        mock.get(FOLLOWER_STATISTICS, json=echo_days)
        output = run_read(
            access_token_config(lookback_window_days=0),
            ["follower_statistics_time_bound"],
            state={"follower_statistics_time_bound": state_at(ms(2026, 3, 9))},
        )
    assert mock.request_history == []
    assert output.errors == []


def test_a_sync_one_hour_after_the_previous_one_succeeds():
    """Airbyte's source-linkedin-pages fails here with a 400: its second window is shorter than a day."""
    with requests_mock.Mocker() as mock:
        mock.get(FOLLOWER_STATISTICS, json=echo_days)
        with freezegun.freeze_time("2026-03-10T10:00:00Z", tick=True):
            first = run_read(access_token_config(), ["follower_statistics_time_bound"])
        state = first.state_messages[-1].state.stream.stream_state.__dict__
        with freezegun.freeze_time("2026-03-10T11:00:00Z", tick=True):
            second = run_read(
                access_token_config(),
                ["follower_statistics_time_bound"],
                state={"follower_statistics_time_bound": state},
            )
    assert first.errors == [] and second.errors == []
    for start, end, _ in windows(mock):
        assert (end - start) % DAY_MS == 0 and end > start, "every window is whole days"
        assert start % DAY_MS == 0
    # The second sync re-reads exactly the default two-day lookback, nothing more.
    assert windows(mock)[1] == (ms(2026, 3, 7), ms(2026, 3, 9), "DAY")
    assert len(second.records) == 2


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
def test_state_is_kept_per_organization():
    with requests_mock.Mocker() as mock:
        mock.get(FOLLOWER_STATISTICS, json=echo_days)
        output = run_read(
            access_token_config(organization_ids=["1", "2"], lookback_window_days=0),
            ["follower_statistics_time_bound"],
            state={
                "follower_statistics_time_bound": {
                    "states": [
                        {
                            "partition": {"organization_id": "1", "parent_slice": {}},
                            "cursor": {"timeRangeEnd": str(ms(2026, 3, 9))},
                        }
                    ]
                }
            },
        )
    # Organization 1 is up to date; organization 2 has no state and reads the whole retention window.
    assert len(mock.request_history) == 1
    assert "urn%3Ali%3Aorganization%3A2" in mock.request_history[0].url
    assert windows(mock) == [(ms(2025, 3, 10), ms(2026, 3, 9), "DAY")]
    cursors = {
        s["partition"]["organization_id"]: s["cursor"]
        for s in output.state_messages[-1].state.stream.stream_state.__dict__["states"]
    }
    assert cursors == {"1": {"timeRangeEnd": str(ms(2026, 3, 9))}, "2": {"timeRangeEnd": str(ms(2026, 3, 9))}}


@freezegun.freeze_time("2026-03-10T15:30:00Z", tick=True)
@pytest.mark.parametrize(
    "config",
    [
        {"org_id": "1", "organization_ids": ["1", "2"]},  # migrated, organization 2 added in the same edit
        {"organization_ids": ["1"]},
    ],
)
def test_a_source_linkedin_pages_state_is_read_again_from_the_start_never_lost(config):
    # source-linkedin-pages saves one cursor, no partitions: whose it does not say, and airbyte-cdk would apply
    # it to every organization, a newly added one too, whose history would then be lost. Every one starts anew.
    legacy = {"timeRangeEnd": ms(2026, 2, 1)}
    with requests_mock.Mocker() as mock:
        mock.get(FOLLOWER_STATISTICS, json=echo_days)
        run_read(
            access_token_config(lookback_window_days=0, **config),
            ["follower_statistics_time_bound"],
            state={"follower_statistics_time_bound": legacy},
        )
    starts = {
        re.search(r"organization%3A(\d+)", r.url).group(1): windows_of(r.url)[0] for r in mock.request_history
    }
    assert starts == {org: ms(2025, 3, 10) for org in config["organization_ids"]}
