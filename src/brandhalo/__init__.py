"""brandhalo: brand-premiumization and public-opinion intelligence (zh/en, offline).

Importing this package is fast; heavy libraries load when a stage needs them.

Example:
    >>> import brandhalo
    >>> ws = brandhalo.open_workspace("my-workspace")      # doctest: +SKIP
"""

from __future__ import annotations

from brandhalo.errors import BrandhaloError, ConfigError, InputError, QueryError, StoreError
from brandhalo.workspace import Workspace, init_workspace

__version__ = "0.1.0"


def open_workspace(path: str = ".") -> Workspace:
    """Open an existing workspace folder."""
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
