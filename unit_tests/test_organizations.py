"""Which organizations are read: configured ids, the legacy org_id, or every administered organization."""

import requests_mock
from source_linkedin_org.components import configured_ids

from unit_tests.helpers import (
    NETWORK_SIZES,
    ORGANIZATION_ACLS,
    ORGANIZATIONS,
    access_token_config,
    organizations_batch,
    requested_organizations,
    run_read,
)


def acl(org_id):
    return {
        "organization": f"urn:li:organization:{org_id}",
        "role": "ADMINISTRATOR",
        "roleAssignee": "urn:li:person:abc",
        "state": "APPROVED",
    }


def test_configured_ids_win_over_the_legacy_org_id_and_are_deduplicated():
    def ids(config):
        return configured_ids(config, "organization_ids", "org_id")

    assert ids({"organization_ids": ["1", "2"], "org_id": "9"}) == ["1", "2"]
    assert ids({"org_id": "9"}) == ["9"]
    assert ids({"organization_ids": [], "org_id": "9"}) == ["9"]
    assert ids({"organization_ids": ["1", " 1 ", "2"]}) == ["1", "2"]
    assert ids({}) == []
    assert configured_ids({"ad_account_ids": ["5"], "org_id": "9"}, "ad_account_ids") == ["5"]


def test_legacy_org_id_config_is_read():
    config = access_token_config()
    del config["organization_ids"]
    config["org_id"] = "777"
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, json=organizations_batch())
        output = run_read(config, ["organization_lookup"])
    assert [r.record.data["id"] for r in output.records] == [777]


def test_without_ids_every_administered_organization_is_read_and_acls_are_paged_once_per_sync():
    first_page = [acl(i) for i in range(1000, 1100)]
    second_page = [acl(5), acl(6), acl(1000)]  # a repeated organization is read once
    config = access_token_config(organization_ids=[])
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATION_ACLS, [{"json": {"elements": first_page}}, {"json": {"elements": second_page}}])
        mock.get(ORGANIZATIONS, json=organizations_batch())
        mock.get(NETWORK_SIZES, json={"firstDegreeSize": 1})
        output = run_read(config, ["organization_lookup", "total_follower_count"])
    acl_requests = [r for r in mock.request_history if r.url.startswith(ORGANIZATION_ACLS)]
    assert [r.url.split("?", 1)[1] for r in acl_requests] == [
        "q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&count=100",
        "q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&start=100&count=100",
    ]
    batches = [
        requested_organizations(r) for r in mock.request_history if r.url.startswith(f"{ORGANIZATIONS}?")
    ]
    # Sorted: the two batches are read concurrently, in either order.
    assert sorted(len(batch) for batch in batches) == [2, 100], "BATCH_GETs of at most 100 organizations"
    assert sorted(int(i) for batch in batches for i in batch) == [5, 6, *range(1000, 1100)]
    assert len([r for r in output.records if r.record.stream == "organization_lookup"]) == 102
    assert len([r for r in output.records if r.record.stream == "total_follower_count"]) == 102
