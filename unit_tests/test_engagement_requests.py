"""Engagement and names: the exact Rest.li requests of socialMetadata, videoAnalytics and the standardized-data
lookups, on answers shaped as LinkedIn documents them (documented_answers.py), and the custom components they
need (facet rows, facet value partitions). Comments: test_comments.py."""

import json

import pytest
import requests
import requests_mock
from airbyte_cdk.sources.types import StreamSlice

from unit_tests.documented_answers import (
    GEO_BATCH_GET,
    INDUSTRIES_BATCH_GET,
    SENIORITIES_GET_ALL,
    VIDEO_ANALYTICS,
    VIDEO_ANALYTICS_NAMED_TYPE,
)
from unit_tests.helpers import API, FOLLOWER_STATISTICS, PAGE_STATISTICS, access_token_config, run_read
from unit_tests.test_posts import NEWEST, serve_posts

SOCIAL_METADATA = f"{API}/socialMetadata"
VIDEO_ENDPOINT = f"{API}/videoAnalytics"
METRICS = ("VIDEO_VIEW", "VIEWER", "TIME_WATCHED", "TIME_WATCHED_FOR_VIDEO_VIEWS")
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
    skipped = [line.log.message for line in output.logs if line.log.level.value == "WARN"]
    assert any(POSTS[0]["id"] in w and "404" in w for w in skipped), (
        "a skipped post is said (issue 33 item 12)"
    )


def test_posts_every_one_deleted_since_listed_give_no_metadata_and_say_so():
    # Issue 33 item 12: socialMetadata answering every key with 404 gave 0 rows and no word.
    answer = {"results": {}, "errors": {p["id"]: {"status": 404, "message": "Not found"} for p in POSTS}}
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": POSTS})
        mock.get(SOCIAL_METADATA, json=answer)
        output = run_read(access_token_config(), ["post_social_metadata"])
    skipped = [line.log.message for line in output.logs if line.log.level.value == "WARN"]
    assert output.errors == [] and output.records == [] and any("no longer has" in w for w in skipped)


@pytest.mark.parametrize(
    "answer", [VIDEO_ANALYTICS, VIDEO_ANALYTICS_NAMED_TYPE], ids=["statisticsType", "type"]
)
def test_video_analytics_rows_are_the_metric_asked_for_whatever_linkedin_names_it(answer):
    """Production code reads the metric's name from `statisticsType`; a row's `type` is the request's, so the four
    metrics of a video are four rows (the key is post and type), whichever field LinkedIn fills."""
    with requests_mock.Mocker() as mock:
        serve_posts(mock, {"2414183": POSTS})
        mock.get(VIDEO_ENDPOINT, json=answer)
        output = run_read(access_token_config(), ["video_analytics"])
    asked = sorted(query(r) for r in mock.request_history if r.url.startswith(VIDEO_ENDPOINT))
    assert asked == sorted(
        f"q=entity&entity=urn%3Ali%3AugcPost%3A7002&aggregation=ALL&type={metric}" for metric in METRICS
    )
    rows = [r.record.data for r in output.records]
    assert sorted((r["post"], r["type"]) for r in rows) == sorted(("urn:li:ugcPost:7002", m) for m in METRICS)
    assert all(r["value"] == 2 and r["organization"] == "urn:li:organization:2414183" for r in rows)
    kept = {r.get("statisticsType") for r in rows}
    assert kept == ({"VIDEO_VIEW"} if answer is VIDEO_ANALYTICS else {None}), (
        "LinkedIn's own field, as it came"
    )


def serve_demographics(mock, lifetime):
    mock.get(FOLLOWER_STATISTICS, json={"elements": [lifetime]})
    mock.get(PAGE_STATISTICS, json={"elements": [{"organization": "urn:li:organization:2414183"}]})


LIFETIME = {"organizationalEntity": "urn:li:organization:2414183",
            "followerCountsBySeniority": [{"seniority": "urn:li:seniority:2", "followerCounts": {"organicFollowerCount": 4}}],
            "followerCountsByIndustry": [{"industry": "urn:li:industry:22", "followerCounts": {"organicFollowerCount": 3}}],
            "followerCountsByGeoCountry": [{"geo": "urn:li:geo:104565322", "followerCounts": {"organicFollowerCount": 7}}],
            "followerCountsByStaffCountRange": [{"staffCountRange": "SIZE_11_TO_50", "followerCounts": {}},
                                                {"staffCountRange": "SIZE_10001_OR_MORE", "followerCounts": {}}],
            "followerCountsByAssociationType": [{"associationType": "EMPLOYEE", "followerCounts": {}}]}  # fmt: skip
TAXONOMY = f"{API}/industryTaxonomyVersions/DEFAULT/industries"


def test_demographics_are_a_long_table_with_the_element_s_organization():
    with requests_mock.Mocker() as mock:
        serve_demographics(mock, LIFETIME)
        output = run_read(access_token_config(), ["follower_demographics"])
    rows = {(r.record.data["facet"], r.record.data["value"], r.record.data["organizationalEntity"])
            for r in output.records}  # fmt: skip
    assert ("followerCountsBySeniority", "urn:li:seniority:2", "urn:li:organization:2414183") in rows
    assert ("followerCountsByStaffCountRange", "SIZE_11_TO_50", "urn:li:organization:2414183") in rows
    assert len(rows) == 6


