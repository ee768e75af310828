"""The eight organization streams: exact requests (URL, Rest.li query, headers), records and added fields."""

import re

import freezegun
import pytest
import requests_mock

from unit_tests.helpers import (
    API,
    FOLLOWER_STATISTICS,
    ORG,
    ORG_URN_ENCODED,
    ORGANIZATIONS,
    access_token_config,
    daily_elements,
    ms,
    organizations_batch,
    requested_organizations,
    run_read,
    serve_showcase_pages,
)

NOW = "2026-03-10T15:30:00Z"


# Retention starts 365 days back; the last bucket LinkedIn serves starts two days before today.
FIRST_DAY = ms(2025, 3, 10)
END_EXCLUSIVE = ms(2026, 3, 9)


def raw_queries(mock, path=""):
    """The queries sent (to ``path`` only, when given: share statistics also list the showcase pages)."""
    sent = [request.url for request in mock.request_history if f"/rest/{path}" in request.url]
    return [url.split("?", 1)[1] if "?" in url else "" for url in sent]


@pytest.fixture
def frozen_now():
    with freezegun.freeze_time(NOW, tick=True):
        yield


def test_organization_lookup_reads_the_organization_resource():
    with requests_mock.Mocker() as mock:
        mock.get(
            ORGANIZATIONS,
            json=organizations_batch(
                resource=lambda org_id: {
                    "id": int(org_id),
                    "localizedName": "LinkedIn",
                    "vanityName": "linkedin",
                }
            ),
        )
        output = run_read(access_token_config(), ["organization_lookup"])
    assert [r.record.data for r in output.records] == [
        {"id": int(ORG), "localizedName": "LinkedIn", "vanityName": "linkedin"}
    ]
    request = mock.request_history[0]
    assert request.url == f"{ORGANIZATIONS}?ids=List({ORG})", "a Rest.li 2.0 BATCH_GET"
    assert request.headers["Authorization"] == "Bearer test-access-token"
    assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert re.fullmatch(r"20\d{4}", request.headers["LinkedIn-Version"])


def test_linkedin_version_can_be_overridden_from_config():
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, json=organizations_batch())
        run_read(access_token_config(linkedin_api_version="202507"), ["organization_lookup"])
    assert mock.request_history[0].headers["LinkedIn-Version"] == "202507"


def test_total_follower_count_encodes_the_resource_key_and_adds_the_organization():
    with requests_mock.Mocker() as mock:
        mock.get(f"{API}/networkSizes/{ORG_URN_ENCODED}", json={"firstDegreeSize": 219145})
        output = run_read(access_token_config(), ["total_follower_count"])
    assert (
        mock.request_history[0].url
        == f"{API}/networkSizes/{ORG_URN_ENCODED}?edgeType=COMPANY_FOLLOWED_BY_MEMBER"
    )
    assert [r.record.data for r in output.records] == [
        {"firstDegreeSize": 219145, "organizationalEntity": f"urn:li:organization:{ORG}"}
    ]


@pytest.mark.parametrize(
    ("stream", "path", "query"),
    [
        (
            "follower_statistics",
            "organizationalEntityFollowerStatistics",
            f"q=organizationalEntity&organizationalEntity={ORG_URN_ENCODED}",
        ),
        (
            "share_statistics",
            "organizationalEntityShareStatistics",
            f"q=organizationalEntity&organizationalEntity={ORG_URN_ENCODED}",
        ),
        ("page_statistics", "organizationPageStatistics", f"q=organization&organization={ORG_URN_ENCODED}"),
    ],
)
def test_lifetime_statistics_request_has_no_time_intervals(stream, path, query):
    element = {
        "organizationalEntity": f"urn:li:organization:{ORG}",
        "organization": f"urn:li:organization:{ORG}",
    }
    with requests_mock.Mocker() as mock:
        mock.get(f"{API}/{path}", json={"elements": [element], "paging": {"count": 10, "start": 0}})
        serve_showcase_pages(mock)
        output = run_read(access_token_config(), [stream])
    assert raw_queries(mock, path) == [query]
    assert [r.record.data for r in output.records] == [element]


@pytest.mark.parametrize(
    ("stream", "path", "finder"),
    [
        (
            "follower_statistics_time_bound",
            "organizationalEntityFollowerStatistics",
            f"q=organizationalEntity&organizationalEntity={ORG_URN_ENCODED}",
        ),
        (
            "share_statistics_time_bound",
            "organizationalEntityShareStatistics",
            f"q=organizationalEntity&organizationalEntity={ORG_URN_ENCODED}",
        ),
        (
            "page_statistics_time_bound",
            "organizationPageStatistics",
            f"q=organization&organization={ORG_URN_ENCODED}",
        ),
    ],
)
def test_time_bound_first_sync_reads_the_whole_retention_window_in_one_request(
    frozen_now, stream, path, finder
):
    entity_key = "organization" if path == "organizationPageStatistics" else "organizationalEntity"
    with requests_mock.Mocker() as mock:
        mock.get(f"{API}/{path}", json={"elements": daily_elements(FIRST_DAY, END_EXCLUSIVE, entity_key)})
        serve_showcase_pages(mock)
        output = run_read(access_token_config(), [stream])
    assert raw_queries(mock, path) == [
        f"{finder}&timeIntervals=(timeRange:(start:{FIRST_DAY},end:{END_EXCLUSIVE}),timeGranularityType:DAY)"
    ]
    records = [r.record.data for r in output.records]
    assert len(records) == 364
    assert records[0]["timeRangeStart"] == FIRST_DAY
    assert records[0]["timeRangeEnd"] == FIRST_DAY + 86_400_000
    assert records[-1]["timeRangeEnd"] == END_EXCLUSIVE


