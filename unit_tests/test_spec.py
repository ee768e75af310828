"""The spec is the contract of docs/contract.md: keys, types, defaults, secrets."""

import jsonschema
import pytest
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from unit_tests.helpers import access_token_config, resolved_manifest, run_read

SPEC = resolved_manifest()["spec"]["connection_specification"]
PROPERTIES = SPEC["properties"]


def validate(config):
    jsonschema.validate(config, SPEC)


def test_spec_has_every_contract_key():
    assert {
        "credentials",
        "dma_credentials",
        "organization_ids",
        "org_id",
        "start_date",
        "time_granularity_type",
        "lookback_window_days",
        "linkedin_api_version",
        "ad_account_ids",
        "company_intelligence_lookback_window",
        "dma_min_request_interval_seconds",
        "api_base_url",
        "oauth_base_url",
    } <= set(PROPERTIES)
    assert SPEC["required"] == ["credentials"]


def test_fields_come_in_the_order_a_user_fills_them_each_described():
    # Airbyte's spec tests refuse two fields of one `order`; the hidden ones come last.
    orders = {name: field["order"] for name, field in PROPERTIES.items()}
    assert sorted(orders.values()) == list(range(len(orders))), "each order once, none skipped"
    by_order = sorted(orders, key=orders.get)
    assert by_order[:3] == ["credentials", "organization_ids", "start_date"]
    hidden = [name for name in by_order if PROPERTIES[name].get("airbyte_hidden")]
    assert by_order[-len(hidden) :] == hidden, "hidden fields after every field a user sees"
    assert [name for name, field in PROPERTIES.items() if not field.get("description")] == []


def test_every_secret_is_marked_airbyte_secret():
    for key in ("credentials", "dma_credentials"):
        oauth, token = PROPERTIES[key]["oneOf"]
        for name in ("client_id", "client_secret", "refresh_token"):
            assert oauth["properties"][name]["airbyte_secret"] is True
        assert token["properties"]["access_token"]["airbyte_secret"] is True
        assert oauth["properties"]["auth_method"]["const"] == "oAuth2.0"
        assert token["properties"]["auth_method"]["const"] == "access_token"
    assert "dma_credentials" not in SPEC["required"]


def test_defaults_match_the_contract():
    assert PROPERTIES["time_granularity_type"]["default"] == "DAY"
    assert PROPERTIES["lookback_window_days"]["default"] == 2
    assert PROPERTIES["company_intelligence_lookback_window"]["default"] == "LAST_90_DAYS"
    assert PROPERTIES["include_showcase_pages"]["default"] is True
    assert PROPERTIES["dma_min_request_interval_seconds"]["default"] == 60


TOKEN = {"auth_method": "access_token", "access_token": "x"}


@pytest.mark.parametrize(
    "config",
    [
        {"credentials": TOKEN},
        {"credentials": TOKEN, "organization_ids": ["2414183"], "start_date": "2026-01-01"},
        {"credentials": TOKEN, "start_date": "2026-01-01T00:00:00Z", "time_granularity_type": "MONTH"},
        {"credentials": TOKEN, "org_id": "123", "linkedin_api_version": "202610"},
        {
            "credentials": TOKEN,
            "api_base_url": "http://localhost:8765",
            "oauth_base_url": "http://localhost:1/",
        },
        {
            "credentials": TOKEN,
            "api_base_url": "https://api.linkedin.com",
            "oauth_base_url": "https://www.linkedin.com",
        },
        # The contract: LinkedIn's own hosts over https, or a loopback host over http or https.
        {
            "credentials": TOKEN,
            "api_base_url": "https://api.linkedin.com:443/",
            "oauth_base_url": "http://127.0.0.1:9",
        },
        {"credentials": TOKEN, "api_base_url": "https://[::1]:8443", "oauth_base_url": "https://localhost"},
        {"credentials": TOKEN, "ads_credentials": TOKEN, "dma_credentials": TOKEN},
    ],
)
def test_valid_configs_pass(config):
    validate(config)


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"credentials": {"auth_method": "access_token", "access_token": ""}},
        {"credentials": {"auth_method": "oAuth2.0", "client_id": "a", "client_secret": "b"}},
        {"credentials": TOKEN, "organization_ids": ["acme"]},
        {"credentials": TOKEN, "organization_ids": ["-5"]},
        {"credentials": TOKEN, "org_id": "12a"},
        {"credentials": TOKEN, "start_date": "01/02/2026"},
        {"credentials": TOKEN, "time_granularity_type": "HOUR"},
        {"credentials": TOKEN, "lookback_window_days": 31},
        {"credentials": TOKEN, "lookback_window_days": -1},
        {"credentials": TOKEN, "linkedin_api_version": "2026-10"},
        {"credentials": TOKEN, "api_base_url": "http://api.example.com"},
        {"credentials": TOKEN, "api_base_url": "http://10.0.0.1:8080"},
        # Credentials go over https, or over plain http to a loopback host (the emulator), to a host named plainly.
        {"credentials": TOKEN, "api_base_url": "https://api.linkedin.com@attacker.example"},
        {"credentials": TOKEN, "oauth_base_url": "http://www.linkedin.com"},
        {"credentials": TOKEN, "api_base_url": "https://api.linkedin.com/rest"},
        {"credentials": TOKEN, "api_base_url": "http://localhost.attacker.example"},
        # Any other https host: a proxy, a look-alike, LinkedIn's name inside another domain.
        {"credentials": TOKEN, "api_base_url": "https://linkedin-proxy.example.com:8443/"},
        {"credentials": TOKEN, "oauth_base_url": "https://elsewhere.example"},
        {"credentials": TOKEN, "api_base_url": "https://api.linkedin.com.attacker.example"},
        {"credentials": TOKEN, "oauth_base_url": "https://wwwxlinkedin.com"},
        {"credentials": TOKEN, "api_base_url": "https://media.linkedin.com"},
        {"credentials": TOKEN, "company_intelligence_lookback_window": "LAST_YEAR"},
    ],
)
def test_bad_configs_are_rejected(config):
    with pytest.raises(jsonschema.ValidationError):
        validate(config)


