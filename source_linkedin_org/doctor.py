"""``source-linkedin-org doctor --config FILE``: what LinkedIn lets this config read, and what to grant where it
does not. One line per LinkedIn app (its token as LinkedIn's token introspection sees it: active or not, until
when, the scopes it holds), the API version, the member's role on each page, then one line per stream: readable, or LinkedIn's refusal in the
connector's words (which scope, role or product to get), then what LinkedIn answered where its pages leave the
shape open. Each stream is tried with its first page only. No
secret is printed: the config's are masked wherever they would appear."""

import datetime as dt
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests
from airbyte_cdk.sources.declarative.checks.check_stream import evaluate_availability
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets, filter_secrets, update_secrets

from source_linkedin_org.source import SourceLinkedinOrg

APPS = {  # config key: the app it holds
    "credentials": "Community Management API app",
    "dma_credentials": "Pages Data Portability (DMA) app",
    "ads_credentials": "Advertising API app",
}
LINKEDIN_OAUTH = "https://www.linkedin.com"
LINKEDIN_API = "https://api.linkedin.com"
VERSION_HEADER = "LinkedIn-Version"
ANSWER_SECONDS = (10, 60)  # connect, then each read, of doctor's own requests
STREAM_SECONDS = 600  # every stream tried within this (the DMA app's requests go one a minute)
DMA_ANALYTICS = ("post_daily_statistics", "page_daily_content_statistics")
TOKENS: dict[str, str] = {}  # config key: the access token doctor holds for it (a refreshed one with OAuth)


def token_line(config: Mapping[str, Any], key: str) -> str:
    """The app's token as LinkedIn's token introspection (``/oauth/v2/introspectToken``) sees it."""
    credentials = config.get(key)
    if not isinstance(credentials, Mapping):
        return f"{key} ({APPS[key]}): not set" + (
            "; the streams of this app use 'credentials'" if key != "credentials" else ""
        )
    if credentials.get("auth_method") != "oAuth2.0":
        TOKENS[key] = str(credentials.get("access_token") or "")
        return f"{key} ({APPS[key]}): a plain access token; LinkedIn introspects tokens with the app's client id and secret (OAuth 2.0)"
    base = str(config.get("oauth_base_url") or LINKEDIN_OAUTH).rstrip("/")
    app = {"client_id": credentials.get("client_id"), "client_secret": credentials.get("client_secret")}
    try:
        refreshed = requests.post(
            f"{base}/oauth/v2/accessToken",
            data={"grant_type": "refresh_token", "refresh_token": credentials.get("refresh_token"), **app},
            timeout=ANSWER_SECONDS, allow_redirects=False,
        )  # fmt: skip
        token = refreshed.json().get("access_token") if refreshed.ok else None
        if not token:
            return f"{key} ({APPS[key]}): LinkedIn refused the refresh token or the client secret (HTTP {refreshed.status_code}): re-authenticate"
        add_to_secrets(token)  # beside the config's secrets and the other apps' tokens
        TOKENS[key] = token
        answer = requests.post(
            f"{base}/oauth/v2/introspectToken",
            data={**app, "token": token},
            timeout=ANSWER_SECONDS,
            allow_redirects=False,
        )
        seen = answer.json() if answer.ok else {}
        seen.get("active")  # an answer that is no object: AttributeError, said below
    except (requests.RequestException, ValueError, AttributeError) as error:  # no answer, or no JSON object
        return f"{key} ({APPS[key]}): LinkedIn did not answer ({type(error).__name__}); run doctor again"
    if not seen.get("active"):
        return f"{key} ({APPS[key]}): LinkedIn says the token is not active ({seen.get('status', answer.status_code)})"
    expires = seen.get("expires_at")
    until = (
        dt.datetime.fromtimestamp(expires, dt.UTC).strftime("%Y-%m-%d") if isinstance(expires, int) else "?"
    )
    scopes = ", ".join(sorted(filter(None, str(seen.get("scope") or "").split(",")))) or "none"
    return f"{key} ({APPS[key]}): token active until {until}; scopes: {scopes}"


def linkedin_get(config: Mapping[str, Any], resource: str, version: str) -> requests.Response:
    """One GET of a LinkedIn resource with the Community Management app's token, as the connector sends it."""
    headers = {"Authorization": f"Bearer {TOKENS.get('credentials')}", VERSION_HEADER: version}
    return requests.get(
        f"{str(config.get('api_base_url') or LINKEDIN_API).rstrip('/')}/rest/{resource}",
        headers={**headers, "X-Restli-Protocol-Version": "2.0.0"}, timeout=ANSWER_SECONDS, allow_redirects=False,
    )  # fmt: skip


