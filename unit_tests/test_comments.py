"""post_comments on answers shaped as LinkedIn documents them (unit_tests/documented_answers.py): every comment
and reply whether or not comments carry ``commentsSummary``, paging that never stops on a short page, and the
components that keep a sync the daily quota stops from losing or re-reading anything."""

import re
from urllib.parse import unquote

import pytest
import requests
import requests_mock
from airbyte_cdk.sources.types import StreamSlice

from unit_tests.documented_answers import COMMENT, COMMENT_WITH_SUMMARY, COMMENT_WITH_URN_KEY
from unit_tests.helpers import API, access_token_config, run_read
from unit_tests.test_posts import NEWEST, serve_posts

SOCIAL_METADATA = f"{API}/socialMetadata"
SOCIAL_ACTIONS = re.compile(rf"{API}/socialActions/([^/?]+)/comments")
POST = "urn:li:ugcPost:7002"
ACTIVITY = "urn:li:activity:6641861161010679808"


def comment(number, parent=None, shape=COMMENT):
    """A comment (or, with ``parent``, a reply) in ``shape``'s documented form, numbered."""
    urn = f"urn:li:comment:({ACTIVITY},{number})"
    key = "$URN" if "$URN" in shape else "commentUrn"
    element = {**shape, key: urn, "id": str(number), "lastModified": {"time": NEWEST + number}}
    return {**element, **({"parentComment": parent} if parent else {})}


def urn_of(element):
    return element.get("commentUrn") or element.get("$URN")


def serve(
    mock, threads, counts, page_cap=100, paging=lambda start, page, total: {"start": start, "total": total}
):
    """The post, its socialMetadata counts (``counts``: count, topLevelCount), and each comment listing of
    ``threads`` (target URN -> elements), ``start``/``count`` paged, at most ``page_cap`` a page."""
    serve_posts(mock, {"2414183": [{"id": POST, "createdAt": NEWEST, "lastModifiedAt": NEWEST}]})
    count, top = counts
    metadata = {"entity": POST, "commentSummary": {"count": count, "topLevelCount": top}}
    mock.get(SOCIAL_METADATA, json={"results": {POST: metadata}, "errors": {}})

    def answer(request, context):
        target = unquote(SOCIAL_ACTIONS.match(request.url).group(1))
        start = int(re.search(r"[?&]start=(\d+)", request.url).group(1)) if "start=" in request.url else 0
        size = min(int(re.search(r"[?&]count=(\d+)", request.url).group(1)), page_cap)
        listed = threads.get(target, [])
        page = listed[start : start + size]
        return {"elements": page, "paging": paging(start, page, len(listed))}

    mock.get(SOCIAL_ACTIONS, json=answer)


def asked(mock):
    return [
        (unquote(SOCIAL_ACTIONS.match(r.url).group(1)), int(re.search(r"start=(\d+)", r.url).group(1)) if "start=" in r.url else 0)
        for r in mock.request_history
        if SOCIAL_ACTIONS.match(r.url)
    ]  # fmt: skip


def read_comments(threads, counts, **serving):
    with requests_mock.Mocker() as mock:
        serve(mock, threads, counts, **serving)
        output = run_read(access_token_config(), ["post_comments"])
    assert output.errors == [], [e.trace.error.internal_message for e in output.errors]
    return {r.record.data["comment"]: r.record.data for r in output.records}, asked(mock)


def test_replies_are_read_though_comments_carry_no_summary_as_linkedin_documents_them():
    """The documented element has no commentsSummary: the post's socialMetadata says it has replies (count 4,
    topLevelCount 3), so each comment's replies are asked, until the one reply LinkedIn counts is found."""
    tops = [comment(3), comment(2), comment(1)]
    threads = {POST: tops, urn_of(tops[1]): [comment(21, parent=urn_of(tops[1]))]}
    records, requests_made = read_comments(threads, counts=(4, 3))
    assert requests_made == [(POST, 0), (urn_of(tops[0]), 0), (urn_of(tops[1]), 0)], "not the third's"
    assert set(records) == {urn_of(c) for c in tops} | {urn_of(comment(21))}
    reply = records[urn_of(comment(21))]
    assert reply["parentComment"] == urn_of(tops[1]) and reply["post"] == POST
    assert records[urn_of(tops[0])].get("parentComment") is None
    assert reply["lastModifiedAt"] == NEWEST + 21 and reply["organization"] == "urn:li:organization:2414183"