@pytest.mark.parametrize(
    ("start_date", "expected"),
    [("2026-02-30", "not a calendar date"), ("2999-01-01", "in the future")],
)
def test_start_dates_the_schema_cannot_reject_fail_read_with_a_config_error(start_date, expected):
    output = run_read(
        access_token_config(start_date=start_date),
        ["follower_statistics_time_bound"],
        expecting_exception=True,
    )
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.config_error and expected in error.message


def test_start_date_validation_accepts_past_days_and_refuses_impossible_or_future_ones(components_module):
    validation = components_module.StartDateIsAPastDay()
    for accepted in (None, "", "2025-01-31", "2025-01-31T00:00:00Z"):
        validation.validate(accepted)
    for refused, message in (("2025-02-30", "not a calendar date"), ("2999-01-01", "in the future")):
        with pytest.raises(AirbyteTracedException) as raised:
            validation.validate(refused)
        assert message in raised.value.message and raised.value.failure_type.value == "config_error"


def test_pattern_validation_never_repeats_the_value_it_refuses(components_module):
    validation = components_module.MatchesPattern(
        pattern=r"https://api\.linkedin\.com/?", message="'api_base_url' must be LinkedIn's"
    )
    validation.validate("https://api.linkedin.com")
    validation.validate(None)
    for refused in ("https://user:s3cret@attacker.example", 42):
        with pytest.raises(AirbyteTracedException) as raised:
            validation.validate(refused)
        assert raised.value.message == "'api_base_url' must be LinkedIn's"
        assert "s3cret" not in str(raised.value) and "s3cret" not in (raised.value.internal_message or "")


@pytest.mark.parametrize(
    ("credentials", "cleaned"),
    [
        (
            {"auth_method": "access_token", "access_token": "AQV-token\n"},
            {"auth_method": "access_token", "access_token": "AQV-token"},
        ),
        (
            {
                "auth_method": "oAuth2.0",
                "client_id": " id ",
                "client_secret": "\tsecret\r\n",
                "refresh_token": "r\n",
            },
            {"auth_method": "oAuth2.0", "client_id": "id", "client_secret": "secret", "refresh_token": "r"},
        ),
        ("AQV-pasted-token\n", {"auth_method": "access_token", "access_token": "AQV-pasted-token"}),
    ],
)
def test_credentials_are_cleaned_where_they_enter(components_module, credentials, cleaned):
    config = {"credentials": credentials, "dma_credentials": credentials}
    components_module.CleanCredentials().transform(config)
    assert config == {"credentials": cleaned, "dma_credentials": cleaned}


@pytest.mark.parametrize("inside", ["AQV tok", "AQV\ntok", "AQV\x00tok", "AQV\x7ftok"])
def test_a_credential_with_whitespace_or_a_control_character_inside_is_refused_without_being_shown(inside):
    output = run_read(
        {**access_token_config(), "credentials": {"auth_method": "access_token", "access_token": inside}},
        ["total_follower_count"],
        expecting_exception=True,
    )
    error = output.errors[0].trace.error
    assert error.failure_type == FailureType.config_error and "\n" not in error.message
    assert "control character" in error.message
    everything = "".join(str(message) for message in output.get_message_iterator())
    assert "AQV" not in everything, "no part of the credential in any output"
