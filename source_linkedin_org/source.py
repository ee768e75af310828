"""The source: airbyte-cdk's declarative source over ``manifest.yaml``, plus a per-organization ``check``."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from airbyte_cdk.models import (
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteStateMessage,
    ConfiguredAirbyteCatalog,
    FailureType,
    Status,
)
from airbyte_cdk.sources.declarative.yaml_declarative_source import YamlDeclarativeSource
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_linkedin_org.connector_files import connector_file

CHECK_STREAM = "organization_lookup"


def config_problem(config: Mapping[str, Any]) -> str | None:
    """What the spec's JSON schema cannot say about a config, as a one-line message; None when it is fine."""
    start_date = config.get("start_date")
    if start_date:
        try:
            start = dt.datetime.strptime(start_date[:10], "%Y-%m-%d").date()
        except ValueError:
            return f"start_date {start_date!r} is not a calendar date: use YYYY-MM-DD, e.g. 2026-01-01."
        if start > dt.datetime.now(dt.UTC).date():
            return f"start_date {start_date} is in the future: LinkedIn has no statistics for it yet. Use a past date."
    return None


def manifest_path() -> Path:
    return connector_file("manifest.yaml")


class SourceLinkedinOrg(YamlDeclarativeSource):
    def __init__(
        self,
        catalog: ConfiguredAirbyteCatalog | None = None,
        config: Mapping[str, Any] | None = None,
        state: list[AirbyteStateMessage] | None = None,
        config_path: str | None = None,
    ) -> None:
        # With config_path, airbyte-cdk runs the manifest's config migrations (legacy org_id) and writes the
        # migrated config back, announcing it to the platform with a CONNECTOR_CONFIG control message.
        super().__init__(
            path_to_yaml=str(manifest_path()),
            catalog=catalog,
            config=config,
            state=state,
            config_path=config_path,
        )

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        """Proves the credentials work and that every configured organization can be read.

        airbyte-cdk's ``CheckStream`` reads one record of one partition; a user with several organizations
        needs to hear about the one whose page role is missing, so every organization is looked up.
        """
        problem = config_problem(config)
        if problem:
            return AirbyteConnectionStatus(status=Status.FAILED, message=problem)
        try:
            stream = next(s for s in self.streams(config) if s.name == CHECK_STREAM)
            organizations = 0
            for partition in stream.generate_partitions():
                for _ in partition.read():
                    organizations += 1
        except AirbyteTracedException as error:
            return AirbyteConnectionStatus(status=Status.FAILED, message=error.message or str(error))
        except Exception as error:  # noqa: BLE001 - check must answer, never crash
            return AirbyteConnectionStatus(status=Status.FAILED, message=f"{type(error).__name__}: {error}")
        if organizations == 0:
            return AirbyteConnectionStatus(
                status=Status.FAILED,
                message="The token's member administers no LinkedIn organization: set 'organization_ids' or "
                "authenticate as an ADMINISTRATOR of the page.",
            )
        logger.info(f"Read {organizations} organization(s).")
        return AirbyteConnectionStatus(status=Status.SUCCEEDED)

    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: list[AirbyteStateMessage] | None = None,
    ) -> Iterator[AirbyteMessage]:
        problem = config_problem(config)
        if problem:
            raise AirbyteTracedException(message=problem, failure_type=FailureType.config_error)
        yield from super().read(logger, config, catalog, state)
