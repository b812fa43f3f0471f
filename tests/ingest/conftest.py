"""Ingest fixtures: input files written from Python in every format and encoding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import Rows, write_rows


@pytest.fixture
def rows_file(tmp_path: Path) -> Callable[..., Path]:
    """`rows_file(name, rows, **kw)` -> a file in a temp folder."""

    def make(name: str, rows: Rows, **kw: Any) -> Path:
        return write_rows(tmp_path / name, rows, **kw)

    return make
