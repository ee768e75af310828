"""RestliHttpClient: Rest.li 2.0 query encoding, query tunneling, the LinkedIn-Version stamp."""

import datetime as dt
import logging

import pytest
import requests_mock
from source_linkedin_org.components import (
    API_VERSION_FALLBACK,
    MAX_QUERY_STRING_BYTES,
    RestliHttpClient,
    active_version_for,
    encode_restli_query,
)


def make_client() -> RestliHttpClient:
    return RestliHttpClient(name="test", logger=logging.getLogger("test"))


def test_tuple_and_list_structure_stays_literal_while_urns_stay_encoded():
    query = encode_restli_query(
        {
            "q": "organizationalEntity",
            "organizationalEntity": "urn%3Ali%3Aorganization%3A2414183",
            "timeIntervals": "(timeRange:(start:1551398400000,end:1552003200000),timeGranularityType:DAY)",
            "shares": "List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)",
        }
    )
    assert query == (
        "q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183"
        "&timeIntervals=(timeRange:(start:1551398400000,end:1552003200000),timeGranularityType:DAY)"
        "&shares=List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)"
    )


def test_other_reserved_characters_are_still_percent_encoded():
    assert encode_restli_query({"paginationCursor": "a+b/c=d e"}) == "paginationCursor=a%2Bb%2Fc%3Dd+e"


def test_prepared_get_request_carries_the_raw_restli_query():
    client = make_client()
    request = client._create_prepared_request(
        "GET",
        "https://api.linkedin.com/rest/organizationalEntityShareStatistics",
        params={
            "q": "organizationalEntity",
            "timeIntervals": "(timeRange:(start:1,end:2),timeGranularityType:DAY)",
        },
    )
    assert request.method == "GET"
    assert request.url == (
        "https://api.linkedin.com/rest/organizationalEntityShareStatistics"
        "?q=organizationalEntity&timeIntervals=(timeRange:(start:1,end:2),timeGranularityType:DAY)"
    )


def test_query_longer_than_4kb_is_sent_by_query_tunneling():
    client = make_client()
    urns = ",".join(f"urn%3Ali%3Ashare%3A{7000000000000000000 + i}" for i in range(150))
    request = client._create_prepared_request(
        "GET",
        "https://api.linkedin.com/rest/organizationalEntityShareStatistics",
        params={"shares": f"List({urns})"},
    )
    assert len(f"shares=List({urns})") > MAX_QUERY_STRING_BYTES
    assert request.method == "POST"
    assert request.url == "https://api.linkedin.com/rest/organizationalEntityShareStatistics"
    assert request.headers["X-HTTP-Method-Override"] == "GET"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.body == f"shares=List({urns})"


def test_query_of_exactly_4kb_is_still_a_get():
    client = make_client()
    value = "x" * (MAX_QUERY_STRING_BYTES - len("q="))
    request = client._create_prepared_request(
        "GET", "https://api.linkedin.com/rest/posts", params={"q": value}
    )
    assert request.method == "GET"


def test_414_answer_resends_the_request_tunneled():
    client = make_client()
    seen = []  # (method, body) at send time: the retry reuses, and mutates, the same prepared request

    def answer(status):
        def callback(request, context):
            seen.append((request.method, request.headers.get("X-HTTP-Method-Override"), request.text))
            context.status_code = status
            return {"elements": []}

        return callback

    with requests_mock.Mocker() as mock:
        mock.get("https://api.linkedin.com/rest/posts", json=answer(414))
        mock.post("https://api.linkedin.com/rest/posts", json=answer(200))
        _, response = client.send_request(
            "GET", "https://api.linkedin.com/rest/posts", request_kwargs={}, params={"q": "author"}
        )
    assert response.status_code == 200
    assert seen == [("GET", None, None), ("POST", "GET", "q=author")]


def test_replacement_version_is_stamped_on_every_attempt():
    client = make_client()
    API_VERSION_FALLBACK.replace("202301", today=dt.date(2026, 11, 22))
    with requests_mock.Mocker() as mock:
        mock.get("https://api.linkedin.com/rest/posts", json={})
        client.send_request(
            "GET",
            "https://api.linkedin.com/rest/posts",
            request_kwargs={},
            headers={"LinkedIn-Version": "202301"},
        )
    assert mock.request_history[0].headers["LinkedIn-Version"] == "202609"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 22), "202609"),
        (dt.date(2026, 1, 1), "202511"),
        (dt.date(2026, 2, 28), "202512"),
        (dt.date(2027, 3, 15), "202701"),
    ],
)
def test_active_version_is_two_months_back(today, expected):
    assert active_version_for(today) == expected
