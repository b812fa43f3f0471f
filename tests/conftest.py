"""Shared fixtures. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.workspace import Workspace, init_workspace


@pytest.fixture
def tmp_ws(tmp_path: Path) -> Workspace:
    """A fresh workspace with the template config and an empty, migrated store."""
    ws = init_workspace(tmp_path / "ws")
    yield ws
    ws.close()
