"""What ``acceptance-test-config.yml`` asks for, checked offline against the emulator: ``expected_records.jsonl``
is exactly what the connector reads at the fixed clock and agrees with the emulator's ground truth; no record
holds a column its stream's schema does not declare (``fail_on_extra_columns``); ``abnormal_state.json`` covers
every incremental stream and reads none of their records."""

import copy
import datetime as dt
import json
from collections import defaultdict

import jsonschema
from airbyte_cdk.models import AirbyteStateMessageSerializer, SyncMode

from integration_tests.acceptance import (
    ABNORMAL_STATE,
    EXPECTED_RECORDS,
    INCREMENTAL_CATALOG,
    emulator_at_the_fixed_clock,
    emulator_config,
    every_stream,
    read_streams,
    records_of,
)
from linkedin_emulator.data import (
    FUNCTION_NAMES,
    GEO_NAMES,
    INDUSTRY_NAMES,
    SENIORITY_NAMES,
    day_start_ms,
    ms_to_date,
)
from linkedin_emulator.rules import months_before
from source_linkedin_org import SourceLinkedinOrg

ORGANIZATION = 2414183


def expected_records():
    return [json.loads(line) for line in EXPECTED_RECORDS.read_text().splitlines()]


def test_expected_records_are_what_the_connector_reads_at_the_fixed_clock():
    with emulator_at_the_fixed_clock() as emulator:
        config = emulator_config(emulator)
        streams = every_stream(config)
        output = read_streams(config, streams, SyncMode.full_refresh)
        dataset, today = emulator.dataset, emulator.today()
    assert output.errors == []
    expected = expected_records()
    assert records_of(output) == expected, "regenerate with `python -m integration_tests.acceptance`"

    # The file agrees with the emulator's ground truth, not only with the connector.
    by_stream = defaultdict(list)
    for line in expected:
        by_stream[line["stream"]].append(line["data"])
    assert set(by_stream) == set(streams), "every stream has expected records"
    org = dataset.organization(ORGANIZATION)
    assert {r["id"] for r in by_stream["posts"]} == {p["id"] for p in dataset.posts(org)}
    gains = {
        ms_to_date(r["timeRangeStart"]): r["followerGains"]
        for r in by_stream["follower_statistics_time_bound"]
    }
    assert gains == {day: dataset.follower_gain(org, day) for day in gains}
    assert max(gains) == today - dt.timedelta(days=2), "the last day LinkedIn serves"
    assert [r["firstDegreeSize"] for r in by_stream["total_follower_count"]] == [
        dataset.total_followers(org, today)
    ]
    # Per-post statistics: every post inside LinkedIn's rolling 12-month window (a day's margin at its edge), and
    # none before it, which LinkedIn would omit and a row would report as 0.
    created = {p["id"]: ms_to_date(p["createdAt"]) for p in dataset.posts(org)}
    measured = {r["post"] for r in by_stream["post_statistics"] if r["organizationalEntity"] == org.urn}
    assert {post for post, day in created.items() if day > today - dt.timedelta(days=363)} <= measured
    assert all(created[post] >= months_before(today, 12) for post in measured)
    assert_engagement_is_the_ground_truth(dataset, org, today, by_stream)


