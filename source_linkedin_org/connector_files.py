"""The connector is two files, ``manifest.yaml`` and ``components.py``, at the repository root.

Airbyte builds its manifest-only image from exactly these two files, and the Connector Builder and PyAirbyte
inject them; this package is one more runtime for the same pair. The wheel ships them inside the package
(``pyproject.toml`` force-includes them); a source checkout reads them from the repository root.

``components.py`` is registered as ``source_declarative_manifest.components``, the module name airbyte-cdk
gives injected components, because that is the name the manifest's ``class_name`` entries use in every
runtime. ``source_linkedin_org.components`` is the same module object, so tests and the package share one set
of classes and process-wide caches.
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


def register_components() -> ModuleType:
    """Import ``components.py`` under the name the manifest uses, once per process."""
    module = sys.modules.get(COMPONENTS_MODULE)
    if module is None:
        spec = importlib.util.spec_from_file_location(COMPONENTS_MODULE, connector_file("components.py"))
        if spec is None or spec.loader is None:
            raise ImportError(f"components.py not found next to {connector_file('manifest.yaml')}")
        module = importlib.util.module_from_spec(spec)
        # Registered before it runs, as airbyte-cdk does: dataclasses look their module up while being built.
        sys.modules[COMPONENTS_MODULE] = module
        spec.loader.exec_module(module)
    sys.modules[f"{__package__}.components"] = module
    return module