def role_lines(config: Mapping[str, Any], version: str) -> list[str]:
    """The member's role on each page it holds one on (organizationAcls, every role and state), and each
    configured page it holds none on: LinkedIn grants each resource to some roles only."""
    try:
        answer = linkedin_get(config, "organizationAcls?q=roleAssignee&count=100", version)
        elements = answer.json().get("elements") if answer.ok else None
    except (requests.RequestException, ValueError, AttributeError) as error:
        return [f"roles: LinkedIn did not answer ({type(error).__name__}); run doctor again"]
    if not isinstance(elements, list):
        return [
            f"roles: LinkedIn did not list the member's roles (HTTP {answer.status_code}): the token needs rw_organization_admin"
        ]
    held: dict[str, list[str]] = {}
    for acl in (e for e in elements if isinstance(e, Mapping)):
        held.setdefault(str(acl.get("organization")), []).append(f"{acl.get('role')} ({acl.get('state')})")
    lines = [f"role on {page}: {', '.join(roles)}" for page, roles in sorted(held.items())]
    for org in config.get("organization_ids") or []:
        if not any("ADMINISTRATOR (APPROVED)" in r for r in held.get(f"urn:li:organization:{org}", [])):
            lines.append(
                f"role on urn:li:organization:{org}: no approved ADMINISTRATOR role: its statistics, notifications"
                " and showcase pages need one (the page's admin settings on LinkedIn)"
            )
    return lines


def showcase_page_lines(config: Mapping[str, Any], streams: list[Any]) -> list[str]:
    """Each configured showcase page that none of the organizations lists (a sync reads nothing of it)."""
    wanted = [str(page) for page in config.get("showcase_page_ids") or []]
    if not wanted or config.get("include_showcase_pages") is False:
        return []
    pages = next(stream for stream in streams if stream.name == "showcase_pages")
    try:
        listed = {str(r.data.get("id")) for part in pages.generate_partitions() for r in part.read()}
    except Exception as error:  # its refusal is the stream's line already
        return [f"showcase_page_ids: not checked ({getattr(error, 'message', None) or type(error).__name__})"]
    if missing := [page for page in wanted if page not in listed]:
        found = "none of the organizations read lists it: check the id (linkedin.com/showcase/<id>/admin)"
        return [
            f"showcase_page_ids {', '.join(missing)}: {found}, or add its organization to organization_ids"
        ]
    return [f"showcase_page_ids: each is a showcase page of an organization read ({', '.join(wanted)})"]


def first_record(stream: Any, partitions: int = 5) -> Mapping[str, Any] | None:
    """The first record of the first ``partitions`` partitions (a video has no views after six months)."""
    for index, partition in enumerate(stream.generate_partitions()):
        if index == partitions:
            return None
        for record in partition.read():
            return record.data
    return None


def answer_lines(config: Mapping[str, Any], first: Mapping[str, Any], version: str) -> list[str]:
    """What LinkedIn answers where no page of its settles the shape (docs/research): the fields of a
    videoAnalytics element (which one names the metric), and whether socialMetadata answers for a comment's
    URN. Said as LinkedIn answered it, so the first real user settles the question; no verdict."""
    lines = []
    if video := first.get("video_analytics"):
        ours = ("post", "organization", "type")  # the fields the connector adds
        fields = ", ".join(sorted(key for key in video if key not in ours)) or "none"
        named = [key for key in video if key not in ours and video[key] == video.get("type")]
        lines.append(
            f"answer of videoAnalytics ({video.get('type')}): fields {fields}; the metric type is named in "
            + (", ".join(named) if named else "no field (the connector's `type` is the one asked)")
        )
    else:
        lines.append("answer of videoAnalytics: not asked (no video post with analytics was read)")
    comment = (first.get("post_comments") or {}).get("comment")
    if not comment:
        return lines + ["answer of socialMetadata for a comment: not asked (no comment was read)"]
    try:
        answer = linkedin_get(config, f"socialMetadata?ids=List({quote(str(comment), safe='')})", version)
        body = answer.json() if answer.content else {}
        result = (body.get("results") or {}).get(comment) if isinstance(body, Mapping) else None
        error = (body.get("errors") or {}).get(comment) if isinstance(body, Mapping) else None
    except (requests.RequestException, ValueError, AttributeError) as failure:
        return lines + [f"answer of socialMetadata for a comment: none ({type(failure).__name__})"]
    if isinstance(result, Mapping):
        said = f"its counts, fields {', '.join(sorted(result))}"
    elif error is not None:
        said = f"an error for it: {' '.join(json.dumps(error).split())[:160]}"
    else:
        said = f"no result for it: {' '.join(answer.text.split())[:160]}"
    return lines + [f"answer of socialMetadata for a comment ({comment}): HTTP {answer.status_code}, {said}"]