def test_facet_values_are_named_by_the_method_each_resource_has():
    """LinkedIn's endpoint table: seniorities GET | GET_ALL (read whole, kept where they occur), the industry
    taxonomy and geo BATCH_GET; staff-count ranges name themselves by their bounds; association types are not
    named. Answers as LinkedIn's pages show them (documented_answers.py)."""
    with requests_mock.Mocker() as mock:
        serve_demographics(mock, LIFETIME)
        mock.get(f"{API}/seniorities", json=SENIORITIES_GET_ALL)
        mock.get(TAXONOMY, json=INDUSTRIES_BATCH_GET)
        mock.get(f"{API}/geo", json=GEO_BATCH_GET)
        output = run_read(access_token_config(), ["follower_demographics", "facet_names"])
    assert output.errors == []
    names = {(r.record.data["facet"], r.record.data["urn"]): r.record.data["name"] for r in output.records
             if r.record.stream == "facet_names"}  # fmt: skip
    assert names == {
        ("seniority", "urn:li:seniority:2"): "Training",  # the GET_ALL answered Unpaid too: it does not occur
        ("industry", "urn:li:industry:22"): "Supermarkets",
        ("geo", "urn:li:geo:104565322"): "San Francisco Bay Area",
        ("staffCountRange", "SIZE_11_TO_50"): "11-50",
        ("staffCountRange", "SIZE_10001_OR_MORE"): "10001+",
    }
    lookups = sorted(r.url.removeprefix(API + "/") for r in mock.request_history if "Statistics" not in r.url)
    assert lookups == [
        "geo?ids=List(104565322)",
        "industryTaxonomyVersions/DEFAULT/industries?ids=List(22)",
        "seniorities?count=100",
    ], (
        "no BATCH_GET of seniorities (LinkedIn has none), no /industries (the older list), no staff-count request"
    )


def test_a_refused_industry_lookup_says_which_scope_and_the_other_facets_are_named():
    with requests_mock.Mocker() as mock:
        serve_demographics(mock, LIFETIME)
        mock.get(f"{API}/seniorities", json=SENIORITIES_GET_ALL)
        mock.get(TAXONOMY, status_code=403, json={"status": 403, "message": "Not enough permissions"})
        mock.get(f"{API}/geo", json=GEO_BATCH_GET)
        output = run_read(access_token_config(), ["follower_demographics", "facet_names"])
    assert output.errors == [], "names are a convenience: the sync goes on"
    facets = {r.record.data["facet"] for r in output.records if r.record.stream == "facet_names"}
    assert facets == {"seniority", "geo", "staffCountRange"}
    warnings = [m.log.message for m in output.logs if m.log.level.value == "WARN"]
    assert any("r_basicprofile" in w and "\n" not in w for w in warnings), warnings


def test_facet_value_partitions_by_resource_and_method(components_module):
    class Parent:
        def stream_slices(self):
            for urn in ["urn:li:geo:1", "urn:li:geo:2", "urn:li:geo:1", "urn:li:geo:3", "SIZE_1", "urn:li:seniority:5",
                        "urn:li:seniority:6", "urn:li:title:9", "urn:li:geo:(1,2)", "urn:li:geo:²", "EMPLOYEE",
                        "SIZE_1"]:  # fmt: skip
                yield StreamSlice(partition={"urn": urn, "parent_slice": {}}, cursor_slice={})

    router = components_module.FacetValueBatchRouter(
        group_size=2, underlying_partition_router=Parent(), config={},
        resources={"geo": ["geo", True], "seniority": ["seniorities", False]},
    )  # fmt: skip
    assert [dict(s.partition) for s in router.stream_slices()] == [
        {"facet": "geo", "resource": "geo", "ids": "1,2", "batch": "true"},
        {"facet": "geo", "resource": "geo", "ids": "3", "batch": "true"},
        {
            "facet": "seniority",
            "resource": "seniorities",
            "ids": "5,6",
            "batch": "",
        },  # GET_ALL: one, kept ids
        {"facet": "staffCountRange", "resource": "", "ids": "SIZE_1", "batch": ""},  # named without a request
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


def test_facet_rows_of_an_unexpected_shape_are_skipped_and_said_never_misattributed(
    components_module, caplog
):
    # Issue 33 item 11: a string or null row, a row naming another organization, a row without a string value.
    response = requests.Response()
    response._content = json.dumps({"elements": [None, "x", {
        "organizationalEntity": "urn:li:organization:1",
        "followerCountsByGeo": [
            "a string", None,
            {"geo": "urn:li:geo:103644278", "followerCounts": {"organicFollowerCount": 3}},
            {"organizationalEntity": "urn:li:organization:666", "geo": "urn:li:geo:2", "followerCounts": {}},
            {"followerCounts": {"organicFollowerCount": 9}},
        ]}]}).encode()  # fmt: skip
    extractor = components_module.FacetRowsExtractor(parameters={})
    with caplog.at_level("WARNING", logger="airbyte"):
        rows = list(extractor.extract_records(response))
    assert [(r["organizationalEntity"], r["value"]) for r in rows] == [
        ("urn:li:organization:1", "urn:li:geo:103644278"),
        ("urn:li:organization:1", "urn:li:geo:2"),
    ]
    skipped = [r.message for r in caplog.records if "no facet value was skipped" in r.message]
    assert len(skipped) == 3 and all(m.startswith("followerCountsByGeo:") for m in skipped)
