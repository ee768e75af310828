"""LinkedIn's daily quota spent once per fact: one listing of each organization's posts per sync, whichever of
`posts` and `post_statistics` are selected.

Request counts are the emulator's (what reached the server), not the connector's own figures.
"""

import math
from collections import Counter

from integration_tests.helpers import full_catalog, read_in_process


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
