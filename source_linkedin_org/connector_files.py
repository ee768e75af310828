"""The connector is two files, ``manifest.yaml`` and ``components.py``, at the repository root.

Airbyte builds its manifest-only image from exactly these two files, and the Connector Builder and PyAirbyte
inject them; this package is one more runtime for the same pair. The wheel ships them inside the package
(``pyproject.toml`` force-includes them); a source checkout reads them from the repository root.

``components.py`` is registered as ``source_declarative_manifest.components``, the module name airbyte-cdk
gives injected components and the one the manifest's ``class_name`` entries use. Each source gets a fresh load,
as each request of the Builder's server does: the state a sync keeps in the module never outlives it.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

COMPONENTS_MODULE = "source_declarative_manifest.components"


def connector_file(name: str) -> Path:
    """``manifest.yaml`` or ``components.py``: the copy in the installed package, else the repository's."""
    packaged = Path(__file__).parent / name
    return packaged if packaged.exists() else Path(__file__).parent.parent / name


def load_components() -> ModuleType:
    """Load ``components.py`` afresh under the name the manifest uses."""
    spec = importlib.util.spec_from_file_location(COMPONENTS_MODULE, connector_file("components.py"))
    if spec is None or spec.loader is None:
        raise ImportError(f"components.py not found next to {connector_file('manifest.yaml')}")
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs, as airbyte-cdk does: dataclasses look their module up while being built.
    sys.modules[COMPONENTS_MODULE] = module
    spec.loader.exec_module(module)
    return module
