"""airbyte-cdk's standard connector tests (spec, check, discover, basic read with schema validation, bad
catalog), offline: the scenarios of ``acceptance-test-config.yml`` run against the emulator started here, with
``secrets/config.json`` (LinkedIn itself, in Airbyte's CI) read as ``integration_tests/valid_config.json``
pointed at the emulator."""

import copy
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from airbyte_cdk.test.models import ConnectorTestScenario
from airbyte_cdk.test.models.scenario import REMOVED_ENTRY_KEYS
from airbyte_cdk.test.standard_tests import SourceTestSuiteBase
from boltons.typeutils import classproperty

from integration_tests.acceptance import acceptance_dataset, emulator_config
from linkedin_emulator import Emulator
from source_linkedin_org import SourceLinkedinOrg

# secrets/config.json, for this process: valid_config.json pointed at the emulator this module starts (on a
# free port, so that parallel test processes do not collide).
CONFIG = (
    Path(tempfile.gettempdir()) / f"source-linkedin-org-standard-suite-{os.getpid()}" / "valid_config.json"
)


@pytest.fixture(scope="module", autouse=True)
def emulator() -> Iterator[Emulator]:
    with Emulator(acceptance_dataset()) as running:
        running.update_settings(dma_interval_seconds=0.1)
        CONFIG.parent.mkdir(exist_ok=True)
        CONFIG.write_text(json.dumps(emulator_config(running)))
        yield running
    CONFIG.unlink(missing_ok=True)


class TestStandardSuite(SourceTestSuiteBase):
    connector_name = "source-linkedin-org"

    @classproperty
    def acceptance_test_config(cls) -> Any:
        """The file as Airbyte's acceptance tests read it, made offline: real-credential configs become the
        emulator's, and the record comparisons the standard tests do not run (expect_records,
        fail_on_extra_columns) are left to test_acceptance_files.py."""
        config = copy.deepcopy(super().acceptance_test_config)
        for section in config["acceptance_tests"].values():
            for entry in section.get("tests", []):
                if str(entry.get("config_path", "")).startswith("secrets/"):
                    entry["config_path"] = str(CONFIG)
                for key in REMOVED_ENTRY_KEYS:
                    entry.pop(key, None)
        return config

    @classmethod
    def create_connector(cls, scenario: ConnectorTestScenario | None) -> SourceLinkedinOrg:
        # A declarative source needs its config when it is built; the default builds it with none.
        config = (
            scenario.get_config_dict(connector_root=cls.get_connector_root_dir(), empty_if_missing=True)
            if scenario
            else None
        )
        return SourceLinkedinOrg(config=config)
