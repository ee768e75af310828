"""The reliability matrix of docs/reliability.md, end to end: the installed binary against the emulator."""

import json
import os
import signal
import subprocess

import pytest

from integration_tests.helpers import CONNECTOR, full_catalog, read_in_process, run_connector, secret_forms

STATISTICS = [
    "organization_lookup",
    "follower_statistics_time_bound",
    "share_statistics_time_bound",
    "page_statistics_time_bound",
]


def catalog_for(emulator, tmp_path, streams):
    return full_catalog(None, streams)


def test_access_token_expiring_mid_sync_is_refreshed_and_no_record_is_lost_or_duplicated(emulator, tmp_path):
    catalog = catalog_for(emulator, tmp_path, STATISTICS + ["posts", "post_statistics"])
    # The token in use expires part-way through the sync, while four workers use it (LinkedIn's tokens live
    # 60 days: at most once per sync).
    emulator.update_settings(token_expires_after_calls=20)
    expiring = read_in_process(emulator.connector_config(num_workers=4), catalog)
    assert expiring.returncode == 0 and expiring.errors() == [], expiring.errors()
    assert emulator.stats["status 401"] > 0 and emulator.stats["token issued"] == 2, (
        "one renewal for all workers"
    )
    clean = read_in_process(emulator.connector_config(), catalog)
    assert expiring.record_set() == clean.record_set()


def test_sunset_version_moves_to_an_active_one_with_a_warning_and_the_same_records(emulator, tmp_path):
    catalog = catalog_for(emulator, tmp_path, STATISTICS)
    clean = read_in_process(emulator.connector_config(), catalog)
    sunset = read_in_process(emulator.connector_config(linkedin_api_version="202301"), catalog)
    assert sunset.returncode == 0 and sunset.errors() == []
    assert emulator.stats["status 426"] > 0
    warnings = [m["log"]["message"] for m in sunset.of_type("LOG") if m["log"]["level"] == "WARN"]
    assert any("202301" in w and "linkedin_api_version" in w for w in warnings)
    assert sunset.record_set() == clean.record_set()


