"""Engagement and demographics against the emulator's request counts and rules: comments read at the minimum (as
LinkedIn documents comments: no summary of their replies), an incremental sync reading only recent posts'
comments, a token without the engagement scope. Records against the
emulator's ground truth: test_acceptance_files.py::test_expected_records_are_what_the_connector_reads_at_the_fixed_clock."""

import datetime as dt

from integration_tests.helpers import full_catalog, read_in_process

DAY_MS = 86_400_000


def comment_requests(dataset, posts, page_cap=50) -> int:
    """The fewest comment requests that read every comment of ``posts`` when comments carry no summary of their
    replies (as LinkedIn documents them): the pages of each commented post's comments, then, where its
    socialMetadata counts replies, each comment's replies in the order listed, until as many were read."""
    total = 0
    for org, post in posts:
        comments = dataset.comments(org, post["id"])
        top = sorted((c for c in comments if "parentComment" not in c), key=lambda c: -c["created"]["time"])
        total += -(-len(top) // page_cap)
        left = len(comments) - len(top)
        for candidate in top:
            if left <= 0:
                break
            replies = sum(1 for c in comments if c.get("parentComment") == candidate["commentUrn"])
            total, left = total + max(1, -(-replies // page_cap)), left - replies
    return total


def last_states(run) -> list[dict]:
    states = {m["state"]["stream"]["stream_descriptor"]["name"]: m["state"] for m in run.of_type("STATE")}
    return list(states.values())


def test_comments_are_read_at_the_minimum_and_an_incremental_sync_reads_recent_posts_only(emulator):
    dataset = emulator.dataset
    # 30 days of the dataset's posts (it ends on its anchor day, whatever today is) count as recent.
    days = (dt.datetime.now(dt.UTC).date() - dataset.anchor).days + 30
    config = emulator.connector_config(comments_lookback_days=days)
    catalog = full_catalog(streams=["post_comments"])
    every_post = [(org, post) for org in dataset.organizations for post in dataset.posts(org)]

    first = read_in_process(config, catalog)
    assert first.errors() == []
    assert sorted(r["comment"] for r in first.records("post_comments")) == sorted(
        c["commentUrn"] for o, p in every_post for c in dataset.comments(o, p["id"])
    )
    assert emulator.stats["GET socialActions"] == comment_requests(dataset, every_post)
    assert emulator.stats["GET posts"] == sum(
        -(-len(dataset.posts(org)) // 100) for org in dataset.organizations
    )

    emulator.stats.clear()
    second = read_in_process(config, catalog, state=last_states(first))
    assert second.errors() == []
    # The posts modified within the lookback: their comments again, nothing else.
    since = (dt.datetime.now(dt.UTC).timestamp() - days * 86_400) * 1000
    recent = [(org, p) for org, p in every_post if p["lastModifiedAt"] > since]
    assert 0 < len(recent) < len(every_post) / 4
    assert emulator.stats["GET socialActions"] == comment_requests(dataset, recent)
    assert {r["comment"] for r in second.records("post_comments")} == {
        c["commentUrn"] for org, post in recent for c in dataset.comments(org, post["id"])
    }
    # The state stays small: a watermark per organization, besides the posts this sync read.
    state = last_states(second)[0]["stream"]["stream_state"]
    assert len(state["parent_state"]["comment_progress"]["states"]) == len(dataset.organizations)


def test_a_token_without_the_engagement_scope_names_it_and_the_other_streams_go_on(emulator):
    emulator.update_settings(denied_scopes=["r_organization_social_feed"])
    streams = ["posts", "post_social_metadata", "video_analytics"]
    run = read_in_process(emulator.connector_config(), full_catalog(streams=streams))
    messages = [error["message"] for error in run.errors()]
    assert any("r_organization_social_feed" in m and "\n" not in m for m in messages), messages
    assert run.records("posts") and run.records("video_analytics")
    assert not run.records("post_social_metadata")


def test_the_demographics_keep_a_row_per_day_and_name_their_urns(emulator):
    config = emulator.connector_config(organization_ids=["2414183"])
    streams = ["follower_demographics", "facet_names"]
    run = read_in_process(config, full_catalog(streams=streams))
    assert run.errors() == []
    rows = run.records("follower_demographics")
    assert {r["snapshotDate"] for r in rows} == {dt.datetime.now(dt.UTC).date().isoformat()}
    keys = [(r["organizationalEntity"], r["snapshotDate"], r["facet"], r["value"]) for r in rows]
    assert len(keys) == len(set(keys)), "the primary key is unique within a day"
    named = {r["urn"] for r in run.records("facet_names")}
    assert {r["value"] for r in rows if r["value"].startswith("urn:li:")} <= named
    # One lifetime answer serves the long table and the names; each standardized-data resource once, by the
    # method LinkedIn lists for it, industries from the current taxonomy.
    assert emulator.stats["GET organizationalEntityFollowerStatistics"] == 1
    resources = ("geo", "industryTaxonomyVersions", "seniorities", "functions")
    assert {r: emulator.stats[f"GET {r}"] for r in (*resources, "industries")} == {**dict.fromkeys(resources, 1),
                                                                                     "industries": 0}  # fmt: skip
    staff = {r["value"] for r in rows if r["facet"] == "followerCountsByStaffCountRange"}
    assert staff and staff <= named, "staff-count ranges are named by their bounds"


def test_an_organization_new_to_the_state_gets_every_comment_of_its_posts(emulator):
    dataset = emulator.dataset
    known, new = dataset.organizations[0], dataset.organizations[1]
    catalog = full_catalog(streams=["post_comments"])
    first = read_in_process(emulator.connector_config(organization_ids=[str(known.id)]), catalog)
    config = emulator.connector_config(organization_ids=[str(known.id), str(new.id)])
    second = read_in_process(config, catalog, state=last_states(first))
    assert second.errors() == []
    comments = {r["comment"] for r in second.records("post_comments") if r["organization"] == new.urn}
    assert comments == {
        c["commentUrn"] for post in dataset.posts(new) for c in dataset.comments(new, post["id"])
    }