def test_a_post_whose_counts_show_no_reply_is_one_request():
    tops = [comment(2), comment(1)]
    records, requests_made = read_comments({POST: tops}, counts=(2, 2))
    assert requests_made == [(POST, 0)] and set(records) == {urn_of(c) for c in tops}


def test_comments_with_a_summary_have_replies_asked_only_where_it_counts_some():
    """The variant production code models: commentsSummary on each comment. The comment without replies comes
    first: asked in turn by the post's counts, its replies would be a request."""
    without = comment(2, shape=COMMENT_WITH_SUMMARY)
    with_reply = {**comment(1, shape=COMMENT_WITH_SUMMARY), "commentsSummary": {"aggregatedTotalComments": 1}}
    threads = {POST: [without, with_reply], urn_of(with_reply): [comment(21, parent=urn_of(with_reply))]}
    records, requests_made = read_comments(threads, counts=(3, 2))
    assert requests_made == [(POST, 0), (urn_of(with_reply), 0)]
    assert urn_of(comment(21)) in records


def test_comments_keyed_by_urn_and_replies_without_a_parent_field_keep_their_thread():
    """The older element shape ($URN, no commentUrn), and replies that do not name their parent: the parent is
    the comment whose replies the request asked for."""
    top = comment(1, shape=COMMENT_WITH_URN_KEY)
    reply = {key: value for key, value in comment(11, shape=COMMENT_WITH_URN_KEY).items()}
    records, _ = read_comments({POST: [top], urn_of(top): [reply]}, counts=(2, 1))
    assert records[urn_of(reply)]["parentComment"] == urn_of(top)
    assert records[urn_of(top)]["comment"] == urn_of(top)


@pytest.mark.parametrize(
    "paging",
    [
        pytest.param(lambda start, page, total: {"start": start, "total": total}, id="total"),
        pytest.param(
            lambda start, page, total: {
                "start": start,
                "links": [{"rel": "next"}] if start + len(page) < total else [],
            },
            id="links",
        ),
        pytest.param(lambda start, page, total: {"start": start}, id="neither: an empty page ends it"),
    ],
)
def test_a_page_shorter_than_asked_does_not_end_the_listing(paging):
    """LinkedIn documents no page cap for comments: at 10 a page, 25 comments are three pages, not one."""
    tops = [comment(n) for n in range(25, 0, -1)]
    records, requests_made = read_comments({POST: tops}, counts=(25, 25), page_cap=10, paging=paging)
    assert set(records) == {urn_of(c) for c in tops}
    starts = [start for target, start in requests_made]
    assert starts[:3] == [0, 10, 20] and starts[3:] in ([], [25])


def test_a_comment_page_served_again_for_another_start_fails_instead_of_looping():
    tops = [comment(n) for n in range(20, 0, -1)]
    with requests_mock.Mocker() as mock:
        serve(mock, {POST: tops}, counts=(20, 20), page_cap=10)
        mock.get(SOCIAL_ACTIONS, json={"elements": tops[:10], "paging": {"start": 0, "total": 20}})
        output = run_read(access_token_config(), ["post_comments"], expecting_exception=True)
    assert len(asked(mock)) == 2, "the repeat is seen on the second page"
    assert "did not advance" in output.errors[0].trace.error.message


# --- The components, alone ------------------------------------------------------------------------------------


def page_response(url, elements, **paging):
    response = requests.Response()
    response.status_code, response.url = 200, url
    response.request = requests.Request("GET", url).prepare()
    response._content = requests.compat.json.dumps({"elements": elements, "paging": paging}).encode()
    return response


