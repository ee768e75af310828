"""`source-linkedin-org doctor`: against the emulator, a config whose DMA app is not set and whose token lacks
one scope (issue 30): the whole report, what it names, and no secret in it."""

import json
import subprocess

from integration_tests.helpers import CONNECTOR, secret_forms


def test_doctor_names_each_app_the_scopes_it_holds_and_what_each_stream_lacks(emulator, tmp_path):
    emulator.update_settings(denied_scopes=["r_organization_social_feed"])
    (tmp_path / "config.json").write_text(json.dumps(emulator.connector_config()))
    done = subprocess.run(
        [str(CONNECTOR), "doctor", "--config", str(tmp_path / "config.json")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    print(done.stdout)  # the whole report, shown when the test fails
    assert done.returncode == 1, "a stream cannot be read"
    credentials = next(line for line in lines if line.startswith("credentials ("))
    assert "token active until" in credentials and "r_organization_social," in credentials
    assert "r_organization_social_feed" not in credentials, "the scope LinkedIn did not grant is not listed"
    assert any(line.startswith("dma_credentials (") and "not set" in line for line in lines)
    assert any(line.startswith("API version: 2") for line in lines)
    streams = {
        line.split(":", 1)[0].removeprefix("stream "): line for line in lines if line.startswith("stream ")
    }
    assert len(streams) == 19
    for stream in ("post_comments", "post_social_metadata"):
        assert "NOT readable" in streams[stream] and "r_organization_social_feed" in streams[stream]
    assert all(
        streams[s].endswith(": readable") for s in ("organization_lookup", "posts", "follower_statistics")
    )
    secrets = [emulator.settings.client_secret, emulator.settings.refresh_token, *emulator.issued_tokens]
    for secret in secrets:
        for form in secret_forms(secret):
            assert form not in done.stdout and form not in done.stderr, f"a secret leaked as {form!r}"
