"""`source-linkedin-org doctor`: against the emulator, a config whose DMA app is not set and whose token lacks
one scope (issue 30): the whole report, what it names, and no secret in it."""

import json
import subprocess

from integration_tests.helpers import CONNECTOR, secret_forms


def run_doctor(tmp_path, config):
    """``source-linkedin-org doctor`` as a user runs it, on ``config`` written to a file."""
    (tmp_path / "config.json").write_text(json.dumps(config))
    command = [str(CONNECTOR), "doctor", "--config", str(tmp_path / "config.json")]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_doctor_names_each_app_the_scopes_it_holds_and_what_each_stream_lacks(emulator, tmp_path):
    emulator.update_settings(denied_scopes=["r_organization_social_feed"])
    done = run_doctor(tmp_path, emulator.connector_config())
    lines = done.stdout.splitlines()
    print(done.stdout)  # the whole report, shown when the test fails
    assert done.returncode == 1, "a stream cannot be read"
    credentials = next(line for line in lines if line.startswith("credentials ("))
    assert "token active until" in credentials and "r_organization_social," in credentials
    assert "r_organization_social_feed" not in credentials, "the scope LinkedIn did not grant is not listed"
    assert any(line.startswith("dma_credentials (") and "not set" in line for line in lines)
    assert any(line.startswith("API version: 2") for line in lines)
    assert "role on urn:li:organization:2414183: ADMINISTRATOR (APPROVED)" in lines
    streams = {
        line.split(":", 1)[0].removeprefix("stream "): line for line in lines if line.startswith("stream ")
    }
    assert len(streams) == 25
    assert streams["post_daily_statistics"].endswith(
        "not read without a DMA app (set dma_credentials to read it)"
    )
    for stream in ("post_comments", "post_social_metadata"):
        assert "NOT readable" in streams[stream] and "r_organization_social_feed" in streams[stream]
    assert all(
        streams[s].endswith(": readable") for s in ("organization_lookup", "posts", "follower_statistics")
    )
    secrets = [emulator.settings.client_secret, emulator.settings.refresh_token, *emulator.issued_tokens]
    for secret in secrets:
        for form in secret_forms(secret):
            assert form not in done.stdout and form not in done.stderr, f"a secret leaked as {form!r}"


def test_doctor_reads_linkedin_s_documented_introspection_answer():
    import requests_mock

    from source_linkedin_org.doctor import token_line
    from unit_tests.documented_answers import TOKEN_INTROSPECTION

    config = {
        "credentials": {
            "auth_method": "oAuth2.0",
            "client_id": "i",
            "client_secret": "s",
            "refresh_token": "r",
        }
    }
    with requests_mock.Mocker() as mock:
        mock.post(
            "https://www.linkedin.com/oauth/v2/accessToken", json={"access_token": "AQV-t", "expires_in": 60}
        )
        mock.post("https://www.linkedin.com/oauth/v2/introspectToken", json=TOKEN_INTROSPECTION)
        line = token_line(config, "credentials")
    assert line == (
        "credentials (Community Management API app): token active until 2017-06-15; "
        "scopes: r_emailaddress, r_liteprofile, w_member_social"
    )
    assert mock.request_history[1].text == "client_id=i&client_secret=s&token=AQV-t"


def test_the_emulator_introspects_a_token_in_linkedin_s_documented_shape(emulator):
    import requests

    from unit_tests.documented_answers import TOKEN_INTROSPECTION

    settings = emulator.settings
    app = {"client_id": settings.client_id, "client_secret": settings.client_secret}
    token = requests.post(
        f"{emulator.url}/oauth/v2/accessToken",
        data={"grant_type": "refresh_token", "refresh_token": settings.refresh_token, **app}, timeout=10,
    ).json()["access_token"]  # fmt: skip
    answer = requests.post(
        f"{emulator.url}/oauth/v2/introspectToken", data={**app, "token": token}, timeout=10
    )
    assert answer.status_code == 200 and set(answer.json()) == set(TOKEN_INTROSPECTION)
    assert answer.json()["active"] is True and "rw_organization_admin" in answer.json()["scope"].split(",")
    wrong = requests.post(
        f"{emulator.url}/oauth/v2/introspectToken",
        data={**app, "client_secret": "x", "token": token},
        timeout=10,
    )
    assert wrong.status_code == 401


