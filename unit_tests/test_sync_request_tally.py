"""SyncRequestTally: the requests a sync sent to LinkedIn per endpoint, and the 429s, in one line at its end."""

import logging

import pytest
import requests
from source_linkedin_org.components import SYNC_REQUEST_TALLY, DeadlineHTTPAdapter, SyncRequestTally

API = "https://api.linkedin.com/rest"


@pytest.fixture
def tally():
    """A tally of its own on the root logger, instead of the process's one (which earlier reads installed)."""
    root, tally = logging.getLogger(), SyncRequestTally()
    process_tally_installed = SYNC_REQUEST_TALLY in root.handlers
    root.removeHandler(SYNC_REQUEST_TALLY)
    root.addHandler(tally)
    yield tally
    root.removeHandler(tally)
    if process_tally_installed:
        root.addHandler(SYNC_REQUEST_TALLY)


def test_requests_are_counted_per_linkedin_resource_and_the_token_endpoint_apart(tally):
    for url in (
        f"{API}/posts?q=author&start=100",
        f"{API}/posts?q=author",
        f"{API}/networkSizes/urn%3Ali%3Aorganization%3A1?edgeType=COMPANY_FOLLOWED_BY_MEMBER",
        f"{API}/organizationalEntityShareStatistics",  # a tunneled request: its query went in the body
        "https://www.linkedin.com/oauth/v2/accessToken",
    ):
        tally.count_request(url)
    tally.count_rate_limited()
    assert tally.line() == (
        "LinkedIn requests this sync: 4 to the API (posts 2, networkSizes 1, organizationalEntityShareStatistics"
        " 1) and 1 to the token endpoint; 1 answered 429 (rate limited)."
    )


def test_the_line_is_logged_once_when_the_sync_finishes_and_the_next_sync_starts_from_zero(tally, caplog):
    sync_logger = logging.getLogger("airbyte.SourceLinkedinOrg")
    tally.count_request(f"{API}/posts")  # sent by `check`, before the sync: not the sync's
    with caplog.at_level(logging.INFO):
        sync_logger.info("Starting syncing")
        tally.count_request(f"{API}/posts")
        tally.count_request(f"{API}/posts")
        logging.getLogger("urllib3").info("Finished syncing")  # not airbyte-cdk's: ignored
        sync_logger.info("Finished syncing")
        sync_logger.info("Starting syncing")
        sync_logger.info("Finished syncing")
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("LinkedIn requests")]
    assert lines == [
        "LinkedIn requests this sync: 2 to the API (posts 2) and 0 to the token endpoint; 0 answered 429 (rate limited).",
        "LinkedIn requests this sync: 0 to the API (none) and 0 to the token endpoint; 0 answered 429 (rate limited).",
    ]


def test_install_is_idempotent_and_survives_a_logging_reset(tally):
    root = logging.getLogger()
    tally.install()
    assert root.handlers.count(tally) == 1
    root.removeHandler(tally)  # what airbyte-cdk's logging setup does to the root's handlers
    tally.install()
    assert root.handlers.count(tally) == 1


def test_the_adapter_counts_what_it_sends_and_the_429s(monkeypatch):
    import source_linkedin_org.components as components

    tally = SyncRequestTally()
    monkeypatch.setattr(components, "SYNC_REQUEST_TALLY", tally)
    statuses = iter([429, 200])

    def answer(self, request, **kwargs):
        response = requests.Response()
        response.status_code, response._content, response.request = next(statuses), b"{}", request
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", answer)
    session = requests.Session()
    session.mount("https://", DeadlineHTTPAdapter(5))
    assert session.get(f"{API}/posts?q=author").status_code == 429
    assert session.get(f"{API}/posts?q=author").status_code == 200
    assert tally.sent == {"posts": 2} and tally.rate_limited == 1
