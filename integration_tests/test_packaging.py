"""The Dockerfile's install steps, run outside Docker (no engine here): copy what it COPYs, run its pip
install in a fresh virtualenv (its dependencies found in the test's environment), then run its ENTRYPOINT from
another directory, as a new user would."""

import json
import shlex
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def dockerfile_steps():
    """(COPY sources, RUN commands, ENTRYPOINT argv) of the Dockerfile, in order."""
    copies, runs, entrypoint = [], [], None
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        instruction, _, argument = line.strip().partition(" ")
        if instruction == "COPY":
            parts = [p for p in argument.split() if not p.startswith("--")]
            copies.append((parts[:-1], parts[-1]))
        elif instruction == "RUN":
            runs.append(argument)
        elif instruction == "ENTRYPOINT":
            entrypoint = json.loads(argument)
    return copies, runs, entrypoint


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    context = tmp_path_factory.mktemp("image") / "integration_code"
    context.mkdir()
    copies, runs, entrypoint = dockerfile_steps()
    for sources, destination in copies:
        for source in sources:
            if (ROOT / source).is_dir():
                ignore = shutil.ignore_patterns("__pycache__")
                shutil.copytree(ROOT / source, context / destination, ignore=ignore)
            else:
                shutil.copy(ROOT / source, context / destination)  # a folder ("./"): keeps the name
    environment = tmp_path_factory.mktemp("venv") / "venv"
    venv.create(environment, with_pip=True)
    # The dependencies come from the test's own environment (a path after the new venv's own site-packages):
    # what is under test is the Dockerfile's COPY list and install of this package, not pip's download of
    # airbyte-cdk, which would take most of a minute.
    (next(environment.glob("lib/python3.*/site-packages")) / "dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    for command in runs:
        argv = shlex.split(command)
        assert argv[0] == "pip", f"unexpected RUN step: {command}"
        subprocess.run(
            [str(environment / "bin" / "python"), "-m", *argv],
            cwd=context,
            check=True,
            capture_output=True,
            timeout=900,
        )
    return environment, entrypoint


def run(installed, tmp_path, *args):
    environment, entrypoint = installed
    command = [str(environment / "bin" / entrypoint[0]), *entrypoint[1:], *args]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_dockerfile_installs_a_working_entrypoint(installed, tmp_path):
    spec = run(installed, tmp_path, "spec")
    assert spec.returncode == 0, spec.stderr[-2000:]
    message = next(json.loads(line) for line in spec.stdout.splitlines() if '"SPEC"' in line)
    assert "credentials" in message["spec"]["connectionSpecification"]["properties"]


def test_installed_package_discovers_every_stream_from_any_directory(installed, tmp_path):
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {"credentials": {"auth_method": "access_token", "access_token": "x"}, "organization_ids": ["1"]}
        )
    )
    discover = run(installed, tmp_path, "discover", "--config", str(config))
    catalog = next(json.loads(line) for line in discover.stdout.splitlines() if '"CATALOG"' in line)[
        "catalog"
    ]
    keys = {s["name"]: s["source_defined_primary_key"] for s in catalog["streams"]}
    assert keys["follower_statistics_time_bound"] == [["organizationalEntity"], ["timeRangeStart"]]
    assert len(keys) == 25
    assert keys["follower_demographics"] == [["organizationalEntity"], ["snapshotDate"], ["facet"], ["value"]]
    assert not (Path(sys.prefix) / "bin" / "source-linkedin-org").samefile(
        installed[0] / "bin" / "source-linkedin-org"
    )