def test_doctor_sends_no_credential_to_a_host_the_connector_would_refuse(emulator, tmp_path):
    # The refresh token and client secret go where a sync would send them, or nowhere: refused before any request.
    config = {**emulator.connector_config(), "oauth_base_url": "https://elsewhere.example"}
    before = sum(emulator.stats.values())
    done = run_doctor(tmp_path, config)
    assert done.returncode == 2 and done.stdout.count("\n") == 1 and "oauth_base_url" in done.stdout, (
        done.stdout
    )
    assert sum(emulator.stats.values()) == before, "not even the emulator was asked"


def test_doctor_names_a_configured_showcase_page_no_organization_lists(emulator, tmp_path):
    listed = str(emulator.dataset.brands[0].id)
    config = emulator.connector_config(organization_ids=["2414183"], showcase_page_ids=[listed, "12345"])
    done = run_doctor(tmp_path, config)
    print(done.stdout)
    [line] = [line for line in done.stdout.splitlines() if line.startswith("showcase_page_ids")]
    assert (
        line.startswith("showcase_page_ids 12345: none of the organizations read lists it")
        and listed not in line
    )
    assert done.returncode == 1, "a page the sync would read nothing of is a problem to fix"


def test_doctor_names_a_configured_page_the_member_holds_no_administrator_role_on(emulator, tmp_path):
    emulator.update_settings(administered_organizations=[2414183])
    config = emulator.connector_config(organization_ids=["2414183", "5470551"])
    done = run_doctor(tmp_path, config)
    print(done.stdout)
    roles = [line for line in done.stdout.splitlines() if line.startswith("role on ")]
    assert roles[0] == "role on urn:li:organization:2414183: ADMINISTRATOR (APPROVED)"
    assert any(
        line.startswith("role on urn:li:organization:5470551: no approved ADMINISTRATOR") for line in roles
    )
    assert done.returncode == 1


def test_doctor_says_what_linkedin_answered_where_its_pages_leave_the_shape_open(emulator, tmp_path):
    done = run_doctor(tmp_path, emulator.connector_config(organization_ids=["2414183"]))
    answers = [line for line in done.stdout.splitlines() if line.startswith("answer of ")]
    print(done.stdout)
    # The emulator's videoAnalytics element names the metric in statisticsType (LinkedIn's field, per production
    # code); its socialMetadata refuses a comment URN in `errors` (our reading: posts only).
    assert answers[0].startswith("answer of videoAnalytics (") and answers[0].endswith(
        "fields entity, statisticsType, timeRange, value; the metric type is named in statisticsType"
    )
    assert answers[1].startswith("answer of socialMetadata for a comment (urn:li:comment:(urn:li:activity:")
    assert "HTTP 200, an error for it:" in answers[1] and "INVALID_PARAM" in answers[1]
    assert done.returncode == 0, "what LinkedIn answered is said, not a problem"


def test_doctor_reports_each_answer_shape_as_linkedin_gives_it():
    import requests_mock

    from source_linkedin_org.doctor import TOKENS, answer_lines

    comment = "urn:li:comment:(urn:li:activity:7,8)"
    url = "https://api.linkedin.com/rest/socialMetadata?ids=List(urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7%2C8%29)"
    first = {
        "video_analytics": {"entity": "urn:li:ugcPost:1", "value": 3, "post": "p", "type": "VIEWER"},
        "post_comments": {"comment": comment},
    }
    TOKENS["credentials"] = "t"
    counts = {"results": {comment: {"commentSummary": {"count": 2}, "reactionSummaries": {}}}, "errors": {}}
    with requests_mock.Mocker() as mock:
        mock.get(url, complete_qs=True, json=counts)
        video, metadata = answer_lines({}, first, "202610")
        assert mock.last_request.headers["LinkedIn-Version"] == "202610"
        mock.get(url, status_code=403, json={"status": 403, "message": "Not enough permissions"})
        refused = answer_lines({}, first, "202610")[1]
    assert video == (
        "answer of videoAnalytics (VIEWER): fields entity, value; "
        "the metric type is named in no field (the connector's `type` is the one asked)"
    )
    assert metadata.endswith("HTTP 200, its counts, fields commentSummary, reactionSummaries")
    assert refused.endswith(
        'HTTP 403, no result for it: {"status": 403, "message": "Not enough permissions"}'
    )
    assert answer_lines({}, {}, "202610") == [
        "answer of videoAnalytics: not asked (no video post with analytics was read)",
        "answer of socialMetadata for a comment: not asked (no comment was read)",
    ]


