"""DMA page follows: each organization's page resolved once (pageEntity finder), cursor pagination, both edge
types, the spacing of follows requests, progress lines, the DMA app's own credentials, the 403 messages."""

import re
import time
from urllib.parse import parse_qs

import requests_mock

from unit_tests.helpers import (
    DMA_FOLLOWS,
    DMA_ORGANIZATION_ACLS,
    DMA_PAGE_PROFILES,
    NETWORK_SIZES,
    ORGANIZATIONS,
    TOKEN_URL,
    access_token_config,
    assert_config_error,
    linkedin_error,
    oauth_config,
    organizations_batch,
    page_id_of,
    page_profiles,
    read_failing_with,
    run_read,
)

PAGE = f"urn:li:organizationalPage:{page_id_of('2414183')}"
PAGE_ENCODED = PAGE.replace(":", "%3A")


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


def follows_queries(mock):
    return [r.url.split("?", 1)[1] for r in mock.request_history if r.url.startswith(DMA_FOLLOWS)]


def test_the_page_lookup_is_the_pageentity_finder_with_the_urn_encoded_inside_the_union():
    with requests_mock.Mocker() as mock:
        mock.get(DMA_PAGE_PROFILES, json=page_profiles())
        mock.get(DMA_FOLLOWS, json={"elements": [], "metadata": {}})
        run_read(config(), ["dma_followed_pages"])
    lookups = [r.url.split("?", 1)[1] for r in mock.request_history if r.url.startswith(DMA_PAGE_PROFILES)]
    assert lookups == ["q=pageEntity&pageEntity=(organization:urn%3Ali%3Aorganization%3A2414183)"]
    assert follows_queries(mock) == [f"q=follower&follower={PAGE_ENCODED}&maxPaginationCount=1000"]


def test_followers_of_the_resolved_page_are_paged_by_cursor_for_both_edge_types_until_the_cursor_is_absent():
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
        mock.get(DMA_PAGE_PROFILES, json=page_profiles())
        mock.get(DMA_FOLLOWS, json=answer)
        output = run_read(config(), ["dma_page_followers"])
    base = f"q=followee&followee={PAGE_ENCODED}&edgeType="
    assert sorted(follows_queries(mock)) == sorted([
        f"{base}MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE&maxPaginationCount=1000",
        f"{base}MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE&maxPaginationCount=1000&paginationCursor=c1000",
        f"{base}MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE&maxPaginationCount=1000&paginationCursor=c2000",
        f"{base}ORGANIZATIONAL_PAGE_FOLLOWS_ORGANIZATIONAL_PAGE&maxPaginationCount=1000",
    ])  # fmt: skip
    assert sorted(r.record.data["follower"] for r in output.records) == sorted(
        f["follower"] for f in members + pages
    )
    assert {r.record.data["followee"] for r in output.records} == {PAGE}, (
        "the page URN, as LinkedIn returns it"
    )
    assert {r.record.data["organization"] for r in output.records} == {"urn:li:organization:2414183"}


def test_each_page_is_looked_up_once_per_sync_for_both_dma_streams():
    with requests_mock.Mocker() as mock:
        mock.get(DMA_PAGE_PROFILES, json=page_profiles())
        mock.get(DMA_FOLLOWS, json={"elements": [], "metadata": {}})
        run_read(config(organization_ids=["1", "2"]), ["dma_page_followers", "dma_followed_pages"])
    lookups = sorted(r.url for r in mock.request_history if r.url.startswith(DMA_PAGE_PROFILES))
    assert len(lookups) == 2 and "%3A1)" in lookups[0] and "%3A2)" in lookups[1]
    assert len(follows_queries(mock)) == 2 * 2 + 2, "two edge types and one followed-pages query per page"
    assert all(
        page_id_of(o) in q for o in ("1", "2") for q in follows_queries(mock) if f"%3A{page_id_of(o)}" in q
    )


def test_an_organization_without_a_page_is_a_config_error_naming_it():
    with requests_mock.Mocker() as mock:
        mock.get(DMA_PAGE_PROFILES, json=page_profiles(pageless=("2",)))
        mock.get(DMA_FOLLOWS, json={"elements": [], "metadata": {}})
        output = run_read(
            config(organization_ids=["1", "2"]), ["dma_followed_pages"], expecting_exception=True
        )
    assert_config_error(output.errors[0].trace.error, "no page for organization 2", "organization_ids")


def test_an_empty_follows_page_ends_pagination_even_with_a_cursor():
    with requests_mock.Mocker() as mock:
        mock.get(DMA_PAGE_PROFILES, json=page_profiles())
        mock.get(DMA_FOLLOWS, json={"elements": [], "metadata": {"nextPaginationCursor": "more"}})
        output = run_read(config(), ["dma_followed_pages"])
    assert len(follows_queries(mock)) == 1 and output.records == []


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
        mock.get(DMA_PAGE_PROFILES, json=page_profiles())
        mock.get(DMA_FOLLOWS, json={"elements": obfuscated, "metadata": {}})
        output = run_read(config(), ["dma_page_followers"])
    followers = sorted(r.record.data["follower"] for r in output.records)
    # The mock answers both edge types with the same page: each member twice, none merged with another.
    assert followers == sorted(2 * [f"urn:li:person:{t}" for t in ("WIOb", "szIhq", "x9Z")])


