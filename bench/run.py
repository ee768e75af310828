"""Benchmark: full syncs of the installed connector against the emulator, at a chosen scale and latency.

Prints, per stream (each synced alone, in its own process, so every figure is its own): HTTP requests against the
fewest that can read it, records, wall seconds, records per second and the connector process's peak RSS; then one
sync of all streams together, with requests per endpoint (the emulator's count) against the minimum; then the next
day's incremental sync from that sync's state.
Minimums: ceil(posts / 100) listing requests (one more when 100 divides it: the end is a short page) plus
ceil(posts / 50) socialMetadata requests and ceil(posts of the last 12 months / 50) statistics requests per
organization; one request per time-bound stream per organization, one lifetime request serving a statistics stream,
its demographics and facet_names; the comment pages of each post with comments and, where its counts show replies,
each comment's replies in turn until all are read; 4 videoAnalytics requests per video post; standardized data by
each resource's method; each organization's page looked up once; ceil(follows / 1000) per DMA partition. The
steady-state sync re-reads the comments of the last 30 days' posts only. --quota-backfill: post_comments day by day
under a daily quota, against one sync without one.
Targets it reports against: post statistics requests <= ceil(posts / 50) per organization; peak RSS <= 200 MB with
50,000 posts; DMA reading time within 5 % of ceil(followers / 1000) x interval.

    python -m bench.run --posts-per-org 5000 --organizations 1 --latency-ms 50
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from linkedin_emulator import Dataset, Emulator
from linkedin_emulator.data import DEFAULT_ORGANIZATIONS

CONNECTOR = Path(sys.executable).parent / "source-linkedin-org"

# Starts the connector from a small process and writes its peak RSS (kB) to argv[1]. Linux carries a process's
# peak RSS across fork and exec: a connector forked straight from this process (which holds the emulator's
# dataset) would report this process's size whenever that is the larger.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def sync(config: dict, catalog: dict, workdir: Path, state: list | None = None) -> dict:
    """Run ``read`` as its own process; return records per stream, wall time, that process's peak RSS, the
    final state of each stream."""
    (workdir / "config.json").write_text(json.dumps(config))
    (workdir / "catalog.json").write_text(json.dumps(catalog))
    command = [
        str(CONNECTOR),
        "read",
        "--config",
        str(workdir / "config.json"),
        "--catalog",
        str(workdir / "catalog.json"),
    ]
    if state is not None:
        (workdir / "state.json").write_text(json.dumps(state))
        command += ["--state", str(workdir / "state.json")]
    started = time.monotonic()
    with open(workdir / "output.jsonl", "w") as output:
        launched = [sys.executable, "-c", LAUNCHER, str(workdir / "peak_rss_kb"), *command]
        status = subprocess.run(launched, stdout=output, stderr=subprocess.DEVNULL, cwd=workdir).returncode
    wall = time.monotonic() - started
    peak_rss_mb = int((workdir / "peak_rss_kb").read_text()) / 1024
    records: dict[str, int] = {}
    errors, states = [], {}
    with open(workdir / "output.jsonl") as output:
        for line in output:
            if line.startswith('{"type":"RECORD"'):
                name = json.loads(line)["record"]["stream"]
                records[name] = records.get(name, 0) + 1
            elif line.startswith('{"type":"STATE"'):
                message = json.loads(line)["state"]
                states[message["stream"]["stream_descriptor"]["name"]] = message
            elif '"type":"TRACE"' in line and '"ERROR"' in line:
                errors.append(json.loads(line)["trace"]["error"]["message"])
    return {"records": records, "wall": wall, "rss_mb": peak_rss_mb, "state": list(states.values()),
            "rc": status, "errors": errors}  # fmt: skip


def minimum_requests(dataset: Dataset, stream: str) -> Counter:
    """The fewest requests per endpoint that read ``stream`` in full, from the dataset.

    A list that pages by offset ends on its first short page (LinkedIn's ``paging.total`` cannot be trusted),
    so a list of n items takes n // size + 1 pages: ceil(n / size), plus one empty page when size divides n.
    """
    orgs = dataset.organizations
    n = len(orgs)
    listing = n * (dataset.posts_per_org // 100 + 1)
    # Statistics exist for the posts of LinkedIn's rolling 12-month window only (364 days, as the connector asks).
    window_start = (time.time() - 364 * 86_400) * 1000
    statistics = sum(
        math.ceil(sum(1 for post in dataset.posts(org) if post["createdAt"] >= window_start) / 50)
        for org in orgs
    )
    measured = sum(1 for org in orgs for post in dataset.posts(org) if post["createdAt"] >= window_start)
    brands = len([b for b in dataset.brands if dataset.organization(b.parent_id)])
    now = time.time() * 1000  # the notifications of the last 60 days, a day a request, 100 a page
    days = [
        (now - (60 - d) * 86_400_000 + 60_000, min(now, now - (59 - d) * 86_400_000 + 60_000))
        for d in range(60)
    ]
    notifications = sum(
        len(dataset.notifications(org, until, since)) // 100 + 1 for org in orgs for since, until in days
    )
    accounts = [a for a in dataset.ad_accounts if not a.test]
    page_followers = sum(
        max(1, math.ceil(len(dataset.page_followers(org, edge)) / 1000))
        for org in orgs
        for edge in ("MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE", "ORGANIZATIONAL_PAGE_FOLLOWS_ORGANIZATIONAL_PAGE")
    )
    followed = sum(max(1, math.ceil(len(dataset.followed_pages(org)) / 1000)) for org in orgs)
    every_post = [(org, post) for org in orgs for post in dataset.posts(org)]
    batches = n * math.ceil(dataset.posts_per_org / 50)
    videos = sum(1 for _, post in every_post if dataset.is_video(post))
    lifetime = {
        "organizationalEntityFollowerStatistics lifetime": n,
        "organizationPageStatistics lifetime": n,
    }
    # The bench's config names no organization: they are discovered, once per sync (and again with the DMA app).
    discovery = {"organizationAcls": math.ceil(n / 100)}
    dma_discovery = {"dmaOrganizationAcls": math.ceil(n / 100)}
    return discovery_and(
        {
            "organization_lookup": {"organizations": math.ceil(n / 100)},
            "total_follower_count": {"networkSizes": n},
            "follower_statistics": {"organizationalEntityFollowerStatistics lifetime": n},
            "follower_demographics": {"organizationalEntityFollowerStatistics lifetime": n},
            "visitor_demographics": {"organizationPageStatistics lifetime": n},
            "facet_names": {**lifetime, **facet_name_requests(dataset)},
            "post_social_metadata": {"posts": listing, "socialMetadata": batches},
            "post_comments": {
                "posts": listing,
                "socialMetadata": batches,
                "socialActions": comment_requests(dataset, every_post),
            },
            "video_analytics": {"posts": listing, "videoAnalytics": 4 * videos},
            "follower_statistics_time_bound": {"organizationalEntityFollowerStatistics": n},
            # Share statistics: each organization's and each showcase page's (the showcase listing, one per org).
            "share_statistics": {"organizations": n, "organizationalEntityShareStatistics": n + brands},
            "share_statistics_time_bound": {
                "organizations": n,
                "organizationalEntityShareStatistics": n + brands,
            },
            "showcase_pages": {"organizations": n},
            "showcase_page_statistics": {"organizations": n, "brandPageStatistics": brands},
            "showcase_page_statistics_time_bound": {"organizations": n, "brandPageStatistics": brands},
            "page_notifications": {"organizationalEntityNotifications": notifications},
            "post_daily_statistics": {"posts": listing, "dmaOrganizationalPageContentAnalytics": measured},
            "page_daily_content_statistics": {
                "dmaOrganizationalPageProfiles": n,
                "dmaOrganizationalPageContentAnalytics": n,
            },
            "page_statistics": {"organizationPageStatistics lifetime": n},
            "page_statistics_time_bound": {"organizationPageStatistics": n},
            "posts": {"posts": listing},
            "post_statistics": {"posts": listing, "organizationalEntityShareStatistics": statistics},
            "company_intelligence": {
                "adAccounts": 1,
                "accountIntelligence": len(accounts) * (dataset.companies_per_account // 500 + 1),
            },
            "dma_page_followers": {
                "dmaOrganizationalPageProfiles": n,
                "dmaOrganizationalPageFollows": page_followers,
            },
            "dma_followed_pages": {
                "dmaOrganizationalPageProfiles": n,
                "dmaOrganizationalPageFollows": followed,
            },
        }[stream],
        dma_discovery
        if stream.startswith("dma_") or stream == "page_daily_content_statistics"
        else {}
        if stream == "company_intelligence"
        else discovery,
    )


def comment_requests(dataset: Dataset, posts: list, page_cap: int = 50) -> int:
    """The fewest comment requests when comments carry no count of their replies (as LinkedIn documents them): the
    pages of each commented post's comments (LinkedIn caps a page below the 100 asked: the emulator at 50), then,
    where the post's socialMetadata counts replies, each comment's replies in the order listed until as many."""
    total = 0
    for org, post in posts:
        comments = dataset.comments(org, post["id"])
        top = sorted((c for c in comments if "parentComment" not in c), key=lambda c: -c["created"]["time"])
        total += math.ceil(len(top) / page_cap)
        left = len(comments) - len(top)
        for candidate in top:
            if left <= 0:
                break
            replies = sum(1 for c in comments if c.get("parentComment") == candidate["commentUrn"])
            total, left = total + max(1, math.ceil(replies / page_cap)), left - replies
    return total


def facet_name_requests(dataset: Dataset) -> dict[str, int]:
    """By each resource's documented method: geo and the industry taxonomy by BATCH_GET of 50 ids, seniorities and
    functions by one GET_ALL each (where a value occurs); staff-count ranges need none."""
    batch = {"geo": "geo", "industry": "industryTaxonomyVersions"}
    whole = {"seniority": "seniorities", "function": "functions"}
    found: dict[str, set] = {}
    for org in dataset.organizations:
        for lifetime in (dataset.follower_facets(org), dataset.page_lifetime(org)):
            for rows in lifetime.values():
                for row in rows if isinstance(rows, list) else []:
                    value = next(iter(row.values()))
                    if value.startswith("urn:li:"):
                        found.setdefault(value.split(":")[2], set()).add(value)
    return {**{batch[k]: math.ceil(len(v) / 50) for k, v in found.items() if k in batch},
            **{whole[k]: 1 for k in found if k in whole}}  # fmt: skip


def recent_posts(dataset: Dataset, days: int = 30) -> list:
    """The posts an incremental post_comments sync reads again: modified within ``days`` of now."""
    since = (time.time() - days * 86_400) * 1000
    return [
        (org, p) for org in dataset.organizations for p in dataset.posts(org) if p["lastModifiedAt"] > since
    ]


def quota_backfill(dataset: Dataset, calls_per_day: int, tmp: Path) -> None:
    """post_comments alone: one sync without a quota, then one sync a day under LinkedIn's daily quota on the
    Comments API (``calls_per_day``, 429 past it), each from the last one's state, until one succeeds."""
    catalog = {"streams": [{"stream": {"name": "post_comments", "json_schema": {}, "supported_sync_modes": [
        "full_refresh", "incremental"]}, "sync_mode": "incremental", "destination_sync_mode": "append"}]}  # fmt: skip

    def delivered() -> set:
        with open(tmp / "output.jsonl") as output:
            return {json.loads(line)["record"]["data"]["comment"] for line in output if '"RECORD"' in line}

    with Emulator(dataset) as emulator:
        unlimited = sync(emulator.connector_config(dma_app=True), catalog, tmp)
        needed, every = emulator.stats["GET socialActions"], delivered()
    print(f"\ncomment backfill under a daily quota of {calls_per_day} Comments API calls\n"
          f"  without a quota: 1 sync, {needed:,} calls, {len(every):,} comments, {unlimited['wall']:.1f} s\n"
          f"  {'day':>5}{'calls':>8}{'new comments':>14}{'delivered':>11}{'rc':>4}")  # fmt: skip
    seen, state, calls = set(), None, 0
    with Emulator(dataset) as emulator:
        for day in range(1, 100):
            emulator.update_settings(today=f"2027-01-{day:02d}" if day < 32 else f"2027-02-{day - 31:02d}",
                                     daily_quota={"socialActions": calls_per_day})  # fmt: skip
            result = sync(emulator.connector_config(dma_app=True), catalog, tmp, state)
            spent = emulator.quota.calls.get((emulator.today(), "socialActions"), 0)
            new = delivered() - seen
            seen, state, calls = seen | new, result["state"] or state, calls + spent
            print(f"  {day:>5}{spent:>8,}{len(new):>14,}{len(seen):>11,}{result['rc']:>4}", flush=True)
            if result["rc"] == 0:
                break
    print(
        f"  {day} days (ceil(calls / quota) = {math.ceil(needed / calls_per_day)}), {calls:,} calls "
        f"({100 * (calls - needed) / needed:+.1f} % against one sync without a quota), "
        f"{'every comment delivered' if seen == every else f'{len(every - seen):,} comments MISSING'}"
    )


def discovery_and(requests: dict[str, int], discovery: dict[str, int]) -> Counter:
    return Counter({**requests, **discovery})


# Read once per sync whichever streams need them: the posts listing, each organization's page, the discoveries.
SHARED_ENDPOINTS = (
    "posts",
    "socialMetadata",
    "organizationalEntityFollowerStatistics lifetime",
    "organizationPageStatistics lifetime",
    "dmaOrganizationalPageProfiles",
    "adAccounts",
    "organizationAcls",
    "dmaOrganizationAcls",
)


def minimum_together(dataset: Dataset, streams: list[str]) -> Counter:
    total: Counter = Counter()
    for stream in streams:
        for endpoint, n in minimum_requests(dataset, stream).items():
            total[endpoint] = max(total[endpoint], n) if endpoint in SHARED_ENDPOINTS else total[endpoint] + n
    return lifetime_merged(total)


def lifetime_merged(requests: Counter) -> Counter:
    """A lifetime and a time-bound statistics request go to one endpoint: counted together, as the emulator does."""
    merged: Counter = Counter()
    for endpoint, n in requests.items():
        merged[endpoint.removesuffix(" lifetime")] += n
    return merged


def endpoint_requests(seen: Counter) -> Counter:
    return Counter({key.removeprefix("GET "): n for key, n in seen.items() if key.startswith("GET ")})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--organizations", type=int, default=3, choices=range(1, len(DEFAULT_ORGANIZATIONS) + 1)
    )
    parser.add_argument("--posts-per-org", type=int, default=5000)
    parser.add_argument("--followers-per-org", type=int, default=5000, help="DMA member followers")
    parser.add_argument("--companies-per-account", type=int, default=5000)
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="added by the emulator to every response"
    )
    parser.add_argument("--dma-interval", type=float, default=2.0, help="seconds between DMA requests")
    parser.add_argument("--streams", help="comma-separated; default: every stream")
    parser.add_argument("--skip-all-together", action="store_true", help="skip the final all-streams syncs")
    parser.add_argument("--quota-backfill", type=int, metavar="CALLS_PER_DAY",
                        help="only the post_comments backfill under a daily quota of this many Comments API calls")  # fmt: skip
    args = parser.parse_args(argv)

    dataset = Dataset(
        posts_per_org=args.posts_per_org,
        member_followers_per_org=args.followers_per_org,
        companies_per_account=args.companies_per_account,
        organizations=DEFAULT_ORGANIZATIONS[: args.organizations],
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {platform.platform()}"
    )
    print(f"scale: {args.organizations} organization(s), {args.posts_per_org:,} posts and {args.followers_per_org:,} DMA "
          f"followers each; {args.companies_per_account:,} companies per ad account; latency {args.latency_ms:g} ms; "
          f"DMA interval {args.dma_interval:g} s")  # fmt: skip
    if args.quota_backfill:
        with tempfile.TemporaryDirectory() as tmp:
            quota_backfill(dataset, args.quota_backfill, Path(tmp))
        return
    with Emulator(dataset) as emulator, tempfile.TemporaryDirectory() as tmp:
        emulator.update_settings(latency_ms=args.latency_ms, dma_interval_seconds=args.dma_interval)
        config = emulator.connector_config(dma_app=True, dma_min_request_interval_seconds=args.dma_interval)
        discovered = subprocess.run([str(CONNECTOR), "discover", "--config", _write(Path(tmp), config)],
                                    capture_output=True, text=True, check=True).stdout  # fmt: skip
        catalog_streams = next(json.loads(line) for line in discovered.splitlines() if '"CATALOG"' in line)[
            "catalog"
        ]["streams"]
        wanted = args.streams.split(",") if args.streams else [s["name"] for s in catalog_streams]

        def catalog_of(names: list[str], incremental: bool = False) -> dict:
            return {"streams": [{"stream": s, "destination_sync_mode": "append",
                                 "sync_mode": "incremental" if incremental and "incremental" in s["supported_sync_modes"] else "full_refresh"}
                                for s in catalog_streams if s["name"] in names]}  # fmt: skip

        print(f"\neach stream alone, full refresh\n{'stream':<32}{'requests':>10}{'minimum':>9}{'records':>10}"
              f"{'wall s':>9}{'rec/s':>10}{'peak RSS MB':>13}")  # fmt: skip
        rows = {}
        for name in wanted:
            before = Counter(emulator.stats)
            result = sync(config, catalog_of([name]), Path(tmp))
            seen = Counter(emulator.stats) - before
            requests_made, count = seen["requests"], result["records"].get(name, 0)
            rows[name] = (requests_made, count, result, seen)
            flag = "" if result["rc"] == 0 and not result["errors"] else f"  FAILED: {result['errors'][:1]}"
            minimum = sum(minimum_requests(dataset, name).values())
            print(
                f"{name:<32}{requests_made:>10,}{minimum:>9,}{count:>10,}{result['wall']:>9.1f}{count / result['wall']:>10,.0f}{result['rss_mb']:>13.0f}{flag}",
                flush=True,
            )

        if not args.skip_all_together:
            before = Counter(emulator.stats)
            together = sync(config, catalog_of(wanted, incremental=True), Path(tmp))
            sent = endpoint_requests(Counter(emulator.stats) - before)
            minimum = minimum_together(dataset, wanted)
            total = sum(together["records"].values())
            flag = (
                ""
                if together["rc"] == 0 and not together["errors"]
                else f"  FAILED: {together['errors'][:1]}"
            )
            print(f"{'ALL STREAMS TOGETHER (1st sync)':<32}{sum(sent.values()):>10,}{sum(minimum.values()):>9,}{total:>10,}"
                  f"{together['wall']:>9.1f}{total / together['wall']:>10,.0f}{together['rss_mb']:>13.0f}{flag}")  # fmt: skip
            print(
                f"\nrequests per endpoint, all streams together\n{'endpoint':<42}{'requests':>10}{'minimum':>9}"
            )
            for endpoint in sorted(set(sent) | set(minimum)):
                print(f"{endpoint:<42}{sent[endpoint]:>10,}{minimum[endpoint]:>9,}")

            # The next day's sync from that state: each time-bound stream re-reads the lookback window (one
            # request per organization); posts reads its first page; nothing else is asked again.
            incremental = [s["name"] for s in catalog_streams
                           if "incremental" in s["supported_sync_modes"] and s["name"] in wanted]  # fmt: skip
            before = Counter(emulator.stats)
            steady = sync(
                config, catalog_of(incremental, incremental=True), Path(tmp), state=together["state"]
            )
            sent = endpoint_requests(Counter(emulator.stats) - before)
            n = args.organizations
            print(f"\nsteady-state daily sync (incremental streams, from the 1st sync's state)\n"
                  f"{'endpoint':<42}{'requests':>10}{'minimum':>9}")  # fmt: skip
            steady_minimum = Counter({"organizationAcls": math.ceil(n / 100)})
            for name in incremental:
                if name == "post_comments":  # every post listed with its counts; the recent ones' comments
                    listing = n * (dataset.posts_per_org // 100 + 1)
                    steady_minimum["posts"] = max(steady_minimum["posts"], listing)
                    steady_minimum.update({"socialMetadata": n * math.ceil(dataset.posts_per_org / 50),
                                           "socialActions": comment_requests(dataset, recent_posts(dataset))})  # fmt: skip
                    continue
                steady_minimum.update(
                    {
                        endpoint.removesuffix(" lifetime"): n
                        for endpoint in minimum_requests(dataset, name)
                        if endpoint != "organizationAcls"
                    }
                )
            for endpoint in sorted(set(sent) | set(steady_minimum)):
                print(f"{endpoint:<42}{sent[endpoint]:>10,}{steady_minimum[endpoint]:>9,}")
            flag = "" if steady["rc"] == 0 and not steady["errors"] else f"  FAILED: {steady['errors'][:1]}"
            print(f"  {sum(steady['records'].values()):,} records in {steady['wall']:.1f} s{flag}")

        print("\ntargets")
        if "post_statistics" in rows:
            seen = rows["post_statistics"][3]
            stats_requests = seen["GET organizationalEntityShareStatistics"]
            print(f"  post statistics: {stats_requests} statistics requests ({seen['tunneled']} tunneled) and "
                  f"{seen['GET posts']} listing requests for {args.organizations} x {args.posts_per_org:,} posts, "
                  f"{rows['post_statistics'][2]['wall']:.1f} s (target <= ceil(posts / 50) = "
                  f"{math.ceil(args.posts_per_org / 50)} statistics requests per organization)")  # fmt: skip
        peak = max(r[2]["rss_mb"] for r in rows.values())
        print(f"  peak RSS: {peak:.0f} MB (target <= 200 MB with 50,000 posts)")
        for name in ("dma_page_followers",):
            if name in rows:
                requests_made, count, result, seen = rows[name]
                floor = math.ceil(count / 1000) * args.dma_interval
                dma_requests = seen["GET dmaOrganizationalPageFollows"]
                spaced = (dma_requests - 1) * args.dma_interval  # n requests, one interval apart
                print(f"  DMA: {count:,} follows in {result['wall']:.1f} s with {dma_requests} requests; "
                      f"ceil(N/1000) x interval = {floor:.1f} s ({100 * (result['wall'] - floor) / floor:+.1f} %, target "
                      f"within 5 %); (requests - 1) x interval = {spaced:.1f} s "
                      f"({100 * (result['wall'] - spaced) / spaced if spaced else 0:+.1f} %); "
                      f"429s: {seen['dma rate limited']}")  # fmt: skip


def _write(workdir: Path, config: dict) -> str:
    path = workdir / "discover-config.json"
    path.write_text(json.dumps(config))
    return str(path)


if __name__ == "__main__":
    main()
