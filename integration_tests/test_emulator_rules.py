"""The emulator enforces LinkedIn's documented rules, so the connector cannot pass by being lax."""

import datetime as dt

import pytest
import requests

from linkedin_emulator import Dataset, Emulator
from linkedin_emulator.data import day_start_ms, many_ad_accounts
from linkedin_emulator.restli import RestliSyntaxError, RestliUnpermittedFieldError, parse_query
from unit_tests import documented_answers as documented

TODAY = dt.date(2026, 3, 10)
HEADERS = {
    "Authorization": "Bearer emulator-access-token",
    "LinkedIn-Version": "202602",
    "X-Restli-Protocol-Version": "2.0.0",
}
ORG = "urn%3Ali%3Aorganization%3A2414183"


@pytest.fixture(scope="module")
def emulator():
    with Emulator(
        Dataset(posts_per_org=30, member_followers_per_org=30, companies_per_account=30)
    ) as running:
        running.update_settings(today=TODAY.isoformat(), dma_interval_seconds=0)
        yield running


def get(emulator, path, query="", headers=HEADERS):
    return requests.get(
        f"{emulator.url}/rest/{path}" + (f"?{query}" if query else ""), headers=headers, timeout=10
    )


def window(start, end, granularity="DAY"):
    return f"timeIntervals=(timeRange:(start:{day_start_ms(start)},end:{day_start_ms(end)}),timeGranularityType:{granularity})"


def test_restli_parser_reads_tuples_lists_and_encoded_urns():
    assert parse_query(
        "a=(x:(start:1,end:2),g:DAY)&shares=List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)&q=b"
    ) == {
        "a": {"x": {"start": "1", "end": "2"}, "g": "DAY"},
        "shares": ["urn:li:share:1", "urn:li:share:2"],
        "q": "b",
    }
    # A compound URN's parentheses are its own, percent-encoded inside the list as Rest.li 2.0 asks.
    assert parse_query("ids=List(urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7%2C8%29)") == {
        "ids": ["urn:li:comment:(urn:li:activity:7,8)"]
    }


@pytest.mark.parametrize(
    "query",
    [
        "timeIntervals=%28timeRange%3A%28start%3A1%2Cend%3A2%29%29",  # structure percent-encoded by requests
        "shares=List(urn:li:share:1)",  # URN not encoded inside a list
        "a=(x:1",
    ],
)
def test_restli_parser_rejects_bad_syntax(query):
    with pytest.raises(RestliSyntaxError):
        parse_query(query)


def test_restli_1_syntax_with_the_2_header_is_an_unpermitted_field():
    with pytest.raises(RestliUnpermittedFieldError):
        parse_query("timeIntervals.timeRange.start=1")


