"""DMA on LinkedIn's real page entities, with the DMA app's own credentials, end to end: the installed binary
against an emulator whose two apps are separate (a token of one is refused by the other's APIs)."""

import pytest

from integration_tests.helpers import (
    assert_dma_follows_match_the_dataset,
    full_catalog,
    read_in_process,
    run_connector,
)
from linkedin_emulator.rules import DMA_RESOURCES

DMA_STREAMS = ["dma_page_followers", "dma_followed_pages"]
OTHER_STREAMS = ["organization_lookup", "total_follower_count", "posts"]


@pytest.fixture
def separate_apps(emulator):
    emulator.update_settings(separate_dma_app=True)
    return emulator


def requests_by_app(emulator, app):
    return {key.split(" ", 2)[2]: n for key, n in emulator.stats.items() if key.startswith(f"{app} app ")}


def test_each_request_carries_its_apps_token_and_dma_records_are_the_pages_ground_truth(
    separate_apps, tmp_path
):
    emulator = separate_apps
    config = emulator.connector_config(dma_app=True)
    catalog = full_catalog(None, DMA_STREAMS + OTHER_STREAMS)
    run = read_in_process(config, catalog)
    assert run.returncode == 0 and run.errors() == [], run.stderr[-2000:]

    by_dma_app, by_main_app = requests_by_app(emulator, "dma"), requests_by_app(emulator, "main")
    assert set(by_dma_app) == {
        "dmaOrganizationAcls",
        "dmaOrganizationalPageProfiles",
        "dmaOrganizationalPageFollows",
    }
    assert not set(by_main_app) & DMA_RESOURCES, "no DMA request carries the main app's token"
    assert {"organizations", "networkSizes", "posts", "organizationAcls"} <= set(by_main_app)
    assert by_dma_app["dmaOrganizationalPageProfiles"] == 3, "one page lookup per organization and sync"

    dataset = emulator.dataset
    for org in dataset.organizations:
        assert org.page_urn != f"urn:li:organizationalPage:{org.id}"
        assert_dma_follows_match_the_dataset(run, dataset, org)
    pages = {org.page_urn: org.urn for org in dataset.organizations}
    for record in run.records("dma_page_followers"):
        assert record["organization"] == pages[record["followee"]]
    for record in run.records("dma_followed_pages"):
        assert record["organization"] == pages[record["follower"]]


def test_without_organization_ids_dma_discovers_with_the_dma_access_control_finder(separate_apps, tmp_path):
    emulator = separate_apps
    config = emulator.connector_config(dma_app=True)
    catalog = full_catalog(None, ["dma_followed_pages", "total_follower_count"])
    run = read_in_process(config, catalog)
    assert run.returncode == 0 and run.errors() == [], run.stderr[-2000:]
    assert requests_by_app(emulator, "dma")["dmaOrganizationAcls"] == 1
    assert requests_by_app(emulator, "main")["organizationAcls"] == 1
    assert {r["organization"] for r in run.records("dma_followed_pages")} == {
        o.urn for o in emulator.dataset.organizations
    }


@pytest.mark.parametrize(
    ("swap", "expected"),
    [
        # A DMA-only token where the statistics app's belongs: it cannot read organizations.
        (
            "dma token in credentials",
            ["organization 2414183", "'dma_credentials'", "Community Management API"],
        ),
        # The statistics app's token in dma_credentials: it cannot look pages up.
        ("main token in dma_credentials", ["organization 2414183", "'dma_credentials'", "app of its own"]),
    ],
)
def test_check_says_which_credential_which_organization_and_what_to_fix(
    separate_apps, tmp_path, swap, expected
):
    emulator = separate_apps
    config = emulator.connector_config(dma_app=True, organization_ids=["2414183"])
    main, dma = config["credentials"], config["dma_credentials"]
    config.update(
        {"credentials": dma, "dma_credentials": main}
        if swap == "dma token in credentials"
        else {"dma_credentials": main}
    )
    check = run_connector(tmp_path, "check", config=config)
    status = check.of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED"
    for fragment in expected:
        assert fragment in status["message"], status["message"]
    assert "\n" not in status["message"]


def test_check_proves_the_dma_credentials_when_they_are_set(separate_apps, tmp_path):
    emulator = separate_apps
    good = run_connector(tmp_path, "check", config=emulator.connector_config(dma_app=True))
    assert good.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"
    assert requests_by_app(emulator, "dma")["dmaOrganizationalPageProfiles"] >= 1, (
        "a page, with the DMA app's token"
    )
    assert requests_by_app(emulator, "dma")["dmaOrganizationalPageFollows"] >= 1, "and its follows"
