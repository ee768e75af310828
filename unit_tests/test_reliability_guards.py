"""Guards against a LinkedIn that misbehaves (answers without elements, a cursor that repeats) and against a
saved state the connector cannot read. End-to-end counterparts are in integration_tests/test_breaking_it.py."""

import pytest
import requests
import requests_mock
from urllib3.exceptions import MaxRetryError, NameResolutionError

from unit_tests.helpers import (
    DMA_FOLLOWS,
    DMA_PAGE_PROFILES,
    FOLLOWER_STATISTICS,
    ORGANIZATIONS,
    POSTS,
    access_token_config,
    organizations_batch,
    page_profiles,
    run_read,
)


def posts_page(start, count=100, org="2414183"):
    return [
        {
            "id": f"urn:li:share:{org}{i:05d}",
            "author": f"urn:li:organization:{org}",
            "lastModifiedAt": 1_790_000_000_000 - i,
        }
        for i in range(start, start + count)
    ]


@pytest.mark.parametrize(
    "later_page",
    [
        {"text": "{}"},
        {"text": "null"},
        {"json": {"elements": None}},
        {"json": {"elements": [{}] * 100}},
        # A text, an object, a list of texts (found by trying to break the connector: read as no page, or one).
        {"json": {"elements": "urn:li:share:1"}},
        {"json": {"elements": {"id": "urn:li:share:1"}}},
        {"json": {"elements": ["urn:li:share:1", "urn:li:share:2"]}},
    ],
)
def test_a_later_page_without_elements_fails_loudly_and_no_state_moves_past_it(later_page, instant_backoff):
    with requests_mock.Mocker() as mock:
        mock.get(
            POSTS, [{"json": {"elements": posts_page(0), "paging": {"start": 0, "count": 100}}}, later_page]
        )
        output = run_read(access_token_config(), ["posts"], expecting_exception=True)
    error = output.errors[0].trace.error
    assert "without its elements" in error.message and "\n" not in error.message
    assert len(mock.request_history) > 2, "retried like a non-JSON body"
    assert all(request.qs.get("start") == ["100"] for request in mock.request_history[1:])
    for state in output.state_messages:
        for partition in state.state.stream.stream_state.__dict__.get("states", []):
            assert int(partition["cursor"]["lastModifiedAt"]) == 0, (
                "the cursor did not move past the posts never read"
            )


# Issue 33 item 2: a 200 whose `results` hold none of the keys asked for (and no `errors`) is no answer either.
@pytest.mark.parametrize(
    "answer",
    [{"statuses": {}}, {"results": {}}, {"results": {}, "errors": {}}, {"results": []}, {"results": "x"}],
)
def test_a_batch_get_without_results_is_malformed_too(instant_backoff, answer):
    with requests_mock.Mocker() as mock:
        organizations = mock.get(ORGANIZATIONS, json=answer)
        output = run_read(access_token_config(), ["organization_lookup"], expecting_exception=True)
    assert "organizations without its results" in output.errors[0].trace.error.message
    assert output.records == [] and organizations.call_count > 1, "retried, then said"


@pytest.mark.parametrize("stream", ["follower_statistics", "follower_demographics"])
def test_a_lifetime_answer_without_its_organization_s_element_fails_naming_it(instant_backoff, stream):
    # Issue 33 item 2: `{"elements": []}` gave follower statistics and demographics no row, and no word.
    with requests_mock.Mocker() as mock:
        mock.get(FOLLOWER_STATISTICS, json={"elements": [], "paging": {"start": 0, "count": 10}})
        output = run_read(
            access_token_config(organization_ids=["2414183"]), [stream], expecting_exception=True
        )
    message = output.errors[0].trace.error.message
    assert "no lifetime statistics for organization 2414183" in message and output.records == []


def test_a_dma_cursor_that_comes_back_unchanged_fails_instead_of_looping():
    def follows(request, context):
        return {"elements": [{"follower": f"urn:li:person:{request.url[-6:]}", "edgeType": "X"}],
                "metadata": {"nextPaginationCursor": "same"}}  # fmt: skip

    with requests_mock.Mocker() as mock:
        mock.get(DMA_PAGE_PROFILES, json=page_profiles())
        mock.get(DMA_FOLLOWS, json=follows)
        output = run_read(
            access_token_config(dma_min_request_interval_seconds=0),
            ["dma_followed_pages"],
            expecting_exception=True,
        )
    assert "paging did not advance" in output.errors[0].trace.error.message
    assert len([r for r in mock.request_history if r.url.startswith(DMA_FOLLOWS)]) == 2


PARTITION = {"organization_id": "2414183", "parent_slice": {}}


@pytest.mark.parametrize(
    ("state", "problem"),
    [
        ({"lastModifiedAt": "yesterday"}, "not in epoch milliseconds"),
        (
            {"states": [{"partition": PARTITION, "cursor": {"lastModifiedAt": "253402300800000"}}]},
            "epoch milliseconds",
        ),
        (
            {"states": [{"partition": PARTITION, "cursor": {"lastModifiedAt": "1" * 30}}]},
            "epoch milliseconds",
        ),
        ({"states": ["2414183"]}, "a partition or a cursor that is not an object"),
        ({"states": [{"partition": PARTITION, "cursor": "1700000000000"}]}, "that is not an object"),
    ],
)
def test_a_saved_state_the_connector_cannot_read_is_named_in_one_line(state, problem):
    output = run_read(access_token_config(), ["posts"], state={"posts": state}, expecting_exception=True)
    error = output.errors[0].trace.error
    assert (
        "stream posts" in error.message
        and problem in error.message
        and "reset the stream's state" in error.message
    )
    assert error.failure_type.value == "config_error" and "\n" not in error.message


def test_a_cursor_in_the_future_is_warned_about():
    # Kept, as Airbyte's acceptance tests want (a future state reads nothing: abnormal_state.json), and said with
    # what to do: nothing past it is read until the stream's state is reset.
    future = {"states": [{"partition": PARTITION, "cursor": {"lastModifiedAt": "4102444800000"}}]}  # 2100
    with requests_mock.Mocker() as mock:
        mock.get(POSTS, json={"elements": posts_page(0, 3), "paging": {"start": 0, "count": 100}})
        output = run_read(access_token_config(), ["posts"], state={"posts": future})
    warnings = [line.log.message for line in output.logs if line.log.level.value == "WARN"]
    assert "posts: a saved cursor is in the future; reset the stream to read on" in warnings


def test_a_host_name_that_does_not_resolve_is_retried_as_a_network_failure(instant_backoff):
    # The base URLs are LinkedIn's own or loopback (the spec refuses any other): a name that does not resolve is
    # the DNS failing for a while, which a retry may cure, not a typo that no retry cures.
    def unresolved(request, context):
        reason = NameResolutionError("api.linkedin.com", None, "Name or service not known")
        raise requests.ConnectionError(MaxRetryError(None, request.url, reason), request=request)

    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, [{"text": unresolved}, {"json": organizations_batch()}])
        output = run_read(access_token_config(organization_ids=["2414183"]), ["organization_lookup"])
    assert output.errors == [] and [r.record.data["id"] for r in output.records] == [2414183]
