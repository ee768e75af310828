"""Errors: the 426 version fallback, actionable config errors naming the organization, transient retries."""

import logging

import pytest
import requests
import requests_mock
from source_linkedin_org.components import active_version_for

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


def test_sunset_version_moves_the_sync_to_an_active_version_with_a_warning(caplog):
    sent_versions = []

    def lookup(request, context):
        sent_versions.append(request.headers["LinkedIn-Version"])
        if request.headers["LinkedIn-Version"] == "202301":
            context.status_code = 426
            return {
                "status": 426,
                "code": "NONEXISTENT_VERSION",
                "message": "Requested version 20230101 is not active",
            }
        return {"firstDegreeSize": int(request.url.split("%3A")[-1].split("?")[0])}

    with requests_mock.Mocker() as mock, caplog.at_level(logging.WARNING):
        mock.get(NETWORK_SIZES, json=lookup)
        output = run_read(
            access_token_config(organization_ids=["1", "2", "3"], linkedin_api_version="202301"),
            ["total_follower_count"],
        )
    assert sorted(r.record.data["firstDegreeSize"] for r in output.records) == [1, 2, 3]
    assert output.errors == []
    import datetime as dt

    active = active_version_for(dt.datetime.now(dt.UTC).date())
    assert sent_versions.count(active) == 3, "every organization ends up read with the active version"
    assert set(sent_versions) <= {"202301", active}
    warnings = [
        line for line in output.logs if "202301" in line.log.message and line.log.level.value == "WARN"
    ]
    assert any("update the pinned LinkedIn-Version" in w.log.message for w in warnings)


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
    assert output.records == [], "no organization is emitted from a batch that failed"


def test_rate_limit_honours_retry_after(instant_backoff):
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
    assert output.errors == []
    assert len(mock.request_history) == 3


def test_a_daily_quota_429_ends_within_minutes_saying_when_the_quota_resets(instant_backoff):
    with requests_mock.Mocker() as mock:
        mock.get(
            NETWORK_SIZES,
            status_code=429,
            json={
                "status": 429,
                "message": "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
            },
        )
        output = run_read(access_token_config(), ["total_follower_count"], expecting_exception=True)
    error = output.errors[0].trace.error
    assert "daily API quota" in error.message and "00:00 UTC" in error.message
    assert "\n" not in error.message
    assert 1 < len(mock.request_history) <= 10, "a few backed-off retries, not hours of them"
    assert sum(instant_backoff.sleeps) < 15 * 60


def test_a_malformed_200_body_is_retried_not_read_as_no_records():
    with requests_mock.Mocker() as mock:
        mock.get(
            NETWORK_SIZES,
            [{"text": '{"firstDegreeSi'}, {"text": "<html>proxy</html>"}, {"json": {"firstDegreeSize": 1}}],
        )
        output = run_read(access_token_config(), ["total_follower_count"])
    assert [r.record.data["firstDegreeSize"] for r in output.records] == [1]
    assert len(mock.request_history) == 3


def test_a_body_that_stays_malformed_fails_with_a_clear_error():
    with requests_mock.Mocker() as mock:
        mock.get(NETWORK_SIZES, text="<html><body>Service Unavailable</body></html>")
        output = run_read(access_token_config(), ["total_follower_count"], expecting_exception=True)
    assert output.records == []
    assert "not valid JSON" in output.errors[0].trace.error.message


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
