"""Engagement and demographics against the emulator's request counts and rules: comments read at the minimum, an
incremental sync reading only recent posts' comments, a token without the engagement scope. Records against the
emulator's ground truth: test_acceptance_files.py::test_expected_records_are_what_the_connector_reads_at_the_fixed_clock."""

import datetime as dt

from integration_tests.helpers import full_catalog, read_in_process

DAY_MS = 86_400_000


def comment_requests(dataset, posts) -> int:
    """The fewest comment requests that read every comment of ``posts``: a page (100) of top-level comments per
    post that has any, a page of replies per comment that has any."""
    total = 0
    for org, post in posts:
        comments = dataset.comments(org, post["id"])
        top = [c for c in comments if "parentComment" not in c]
        replies = [sum(1 for c in comments if c.get("parentComment") == t["$URN"]) for t in top]
        total += -(-len(top) // 100) + sum(-(-n // 100) for n in replies if n)
    return total


def last_states(run) -> list[dict]:
    states = {m["state"]["stream"]["stream_descriptor"]["name"]: m["state"] for m in run.of_type("STATE")}
    return list(states.values())


def test_comments_are_read_at_the_minimum_and_an_incremental_sync_reads_recent_posts_only(emulator):
    dataset, config = emulator.dataset, emulator.connector_config(comments_lookback_days=30)
    catalog = full_catalog(streams=["post_comments"])
    every_post = [(org, post) for org in dataset.organizations for post in dataset.posts(org)]

    first = read_in_process(config, catalog)
    assert first.errors() == []
    assert len(first.records("post_comments")) == sum(
        len(dataset.comments(o, p["id"])) for o, p in every_post
    )
    assert emulator.stats["GET socialActions"] == comment_requests(dataset, every_post)
    assert emulator.stats["GET posts"] == sum(
        -(-len(dataset.posts(org)) // 100) for org in dataset.organizations
    )

    emulator.stats.clear()
    second = read_in_process(config, catalog, state=last_states(first))
    assert second.errors() == []
    # The posts modified within 30 days before each organization's newest one: their comments, nothing else.
    recent = []
    for org in dataset.organizations:
        newest = max(post["lastModifiedAt"] for post in dataset.posts(org))
        recent += [(org, p) for p in dataset.posts(org) if p["lastModifiedAt"] >= newest - 30 * DAY_MS]
    assert 0 < len(recent) < len(every_post) / 4
    assert emulator.stats["GET socialActions"] == comment_requests(dataset, recent)
    assert {r["comment"] for r in second.records("post_comments")} == {
        c["$URN"] for org, post in recent for c in dataset.comments(org, post["id"])
    }
    # The state stays small: one cursor, and one per organization for the listing, whatever the number of posts.
    state = last_states(second)[0]["stream"]["stream_state"]
    assert len(str(state)) < 3000 and "states" not in state


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
    # One lifetime answer serves the long table and the names; each standardized-data resource once.
    assert emulator.stats["GET organizationalEntityFollowerStatistics"] == 1
    assert all(emulator.stats[f"GET {r}"] == 1 for r in ("geo", "industries", "seniorities", "functions"))


def test_an_organization_new_to_the_state_gets_every_comment_of_its_posts(emulator):
    dataset = emulator.dataset
    known, new = dataset.organizations[0], dataset.organizations[1]
    catalog = full_catalog(streams=["post_comments"])
    first = read_in_process(emulator.connector_config(organization_ids=[str(known.id)]), catalog)
    config = emulator.connector_config(organization_ids=[str(known.id), str(new.id)])
    second = read_in_process(config, catalog, state=last_states(first))
    assert second.errors() == []
    comments = {r["comment"] for r in second.records("post_comments") if r["organization"] == new.urn}
    assert comments == {c["$URN"] for post in dataset.posts(new) for c in dataset.comments(new, post["id"])}
