"""Benchmark: full syncs of the installed connector against the emulator, at a chosen scale and latency.

Prints, per stream (each synced alone, in its own process, so every figure is its own): HTTP requests, records,
wall seconds, records per second and the connector process's peak RSS; then one sync of all streams together.
Targets it reports against: post statistics requests <= ceil(posts / 50) per organization; peak RSS <= 200 MB
with 50,000 posts; DMA reading time within 5 % of ceil(followers / 1000) x interval.

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


def sync(config: dict, catalog: dict, workdir: Path) -> dict:
    """Run ``read`` as its own process; return records per stream, wall time and that process's peak RSS."""
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
    started = time.monotonic()
    with open(workdir / "output.jsonl", "w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL, cwd=workdir)
        _, status, usage = os.wait4(process.pid, 0)  # the rusage of this child alone
    wall = time.monotonic() - started
    records: dict[str, int] = {}
    errors = []
    with open(workdir / "output.jsonl") as output:
        for line in output:
            if line.startswith('{"type":"RECORD"'):
                name = json.loads(line)["record"]["stream"]
                records[name] = records.get(name, 0) + 1
            elif '"type":"TRACE"' in line and '"ERROR"' in line:
                errors.append(json.loads(line)["trace"]["error"]["message"])
    return {"records": records, "wall": wall, "rss_mb": usage.ru_maxrss / 1024,
            "rc": os.waitstatus_to_exitcode(status), "errors": errors}  # fmt: skip


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
    parser.add_argument("--skip-all-together", action="store_true", help="skip the final all-streams sync")
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
    with Emulator(dataset) as emulator, tempfile.TemporaryDirectory() as tmp:
        emulator.update_settings(latency_ms=args.latency_ms, dma_interval_seconds=args.dma_interval)
        config = emulator.connector_config(dma_min_request_interval_seconds=args.dma_interval)
        discovered = subprocess.run([str(CONNECTOR), "discover", "--config", _write(Path(tmp), config)],
                                    capture_output=True, text=True, check=True).stdout  # fmt: skip
        catalog_streams = next(json.loads(line) for line in discovered.splitlines() if '"CATALOG"' in line)[
            "catalog"
        ]["streams"]
        wanted = args.streams.split(",") if args.streams else [s["name"] for s in catalog_streams]

        def catalog_of(names: list[str]) -> dict:
            return {"streams": [{"stream": s, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}
                                for s in catalog_streams if s["name"] in names]}  # fmt: skip

        print(f"\n{'stream':<32}{'requests':>10}{'records':>10}{'wall s':>9}{'rec/s':>10}{'peak RSS MB':>13}")
        rows = {}
        for name in wanted:
            before = Counter(emulator.stats)
            result = sync(config, catalog_of([name]), Path(tmp))
            seen = Counter(emulator.stats) - before
            requests_made, count = seen["requests"], result["records"].get(name, 0)
            rows[name] = (requests_made, count, result, seen)
            flag = "" if result["rc"] == 0 and not result["errors"] else f"  FAILED: {result['errors'][:1]}"
            print(
                f"{name:<32}{requests_made:>10,}{count:>10,}{result['wall']:>9.1f}{count / result['wall']:>10,.0f}{result['rss_mb']:>13.0f}{flag}",
                flush=True,
            )

        if not args.skip_all_together:
            before = emulator.stats["requests"]
            together = sync(config, catalog_of(wanted), Path(tmp))
            total = sum(together["records"].values())
            print(f"{'ALL STREAMS TOGETHER':<32}{emulator.stats['requests'] - before:>10,}{total:>10,}"
                  f"{together['wall']:>9.1f}{total / together['wall']:>10,.0f}{together['rss_mb']:>13.0f}")  # fmt: skip

        print("\ntargets")
        if "post_statistics" in rows:
            seen = rows["post_statistics"][3]
            stats_requests = seen["GET organizationalEntityShareStatistics"]
            print(f"  post statistics: {stats_requests} statistics requests ({seen['tunneled']} tunneled) for "
                  f"{args.organizations} x {args.posts_per_org:,} posts, {rows['post_statistics'][2]['wall']:.1f} s "
                  f"(target <= ceil(posts / 50) = {math.ceil(args.posts_per_org / 50)} per organization)")  # fmt: skip
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
