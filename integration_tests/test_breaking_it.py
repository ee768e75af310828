"""The connector against a LinkedIn that misbehaves and against hostile configs, end to end (the installed binary,
the emulator over HTTP). One test per failure found by trying to break it; each is a row of docs/reliability.md."""

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integration_tests.helpers import full_catalog, read_in_process, run_connector, secret_forms

TIME_BOUND = ["follower_statistics_time_bound", "share_statistics_time_bound", "page_statistics_time_bound"]
SERVED_DAYS = 364  # every day from 365 days back (retention) to two days back (LinkedIn's lag)


def catalog_of(emulator, tmp_path, streams, **config):
    return full_catalog(None, streams)


def assert_no_secret(run, secrets):
    for secret in secrets:
        for form in secret_forms(secret):
            assert form not in run.stdout and form not in run.stderr, f"a secret leaked as {form!r}"


# 1 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("added_by", ["config", "discovery"])
def test_an_organization_added_after_the_first_sync_gets_its_whole_history(emulator, tmp_path, added_by):
    first_org, new_org = emulator.dataset.organizations[0], emulator.dataset.organizations[1]
    streams = [*TIME_BOUND, "posts"]
    if added_by == "config":
        before, after = (
            {"organization_ids": [str(first_org.id)]},
            {"organization_ids": [str(first_org.id), str(new_org.id)]},
        )
    else:
        before = after = {}
        emulator.update_settings(administered_organizations=[first_org.id])
    catalog = catalog_of(emulator, tmp_path, streams, **before)
    first = read_in_process(emulator.connector_config(**before), catalog)
    assert first.returncode == 0 and first.errors() == []
    emulator.update_settings(administered_organizations=None)
    second = read_in_process(emulator.connector_config(**after), catalog, first.final_states())
    assert second.returncode == 0 and second.errors() == []

    def rows(stream, org):
        key = "organization" if stream.startswith("page_") else "organizationalEntity"
        return [r for r in second.records(stream) if r.get(key) == org.urn]

    for stream in TIME_BOUND:
        assert len(rows(stream, new_org)) == SERVED_DAYS, f"{stream}: the new organization's whole history"
        assert len(rows(stream, first_org)) == 2, (
            f"{stream}: the known organization re-reads its lookback only"
        )
    new_posts = [r for r in second.records("posts") if r["author"] == new_org.urn]
    assert len(new_posts) == emulator.dataset.posts_per_org


# 2 ------------------------------------------------------------------------------------------------------------
# A token endpoint that never answers: unit_tests/test_auth.py (the token request's timeout is a minute).


