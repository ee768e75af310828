"""Which organizations are read: configured ids (canonical, once each), the legacy org_id, or every
organization the member administers."""

import pytest
import requests_mock

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


@pytest.mark.parametrize(
    ("config", "canonical"),
    [
        # org_id stays, canonical: it names the organization a source-linkedin-pages state belongs to.
        ({"organization_ids": ["1", "2"], "org_id": "9"}, {"organization_ids": ["1", "2"], "org_id": "9"}),
        ({"org_id": "9"}, {"organization_ids": ["9"], "org_id": "9"}),
        ({"organization_ids": [], "org_id": 2414183}, {"organization_ids": ["2414183"], "org_id": "2414183"}),
        ({"org_id": 2414183.0}, {"organization_ids": ["2414183"], "org_id": "2414183"}),
        (
            {"org_id": " urn:li:organization:02414183 "},
            {"organization_ids": ["2414183"], "org_id": "2414183"},
        ),
        (
            {"organization_ids": ["02414183", "2414183", " 1 ", "urn:li:organization:1"]},
            {"organization_ids": ["2414183", "1"]},
        ),
        (
            {"ad_account_ids": ["urn:li:sponsoredAccount:508774356", "508774356"]},
            {"ad_account_ids": ["508774356"]},
        ),
        ({"org_id": "not an id"}, {"org_id": "not an id"}),  # left for the spec to refuse
        ({"organization_ids": ["abc"]}, {"organization_ids": ["abc"]}),
        ({}, {}),
    ],
)
def test_ids_are_canonical_and_read_once(components_module, config, canonical):
    components_module.CanonicalIds().transform(config)
    assert config == canonical


def test_equivalent_ids_read_one_organization_once():
    with requests_mock.Mocker() as mock:
        mock.get(NETWORK_SIZES, json={"firstDegreeSize": 1})
        output = run_read(
            access_token_config(organization_ids=["02414183", "2414183"]), ["total_follower_count"]
        )
    assert [r.url.split("%3A")[-1].split("?")[0] for r in mock.request_history] == ["2414183"]
    assert [r.record.data["organizationalEntity"] for r in output.records] == ["urn:li:organization:2414183"]


def test_legacy_org_id_config_is_read():
    config = access_token_config()
    del config["organization_ids"]
    config["org_id"] = "777"
    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATIONS, json=organizations_batch())
        output = run_read(config, ["organization_lookup"])
    assert [r.record.data["id"] for r in output.records] == [777]


def test_without_ids_every_administered_organization_is_read_from_the_member_acls():
    pages = {
        0: [acl(i) for i in range(1000, 1100)],
        100: [acl(5), acl(6), acl(1000)],
    }  # 1000 twice: read once

    def acls(request, context):
        start = int(request.qs.get("start", ["0"])[0])
        return {"elements": pages[start], "paging": {"start": start, "count": 100}}

    with requests_mock.Mocker() as mock:
        mock.get(ORGANIZATION_ACLS, json=acls)
        mock.get(ORGANIZATIONS, json=organizations_batch())
        mock.get(NETWORK_SIZES, json={"firstDegreeSize": 1})
        output = run_read(
            access_token_config(organization_ids=[]), ["organization_lookup", "total_follower_count"]
        )
    asked = [r.url.split("?", 1)[1] for r in mock.request_history if r.url.startswith(ORGANIZATION_ACLS)]
    assert set(asked) == {
        "q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&count=100",
        "q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&start=100&count=100",
    }
    assert len(asked) <= 4, "the listing is cached: at most once per stream that starts at the same moment"
    batches = [
        requested_organizations(r) for r in mock.request_history if r.url.startswith(f"{ORGANIZATIONS}?")
    ]
    assert sorted(len(batch) for batch in batches) == [2, 100], "BATCH_GETs of at most 100 organizations"
    assert sorted(int(i) for batch in batches for i in batch) == [5, 6, *range(1000, 1100)]
    assert len([r for r in output.records if r.record.stream == "organization_lookup"]) == 102
    assert len([r for r in output.records if r.record.stream == "total_follower_count"]) == 102
