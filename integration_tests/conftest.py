"""End-to-end fixtures: the emulator on loopback."""

from collections.abc import Iterator

import pytest

from linkedin_emulator import Dataset, Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    # Small enough to be quick, large enough to page (posts > 100, DMA followers > 1000, companies > 500).
    with Emulator(
        Dataset(posts_per_org=120, member_followers_per_org=1200, companies_per_account=700)
    ) as running:
        running.update_settings(dma_interval_seconds=0.2)
        yield running
