"""The connector against a LinkedIn that misbehaves and against hostile configs, end to end (the installed binary,
the emulator over HTTP). One test per failure found by trying to break it; each is a row of docs/reliability.md."""

import json
import time
from collections import Counter

import pytest

from integration_tests.helpers import CONNECTOR, full_catalog, run_connector, secret_forms

TIME_BOUND = ["follower_statistics_time_bound", "share_statistics_time_bound", "page_statistics_time_bound"]
SERVED_DAYS = 364  # every day from 365 days back (retention) to two days back (LinkedIn's lag)
# The request deadline of these tests (the default is minutes): a hidden setting, like the base URLs.
SHORT_DEADLINE = {"request_deadline_seconds": 3}


def catalog_of(emulator, tmp_path, streams, **config):
    return full_catalog(
        run_connector(tmp_path, "discover", config=emulator.connector_config(**config)), streams
    )


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
    first = run_connector(tmp_path, "read", config=emulator.connector_config(**before), catalog=catalog)
    assert first.returncode == 0 and first.errors() == []
    emulator.update_settings(administered_organizations=None)
    second = run_connector(
        tmp_path,
        "read",
        config=emulator.connector_config(**after),
        catalog=catalog,
        state=first.final_states(),
    )
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
def test_a_token_endpoint_that_never_answers_ends_the_sync_with_a_clear_error(emulator, tmp_path):
    emulator.update_settings(token_endpoint="silent")
    started = time.monotonic()
    check = run_connector(tmp_path, "check", config=emulator.connector_config(**SHORT_DEADLINE), timeout=120)
    assert time.monotonic() - started < 60, "no hang"
    status = check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert (
        status["status"] == "FAILED"
        and "token endpoint" in status["message"]
        and "did not answer" in status["message"]
    )


# 3 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "override",
    [
        {"api_base_url": "https://api.linkedin.com@localhost:{port}"},
        {"oauth_base_url": "https://www.linkedin.com@localhost:{port}"},
        {"api_base_url": "https://attacker.example"},
    ],
)
def test_credentials_go_to_linkedin_or_localhost_only(emulator, tmp_path, override):
    port = emulator.url.rsplit(":", 1)[1]
    config = {**emulator.connector_config(), **{k: v.format(port=port) for k, v in override.items()}}
    before = sum(emulator.stats.values())
    check = run_connector(tmp_path, "check", config=config)
    messages = [s["connectionStatus"]["message"] for s in check.of_type("CONNECTION_STATUS")] + [
        e["message"] for e in check.errors()
    ]
    assert messages and all("\n" not in m for m in messages)
    assert any("base_url" in m for m in messages)
    assert sum(emulator.stats.values()) == before, "not one request, token refresh included"


# 4 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("resource", "misbehaviour", "stream", "config"),
    [
        ("dmaOrganizationalPageFollows", "repeat_cursor", "dma_followed_pages", {}),
        ("posts", "repeat_page", "posts", {}),
        ("organizationAcls", "empty_full_pages", "organization_lookup", {}),
    ],
)
def test_paging_that_never_ends_is_ended_with_an_error_not_duplicates(
    emulator, tmp_path, resource, misbehaviour, stream, config
):
    emulator.update_settings(misbehaviours={resource: misbehaviour})
    catalog = catalog_of(emulator, tmp_path, [stream])
    run = run_connector(
        tmp_path, "read", config=emulator.connector_config(**config), catalog=catalog, timeout=120
    )
    assert run.errors(), "the sync fails"
    assert any("paging did not advance" in e["message"] for e in run.errors()), run.errors()
    ids = [json.dumps(r, sort_keys=True) for r in run.records(stream)]
    assert len(ids) == len(set(ids)), "no record twice"


def test_company_intelligence_without_paging_reads_every_company_once(emulator, tmp_path):
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
@pytest.mark.parametrize("org_id", [2414183, "2414183", " 2414183 "])
def test_a_legacy_org_id_of_any_json_type_is_migrated_to_its_digits(emulator, tmp_path, org_id):
    config = {**emulator.connector_config(), "org_id": org_id}
    check = run_connector(tmp_path, "check", config=config)
    assert check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"
    migrated = json.loads((tmp_path / "config-check.json").read_text())
    assert migrated["organization_ids"] == ["2414183"] and "org_id" not in migrated
    again = run_connector(tmp_path, "check", config=migrated)
    assert again.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"


