"""BoundedOffsetIncrement: LinkedIn's start/count paging that never asks past a finder's row cap."""

import requests
from source_linkedin_org.components import BoundedOffsetIncrement


def next_start(strategy, last_start, records_read):
    """The start the strategy asks for after a page of ``records_read`` asked at ``last_start``."""
    response = requests.Response()
    response._content, response.status_code = b'{"elements": []}', 200
    return strategy.next_page_token(response, records_read, None, last_start)


def test_the_next_start_is_the_start_asked_for_plus_the_page_read():
    strategy = BoundedOffsetIncrement(config={}, page_size=500, parameters={}, max_records=100_000)
    assert next_start(strategy, None, 500) == 500
    assert next_start(strategy, 500, 500) == 1000
    assert next_start(strategy, 1000, 499) is None, "a short page is the last"
    assert next_start(strategy, 1000, 0) is None


def test_never_asks_for_a_row_at_or_past_the_cap():
    strategy = BoundedOffsetIncrement(config={}, page_size=500, parameters={}, max_records=100_000)
    assert next_start(strategy, 99_000, 500) == 99_500
    assert next_start(strategy, 99_500, 500) is None


def test_without_a_cap_it_is_offset_increment():
    strategy = BoundedOffsetIncrement(config={}, page_size=100, parameters={})
    assert next_start(strategy, 10**9, 100) == 10**9 + 100
