"""Console entry point ``source-linkedin-org``: spec, check, discover, read."""

from __future__ import annotations

import sys
import traceback
from datetime import UTC, datetime

import orjson
from airbyte_cdk.entrypoint import AirbyteEntrypoint, launch
from airbyte_cdk.models import (
    AirbyteErrorTraceMessage,
    AirbyteMessage,
    AirbyteMessageSerializer,
    AirbyteTraceMessage,
    TraceType,
    Type,
)

from source_linkedin_org.source import SourceLinkedinOrg


def _source(args: list[str]) -> SourceLinkedinOrg | None:
    """The declarative source needs config, catalog and state when it is built, so read them from argv."""
    try:
        config_path = AirbyteEntrypoint.extract_config(args)
        catalog_path = AirbyteEntrypoint.extract_catalog(args)
        state_path = AirbyteEntrypoint.extract_state(args)
        return SourceLinkedinOrg(
            config=SourceLinkedinOrg.read_config(config_path) if config_path else None,
            catalog=SourceLinkedinOrg.read_catalog(catalog_path) if catalog_path else None,
            state=SourceLinkedinOrg.read_state(state_path) if state_path else None,
            config_path=config_path,
        )
    except Exception as error:
        message = AirbyteMessage(
            type=Type.TRACE,
            trace=AirbyteTraceMessage(
                type=TraceType.ERROR,
                emitted_at=int(datetime.now(UTC).timestamp() * 1000),
                error=AirbyteErrorTraceMessage(
                    message=f"Could not start source-linkedin-org: {error}",
                    stack_trace=traceback.format_exc(),
                ),
            ),
        )
        print(orjson.dumps(AirbyteMessageSerializer.dump(message)).decode())
        return None


def run() -> None:
    args = sys.argv[1:]
    source = _source(args)
    if source is None:
        sys.exit(1)
    launch(source, args)


if __name__ == "__main__":
    run()
