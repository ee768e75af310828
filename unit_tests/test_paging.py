"""Paging: LinkedIn's offset pages (`start`, `count`, `paging.start` echoed) and cursors, with the CDK's own
CursorPagination and a stop that never loops."""

import pytest
import requests
import requests_mock

from unit_tests.helpers import ORGANIZATION_ACLS, POSTS, access_token_config, run_read


def response(body: str) -> requests.Response:
    answer = requests.Response()
    answer._content, answer.status_code, answer.url = body.encode(), 200, POSTS
    return answer


def test_a_page_token_that_comes_back_unchanged_fails_instead_of_looping(components_module):
    strategy = components_module.AdvancingCursorPagination(
        cursor_value="{{ response.metadata.nextPaginationCursor }}", config={}, parameters={}
    )
    page = response('{"elements": [{}], "metadata": {"nextPaginationCursor": "c2"}}')
    assert strategy.next_page_token(page, 1, None, "c1") == "c2"
    with pytest.raises(Exception, match="paging did not advance"):
        strategy.next_page_token(page, 1, None, "c2")


def acl(org_id):
    return {"organization": f"urn:li:organization:{org_id}", "role": "ADMINISTRATOR", "state": "APPROVED"}


def test_offset_pages_follow_the_start_linkedin_echoes_and_end_on_a_short_page():
    pages = [
        {"json": {"elements": [acl(i) for i in range(100)], "paging": {"start": 0, "count": 100}}},
        {"json": {"elements": [acl(i) for i in range(100, 150)], "paging": {"start": 100, "count": 100}}},
    ]
    with requests_mock.Mocker() as mock:
        mock.get(requests_mock.ANY, json={"firstDegreeSize": 1})
        mock.get(ORGANIZATION_ACLS, pages)
        output = run_read(access_token_config(organization_ids=[]), ["total_follower_count"])
    acls = [r.url.split("?", 1)[1] for r in mock.request_history if r.url.startswith(ORGANIZATION_ACLS)]
    assert acls == [
        "q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&count=100",
        "q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&start=100&count=100",
    ]
    assert len(output.records) == 150


def test_a_linkedin_that_ignores_start_is_stopped_with_an_error_not_read_forever():
    # Every page is the first one: LinkedIn's paging.start says so, and the next start would be the same.
    first_page = {"elements": [{"id": f"urn:li:share:{i}", "lastModifiedAt": 1} for i in range(100)],
                  "paging": {"start": 0, "count": 100}}  # fmt: skip
    with requests_mock.Mocker() as mock:
        mock.get(POSTS, json=first_page)
        output = run_read(access_token_config(), ["posts"], expecting_exception=True)
    assert "paging did not advance" in output.errors[0].trace.error.message
    assert len([r for r in mock.request_history if r.url.startswith(POSTS)]) == 2
    assert len(output.records) <= 200


@pytest.mark.parametrize(
    "paging",
    [{"start": None, "count": 100}, {"start": "0", "count": 100}, {"count": 100}, "0-100", None],
    ids=["start-null", "start-text", "no-start", "paging-text", "paging-null"],
)
def test_a_page_whose_paging_says_no_start_is_read_as_the_first_one(paging):
    # `paging.start` null once sent the template's own text as the next `start` (LinkedIn: a 400), and a
    # `paging` that is no object failed the sync in a template (found by trying to break the connector).
    pages = [
        {"json": {"elements": [acl(i) for i in range(100)], "paging": paging}},
        {"json": {"elements": [acl(i) for i in range(100, 120)], "paging": {"start": 100, "count": 100}}},
    ]
    with requests_mock.Mocker() as mock:
        mock.get(requests_mock.ANY, json={"firstDegreeSize": 1})
        mock.get(ORGANIZATION_ACLS, pages)
        output = run_read(access_token_config(organization_ids=[]), ["total_follower_count"])
    starts = [r.qs.get("start") for r in mock.request_history if r.url.startswith(ORGANIZATION_ACLS)]
    assert starts == [None, ["100"]]
    assert len(output.records) == 120 and not output.errors