def test_thread_pagination_reads_the_post_s_pages_then_each_candidate_s_replies(components_module):
    pagination = components_module.CommentThreadPagination(parameters={})
    post_slice = StreamSlice(partition={"post": POST}, cursor_slice={}, extra_fields={"replies": 1})
    first = page_response(f"{API}/socialActions/x/comments", [comment(2), comment(1)], start=0, total=3)
    token = pagination.next_page_token(first, 2, None, None, stream_slice=post_slice)
    assert (token["start"], token.get("target")) == (2, None), "the post's next page"
    last = page_response(f"{API}/socialActions/x/comments?start=2", [comment(0)], start=2, total=3)
    token = pagination.next_page_token(last, 1, None, token, stream_slice=post_slice)
    assert token["target"] == urn_of(comment(2)) and token["pending"] == [
        urn_of(comment(1)),
        urn_of(comment(0)),
    ]
    replies = page_response(
        f"{API}/socialActions/y/comments", [comment(9, parent=urn_of(comment(2)))], total=1
    )
    assert pagination.next_page_token(replies, 1, None, token, stream_slice=post_slice) is None, (
        "the one reply socialMetadata counts is read: no other comment has one"
    )


def test_the_comments_extractor_names_a_reply_s_parent_from_the_request(components_module):
    parent = urn_of(comment(1))
    url = f"{API}/socialActions/{requests.utils.quote(parent, safe='')}/comments?count=100"
    elements = [{k: v for k, v in comment(2).items()}, comment(3, parent="urn:li:comment:(given,1)")]
    records = list(
        components_module.CommentsExtractor(parameters={}).extract_records(page_response(url, elements))
    )
    assert [r["parentComment"] for r in records] == [parent, "urn:li:comment:(given,1)"]
    on_post = page_response(f"{API}/socialActions/urn%3Ali%3Ashare%3A1/comments", [comment(4)])
    assert "parentComment" not in next(
        iter(components_module.CommentsExtractor(parameters={}).extract_records(on_post))
    )


class Listing:
    """Stands in for the posts-with-comments listing: slices as airbyte-cdk's SubstreamPartitionRouter makes them."""

    def __init__(self, posts):
        self.posts = posts

    def stream_slices(self):
        for org, urn, modified, count, top in self.posts:
            yield StreamSlice(
                partition={"post": urn, "parent_slice": {"organization_id": org}},
                cursor_slice={},
                extra_fields={
                    "lastModifiedAt": modified,
                    "commentSummary": {"count": count, "topLevelCount": top},
                },
            )


class Progress:
    """Stands in for progress_router: the never-read parent whose cursor holds the saved progress."""

    def __init__(self, state):
        stream = type(
            "Stream", (), {"name": "comment_progress", "cursor": type("Cursor", (), {"state": state})}
        )
        self.parent_stream_configs = [type("Config", (), {"stream": stream})]


def progress(marks=(), done=()):
    return {"comment_progress": {
        "states": [{"partition": {"organization_id": org, "parent_slice": {}}, "cursor": {"lastModifiedAt": str(m)}}
                   for org, m in marks]
        + [{"partition": {"organization_id": org, "post": urn}, "cursor": {"lastModifiedAt": "5"}} for org, urn in done]
    }}  # fmt: skip


def route(components_module, posts, saved, lookback_days="30"):
    """The partitions the router yields: (post, replies expected, the router's state then)."""
    router = components_module.CommentBackfillRouter(
        underlying_partition_router=Listing(posts), progress_router=Progress(saved["comment_progress"]), config={},
        lookback_days=lookback_days,
    )  # fmt: skip
    slices = []
    for partition in router.stream_slices():
        slices.append((partition["post"], partition.extra_fields["replies"], router.get_stream_state()))
    return slices


