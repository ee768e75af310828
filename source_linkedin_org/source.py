"""The source: airbyte-cdk's declarative source over ``manifest.yaml`` and ``components.py``.

Nothing here adds behaviour: config validation, ``check`` and every stream live in the manifest, so every
runtime (this package, Airbyte's manifest-only image, the Connector Builder, PyAirbyte) behaves the same.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from airbyte_cdk.models import AirbyteStateMessage, ConfiguredAirbyteCatalog
from airbyte_cdk.sources.declarative.yaml_declarative_source import YamlDeclarativeSource

from source_linkedin_org.connector_files import connector_file, load_components


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
        load_components()
        # With config_path, airbyte-cdk runs the manifest's config migrations (legacy org_id) and writes the
        # migrated config back, announcing it to the platform with a CONNECTOR_CONFIG control message.
        super().__init__(
            path_to_yaml=str(manifest_path()),
            catalog=catalog,
            config=config,
            state=state,
            config_path=config_path,
        )
