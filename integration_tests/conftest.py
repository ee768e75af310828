"""End-to-end fixtures: the emulator on loopback."""

from collections.abc import Iterator

import pytest

from linkedin_emulator import Dataset, Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    # Small enough to be quick, large enough to page (posts > 100, DMA followers > 1000, companies > 500).
    with Emulator(
        # Comments on a tenth of the posts: each is a request of its own, in every test that reads them all.
        Dataset(
            posts_per_org=120, member_followers_per_org=1200, companies_per_account=700, commented_share=0.1
        )
    ) as running:
        running.update_settings(dma_interval_seconds=0.2)
        yield running


# The longest tests first: pytest-xdist hands tests out in collection order, so a long test collected last
# would run alone at the end while the other workers idle (the Builder server's: a minute and more).
LONGEST_FIRST = (
    "test_the_builder_server",
    "test_runtimes.py",
    "test_packaging.py",
    "test_end_to_end.py",
    "test_reliability.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        return next((i for i, name in enumerate(LONGEST_FIRST) if name in item.nodeid), len(LONGEST_FIRST))

    items.sort(key=rank)
