"""Console entry point ``source-linkedin-org``: spec, check, discover, read.

Before airbyte-cdk's entrypoint runs a command, the config is checked here, against the spec and the
manifest's own validations, so that a bad config gets one line naming the field in the user's words, never
quoting its value (which may be a secret) and never a stack trace: airbyte-cdk's message quotes the value,
names no field, and wraps the manifest's validations in its own prefixes. The manifest-only runtimes refuse the
same configs, in airbyte-cdk's wording. A SIGTERM ends the process once airbyte-cdk has removed its temporary
folder (the config copy, the response cache).
"""

import difflib
import os
import signal
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
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_org.interpreter import serialize_ast_construction
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
        return f"must be {schema.get('pattern_descriptor') or 'in the form its description gives'}"
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
    known = list((spec.get("properties") or {}) if isinstance(spec, Mapping) else {})
    for key in config if error is None else ():  # a misspelt key would be ignored without a word
        internal = str(key).startswith("__")  # what the manifest's config transformations add (__sync_day, …)
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.75) if key not in known else []
        close = [] if internal else close
        if close:
            return (
                f"Config validation error: {key!r} is no field of this connector: did you mean {close[0]!r}?"
            )
    if error is None:
        return None
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    return f"Config validation error: {field.lstrip('.') or 'the config'} {_describe(error)}."


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
    except Exception as error:  # an unreadable config file
        _error(
            f"The config cannot be read: {' '.join(str(error).split())}",
            failure_type=FailureType.config_error,
        )
        return None
    try:
        return SourceLinkedinOrg(
            config=config,
            catalog=SourceLinkedinOrg.read_catalog(catalog_path) if catalog_path else None,
            state=SourceLinkedinOrg.read_state(state_path) if state_path else None,
            config_path=config_path,
        )
    except Exception as error:
        _error(f"Could not start source-linkedin-org: {error}", traceback.format_exc())
        return None


def _manifest_problem(source: SourceLinkedinOrg) -> str | None:
    """The message of the first of the manifest's config validations that refuses the config, or None."""
    try:
        # airbyte-cdk's step before it builds any stream runs them (streams() would also build all 19 streams,
        # half a second, only for the command to build them again).
        source._prepare_for_stream_build()
    except AirbyteTracedException as error:
        if error.failure_type == FailureType.config_error:
            return error.message
        raise
    return None


def _exit_on_sigterm(signum: int, frame: object) -> None:
    # Unwinds the main thread, so airbyte-cdk's `with TemporaryDirectory()` removes its folder; run() then ends
    # the process without waiting for worker threads blocked on the network.
    raise SystemExit(128 + signum)


def run() -> None:
    for ending in (signal.SIGTERM, signal.SIGHUP):  # a closed terminal (SIGHUP) too: the folder goes
        signal.signal(ending, _exit_on_sigterm)
    serialize_ast_construction()  # before airbyte-cdk starts its worker threads
    args = sys.argv[1:]
    if args[:1] == ["doctor"]:  # what LinkedIn lets this config read (source_linkedin_org/doctor.py)
        from source_linkedin_org.doctor import main as doctor

        sys.exit(doctor(args[1:]))
    source = _source(args)
    if source is None:
        sys.exit(1)
    command = args[0] if args else ""
    if command in ("check", "discover", "read") and source._config:
        # From the manifest: airbyte-cdk's spec() may be called once per process only (it mutates its spec).
        spec = source.resolved_manifest["spec"]["connection_specification"]
        problem = config_problem(source._config, spec) or _manifest_problem(source)
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
    try:
        launch(source, args)
    except SystemExit as stop:
        ending = stop.code - 128 if isinstance(stop.code, int) else 0
        if ending in (
            signal.SIGTERM,
            signal.SIGHUP,
        ):  # ended by the signal itself, as Airbyte and PyAirbyte expect
            sys.stdout.flush()
            signal.signal(ending, signal.SIG_DFL)
            os.kill(os.getpid(), ending)
        raise


if __name__ == "__main__":
    run()
