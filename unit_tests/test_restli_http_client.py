"""The transport: Rest.li 2.0 query encoding, query tunneling, the version in force, no redirects, spacing."""

import datetime as dt
import logging
import time

import pytest
import requests
import requests_mock
from airbyte_cdk.sources.streams.http import HttpClient

POSTS = "https://api.linkedin.com/rest/posts"
SHARE_STATISTICS = "https://api.linkedin.com/rest/organizationalEntityShareStatistics"


@pytest.fixture
def client(components_module):
    client = HttpClient(name="test", logger=logging.getLogger("test"))
    return components_module.RestliHttpClient.adopt(client)


def test_tuple_and_list_structure_stays_literal_while_urns_stay_encoded(client):
    params = {
        "q": "organizationalEntity",
        "organizationalEntity": "urn%3Ali%3Aorganization%3A2414183",
        "timeIntervals": "(timeRange:(start:1551398400000,end:1552003200000),timeGranularityType:DAY)",
        "shares": "List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)",
    }
    request = client._create_prepared_request(http_method="GET", url=SHARE_STATISTICS, params=params)
    assert request.method == "GET"
    assert request.url == (
        f"{SHARE_STATISTICS}?q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183"
        "&timeIntervals=(timeRange:(start:1551398400000,end:1552003200000),timeGranularityType:DAY)"
        "&shares=List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)"
    )


def test_other_reserved_characters_are_still_percent_encoded(client):
    request = client._create_prepared_request(
        http_method="GET", url=POSTS, params={"paginationCursor": "a+b/c=d e"}
    )
    assert request.url == f"{POSTS}?paginationCursor=a%2Bb%2Fc%3Dd+e"


def test_a_query_longer_than_4kb_is_sent_by_query_tunneling(client):
    urns = ",".join(f"urn%3Ali%3Ashare%3A{7000000000000000000 + i}" for i in range(150))
    request = client._create_prepared_request(
        http_method="GET", url=SHARE_STATISTICS, params={"shares": f"List({urns})"}
    )
    assert len(f"shares=List({urns})") > 4096
    assert (request.method, request.url) == ("POST", SHARE_STATISTICS)
    assert request.headers["X-HTTP-Method-Override"] == "GET"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.body == f"shares=List({urns})"


def test_a_query_of_exactly_4kb_is_still_a_get(client):
    request = client._create_prepared_request(
        http_method="GET", url=POSTS, params={"q": "x" * (4096 - len("q="))}
    )
    assert request.method == "GET"


def test_the_replacement_of_a_sunset_version_goes_on_every_later_request(components_module, client):
    components_module._VERSION["version"] = "202609"
    request = client._create_prepared_request(
        http_method="GET", url=POSTS, headers={"LinkedIn-Version": "202301"}
    )
    assert request.headers["LinkedIn-Version"] == "202609"


@pytest.mark.parametrize(
    ("today", "rejected", "expected"),
    [
        (dt.date(2027, 2, 10), "202301", "202701"),  # sunset: last month's, LinkedIn's newest released
        (dt.date(2027, 1, 10), "202301", "202611"),  # last month was December: no release
        (dt.date(2026, 12, 1), "202612", "202611"),  # this month's is not out on the 1st
        (dt.date(2026, 12, 1), "20261201", "202611"),  # the YYYYMMDD form
        (dt.date(2026, 12, 1), "202611", "202610"),
        (dt.date(2026, 12, 1), "202609", "202608"),
        (dt.date(2026, 12, 1), "202608", "202607"),
        (dt.date(2026, 12, 1), "202607", None),  # the walk down ends 5 months back
        (dt.date(2026, 12, 1), "202606", "202611"),  # older than every candidate: sunset
        (dt.date(2025, 4, 1), "202412", "202411"),  # a December that never was
        (dt.date(2025, 10, 1), "202412", "202509"),
        (dt.date(2026, 12, 1), "203001", "202611"),
    ],
)
def test_the_version_walk(components_module, today, rejected, expected):
    assert components_module.older_version(rejected, today) == expected


