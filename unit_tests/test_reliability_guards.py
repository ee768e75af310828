"""Guards against a LinkedIn that misbehaves: answers without elements, paging that does not advance, 401s that
wait, malformed state. End-to-end counterparts are in integration_tests/test_breaking_it.py."""

import pytest
import requests_mock
from source_linkedin_org.components import PagingProgress

from unit_tests.helpers import (
    DMA_FOLLOWS,
    DMA_PAGE_PROFILES,
    NETWORK_SIZES,
    ORG_URN_ENCODED,
    POSTS,
    TOKEN_URL,
    access_token_config,
    linkedin_error,
    oauth_config,
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


@pytest.mark.parametrize("later_page", [{"text": "{}"}, {"text": "null"}, {"json": {"elements": None}}])
def test_a_later_page_without_elements_fails_loudly_and_no_state_moves_past_it(later_page, instant_backoff):
    with requests_mock.Mocker() as mock:
        mock.get(
            POSTS, [{"json": {"elements": posts_page(0), "paging": {"start": 0, "count": 100}}}, later_page]
        )
        output = run_read(access_token_config(), ["posts"], expecting_exception=True)
    error = output.errors[0].trace.error
    assert "without a list of elements" in error.message and "\n" not in error.message
    assert len(mock.request_history) > 2, "retried like a non-JSON body"
    assert all(request.qs.get("start") == ["100"] for request in mock.request_history[1:])
    for state in output.state_messages:
        for partition in state.state.stream.stream_state.__dict__.get("states", []):
            assert int(partition["cursor"]["lastModifiedAt"]) == 0, (
                "the cursor did not move past the posts never read"
            )


def test_a_batch_get_without_results_is_malformed_too(instant_backoff):
    with requests_mock.Mocker() as mock:
        mock.get(f"{POSTS.rsplit('/', 1)[0]}/organizations", json={"statuses": {}})
        output = run_read(access_token_config(), ["organization_lookup"], expecting_exception=True)
    assert "organizations without its results" in output.errors[0].trace.error.message


def test_an_offset_page_that_repeats_the_previous_one_fails_before_its_records_are_read():
    with requests_mock.Mocker() as mock:
        mock.get(
            POSTS, json={"elements": posts_page(0), "paging": {"start": 0, "count": 100}}
        )  # ignores `start`
        output = run_read(access_token_config(), ["posts"], expecting_exception=True)
    assert "paging did not advance" in output.errors[0].trace.error.message
    assert len(output.records) == 100, "the first page once, the repeated one never"
    assert len(mock.request_history) == 2


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


def test_paging_progress_tells_a_retry_from_a_repeat():
    import requests

    progress = PagingProgress()

    def request(query):
        return requests.Request("GET", f"https://api.linkedin.com/rest/posts?{query}").prepare()

    page = [{"id": 1}, {"id": 2}]
    assert progress.problem(request(f"q=author&author={ORG_URN_ENCODED}&count=2"), page) is None
    assert progress.problem(request(f"q=author&author={ORG_URN_ENCODED}&count=2"), page) is None, "a retry"
    assert "same 2 elements" in progress.problem(
        request(f"q=author&author={ORG_URN_ENCODED}&count=2&start=2"), page
    )
    other = request("q=author&author=urn%3Ali%3Aorganization%3A9&count=2&start=2")
    assert progress.problem(other, page) is None, "another organization is followed on its own"


def test_a_401_is_retried_at_once_with_the_renewed_token(instant_backoff):
    tokens = iter(["first", "second"])

    def count(request, context):
        if request.headers["Authorization"] == "Bearer first":
            context.status_code = 401
            return linkedin_error(401, "expired", "EXPIRED_ACCESS_TOKEN")
        return {"firstDegreeSize": 1}

    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, json=lambda request, context: {"access_token": next(tokens), "expires_in": 3600})
        mock.get(NETWORK_SIZES, json=count)
        output = run_read(oauth_config(), ["total_follower_count"])
    assert output.errors == [] and len(output.records) == 1
    # airbyte-cdk adds one second to any backoff; the manifest's exponential one would have waited 5 s.
    assert instant_backoff.sleeps and all(seconds < 1.5 for seconds in instant_backoff.sleeps), (
        instant_backoff.sleeps
    )


def test_a_saved_cursor_that_is_not_epoch_milliseconds_is_named():
    output = run_read(
        access_token_config(),
        ["posts"],
        state={"posts": {"lastModifiedAt": "yesterday"}},
        expecting_exception=True,
    )
    error = output.errors[0].trace.error
    assert "stream posts" in error.message and "reset the stream's state" in error.message
    assert error.failure_type.value == "config_error"