def test_follows_requests_are_spaced_page_lookups_and_other_streams_do_not_wait():
    sent, looked_up, counted = [], [], []

    def answer(request, context):
        sent.append(time.monotonic())
        page = re.search(r"Page%3A(\d+)", request.url).group(1)
        return {"elements": follows("m", 2, followee=f"urn:li:organizationalPage:{page}"), "metadata": {}}

    def lookup(request, context):
        looked_up.append(time.monotonic())
        return page_profiles()(request, context)

    def follower_count(request, context):
        counted.append(time.monotonic())
        return {"firstDegreeSize": 1}

    with requests_mock.Mocker() as mock:
        mock.get(DMA_FOLLOWS, json=answer)
        mock.get(DMA_PAGE_PROFILES, json=lookup)
        mock.get(NETWORK_SIZES, json=follower_count)
        started = time.monotonic()
        output = run_read(
            access_token_config(organization_ids=["1", "2"], dma_min_request_interval_seconds=0.4),
            ["dma_page_followers", "total_follower_count"],
        )
    gaps = [b - a for a, b in zip(sorted(sent), sorted(sent)[1:], strict=False)]
    assert len(sent) == 4 and min(gaps) >= 0.4
    assert len(looked_up) == 2 and max(looked_up) - min(looked_up) < 0.4, "page lookups are not spaced"
    assert len(counted) == 2 and max(counted) < sorted(sent)[-1], "other streams are not queued behind DMA"
    assert len(output.records) == 2 + 4 * 2
    assert time.monotonic() - started >= 1.2


def test_missing_dma_scope_is_a_config_error_naming_credentials_scope_and_role():
    error, _ = read_failing_with(
        DMA_PAGE_PROFILES,
        403,
        linkedin_error(
            403,
            "Not enough permissions to access: dmaOrganizationalPageProfiles.FINDER-pageEntity.20261001",
            "ACCESS_DENIED",
        ),
        ["dma_followed_pages"],
        config(),
    )
    assert_config_error(
        error,
        "organization 2414183",
        "dma_credentials",
        "r_dma_admin_pages_content",
        "ADMINISTRATOR",
        "app of its own",
    )


def two_apps(**overrides):
    """OAuth credentials of two LinkedIn apps: the main one and the one with the DMA product."""
    dma = {
        "auth_method": "oAuth2.0",
        "client_id": "dma-client",
        "client_secret": "dma-secret",
        "refresh_token": "dma-refresh",
    }
    return oauth_config(dma_credentials=dma, dma_min_request_interval_seconds=0, **overrides)


def token_for_client(request, context):
    return {"access_token": f"token-of-{parse_qs(request.text)['client_id'][0]}", "expires_in": 5183999}


def test_dma_requests_carry_the_dma_token_and_every_other_request_the_main_one():
    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, json=token_for_client)
        mock.get(DMA_PAGE_PROFILES, json=page_profiles())
        mock.get(DMA_FOLLOWS, json={"elements": follows("m", 2), "metadata": {}})
        mock.get(ORGANIZATIONS, json=organizations_batch())
        mock.get(NETWORK_SIZES, json={"firstDegreeSize": 1})
        output = run_read(
            two_apps(),
            ["organization_lookup", "total_follower_count", "dma_page_followers", "dma_followed_pages"],
        )
    assert output.errors == []
    refreshed = sorted(parse_qs(r.text)["client_id"][0] for r in mock.request_history if r.url == TOKEN_URL)
    assert refreshed == ["dma-client", "test-client-id"], "one refresh per credential"
    for request in mock.request_history:
        if request.url == TOKEN_URL:
            continue
        dma = request.url.startswith((DMA_FOLLOWS, DMA_PAGE_PROFILES))
        assert request.headers["Authorization"] == (
            "Bearer token-of-dma-client" if dma else "Bearer token-of-test-client-id"
        )


def test_a_401_refreshes_only_the_credential_that_was_rejected():
    issued = []

    def token(request, context):
        client = parse_qs(request.text)["client_id"][0]
        issued.append(client)
        return {"access_token": f"token-{len(issued)}-of-{client}", "expires_in": 5183999}

    def lookup(request, context):
        first_dma_token = f"Bearer token-{issued.index('dma-client') + 1}-of-dma-client"
        if request.headers["Authorization"] == first_dma_token:
            context.status_code = 401
            return linkedin_error(401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN")
        return page_profiles()(request, context)

    with requests_mock.Mocker() as mock:
        mock.post(TOKEN_URL, json=token)
        mock.get(DMA_PAGE_PROFILES, json=lookup)
        mock.get(DMA_FOLLOWS, json={"elements": [], "metadata": {}})
        mock.get(NETWORK_SIZES, json={"firstDegreeSize": 1})
        output = run_read(two_apps(), ["total_follower_count", "dma_followed_pages"])
    assert output.errors == []
    assert sorted(issued) == ["dma-client", "dma-client", "test-client-id"]


def test_without_organization_ids_the_dma_streams_discover_with_the_dma_access_control_finder():
    acl = [{"key": {"organization": f"urn:li:organization:{i}", "role": "ADMINISTRATOR", "roleAssignee": "urn:li:person:x"},
            "state": "APPROVED"} for i in (7, 8)]  # fmt: skip
    with requests_mock.Mocker() as mock:
        mock.get(DMA_ORGANIZATION_ACLS, json={"elements": acl, "paging": {"start": 0, "count": 100}})
        mock.get(DMA_PAGE_PROFILES, json=page_profiles())
        mock.get(DMA_FOLLOWS, json={"elements": [], "metadata": {}})
        output = run_read(config(organization_ids=[]), ["dma_followed_pages"])
    assert output.errors == []
    acls = [r.url.split("?", 1)[1] for r in mock.request_history if r.url.startswith(DMA_ORGANIZATION_ACLS)]
    assert acls == ["q=roleAssignee&role=(value:ADMINISTRATOR)&state=(value:APPROVED)&count=100"]
    assert sorted(follows_queries(mock)) == [
        f"q=follower&follower=urn%3Ali%3AorganizationalPage%3A{page_id_of(o)}&maxPaginationCount=1000"
        for o in ("7", "8")
    ]