def test_a_redirect_raises_before_anything_is_sent_to_the_other_host(client):
    with requests_mock.Mocker() as mock:
        mock.get(POSTS, status_code=302, headers={"Location": "https://elsewhere.example/x"})
        elsewhere = mock.get("https://elsewhere.example/x", json={})
        with pytest.raises(requests.TooManyRedirects):
            client._session.send(client._create_prepared_request(http_method="GET", url=POSTS))
    assert not elsewhere.called


def test_request_spacing_waits_between_calls_and_starts_no_thread(components_module):
    import threading

    before = set(threading.enumerate())  # (another test's thread may end meanwhile: only new ones count)
    budget = components_module.RequestSpacing(0.2)
    sent = []
    for _ in range(3):
        budget.acquire_call(requests.Request("GET", POSTS).prepare())
        sent.append(time.monotonic())
    assert min(b - a for a, b in zip(sent, sent[1:], strict=False)) >= 0.2
    assert set(threading.enumerate()) - before == set()


class _Answering:
    """A local server answering every GET with ``body`` (headers ``headers``), ``per_write`` bytes at a time
    with ``pause`` seconds between writes."""

    def __init__(self, body: bytes, headers: dict[str, str], per_write: int, pause: float) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self.send_response(200)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    for start in range(0, len(body), per_write):
                        self.wfile.write(body[start : start + per_write])
                        self.wfile.flush()
                        time.sleep(pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        import threading

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rest/posts"


def test_an_answer_that_trickles_is_bounded_as_a_whole_not_byte_by_byte(client, components_module):
    # Issue 33 item 9. A byte every 0.05 s never meets a 1 s read timeout between bytes; 400 bytes take 20 s.
    components_module.MAX_ANSWER_SECONDS = 1  # proven with a small number (300 s)
    server = _Answering(b'{"elements": []}'.ljust(400), {"Content-Type": "application/json"}, 1, 0.05)
    request = client._create_prepared_request(http_method="GET", url=server.url)
    with pytest.raises(requests.ConnectionError, match="127.0.0.1:[0-9]+: an answer over"):
        client._session.send(request, timeout=(5, 1))
    server.server.shutdown()


def test_an_answer_that_decodes_past_the_bound_is_refused_not_held_in_memory(client, components_module):
    import gzip

    # Issue 33 item 16. Proven with a small number (128 MB): 8 MB of zeros, 8 KB gzipped.
    components_module.MAX_ANSWER_BYTES = 2**20
    bomb = gzip.compress(b"0" * (8 * 2**20))
    server = _Answering(bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"}, 2**16, 0)
    request = client._create_prepared_request(http_method="GET", url=server.url)
    with pytest.raises(requests.ConnectionError, match="an answer over 1 MB"):
        client._session.send(request, timeout=(5, 30))
    server.server.shutdown()


def test_an_answer_is_read_whole_gzipped_or_not(client):
    import gzip

    body = b'{"elements": [' + b",".join(b'{"id": %d}' % i for i in range(20000)) + b"]}"
    for headers, sent in (({}, body), ({"Content-Encoding": "gzip"}, gzip.compress(body))):
        server = _Answering(sent, {"Content-Type": "application/json", **headers}, 2**14, 0)
        request = client._create_prepared_request(http_method="GET", url=server.url)
        answer = client._session.send(request, timeout=(5, 30))
        assert answer.content == body and len(answer.json()["elements"]) == 20000
        server.server.shutdown()


def test_an_answer_served_from_the_response_cache_keeps_its_body(components_module):
    # requests-cache runs the session's hooks on an answer it serves: read again, its body must stay whole.
    import requests_cache

    session = requests_cache.CachedSession(backend="memory")
    session.hooks["response"] = [components_module.read_answer_whole]
    body = b'{"elements": [{"id": 1}], "paging": {"start": 0, "count": 10}}'
    server = _Answering(body, {"Content-Type": "application/json"}, 2**14, 0)
    first, again = (session.get(server.url, timeout=(5, 30)) for _ in range(2))
    assert (first.from_cache, again.from_cache) == (False, True)
    assert first.content == again.content == body
    server.server.shutdown()
