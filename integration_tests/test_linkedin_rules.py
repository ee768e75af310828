"""The connector against LinkedIn's documented rules, as the emulator enforces them: a developer app per product,
the versions LinkedIn really releases, cursor-paged ad accounts, Company Intelligence by version, per-post
statistics only where LinkedIn measures, posts in no strict order."""

import datetime as dt
import importlib.util
import re
import urllib.parse
from pathlib import Path

import pytest
import requests
import yaml

from integration_tests.helpers import full_catalog, read_in_process, run_connector
from linkedin_emulator import Dataset, Emulator
from linkedin_emulator.data import many_ad_accounts
from linkedin_emulator.rules import ADS_RESOURCES, DMA_RESOURCES, months_before, served_versions
from linkedin_emulator.server import EmulatorSettings

ROOT = Path(__file__).resolve().parent.parent


def requests_by_app(emulator, app):
    return {key.split(" ", 2)[2]: n for key, n in emulator.stats.items() if key.startswith(f"{app} app ")}


@pytest.fixture
def three_apps(emulator):
    emulator.update_settings(separate_dma_app=True, separate_ads_app=True)
    return emulator


def test_each_product_goes_out_with_the_token_of_its_own_app(three_apps, tmp_path):
    config = three_apps.connector_config(dma_app=True, ads_app=True, organization_ids=["2414183"])
    streams = ["organization_lookup", "posts", "company_intelligence", "dma_followed_pages"]
    run = read_in_process(config, full_catalog(None, streams))
    assert run.returncode == 0 and run.errors() == [], run.stderr[-2000:]
    assert set(requests_by_app(three_apps, "ads")) == ADS_RESOURCES
    assert set(requests_by_app(three_apps, "dma")) <= DMA_RESOURCES
    assert not set(requests_by_app(three_apps, "main")) & (ADS_RESOURCES | DMA_RESOURCES)
    assert {r["account"] for r in run.records("company_intelligence")} == {
        a.urn for a in three_apps.dataset.ad_accounts if not a.test
    }


@pytest.mark.parametrize("ads_credentials", ["main app's", "none"])
def test_check_says_which_app_lacks_the_advertising_product(three_apps, tmp_path, ads_credentials):
    config = three_apps.connector_config(organization_ids=["2414183"])
    if ads_credentials == "main app's":  # set, but to the Community Management app's credentials
        config["ads_credentials"] = config["credentials"]
        check = run_connector(tmp_path, "check", config=config)
        message = check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["message"]
    else:  # not set: check proves the main app only; a read of company_intelligence names what to do
        run = read_in_process(config, full_catalog(None, ["company_intelligence"]))
        message = run.errors()[0]["message"]
    assert "'ads_credentials'" in message and "Advertising API" in message and "\n" not in message


def test_check_proves_the_advertising_app_when_it_is_set(three_apps, tmp_path):
    config = three_apps.connector_config(ads_app=True, organization_ids=["2414183"])
    check = run_connector(tmp_path, "check", config=config)
    assert check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"
    assert requests_by_app(three_apps, "ads").keys() == ADS_RESOURCES


