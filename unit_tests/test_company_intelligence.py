"""company_intelligence: account discovery, paging, the 100,000-row cap, filter encoding, the three 403s."""

import re

import pytest
import requests_mock

from unit_tests.helpers import (
    ACCOUNT_INTELLIGENCE,
    AD_ACCOUNTS,
    ORGANIZATIONS,
    access_token_config,
    assert_config_error,
    linkedin_error,
    organizations_batch,
    read_failing_with,
    run_read,
)


def company(i):
    return {
        "companyName": f"Company {i}",
        "companyPageUrl": f"https://www.linkedin.com/company/c{i}",
        "paidImpressions": 10**6 - i,
    }


def serve_companies(mock, total, cap=100_000):
    """LinkedIn's finder: pages of ``count`` from ``start``, and a 400 past the row cap of its version."""

    def answer(request, context):
        start = int(re.search(r"[?&]start=(\d+)", request.url).group(1)) if "start=" in request.url else 0
        count = int(re.search(r"[?&]count=(\d+)", request.url).group(1))
        if start >= cap:
            context.status_code = 400
            return {"status": 400, "message": f"Row index {start} exceeds maximum limit of {cap:,}."}
        return {
            "elements": [company(i) for i in range(start, min(start + count, total))],
            "paging": {"start": start, "count": count},
        }

    mock.get(ACCOUNT_INTELLIGENCE, json=answer)


def starts(mock):
    return [
        int(re.search(r"[?&]start=(\d+)", r.url).group(1)) if "start=" in r.url else 0
        for r in mock.request_history
        if r.url.startswith(ACCOUNT_INTELLIGENCE)
    ]


def test_pages_of_500_until_a_short_page_with_account_and_lookback_added():
    with requests_mock.Mocker() as mock:
        serve_companies(mock, 1234)
        output = run_read(
            access_token_config(
                ad_account_ids=["508774356"], company_intelligence_lookback_window="LAST_30_DAYS"
            ),
            ["company_intelligence"],
        )
    assert starts(mock) == [0, 500, 1000]
    assert mock.request_history[0].url.split("?", 1)[1] == (
        "q=account&account=urn%3Ali%3AsponsoredAccount%3A508774356&filterCriteria=(lookbackWindow:LAST_30_DAYS)&count=500"
    )
    records = [r.record.data for r in output.records]
    assert len(records) == 1234
    assert {(r["account"], r["lookbackWindow"]) for r in records} == {
        ("urn:li:sponsoredAccount:508774356", "LAST_30_DAYS")
    }


def test_an_exactly_full_last_page_ends_on_the_empty_page_after_it():
    with requests_mock.Mocker() as mock:
        serve_companies(mock, 1000)
        output = run_read(access_token_config(ad_account_ids=["1"]), ["company_intelligence"])
    assert starts(mock) == [0, 500, 1000] and len(output.records) == 1000


def test_the_row_cap_of_the_version_ends_the_account_with_a_warning_not_a_failed_sync():
    # LinkedIn's cap is 100,000 rows; the same answer past a cap of 1,000 proves the behaviour in 3 pages.
    with requests_mock.Mocker() as mock:
        serve_companies(mock, 2500, cap=1000)
        output = run_read(access_token_config(ad_account_ids=["7"]), ["company_intelligence"])
    assert starts(mock) == [0, 500, 1000], "the page past the cap is the last one asked"
    assert len(output.records) == 1000 and output.errors == []
    warnings = [line.log.message for line in output.logs if line.log.level.value == "WARN"]
    assert any("ad account 7 has more" in message for message in warnings), "nothing is cut silently"


def test_accounts_are_discovered_without_test_accounts():
    accounts = [
        {"id": 11, "name": "Main", "test": False},
        {"id": 12, "name": "Sandbox", "test": True},
        {"id": 13, "name": "EU", "test": False},
    ]
    with requests_mock.Mocker() as mock:
        mock.get(AD_ACCOUNTS, json={"elements": accounts, "metadata": {}})
        serve_companies(mock, 3)
        output = run_read(access_token_config(), ["company_intelligence"])
    assert (
        next(r for r in mock.request_history if r.url.startswith(AD_ACCOUNTS)).url.split("?", 1)[1]
        == "q=search&pageSize=100"
    )
    asked = sorted(
        re.search(r"sponsoredAccount%3A(\d+)", r.url).group(1)
        for r in mock.request_history
        if r.url.startswith(ACCOUNT_INTELLIGENCE)
    )
    assert asked == ["11", "13"]
    assert {r.record.data["account"] for r in output.records} == {
        "urn:li:sponsoredAccount:11",
        "urn:li:sponsoredAccount:13",
    }