class RecordingServer:
    """Another host on loopback that records every request it is sent."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                received.append((self.path, self.rfile.read(int(self.headers.get("Content-Length") or 0))))
                self.send_response(200)
                self.end_headers()

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/oauth/v2/accessToken"


def test_a_redirect_from_the_token_endpoint_sends_nothing_to_the_other_host(emulator, tmp_path):
    other = RecordingServer()
    emulator.update_settings(token_endpoint="redirect", token_redirect_to=other.url)
    try:
        check = run_connector(tmp_path, "check", config=emulator.connector_config())
    finally:
        other.server.shutdown()
    status = check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED" and "redirect" in status["message"]
    assert f"127.0.0.1:{other.server.server_address[1]}" in status["message"], "names the host it pointed to"
    assert other.received == [], "not the client secret, not the refresh token: nothing"


# 3 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "override",
    [
        {"api_base_url": "https://api.linkedin.com@localhost:{port}"},
        {"oauth_base_url": "https://www.linkedin.com@localhost:{port}"},
        {"api_base_url": "http://api.linkedin.com"},
        # Well-formed https, but not LinkedIn's: the token request would post the client secret and refresh token
        # there, every API call the bearer token.
        {"oauth_base_url": "https://elsewhere.example"},
        {"api_base_url": "https://elsewhere.example"},
    ],
)
def test_credentials_go_to_linkedin_or_to_localhost_only(emulator, tmp_path, override):
    port = emulator.url.rsplit(":", 1)[1]
    config = {**emulator.connector_config(), **{k: v.format(port=port) for k, v in override.items()}}
    before = sum(emulator.stats.values())
    check = run_connector(tmp_path, "check", config=config)
    messages = [s["connectionStatus"]["message"] for s in check.of_type("CONNECTION_STATUS")] + [
        e["message"] for e in check.errors()
    ]
    assert messages and all("\n" not in m for m in messages)
    field = next(iter(override))
    assert any(f"{field} must be https://" in m for m in messages), messages
    assert sum(emulator.stats.values()) == before, "not one request, token refresh included"


# 4 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("resource", "misbehaviour", "stream", "expected"),
    [
        ("dmaOrganizationalPageFollows", "repeat_cursor", "dma_followed_pages", ["paging did not advance"]),
        ("posts", "repeat_page", "posts", ["paging did not advance"]),
        # Issue 33 item 1: `paging.start` echoes each start asked while the first page comes back every time.
        ("posts", "same_page", "posts", ["paging did not advance"]),
        ("posts", "same_page", "post_comments", ["paging did not advance"]),
    ],
)
def test_paging_that_never_ends_is_ended_with_an_error(
    emulator, tmp_path, resource, misbehaviour, stream, expected
):
    emulator.update_settings(misbehaviours={resource: misbehaviour})
    catalog = catalog_of(emulator, tmp_path, [stream])
    run = run_connector(tmp_path, "read", config=emulator.connector_config(), catalog=catalog, timeout=300)
    assert run.errors(), "the sync fails"
    assert any(reason in e["message"] for e in run.errors() for reason in expected), run.errors()
    copies = Counter(json.dumps(r, sort_keys=True) for r in run.records(stream))
    assert max(copies.values(), default=1) <= 2, "one page read twice at most, never forever"


def test_company_intelligence_without_paging_reads_every_company_once(emulator, tmp_path):
    # 700 companies: a full page of 500, then a short one. (Without `paging`, a third page would fail loudly.)
    emulator.update_settings(misbehaviours={"accountIntelligence": "no_paging"})
    catalog = catalog_of(emulator, tmp_path, ["company_intelligence"])
    run = run_connector(tmp_path, "read", config=emulator.connector_config(), catalog=catalog, timeout=120)
    assert run.returncode == 0 and run.errors() == []
    accounts = [a for a in emulator.dataset.ad_accounts if not a.test]
    assert Counter(r["account"] for r in run.records()) == {
        a.urn: emulator.dataset.companies_per_account for a in accounts
    }


# 5 ------------------------------------------------------------------------------------------------------------
# A later page without elements: unit_tests/test_reliability_guards.py (its retries wait minutes on a real clock).


# 6 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("org_id", [2414183, " 2414183 "])  # a plain "2414183": unit test_manifest.py
def test_a_legacy_org_id_of_any_json_type_is_migrated_to_its_digits(emulator, tmp_path, org_id):
    config = {**emulator.connector_config(), "org_id": org_id}
    check = run_connector(tmp_path, "check", config=config)
    assert check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"
    migrated = json.loads((tmp_path / "config-check.json").read_text())
    assert migrated["organization_ids"] == ["2414183"] and migrated["org_id"] == "2414183"
    again = run_connector(tmp_path, "check", config=migrated)
    assert again.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"


# 7 ------------------------------------------------------------------------------------------------------------
def test_an_error_body_that_echoes_the_bearer_token_does_not_leak_it(emulator, tmp_path):
    catalog = catalog_of(emulator, tmp_path, ["total_follower_count"])
    emulator.update_settings(scripted_faults=["echo_token"])
    run = read_in_process(emulator.connector_config(), catalog)
    assert run.errors()
    assert_no_secret(
        run, [*emulator.issued_tokens, emulator.settings.client_secret, emulator.settings.refresh_token]
    )


def test_a_token_pasted_as_the_credentials_is_used_as_the_access_token_it_is(emulator, tmp_path):
    token = "AQVpasted-token-value-123"
    emulator.update_settings(static_access_tokens=[token])
    catalog = catalog_of(emulator, tmp_path, ["organization_lookup"])
    for command in ("check", "read"):
        run = run_connector(
            tmp_path,
            command,
            config={**emulator.connector_config(), "credentials": f"{token}\n"},
            catalog=catalog if command == "read" else None,
        )
        assert run.returncode == 0 and run.errors() == [], run.errors()
        assert_no_secret(run, [token])
    assert len(run.records()) == 3


@pytest.mark.parametrize("token", ["  AQV-token-read-from-a-file\r\n"])  # a bare "\n": unit test_spec.py
def test_a_token_with_surrounding_whitespace_works_and_never_appears_in_check_or_read(
    emulator, tmp_path, token
):
    emulator.update_settings(static_access_tokens=[token.strip()])
    config = {
        **emulator.connector_config(),
        "credentials": {"auth_method": "access_token", "access_token": token},
    }
    catalog = catalog_of(emulator, tmp_path, ["total_follower_count"])
    check = run_connector(tmp_path, "check", config=config)
    read = run_connector(tmp_path, "read", config=config, catalog=catalog)
    assert check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"
    assert read.returncode == 0 and len(read.records()) == 3
    for run in (check, read):
        assert_no_secret(run, [token.strip(), "read-from-a-file"])


def test_a_non_ascii_token_is_refused_in_one_line_without_being_echoed(emulator, tmp_path):
    token = "émulateur-jeton-clé-42"  # LinkedIn's tokens are ASCII: this is a paste gone wrong
    config = {
        **emulator.connector_config(),
        "credentials": {"auth_method": "access_token", "access_token": token},
    }
    before = sum(emulator.stats.values())
    for command in ("check", "read"):
        catalog = catalog_of(emulator, tmp_path, ["total_follower_count"]) if command == "read" else None
        run = run_connector(tmp_path, command, config=config, catalog=catalog)
        messages = [s["connectionStatus"]["message"] for s in run.of_type("CONNECTION_STATUS")]
        messages += [e["message"] for e in run.errors()]
        assert any("non-ASCII" in m and "\n" not in m for m in messages), messages
        assert_no_secret(run, [token, "jeton"])
    assert sum(emulator.stats.values()) == before, "the token was never sent"


def test_a_token_endpoint_that_echoes_its_form_does_not_leak_the_credentials(emulator, tmp_path):
    emulator.update_settings(token_endpoint="echo")
    check = run_connector(tmp_path, "check", config=emulator.connector_config())
    assert check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "FAILED"
    assert_no_secret(
        check, [emulator.settings.client_secret, emulator.settings.refresh_token, emulator.settings.client_id]
    )


# 8 ------------------------------------------------------------------------------------------------------------
# An answer that trickles: bounded by the read timeout, TCP keepalive and the platform's heartbeat
# (docs/reliability.md; unit_tests/test_manifest.py checks the requester's settings).


# 10 -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("num_workers", ["abc", None, 0])
def test_an_invalid_num_workers_is_named_in_one_line(emulator, tmp_path, num_workers):
    check = run_connector(tmp_path, "check", config=emulator.connector_config(num_workers=num_workers))
    messages = [s["connectionStatus"]["message"] for s in check.of_type("CONNECTION_STATUS")] + [
        e["message"] for e in check.errors()
    ]
    assert messages and any("num_workers" in m for m in messages), messages
    assert all("\n" not in m.strip() for m in messages) and "Traceback" not in check.stderr


def test_a_malformed_state_cursor_is_named_in_one_line(emulator, tmp_path):
    catalog = catalog_of(emulator, tmp_path, ["posts"])
    state = [
        {
            "type": "STREAM",
            "stream": {
                "stream_descriptor": {"name": "posts"},
                "stream_state": {"lastModifiedAt": "yesterday"},
            },
        }
    ]
    run = run_connector(tmp_path, "read", config=emulator.connector_config(), catalog=catalog, state=state)
    assert run.errors()
    message = run.errors()[0]["message"]
    assert (
        "posts" in message
        and "state" in message
        and "\n" not in message
        and "Something went wrong" not in message
    )


def test_an_html_page_from_the_token_endpoint_is_named_in_one_line(emulator, tmp_path):
    emulator.update_settings(token_endpoint="html")
    check = run_connector(tmp_path, "check", config=emulator.connector_config())
    status = check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED"
    assert "token endpoint" in status["message"] and "without a token" in status["message"]
    assert "JSONDecodeError" not in status["message"]
    assert "\n" not in status["message"]


@pytest.mark.parametrize(
    ("typo", "meant"), [("organisation_ids", "organization_ids"), ("startdate", "start_date")]
)
def test_a_misspelt_field_is_named_at_check_not_ignored(emulator, tmp_path, typo, meant):
    # Ignored, `organisation_ids` would read every page the member administers, without a word.
    config = {**emulator.connector_config(), typo: ["2414183"] if "ids" in typo else "2025-01-01"}
    check = run_connector(tmp_path, "check", config=config)
    status = check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED" and f"did you mean '{meant}'" in status["message"]


# Issue 33 -----------------------------------------------------------------------------------------------------
# Items 2, 3, 11 and 12 (answers retried for minutes on a real clock, headers): unit tests, docs/reliability.md.
def test_a_video_deleted_since_the_listing_is_skipped_and_said_not_a_failed_stream(emulator, tmp_path):
    # Item 5: videoAnalytics answers 404 for every video (each deleted between the listing and its analytics).
    emulator.update_settings(misbehaviours={"videoAnalytics": "gone"})
    catalog = catalog_of(emulator, tmp_path, ["video_analytics", "posts"])
    run = read_in_process(emulator.connector_config(), catalog)
    assert run.returncode == 0 and run.errors() == [], run.errors()
    assert run.records("video_analytics") == [] and run.records("posts")
    warnings = [m["log"]["message"] for m in run.of_type("LOG") if m["log"]["level"] == "WARN"]
    assert any("deleted since it was listed" in w and "urn:li:ugcPost:" in w for w in warnings), warnings[-3:]


def test_a_comment_stamped_in_2100_does_not_freeze_the_comments_cursor(emulator, tmp_path):
    # Item 4: every post new to a later sync starts at the cursor; one comment in 2100 would leave them unread.
    known, new = emulator.dataset.organizations[:2]
    catalog = catalog_of(emulator, tmp_path, ["post_comments"])
    emulator.update_settings(misbehaviours={"socialActions": "future_times"})
    first = read_in_process(emulator.connector_config(organization_ids=[str(known.id)]), catalog)
    assert first.returncode == 0 and first.records("post_comments"), first.errors()
    assert all(r["lastModifiedAt"] <= time.time() * 1000 for r in first.records("post_comments"))
    emulator.update_settings(misbehaviours={})
    config = emulator.connector_config(organization_ids=[str(known.id), str(new.id)])
    second = read_in_process(config, catalog, first.final_states())
    assert second.returncode == 0 and second.errors() == [], second.errors()
    dataset = emulator.dataset
    expected = {c["commentUrn"] for p in dataset.posts(new) for c in dataset.comments(new, p["id"])}
    assert expected and expected <= {r["comment"] for r in second.records("post_comments")}


def test_an_app_s_wrong_client_secret_fails_check_not_served_another_app_s_token(emulator, tmp_path):
    # Item 13: the Advertising app with the main app's id and refresh token but a wrong secret.
    config = emulator.connector_config()
    config["ads_credentials"] = {**config["credentials"], "client_secret": "not-the-secret"}
    check = run_connector(tmp_path, "check", config=config)
    status = check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED", status


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"organization_ids": ["urn:li:sponsoredAccount:2414183"]}, "organization_ids"),  # item 19
        ({"dma_min_request_interval_seconds": 1e308}, "dma_min_request_interval_seconds"),  # item 15
        ({"dma_min_request_interval_seconds": 100000}, "dma_min_request_interval_seconds"),
    ],
)
def test_a_config_value_out_of_its_kind_or_range_is_refused_at_check_in_one_line(
    emulator, tmp_path, override, named
):
    before = sum(emulator.stats.values())
    check = run_connector(tmp_path, "check", config={**emulator.connector_config(), **override})
    status = check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED" and named in status["message"] and "\n" not in status["message"]
    assert sum(emulator.stats.values()) == before, "refused before any request"
