"""Authentication: OAuth refresh (one refresh for the whole sync), plain access token, rejected tokens."""

import time
from urllib.parse import parse_qs

import pytest
import requests
import requests_mock
from airbyte_cdk.models import FailureType

from unit_tests.helpers import (
    API,
    NETWORK_SIZES,
    ORGANIZATIONS,
    TOKEN_URL,
    assert_config_error,
    linkedin_error,
    oauth_config,
    organizations_batch,
    read_failing_with,
    run_read,
    serve_showcase_pages,
)

STREAMS = [
    "organization_lookup",
    "total_follower_count",
    "follower_statistics",
    "share_statistics",
    "page_statistics",
]


def mock_statistics(mock):
    mock.get(ORGANIZATIONS, json=organizations_batch())
    mock.get(NETWORK_SIZES, json={"firstDegreeSize": 1})
    for path in (
        "organizationalEntityFollowerStatistics",
        "organizationalEntityShareStatistics",
        "organizationPageStatistics",
    ):
        mock.get(f"{API}/{path}", json={"elements": [{"organizationalEntity": "x", "organization": "x"}]})


def test_one_token_refresh_serves_every_stream_and_organization():
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, json={"access_token": "fresh-token", "expires_in": 5183999})
        mock_statistics(mock)
        serve_showcase_pages(mock)
        output = run_read(oauth_config(organization_ids=["1", "2", "3"]), STREAMS)
    token_requests = [r for r in mock.request_history if r.url == TOKEN_URL]
    assert len(token_requests) == 1
    assert parse_qs(token_requests[0].text) == {
        "grant_type": ["refresh_token"],
        "client_id": ["test-client-id"],
        "client_secret": ["test-client-secret"],
        "refresh_token": ["test-refresh-token"],
    }
    api_requests = [r for r in mock.request_history if r.url != TOKEN_URL]
    assert len(api_requests) == 16, (
        "one organizations BATCH_GET; per organization four statistics requests and its showcase pages listed"
    )
    assert {r.headers["Authorization"] for r in api_requests} == {"Bearer fresh-token"}
    assert len(output.records) == 15


def test_access_token_expired_mid_sync_is_refreshed_once_and_no_record_is_lost():
    with requests_mock.Mocker() as mock:
        mock.post(
            TOKEN_URL,
            [
                {"json": {"access_token": "first", "expires_in": 5183999}},
                {"json": {"access_token": "second", "expires_in": 5183999}},
            ],
        )

        def lookup(request, context):
            if request.headers["Authorization"] == "Bearer first":
                context.status_code = 401
                return {
                    "status": 401,
                    "serviceErrorCode": 65601,
                    "code": "REVOKED_ACCESS_TOKEN",
                    "message": "The token used in the request has been revoked by the user",
                }
            return organizations_batch()(request, context)

        mock.get(ORGANIZATIONS, json=lookup)
        output = run_read(oauth_config(organization_ids=["1"]), ["organization_lookup"])
    assert [r.record.data for r in output.records] == [{"id": 1}]
    assert len([r for r in mock.request_history if r.url == TOKEN_URL]) == 2
    assert output.errors == []


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (
            400,
            {
                "error": "invalid_grant",
                "error_description": "The provided authorization grant or refresh token is invalid, expired or revoked",
            },
        ),
        (401, {"error": "invalid_client", "error_description": "Client authentication failed"}),
    ],
)
def test_revoked_refresh_token_or_wrong_client_secret_is_a_config_error_asking_to_reauthenticate(
    status, body
):
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, status_code=status, json=body)
        output = run_read(oauth_config(), ["organization_lookup"], expecting_exception=True)
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.config_error
    assert "Re-authenticate" in error.message
    assert body["error"] in error.message
    assert len(mock.request_history) == 1, "a rejected refresh token is not retried"


def test_rejected_access_token_is_a_config_error_saying_what_to_do():
    error, mock = read_failing_with(
        ORGANIZATIONS,
        401,
        linkedin_error(401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN"),
        ["organization_lookup"],
    )
    assert_config_error(error, "Generate a new access token")
    assert len(mock.request_history) == 1, "a rejected access token is not retried"


def test_a_token_endpoint_that_never_answers_ends_in_one_clear_line_not_a_hang(monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # the waits between the token request's tries
    with requests_mock.Mocker() as mock:

        def never_answers(request, context):  # as requests raises it: naming the request
            raise requests.exceptions.ReadTimeout("read timed out", request=request)

        mock.post(TOKEN_URL, json=never_answers)
        output = run_read(oauth_config(), ["total_follower_count"], expecting_exception=True)
    token_requests = [r for r in mock.request_history if r.url == TOKEN_URL]
    assert len(token_requests) == 3, "a few tries"
    assert all(r.timeout == (10.0, 60.0) for r in token_requests), "each bounded: connect, then each read"
    message = output.errors[0].trace.error.message
    assert "www.linkedin.com did not answer in time" in message and "\n" not in message


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_from_the_token_endpoint_is_not_followed(status):
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, status_code=status, headers={"Location": "https://collector.example/token"})
        elsewhere = mock.post("https://collector.example/token", json={"access_token": "x", "expires_in": 1})
        output = run_read(oauth_config(), ["total_follower_count"], expecting_exception=True)
    assert not elsewhere.called
    assert_config_error(output.errors[0].trace.error, "www.linkedin.com", "collector.example", "redirect")


@pytest.mark.parametrize(
    ("field", "secret_sent_there"),
    [("oauth_base_url", "the client secret and refresh token"), ("api_base_url", "the access token")],
)
def test_a_base_url_on_another_https_host_is_refused_before_any_request(field, secret_sent_there):
    """The contract: credentials go to LinkedIn's hosts only (or loopback). A foreign https host, however
    well-formed, would receive them: refused before the token request and before any API call."""
    with requests_mock.Mocker() as mock:
        elsewhere = mock.register_uri(requests_mock.ANY, requests_mock.ANY, json={"access_token": "x"})
        output = run_read(
            oauth_config(**{field: "https://elsewhere.example"}),
            ["total_follower_count"],
            expecting_exception=True,
        )
    assert not elsewhere.called, f"nothing sent: {secret_sent_there} would have gone there"
    assert output.errors[0].trace.error.failure_type == FailureType.config_error  # in the console script's
    # words, naming the field: integration_tests/test_breaking_it.py


@pytest.mark.parametrize(
    "answer",
    [
        {"json": []},
        {"json": None},
        {"text": "<html>Sign in</html>"},
        {"json": {"access_token": 5}},
        {"json": {"access_token": "AQV-renewed", "expires_in": "soon"}},
    ],
)
def test_a_token_answer_that_is_no_usable_token_is_retried_then_said_in_one_line(monkeypatch, answer):
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # the waits between the token request's tries
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, **answer)
        output = run_read(oauth_config(), ["total_follower_count"], expecting_exception=True)
    assert len([r for r in mock.request_history if r.url == TOKEN_URL]) == 3, "a few tries"
    message = output.errors[0].trace.error.message
    assert "token endpoint answered without a token" in message and "\n" not in message
