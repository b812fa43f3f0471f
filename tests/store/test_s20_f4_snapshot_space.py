"""A read snapshot that does not fit on the disk: the failed copy is removed at once, a copy
that cannot fit is not started, and the message says what readers see and what to do.

The full disk is simulated by fault injection (the copy writes part of the file, then raises
ENOSPC; or the free space is reported short), so no tmpfs or root mount is needed.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from brandhalo.errors import StoreError
from brandhalo.store import STORE_FILE, Store, snapshot


def _served_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / STORE_FILE)
    with store.transaction() as con:
        con.execute("CREATE TABLE IF NOT EXISTS t AS SELECT range AS i FROM range(50000)")
    snapshot.enable(store.path)
    return store


def _leftovers(store: Store) -> list[str]:
    return sorted(p.name for p in snapshot.snapshot_dir(store.path).glob(".tmp-*"))


def _fill_then_fail(src: Path, dest: Path) -> int:
    with src.open("rb") as fin, dest.open("wb") as fout:
        fout.write(fin.read(4096))  # part of the copy is on the disk when it fills
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_copy_that_fills_the_disk_is_removed_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _served_store(tmp_path)
    monkeypatch.setattr(snapshot, "_copy_synced", _fill_then_fail)
    try:
        with pytest.raises(StoreError) as caught:
            store.publish()
        assert _leftovers(store) == []  # the disk is not left full
        message = str(caught.value)
        assert "No space left on device" in message
        assert "no snapshot has been published yet" in message  # not "the previous one"
        assert "previous one" not in message
        assert "free disk space" in message
        assert snapshot.current(store.path) is None
    finally:
        monkeypatch.undo()
        store.close(publish=False)


def test_a_failed_copy_after_a_published_one_names_the_generation_still_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _served_store(tmp_path)
    try:
        assert store.publish().generation == 1
        with store.transaction() as con:
            con.execute("INSERT INTO t VALUES (-1)")
        monkeypatch.setattr(snapshot, "_copy_synced", _fill_then_fail)
        with pytest.raises(StoreError, match=r"previous one \(generation 1\)"):
            store.publish()
        assert _leftovers(store) == []
        assert snapshot.current(store.path).generation == 1  # type: ignore[union-attr]
        monkeypatch.undo()
        assert store.publish().generation == 2  # once there is room, publishing works again
    finally:
        store.close(publish=False)


def test_no_copy_is_started_without_room_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _served_store(tmp_path)
    copies: list[Path] = []
    real_copy = snapshot._copy_synced

    def counting_copy(src: Path, dest: Path) -> int:
        copies.append(dest)
        return real_copy(src, dest)

    monkeypatch.setattr(snapshot, "_copy_synced", counting_copy)
    monkeypatch.setattr(snapshot, "_free_bytes", lambda folder: 1_000_000)
    try:
        with pytest.raises(StoreError) as caught:
            store.publish()
        message = str(caught.value)
        assert copies == [] and _leftovers(store) == []
        assert "needs" in message and "1.0 MB is free" in message
        assert "no snapshot has been published yet" in message
    finally:
        monkeypatch.undo()
        store.close(publish=False)


def test_short_of_room_older_generations_go_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _served_store(tmp_path)
    try:
        for value in (1, 2):
            with store.transaction() as con:
                con.execute("INSERT INTO t VALUES (?)", [-value])
            store.publish()
        folder = snapshot.snapshot_dir(store.path)
        assert (folder / "g00000001.duckdb").exists()  # kept while there is room
        with store.transaction() as con:
            con.execute("INSERT INTO t VALUES (-3)")
        room = {"free": 0}

        def free_after_deletes(folder: Path) -> int:
            room["free"] += 1  # the second look (after deleting) finds room
            return 1 if room["free"] == 1 else 10**12

        monkeypatch.setattr(snapshot, "_free_bytes", free_after_deletes)
        assert store.publish().generation == 3
        assert not (folder / "g00000001.duckdb").exists()
        assert (folder / "g00000003.duckdb").exists()
    finally:
        monkeypatch.undo()
        store.close(publish=False)


def test_the_dashboard_reads_the_store_when_no_snapshot_fits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandhalo.web.state import AppState
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace, init_workspace

    root = tmp_path / "ws"
    init_workspace(root).close()
    with Workspace.open(root) as ws:
        _, secret = create_token(ws, "read", name="full-disk")
    monkeypatch.setattr(snapshot, "_free_bytes", lambda folder: 0)
    state = AppState(root)
    try:
        assert state.verify(secret, "read").role == "read"  # sign-in works
        assert state.read(lambda ws: ws.store.count("tokens")) == 1
        assert state.generation == 0  # no snapshot: the store was read directly
        state.run(lambda ws: create_token(ws, "read", name="second"))  # the server's own write
        assert state.read(lambda ws: ws.store.count("tokens")) == 2  # read right after it
        folder = snapshot.snapshot_dir(root / STORE_FILE)
        assert list(folder.iterdir()) == []  # no copy, no leftover
        # the direct read let go of the store: a writer gets it at once
        writer = Store(root / STORE_FILE, wait_s=0.0)
        assert writer.try_open()
        writer.close(publish=False)
    finally:
        state.close()
