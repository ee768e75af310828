"""airbyte-cdk's standard connector tests (spec, check, discover, basic read with schema validation, bad
catalog), offline: the scenarios of ``acceptance-test-config.yml`` point at the emulator started here."""

from collections.abc import Iterator

import pytest
from airbyte_cdk.test.models import ConnectorTestScenario
from airbyte_cdk.test.standard_tests import SourceTestSuiteBase

from linkedin_emulator import Dataset, Emulator
from source_linkedin_org import SourceLinkedinOrg

EMULATOR_PORT = 18765  # the port the configs of integration_tests/ name


@pytest.fixture(scope="module", autouse=True)
def emulator() -> Iterator[Emulator]:
    dataset = Dataset(posts_per_org=60, member_followers_per_org=150, companies_per_account=120)
    with Emulator(dataset).start(port=EMULATOR_PORT) as running:
        running.update_settings(dma_interval_seconds=0.1)
        yield running


class TestStandardSuite(SourceTestSuiteBase):
    connector_name = "source-linkedin-org"

    @classmethod
    def create_connector(cls, scenario: ConnectorTestScenario | None) -> SourceLinkedinOrg:
        # A declarative source needs its config when it is built; the default builds it with none.
        config = (
            scenario.get_config_dict(connector_root=cls.get_connector_root_dir(), empty_if_missing=True)
            if scenario
            else None
        )
        return SourceLinkedinOrg(config=config)
