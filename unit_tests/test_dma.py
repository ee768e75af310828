"""DMA page follows: cursor pagination, both edge types, spacing of requests, progress, the 403 message."""

import re
import time

import requests_mock

from unit_tests.helpers import (
    DMA_FOLLOWS,
    NETWORK_SIZES,
    access_token_config,
    assert_config_error,
    linkedin_error,
    read_failing_with,
    run_read,
)

PAGE = "urn:li:organizationalPage:2414183"


def follows(prefix, count, followee=PAGE, edge="MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE"):
    return [
        {
            "follower": f"urn:li:person:{prefix}{i}",
            "followee": followee,
            "edgeType": edge,
            "lastModifiedAt": 1701259792468 - i,
        }
        for i in range(count)
    ]


def config(**overrides):
    return access_token_config(dma_min_request_interval_seconds=0, **overrides)


def test_followers_are_paged_by_cursor_for_both_edge_types_until_the_cursor_is_absent():
    members = follows("m", 2500)
    pages = follows("p", 3, edge="ORGANIZATIONAL_PAGE_FOLLOWS_ORGANIZATIONAL_PAGE")

    def answer(request, context):
        edge = re.search(r"edgeType=(\w+)", request.url).group(1)
        data = members if edge == "MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE" else pages
        cursor = re.search(r"paginationCursor=(\w+)", request.url)
        offset = int(cursor.group(1).removeprefix("c")) if cursor else 0
        metadata = {"nextPaginationCursor": f"c{offset + 1000}"} if offset + 1000 < len(data) else {}
        return {
            "elements": data[offset : offset + 1000],
            "metadata": metadata,
            "paging": {"start": 0, "count": 10},
        }

    with requests_mock.Mocker() as mock:
        mock.get(DMA_FOLLOWS, json=answer)
        output = run_read(config(), ["dma_page_followers"])
    queries = sorted(r.url.split("?", 1)[1] for r in mock.request_history)
    base = "q=followee&followee=urn%3Ali%3AorganizationalPage%3A2414183&edgeType="
    assert queries == sorted([
        f"{base}MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE&maxPaginationCount=1000",
        f"{base}MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE&maxPaginationCount=1000&paginationCursor=c1000",
        f"{base}MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE&maxPaginationCount=1000&paginationCursor=c2000",
        f"{base}ORGANIZATIONAL_PAGE_FOLLOWS_ORGANIZATIONAL_PAGE&maxPaginationCount=1000",
    ])  # fmt: skip
    followers = [r.record.data["follower"] for r in output.records]
    assert sorted(followers) == sorted(f["follower"] for f in members + pages)
    progress = [line.log.message for line in output.logs if "DMA follows" in line.log.message]
    assert any("1000 on this page, 2000 so far; next page request at" in m for m in progress)
    assert any("done, 2500 read" in m for m in progress)


def test_an_empty_page_ends_pagination_even_with_a_cursor():
    with requests_mock.Mocker() as mock:
        mock.get(DMA_FOLLOWS, json={"elements": [], "metadata": {"nextPaginationCursor": "more"}})
        output = run_read(config(), ["dma_followed_pages"])
    assert len(mock.request_history) == 1 and output.records == []
    assert (
        mock.request_history[0].url.split("?", 1)[1]
        == "q=follower&follower=urn%3Ali%3AorganizationalPage%3A2414183&maxPaginationCount=1000"
    )


def test_obfuscated_members_are_kept_as_distinct_followers():
    obfuscated = [
        {
            "follower": f"urn:li:person:{token}",
            "followee": PAGE,
            "edgeType": "MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE",
        }
        for token in ("WIOb", "szIhq", "x9Z")
    ]
    with requests_mock.Mocker() as mock:
        mock.get(DMA_FOLLOWS, json={"elements": obfuscated, "metadata": {}})
        output = run_read(config(), ["dma_page_followers"])
    assert sorted(
        r.record.data["follower"]
        for r in output.records
        if r.record.data["edgeType"] == "MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE"
    ) == [
        "urn:li:person:WIOb",
        "urn:li:person:WIOb",
        "urn:li:person:szIhq",
        "urn:li:person:szIhq",
        "urn:li:person:x9Z",
        "urn:li:person:x9Z",
    ]  # fmt: skip  (the mock answers both edge types with the same page)


def test_requests_are_spaced_by_the_configured_interval_and_other_streams_do_not_wait():
    sent = []

    def answer(request, context):
        sent.append(time.monotonic())
        organization = re.search(r"Page%3A(\d+)", request.url).group(1)
        return {
            "elements": follows("m", 2, followee=f"urn:li:organizationalPage:{organization}"),
            "metadata": {},
        }

    looked_up = []

    def follower_count(request, context):
        looked_up.append(time.monotonic())
        return {"firstDegreeSize": 1}

    with requests_mock.Mocker() as mock:
        mock.get(DMA_FOLLOWS, json=answer)
        mock.get(NETWORK_SIZES, json=follower_count)
        started = time.monotonic()
        output = run_read(
            access_token_config(organization_ids=["1", "2"], dma_min_request_interval_seconds=0.4),
            ["dma_page_followers", "total_follower_count"],
        )
    gaps = [b - a for a, b in zip(sorted(sent), sorted(sent)[1:], strict=False)]
    assert len(sent) == 4 and min(gaps) >= 0.4
    assert len(looked_up) == 2
    assert max(looked_up) < sorted(sent)[-1], "follower counts are not queued behind the spaced DMA requests"
    assert len(output.records) == 2 + 4 * 2
    assert time.monotonic() - started >= 1.2


def test_missing_dma_scope_is_a_config_error_naming_scope_and_role():
    error, _ = read_failing_with(
        DMA_FOLLOWS,
        403,
        linkedin_error(
            403,
            "Not enough permissions to access: dmaOrganizationalPageFollows.FINDER-followee.20261001",
            "ACCESS_DENIED",
        ),
        ["dma_followed_pages"],
        config(),
    )
    assert_config_error(error, "organization 2414183", "r_dma_admin_pages_content", "ADMINISTRATOR")
