"""Engagement and demographics: the exact Rest.li requests of socialMetadata, the Comments API, videoAnalytics and
the standardized-data lookups, and the two custom components they need (facet rows, facet value batches)."""

import json

import requests
import requests_mock

from unit_tests.helpers import API, FOLLOWER_STATISTICS, PAGE_STATISTICS, access_token_config, run_read
from unit_tests.test_posts import NEWEST, serve_posts

SOCIAL_METADATA = f"{API}/socialMetadata"
SOCIAL_ACTIONS = f"{API}/socialActions/"
VIDEO_ANALYTICS = f"{API}/videoAnalytics"
POSTS = [
    {"id": "urn:li:share:7001", "createdAt": NEWEST, "lastModifiedAt": NEWEST},
    {"id": "urn:li:ugcPost:7002", "createdAt": NEWEST, "lastModifiedAt": NEWEST,
     "content": {"media": {"id": "urn:li:video:C4D"}}},
    {"id": "urn:li:ugcPost:7003", "createdAt": NEWEST, "lastModifiedAt": NEWEST,
     "content": {"media": {"id": "urn:li:image:C4E"}}},
]  # fmt: skip


def metadata(urn, comments=0):
    return {
        "entity": urn,
        "reactionSummaries": {},
        "commentSummary": {"count": comments, "topLevelCount": comments},
    }


def query(request):
    return request.url.split("?", 1)[1]


def test_social_metadata_is_one_batch_get_of_every_post_urn_encoded_inside_the_list():
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": POSTS})
        mock.get(SOCIAL_METADATA, json={"results": {p["id"]: metadata(p["id"]) for p in POSTS}, "errors": {}})
        output = run_read(access_token_config(), ["post_social_metadata"])
    batch = [r for r in mock.request_history if r.url.startswith(SOCIAL_METADATA)]
    assert [query(r) for r in batch] == [
        "ids=List(urn%3Ali%3Ashare%3A7001,urn%3Ali%3AugcPost%3A7002,urn%3Ali%3AugcPost%3A7003)"
    ]
    assert {(r.record.data["post"], r.record.data["organization"]) for r in output.records} == {
        (p["id"], "urn:li:organization:2414183") for p in POSTS
    }


def test_a_post_deleted_since_it_was_listed_loses_only_its_own_metadata():
    answer = {"results": {p["id"]: metadata(p["id"]) for p in POSTS[1:]},
              "errors": {POSTS[0]["id"]: {"status": 404, "message": "Not found"}}}  # fmt: skip
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": POSTS})
        mock.get(SOCIAL_METADATA, json=answer)
        output = run_read(access_token_config(), ["post_social_metadata"])
    assert output.errors == [] and {r.record.data["post"] for r in output.records} == {
        p["id"] for p in POSTS[1:]
    }


def test_comments_are_asked_only_where_a_count_says_so_and_replies_by_the_comment_urn():
    top = {"$URN": "urn:li:comment:(urn:li:ugcPost:7002,9001)", "created": {"time": NEWEST},
           "commentsSummary": {"aggregatedTotalComments": 1}}  # fmt: skip
    reply = {"$URN": "urn:li:comment:(urn:li:ugcPost:7002,9002)", "created": {"time": NEWEST},
             "lastModified": {"time": NEWEST + 1}, "parentComment": top["$URN"]}  # fmt: skip
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": POSTS})
        results = {p["id"]: metadata(p["id"], 2 if p["id"] == "urn:li:ugcPost:7002" else 0) for p in POSTS}
        mock.get(SOCIAL_METADATA, json={"results": results, "errors": {}})
        mock.get(
            f"{SOCIAL_ACTIONS}urn%3Ali%3AugcPost%3A7002/comments", json={"elements": [top], "paging": {}}
        )
        replies = "urn%3Ali%3Acomment%3A%28urn%3Ali%3AugcPost%3A7002%2C9001%29"
        mock.get(f"{SOCIAL_ACTIONS}{replies}/comments", json={"elements": [reply], "paging": {}})
        output = run_read(access_token_config(), ["post_comments"])
    asked = [r.url.split("?")[0] for r in mock.request_history if r.url.startswith(SOCIAL_ACTIONS)]
    assert sorted(asked) == sorted({f"{SOCIAL_ACTIONS}urn%3Ali%3AugcPost%3A7002/comments",
                                    f"{SOCIAL_ACTIONS}{replies}/comments"})  # fmt: skip
    records = {r.record.data["comment"]: r.record.data for r in output.records}
    assert (
        records[reply["$URN"]]["parentComment"] == top["$URN"] and "parentComment" not in records[top["$URN"]]
    )
    assert (
        records[reply["$URN"]]["lastModifiedAt"] == NEWEST + 1
        and records[top["$URN"]]["lastModifiedAt"] == NEWEST
    )
    assert {r["post"] for r in records.values()} == {"urn:li:ugcPost:7002"}


