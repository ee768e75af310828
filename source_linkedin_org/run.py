"""Console entry point ``source-linkedin-org``: spec, check, discover, read.

Before airbyte-cdk's entrypoint runs a command, the config is checked against the spec here so that a bad
config gets a one-line message naming the field and never quoting its value (which may be a secret):
airbyte-cdk's own message quotes the value and names no field. The manifest-only runtimes refuse the same
configs, with airbyte-cdk's wording.
"""

import sys
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import jsonschema
import orjson
from airbyte_cdk.entrypoint import AirbyteEntrypoint, launch
from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteErrorTraceMessage,
    AirbyteMessage,
    AirbyteMessageSerializer,
    AirbyteTraceMessage,
    FailureType,
    Status,
    TraceType,
    Type,
)

from source_linkedin_org.source import SourceLinkedinOrg


def _print(message: AirbyteMessage) -> None:
    print(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode(), flush=True)


def _error(message: str, stack_trace: str | None = None, failure_type: FailureType | None = None) -> None:
    _print(
        AirbyteMessage(
            type=Type.TRACE,
            trace=AirbyteTraceMessage(
                type=TraceType.ERROR,
                emitted_at=int(datetime.now(UTC).timestamp() * 1000),
                error=AirbyteErrorTraceMessage(
                    message=message, stack_trace=stack_trace, failure_type=failure_type
                ),
            ),
        )
    )


def _describe(error: jsonschema.ValidationError) -> str:
    """What a config field must be, from the schema alone: the value itself is never quoted."""
    expected, schema = error.validator_value, error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        return "must be " + " or ".join(
            f"{'an' if k in ('object', 'integer', 'array') else 'a'} {k}" for k in kinds
        )
    if error.validator in ("minimum", "exclusiveMinimum"):
        return f"must be at least {expected}" + (
            " (exclusive)" if error.validator == "exclusiveMinimum" else ""
        )
    if error.validator in ("maximum", "exclusiveMaximum"):
        return f"must be at most {expected}" + (
            " (exclusive)" if error.validator == "exclusiveMaximum" else ""
        )
    if error.validator == "pattern":
        return f"must be {schema.get('pattern_descriptor') or 'of the form ' + str(expected)}"
    if error.validator == "enum":
        return "must be one of " + ", ".join(str(value) for value in expected)
    if error.validator in ("oneOf", "anyOf"):
        titles = [
            option.get("title") for option in expected if isinstance(option, Mapping) and option.get("title")
        ]
        return "must be one of: " + ", ".join(titles) if titles else "is not in a form the spec allows"
    if error.validator == "required":
        return f"misses {error.message.split(' is a required')[0]}"
    if error.validator == "minLength":
        return "must not be empty"
    if error.validator == "uniqueItems":
        return "must not repeat a value"
    if error.validator == "const":
        return f"must be {expected}"
    return "is not valid"


def config_problem(config: Any, spec: Mapping[str, Any]) -> str | None:
    """A one-line description of the first way ``config`` breaks ``spec``, or None."""
    if not isinstance(config, Mapping):
        return "Config validation error: the config must be a JSON object with 'credentials' (see the spec)."
    error = jsonschema.exceptions.best_match(jsonschema.Draft7Validator(spec).iter_errors(dict(config)))
    if error is None:
        return None
    field = ".".join(str(part) for part in error.absolute_path) or "the config"
    return f"Config validation error: '{field}' {_describe(error)}."


def _source(args: list[str]) -> SourceLinkedinOrg | None:
    """The declarative source needs config, catalog and state when it is built, so read them from argv."""
    try:
        config_path = AirbyteEntrypoint.extract_config(args)
        catalog_path = AirbyteEntrypoint.extract_catalog(args)
        state_path = AirbyteEntrypoint.extract_state(args)
        config = SourceLinkedinOrg.read_config(config_path) if config_path else None
        if config is not None and not isinstance(config, Mapping):
            _error(config_problem(config, {}), failure_type=FailureType.config_error)
            return None
        return SourceLinkedinOrg(
            config=config,
            catalog=SourceLinkedinOrg.read_catalog(catalog_path) if catalog_path else None,
            state=SourceLinkedinOrg.read_state(state_path) if state_path else None,
            config_path=config_path,
        )
    except Exception as error:
        _error(f"Could not start source-linkedin-org: {error}", traceback.format_exc())
        return None


def run() -> None:
    args = sys.argv[1:]
    source = _source(args)
    if source is None:
        sys.exit(1)
    command = args[0] if args else ""
    if command in ("check", "discover", "read") and source._config:
        # From the manifest: airbyte-cdk's spec() may be called once per process only (it mutates its spec).
        spec = source.resolved_manifest["spec"]["connection_specification"]
        problem = config_problem(source._config, spec)
        if problem:
            if command == "check":
                _print(
                    AirbyteMessage(
                        type=Type.CONNECTION_STATUS,
                        connectionStatus=AirbyteConnectionStatus(status=Status.FAILED, message=problem),
                    )
                )
                return
            _error(problem, failure_type=FailureType.config_error)
            sys.exit(1)
    launch(source, args)


if __name__ == "__main__":
    run()
