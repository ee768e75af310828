"""Sync LinkedIn (or the bundled emulator) into DuckDB with PyAirbyte, then print a marketer's summary.

The connector runs as a subprocess (``local_executable``), exactly as a user's orchestrator would run it. The
terminal shows this demo's own lines; PyAirbyte's and the connector's logs go to .demo/logs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import warnings
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".demo"
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")  # no registry lookup: the connector is local
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("AIRBYTE_LOGGING_ROOT", str(WORK / "logs"))
# PyAirbyte's unused cloud backends warn about this Python's end of support on import: not the demo's business.
warnings.filterwarnings("ignore", category=FutureWarning)

import airbyte as ab  # noqa: E402 - PyAirbyte reads the environment above when imported
import duckdb  # noqa: E402
from airbyte.exceptions import PyAirbyteError  # noqa: E402

from demo.analyses import ANALYSES  # noqa: E402
from linkedin_emulator import Dataset, Emulator  # noqa: E402

CONNECTOR = Path(sys.executable).parent / "source-linkedin-org"
INCREMENTAL = [
    "follower_statistics_time_bound",
    "share_statistics_time_bound",
    "page_statistics_time_bound",
    "showcase_page_statistics_time_bound",
    "page_notifications",
    "post_daily_statistics",
    "page_daily_content_statistics",
    "posts",
    "post_comments",
]
SCRIPT_T0 = int(os.environ.get("SCRIPT_T0") or time.time())  # set by scripts/demo when it started


def step(message: str) -> None:
    print(f"==> [{int(time.time()) - SCRIPT_T0:3d}s] {message}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--config", type=Path, help="a connector config for LinkedIn itself; omit to use the emulator"
    )
    parser.add_argument(
        "--database", type=Path, default=ROOT / "linkedin_org.duckdb", help="the DuckDB file to write"
    )
    args = parser.parse_args(argv)
    WORK.mkdir(exist_ok=True)

    # The emulator's DMA limit is one request per second here, not LinkedIn's 60 s, so the demo runs in minutes.
    emulator = None if args.config else Emulator(Dataset()).start()
    with emulator or nullcontext():
        if emulator:
            emulator.update_settings(dma_interval_seconds=1.0)
            config = emulator.connector_config(dma_app=True, dma_min_request_interval_seconds=1.0)
            step(
                f"LinkedIn emulator listening on {emulator.url} (3 organizations, 3 showcase pages, 2 ad accounts)"
            )
        else:
            config = json.loads(args.config.read_text())
            step(f"Reading LinkedIn with {args.config}")

        source = ab.get_source("source-linkedin-org", config=config, local_executable=str(CONNECTOR))
        step("Checking the config")
        try:
            source.check()
        except PyAirbyteError as error:
            sys.exit(f"The config does not work: {one_line(error)}")  # and the last sync's database is kept
        args.database.unlink(missing_ok=True)  # a demo starts from an empty database
        cache = ab.caches.DuckDBCache(db_path=str(args.database), schema_name="main")

        step("Full sync of every stream")
        source.select_all_streams()
        started = time.monotonic()
        result = source.read(cache=cache)
        step(f"{result.processed_records:,} records in {time.monotonic() - started:.0f} s")

        step(f"Incremental sync of the {len(INCREMENTAL)} incremental streams ({', '.join(INCREMENTAL)})")
        source.select_streams(INCREMENTAL)
        started = time.monotonic()
        result = source.read(cache=cache)
        step(
            f"{result.processed_records:,} records re-read in {time.monotonic() - started:.0f} s: each stream's "
            "lookback window only (post_comments: the comments of the last 30 days' posts). The other streams are "
            "full refresh: a sync reads them whole."
        )

    cache.get_sql_engine().dispose()  # PyAirbyte's own connection: closed, so DuckDB opens the file afresh
    step(f"Summary, from {args.database.name}")
    with duckdb.connect(str(args.database), read_only=True) as db:
        rows = db.sql(
            "SELECT table_name, estimated_size FROM duckdb_tables() WHERE NOT starts_with(table_name, '_airbyte') ORDER BY 1"
        ).fetchall()
        print("\nRows per table: " + ", ".join(f"{name} {count:,}" for name, count in rows))
        for title, sql in ANALYSES:
            print(f"\n{title}")
            db.sql(sql).show(max_width=160)
    step(f"Done. The data is in {args.database}")
    print(
        f"    Open it with: .venv/bin/python -c \"import duckdb; duckdb.connect('{args.database}').sql('SHOW TABLES').show()\""
    )
    print("    or with the DuckDB CLI: duckdb " + str(args.database))


def one_line(error: PyAirbyteError) -> str:
    """The connector's own message, without PyAirbyte's wrapping and the log excerpt it appends."""
    reason = (getattr(error, "context", None) or {}).get("failure_reason")  # the CONNECTION_STATUS message
    message = reason or getattr(error, "original_exception", None) or getattr(error, "message", None) or error
    # airbyte-cdk's check quotes the stream's error after "Stream <name> is not available: ": the error is ours
    text = re.sub(r"^Stream \w+ is not available: ", "", " ".join(str(message).split()).strip("'\""))
    return text[:500]


if __name__ == "__main__":
    main()
