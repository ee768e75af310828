"""The manifest itself: no unknown keys (airbyte-cdk silently ignores a misspelled one), the legacy config
migration, in-app OAuth, and the stream contract of docs/contract.md."""

import dataclasses
import json
import typing
from pathlib import Path

import airbyte_cdk.sources.declarative as declarative
import pytest
import yaml
from airbyte_cdk.sources.declarative.parsers.manifest_reference_resolver import ManifestReferenceResolver

from unit_tests.helpers import MANIFEST, make_source

SCHEMA = yaml.safe_load((Path(declarative.__file__).parent / "declarative_component_schema.yaml").read_text())
DEFINITIONS = SCHEMA["definitions"]
# Keys every component may carry besides its schema properties.
ALWAYS_ALLOWED = {"type", "$parameters"}
# Keys airbyte-cdk reads from a custom component's model itself, not from the class.
READ_BY_AIRBYTE_CDK = {"CustomRetriever": {"partition_router"}}


def resolved_manifest():
    manifest = yaml.safe_load(MANIFEST.read_text())
    # $refs resolved; $parameters not propagated (propagation copies them into every component as keys).
    return ManifestReferenceResolver().preprocess_manifest(manifest)


def custom_class_fields(class_name):
    import components

    cls = getattr(components, class_name.rpartition(".")[2])
    fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    return fields | set(typing.get_type_hints(cls)) | {"class_name"}


def unknown_keys(node, path="manifest"):
    """Every key of a typed component that its type (or custom class) does not define."""
    problems = []
    if isinstance(node, dict):
        kind = node.get("type")
        if isinstance(kind, str) and kind in DEFINITIONS:
            if kind.startswith("Custom"):
                allowed = custom_class_fields(node["class_name"]) | READ_BY_AIRBYTE_CDK.get(kind, set())
            else:
                allowed = set(DEFINITIONS[kind].get("properties", {}))
            problems += [
                f"{path}.{key} (not a key of {kind})" for key in node if key not in allowed | ALWAYS_ALLOWED
            ]
        for key, value in node.items():
            if key not in ("$parameters", "schema", "connection_specification", "definitions"):
                problems += unknown_keys(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            problems += unknown_keys(item, f"{path}[{index}]")
    return problems


def test_manifest_has_no_unknown_keys():
    assert unknown_keys(resolved_manifest()) == []


def test_the_linter_catches_a_misspelled_key():
    manifest = resolved_manifest()
    manifest["streams"][0]["retriever"]["paginator"] = {
        "type": "DefaultPaginator",
        "pagination_strategy": {"type": "OffsetIncrement", "page_size": 1},
        "stop_conditon": "x",
    }
    assert any("stop_conditon" in problem for problem in unknown_keys(manifest))


def test_streams_keys_and_modes_follow_the_contract():
    contract = {
        "organization_lookup": ([["id"]], None),
        "total_follower_count": ([["organizationalEntity"]], None),
        "follower_statistics": ([["organizationalEntity"]], None),
        "follower_statistics_time_bound": ([["organizationalEntity"], ["timeRangeStart"]], ["timeRangeEnd"]),
        "share_statistics": ([["organizationalEntity"]], None),
        "share_statistics_time_bound": ([["organizationalEntity"], ["timeRangeStart"]], ["timeRangeEnd"]),
        "page_statistics": ([["organization"]], None),
        "page_statistics_time_bound": ([["organization"], ["timeRangeStart"]], ["timeRangeEnd"]),
        "posts": ([["id"]], ["lastModifiedAt"]),
        "post_statistics": ([["post"]], None),
        "dma_page_followers": ([["followee"], ["follower"]], None),
        "dma_followed_pages": ([["follower"], ["followee"]], None),
        "company_intelligence": ([["account"], ["companyPageUrl"]], None),
        "post_social_metadata": ([["post"]], None),
        "post_comments": ([["comment"]], ["lastModifiedAt"]),
        "video_analytics": ([["post"], ["type"]], None),
        "facet_names": ([["urn"]], None),
        "follower_demographics": ([["organizationalEntity"], ["snapshotDate"], ["facet"], ["value"]], None),
        "visitor_demographics": ([["organization"], ["snapshotDate"], ["facet"], ["value"]], None),
        "showcase_pages": ([["id"]], None),
        "showcase_page_statistics": ([["brand"]], None),
        "showcase_page_statistics_time_bound": ([["brand"], ["timeRangeStart"]], ["timeRangeEnd"]),
        "page_notifications": ([["notificationId"]], ["lastModifiedAt"]),
        "post_daily_statistics": ([["post"], ["timeRangeStart"]], ["timeRangeEnd"]),
        "page_daily_content_statistics": ([["organization"], ["timeRangeStart"]], ["timeRangeEnd"]),
    }
    config = {"credentials": {"auth_method": "access_token", "access_token": "x"}}
    streams = {s.name: s.as_airbyte_stream() for s in make_source(config).streams(config)}
    assert set(streams) == set(contract)
    for name, (primary_key, cursor) in contract.items():
        stream = streams[name]
        assert stream.source_defined_primary_key == primary_key, name
        assert (stream.default_cursor_field or None) == cursor, name
        modes = {m.value for m in stream.supported_sync_modes}
        assert modes == ({"full_refresh", "incremental"} if cursor else {"full_refresh"}), name


@pytest.mark.parametrize(
    ("legacy", "migrated"),
    [
        ({"org_id": "02414183"}, {"organization_ids": ["2414183"], "org_id": "2414183"}),
        ({"org_id": "1", "organization_ids": ["2", "3"]}, {"organization_ids": ["2", "3"], "org_id": "1"}),
        ({"organization_ids": ["4"]}, {"organization_ids": ["4"]}),
    ],
)
def test_legacy_org_id_is_migrated_and_written_back(tmp_path, legacy, migrated):
    credentials = {"auth_method": "access_token", "access_token": "x"}
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"credentials": credentials, **legacy}))
    source = make_source(json.loads(path.read_text()), config_path=str(path))
    assert json.loads(path.read_text()) == {"credentials": credentials, **migrated}
    assert source._config["organization_ids"] == migrated["organization_ids"]


