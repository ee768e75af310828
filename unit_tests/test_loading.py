"""components.py loaded again in one process, as a long-lived server (the Connector Builder's) loads it for
each request: each load starts empty and adds nothing that outlives it."""

import hashlib
import logging
import threading
import time
from pathlib import Path

import requests_mock

from unit_tests.helpers import (
    DMA_FOLLOWS,
    DMA_PAGE_PROFILES,
    NETWORK_SIZES,
    TOKEN_URL,
    oauth_config,
    page_profiles,
    run_read,
)

COMPONENTS = Path(__file__).parent.parent / "components.py"


def test_loading_components_twice_in_one_process_adds_nothing_twice(monkeypatch):
    monkeypatch.setenv("AIRBYTE_ENABLE_UNSAFE_CODE", "true")
    handlers = (list(logging.getLogger().handlers), list(logging.getLogger("airbyte").handlers))
    threads = threading.active_count()
    config = {
        **oauth_config(dma_min_request_interval_seconds=0.1),
        # How the Builder and the manifest-only runtime hand components.py over: its text, loaded afresh.
        "__injected_components_py": COMPONENTS.read_text(),
        "__injected_components_py_checksums": {"md5": hashlib.md5(COMPONENTS.read_bytes()).hexdigest()},
    }
    token_requests = []
    for _ in range(2):
        with requests_mock.Mocker() as mock:
            mock.post(TOKEN_URL, json={"access_token": "t", "expires_in": 5183999})
            mock.get(NETWORK_SIZES, json={"firstDegreeSize": 1})
            mock.get(DMA_PAGE_PROFILES, json=page_profiles())
            mock.get(DMA_FOLLOWS, json={"elements": [], "metadata": {}})
            output = run_read(config, ["total_follower_count", "dma_followed_pages"])
        assert output.errors == [] and len(output.records) == 1
        token_requests.append(len([r for r in mock.request_history if r.url == TOKEN_URL]))
        assert (list(logging.getLogger().handlers), list(logging.getLogger("airbyte").handlers)) == handlers
        for _ in range(200):  # the read's worker threads end just after it; an endless one never does
            if threading.active_count() <= threads:
                break
            time.sleep(0.05)
        assert threading.active_count() <= threads, "no thread left behind (the request spacing starts none)"
    assert token_requests == [1, 1], "each load refreshes once: no token outlives the load that got it"


def test_components_py_stays_within_its_budget():
    """Every runtime injects components.py whole: at most 650 lines as ruff formats it (`scripts/test` checks the
    format), no line over 110 characters, and no layout of its own (``fmt: skip``)."""
    lines = COMPONENTS.read_text().splitlines()
    assert len(lines) <= 650, f"components.py has {len(lines)} lines: delete machinery, never whitespace"
    assert [n for n, line in enumerate(lines, 1) if len(line) > 110] == [], "lines over 110 characters"
    assert not [line for line in lines if "fmt:" in line], "the formatter decides the layout"
