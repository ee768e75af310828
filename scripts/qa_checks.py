"""Airbyte's connector QA checks (``airbyte_ops_mcp.connector_qa``), offline, on this connector laid out as in
Airbyte's monorepo: ``airbyte-integrations/connectors/source-linkedin-org/`` and
``docs/integrations/sources/linkedin-org.md``. Network look-ups (DockerHub, GitHub) are disabled: those checks
need Airbyte's infrastructure. Run it with ``scripts/qa-checks``; it prints one line per check."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
NAME = "source-linkedin-org"


def lay_out_as_in_the_monorepo(monorepo: Path) -> None:
    connector = monorepo / "airbyte-integrations" / "connectors" / NAME
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    for relative in tracked.stdout.splitlines():
        if relative.startswith(".ci/"):
            continue
        target = connector / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target)
    docs = monorepo / "docs" / "integrations" / "sources"
    docs.mkdir(parents=True)
    shutil.copy2(ROOT / "docs" / "linkedin-org.md", docs / "linkedin-org.md")
    subprocess.run(["git", "init", "-q"], cwd=monorepo, check=True)


def main() -> int:
    os.environ.update(DO_NOT_TRACK="1", HTTPS_PROXY="http://localhost:9", HTTP_PROXY="http://localhost:9")
    from airbyte_ops_mcp import metadata_validator  # noqa: PLC0415 - the QA package, installed by scripts/qa-checks
    from airbyte_ops_mcp.connector_ops.utils import Connector  # noqa: PLC0415
    from airbyte_ops_mcp.connector_qa.checks import ENABLED_CHECKS  # noqa: PLC0415
    from airbyte_ops_mcp.connector_qa.models import CheckStatus  # noqa: PLC0415

    # No DockerHub look-up (base image digest, latest released tag) and no registry look-up ("is it released?":
    # it is not, this connector is new): they need the network.
    metadata_validator.ValidatorOptions.__init__.__defaults__ = (None, True)
    Connector.is_released = property(lambda connector: False)
    with tempfile.TemporaryDirectory() as folder:
        monorepo = Path(folder) / "airbyte"
        lay_out_as_in_the_monorepo(monorepo)
        os.chdir(monorepo)
        failed = 0
        for check in ENABLED_CHECKS:
            try:
                result = check.run(Connector(NAME))
            except requests.exceptions.ConnectionError as error:  # a look-up of Airbyte's GitHub or registry
                print(f"⚪ Needs the network, not run {type(check).__name__}: {type(error).__name__}")
                continue
            failed += result.status is CheckStatus.FAILED
            message = " ".join(str(result.message).split())
            print(f"{result.status.value:<8} {type(check).__name__}: {message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