def test_advanced_auth_fills_the_oauth_credentials():
    spec = make_source().spec(None)
    auth = spec.advanced_auth
    assert auth.predicate_key == ["credentials", "auth_method"] and auth.predicate_value == "oAuth2.0"
    inputs = auth.oauth_config_specification.oauth_connector_input_specification
    assert inputs.consent_url.startswith("https://www.linkedin.com/oauth/v2/authorization?")
    # The Community Management app's scopes only: one scope its product does not grant refuses the whole consent.
    assert set(inputs.scope.split()) == {
        "rw_organization_admin",
        "r_organization_social",
        "r_organization_social_feed",
    }
    outputs = auth.oauth_config_specification.complete_oauth_output_specification["properties"]
    assert outputs["refresh_token"]["path_in_connector_config"] == ["credentials", "refresh_token"]
    server = auth.oauth_config_specification.complete_oauth_server_output_specification["properties"]
    assert server["client_secret"]["path_in_connector_config"] == ["credentials", "client_secret"]


def test_every_request_is_bounded_by_a_connect_and_a_read_timeout_and_tcp_keepalive():
    """What bounds an answer that trickles (docs/reliability.md): each read, the connection, and a dead peer."""
    requester = resolved_manifest()["definitions"]["requester"]
    assert 0 < requester["connect_timeout_in_seconds"] <= 60
    assert 0 < requester["read_timeout_in_seconds"] <= 300
    assert requester["use_tcp_keepalive"] is True
    config = {"credentials": {"auth_method": "access_token", "access_token": "x"}, "organization_ids": ["1"]}
    for stream in make_source(config).streams(config):
        client = stream._stream_partition_generator._partition_factory._retriever.requester._http_client
        assert client._request_timeout == (30, 120), stream.name