def stream_verdict(stream: Any, first: dict[str, Any]) -> str:
    """``readable``, or ``NOT readable:`` and LinkedIn's refusal in the connector's words."""
    try:  # a record of the streams whose answer is said below (a partitioned cursor slices once)
        if stream.name in ("video_analytics", "post_comments"):
            first[stream.name] = first_record(stream)
            return "readable"
        readable, reason = evaluate_availability(stream, logging.getLogger("airbyte.doctor"))
    except Exception as error:  # a stream's refusal, in the connector's words
        readable, reason = False, getattr(error, "message", None) or str(error)
    return "readable" if readable else "NOT readable: " + " ".join(str(reason or "").split())


def doctor(config: Mapping[str, Any]) -> list[str]:
    """The lines of the report: one per app, the version, the roles, one per stream, LinkedIn's answers."""
    source = SourceLinkedinOrg(config=config)
    clean = getattr(source, "_config", None) or config  # the config as the manifest cleans it
    secrets = [
        v for c in clean.values() if isinstance(c, Mapping) for k, v in c.items() if k != "auth_method"
    ]
    update_secrets([s for s in secrets if isinstance(s, str) and s])
    # Each app's credentials as cleaned (a bare token, a newline), an app the config does not set: not set.
    lines = [token_line({**clean, **{k: None for k in APPS if not config.get(k)}}, key) for key in APPS]
    streams = source.streams(clean)
    off = clean.get("__dma_analytics_off")  # no DMA app: said, not tried
    tried = [stream for stream in streams if not (off and stream.name in DMA_ANALYTICS)]
    first: dict[str, Any] = {}
    verdicts: dict[str, str] = {}
    # Side by side, within STREAM_SECONDS in all: a host that accepts and never answers ends doctor too.
    threads = [
        threading.Thread(target=lambda s=s: verdicts.update({s.name: stream_verdict(s, first)}), daemon=True)
        for s in tried
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + STREAM_SECONDS
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    silent = f"NOT readable: LinkedIn did not answer within {STREAM_SECONDS} s; run doctor again"
    for stream in sorted(streams, key=lambda s: s.name):
        if stream not in tried:
            lines.append(f"stream {stream.name}: not read without a DMA app (set dma_credentials to read it)")
        else:
            lines.append(f"stream {stream.name}: {verdicts.get(stream.name, silent)}")
    if verdicts.get("showcase_pages") == "readable":  # read again here: only if it answered within the bound
        lines += showcase_page_lines(clean, streams)
    components = sys.modules.get("source_declarative_manifest.components")
    served = getattr(components, "_VERSION", {}).get("version")
    header = str(source.resolved_manifest["definitions"]["requester"]["request_headers"].get(VERSION_HEADER))
    pinned = config.get("linkedin_api_version") or "".join(re.findall(r"'(\d{6})'", header)) or header
    lines.insert(
        len(APPS),
        f"API version: {served + ' (LinkedIn refused ' + pinned + ')' if served else pinned + ', served'}",
    )
    lines[len(APPS) + 1 : len(APPS) + 1] = role_lines(clean, served or pinned)
    lines += answer_lines(clean, first, served or pinned)
    return [filter_secrets(line) for line in lines]


def main(argv: list[str]) -> int:
    """``doctor --config FILE``: the report, one line each; 1 when anything cannot be read."""
    if len(argv) != 2 or argv[0] != "--config":
        print("usage: source-linkedin-org doctor --config CONFIG_FILE", file=sys.stderr)
        return 2
    try:
        with open(argv[1]) as file:
            config = json.load(file)
    except (OSError, ValueError) as error:
        print(f"The config cannot be read: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    from source_linkedin_org.run import _manifest_problem, config_problem

    airbyte = logging.getLogger("airbyte")
    level = airbyte.level
    airbyte.setLevel(logging.CRITICAL)  # the report says what failed, in one line each
    try:  # the connector's own checks first, base URLs included: no credential goes where a sync would not
        source = SourceLinkedinOrg(config=config) if isinstance(config, Mapping) else None
        spec = source.resolved_manifest["spec"]["connection_specification"] if source else {}
        clean = getattr(source, "_config", None) or config  # as run.py: a bare token is an access token
        problem = config_problem(clean, spec) or (_manifest_problem(source) if source else None)
        lines = [filter_secrets(problem)] if problem else doctor(config)
    finally:
        airbyte.setLevel(level)
    if problem:
        print(lines[0])
        return 2
    print("\n".join(lines))
    problems = (
        "NOT readable",
        "refused",
        "none of the organizations read lists it",
        "no approved ADMINISTRATOR",
    )
    return 1 if any(problem in line for line in lines for problem in problems) else 0