def test_ad_accounts_are_paged_by_cursor_until_linkedin_gives_no_next_token():
    """Search finders page by cursor since 202401: the token of each answer, never start/count."""
    pages = {
        None: {"elements": [{"id": 11, "test": False}], "metadata": {"nextPageToken": "dG9rZW4x"}},
        "dG9rZW4x": {"elements": [{"id": 12, "test": False}], "metadata": {"nextPageToken": "dG9rZW4y"}},
        "dG9rZW4y": {"elements": [{"id": 13, "test": False}], "metadata": {}},
    }
    with requests_mock.Mocker() as mock:
        token = re.compile(r"[?&]pageToken=([^&]+)")
        mock.get(AD_ACCOUNTS, json=lambda request, _: pages[(token.search(request.url) or [None, None])[1]])
        serve_companies(mock, 1)
        output = run_read(access_token_config(), ["company_intelligence"])
    listed = [r.url.split("?", 1)[1] for r in mock.request_history if r.url.startswith(AD_ACCOUNTS)]
    assert listed == [
        "q=search&pageSize=100",
        "q=search&pageToken=dG9rZW4x&pageSize=100",
        "q=search&pageToken=dG9rZW4y&pageSize=100",
    ]
    assert {r.record.data["account"] for r in output.records} == {
        f"urn:li:sponsoredAccount:{i}" for i in (11, 12, 13)
    }


def test_ad_segment_and_campaign_filters_are_restli_encoded():
    config = access_token_config(
        ad_account_ids=["1"],
        company_intelligence_ad_segment_ids=["1234", "5678"],
        company_intelligence_campaign_id="12345678",
    )
    with requests_mock.Mocker() as mock:
        serve_companies(mock, 0)
        run_read(config, ["company_intelligence"])
    assert (
        "filterCriteria=(lookbackWindow:LAST_90_DAYS,adSegments:List(urn%3Ali%3AadSegment%3A1234,urn%3Ali%3AadSegment%3A5678),campaign:urn%3Ali%3AsponsoredCampaign%3A12345678)&"
        in mock.request_history[0].url
    )


@pytest.mark.parametrize(
    ("linkedin_message", "expected"),
    [
        (
            "ACCESS_DENIED: Not enough permissions to access /accountIntelligence API",
            "no access to the Company Intelligence API",
        ),
        (
            "PERMISSION_DENIED: Access request for sponsored account denied for READ_SPONSORED_ACCOUNT permissions.",
            "no role on ad account 77",
        ),
        ("Ads reporting permission is required to fetch Company Intelligence data.", "r_ads_reporting"),
    ],
)
def test_each_documented_403_says_what_to_request(linkedin_message, expected):
    error, _ = read_failing_with(
        ACCOUNT_INTELLIGENCE,
        403,
        linkedin_error(403, linkedin_message),
        ["company_intelligence"],
        access_token_config(ad_account_ids=["77"]),
    )
    assert_config_error(error, expected)


def test_an_unusable_company_intelligence_does_not_touch_other_streams():
    with requests_mock.Mocker() as mock:
        mock.get(
            ACCOUNT_INTELLIGENCE,
            status_code=403,
            json=linkedin_error(
                403, "ACCESS_DENIED: Not enough permissions to access /accountIntelligence API"
            ),
        )
        mock.get(ORGANIZATIONS, json=organizations_batch())
        output = run_read(access_token_config(), ["organization_lookup"])
    assert output.errors == [] and len(output.records) == 1
    assert not any(r.url.startswith((ACCOUNT_INTELLIGENCE, AD_ACCOUNTS)) for r in mock.request_history)
