"""Sync LinkedIn (or the bundled emulator) into DuckDB with PyAirbyte, then print a marketer's summary.

The connector runs as a subprocess (``local_executable``), exactly as a user's orchestrator would run it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".demo"
os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")  # no registry lookup: the connector is local
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("AIRBYTE_LOGGING_ROOT", str(WORK / "logs"))

import airbyte as ab  # noqa: E402 - PyAirbyte reads the environment above when imported
import duckdb  # noqa: E402

from demo.analyses import ANALYSES  # noqa: E402
from linkedin_emulator import Dataset, Emulator  # noqa: E402

CONNECTOR = Path(sys.executable).parent / "source-linkedin-org"


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
    args.database.unlink(missing_ok=True)  # a demo starts from an empty database

    # The emulator's DMA limit is one request per second here, not LinkedIn's 60 s, so the demo runs in minutes.
    emulator = None if args.config else Emulator(Dataset()).start()
    with emulator or nullcontext():
        if emulator:
            emulator.update_settings(dma_interval_seconds=1.0)
            config = emulator.connector_config(dma_min_request_interval_seconds=1.0)
            print(f"==> LinkedIn emulator listening on {emulator.url} (3 organizations, 2 ad accounts)")
        else:
            config = json.loads(args.config.read_text())
            print(f"==> Reading LinkedIn with {args.config}")

        source = ab.get_source("source-linkedin-org", config=config, local_executable=str(CONNECTOR))
        source.check()
        source.select_all_streams()
        cache = ab.caches.DuckDBCache(db_path=str(args.database), schema_name="main")

        for label in ("Full sync of every stream", "Incremental sync (re-reads the lookback window only)"):
            print(f"\n==> {label}", flush=True)
            started = time.monotonic()
            result = source.read(cache=cache)
            print(
                f"    {result.processed_records:,} records read in {time.monotonic() - started:.0f} s",
                flush=True,
            )

    print(f"\n==> Summary, from {args.database.name}")
    cache.get_sql_engine().dispose()  # PyAirbyte's own connection: closed, so DuckDB opens the file afresh
    with duckdb.connect(str(args.database), read_only=True) as db:
        rows = db.sql(
            "SELECT table_name, estimated_size FROM duckdb_tables() WHERE NOT starts_with(table_name, '_airbyte') ORDER BY 1"
        ).fetchall()
        print("\nRows per table: " + ", ".join(f"{name} {count:,}" for name, count in rows))
        for title, sql in ANALYSES:
            print(f"\n{title}")
            db.sql(sql).show(max_width=160)


if __name__ == "__main__":
    main()
