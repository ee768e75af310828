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
