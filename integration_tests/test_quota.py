"""LinkedIn's daily quota spent once per fact (one listing of each organization's posts per sync, whichever of
`posts` and `post_statistics` are selected), and a backfill larger than a day's quota finished over several days
without loss.

Request counts are the emulator's (what reached the server), not the connector's own figures.
"""

import math
from collections import Counter

from integration_tests.helpers import full_catalog, read_in_process
from linkedin_emulator import Dataset, Emulator


def server_counts(emulator, before: Counter) -> Counter:
    seen = Counter(emulator.stats) - before
    return Counter({key.removeprefix("GET "): n for key, n in seen.items() if key.startswith("GET ")})


def read(emulator, tmp_path, streams, state=None):
    config = emulator.connector_config()
    catalog = full_catalog(None, streams)
    before = Counter(emulator.stats)
    run = read_in_process(config, catalog, state)
    assert run.returncode == 0 and run.errors() == [], run.stderr[-2000:]
    return run, server_counts(emulator, before)


def test_posts_are_listed_once_per_organization_whichever_post_streams_are_selected(emulator, tmp_path):
    dataset = emulator.dataset
    organizations, posts = len(dataset.organizations), dataset.posts_per_org
    assert posts % 100, "a full last page would take one more (empty) page to see the end"
    every_post = sorted(p["id"] for org in dataset.organizations for p in dataset.posts(org))

    both, sent = read(emulator, tmp_path, ["posts", "post_statistics"])
    assert sent["posts"] == organizations * math.ceil(posts / 100), "not twice: the listing is shared"
    assert sorted(r["id"] for r in both.records("posts")) == every_post
    # Statistics for the posts LinkedIn measures (created within its rolling 12 months), 50 a request.
    measured = Counter(r["organizationalEntity"] for r in both.records("post_statistics"))
    assert sum(measured.values()) >= organizations * 20, "the dataset has recent posts in every organization"
    assert sent["organizationalEntityShareStatistics"] == sum(math.ceil(n / 50) for n in measured.values())

    alone, sent = read(emulator, tmp_path, ["post_statistics"])
    assert sent["posts"] == organizations * math.ceil(posts / 100)
    assert sorted(r["post"] for r in alone.records("post_statistics")) == sorted(
        r["post"] for r in both.records("post_statistics")
    )

    # The next sync: `posts` incremental stops at its first page, `post_statistics` still covers every post,
    # and the listing is still read once.
    again, sent = read(emulator, tmp_path, ["posts", "post_statistics"], state=both.final_states())
    assert len(again.records("posts")) < len(every_post)
    assert sorted(r["post"] for r in again.records("post_statistics")) == sorted(
        r["post"] for r in both.records("post_statistics")
    )
    assert sent["posts"] == organizations * math.ceil(posts / 100)


def test_a_comment_backfill_the_daily_quota_stops_finishes_over_days_losing_nothing():
    """LinkedIn's quotas are per day, per app and member (reset at 00:00 UTC, unpublished). With the Comments API
    limited to 60 calls a day, a page needing a few hundred: each day's sync delivers what its calls read, keeps
    how far it got, and the next one goes on from there, until every comment is delivered; over all days it spends
    about what one sync without a quota spends (a post is saved whole, so a post cut off by the quota is read
    again: at most one per worker a day)."""
    dataset = Dataset(posts_per_org=268, commented_share=0.25)
    org = str(dataset.organizations[0].id)
    catalog = full_catalog(None, ["post_comments"])
    with Emulator(dataset) as emulator:
        emulator.update_settings(today="2026-12-01")
        config = emulator.connector_config(organization_ids=[org])
        unlimited = read_in_process(config, catalog)
        every_comment = {r["comment"] for r in unlimited.records("post_comments")}
        needed = emulator.stats["GET socialActions"]
    assert unlimited.returncode == 0 and len(every_comment) > 300 and needed > 3 * 60

    delivered, per_day, state = set(), [], None
    with Emulator(Dataset(posts_per_org=268, commented_share=0.25)) as emulator:
        for day in range(1, 15):
            emulator.update_settings(today=f"2026-12-{day:02d}", daily_quota={"socialActions": 60})
            run = read_in_process(emulator.connector_config(organization_ids=[org]), catalog, state)
            new = {r["comment"] for r in run.records("post_comments")} - delivered
            per_day.append((emulator.quota.calls.get((emulator.today(), "socialActions"), 0), len(new)))
            delivered |= new
            state = run.final_states() or state
            if run.returncode == 0:
                break
            assert any("DAY limit" in e["message"] or "daily API quota" in e["message"] for e in run.errors())
    calls = sum(c for c, _ in per_day)
    print(
        f"\ncomment backfill at 60 calls a day: {len(per_day)} days, calls {calls} against {needed} unlimited "
        f"({calls / needed - 1:+.0%}); per day (calls, new comments): {per_day}"
    )
    assert delivered == every_comment, "every comment, at last"
    assert all(new for _, new in per_day), "each day's calls deliver comments"
    assert len(per_day) <= math.ceil(needed / 60) + 1
    assert calls <= needed * 1.15