def test_follower_gains_keep_negative_values(frozen_now):
    elements = daily_elements(
        FIRST_DAY, FIRST_DAY + 86_400_000, followerGains={"organicFollowerGain": -3, "paidFollowerGain": 2}
    )
    with requests_mock.Mocker() as mock:
        mock.get(FOLLOWER_STATISTICS, json={"elements": elements})
        output = run_read(access_token_config(), ["follower_statistics_time_bound"])
    assert output.records[0].record.data["followerGains"] == {
        "organicFollowerGain": -3,
        "paidFollowerGain": 2,
    }


def test_every_configured_organization_is_read():
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, json=organizations_batch())
        output = run_read(access_token_config(organization_ids=["11", "22", "33"]), ["organization_lookup"])
    assert [requested_organizations(r) for r in mock.request_history] == [["11", "22", "33"]]
    assert sorted(r.record.data["id"] for r in output.records) == [11, 22, 33]


def test_a_sync_crossing_midnight_stamps_every_snapshot_with_the_day_it_began():
    # Issue 33 item 20: the clock passes midnight UTC between the two organizations' lifetime answers.
    with freezegun.freeze_time("2026-12-05 23:59:59") as clock:

        def lifetime(request, context):
            org = re.search(r"organization%3A(\d+)", request.url).group(1)
            if org == "22":
                clock.move_to("2026-12-06 00:00:05")
            return {"elements": [{
                "organizationalEntity": f"urn:li:organization:{org}",
                "followerCountsByGeoCountry": [{"geo": "urn:li:geo:103644278", "followerCounts": {
                    "organicFollowerCount": 1, "paidFollowerCount": 0}}]}]}  # fmt: skip

        with requests_mock.Mocker() as mock:
            mock.get(FOLLOWER_STATISTICS, json=lifetime)
            config = access_token_config(organization_ids=["11", "22"], num_workers=1)
            output = run_read(config, ["follower_demographics"])
    assert output.errors == [] and len(output.records) == 2
    assert {r.record.data["snapshotDate"] for r in output.records} == {"2026-12-05"}


@pytest.mark.parametrize(
    ("stream", "path"),
    [
        ("share_statistics_time_bound", "organizationalEntityShareStatistics"),
        ("page_statistics_time_bound", "organizationPageStatistics"),
    ],
)
def test_a_bucket_outside_the_window_asked_is_dropped_and_never_moves_the_cursor(frozen_now, stream, path):
    # One bucket stamped in 2100 beside the window's: kept, it would move the cursor there, and every later sync
    # would ask from 2100 and read nothing again.
    entity_key = "organization" if path == "organizationPageStatistics" else "organizationalEntity"
    answer = daily_elements(FIRST_DAY, FIRST_DAY + 2 * 86_400_000, entity_key)
    answer += daily_elements(4_102_444_800_000, 4_102_444_800_000 + 86_400_000, entity_key)
    with requests_mock.Mocker() as mock:
        mock.get(f"{API}/{path}", json={"elements": answer})
        serve_showcase_pages(mock)
        output = run_read(access_token_config(), [stream])
    assert [r.record.data["timeRangeStart"] for r in output.records] == [FIRST_DAY, FIRST_DAY + 86_400_000]
    cursor = output.state_messages[-1].state.stream.stream_state.__dict__["states"][0]["cursor"]
    assert int(cursor["timeRangeEnd"]) <= END_EXCLUSIVE


@pytest.mark.parametrize(
    "time_range",
    [
        None,
        {"start": FIRST_DAY},
        {"start": FIRST_DAY + 0.5, "end": FIRST_DAY + 86_400_000},
        {"start": -86_400_000, "end": 0},
    ],
    ids=["no-timeRange", "no-end", "fraction", "1969"],
)
def test_a_bucket_with_no_whole_window_is_dropped_the_others_read(frozen_now, time_range):
    # No timeRange once failed every sync in a template (system_error, a traceback); a bucket before the window
    # asked (1969) was delivered (found by trying to break the connector).
    answer = daily_elements(FIRST_DAY, FIRST_DAY + 2 * 86_400_000, "organizationalEntity")
    broken = {key: value for key, value in answer[0].items() if key != "timeRange"}
    answer.append({**broken, **({"timeRange": time_range} if time_range else {})})
    with requests_mock.Mocker() as mock:
        mock.get(f"{API}/organizationalEntityShareStatistics", json={"elements": answer})
        serve_showcase_pages(mock)
        output = run_read(access_token_config(), ["share_statistics_time_bound"])
    assert not output.errors
    assert [r.record.data["timeRangeStart"] for r in output.records] == [FIRST_DAY, FIRST_DAY + 86_400_000]