def assert_engagement_is_the_ground_truth(dataset, org, today, by_stream):
    """Issue 21's streams, each against what the emulator holds."""
    posts = dataset.posts(org)
    comments = {
        c["commentUrn"]: (post["id"], c.get("parentComment"))
        for post in posts
        for c in dataset.comments(org, post["id"])
    }
    assert {r["comment"]: (r["post"], r.get("parentComment")) for r in by_stream["post_comments"]} == comments
    assert {r["organization"] for r in by_stream["post_comments"]} == {org.urn}
    metadata = {r["post"]: r for r in by_stream["post_social_metadata"]}
    assert set(metadata) == {post["id"] for post in posts}
    for urn, record in metadata.items():
        truth = dataset.social_metadata(org, urn)
        assert (record["reactionSummaries"], record["commentSummary"]) == (
            truth["reactionSummaries"],
            truth["commentSummary"],
        )
    # Video views and viewers "will not be available after six months": no row then, rather than a false 0.
    recent = day_start_ms(months_before(today, 6))
    videos = {
        (post["id"], metric): dataset.video_metric(org, post, metric)
        for post in posts
        if dataset.is_video(post)
        for metric in ("VIDEO_VIEW", "VIEWER", "TIME_WATCHED", "TIME_WATCHED_FOR_VIDEO_VIEWS")
        if metric not in ("VIDEO_VIEW", "VIEWER") or post["createdAt"] >= recent
    }
    assert videos and {(r["post"], r["type"]): r["value"] for r in by_stream["video_analytics"]} == videos
    assert all(r["type"] == r["statisticsType"] for r in by_stream["video_analytics"])
    # The demographics: one row per facet value, counts as LinkedIn answers them, on the day of the sync.
    for stream, lifetime, counts in (
        ("follower_demographics", dataset.follower_facets(org), "followerCounts"),
        ("visitor_demographics", dataset.page_lifetime(org), "pageStatistics"),
    ):
        truth = {(facet, next(iter(row.values()))): row[counts] for facet, rows in lifetime.items()
                 if isinstance(rows, list) for row in rows}  # fmt: skip
        assert {(r["facet"], r["value"]): r[counts] for r in by_stream[stream]} == truth, stream
        assert {r["snapshotDate"] for r in by_stream[stream]} == {today.isoformat()}, stream
    # Every URN the demographics emit is named, by the name the emulator's standardized data gives it (industries
    # by the current taxonomy's), and every staff-count range by its bounds.
    names = {"geo": GEO_NAMES, "industry": INDUSTRY_NAMES, "seniority": dict(enumerate(SENIORITY_NAMES, 1)),
             "function": dict(enumerate(FUNCTION_NAMES, 1))}  # fmt: skip
    values = {
        r["value"] for stream in ("follower_demographics", "visitor_demographics") for r in by_stream[stream]
    }
    named = {
        urn: names[urn.split(":")[2]][int(urn.split(":")[3])] for urn in values if urn.startswith("urn:li:")
    }
    bounds = {"SIZE_1": "1", "SIZE_2_TO_10": "2-10", "SIZE_11_TO_50": "11-50", "SIZE_51_TO_200": "51-200",
              "SIZE_201_TO_500": "201-500", "SIZE_501_TO_1000": "501-1000", "SIZE_1001_TO_5000": "1001-5000",
              "SIZE_5001_TO_10000": "5001-10000", "SIZE_10001_OR_MORE": "10001+"}  # fmt: skip
    named |= {value: bounds[value] for value in values if value.startswith("SIZE_")}
    assert {r["urn"]: r["name"] for r in by_stream["facet_names"]} == named


def closed(schema):
    """``schema`` with every object closed: a column it does not declare fails validation."""
    schema = copy.deepcopy(schema)

    def close(node):
        if isinstance(node, dict):
            if "properties" in node:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for item in node:
                close(item)

    close(schema)
    return schema


def test_no_record_holds_a_column_its_schema_does_not_declare():
    config = {"credentials": {"auth_method": "access_token", "access_token": "x"}}
    schemas = {s.name: closed(s.get_json_schema()) for s in SourceLinkedinOrg(config=config).streams(config)}
    problems = []
    for line in expected_records():
        for error in jsonschema.Draft7Validator(schemas[line["stream"]]).iter_errors(line["data"]):
            problems.append(f"{line['stream']}: {error.message}")
    assert problems == []


def test_the_abnormal_state_covers_every_incremental_stream_and_reads_none_of_their_records():
    catalog = json.loads(INCREMENTAL_CATALOG.read_text())
    incremental = {s["stream"]["name"] for s in catalog["streams"]}
    state = [AirbyteStateMessageSerializer.load(m) for m in json.loads(ABNORMAL_STATE.read_text())]
    config = {"credentials": {"auth_method": "access_token", "access_token": "x"}}
    streams = SourceLinkedinOrg(config=config).streams(config)
    assert incremental == {s.name for s in streams if s.as_airbyte_stream().default_cursor_field}
    assert {m.stream.stream_descriptor.name for m in state} == incremental
    with emulator_at_the_fixed_clock() as emulator:
        output = read_streams(emulator_config(emulator), sorted(incremental), SyncMode.incremental, state)
    assert output.errors == []
    assert output.records == []
