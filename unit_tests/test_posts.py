"""posts and post_statistics: paging, incremental early stop, batches of 50 per organization, zero-fill."""

import re
import time
from urllib.parse import unquote

import requests_mock

from unit_tests.helpers import POSTS, SHARE_STATISTICS, access_token_config, run_read

# A day ago, on the hour: posts of the last weeks, inside share statistics' rolling 12-month window.
NEWEST = (int(time.time()) // 3600 - 24) * 3_600_000


def make_posts(org, count, newest=NEWEST):
    """``count`` posts of ``org``, newest-modified first, alternating share and ugcPost URNs."""
    return [
        {
            "id": f"urn:li:{'share' if i % 2 else 'ugcPost'}:{org}{i:05d}",
            "author": f"urn:li:organization:{org}",
            "lastModifiedAt": newest - i * 3_600_000,
            "createdAt": newest - i * 3_600_000 - 60_000,
        }
        for i in range(count)
    ]


def serve_posts(mock, posts_by_org):
    def answer(request, context):
        org = re.search(r"author=urn%3Ali%3Aorganization%3A(\d+)", request.url).group(1)
        start = int(re.search(r"[?&]start=(\d+)", request.url).group(1)) if "start=" in request.url else 0
        count = int(re.search(r"[?&]count=(\d+)", request.url).group(1))
        return {
            "elements": posts_by_org[org][start : start + count],
            "paging": {"start": start, "count": count},
        }

    mock.get(POSTS, json=answer)


def requested_lists(request):
    query = request.body if request.method == "POST" else request.url.split("?", 1)[1]
    lists = dict(re.findall(r"(shares|ugcPosts)=List\(([^)]*)\)", query))
    return {key: [unquote(u) for u in value.split(",")] for key, value in lists.items()}


def test_posts_request_pages_by_100_newest_modified_first():
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": make_posts("2414183", 230)})
        output = run_read(access_token_config(), ["posts"])
    assert [r.url.split("?", 1)[1] for r in mock.request_history] == [
        "q=author&author=urn%3Ali%3Aorganization%3A2414183&sortBy=LAST_MODIFIED&count=100",
        "q=author&author=urn%3Ali%3Aorganization%3A2414183&sortBy=LAST_MODIFIED&start=100&count=100",
        "q=author&author=urn%3Ali%3Aorganization%3A2414183&sortBy=LAST_MODIFIED&start=200&count=100",
    ]
    assert len(output.records) == 230
    state = output.state_messages[-1].state.stream.stream_state.__dict__
    assert state["states"][0]["cursor"] == {"lastModifiedAt": str(NEWEST)}


def read_posts_since(posts, state_cursor):
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": posts})
        state = {"partition": {"organization_id": "2414183", "parent_slice": {}},
                 "cursor": {"lastModifiedAt": str(state_cursor)}}  # fmt: skip
        output = run_read(access_token_config(), ["posts"], state={"posts": {"states": [state]}})
    return len(mock.request_history), {r.record.data["id"] for r in output.records}


def test_incremental_posts_stop_after_a_whole_page_no_newer_than_the_state():
    posts = make_posts("2414183", 1000)
    pages, read = read_posts_since(posts, posts[150]["lastModifiedAt"])  # 151 posts changed since
    assert pages == 3, "page 2 still holds newer posts; page 3 none: pages 4..10 are not read"
    assert read == {p["id"] for p in posts[:151]}, "the older posts of the last page read are dropped"


def test_a_steady_state_incremental_sync_reads_one_page_of_posts():
    posts = make_posts("2414183", 1000)
    assert read_posts_since(posts, posts[0]["lastModifiedAt"]) == (1, {posts[0]["id"]})


def test_incremental_posts_keep_a_newer_post_that_comes_after_an_older_one():
    """No page promises a strict order: with two neighbours swapped across a page boundary, stopping at the first
    older post would lose the newer one behind it."""
    posts = make_posts("2414183", 1000)
    state_cursor = posts[199]["lastModifiedAt"]
    posts[199], posts[200] = posts[200], posts[199]  # page 2 ends older than the state; page 3 starts newer
    pages, read = read_posts_since(posts, state_cursor)
    assert pages == 3 and read == {p["id"] for p in posts[:199]} | {posts[200]["id"]}


def test_organization_without_posts_reads_one_page_and_asks_no_statistics():
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": []})
        mock.get(SHARE_STATISTICS, json={"elements": []})
        output = run_read(access_token_config(), ["posts", "post_statistics"])
    assert output.records == [] and output.errors == []
    assert [r.url.split("?")[0] for r in mock.request_history] == [POSTS]


def listing_pages_requested(mock):
    """The posts pages LinkedIn was asked for, as (organization, start), in order."""
    return [
        (
            re.search(r"author=urn%3Ali%3Aorganization%3A(\d+)", r.url).group(1),
            re.search(r"start=(\d+)", r.url),
        )
        for r in mock.request_history
        if r.url.startswith(POSTS)
    ]


def test_one_listing_serves_posts_and_post_statistics_even_when_posts_stops_early():
    posts = {"111": make_posts("111", 230), "222": make_posts("222", 130)}
    state = {
        "posts": {
            "states": [
                {"partition": {"organization_id": org, "parent_slice": {}},
                 "cursor": {"lastModifiedAt": str(org_posts[10]["lastModifiedAt"])}}
                for org, org_posts in posts.items()
            ]
        }
    }  # fmt: skip
    for run_state in (None, state):
        with requests_mock.Mocker() as mock:
            serve_posts(mock, posts)
            mock.get(SHARE_STATISTICS, json={"elements": []})
            output = run_read(
                access_token_config(organization_ids=list(posts)),
                ["posts", "post_statistics"],
                state=run_state,
            )
        assert output.errors == []
        pages = listing_pages_requested(mock)
        assert len(pages) == len(set((org, start and start.group(1)) for org, start in pages)), (
            "a page read twice"
        )
        assert sorted(org for org, _ in pages) == ["111"] * 3 + ["222"] * 2, (
            "ceil(posts / 100) per organization"
        )
        by_stream = {}
        for record in output.records:
            by_stream.setdefault(record.record.stream, []).append(record.record.data)
        every_post = sorted(p["id"] for org_posts in posts.values() for p in org_posts)
        assert sorted(r["post"] for r in by_stream["post_statistics"]) == every_post, "each post once"
        if run_state is None:
            assert sorted(r["id"] for r in by_stream["posts"]) == every_post
        else:  # posts stopped after its first page; post_statistics still read them all
            assert len([r for r in by_stream["posts"] if r["author"].endswith(":111")]) == 11


def test_post_statistics_batch_50_posts_per_request_per_organization_with_zero_fill():
    posts = {"111": make_posts("111", 120), "222": make_posts("222", 30)}
    active = {p["id"] for org_posts in posts.values() for p in org_posts[::3]}  # the rest had no activity

    def statistics(request, context):
        org = re.search(r"organizationalEntity=urn%3Ali%3Aorganization%3A(\d+)", request.url).group(1)
        elements = []
        for key, urns in requested_lists(request).items():
            for urn in urns:
                if urn in active:
                    elements.append({"organizationalEntity": f"urn:li:organization:{org}", key[:-1]: urn,
                                     "totalShareStatistics": {"impressionCount": 100, "likeCount": -1, "engagement": 0.5}})  # fmt: skip
        return {"elements": elements}

    with requests_mock.Mocker() as mock:
        serve_posts(mock, posts)
        mock.get(SHARE_STATISTICS, json=statistics)
        output = run_read(access_token_config(organization_ids=["111", "222"]), ["post_statistics"])

    stats_requests = [r for r in mock.request_history if r.url.startswith(SHARE_STATISTICS)]
    batches = {}
    for request in stats_requests:
        org = re.search(r"organizationalEntity=urn%3Ali%3Aorganization%3A(\d+)", request.url).group(1)
        urns = [u for value in requested_lists(request).values() for u in value]
        assert all(u.startswith(("urn:li:share:", "urn:li:ugcPost:")) for u in urns)
        assert all(org in u for u in urns), "a batch never mixes organizations"
        batches.setdefault(org, []).append(len(urns))
    assert sorted(batches["111"]) == [20, 50, 50] and batches["222"] == [30]  # ceil(posts / 50) requests

    records = {r.record.data["post"]: r.record.data for r in output.records}
    assert set(records) == {p["id"] for org_posts in posts.values() for p in org_posts}
    for urn, record in records.items():
        if urn in active:
            assert record["totalShareStatistics"]["likeCount"] == -1
        else:
            assert record["totalShareStatistics"] == {
                "clickCount": 0, "commentCount": 0, "engagement": 0.0, "impressionCount": 0,
                "likeCount": 0, "shareCount": 0, "uniqueImpressionsCount": 0,
            }  # fmt: skip
            kind = "share" if ":share:" in urn else "ugcPost"
            assert record[kind] == urn and record["organizationalEntity"].startswith("urn:li:organization:")


def test_exact_restli_list_encoding_of_a_batch():
    posts = [{"id": f"urn:li:{kind}:{i}", "createdAt": NEWEST}
             for kind, i in (("share", 7001), ("ugcPost", 7002), ("share", 7003))]  # fmt: skip
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": posts})
        mock.get(SHARE_STATISTICS, json={"elements": []})
        run_read(access_token_config(), ["post_statistics"])
    request = next(r for r in mock.request_history if r.url.startswith(SHARE_STATISTICS))
    assert request.url.split("?", 1)[1] == (
        "q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183"
        "&shares=List(urn%3Ali%3Ashare%3A7001,urn%3Ali%3Ashare%3A7003)&ugcPosts=List(urn%3Ali%3AugcPost%3A7002)"
    )


def test_a_batch_past_4kb_is_tunneled_and_still_zero_filled():
    long_ids = [
        {"id": f"urn:li:ugcPost:{'9' * 90}{i:02d}", "createdAt": NEWEST} for i in range(50)
    ]  # unusually long URNs
    seen = []

    def statistics(request, context):
        seen.append((request.method, request.headers.get("X-HTTP-Method-Override"), len(request.body or "")))
        return {"elements": []}

    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": long_ids})
        mock.post(SHARE_STATISTICS, json=statistics)
        output = run_read(access_token_config(), ["post_statistics"])
    assert [(method, override) for method, override, _ in seen] == [("POST", "GET")]
    assert seen[0][2] > 4096, "LinkedIn's limit on a query string"
    assert len(output.records) == 50
    assert {r.record.data["post"] for r in output.records} == {p["id"] for p in long_ids}


def test_posts_linkedin_does_not_measure_get_no_statistics_row_and_are_not_asked_for():
    """Share statistics cover shares and ugcPosts created within a rolling 12 months; LinkedIn omits the others, so
    asking would read as a true 0. They get no row (an earlier sync's row stays their last known statistics)."""
    year_ago = NEWEST - 365 * 86_400_000
    posts = [
        {"id": "urn:li:share:1", "createdAt": NEWEST},
        {"id": "urn:li:ugcPost:2", "createdAt": year_ago + 3 * 86_400_000},  # 363 days old: measured
        {"id": "urn:li:share:3", "createdAt": year_ago},  # past the window
        {"id": "urn:li:groupPost:4", "createdAt": NEWEST},  # another kind of post
        {"id": "urn:li:share:5"},  # no creation time: its age is unknown
    ]
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": posts})
        mock.get(SHARE_STATISTICS, json={"elements": []})
        output = run_read(access_token_config(), ["post_statistics"])
    [request] = [r for r in mock.request_history if r.url.startswith(SHARE_STATISTICS)]
    assert requested_lists(request) == {"shares": ["urn:li:share:1"], "ugcPosts": ["urn:li:ugcPost:2"]}
    assert sorted(r.record.data["post"] for r in output.records) == ["urn:li:share:1", "urn:li:ugcPost:2"]
    assert output.errors == []


def test_batch_router_flushes_on_organization_change_and_size(components_module):
    class Parent:
        def get_stream_state(self):
            return {"posts": {"listing": "state"}}

        def stream_slices(self):
            from airbyte_cdk.sources.types import StreamSlice

            for org, urn in [("1", "urn:li:share:1"), ("1", "urn:li:ugcPost:2"), ("1", "urn:li:share:3"),
                             ("2", "urn:li:share:4"), ("2", "urn:li:share:4")]:  # fmt: skip
                yield StreamSlice(
                    partition={"post_urn": urn, "parent_slice": {"organization_id": org}},
                    cursor_slice={},
                    extra_fields={"lastModifiedAt": int(urn[-1]) * 1000},
                )

    router = components_module.OrganizationPostBatchRouter(
        group_size=2, underlying_partition_router=Parent(), config={}
    )
    slices = list(router.stream_slices())
    # The posts ride in extra_fields: a partition is a key airbyte-cdk keeps for every descendant partition.
    assert [dict(s.partition) for s in slices] == [
        {"organization_id": "1", "first_post": "urn:li:share:1", "parent_slice": {}},
        {"organization_id": "1", "first_post": "urn:li:share:3", "parent_slice": {}},
        {"organization_id": "2", "first_post": "urn:li:share:4", "parent_slice": {}},
    ]
    # Each post's last modification rides along: post_comments orders and resumes by it.
    assert [dict(s.extra_fields) for s in slices] == [
        {"shares": ["urn:li:share:1"], "ugcPosts": ["urn:li:ugcPost:2"],
         "modified": {"urn:li:share:1": 1000, "urn:li:ugcPost:2": 2000}},
        {"shares": ["urn:li:share:3"], "ugcPosts": [], "modified": {"urn:li:share:3": 3000}},
        {"shares": ["urn:li:share:4"], "ugcPosts": [], "modified": {"urn:li:share:4": 4000}},
    ]  # fmt: skip
    # The listing's state goes with the batches, as airbyte-cdk's own grouping router reports it.
    assert router.get_stream_state() == {"posts": {"listing": "state"}}


def test_extractor_reads_the_requested_posts_back_from_a_tunneled_body(components_module):
    import requests

    request = requests.Request(
        "POST",
        SHARE_STATISTICS,
        data="q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A5&shares=List(urn%3Ali%3Ashare%3A1)",
        headers={"X-HTTP-Method-Override": "GET"},
    ).prepare()
    response = requests.Response()
    response.request, response.status_code, response._content = request, 200, b'{"elements": []}'
    [record] = list(components_module.PostStatisticsExtractor(parameters={}).extract_records(response))
    assert record["share"] == "urn:li:share:1" and set(record["totalShareStatistics"].values()) == {0}


def test_a_403_on_a_tunneled_batch_still_names_the_organization():
    long_ids = [{"id": f"urn:li:ugcPost:{'9' * 90}{i:02d}", "createdAt": NEWEST} for i in range(50)]
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": long_ids})
        mock.post(
            SHARE_STATISTICS,
            status_code=403,
            json={"status": 403, "message": "Not enough permissions {to} access"},
        )
        output = run_read(access_token_config(), ["post_statistics"], expecting_exception=True)
    message = output.errors[0].trace.error.message
    assert "organization 2414183" in message and "organization ?" not in message