def test_the_router_resumes_after_the_watermark_oldest_first_and_reads_recent_posts_again(components_module):
    recent = NEWEST - 86_400_000
    posts = [("1", "urn:li:share:4", 4000, 3, 3), ("1", "urn:li:share:2", 2000, 2, 1), ("1", "urn:li:share:9", recent, 1, 1),
             ("1", "urn:li:share:3", 3000, 1, 1), ("1", "urn:li:share:1", 1000, 1, 1), ("2", "urn:li:share:7", 7000, 3, 1)]  # fmt: skip
    # Organization 1 was read up to 2000 (its watermark), and its posts modified at 4000 and recently, whole.
    saved = progress(marks=[("1", 2000)], done=[("1", "urn:li:share:4"), ("1", "urn:li:share:9")])
    slices = route(components_module, posts, saved)
    # What no sync read first (oldest first, organization by organization), then the recent post again.
    assert [urn for urn, _, _ in slices] == ["urn:li:share:3", "urn:li:share:7", "urn:li:share:9"]
    assert [replies for _, replies, _ in slices] == [0, 2, 0], "count - topLevelCount"
    # The state as of each partition (airbyte-cdk keeps the one of the last partition that ended with every earlier
    # one): once share:3 is read, every post of organization 1 is (4 and 9 were already): its watermark moves over
    # them all and they need no entry of their own; organization 2's comes with share:7.
    assert slices[0][2] == progress(marks=[("1", recent)])
    assert slices[1][2] == slices[2][2] == progress(marks=[("1", recent), ("2", 7000)])


def test_until_a_gap_is_read_the_posts_read_beyond_it_stay_listed(components_module):
    posts = [("1", f"urn:li:share:{n}", n * 1000, 1, 1) for n in range(1, 7)]
    saved = progress(marks=[("1", 1000)], done=[("1", "urn:li:share:3"), ("1", "urn:li:share:5")])
    router = components_module.CommentBackfillRouter(
        underlying_partition_router=Listing(posts),
        progress_router=Progress(saved["comment_progress"]),
        config={},
    )
    slices = router.stream_slices()
    assert next(slices)["post"] == "urn:li:share:2"
    # As of share:2: the watermark at 3000 (3 was read), share:5 still an entry of its own, 4 and 6 not read.
    assert router.get_stream_state() == progress(marks=[("1", 3000)], done=[("1", "urn:li:share:5")])
    assert [s["post"] for s in slices] == ["urn:li:share:4", "urn:li:share:6"]
    assert router.get_stream_state() == progress(marks=[("1", 6000)])


def test_a_listing_that_fails_keeps_the_progress_earlier_syncs_saved(components_module):
    class FailingListing:
        def stream_slices(self):
            raise RuntimeError("the socialMetadata quota")
            yield

    saved = progress(marks=[("1", 1000)], done=[("1", "urn:li:share:3")])
    router = components_module.CommentBackfillRouter(
        underlying_partition_router=FailingListing(),
        progress_router=Progress(saved["comment_progress"]),
        config={},
    )
    with pytest.raises(RuntimeError):
        list(router.stream_slices())
    assert router.get_stream_state() == saved, (
        "what airbyte-cdk saves when the listing fails: the saved progress"
    )


def test_the_watermark_moves_over_every_post_read_up_to_the_first_that_is_not(components_module):
    posts = [("1", f"urn:li:share:{n}", n * 1000, 1, 1) for n in range(1, 6)]
    saved = progress(
        marks=[("1", 1000)], done=[("1", "urn:li:share:2"), ("1", "urn:li:share:3"), ("1", "urn:li:share:5")]
    )
    slices = route(components_module, posts, saved)
    assert [urn for urn, _, _ in slices] == ["urn:li:share:4"]
    assert slices[0][2] == progress(marks=[("1", 5000)]), "once 4 is read, every post up to 5 is"


def test_the_router_stops_yielding_once_linkedin_says_the_comments_quota_is_spent(
    components_module, monkeypatch
):
    posts = [("1", f"urn:li:share:{n}", n * 1000, 1, 1) for n in range(1, 6)]
    router = components_module.CommentBackfillRouter(
        underlying_partition_router=Listing(posts), progress_router=Progress({"states": []}), config={}
    )
    yielded = []
    for partition in router.stream_slices():
        yielded.append(partition["post"])
        if len(yielded) == 2:
            monkeypatch.setitem(components_module._QUOTA_SPENT, "socialActions", "quota")
    assert yielded == ["urn:li:share:1", "urn:li:share:2"], "the posts left wait for the next sync"