def test_the_in_app_consent_asks_only_what_the_community_management_app_grants(three_apps):
    """Airbyte's OAuth flow, as the spec describes it, against LinkedIn's authorization screen."""
    manifest = yaml.safe_load((ROOT / "manifest.yaml").read_text())
    inputs = manifest["spec"]["advanced_auth"]["oauth_config_specification"][
        "oauth_connector_input_specification"
    ]
    params = {
        "client_id_param": f"client_id={three_apps.settings.client_id}",
        "redirect_uri_param": "redirect_uri=https%3A%2F%2Fcloud.airbyte.com%2Fauth_flow",
        "scope_param": "scope=" + urllib.parse.quote(inputs["scope"]),
        "state_param": "state=xyz",
    }
    url = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: params[m.group(1)], inputs["consent_url"].strip())
    url = url.replace("https://www.linkedin.com", three_apps.url)
    answer = requests.get(url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302 and "code=" in answer.headers["Location"], answer.headers["Location"]


def load_components():
    spec = importlib.util.spec_from_file_location("components_under_test", ROOT / "components.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sunset_fallback_reaches_a_version_linkedin_serves_every_day_of_three_years():
    older_version = load_components().older_version
    settings = EmulatorSettings()
    day = dt.date(2025, 1, 1)
    while day < dt.date(2028, 1, 1):
        served = served_versions(day, settings)
        month_ago = months_before(day, 1)
        # This month's version (not out before the 15th), last December's, and one sunset a year ago.
        for rejected in (f"{day:%Y%m}", f"{day.year - 1}12", f"{month_ago.year - 1}{month_ago:%m}"):
            if rejected in served:
                continue
            tried, version = [], older_version(rejected, day)
            while version is not None and version not in served:
                tried.append(version)
                version = older_version(version, day)
            assert version in served, (day, rejected, tried)
            assert len(tried) <= 1, "the next older version LinkedIn released is served"
        day += dt.timedelta(days=1)


def test_hundreds_of_ad_accounts_are_each_read_once(tmp_path):
    dataset = Dataset(posts_per_org=1, companies_per_account=2, ad_accounts=many_ad_accounts(230))
    with Emulator(dataset) as many:
        run = read_in_process(many.connector_config(), full_catalog(None, ["company_intelligence"]))
        assert run.returncode == 0 and run.errors() == [], run.stderr[-2000:]
        accounts = [r["account"] for r in run.records("company_intelligence")]
        real = [a.urn for a in dataset.ad_accounts if not a.test]
        assert sorted(accounts) == sorted(real * 2), "every account, each once, test accounts skipped"
        assert many.stats["main app adAccounts"] == 3, "pages of 100, by cursor"


@pytest.mark.parametrize(("version", "capped"), [("202605", True), (None, False)])
def test_company_intelligence_cap_and_fields_follow_the_version_sent(emulator, tmp_path, version, capped):
    emulator.update_settings(company_intelligence_row_cap=500)  # a multiple of the page size, as 100,000 is
    config = emulator.connector_config(
        ad_account_ids=["508774356"], **({"linkedin_api_version": version} if version else {})
    )
    run = read_in_process(config, full_catalog(None, ["company_intelligence"]))
    assert run.returncode == 0 and run.errors() == [], run.stderr[-2000:]
    rows = run.records("company_intelligence")
    assert len(rows) == (500 if capped else emulator.dataset.companies_per_account)
    warnings = [m["log"]["message"] for m in run.of_type("LOG") if m["log"]["level"] == "WARN"]
    assert any("508774356" in w and "limited number" in w for w in warnings) == capped, "never cut silently"
    assert all(("countryCode" in row) != capped for row in rows)


def test_per_post_statistics_never_report_a_post_linkedin_does_not_measure_as_zero(emulator, tmp_path):
    run = read_in_process(emulator.connector_config(), full_catalog(None, ["post_statistics"]))
    assert run.returncode == 0 and run.errors() == []
    today, dataset = emulator.today(), emulator.dataset
    window_start = months_before(today, 12)
    for org in dataset.organizations:
        got = {r["post"]: r for r in run.records("post_statistics") if r["organizationalEntity"] == org.urn}
        for post in dataset.posts(org):
            created = dt.datetime.fromtimestamp(post["createdAt"] / 1000, dt.UTC).date()
            if created < window_start:
                assert post["id"] not in got, "LinkedIn omits it: a row would read as 0"
            elif created > today - dt.timedelta(days=363):
                truth = dataset.post_statistics(org, post["id"])
                measured = got[post["id"]]["totalShareStatistics"]
                assert measured == truth if truth else set(measured.values()) == {0}, "no activity: a true 0"


@pytest.mark.parametrize(("changed", "pages"), [(100, 2), (1, 1)])
def test_an_incremental_sync_keeps_every_post_changed_since_the_state_in_no_strict_order(
    tmp_path, changed, pages
):
    """The emulator swaps posts 99 and 100 across the page boundary: stopping at the first older post (page 1 ends
    with one) would lose the newer one at the top of page 2. Nothing changed but the newest: one page."""
    with Emulator(Dataset(posts_per_org=350, member_followers_per_org=5)) as emulator:
        assert emulator.settings.posts_order == "rough"
        posts = emulator.dataset.posts(
            emulator.dataset.organization(2414183)
        )  # strictly newest-modified first
        since = posts[changed - 1]["lastModifiedAt"]
        state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "posts"}, "stream_state": {"states": [
            {"partition": {"organization_id": "2414183", "parent_slice": {}}, "cursor": {"lastModifiedAt": str(since)}}
        ]}}}]  # fmt: skip
        catalog = full_catalog(None, ["posts"])
        for stream in catalog["streams"]:
            stream.update(sync_mode="incremental", cursor_field=["lastModifiedAt"])
        config = emulator.connector_config(organization_ids=["2414183"])
        run = read_in_process(config, catalog, state)
        assert run.returncode == 0 and run.errors() == [], run.stderr[-2000:]
        assert {r["id"] for r in run.records("posts")} == {p["id"] for p in posts[:changed]}
        assert emulator.stats["GET posts"] == pages, "the rest of the history is not read again"
