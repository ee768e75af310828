"""The files ``acceptance-test-config.yml`` names, and how they are made: the emulator's deterministic dataset,
read by the connector at a fixed clock.

``python -m integration_tests.acceptance`` rewrites ``expected_records.jsonl`` after a deliberate change of the
dataset or of the records; ``test_acceptance_files.py`` checks the file against a fresh read and against the
emulator's ground truth, so a regenerated file that is wrong does not pass.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read
from freezegun import freeze_time

from linkedin_emulator import Dataset, Emulator
from source_linkedin_org import SourceLinkedinOrg

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ACCEPTANCE_CONFIG = yaml.safe_load((ROOT / "acceptance-test-config.yml").read_text())["acceptance_tests"]
EXPECTED_RECORDS = ROOT / ACCEPTANCE_CONFIG["basic_read"]["tests"][0]["expect_records"]["path"]
ABNORMAL_STATE = ROOT / ACCEPTANCE_CONFIG["incremental"]["tests"][0]["future_state"]["future_state_path"]
INCREMENTAL_CATALOG = ROOT / ACCEPTANCE_CONFIG["incremental"]["tests"][0]["configured_catalog_path"]
# What stands in for secrets/config.json (LinkedIn itself) when the acceptance files are checked offline.
EMULATOR_CONFIG = HERE / "valid_config.json"
# The dataset's anchor day: posts, follows and companies are fixed; statistics are a function of the day.
FIXED_CLOCK = "2026-11-01T12:00:00Z"
EMITTED_AT = 1_792_000_000_000


def acceptance_dataset() -> Dataset:
    """Small enough for a readable expected_records.jsonl; more than one page of posts."""
    return Dataset(posts_per_org=105, member_followers_per_org=30, page_followers_per_org=3,
                   followed_pages_per_org=4, companies_per_account=12)  # fmt: skip


def emulator_config(emulator: Emulator) -> dict[str, Any]:
    """The acceptance config, pointed at ``emulator``."""
    config = json.loads(EMULATOR_CONFIG.read_text())
    return {**config, "api_base_url": emulator.url, "oauth_base_url": emulator.url}


@contextmanager
def emulator_at_the_fixed_clock() -> Iterator[Emulator]:
    with freeze_time(FIXED_CLOCK, tick=True), Emulator(acceptance_dataset()) as emulator:
        emulator.update_settings(dma_interval_seconds=0.05)
        yield emulator


def read_streams(
    config: dict[str, Any], streams: list[str], mode: SyncMode, state: list | None = None
) -> EntrypointOutput:
    builder = CatalogBuilder()
    for name in streams:
        builder = builder.with_stream(name, mode)
    catalog = builder.build()
    source = SourceLinkedinOrg(config=config, catalog=catalog, state=state)
    return read(source, config, catalog, state)


def every_stream(config: dict[str, Any]) -> list[str]:
    return [stream.name for stream in SourceLinkedinOrg(config=config).streams(config)]


def records_of(output: EntrypointOutput) -> list[dict[str, Any]]:
    """Records as ``expected_records.jsonl`` holds them, in a stable order."""
    lines = [
        {"stream": r.record.stream, "data": r.record.data, "emitted_at": EMITTED_AT} for r in output.records
    ]
    return sorted(lines, key=lambda line: json.dumps(line, sort_keys=True))


def main() -> None:
    with emulator_at_the_fixed_clock() as emulator:
        config = emulator_config(emulator)
        output = read_streams(config, every_stream(config), SyncMode.full_refresh)
    assert not output.errors, output.errors
    EXPECTED_RECORDS.write_text(
        "".join(json.dumps(line, sort_keys=True) + "\n" for line in records_of(output))
    )
    print(f"{len(output.records)} records written to {EXPECTED_RECORDS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