def test_posts_saved_as_read_whole_join_the_progress_and_the_stream_starts_with_none(components_module):
    migration = components_module.CompletedPostsToProgress()
    saved = {
        "use_global_cursor": True,
        "states": [
            {
                "partition": {"organization_id": "1", "post": "urn:li:share:1"},
                "cursor": {"lastModifiedAt": "1700"},
            },
            # Begun, never ended: airbyte-cdk saves its cursor at its start.
            {
                "partition": {"organization_id": "1", "post": "urn:li:share:2"},
                "cursor": {"lastModifiedAt": "0"},
            },
        ],
        "parent_state": progress(marks=[("1", 900)]),
    }
    assert migration.should_migrate(saved)
    migrated = migration.migrate(saved)
    assert migrated["states"] == [] and migrated["use_global_cursor"] is False
    assert migrated["parent_state"]["comment_progress"]["states"] == [
        *progress(marks=[("1", 900)])["comment_progress"]["states"],
        {
            "partition": {"organization_id": "1", "post": "urn:li:share:1"},
            "cursor": {"lastModifiedAt": "1700"},
        },
    ]
    assert not migration.should_migrate(migrated)


def test_a_comment_deleted_before_its_replies_are_asked_loses_nothing_else():
    """A 404 for one comment's replies (deleted since listed): the replies of the comments after it are read."""
    tops = [comment(3), comment(2), comment(1)]
    threads = {POST: tops, urn_of(tops[2]): [comment(11, parent=urn_of(tops[2]))]}
    with requests_mock.Mocker() as mock:
        serve(mock, threads, counts=(4, 3))
        deleted = re.compile(
            rf"{API}/socialActions/{requests.utils.quote(urn_of(tops[0]), safe='')}/comments"
        )
        mock.get(deleted, status_code=404, json={"status": 404, "message": "Not found"})
        output = run_read(access_token_config(), ["post_comments"])
    assert output.errors == []
    assert urn_of(comment(11)) in {r.record.data["comment"] for r in output.records}


def test_pages_that_come_back_in_a_cycle_fail_instead_of_looping():
    """A listing that answers A, B, A, B… for later starts, with neither total nor links."""
    pages = [[comment(n) for n in range(20, 10, -1)], [comment(n) for n in range(10, 0, -1)]]
    with requests_mock.Mocker() as mock:
        serve(mock, {}, counts=(20, 20))
        calls = []

        def cycle(request, context):
            calls.append(request.url)
            return {"elements": pages[len(calls) % 2 - 1], "paging": {}}

        mock.get(SOCIAL_ACTIONS, json=cycle)
        output = run_read(access_token_config(), ["post_comments"], expecting_exception=True)
    assert len(calls) == 3 and "did not advance" in output.errors[0].trace.error.message


def test_what_is_not_a_comment_is_left_out_and_odd_counts_read_replies_anyway():
    """A null or string element, a commentsSummary that is a string, socialMetadata counts that are strings."""
    top = {**comment(1), "commentsSummary": "3"}
    threads = {POST: [None, "x", top], urn_of(top): [comment(11, parent=urn_of(top))]}
    records, requests_made = read_comments(threads, counts=("2", None))
    assert set(records) == {urn_of(top), urn_of(comment(11))}
    assert requests_made == [(POST, 0), (urn_of(top), 0)]


def test_a_post_without_a_modification_time_is_read_every_sync(components_module):
    posts = [("1", "urn:li:share:1", 1000, 1, 1), ("1", "urn:li:share:2", None, 1, 1)]
    slices = route(components_module, posts, progress(marks=[("1", 5000)]))
    assert [urn for urn, _, _ in slices] == ["urn:li:share:2"], "no watermark can say it was read"
