"""Errors: the manifest's response filters (one test per filter), the 426 version fallback, redirects."""

import datetime as dt
import logging

import pytest
import requests
import requests_mock

from unit_tests.helpers import (
    NETWORK_SIZES,
    ORGANIZATIONS,
    POSTS,
    access_token_config,
    assert_config_error,
    linkedin_error,
    organizations_batch,
    read_failing_with,
    run_read,
)

DAILY_QUOTA = linkedin_error(
    429, "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.", "", 101
)


def served_versions(today: dt.date) -> set[str]:
    """LinkedIn's release pattern, for the test's mock: a version each month of the last year but December,
    this month's not yet out."""
    months = [today.year * 12 + today.month - 1 - back for back in range(1, 13)]
    return {f"{m // 12}{m % 12 + 1:02d}" for m in months if m % 12 != 11}


def test_sunset_version_moves_the_sync_to_an_older_version_linkedin_serves_with_a_warning(caplog):
    served = served_versions(dt.datetime.now(dt.UTC).date())
    sent = []

    def follower_count(request, context):
        version = request.headers["LinkedIn-Version"]
        sent.append(version)
        if version not in served:
            context.status_code = 426
            return linkedin_error(426, f"Requested version {version} is not active", "NONEXISTENT_VERSION")
        return {"firstDegreeSize": int(request.url.split("%3A")[-1].split("?")[0])}

    with requests_mock.Mocker() as mock, caplog.at_level(logging.WARNING):
        mock.get(NETWORK_SIZES, json=follower_count)
        output = run_read(
            access_token_config(organization_ids=["1", "2", "3"], linkedin_api_version="202301"),
            ["total_follower_count"],
        )
    assert output.errors == []
    assert sorted(r.record.data["firstDegreeSize"] for r in output.records) == [1, 2, 3]
    replacements = set(sent) - {"202301"}
    assert len(replacements) == 1 and replacements <= served, "one version LinkedIn serves, for every stream"
    assert any(
        "202301" in line.log.message
        and line.log.level.value == "WARN"
        and "linkedin_api_version" in line.log.message
        for line in output.logs
    )


def test_the_version_walk_skips_decembers_and_missing_months_and_stops_within_a_year():
    sent = []

    def follower_count(request, context):
        sent.append(request.headers["LinkedIn-Version"])
        context.status_code = 426
        return linkedin_error(426, "not active", "NONEXISTENT_VERSION")

    with requests_mock.Mocker() as mock:
        mock.get(NETWORK_SIZES, json=follower_count)
        output = run_read(
            access_token_config(linkedin_api_version="202301"),
            ["total_follower_count"],
            expecting_exception=True,
        )
    assert_config_error(output.errors[0].trace.error, "linkedin_api_version")
    tried = sent[1:]
    assert tried == sorted(tried, reverse=True) and len(set(tried)) == len(tried), (
        "each version once, newest first"
    )
    assert not any(version.endswith("12") for version in tried), "LinkedIn releases no December version"
    today = dt.datetime.now(dt.UTC).date()
    assert tried[0] < f"{today.year}{today.month:02d}", "this month's version may not be out yet"
    assert len(sent) <= 7, "bounded by the retries of one request"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (403, ["organization 22", "ADMINISTRATOR", "rw_organization_admin"]),
        (404, ["no organization 22", "organization_ids"]),
    ],
)
def test_user_fixable_errors_are_config_errors_naming_the_organization(status, expected):
    refusal = linkedin_error(
        status, "Not enough permissions to access: networkSizes.GET.20261001", "ACCESS_DENIED", 100
    )

    def follower_count(request, context):
        if "%3A22?" in request.url:
            context.status_code = status
            return refusal
        return {"firstDegreeSize": 1}

    with requests_mock.Mocker() as mock:
        mock.get(NETWORK_SIZES, json=follower_count)
        output = run_read(
            access_token_config(organization_ids=["11", "22"]),
            ["total_follower_count"],
            expecting_exception=True,
        )
    assert_config_error(output.errors[0].trace.error, *expected)

    # The same refusal inside a BATCH_GET answer (a 200 listing the organization under `errors`).
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, json=organizations_batch(errors={"22": refusal}))
        output = run_read(
            access_token_config(organization_ids=["11", "22"]),
            ["organization_lookup"],
            expecting_exception=True,
        )
    assert_config_error(output.errors[0].trace.error, *expected)
    assert "11" not in output.errors[0].trace.error.message, "only the refused organization is named"
    assert output.records == [], "no organization is emitted from a batch that failed"


def test_a_batch_error_of_lInkedin_itself_is_retried():
    answers = [
        {"json": organizations_batch(errors={"22": linkedin_error(500, "Internal error")})},
        {"json": organizations_batch()},
    ]
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, answers)
        output = run_read(access_token_config(organization_ids=["11", "22"]), ["organization_lookup"])
    assert output.errors == [] and sorted(r.record.data["id"] for r in output.records) == [11, 22]


def test_a_burst_429_honours_retry_after(instant_backoff):
    with requests_mock.Mocker() as mock:
        mock.get(
            NETWORK_SIZES,
            [
                {"status_code": 429, "headers": {"Retry-After": "7"}, "json": {"status": 429}},
                {"json": {"firstDegreeSize": 1}},
            ],
        )
        output = run_read(access_token_config(), ["total_follower_count"])
    assert [r.record.data["firstDegreeSize"] for r in output.records] == [1]
    assert [s for s in instant_backoff.sleeps if s] == [8]  # Retry-After plus airbyte-cdk's extra second


