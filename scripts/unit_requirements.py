"""Print the pip requirements of ``unit_tests/pyproject.toml`` (Poetry's dependency table, as airbyte-ci reads
it), so that scripts/test builds the unit tests' venv from that file alone."""

import sys
import tomllib
from pathlib import Path

dependencies = tomllib.loads((Path(__file__).parent.parent / "unit_tests" / "pyproject.toml").read_text())
for name, spec in dependencies["tool"]["poetry"]["dependencies"].items():
    if name != "python":
        extras = "" if isinstance(spec, str) else f"[{','.join(spec.get('extras', []))}]"
        spec = spec if isinstance(spec, str) else spec["version"]
        if spec[:1].isdigit():
            sys.exit(f"{name} = {spec!r}: write it with an operator (==, >=), which pip and Poetry both read")
        print(f"{name}{extras.replace('[]', '')}{spec}")