def test_video_analytics_asks_each_metric_type_of_each_video_post_lifetime():
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": POSTS})
        mock.get(VIDEO_ANALYTICS, json={"elements": [{"value": 5}], "paging": {}})
        output = run_read(access_token_config(), ["video_analytics"])
    asked = sorted(query(r) for r in mock.request_history if r.url.startswith(VIDEO_ANALYTICS))
    assert asked == sorted(
        f"q=entity&entity=urn%3Ali%3AugcPost%3A7002&aggregation=ALL&type={metric}"
        for metric in ("VIDEO_VIEW", "VIEWER", "TIME_WATCHED", "TIME_WATCHED_FOR_VIDEO_VIEWS")
    )
    assert {r.record.data["post"] for r in output.records} == {"urn:li:ugcPost:7002"}


def test_demographics_are_a_long_table_and_their_urns_are_named_by_batch_get(components_module):
    lifetime = {"organizationalEntity": "urn:li:organization:2414183",
                "followerCountsBySeniority": [{"seniority": "urn:li:seniority:3", "followerCounts": {"organicFollowerCount": 4}}],
                "followerCountsByGeoCountry": [{"geo": "urn:li:geo:103644278", "followerCounts": {"organicFollowerCount": 7}},
                                               {"geo": "urn:li:geo:101165590", "followerCounts": {"organicFollowerCount": 1}}],
                "followerCountsByStaffCountRange": [{"staffCountRange": "SIZE_2_TO_10", "followerCounts": {}}]}  # fmt: skip
    with requests_mock.Mocker() as mock:
        mock.get(FOLLOWER_STATISTICS, json={"elements": [lifetime]})
        mock.get(PAGE_STATISTICS, json={"elements": [{"organization": "urn:li:organization:2414183"}]})
        mock.get(f"{API}/geo", json={"results": {"103644278": {"id": 103644278, "defaultLocalizedName": {"value": "United States"}},
                                                  "101165590": {"id": 101165590, "defaultLocalizedName": {"value": "United Kingdom"}}}})  # fmt: skip
        mock.get(f"{API}/seniorities", json={"results": {"3": {"id": 3, "$URN": "urn:li:seniority:3", "name": {"localized": {"en_US": "Entry"}}}}})  # fmt: skip
        output = run_read(access_token_config(), ["follower_demographics", "facet_names"])
    rows = [r.record.data for r in output.records if r.record.stream == "follower_demographics"]
    assert {(r["facet"], r["value"], r["organizationalEntity"]) for r in rows} == {
        ("followerCountsBySeniority", "urn:li:seniority:3", "urn:li:organization:2414183"),
        ("followerCountsByGeoCountry", "urn:li:geo:103644278", "urn:li:organization:2414183"),
        ("followerCountsByGeoCountry", "urn:li:geo:101165590", "urn:li:organization:2414183"),
        ("followerCountsByStaffCountRange", "SIZE_2_TO_10", "urn:li:organization:2414183"),
    }
    names = {
        r.record.data["urn"]: r.record.data["name"]
        for r in output.records
        if r.record.stream == "facet_names"
    }
    assert names == {"urn:li:geo:103644278": "United States", "urn:li:geo:101165590": "United Kingdom",
                     "urn:li:seniority:3": "Entry"}  # fmt: skip
    assert sorted(query(r) for r in mock.request_history if "/geo" in r.url or "/seniorities" in r.url) == [
        "ids=List(103644278,101165590)", "ids=List(3)"]  # fmt: skip
    assert [r.url for r in mock.request_history].count(mock.request_history[0].url) == 1, (
        "one lifetime answer"
    )


def test_facet_value_batches_are_distinct_ids_of_one_resource_each(components_module):
    from airbyte_cdk.sources.types import StreamSlice

    class Parent:
        def stream_slices(self):
            for urn in ["urn:li:geo:1", "urn:li:geo:2", "urn:li:geo:1", "urn:li:geo:3", "SIZE_1", "urn:li:seniority:5",
                        "urn:li:title:9", "urn:li:geo:(1,2)"]:  # fmt: skip
                yield StreamSlice(partition={"urn": urn, "parent_slice": {}}, cursor_slice={})

    router = components_module.FacetValueBatchRouter(
        group_size=2, underlying_partition_router=Parent(), config={},
        resources={"geo": "geo", "seniority": "seniorities"},
    )  # fmt: skip
    assert [dict(s.partition) for s in router.stream_slices()] == [
        {"resource": "geo", "ids": "1,2"},
        {"resource": "geo", "ids": "3"},
        {"resource": "seniorities", "ids": "5"},
    ]


def test_facet_rows_carry_the_element_s_organization_facet_and_value(components_module):
    response = requests.Response()
    response._content = json.dumps({"elements": [{
        "organization": "urn:li:organization:1", "totalPageStatistics": {"views": {}},
        "pageStatisticsByIndustryV2": [{"industryV2": "urn:li:industry:4", "pageStatistics": {"views": {"n": 1}}}],
        "pageStatisticsByTargetedContent": []}]}).encode()  # fmt: skip
    extractor = components_module.FacetRowsExtractor(parameters={})
    assert list(extractor.extract_records(response)) == [{
        "organization": "urn:li:organization:1", "industryV2": "urn:li:industry:4",
        "pageStatistics": {"views": {"n": 1}}, "facet": "pageStatisticsByIndustryV2", "value": "urn:li:industry:4"}]  # fmt: skip
