"""check: credentials work and every configured organization is readable, else a message saying what to fix."""

import logging

import requests_mock
from airbyte_cdk.models import Status

from source_linkedin_org import SourceLinkedinOrg
from unit_tests.helpers import (
    ORGANIZATION_ACLS,
    ORGANIZATION_LOOKUP,
    TOKEN_URL,
    access_token_config,
    oauth_config,
)


def check(config):
    return SourceLinkedinOrg(config=config).check(logging.getLogger("test"), config)


def test_check_succeeds_when_every_organization_is_readable():
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATION_LOOKUP, json={"id": 1})
        status = check(access_token_config(organization_ids=["1", "2"]))
    assert status.status == Status.SUCCEEDED
    assert sorted(r.url.rsplit("/", 1)[1] for r in mock.request_history) == ["1", "2"]


def test_check_names_the_organization_whose_page_role_is_missing():
    def lookup(request, context):
        if request.url.endswith("/2"):
            context.status_code = 403
            return {"status": 403, "code": "ACCESS_DENIED", "message": "Not enough permissions"}
        return {"id": 1}

    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATION_LOOKUP, json=lookup)
        status = check(access_token_config(organization_ids=["1", "2"]))
    assert status.status == Status.FAILED
    assert "organization 2" in status.message
    assert "ADMINISTRATOR" in status.message and "rw_organization_admin" in status.message


def test_check_reports_an_unknown_organization():
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATION_LOOKUP, status_code=404, json={"status": 404, "message": "Not found"})
        status = check(access_token_config(organization_ids=["99"]))
    assert status.status == Status.FAILED
    assert "no organization 99" in status.message


def test_check_reports_an_expired_access_token():
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATION_LOOKUP, status_code=401, json={"status": 401, "code": "EXPIRED_ACCESS_TOKEN"})
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
    assert "organization_ids" in status.message
