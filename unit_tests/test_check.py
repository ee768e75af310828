"""check: credentials work and every configured organization is readable, else a message saying what to fix.

``check`` is the manifest's CheckStream on ``organization_lookup``, whose first request is one BATCH_GET of every
configured organization: LinkedIn answers each id in ``results`` or, refused, in ``errors``."""

import logging

import pytest
import requests_mock
from airbyte_cdk.models import Status

from unit_tests.helpers import (
    ACCOUNT_INTELLIGENCE,
    AD_ACCOUNTS,
    ORGANIZATION_ACLS,
    ORGANIZATIONS,
    TOKEN_URL,
    access_token_config,
    linkedin_error,
    make_source,
    oauth_config,
    organizations_batch,
    requested_organizations,
)


def check(config):
    return make_source(config).check(logging.getLogger("test"), config)


def test_check_succeeds_when_every_organization_is_readable():
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, json=organizations_batch())
        status = check(access_token_config(organization_ids=["1", "2", "3"]))
    assert status.status == Status.SUCCEEDED, status.message
    assert [requested_organizations(r) for r in mock.request_history] == [["1", "2", "3"]]


def test_check_names_the_organization_whose_page_role_is_missing_even_when_it_is_not_the_first():
    refused = {"3": linkedin_error(403, "Not enough permissions", "ACCESS_DENIED", 100)}
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, json=organizations_batch(errors=refused))
        status = check(access_token_config(organization_ids=["1", "2", "3"]))
    assert status.status == Status.FAILED
    assert "organization 3" in status.message
    assert "ADMINISTRATOR" in status.message and "rw_organization_admin" in status.message
    assert "\n" not in status.message


def test_check_reports_an_unknown_organization():
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, json=organizations_batch(errors={"99": linkedin_error(404, "Not found")}))
        status = check(access_token_config(organization_ids=["5", "99"]))
    assert status.status == Status.FAILED
    assert "no organization 99" in status.message


def test_check_reports_an_expired_access_token():
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, status_code=401, json=linkedin_error(401, "expired", "EXPIRED_ACCESS_TOKEN"))
        status = check(access_token_config())
    assert status.status == Status.FAILED
    assert "Generate a new access token" in status.message


def test_check_reports_a_revoked_refresh_token_without_showing_secrets():
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, status_code=400, json={"error": "invalid_grant"})
        status = check(oauth_config())
    assert status.status == Status.FAILED
    assert "Re-authenticate" in status.message
    for secret in ("test-client-secret", "test-refresh-token"):
        assert secret not in status.message


def test_check_fails_when_the_member_administers_no_organization():
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATION_ACLS, json={"elements": []})
        status = check(access_token_config(organization_ids=[]))
    assert status.status == Status.FAILED
    assert "organization_ids" in status.message and "ADMINISTRATOR" in status.message


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"start_date": "2999-01-01"}, "is in the future"),
        ({"start_date": "2026-02-30"}, "not a calendar date"),
        ({"api_base_url": "https://api.linkedin.com@attacker.example"}, "'api_base_url' must be"),
        ({"oauth_base_url": "http://www.linkedin.com"}, "'oauth_base_url' must be"),
        # Another https host would receive the client secret and refresh token, or the bearer token.
        (
            {"oauth_base_url": "https://elsewhere.example"},
            "'oauth_base_url' must be https://www.linkedin.com",
        ),
        ({"api_base_url": "https://elsewhere.example"}, "'api_base_url' must be https://api.linkedin.com"),
    ],
)
def test_check_refuses_what_the_spec_schema_cannot_before_any_request(overrides, expected):
    with requests_mock.Mocker() as mock:
        status = check(oauth_config(**overrides))
    assert status.status == Status.FAILED
    assert expected in status.message and "\n" not in status.message
    assert mock.request_history == [], "no request, and no credential sent anywhere"


@pytest.mark.parametrize(
    "ads",
    [
        {"ad_account_ids": ["507404993"]},
        {"ads_credentials": {"auth_method": "access_token", "access_token": "a"}},
    ],
)
def test_check_proves_company_intelligence_when_the_config_names_an_advertising_app_or_account(ads):
    refused = linkedin_error(403, "Not enough permissions to access /accountIntelligence", "ACCESS_DENIED")
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, json=organizations_batch())
        mock.get(AD_ACCOUNTS, json={"elements": [{"id": 507404993, "test": False}], "metadata": {}})
        mock.get(ACCOUNT_INTELLIGENCE, status_code=403, json=refused)
        status = check(access_token_config(organization_ids=["1"], **ads))
    assert status.status == Status.FAILED
    assert "Company Intelligence API (a private API)" in status.message and "deselect" in status.message


def test_check_asks_nothing_of_advertising_when_the_config_names_no_advertising_app_or_account():
    # Company Intelligence is no suggested stream (metadata.yaml): a Community Management app alone passes.
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, json=organizations_batch())
        status = check(access_token_config(organization_ids=["1"]))
    assert status.status == Status.SUCCEEDED, status.message
    assert [r.path for r in mock.request_history] == ["/rest/organizations"]
