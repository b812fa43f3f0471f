"""A process never waits for itself (issue 17): the server printed "waiting for another brandhalo
process (pid N, serve)" with its own pid.

Every store file of one folder shares the advisory lock file ``brandhalo.lock``; two ``flock``
holds of one process on that file (two lock objects) made the process wait on itself until its
timeout. The lock objects are now one per lock file, and a waiting message never names the
waiting process.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from brandhalo.store import Store, lock


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    lines: list[str] = []
    monkeypatch.setattr(lock, "on_wait", lines.append)
    return lines


def test_two_stores_of_one_folder_share_the_process_hold(tmp_path: Path, said) -> None:
    main = Store(tmp_path / "brandhalo.duckdb", wait_s=0.5)
    other = Store(tmp_path / "scratch.duckdb", wait_s=0.5)
    try:
        main.con.execute("SELECT 1")  # holds brandhalo.lock exclusively
        other.con.execute("SELECT 1")  # StoreBusyError after waiting on itself, before the fix
        assert said == []  # and it never said it was waiting
        assert lock.lock_for(main.path.absolute()) is lock.lock_for(other.path.absolute())
    finally:
        other.close()
        main.close()


def test_a_waiting_message_never_names_this_process(tmp_path: Path) -> None:
    store = Store(tmp_path / "brandhalo.duckdb")
    try:
        store.con.execute("SELECT 1")
        held = lock.lock_for(store.path.absolute())
        info = list((tmp_path / "brandhalo.lock.d").glob("*.json"))
        assert [p.stem for p in info] == [str(os.getpid())]  # this process holds it ...
        assert held.holders() == []  # ... and is never "another brandhalo process"
        assert f"pid {os.getpid()}" not in held._waiting_message(0, 1.0)
    finally:
        store.close()
