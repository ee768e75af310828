"""A LinkedIn REST API emulator: a real HTTP server on loopback that enforces what LinkedIn documents.

This module is the server: its lifecycle, its settings, injected faults, the request pipeline and the
``/_emulator/*`` control endpoints. LinkedIn's rules live in ``rules.py``, one handler per LinkedIn resource in
``resources.py`` (``ROUTES``), the data in ``data.py``. The emulator never imports the connector.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from linkedin_emulator import rules
from linkedin_emulator.data import Dataset, day_start_ms
from linkedin_emulator.resources import ROUTES
from linkedin_emulator.rules import ApiError, RequestSpacing, TokenStore

FAULT_KINDS = ("429", "500", "502", "503", "504", "html", "badjson", "drop", "slow")
# Faults only `scripted_faults` injects: a body trickled a byte at a time, an answer that echoes the bearer token.
SCRIPTED_FAULT_KINDS = (*FAULT_KINDS, "trickle", "echo_token")
# Answers of a LinkedIn that misbehaves (`misbehaviours`, by resource), each a way a client can loop or lose data:
#   repeat_cursor: DMA follows always name the same nextPaginationCursor; repeat_page: offset paging ignores `start`;
#   same_page: offset paging ignores `start` while `paging.start` echoes it; empty_results: a BATCH_GET answers
#   `{"results": {}, "errors": {}}`; empty_elements: every answer's `elements` is `[]`; gone: every answer is 404;
#   future_times: every element was last modified in 2100;
#   no_paging: no `paging` block; empty_full_pages: full pages of empty elements;
#   no_elements / null_body / null_elements: pages after the first answer `{}`, `null`, `{"elements": null}`.
MISBEHAVIOURS = (
    "repeat_cursor",
    "repeat_page",
    "same_page",
    "empty_results",
    "empty_elements",
    "gone",
    "future_times",
    "no_paging",
    "empty_full_pages",
    "no_elements",
    "null_body",
    "null_elements",
)
# Token endpoint behaviours (`token_endpoint`): silent (accepts the connection, never answers), html (a proxy's
# page with a 200), echo (a 400 whose body echoes the submitted form), redirect (a 307 to `token_redirect_to`,
# which would make a careless client post the form there).
TOKEN_ENDPOINT_BEHAVIOURS = ("normal", "silent", "html", "echo", "redirect")


@dataclass
class EmulatorSettings:
    """Everything a test, the demo or the benchmark may switch. Mutable at run time via POST /_emulator/settings."""

    client_id: str = "emulator-client-id"
    client_secret: str = "emulator-client-secret"
    refresh_token: str = "emulator-refresh-token"
    static_access_tokens: list[str] = field(default_factory=lambda: ["emulator-access-token"])
    # The LinkedIn app that holds the Pages Data Portability (DMA) product, when it is a separate one.
    dma_client_id: str = "emulator-dma-client-id"
    dma_client_secret: str = "emulator-dma-client-secret"
    dma_refresh_token: str = "emulator-dma-refresh-token"
    dma_static_access_tokens: list[str] = field(default_factory=lambda: ["emulator-dma-access-token"])
    separate_dma_app: bool = False  # True: DMA resources refuse tokens of the main app (403), and the reverse
    # The LinkedIn app that holds the Advertising API (and Company Intelligence) products, when it is a separate one.
    ads_client_id: str = "emulator-ads-client-id"
    ads_client_secret: str = "emulator-ads-client-secret"
    ads_refresh_token: str = "emulator-ads-refresh-token"
    ads_static_access_tokens: list[str] = field(default_factory=lambda: ["emulator-ads-access-token"])
    separate_ads_app: bool = (
        False  # True: adAccounts and accountIntelligence answer only the ads app's tokens
    )
    pageless_organizations: list[int] = field(
        default_factory=list
    )  # organizations the pageEntity finder finds no page for
    administered_organizations: list[int] | None = None  # None: every organization of the dataset
    denied_scopes: list[str] = field(default_factory=list)  # e.g. ["r_dma_admin_pages_content"]
    company_intelligence_access: bool = True
    token_expires_after_calls: int | None = (
        None  # the first token issued answers 401 after this many API calls
    )
    fault_rate: float = 0.0
    fault_kinds: list[str] = field(default_factory=lambda: list(FAULT_KINDS))
    fault_seed: int = 1
    slow_seconds: float = 2.0
    latency_ms: float = 0.0
    dma_interval_seconds: float = 60.0
    # Company Intelligence's row cap where a version has one ("The maximum number of total results that can be
    # returned is 100,000"; a newer page: "no upper limits"): tests set a small one.
    company_intelligence_row_cap: int = 100_000
    # Posts come "roughly" by last modification: no page of LinkedIn's promises a strict order, so the emulator
    # swaps neighbours (a client that stops at the first older post loses the one behind it). "strict" sorts.
    posts_order: str = "rough"
    min_version: str | None = None  # narrows the versions served (rules.served_versions)
    max_version: str | None = None
    today: str | None = None  # ISO date; default: the real UTC date
    scripted_faults: list[str] = field(default_factory=list)  # faults for the next /rest requests, in order
    misbehaviours: dict[str, str] = field(default_factory=dict)  # resource -> one of MISBEHAVIOURS
    token_endpoint: str = "normal"  # one of TOKEN_ENDPOINT_BEHAVIOURS
    token_redirect_to: str = "http://localhost:9/oauth/v2/accessToken"
    trickle_seconds_per_byte: float = 0.5
    # LinkedIn documents no page cap for comments: at most this many a page, whatever the count asked.
    comments_page_cap: int = 50
    # Calls each resource answers per day (the emulator's `today`), e.g. {"socialActions": 60}; then 429.
    daily_quota: dict[str, int] = field(default_factory=dict)


class Emulator:
    """Owns the dataset, the settings, the issued tokens and the request statistics; runs the server."""

    def __init__(self, dataset: Dataset | None = None, settings: EmulatorSettings | None = None) -> None:
        self.dataset = dataset or Dataset()
        self.settings = settings or EmulatorSettings()
        self.tokens = TokenStore()
        self.dma_spacing = RequestSpacing()
        self.quota = rules.DailyQuota()
        self.stats: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.request = threading.local()  # what a handler may need of the request it answers: `version`
        self._fault_rng = random.Random(self.settings.fault_seed)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> Emulator:
        emulator = self

        class Handler(_Handler):
            pass

        Handler.emulator = emulator
        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="linkedin-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Emulator:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server, "emulator not started"
        # It listens on 127.0.0.1, named localhost: the one plain-http host the connector accepts.
        return f"http://localhost:{self._server.server_address[1]}"

    def connector_config(
        self, dma_app: bool = False, ads_app: bool = False, **overrides: Any
    ) -> dict[str, Any]:
        """A connector config that points at this emulator with OAuth credentials it accepts; with ``dma_app``
        and ``ads_app``, the credentials of the separate DMA and Advertising apps as well."""

        def oauth(prefix: str) -> dict[str, str]:
            return {"auth_method": "oAuth2.0"} | {
                key: getattr(self.settings, prefix + key)
                for key in ("client_id", "client_secret", "refresh_token")
            }

        config: dict[str, Any] = {
            "credentials": oauth(""),
            "api_base_url": self.url,
            "oauth_base_url": self.url,
            "dma_min_request_interval_seconds": self.settings.dma_interval_seconds,
        }
        if dma_app:
            config["dma_credentials"] = oauth("dma_")
        if ads_app:
            config["ads_credentials"] = oauth("ads_")
        config.update(overrides)
        return config

    # ------------------------------------------------------------------------------------------------
    # Settings, statistics, clock
    # ------------------------------------------------------------------------------------------------
    def update_settings(self, **changes: Any) -> None:
        with self._lock:
            for key, value in changes.items():
                if not hasattr(self.settings, key):
                    raise KeyError(f"unknown emulator setting {key!r}")
                setattr(self.settings, key, value)
            if "fault_seed" in changes:
                self._fault_rng = random.Random(self.settings.fault_seed)

    def count(self, what: str, increment: int = 1) -> None:
        with self._lock:
            self.stats[what] += increment

    @property
    def issued_tokens(self) -> list[str]:
        """Every access token the token endpoint issued (secrets a test must never find in any output)."""
        return self.tokens.issued

    def today(self) -> dt.date:
        return (
            dt.date.fromisoformat(self.settings.today)
            if self.settings.today
            else dt.datetime.now(dt.UTC).date()
        )

    def now_ms(self) -> int:
        """The emulator's clock, in epoch milliseconds: the real UTC time; with ``today`` set, the midnight
        (00:00 UTC) that starts that day, so a test's ground truth does not move with the time of day (the
        notifications a pull serves: ``dataset.notifications(org, emulator.now_ms())``, the last 60 days)."""
        if self.settings.today:
            return day_start_ms(self.today())
        return int(time.time() * 1000)

    def administered(self, org_id: int) -> bool:
        allowed = self.settings.administered_organizations
        return allowed is None or org_id in allowed

    # ------------------------------------------------------------------------------------------------
    # Faults
    # ------------------------------------------------------------------------------------------------
    def draw_fault(self) -> str | None:
        with self._lock:
            if self.settings.scripted_faults:
                kind = self.settings.scripted_faults.pop(0)
                self.stats[f"fault {kind}"] += 1
                return kind
            if self.settings.fault_rate and self._fault_rng.random() < self.settings.fault_rate:
                kind = self._fault_rng.choice(self.settings.fault_kinds)
                self.stats[f"fault {kind}"] += 1
                return kind
        return None

    # ------------------------------------------------------------------------------------------------
    # The API
    # ------------------------------------------------------------------------------------------------
    def issue_token(self, form: dict[str, str]) -> dict:
        answer = self.tokens.issue(form, self.settings)
        self.count("token issued")
        return answer

    def answer(self, path: str, headers: Any, raw_query: str, tunneled: bool) -> dict:
        """The body of a 200 for a ``/rest/`` request, after every rule it must pass; else ``ApiError``."""
        if not path.startswith("/rest/"):
            raise ApiError(404, f"No route {path}", "NOT_FOUND")
        resource, *keys = path.removeprefix("/rest/").split("/")
        if any(":" in key for key in keys):  # Rest.li 2.0: a URN as a resource key is percent-encoded
            raise ApiError(400, f"Resource key {keys[0]!r} is not percent-encoded", "INVALID_PARAM")
        app = self.tokens.authenticate(headers.get("Authorization"), self.settings)
        self.count(f"{app} app {resource}")  # which app's token each resource was asked with
        rules.check_version(headers.get("LinkedIn-Version"), self.today(), self.settings)
        self.request.version = headers.get("LinkedIn-Version", "")[:6]
        params = rules.parse_restli_request(headers.get("X-Restli-Protocol-Version"), raw_query, tunneled)
        newest = rules.active_versions(self.today(), self.settings)[1]
        rules.require_product(resource, app, self.settings, newest)
        rules.require_scope(resource, self.settings, newest)
        handler = ROUTES.get(resource)
        if handler is None:
            raise ApiError(404, f"No resource {resource}", "NOT_FOUND")
        self.quota.spend(resource, self.today(), self.settings.daily_quota)
        misbehaviour, asked = self.settings.misbehaviours.get(resource), params
        if misbehaviour == "gone":
            raise ApiError(404, f"Not found: {resource}", "NOT_FOUND")
        if misbehaviour in ("repeat_page", "repeat_cursor", "same_page"):  # every page is the first one
            params = {key: value for key, value in params.items() if key not in ("start", "paginationCursor")}
        payload = handler(self, params, *[unquote(key) for key in keys])
        return misbehave(payload, misbehaviour, asked) if misbehaviour else payload


class _Handler(BaseHTTPRequestHandler):
    emulator: Emulator
    protocol_version = "HTTP/1.1"
    server_version = "LinkedInEmulator/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        pass  # quiet: the emulator's own statistics say what was asked

    def do_GET(self) -> None:  # noqa: N802
        if urlsplit(self.path).path == "/oauth/v2/authorization":
            return self._consent(urlsplit(self.path).query)
        self._handle("GET", urlsplit(self.path).query)

    def _consent(self, query: str) -> None:
        """LinkedIn's authorization screen, consented at once: a redirect to ``redirect_uri`` with a ``code``, or
        with ``error=unauthorized_scope_error`` when the app's products do not grant a scope asked for."""
        params = {k: v[0] for k, v in parse_qs(query).items()}
        scopes = params.get("scope", "").replace(",", " ").split()
        refusal = rules.consent(params.get("client_id"), scopes, self.emulator.settings)
        self.emulator.count("consent refused" if refusal else "consent granted")
        outcome = (
            {"error": "unauthorized_scope_error", "error_description": refusal}
            if refusal
            else {"code": "emulator-authorization-code"}
        )
        location = (
            f"{params.get('redirect_uri', '/')}?{urlencode({**outcome, 'state': params.get('state', '')})}"
        )
        self.send_response(302, "Found")
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        path = urlsplit(self.path).path
        if path == "/oauth/v2/accessToken":
            return self._token(body)
        if path == "/oauth/v2/introspectToken":
            try:
                answer = self.emulator.tokens.introspect(
                    {k: v[0] for k, v in parse_qs(body).items()}, self.emulator.settings
                )
            except ApiError as error:
                return self._send(error.status, error.body())
            return self._send(200, answer)
        if path == "/_emulator/settings":
            return self._control_settings(body)
        if self.headers.get("X-HTTP-Method-Override", "").upper() == "GET":
            if not self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                return self._send(
                    400,
                    {
                        "status": 400,
                        "message": "Query tunneling needs Content-Type application/x-www-form-urlencoded",
                    },
                )
            return self._handle("GET", body, tunneled=True)
        self._send(405, {"status": 405, "message": "Method not allowed"})

    def _handle(self, method: str, raw_query: str, tunneled: bool = False) -> None:
        emulator = self.emulator
        path = urlsplit(self.path).path
        if path.startswith("/_emulator/"):
            return self._control(path)
        emulator.count("requests")
        emulator.count(f"{method} {path.removeprefix('/rest/').split('/')[0]}")
        if tunneled:
            emulator.count("tunneled")
        if emulator.settings.latency_ms:
            time.sleep(emulator.settings.latency_ms / 1000)
        if self._inject_fault(path):
            return None
        try:
            payload = emulator.answer(path, self.headers, raw_query, tunneled)
        except ApiError as error:
            emulator.count(f"status {error.status}")
            return self._send(error.status, error.body())
        emulator.count("status 200")
        self._send(200, payload)

    def _inject_fault(self, path: str) -> bool:
        """Answer with a drawn fault instead of the API (True), or let the request through (False)."""
        fault = self.emulator.draw_fault() if path.startswith("/rest/") else None
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
        elif fault == "slow":
            time.sleep(self.emulator.settings.slow_seconds)
            return False
        elif fault == "html":
            self._send_raw(502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>")
        elif (
            fault == "trickle"
        ):  # a 200 whose body comes a byte at a time: each read is quick, the whole never ends
            return self._trickle(b'{"elements": [], "paging": {"start": 0, "count": 10}}' + b" " * 400)
        elif fault == "echo_token":  # an error body that repeats the request's bearer token
            self._send(403, {"status": 403, "message": f"Denied for {self.headers.get('Authorization')}"})
        elif fault == "badjson":  # a 200 whose body was cut short
            self._send_raw(200, "application/json", b'{"elements": [{"organizationalEntity": "urn:li:orga')
        elif fault:
            self._send(int(fault), {"status": int(fault), "message": f"Injected fault {fault}"})
        return fault is not None

    def _token(self, body: str) -> None:
        form = {k: v[0] for k, v in parse_qs(body).items()}
        behaviour = self.emulator.settings.token_endpoint
        self.emulator.count(f"token endpoint {behaviour}")
        if behaviour == "silent":  # the connection stays open, no byte ever comes back
            time.sleep(3600)
            return None
        if behaviour == "html":
            return self._send_raw(200, "text/html", b"<html><body><h1>Sign in to continue</h1></body></html>")
        if behaviour == "redirect":
            self.send_response(307, "Temporary Redirect")
            self.send_header("Location", self.emulator.settings.token_redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if behaviour == "echo":
            return self._send_raw(
                400, "application/json", json.dumps({"error": "invalid_request", "received": body}).encode()
            )
        try:
            self._send(200, self.emulator.issue_token(form))
        except ApiError as error:
            self._send(error.status, {"error": error.code, "error_description": error.message})

    def _control(self, path: str) -> None:
        if path == "/_emulator/stats":
            with self.emulator._lock:
                return self._send(200, dict(self.emulator.stats))
        if path == "/_emulator/settings":
            return self._send(200, dataclasses.asdict(self.emulator.settings))
        self._send(404, {"message": "unknown control endpoint"})

    def _control_settings(self, body: str) -> None:
        try:
            self.emulator.update_settings(**json.loads(body or "{}"))
        except (KeyError, ValueError) as error:
            return self._send(400, {"message": str(error)})
        self._send(200, dataclasses.asdict(self.emulator.settings))

    def _trickle(self, body: bytes) -> bool:
        try:
            self.send_response(200, "OK")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(self.emulator.settings.trickle_seconds_per_byte)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return True

    def _send(self, status: int, payload: Any) -> None:
        self._send_raw(status, "application/json", json.dumps(payload).encode())

    def _send_raw(self, status: int, content_type: str, body: bytes) -> None:
        try:
            self.send_response(
                status, HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
            )
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-li-uuid", secrets.token_hex(8))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def misbehave(payload: dict, misbehaviour: str, params: dict) -> Any:
    """``payload`` as a misbehaving LinkedIn would answer it (see ``MISBEHAVIOURS``)."""
    later_page = bool(params.get("start", "0") != "0" or params.get("paginationCursor"))
    if misbehaviour == "repeat_cursor":
        payload = {**payload, "metadata": {"nextPaginationCursor": "c2FtZS1jdXJzb3I="}}
    elif misbehaviour == "same_page":
        payload = {
            **payload,
            "paging": {**(payload.get("paging") or {}), "start": int(params.get("start", "0"))},
        }
    elif misbehaviour == "empty_results":
        payload = {**payload, "results": {}, "errors": {}}
    elif misbehaviour == "future_times":  # every element last modified in 2100
        future = [
            {**e, "lastModified": {**e.get("lastModified", {}), "time": 4102444800000}}
            for e in payload["elements"]
        ]
        payload = {**payload, "elements": future}
    elif misbehaviour == "empty_elements":
        payload = {**payload, "elements": []}
    elif misbehaviour == "no_paging":
        payload = {key: value for key, value in payload.items() if key != "paging"}
    elif misbehaviour == "empty_full_pages":
        payload = {**payload, "elements": [{} for _ in range(int(params.get("count", "10")))]}
    elif misbehaviour == "no_elements" and later_page:
        payload = {}
    elif misbehaviour == "null_body" and later_page:
        payload = None
    elif misbehaviour == "null_elements" and later_page:
        payload = {**payload, "elements": None}
    return payload