# "3600, 3600": two header lines (a gateway adds its own), as requests joins them; "3600s": a unit (issue 33 item 3).
@pytest.mark.parametrize("retry_after", ["3600", "3600, 3600", "3600s", "3600.0"])
def test_a_retry_after_of_an_hour_ends_with_the_quota_message_without_sleeping(instant_backoff, retry_after):
    with requests_mock.Mocker() as mock:
        mock.get(NETWORK_SIZES, status_code=429, headers={"Retry-After": retry_after}, json={"status": 429})
        output = run_read(access_token_config(), ["total_follower_count"], expecting_exception=True)
    error = output.errors[0].trace.error
    assert "daily API quota" in error.message and "00:00 UTC" in error.message and "\n" not in error.message
    assert len(mock.request_history) == 1 and sum(instant_backoff.sleeps) == 0


@pytest.mark.parametrize("retry_after", ["-30", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_a_negative_or_unparsable_retry_after_falls_back_to_the_normal_backoff(instant_backoff, retry_after):
    with requests_mock.Mocker() as mock:
        mock.get(
            NETWORK_SIZES,
            [
                {"status_code": 429, "headers": {"Retry-After": retry_after}, "json": {"status": 429}},
                {"json": {"firstDegreeSize": 1}},
            ],
        )
        output = run_read(access_token_config(), ["total_follower_count"])
    assert [r.record.data["firstDegreeSize"] for r in output.records] == [1]
    assert all(0 < s < 60 for s in instant_backoff.sleeps if s), instant_backoff.sleeps


def test_the_daily_quota_429_fails_at_once_saying_when_the_quota_resets(instant_backoff):
    with requests_mock.Mocker() as mock:
        mock.get(NETWORK_SIZES, status_code=429, json=DAILY_QUOTA)
        output = run_read(access_token_config(), ["total_follower_count"], expecting_exception=True)
    error = output.errors[0].trace.error
    assert "daily API quota" in error.message and "00:00 UTC" in error.message and "\n" not in error.message
    assert len(mock.request_history) == 1, "no retry can clear it before midnight"


@pytest.mark.parametrize(
    "failure",
    [
        {"status_code": 500, "json": {"status": 500}},
        {"status_code": 502, "text": "<html>Bad Gateway</html>"},
        {"status_code": 503, "json": {"status": 503}},
        {"status_code": 504, "text": "upstream timed out"},
        {"exc": requests.exceptions.ConnectionError("Connection reset by peer")},
        {"exc": requests.exceptions.ReadTimeout("read timed out")},
    ],
)
def test_transient_failures_are_retried(failure):
    with requests_mock.Mocker() as mock:
        mock.get(NETWORK_SIZES, [failure, failure, {"json": {"firstDegreeSize": 1}}])
        output = run_read(access_token_config(), ["total_follower_count"])
    assert [r.record.data["firstDegreeSize"] for r in output.records] == [1]
    assert output.errors == [] and len(mock.request_history) == 3


def test_a_malformed_200_body_is_retried_not_read_as_no_records():
    with requests_mock.Mocker() as mock:
        mock.get(
            NETWORK_SIZES,
            [
                {"text": '{"firstDegreeSi'},
                {"text": "<html>proxy</html>"},
                {"json": None},
                {"json": {"firstDegreeSize": 1}},
            ],
        )
        output = run_read(access_token_config(), ["total_follower_count"])
    assert [r.record.data["firstDegreeSize"] for r in output.records] == [1]
    assert len(mock.request_history) == 4


def test_a_body_that_stays_malformed_fails_with_a_clear_error():
    with requests_mock.Mocker() as mock:
        mock.get(NETWORK_SIZES, text="<html><body>Service Unavailable</body></html>")
        output = run_read(access_token_config(), ["total_follower_count"], expecting_exception=True)
    assert output.records == []
    assert "without its firstDegreeSize" in output.errors[0].trace.error.message


def test_a_bad_request_is_not_retried():
    with requests_mock.Mocker() as mock:
        mock.get(
            NETWORK_SIZES,
            status_code=400,
            json=linkedin_error(400, "Invalid query parameters", "ILLEGAL_ARGUMENT"),
        )
        output = run_read(access_token_config(), ["total_follower_count"], expecting_exception=True)
    assert output.errors and len(mock.request_history) == 1


def test_missing_posts_scope_names_the_scope_and_the_organization():
    error, _ = read_failing_with(
        POSTS,
        403,
        linkedin_error(
            403, "Not enough permissions to access: posts.FINDER-author.20261001", "ACCESS_DENIED"
        ),
        ["posts"],
    )
    assert_config_error(error, "organization 2414183", "r_organization_social")


def test_a_redirect_is_never_followed_with_the_credentials():
    with requests_mock.Mocker() as mock:
        mock.get(
            NETWORK_SIZES,
            status_code=307,
            headers={"Location": "https://collector.example/steal"},
            json={},
        )
        other_host = mock.get("https://collector.example/steal", json={"firstDegreeSize": 1})
        output = run_read(access_token_config(), ["total_follower_count"], expecting_exception=True)
    assert not other_host.called, "nothing, the bearer token above all, goes to the other host"
    assert_config_error(output.errors[0].trace.error, "api.linkedin.com", "collector.example", "redirect")
    assert len(mock.request_history) == 1, "a redirect is not retried"
