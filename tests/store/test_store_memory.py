"""Every store connection runs under a memory limit (issue 19: bounded memory at every size)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brandhalo.errors import StoreError
from brandhalo.store import MEMORY_ENV, memory_limit
from brandhalo.workspace import Workspace, init_workspace

_UNITS = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40, "PiB": 2**50}


def limit_bytes(ws: Workspace) -> float:
    """DuckDB's memory limit on the store's connection, in bytes ('286.1 MiB')."""
    text = ws.store.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    number, unit = re.fullmatch(r"([\d.]+) (\w+)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def test_the_default_limit_leaves_room_in_4_gb(tmp_ws: Workspace, monkeypatch) -> None:
    """DuckDB's own default is 80 % of RAM: a 10M-post analyze reached 8.8 GB resident; half
    the 4 GB budget goes to DuckDB, half to Python and the enrich workers."""
    from brandhalo.store import ram_bytes

    monkeypatch.delenv(MEMORY_ENV, raising=False)
    assert memory_limit() == f"{max(256, min(2048, ram_bytes() // 4 >> 20))}MB"
    assert limit_bytes(tmp_ws) <= 2 * 2**30


def test_the_environment_sets_the_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(MEMORY_ENV, "300MB")
    ws = init_workspace(tmp_path / "ws")
    try:
        assert 250 * 2**20 <= limit_bytes(ws) <= 300 * 10**6
    finally:
        ws.close()


def test_a_bad_limit_says_which_variable(tmp_path: Path, monkeypatch) -> None:
    init_workspace(tmp_path / "ws").close()
    monkeypatch.setenv(MEMORY_ENV, "lots")
    ws = Workspace.open(tmp_path / "ws")
    try:
        with pytest.raises(StoreError, match=f"{MEMORY_ENV}='lots'.*2GB"):
            ws.store.con.execute("SELECT 1")
    finally:
        ws.close()


def test_ingest_lowers_the_limit_and_gives_the_store_s_back(tmp_path: Path, monkeypatch) -> None:
    """Ingest loads a file under its own, lower cap, then the store's limit applies again."""
    from brandhalo.ingest.writer import memory_cap

    monkeypatch.setenv(MEMORY_ENV, "900MB")
    monkeypatch.setenv("BRANDHALO_INGEST_MEMORY", "200MB")
    ws = init_workspace(tmp_path / "ws")
    try:
        before = limit_bytes(ws)
        with memory_cap(ws.store.con):
            assert limit_bytes(ws) <= 200 * 10**6
        assert abs(limit_bytes(ws) - before) < 2**20 and before > 800 * 2**20  # as shown, rounded
    finally:
        ws.close()