def test_each_app_s_token_and_secrets_stay_masked_when_doctor_introspects_the_next_app():
    # A second OAuth app's token once replaced the masked list: the first app's token, echoed back by LinkedIn in
    # an error body, was printed as is (found by trying to break doctor).
    import requests_mock
    from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets, update_secrets

    from source_linkedin_org.doctor import token_line

    def app(n):
        secrets = {"client_secret": f"client-secret-{n}", "refresh_token": f"refresh-token-{n}"}
        return {"auth_method": "oAuth2.0", "client_id": f"id{n}", **secrets}

    config = {"credentials": app(1), "dma_credentials": app(2)}
    update_secrets(["client-secret-1", "refresh-token-1", "client-secret-2", "refresh-token-2"])  # doctor()'s
    tokens = iter(["AQV-first-app-token", "AQV-second-app-token"])
    try:
        with requests_mock.Mocker() as mock:
            mock.post(
                "https://www.linkedin.com/oauth/v2/accessToken",
                json=lambda r, c: {"access_token": next(tokens)},
            )
            mock.post(
                "https://www.linkedin.com/oauth/v2/introspectToken", json={"active": True, "scope": "r_x"}
            )
            token_line(config, "credentials")
            token_line(config, "dma_credentials")
        echoed = "Bearer AQV-first-app-token, AQV-second-app-token; client-secret-1 refresh-token-2"
        assert filter_secrets(echoed) == "Bearer ****, ****; **** ****"
    finally:
        update_secrets([])


def test_doctor_reads_credentials_as_the_connector_cleans_them(emulator, tmp_path):
    # A bare token and a token read from a file (its newline) are accepted by check and read: by doctor too.
    for credentials in (
        "emulator-access-token",
        {"auth_method": "access_token", "access_token": "emulator-access-token\n"},
    ):
        done = run_doctor(
            tmp_path, emulator.connector_config(organization_ids=["2414183"], credentials=credentials)
        )
        lines = done.stdout.splitlines()
        assert lines[0].startswith("credentials (Community Management API app): a plain access token"), (
            done.stdout
        )
        assert "role on urn:li:organization:2414183: ADMINISTRATOR (APPROVED)" in lines, done.stdout
        assert "emulator-access-token" not in done.stdout + done.stderr


def test_doctor_ends_with_a_line_per_stream_when_linkedin_accepts_and_never_answers(tmp_path):
    # Each stream's check once inherited the connector's patience (120 s a try, 7 tries): 25 streams, hours.
    import socket
    import sys

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)  # connections are accepted by the kernel, never answered
    config = {
        "credentials": {"auth_method": "access_token", "access_token": "a-token-nobody-answers"},
        "organization_ids": ["2414183"],
        "showcase_page_ids": ["71824305"],  # doctor's own check of them is bounded too
        "api_base_url": f"http://127.0.0.1:{silent.getsockname()[1]}",
    }
    (tmp_path / "config.json").write_text(json.dumps(config))
    # doctor's bounds made small; its own process, so the threads still waiting end with it.
    bounded = (
        "from source_linkedin_org import doctor; doctor.STREAM_SECONDS = 2; doctor.ANSWER_SECONDS = (2, 2)"
    )
    code = f"{bounded}; raise SystemExit(doctor.main(['--config', {str(tmp_path / 'config.json')!r}]))"
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    finally:
        silent.close()
    lines = done.stdout.splitlines()
    streams = [line for line in lines if line.startswith("stream ")]
    assert len(streams) == 25, done.stdout + done.stderr[-2000:]
    silent_ones = [
        line for line in streams if line.endswith("LinkedIn did not answer within 2 s; run doctor again")
    ]
    assert len(silent_ones) == 23, "every stream tried (the DMA analytics are not, without a DMA app)"
    assert any(line.startswith("roles: LinkedIn did not answer (") for line in lines)
    assert done.returncode == 1
