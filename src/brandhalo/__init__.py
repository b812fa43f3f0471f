"""brandhalo: brand-premiumization and public-opinion intelligence (zh/en, offline).

Importing this package is fast: the public names below load on first use, and heavy libraries
load when a stage needs them (the console script can then answer a Ctrl-C pressed while it
starts; see :mod:`brandhalo._console`).

Example:
    >>> import brandhalo
    >>> ws = brandhalo.open_workspace("my-workspace")      # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from brandhalo.errors import BrandhaloError, ConfigError, InputError, QueryError, StoreError
    from brandhalo.workspace import Workspace, init_workspace

__version__ = "0.1.0"

#: Public name -> the module that defines it (imported on first use).
_LAZY = {
    "BrandhaloError": "brandhalo.errors",
    "ConfigError": "brandhalo.errors",
    "InputError": "brandhalo.errors",
    "QueryError": "brandhalo.errors",
    "StoreError": "brandhalo.errors",
    "Workspace": "brandhalo.workspace",
    "init_workspace": "brandhalo.workspace",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'brandhalo' has no attribute {name!r}")


def open_workspace(path: str = ".") -> Workspace:
    """Open an existing workspace folder."""
    from brandhalo.workspace import Workspace

    return Workspace.open(path)


__all__ = [
    "BrandhaloError",
    "ConfigError",
    "InputError",
    "QueryError",
    "StoreError",
    "Workspace",
    "init_workspace",
    "open_workspace",
    "__version__",
]