def test_an_interrupted_sync_resumes_from_its_last_state_without_gap_or_duplicate_beyond_the_lookback(
    emulator, tmp_path
):
    config = emulator.connector_config(num_workers=1)
    catalog = catalog_for(emulator, tmp_path, ["follower_statistics_time_bound"])
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    emulator.update_settings(latency_ms=700)
    process = subprocess.Popen(
        [str(CONNECTOR), "read", "--config", str(tmp_path / "config.json"), "--catalog", str(tmp_path / "catalog.json")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    first_records, state = [], None
    for line in process.stdout:
        message = json.loads(line)
        if message["type"] == "RECORD":
            first_records.append(message["record"]["data"])
        if message["type"] == "STATE" and message["state"]["stream"]["stream_state"].get("states"):
            state = message["state"]
            process.kill()  # killed mid-stream, right after its first checkpoint
            break
    process.wait()
    emulator.update_settings(latency_ms=0)
    assert state is not None
    # The checkpoint lists every organization; those not yet read still sit at the start of the window.
    organizations_done = len({r["organizationalEntity"] for r in first_records})
    assert 1 <= organizations_done < 3, "the kill came before the stream was done"

    resumed = run_connector(tmp_path, "read", config=config, catalog=catalog, state=[state])
    assert resumed.returncode == 0 and resumed.errors() == []
    full = read_in_process(emulator.connector_config(), catalog)

    def key(record):
        return record["organizationalEntity"], record["timeRangeStart"]

    first, second = {key(r) for r in first_records}, [key(r) for r in resumed.records()]
    assert first | set(second) == {key(r) for r in full.records()}, "no gap"
    assert len(first & set(second)) <= 2 * organizations_done, (
        "re-read only the two-day lookback of finished organizations"
    )


# One per mechanism that refuses a config (the values each refuses: unit test_spec.py): the process's output is
# one line and no traceback, whichever refuses it.
BAD_CONFIGS = {
    "missing credentials": {"organization_ids": ["1"]},  # the spec's `required`
    "unknown auth method": {"credentials": {"auth_method": "password", "password": "x"}},  # its oneOf
    "unknown granularity": {"time_granularity_type": "HOURLY"},  # an enum
    "non-numeric organization id": {
        "organization_ids": ["acme"]
    },  # a manifest validation, in the user's words
    "impossible start date": {"start_date": "2026-13-45"},  # components.StartDateIsAPastDay
}


@pytest.mark.parametrize("name", BAD_CONFIGS)
def test_bad_configs_get_a_one_line_message_and_no_stack_trace(emulator, tmp_path, name):
    config = {**emulator.connector_config(), **BAD_CONFIGS[name]}
    for key in ("credentials",):
        if key not in BAD_CONFIGS[name] and name == "missing credentials":
            config.pop(key)
    check = run_connector(tmp_path, "check", config=config)
    statuses = check.of_type("CONNECTION_STATUS")
    messages = [
        s["connectionStatus"]["message"] for s in statuses if s["connectionStatus"]["status"] == "FAILED"
    ]
    messages += [e["message"] for e in check.errors()]
    assert messages, f"{name}: accepted"
    for message in messages:
        assert "Traceback" not in message and "\n" not in message.strip(), message
    assert "Traceback" not in check.stderr


# Every failure path: (command, what the config changes, streams read, emulator settings for the run).
FAILURES = {
    "wrong client secret": ("check", {"credentials": {"client_secret": "wrong-secret-value"}}, None, {}),
    "revoked refresh token": ("check", {"credentials": {"refresh_token": "revoked-refresh-value"}}, None, {}),
    "unknown organization": ("check", {"organization_ids": ["2414183", "404"]}, None, {}),
    "scope missing": (
        "read",
        {},
        ["organization_lookup", "posts"],
        {"denied_scopes": ["r_organization_social"]},
    ),
    "token endpoint echoes": ("check", {}, None, {"token_endpoint": "echo"}),
    "token endpoint html": ("check", {}, None, {"token_endpoint": "html"}),
    "token endpoint redirects": ("check", {}, None, {"token_endpoint": "redirect"}),
    "error body echoes the token": (
        "read",
        {},
        ["total_follower_count"],
        {"scripted_faults": ["echo_token"]},
    ),
    "dma on a separate app": ("read", {}, ["dma_followed_pages"], {"separate_dma_app": True}),
    "token pasted as credentials": ("check", {"credentials": "AQVpasted-as-text-token\n"}, None, {}),
    "oauth base url elsewhere": (
        "check",
        {"oauth_base_url": "https://www.linkedin.com@localhost:{port}"},
        None,
        {},
    ),
    "main app in dma_credentials": ("check", {"dma_credentials": "main"}, None, {"separate_dma_app": True}),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_no_secret_appears_in_any_failure_output(emulator, tmp_path, failure):
    """Each secret, in every form it could take (raw, URL-encoded, JSON-escaped), in no output of any failure."""
    secrets = [
        emulator.settings.client_secret,
        emulator.settings.refresh_token,
        emulator.settings.dma_client_secret,
        emulator.settings.dma_refresh_token,
        "wrong-secret-value",
        "revoked-refresh-value",
        "AQVpasted-as-text-token",
    ]
    command, changes, streams, settings = FAILURES[failure]
    config = emulator.connector_config(dma_app=True)
    for key, value in changes.items():
        if value == "main":
            value = config["credentials"]
        elif isinstance(value, dict):
            value = {**config[key], **value}
        elif isinstance(value, str):
            value = value.format(port=emulator.url.rsplit(":", 1)[1])
        config[key] = value
    emulator.update_settings(**settings)
    run = run_connector(
        tmp_path,
        command,
        config=config,
        catalog=catalog_for(emulator, tmp_path, streams) if streams else None,
    )
    for secret in secrets + emulator.issued_tokens:
        for form in secret_forms(secret):
            assert form not in run.stdout and form not in run.stderr, f"{failure} leaked {form!r}"


@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGHUP])  # SIGHUP: issue 33 item 14
def test_a_sigterm_ends_the_sync_at_once_and_leaves_no_temporary_folder(emulator, tmp_path, ending):
    """The platform stops a sync with SIGTERM (a closed terminal, SIGHUP): airbyte-cdk's temporary folder (a copy
    of the config, with its credentials, and the response cache) must not outlive the process."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    (tmp_path / "config.json").write_text(json.dumps(emulator.connector_config(num_workers=2)))
    (tmp_path / "catalog.json").write_text(
        json.dumps(catalog_for(emulator, tmp_path, STATISTICS + ["posts"]))
    )
    emulator.update_settings(latency_ms=1500)  # every answer is slow: the sync is mid-request when stopped
    process = subprocess.Popen(
        [str(CONNECTOR), "read", "--config", str(tmp_path / "config.json"), "--catalog", str(tmp_path / "catalog.json")],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(temporary)},
    )  # fmt: skip
    for line in process.stdout:
        if '"RECORD"' in line:
            break
    assert any(temporary.iterdir()), "airbyte-cdk made its folder"
    process.send_signal(ending)
    assert process.wait(timeout=20) == -ending, "ended by the signal, as PyAirbyte expects (shell: 143)"
    assert list(temporary.iterdir()) == [], "the temporary folder is gone"
