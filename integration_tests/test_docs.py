"""The reliability matrix names real tests: a renamed or deleted test breaks this, not the documentation."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_test_named_in_the_reliability_matrix_exists():
    matrix = (ROOT / "docs" / "reliability.md").read_text()
    references = re.findall(r"`?([\w]+\.py)::(test_\w+)", matrix)
    assert len(references) >= 25
    sources = {
        path.name: path.read_text()
        for folder in ("unit_tests", "integration_tests")
        for path in (ROOT / folder).glob("test_*.py")
    }
    for file_name, test_name in references:
        assert file_name in sources, file_name
        assert (
            re.search(rf"def {test_name}\b", sources[file_name])
            or f"def {test_name}(" in sources[file_name]
            or (test_name.startswith("test_check") and "SourceTestSuiteBase" in sources[file_name])
        ), f"{file_name}::{test_name} is named in docs/reliability.md but does not exist"


def test_readme_links_the_user_documentation():
    readme = (ROOT / "README.md").read_text()
    assert "docs/linkedin-org.md" in readme and (ROOT / "docs" / "linkedin-org.md").exists()
