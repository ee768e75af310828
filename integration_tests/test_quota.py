"""LinkedIn's daily quota spent once per fact: one listing of each organization's posts per sync, whichever of
`posts` and `post_statistics` are selected, and the requests a sync sent reported in its last log line.

Request counts are the emulator's (what reached the server), not the connector's own figures.
"""

import math
import re
from collections import Counter

from integration_tests.helpers import full_catalog, run_connector

QUOTA_LINE = re.compile(
    r"LinkedIn requests this sync: (\d+) to the API \((.*)\) and (\d+) to the token endpoint; "
    r"(\d+) answered 429 \(rate limited\)\."
)


def server_counts(emulator, before: Counter) -> Counter:
    seen = Counter(emulator.stats) - before
    return Counter({key.removeprefix("GET "): n for key, n in seen.items() if key.startswith("GET ")})


def quota_line(run) -> re.Match:
    """The sync's quota line: one, the last log line of the sync."""
    logs = [m["log"]["message"] for m in run.of_type("LOG")]
    found = [i for i, message in enumerate(logs) if QUOTA_LINE.fullmatch(message)]
    assert len(found) == 1, [m for m in logs if "LinkedIn requests" in m]
    assert all(not message.startswith(("Marking stream", "Read ")) for message in logs[found[0] :])
    return QUOTA_LINE.fullmatch(logs[found[0]])


def read(emulator, tmp_path, streams, state=None):
    config = emulator.connector_config()
    catalog = full_catalog(run_connector(tmp_path, "discover", config=config), streams)
    before = Counter(emulator.stats)
    run = run_connector(tmp_path, "read", config=config, catalog=catalog, state=state)
    assert run.returncode == 0 and run.errors() == [], run.stderr[-2000:]
    return run, server_counts(emulator, before)


def test_posts_are_listed_once_per_organization_whichever_post_streams_are_selected(emulator, tmp_path):
    dataset = emulator.dataset
    organizations, posts = len(dataset.organizations), dataset.posts_per_org
    assert posts % 100, "a full last page would take one more (empty) page to see the end"
    every_post = sorted(p["id"] for org in dataset.organizations for p in dataset.posts(org))

    both, sent = read(emulator, tmp_path, ["posts", "post_statistics"])
    assert sent["posts"] == organizations * math.ceil(posts / 100), "not twice: the listing is shared"
    assert sent["organizationalEntityShareStatistics"] == organizations * math.ceil(posts / 50)
    assert sorted(r["id"] for r in both.records("posts")) == every_post
    assert sorted(r["post"] for r in both.records("post_statistics")) == every_post

    alone, sent = read(emulator, tmp_path, ["post_statistics"])
    assert sent["posts"] == organizations * math.ceil(posts / 100)
    assert sorted(r["post"] for r in alone.records("post_statistics")) == every_post

    # The next sync: `posts` incremental stops at its first page, `post_statistics` still covers every post,
    # and the listing is still read once.
    again, sent = read(emulator, tmp_path, ["posts", "post_statistics"], state=both.final_states())
    assert len(again.records("posts")) < len(every_post)
    assert sorted(r["post"] for r in again.records("post_statistics")) == every_post
    assert sent["posts"] == organizations * math.ceil(posts / 100)


def test_the_last_log_line_gives_the_requests_sent_per_endpoint_and_the_429s(emulator, tmp_path):
    emulator.update_settings(scripted_faults=["429", "429"])
    streams = ["organization_lookup", "total_follower_count", "share_statistics", "posts", "post_statistics"]
    run, sent = read(emulator, tmp_path, streams)
    api_total, per_endpoint, token_requests, rate_limited = quota_line(run).groups()
    logged = Counter({name: int(n) for name, n in re.findall(r"(\w+) (\d+)", per_endpoint)})
    assert logged == sent, "per endpoint, what the server received (retries included, cache hits not)"
    assert int(api_total) == sum(sent.values())
    assert int(rate_limited) == 2 == emulator.stats["fault 429"]
    assert int(token_requests) == emulator.stats["token endpoint normal"] == 1