def test_requests_without_version_protocol_or_token_are_refused(emulator):
    assert (
        get(emulator, "organizations/2414183", headers={**HEADERS, "LinkedIn-Version": "202301"}).status_code
        == 426
    )
    assert (
        get(
            emulator, "organizations/2414183", headers={**HEADERS, "X-Restli-Protocol-Version": ""}
        ).status_code
        == 400
    )
    assert (
        get(
            emulator, "organizations/2414183", headers={**HEADERS, "Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    assert get(emulator, "organizations/2414183").status_code == 200


def test_time_windows_follow_linkedins_rules(emulator):
    path = "organizationalEntityFollowerStatistics"
    base = f"q=organizationalEntity&organizationalEntity={ORG}&"
    answer = get(emulator, path, base + window(TODAY - dt.timedelta(days=10), TODAY))
    # Data until two days before today: the bucket of yesterday is not served yet.
    assert [e["timeRange"]["start"] for e in answer.json()["elements"]][-1] == day_start_ms(
        TODAY - dt.timedelta(days=2)
    )
    assert len(answer.json()["elements"]) == 9  # TODAY-10 .. TODAY-2
    short = f"timeIntervals=(timeRange:(start:{day_start_ms(TODAY) - 3_600_000},end:{day_start_ms(TODAY)}),timeGranularityType:DAY)"
    assert get(emulator, path, base + short).status_code == 400, "a window under a day is refused"
    assert get(emulator, path, base + window(dt.date(2024, 11, 1), TODAY)).status_code == 400, (
        "beyond retention"
    )
    clamped = get(emulator, path, base + window(dt.date(2025, 2, 1), dt.date(2025, 3, 20))).json()["elements"]
    assert clamped[0]["timeRange"]["start"] == day_start_ms(dt.date(2025, 3, 10)), (
        "12-14 months back is clamped"
    )
    assert (
        get(
            emulator,
            "organizationalEntityShareStatistics",
            base + window(TODAY - dt.timedelta(days=14), TODAY, "WEEK"),
        ).status_code
        == 400
    )


def test_long_query_is_414_unless_tunneled(emulator):
    urns = ",".join(f"urn%3Ali%3Ashare%3A{7 * 10**18 + i}" for i in range(120))
    query = f"q=organizationalEntity&organizationalEntity={ORG}&shares=List({urns})"
    assert get(emulator, "organizationalEntityShareStatistics", query).status_code == 414
    tunneled = requests.post(
        f"{emulator.url}/rest/organizationalEntityShareStatistics",
        data=query,
        headers={
            **HEADERS,
            "X-HTTP-Method-Override": "GET",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        timeout=10,
    )
    assert tunneled.status_code == 200


def test_page_size_limits(emulator):
    assert get(emulator, "posts", f"q=author&author={ORG}&count=101").status_code == 400
    page = "urn%3Ali%3AorganizationalPage%3A2414183"
    assert (
        get(
            emulator,
            "dmaOrganizationalPageFollows",
            f"q=followee&followee={page}&edgeType=MEMBER_FOLLOWS_ORGANIZATIONAL_PAGE&maxPaginationCount=1001",
        ).status_code
        == 400
    )


def test_dma_allows_one_request_per_interval():
    with Emulator(Dataset(posts_per_org=1, member_followers_per_org=5)) as fresh:
        fresh.update_settings(dma_interval_seconds=30)
        page = fresh.dataset.organization(2414183).page_urn.replace(":", "%3A")
        query = f"q=follower&follower={page}&maxPaginationCount=10"
        assert get(fresh, "dmaOrganizationalPageFollows", query).status_code == 200
        assert get(fresh, "dmaOrganizationalPageFollows", query).status_code == 429
        fresh.update_settings(dma_interval_seconds=0)
        assert get(fresh, "dmaOrganizationalPageFollows", query).status_code == 200


def test_token_endpoint_issues_bearer_tokens_and_refuses_bad_credentials(emulator):
    url = f"{emulator.url}/oauth/v2/accessToken"
    good = {
        "grant_type": "refresh_token",
        "client_id": "emulator-client-id",
        "client_secret": "emulator-client-secret",
        "refresh_token": "emulator-refresh-token",
    }
    token = requests.post(url, data=good, timeout=10).json()["access_token"]
    assert (
        get(
            emulator, "organizations/2414183", headers={**HEADERS, "Authorization": f"Bearer {token}"}
        ).status_code
        == 200
    )
    assert (
        requests.post(url, data={**good, "client_secret": "wrong"}, timeout=10).json()["error"]
        == "invalid_client"
    )
    assert (
        requests.post(url, data={**good, "refresh_token": "revoked"}, timeout=10).json()["error"]
        == "invalid_grant"
    )


def test_company_intelligence_caps_rows_at_100000(emulator):
    query = "q=account&account=urn%3Ali%3AsponsoredAccount%3A508774356&filterCriteria=(lookbackWindow:LAST_30_DAYS)&count=500"
    assert get(emulator, "accountIntelligence", query + "&start=99500").status_code == 200
    answer = get(emulator, "accountIntelligence", query + "&start=100000")
    assert answer.status_code == 400 and "exceeds maximum limit of 100,000" in answer.json()["message"]


def test_a_page_has_an_id_of_its_own_found_with_the_pageentity_finder(emulator):
    org = emulator.dataset.organization(2414183)
    assert org.page_urn != "urn:li:organizationalPage:2414183"
    found = get(emulator, "dmaOrganizationalPageProfiles", f"q=pageEntity&pageEntity=(organization:{ORG})")
    assert found.status_code == 200 and found.json()["elements"][0]["entityUrn"] == org.page_urn
    # The union is required, and the URN inside it stays percent-encoded.
    assert get(emulator, "dmaOrganizationalPageProfiles", f"q=pageEntity&pageEntity={ORG}").status_code == 400
    assert (
        get(
            emulator,
            "dmaOrganizationalPageProfiles",
            "q=pageEntity&pageEntity=(organization:urn:li:organization:1)",
        ).status_code
        == 400
    )
    # The organization id in a page URN names no page.
    query = "q=follower&follower=urn%3Ali%3AorganizationalPage%3A2414183&maxPaginationCount=10"
    assert get(emulator, "dmaOrganizationalPageFollows", query).status_code == 404


def test_an_organization_without_a_page_is_found_with_no_element(emulator):
    emulator.update_settings(pageless_organizations=[2414183])
    try:
        found = get(
            emulator, "dmaOrganizationalPageProfiles", f"q=pageEntity&pageEntity=(organization:{ORG})"
        )
        assert found.status_code == 200 and found.json()["elements"] == []
    finally:
        emulator.update_settings(pageless_organizations=[])


def test_the_dma_access_control_finder_lists_administered_organizations_by_key(emulator):
    answer = get(
        emulator, "dmaOrganizationAcls", "q=roleAssignee&role=(value:ADMINISTRATOR)&state=(value:APPROVED)"
    )
    assert answer.status_code == 200
    assert [e["key"]["organization"] for e in answer.json()["elements"]] == [
        o.urn for o in emulator.dataset.organizations
    ]
    assert get(emulator, "dmaOrganizationAcls", "q=roleAssignee&role=ADMINISTRATOR").status_code == 400


def test_with_separate_apps_each_product_answers_only_its_own_apps_tokens(emulator):
    dma_headers = {**HEADERS, "Authorization": "Bearer emulator-dma-access-token"}
    follows = f"q=follower&follower={emulator.dataset.organization(2414183).page_urn.replace(':', '%3A')}&maxPaginationCount=10"
    emulator.update_settings(separate_dma_app=True)
    try:
        assert get(emulator, "organizations/2414183").status_code == 200
        assert get(emulator, "organizations/2414183", headers=dma_headers).status_code == 403
        assert get(emulator, "dmaOrganizationalPageFollows", follows).status_code == 403
        assert get(emulator, "dmaOrganizationalPageFollows", follows, headers=dma_headers).status_code == 200
    finally:
        emulator.update_settings(separate_dma_app=False)
    assert get(emulator, "organizations/2414183", headers=dma_headers).status_code == 200, "one lenient app"


# --- The second reading of LinkedIn's pages (issue 20) ---


@pytest.mark.parametrize(
    ("today", "served", "refused"),
    [
        # Before the 15th, this month's version is not out; no December version exists.
        (dt.date(2026, 3, 10), ["202602", "202601", "202511", "202502"], ["202603", "202512", "202501"]),
        (dt.date(2026, 3, 20), ["202603", "202503"], ["202604", "202512", "202502"]),
        (dt.date(2027, 1, 5), ["202611", "202610"], ["202612", "202701"]),
    ],
)
def test_only_versions_linkedin_released_are_served(emulator, today, served, refused):
    emulator.update_settings(today=today.isoformat())
    try:
        for version in served + refused:
            answer = get(emulator, "organizations/2414183", headers={**HEADERS, "LinkedIn-Version": version})
            assert answer.status_code == (200 if version in served else 426), version
    finally:
        emulator.update_settings(today=TODAY.isoformat())


def consent(emulator, client_id, scopes):
    """LinkedIn's authorization screen, consented: where it sends the member back to."""
    answer = requests.get(
        f"{emulator.url}/oauth/v2/authorization",
        params={
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": "https://example.com/cb",
            "scope": " ".join(scopes),
            "state": "s",
        },  # fmt: skip
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    return answer.headers["Location"]


def test_a_consent_asking_for_a_scope_the_apps_products_do_not_grant_is_refused_whole(emulator):
    emulator.update_settings(separate_dma_app=True, separate_ads_app=True)
    try:
        main = emulator.settings.client_id
        assert "code=" in consent(emulator, main, ["rw_organization_admin", "r_organization_social"])
        refused = consent(emulator, main, ["rw_organization_admin", "r_dma_admin_pages_content"])
        assert "error=unauthorized_scope_error" in refused and "code=" not in refused
        assert "error=unauthorized_scope_error" in consent(emulator, main, ["r_ads_reporting"])
        assert "code=" in consent(emulator, emulator.settings.ads_client_id, ["r_ads", "r_ads_reporting"])
        assert "code=" in consent(emulator, emulator.settings.dma_client_id, ["r_dma_admin_pages_content"])
    finally:
        emulator.update_settings(separate_dma_app=False, separate_ads_app=False)


def test_with_a_separate_advertising_app_ads_resources_answer_only_its_tokens(emulator):
    ads_headers = {**HEADERS, "Authorization": "Bearer emulator-ads-access-token"}
    emulator.update_settings(separate_ads_app=True)
    try:
        assert get(emulator, "adAccounts", "q=search").status_code == 403
        assert get(emulator, "adAccounts", "q=search", headers=ads_headers).status_code == 200
        assert get(emulator, "organizations/2414183", headers=ads_headers).status_code == 403
    finally:
        emulator.update_settings(separate_ads_app=False)


def test_ad_accounts_are_paged_by_cursor_and_refuse_index_paging():
    with Emulator(Dataset(posts_per_org=1, ad_accounts=many_ad_accounts(250))) as many:
        many.update_settings(today=TODAY.isoformat())
        assert get(many, "adAccounts", "q=search&start=100&count=100").status_code == 400
        seen, token, pages = [], None, 0
        while True:
            answer = get(
                many, "adAccounts", "q=search&pageSize=100" + (f"&pageToken={token}" if token else "")
            )
            assert answer.status_code == 200
            seen += [a["id"] for a in answer.json()["elements"]]
            token, pages = answer.json()["metadata"].get("nextPageToken"), pages + 1
            if not token:
                break
        assert pages == 3 and seen == [a.id for a in many.dataset.ad_accounts]


def test_company_intelligence_cap_and_fields_follow_the_version(emulator):
    query = "q=account&account=urn%3Ali%3AsponsoredAccount%3A508774356&filterCriteria=(lookbackWindow:LAST_30_DAYS)&count=10"
    emulator.update_settings(company_intelligence_row_cap=20, today="2026-07-01")
    try:
        capped = get(emulator, "accountIntelligence", query + "&start=20")
        assert capped.status_code == 400 and "exceeds maximum limit of 20" in capped.json()["message"]
        old = get(emulator, "accountIntelligence", query + "&start=10").json()["elements"][0]
        assert not {"companySize", "industry", "countryCode"} & set(old)
        newer = {**HEADERS, "LinkedIn-Version": "202606"}
        uncapped = get(emulator, "accountIntelligence", query + "&start=20", headers=newer)
        assert uncapped.status_code == 200 and len(uncapped.json()["elements"]) == 10
        assert {"companySize", "industry", "countryCode"} <= set(uncapped.json()["elements"][0])
    finally:
        emulator.update_settings(company_intelligence_row_cap=100_000, today=TODAY.isoformat())


def test_per_post_statistics_omit_posts_created_before_the_rolling_12_month_window(emulator):
    org = emulator.dataset.organization(2414183)
    window_start = day_start_ms(dt.date(2025, 3, 10))
    old = next(p for p in emulator.dataset.posts(org) if p["createdAt"] < window_start)
    recent = next(p for p in emulator.dataset.posts(org) if p["createdAt"] >= window_start
                  and emulator.dataset.post_statistics(org, p["id"]))  # fmt: skip
    kinds = {p["id"]: "shares" if ":share:" in p["id"] else "ugcPosts" for p in (old, recent)}
    asked = "&".join(f"{kind}=List({urn.replace(':', '%3A')})" for urn, kind in kinds.items())
    answer = get(
        emulator,
        "organizationalEntityShareStatistics",
        f"q=organizationalEntity&organizationalEntity={ORG}&{asked}",
    )
    assert [e.get("share") or e.get("ugcPost") for e in answer.json()["elements"]] == [recent["id"]]


def test_posts_come_only_roughly_by_last_modification(emulator):
    listed = get(emulator, "posts", f"q=author&author={ORG}&count=100").json()["elements"]
    modified = [p["lastModifiedAt"] for p in listed]
    assert modified != sorted(modified, reverse=True), "a client must not trust a strict order"
    assert sorted(modified, reverse=True) == [
        p["lastModifiedAt"] for p in emulator.dataset.posts(emulator.dataset.organization(2414183))
    ]


def encoded(urn):
    return requests.utils.quote(urn, safe="")


def test_comments_are_keyed_by_an_encoded_urn_newest_first_and_replies_by_the_comment_urn(emulator):
    org = emulator.dataset.organization(2414183)
    post = next(
        p
        for p in emulator.dataset.posts(org)
        if any("parentComment" in c for c in emulator.dataset.comments(org, p["id"]))
    )
    assert get(emulator, f"socialActions/{post['id']}/comments").status_code == 400, "a raw URN in the path"
    top = get(emulator, f"socialActions/{encoded(post['id'])}/comments").json()["elements"]
    assert top and all("parentComment" not in c for c in top)
    assert [c["created"]["time"] for c in top] == sorted((c["created"]["time"] for c in top), reverse=True)
    parent = next(c for c in emulator.dataset.comments(org, post["id"]) if "parentComment" in c)[
        "parentComment"
    ]
    assert parent.startswith("urn:li:comment:(urn:li:activity:"), "built on the post's activity"
    replies = get(emulator, f"socialActions/{encoded(parent)}/comments").json()["elements"]
    assert replies and {c["parentComment"] for c in replies} == {parent}


def test_comment_pages_are_capped_below_the_count_asked_and_say_their_total(emulator):
    """LinkedIn documents no page cap for comments: the emulator serves fewer than asked, so a client that stops
    on a short page is caught."""
    org = emulator.dataset.organization(2414183)
    post = max(emulator.dataset.posts(org), key=lambda p: len(emulator.dataset.comments(org, p["id"])))
    total = sum(1 for c in emulator.dataset.comments(org, post["id"]) if "parentComment" not in c)
    emulator.update_settings(comments_page_cap=2)
    try:
        page = get(emulator, f"socialActions/{encoded(post['id'])}/comments", "count=100").json()
    finally:
        emulator.update_settings(comments_page_cap=50)
    assert total > 2 and len(page["elements"]) == 2 and page["paging"]["total"] == total


def test_each_resource_answers_in_its_documented_shape(emulator):
    """The emulator's answers have the fields of LinkedIn's documented answers (unit_tests/documented_answers.py),
    no more (a lenient extra, such as commentsSummary on a comment or `type` on a video metric, hid bugs before)."""
    org = emulator.dataset.organization(2414183)
    posts = emulator.dataset.posts(org)
    commented = next(p for p in posts if emulator.dataset.comments(org, p["id"]))
    [comment, *_] = get(emulator, f"socialActions/{encoded(commented['id'])}/comments").json()["elements"]
    assert set(comment) == set(documented.COMMENT)
    metadata = get(emulator, "socialMetadata", f"ids=List({encoded(commented['id'])})").json()
    assert set(metadata) >= {"results", "statuses", "errors"}
    [element] = metadata["results"].values()
    assert set(element) == set(next(iter(documented.SOCIAL_METADATA["results"].values())))
    video = next(p for p in posts if emulator.dataset.is_video(p))
    query = f"q=entity&aggregation=ALL&type=TIME_WATCHED&entity={encoded(video['id'])}"
    [metric] = get(emulator, "videoAnalytics", query).json()["elements"]
    assert set(metric) == set(documented.VIDEO_ANALYTICS["elements"][0])
    [seniority, *_] = get(emulator, "seniorities", "count=100").json()["elements"]
    assert set(seniority) == set(documented.SENIORITIES_GET_ALL["elements"][0])
    industry = get(emulator, "industryTaxonomyVersions/DEFAULT/industries", "ids=List(4)").json()["results"][
        "4"
    ]
    assert set(industry) == set(documented.INDUSTRIES_BATCH_GET["results"]["22"])
    geo = get(emulator, "geo", "ids=List(103644278)").json()["results"]["103644278"]
    assert set(geo) == set(documented.GEO_BATCH_GET["results"]["104565322"])


def test_social_metadata_is_a_batch_get_of_encoded_urns_behind_the_feed_scope(emulator):
    org = emulator.dataset.organization(2414183)
    urns = [p["id"] for p in emulator.dataset.posts(org)[:3]]
    answer = get(emulator, "socialMetadata", f"ids=List({','.join(encoded(u) for u in urns)})")
    assert set(answer.json()["results"]) == set(urns)
    assert get(emulator, "socialMetadata", f"ids=List({urns[0]})").status_code == 400, "a raw URN in a list"
    emulator.update_settings(denied_scopes=["r_organization_social_feed"])
    try:
        assert get(emulator, "socialMetadata", f"ids=List({encoded(urns[0])})").status_code == 403
    finally:
        emulator.update_settings(denied_scopes=[])


def test_video_analytics_takes_one_documented_type_of_a_video_ugcpost(emulator):
    org = emulator.dataset.organization(2414183)
    video = next(p for p in emulator.dataset.posts(org) if emulator.dataset.is_video(p))
    other = next(p for p in emulator.dataset.posts(org) if not emulator.dataset.is_video(p))
    base = "q=entity&aggregation=ALL&entity="
    assert get(emulator, "videoAnalytics", f"{base}{encoded(video['id'])}&type=VIEWER").json()["elements"]
    assert get(emulator, "videoAnalytics", f"{base}{encoded(video['id'])}&type=LIKES").status_code == 400
    assert get(emulator, "videoAnalytics", f"{base}{encoded(other['id'])}&type=VIEWER").status_code == 400


def test_standardized_data_by_the_methods_linkedin_lists_and_industries_by_their_current_names(emulator):
    assert get(emulator, "geo").status_code == 400, "the world is not served"
    names = get(emulator, "geo", "ids=List(103644278,1)").json()
    assert names["results"]["103644278"]["defaultLocalizedName"]["value"] == "United States"
    assert names["errors"]["1"]["status"] == 404
    for resource in ("seniorities", "functions"):  # GET | GET_ALL: no BATCH_GET
        assert get(emulator, resource, "ids=List(3)").status_code == 400, resource
    assert len(get(emulator, "functions", "count=100").json()["elements"]) == 26  # GET_ALL, paged
    current = get(emulator, "industryTaxonomyVersions/DEFAULT/industries", "ids=List(4)").json()["results"][
        "4"
    ]
    older = get(emulator, "industries", "ids=List(4)").json()["results"]["4"]
    assert current["name"]["localized"]["en_US"] == "Software Development"
    assert older["name"]["localized"]["en_US"] != current["name"]["localized"]["en_US"], (
        "/industries: the older list"
    )
    emulator.update_settings(denied_scopes=["r_basicprofile"])
    try:
        assert get(emulator, "industryTaxonomyVersions/DEFAULT/industries", "ids=List(4)").status_code == 403
        assert get(emulator, "seniorities", "count=10").status_code == 200, "no scope for seniorities"
    finally:
        emulator.update_settings(denied_scopes=[])


def test_a_resource_answers_429_past_its_daily_quota_until_the_next_day(emulator):
    """Rate limits are per day, reset at midnight UTC, with LinkedIn's message for the daily limit."""
    org = emulator.dataset.organization(2414183)
    post = next(p for p in emulator.dataset.posts(org) if emulator.dataset.comments(org, p["id"]))
    path = f"socialActions/{encoded(post['id'])}/comments"
    emulator.update_settings(daily_quota={"socialActions": 2}, today="2026-03-20")
    try:
        assert [get(emulator, path).status_code for _ in range(3)] == [200, 200, 429]
        assert "DAY limit for calls to this resource is reached" in get(emulator, path).json()["message"]
        assert get(emulator, "seniorities", "count=10").status_code == 200, "another resource's quota"
        emulator.update_settings(today="2026-03-21")
        assert get(emulator, path).status_code == 200
    finally:
        emulator.update_settings(daily_quota={}, today=TODAY.isoformat())


# --- Showcase pages, page notifications, DMA content analytics ---

NORTHWIND, FABRIKAM = 2414183, 11130470


def test_showcase_pages_answer_in_their_documented_shapes(emulator):
    """The parentOrganization finder, organizationBrands/{id}, brandPageStatistics and a brand's share
    statistics answer with the fields of LinkedIn's samples (documented_answers.py)."""
    org = emulator.dataset.organization(NORTHWIND)
    listed = get(emulator, "organizations", f"q=parentOrganization&parent={ORG}").json()
    sample = documented.SHOWCASE_PAGES_BY_PARENT
    assert set(listed) == set(sample) and set(listed["paging"]) == set(sample["paging"])
    assert [e["id"] for e in listed["elements"]] == [b.id for b in emulator.dataset.brands_of(org)] != []
    for element in listed["elements"]:
        assert set(element) == set(sample["elements"][0]), "no parent field, as LinkedIn's sample"
        assert set(element["name"]) == set(sample["elements"][0]["name"])
        assert element["primaryOrganizationType"] == "BRAND" and element["locations"] == []
    fabrikam = encoded(f"urn:li:organization:{FABRIKAM}")
    assert get(emulator, "organizations", f"q=parentOrganization&parent={fabrikam}").json()["elements"] == []

    brand = emulator.dataset.brands_of(org)[0]
    resource = get(emulator, f"organizationBrands/{brand.id}").json()
    assert set(resource) == set(documented.ORGANIZATION_BRAND)
    assert resource["parentRelationship"] == {"relationshipStatus": "ACTIVE", "parent": org.urn}
    assert resource["$URN"] == brand.urn and resource["id"] == brand.id
    batch = get(emulator, "organizationBrands", f"ids=List({brand.id})").json()["results"][str(brand.id)]
    assert set(batch) == set(documented.ORGANIZATION_BRAND) - {"$URN"}, "a BATCH_GET result has no $URN"

    query = f"q=brand&brand={encoded(brand.urn)}"
    [lifetime] = get(emulator, "brandPageStatistics", query).json()["elements"]
    [sample_lifetime] = documented.BRAND_PAGE_STATISTICS_LIFETIME["elements"]
    assert {k for k in sample_lifetime if not k.startswith("pageStatisticsBy")} <= set(lifetime)
    assert lifetime["brand"] == brand.urn
    # The facets: organizationPageStatistics' (the SDK fixture has the older names: …ByCountry, …ByRegion).
    assert set(lifetime) - {"brand"} == set(emulator.dataset.page_lifetime(org)) - {"organization"}
    bounded = get(emulator, "brandPageStatistics", f"{query}&{window(TODAY - dt.timedelta(days=9), TODAY)}")
    [sample_bucket] = documented.BRAND_PAGE_STATISTICS_TIME_BOUND["elements"]
    assert len(bounded.json()["elements"]) == 8  # TODAY-9 .. TODAY-2
    for bucket in bounded.json()["elements"]:
        assert set(bucket) == set(sample_bucket) and bucket["brand"] == brand.urn
        assert set(bucket["totalPageStatistics"]) == set(sample_bucket["totalPageStatistics"])

    shares = f"q=organizationalEntity&organizationalEntity={encoded(brand.urn)}"
    [share_lifetime] = get(emulator, "organizationalEntityShareStatistics", shares).json()["elements"]
    assert share_lifetime == emulator.dataset.brand_share_lifetime(brand, TODAY)
    assert share_lifetime["organizationalEntity"] == brand.urn
    day = TODAY - dt.timedelta(days=5)
    [share_day] = get(
        emulator, "organizationalEntityShareStatistics", f"{shares}&{window(day, day + dt.timedelta(days=1))}"
    ).json()["elements"]
    assert share_day["organizationalEntity"] == brand.urn
    assert (
        share_day["totalShareStatistics"]["impressionCount"]
        == (emulator.dataset.brand_share_day(brand, day)["impressionCount"])
    )
    assert (
        share_day["totalShareStatistics"]["impressionCount"]
        < emulator.dataset.share_day(org, day)["impressionCount"]
    ), "a showcase page is smaller than its parent"


def test_showcase_pages_refuse_what_linkedin_refuses(emulator):
    northwind = emulator.dataset.organization(NORTHWIND)
    brand = emulator.dataset.brands_of(northwind)[0]
    finder = "q=parentOrganization&parent="
    assert get(emulator, "organizations", finder + encoded(brand.urn)).status_code == 400
    assert get(emulator, "organizations", finder + encoded("urn:li:organization:1")).status_code == 404
    assert get(emulator, "organizations", f"q=parent&parent={ORG}").status_code == 400
    assert get(emulator, "organizations", f"{finder}{ORG}&count=101").status_code == 400
    assert get(emulator, "organizationBrands/1").status_code == 404
    page_stats = "q=brand&brand="
    assert (
        get(emulator, "brandPageStatistics", f"q=organization&brand={encoded(brand.urn)}").status_code == 400
    )
    assert get(emulator, "brandPageStatistics", page_stats + ORG).status_code == 400, "an organization URN"
    assert (
        get(emulator, "brandPageStatistics", page_stats + encoded("urn:li:organizationBrand:1")).status_code
        == 404
    )
    entity = f"q=organizationalEntity&organizationalEntity={encoded(brand.urn)}"
    post = encoded(emulator.dataset.posts(northwind)[0]["id"])
    assert (
        get(emulator, "organizationalEntityShareStatistics", f"{entity}&shares=List({post})").status_code
        == 400
    )
    assert get(emulator, "organizationalEntityFollowerStatistics", entity).status_code == 400
    assert (
        get(
            emulator, "organizationPageStatistics", f"q=organization&organization={encoded(brand.urn)}"
        ).status_code
        == 400
    )
    emulator.update_settings(administered_organizations=[FABRIKAM])
    try:
        assert get(emulator, "organizations", finder + ORG).status_code == 403
        assert get(emulator, f"organizationBrands/{brand.id}").status_code == 403
        assert get(emulator, "brandPageStatistics", page_stats + encoded(brand.urn)).status_code == 403
        assert get(emulator, "organizationalEntityShareStatistics", entity).status_code == 403
        batch = get(emulator, "organizationBrands", f"ids=List({brand.id})").json()
        assert (
            batch["statuses"] == {str(brand.id): 403}
            and "ADMIN_ONLY" in batch["errors"][str(brand.id)]["message"]
        )
    finally:
        emulator.update_settings(administered_organizations=None)
    emulator.update_settings(denied_scopes=["rw_organization_admin"])
    try:
        assert get(emulator, "brandPageStatistics", page_stats + encoded(brand.urn)).status_code == 403
    finally:
        emulator.update_settings(denied_scopes=[])


def test_showcase_pages_come_and_go_between_syncs(emulator):
    from linkedin_emulator.data import Brand

    before = emulator.dataset.brands
    query = f"q=parentOrganization&parent={ORG}"
    added = Brand(90000001, "Northwind Events", "northwind-events", NORTHWIND)
    try:
        emulator.dataset.brands = (*before[1:], added)
        ids = [e["id"] for e in get(emulator, "organizations", query).json()["elements"]]
        assert before[0].id not in ids and added.id in ids
        assert get(emulator, f"organizationBrands/{before[0].id}").status_code == 404
        assert get(emulator, "brandPageStatistics", f"q=brand&brand={encoded(added.urn)}").status_code == 200
    finally:
        emulator.dataset.brands = before


def notifications_query(org_urn=ORG, extra=""):
    return f"q=criteria&organizationalEntity={org_urn}" + (f"&{extra}" if extra else "")


def all_notifications(emulator, extra=""):
    pulled, start = [], 0
    while True:
        page = get(
            emulator,
            "organizationalEntityNotifications",
            notifications_query(extra=f"{extra}start={start}&count=100"),
        ).json()
        pulled += page["elements"]
        if len(page["elements"]) < 100:
            return pulled
        start += 100


def test_notifications_answer_as_respondos_pull_fixture_newest_first_for_60_days(emulator):
    org = emulator.dataset.organization(NORTHWIND)
    now = emulator.now_ms()
    assert now == day_start_ms(TODAY), "with today set, the clock is that day's midnight"
    pulled = all_notifications(emulator)
    assert pulled == emulator.dataset.notifications(org, now, now - 60 * 86_400_000) != []
    [sample] = documented.NOTIFICATIONS["elements"]
    assert {n["action"] for n in pulled} == {
        "LIKE", "COMMENT", "SHARE", "SHARE_MENTION", "ADMIN_COMMENT", "COMMENT_EDIT", "COMMENT_DELETE"
    }  # fmt: skip
    for n in pulled:
        expected = set(sample) - ({"generatedActivity"} if n["action"] == "LIKE" else set())
        assert set(n) == expected, n
        assert n["organizationalEntity"] == org.urn and n["sourcePost"].startswith("urn:li:activity:")
        prefix = (
            "urn:li:share:"
            if n["action"] in ("SHARE", "SHARE_MENTION")
            else "urn:li:comment:(urn:li:activity:"
        )
        assert n["action"] == "LIKE" or n["generatedActivity"].startswith(prefix)
    times = [n["lastModifiedAt"] for n in pulled]
    assert times == sorted(times, reverse=True) and now - 60 * 86_400_000 <= times[-1] and times[0] < now
    assert len({n["notificationId"] for n in pulled}) == len(pulled)
    assert any(n["notificationId"] < 0 for n in pulled), "a long, sometimes negative"
    edits = [n["generatedActivity"] for n in pulled if n["action"] == "COMMENT_EDIT"]
    assert any(edits.count(c) == 2 for c in edits), "a comment edited twice: two notifications"
    # The retention: asking further back serves no more.
    old = f"timeRange=(start:{now - 90 * 86_400_000},end:{now})&"
    assert all_notifications(emulator, old) == pulled


def test_notifications_filter_by_action_and_time_range_start_inclusive_end_exclusive(emulator):
    org = emulator.dataset.organization(NORTHWIND)
    now = emulator.now_ms()
    pulled = emulator.dataset.notifications(org, now, now - 60 * 86_400_000)
    edits = all_notifications(emulator, "actions=List(COMMENT_EDIT,COMMENT_DELETE)&")
    assert edits == [n for n in pulled if n["action"] in ("COMMENT_EDIT", "COMMENT_DELETE")] != []
    t = pulled[len(pulled) // 2]["lastModifiedAt"]
    at_t = [n for n in pulled if n["lastModifiedAt"] == t]
    assert all_notifications(emulator, f"timeRange=(start:{t},end:{t + 1})&") == at_t
    assert all(n["lastModifiedAt"] > t for n in all_notifications(emulator, f"timeRange=(start:{t + 1})&"))
    assert all(n["lastModifiedAt"] < t for n in all_notifications(emulator, f"timeRange=(start:0,end:{t})&"))
    # The clock moves with `today`: a day later, that day's notifications are served.
    emulator.update_settings(today=(TODAY + dt.timedelta(days=1)).isoformat())
    try:
        later = all_notifications(emulator)
        assert later[0]["lastModifiedAt"] >= now and later == emulator.dataset.notifications(
            org, now + 86_400_000, now - 59 * 86_400_000
        )
    finally:
        emulator.update_settings(today=TODAY.isoformat())


def test_notifications_refuse_what_linkedin_refuses(emulator):
    path = "organizationalEntityNotifications"
    assert get(emulator, path, notifications_query(extra="actions=List(COMMENT_MENTION)")).status_code == 400
    assert get(emulator, path, notifications_query(extra="actions=COMMENT")).status_code == 400, "a List"
    assert get(emulator, path, notifications_query(extra="timeRange=(start:2,end:1)")).status_code == 400
    assert get(emulator, path, notifications_query(extra="count=101")).status_code == 400
    assert get(emulator, path, f"q=organizationalEntity&organizationalEntity={ORG}").status_code == 400
    brand = emulator.dataset.brands[0]
    assert get(emulator, path, notifications_query(encoded(brand.urn))).status_code == 400
    assert get(emulator, path, notifications_query(encoded("urn:li:organization:1"))).status_code == 404
    emulator.update_settings(administered_organizations=[FABRIKAM])
    try:
        assert get(emulator, path, notifications_query()).status_code == 403
    finally:
        emulator.update_settings(administered_organizations=None)
    emulator.update_settings(denied_scopes=["rw_organization_admin"])
    try:
        assert get(emulator, path, notifications_query()).status_code == 403
    finally:
        emulator.update_settings(denied_scopes=[])


def trend(
    source,
    start,
    end,
    metrics="IMPRESSIONS,UNIQUE_IMPRESSIONS,CLICKS,COMMENTS,REACTIONS,REPOSTS",
    granularity=",timeGranularityType:DAY",
):
    return (
        f"q=trend&sourceEntity={encoded(source)}&metricTypes=List({metrics})"
        f"&timeIntervals=(timeRange:(start:{start},end:{end}){granularity})"
    )


def test_dma_content_analytics_answer_in_the_shape_production_code_reads(emulator):
    org = emulator.dataset.organization(NORTHWIND)
    start, end = day_start_ms(TODAY - dt.timedelta(days=300)), day_start_ms(TODAY)
    metrics = (
        "IMPRESSIONS,UNIQUE_IMPRESSIONS,CLICKS,COMMENTS,REACTIONS,REPOSTS,ENGAGEMENT_RATE,CLICK_THROUGH_RATE"
    )
    answer = get(
        emulator, "dmaOrganizationalPageContentAnalytics", trend(org.page_urn, start, end, metrics)
    ).json()
    assert set(answer) == set(documented.DMA_CONTENT_ANALYTICS)
    assert set(answer["paging"]) == set(documented.DMA_CONTENT_ANALYTICS["paging"])
    [count_sample, _] = documented.DMA_CONTENT_ANALYTICS["elements"]
    [_, ratio_sample] = documented.DMA_CONTENT_ANALYTICS_BIGDECIMAL["elements"]
    assert answer["elements"] and {e["type"] for e in answer["elements"]} == set(metrics.split(","))
    for element in answer["elements"]:
        sample = ratio_sample if element["type"].endswith("RATE") else count_sample
        assert set(element) == set(sample) and set(element["metric"]) == set(sample["metric"])
        assert set(element["metric"]["value"]) == set(sample["metric"]["value"])
        value, sample_value = element["metric"]["value"], sample["metric"]["value"]
        split = value["typeSpecificValue"]["contentAnalyticsValue"]
        assert set(split) == set(sample_value["typeSpecificValue"]["contentAnalyticsValue"])
        assert set(value["totalCount"]) == set(sample_value["totalCount"])
        time_range = element["metric"]["timeIntervals"]["timeRange"]
        assert time_range["end"] - time_range["start"] == 86_400_000 and time_range["start"] % 86_400_000 == 0
        if "long" in value["totalCount"]:
            assert (
                split["organicValue"]["long"] + split["sponsoredValue"]["long"] == value["totalCount"]["long"]
            )
        else:
            assert float(value["totalCount"]["bigDecimal"]) >= 0 and "." in value["totalCount"]["bigDecimal"]


def test_dma_content_analytics_days_sum_to_the_posts_lifetime_statistics(emulator):
    from linkedin_emulator.data import CONTENT_LIFETIME_FIELDS  # IMPRESSIONS: impressionCount, …

    org = emulator.dataset.organization(NORTHWIND)
    last_served = TODAY - dt.timedelta(days=2)
    post = next(
        p for p in emulator.dataset.posts(org)
        if emulator.dataset.post_statistics(org, p["id"])
        and max(emulator.dataset.post_daily(org, p["id"])) <= last_served
        and p["createdAt"] > day_start_ms(TODAY - dt.timedelta(days=390))
    )  # fmt: skip
    stats = emulator.dataset.post_statistics(org, post["id"])
    daily = emulator.dataset.post_daily(org, post["id"])
    first = min(daily)
    elements = get(
        emulator,
        "dmaOrganizationalPageContentAnalytics",
        trend(post["id"], day_start_ms(first), day_start_ms(TODAY)),
    ).json()["elements"]
    served_days = {e["metric"]["timeIntervals"]["timeRange"]["start"] for e in elements}
    assert served_days == {day_start_ms(d) for d in daily}, "a day without activity: no element"
    assert len(daily) > 1 and max(served_days) - min(served_days) > 5 * 86_400_000, "a tail over days"
    for metric, lifetime in CONTENT_LIFETIME_FIELDS.items():
        total = sum(e["metric"]["value"]["totalCount"]["long"] for e in elements if e["type"] == metric)
        assert total == stats[lifetime], metric
    # The page: each day the sum over the organization's posts.
    day = max(d for d in emulator.dataset.page_daily(org) if d <= last_served)
    [page_day] = get(
        emulator,
        "dmaOrganizationalPageContentAnalytics",
        trend(org.page_urn, day_start_ms(day), day_start_ms(day + dt.timedelta(days=1)), "IMPRESSIONS"),
    ).json()["elements"]
    expected = sum(
        sum(emulator.dataset.post_daily(org, p["id"]).get(day, {}).get("IMPRESSIONS", (0, 0)))
        for p in emulator.dataset.posts(org)
    )
    assert page_day["metric"]["value"]["totalCount"]["long"] == expected > 0
    silent = next(
        p for p in emulator.dataset.posts(org) if emulator.dataset.post_statistics(org, p["id"]) is None
    )
    assert (
        get(
            emulator,
            "dmaOrganizationalPageContentAnalytics",
            trend(silent["id"], day_start_ms(TODAY - dt.timedelta(days=400)), day_start_ms(TODAY)),
        ).json()["elements"]
        == []
    )


def test_dma_content_analytics_refuse_what_linkedin_refuses(emulator):
    org = emulator.dataset.organization(NORTHWIND)
    path = "dmaOrganizationalPageContentAnalytics"
    end = day_start_ms(TODAY) + 3_600_000  # any time of day
    fourteen_months = day_start_ms(dt.date(2025, 1, 10)) + 3_600_000
    refused = get(emulator, path, trend(org.page_urn, fourteen_months, end))
    assert refused.status_code == 400
    assert refused.json()["message"] == "Start time and end time must be less than 14 months apart."
    assert get(emulator, path, trend(org.page_urn, fourteen_months + 1, end)).status_code == 200
    old = day_start_ms(dt.date(2024, 1, 1)), day_start_ms(dt.date(2024, 12, 1))
    assert get(emulator, path, trend(org.page_urn, *old)).status_code == 200, "no lookback limit"
    assert get(emulator, path, trend(org.page_urn, end - 86_400_000, end, granularity="")).status_code == 200
    for bad in (
        trend(org.page_urn, end - 86_400_000, end, granularity=",timeGranularityType:MONTH"),
        trend(org.page_urn, end - 86_400_000, end, metrics="IMPRESSIONS,CTR"),
        trend(org.page_urn, end, end - 86_400_000),
        trend(org.page_urn, end - 86_400_000, end).replace("q=trend", "q=postDimension"),
        f"q=trend&sourceEntity={encoded(org.page_urn)}&metricTypes=List(IMPRESSIONS)",
        f"q=trend&sourceEntity={encoded(org.page_urn)}&timeIntervals=(timeRange:(start:0,end:{end}))",
        trend(org.urn, end - 86_400_000, end),  # an organization URN is no page
        trend(f"urn:li:activity:{10**18}", end - 86_400_000, end),
    ):
        assert get(emulator, path, bad).status_code == 400, bad
    assert (
        get(emulator, path, trend("urn:li:organizationalPage:2414183", end - 86_400_000, end)).status_code
        == 404
    )
    assert get(emulator, path, trend(f"urn:li:share:{10**18}", end - 86_400_000, end)).status_code == 404
    post = emulator.dataset.posts(org)[0]["id"]
    emulator.update_settings(administered_organizations=[FABRIKAM])
    try:
        assert get(emulator, path, trend(org.page_urn, end - 86_400_000, end)).status_code == 403
        assert get(emulator, path, trend(post, end - 86_400_000, end)).status_code == 403
    finally:
        emulator.update_settings(administered_organizations=None)


def test_dma_content_analytics_are_a_dma_resource_without_request_spacing(emulator):
    org = emulator.dataset.organization(NORTHWIND)
    path, query = (
        "dmaOrganizationalPageContentAnalytics",
        trend(org.page_urn, day_start_ms(TODAY) - 86_400_000, day_start_ms(TODAY)),
    )
    dma_headers = {**HEADERS, "Authorization": "Bearer emulator-dma-access-token"}
    emulator.update_settings(separate_dma_app=True, dma_interval_seconds=60)
    try:
        assert get(emulator, path, query).status_code == 403, "the main app's token"
        assert [get(emulator, path, query, headers=dma_headers).status_code for _ in range(2)] == [200, 200]
    finally:
        emulator.update_settings(separate_dma_app=False, dma_interval_seconds=0)
    emulator.update_settings(denied_scopes=["r_dma_admin_pages_content"])
    try:
        assert get(emulator, path, query).status_code == 403
    finally:
        emulator.update_settings(denied_scopes=[])