# 7 ------------------------------------------------------------------------------------------------------------
def test_an_error_body_that_echoes_the_bearer_token_does_not_leak_it(emulator, tmp_path):
    catalog = catalog_of(emulator, tmp_path, ["total_follower_count"])
    emulator.update_settings(scripted_faults=["echo_token"])
    run = run_connector(tmp_path, "read", config=emulator.connector_config(), catalog=catalog)
    assert run.errors()
    assert_no_secret(
        run, [*emulator.issued_tokens, emulator.settings.client_secret, emulator.settings.refresh_token]
    )


def test_a_token_pasted_as_the_credentials_is_refused_without_being_echoed(emulator, tmp_path):
    token = "AQVpasted-token-value-123"
    for command in ("check", "read"):
        catalog = full_catalog(
            run_connector(tmp_path, "discover", config=emulator.connector_config()), ["organization_lookup"]
        )
        run = run_connector(
            tmp_path,
            command,
            config={**emulator.connector_config(), "credentials": token},
            catalog=catalog if command == "read" else None,
        )
        messages = [s["connectionStatus"]["message"] for s in run.of_type("CONNECTION_STATUS")] + [
            e["message"] for e in run.errors()
        ]
        assert any("credentials" in m for m in messages), messages
        assert_no_secret(run, [token])


def test_debug_output_masks_a_non_ascii_token_in_every_form(emulator, tmp_path):
    token = "émulateur-jeton-clé-42"  # non-ASCII, and latin-1 as an HTTP header must be
    emulator.update_settings(static_access_tokens=[token])
    config = {
        **emulator.connector_config(),
        "credentials": {"auth_method": "access_token", "access_token": token},
    }
    catalog = full_catalog(run_connector(tmp_path, "discover", config=config), ["total_follower_count"])
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    import subprocess

    debug = subprocess.run(
        [str(CONNECTOR), "read", "--debug", "--config", str(config_path), "--catalog", str(tmp_path / "catalog.json")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert debug.returncode == 0
    assert "Making outbound API request" in debug.stdout, "the debug log shows requests"
    for form in secret_forms(token):
        assert form not in debug.stdout and form not in debug.stderr, f"leaked as {form!r}"


def test_a_token_endpoint_that_echoes_its_form_does_not_leak_the_credentials(emulator, tmp_path):
    emulator.update_settings(token_endpoint="echo")
    check = run_connector(tmp_path, "check", config=emulator.connector_config())
    assert check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "FAILED"
    assert_no_secret(
        check, [emulator.settings.client_secret, emulator.settings.refresh_token, emulator.settings.client_id]
    )


# 8 ------------------------------------------------------------------------------------------------------------
def test_a_response_that_trickles_is_cut_at_the_request_deadline_and_retried(emulator, tmp_path):
    catalog = catalog_of(emulator, tmp_path, ["total_follower_count"])
    emulator.update_settings(scripted_faults=["trickle"], trickle_seconds_per_byte=0.05)
    started = time.monotonic()
    run = run_connector(tmp_path, "read", config=emulator.connector_config(**SHORT_DEADLINE), catalog=catalog)
    assert time.monotonic() - started < 15, "the 20 s trickle was cut at the 3 s deadline"
    assert run.returncode == 0 and run.errors() == []
    assert len(run.records()) == 3 and emulator.stats["fault trickle"] == 1


# 9 ------------------------------------------------------------------------------------------------------------
def test_tokens_renewed_while_four_workers_share_them_lose_nothing(emulator, tmp_path):
    streams = ["organization_lookup", "total_follower_count", *TIME_BOUND, "posts", "post_statistics"]
    catalog = catalog_of(emulator, tmp_path, streams)
    clean = run_connector(tmp_path, "read", config=emulator.connector_config(num_workers=4), catalog=catalog)
    emulator.update_settings(token_expires_after_calls=6)
    started = time.monotonic()
    renewing = run_connector(
        tmp_path, "read", config=emulator.connector_config(num_workers=4), catalog=catalog
    )
    assert renewing.returncode == 0 and renewing.errors() == [], renewing.errors()
    assert emulator.stats["status 401"] >= 3, "tokens were renewed several times"
    assert renewing.record_set() == clean.record_set()
    assert time.monotonic() - started < 60, "a 401 is retried at once, not after a rate-limit backoff"


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
    assert "token endpoint" in status["message"] and "JSONDecodeError" not in status["message"]
    assert "\n" not in status["message"]
