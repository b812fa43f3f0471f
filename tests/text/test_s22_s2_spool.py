"""Worker tasks and results travel as files in a RAM-backed spool folder (issue 15).

The enrich run hands each worker task's posts and each task's results over as Arrow IPC
files in a spool folder (mapped by the reader, unlinked at once) instead of through the
pool's pipes. The stored rows must be the same either way, no file may outlive the run
(finished, failed or interrupted), a folder left by a killed run is removed by the next run,
and without room for the files the run goes through the pipes as before.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pytest

from brandhalo.text import enrich_run
from brandhalo.text.enrich import run
from brandhalo.workspace import Workspace
from conftest import add_posts

TEXTS = ["雷军很好，但是SU7刹车差", "华为 Mate 70 拍照好", "提车等了半年", "Mi fans love it", ""]
TABLES = {
    "enriched": "SELECT * EXCLUDE (enriched_at) FROM enriched ORDER BY post_id",
    "post_targets": "SELECT * FROM post_targets ORDER BY ALL",
    "post_themes": "SELECT * FROM post_themes ORDER BY ALL",
    "post_facts": "SELECT * FROM post_facts ORDER BY ALL",
    "neardup_clusters": "SELECT * FROM neardup_clusters ORDER BY ALL",
    "neardup_bands": "SELECT * FROM neardup_bands ORDER BY ALL",
}


def _fill(ws: Workspace, n: int = 90) -> None:
    add_posts(ws, [{"post_id": f"p{i:03d}", "text": TEXTS[i % len(TEXTS)]} for i in range(n)])


def _tables(ws: Workspace) -> dict[str, list[dict[str, object]]]:
    cur = ws.store.cursor()
    try:
        return {name: cur.sql(q).to_arrow_table().to_pylist() for name, q in TABLES.items()}
    finally:
        cur.close()


def _pooled(monkeypatch: pytest.MonkeyPatch, spool_root: Path | None) -> list[object]:
    """Force the pool (two workers, tasks of 7 posts) and the spool root (None: no spool);
    returns the list the main process's messages to the workers are recorded in."""
    monkeypatch.setattr(enrich_run, "PARALLEL_MIN", 0)
    monkeypatch.setattr(enrich_run, "TASK_ROWS", 7)
    monkeypatch.setattr(
        enrich_run, "SPOOL_ROOT", str(spool_root) if spool_root else "/nonexistent/spool"
    )
    sent: list[object] = []
    real_pack = enrich_run._pack

    def pack(table: pa.Table, spool: str | None) -> bytes | str:
        message = real_pack(table, spool)
        sent.append(message)
        return message

    monkeypatch.setattr(enrich_run, "_pack", pack)
    return sent


@pytest.mark.slow
def test_spooled_tasks_store_what_piped_tasks_store(
    text_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(text_ws)
    root = text_ws.root
    piped_sent = _pooled(monkeypatch, None)
    res = run(text_ws, workers=2, chunk_rows=40, batch_rows=20)
    assert res.counts["workers"] == 2 and res.counts["enriched"] == 90
    piped = _tables(text_ws)
    assert piped_sent and all(isinstance(m, bytes) for m in piped_sent)
    tasks = len(piped_sent)

    # the same posts again, from scratch, through the spool
    text_ws.close()
    spool_root = tmp_path / "shm"
    spool_root.mkdir()
    other = tmp_path / "again"
    other.mkdir()
    (other / "brandhalo.toml").write_text((root / "brandhalo.toml").read_text("utf-8"), "utf-8")
    from brandhalo.workspace import init_workspace

    ws2 = init_workspace(other / "ws", config_text=(root / "brandhalo.toml").read_text("utf-8"))
    try:
        _fill(ws2)
        spooled_sent = _pooled(monkeypatch, spool_root)
        res = run(ws2, workers=2, chunk_rows=40, batch_rows=20)
        assert res.counts["workers"] == 2 and res.counts["enriched"] == 90
        # every task went as a file of the run's spool folder, and none is left
        assert len(spooled_sent) == tasks
        assert all(isinstance(m, str) and m.startswith(str(spool_root)) for m in spooled_sent)
        assert list(spool_root.iterdir()) == []
        assert _tables(ws2) == piped
    finally:
        ws2.close()


def test_a_message_is_a_file_read_once_or_the_stream_itself(tmp_path: Path) -> None:
    table = pa.table({"post_id": ["a", "b", None], "n": [1, 2, 3], "t": ["小米", "", "😡"]})
    message = enrich_run._pack(table, str(tmp_path))
    assert isinstance(message, str) and os.path.exists(message)
    assert enrich_run._unpack(message).equals(table)
    assert not os.path.exists(message)  # the reader unlinked it; the mapping lives on
    # a folder that is gone (or full): the stream itself, through the pipe
    gone = str(tmp_path / "gone")
    message = enrich_run._pack(table, gone)
    assert isinstance(message, bytes) and enrich_run._unpack(message).equals(table)
    assert enrich_run._unpack(enrich_run._pack(table, None)).equals(table)


def test_no_spool_without_room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enrich_run, "SPOOL_ROOT", str(tmp_path))
    monkeypatch.setattr(enrich_run, "SPOOL_MIN_FREE", 1 << 62)
    assert enrich_run._open_spool() is None
    monkeypatch.setattr(enrich_run, "SPOOL_ROOT", str(tmp_path / "missing"))
    assert enrich_run._open_spool() is None


def test_folders_of_killed_runs_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(dead.stdout)
    left = tmp_path / f"{enrich_run._SPOOL_PREFIX}{dead_pid}-x1"
    left.mkdir()
    (left / "task.arrow").write_bytes(b"x" * 100)
    old = enrich_run.time.time() - enrich_run.SPOOL_STALE_S - 1
    os.utime(left, (old, old))
    recent = tmp_path / f"{enrich_run._SPOOL_PREFIX}{dead_pid}-x3"  # written to just now
    recent.mkdir()
    alive = tmp_path / f"{enrich_run._SPOOL_PREFIX}{os.getppid()}-x2"  # a running process
    alive.mkdir()
    os.utime(alive, (old, old))
    unrelated = tmp_path / "something-else"
    unrelated.mkdir()
    monkeypatch.setattr(enrich_run, "SPOOL_ROOT", str(tmp_path))
    mine = enrich_run._open_spool()
    assert mine is not None and Path(mine).parent == tmp_path
    assert not left.exists() and alive.exists() and unrelated.exists() and recent.exists()


@pytest.mark.slow
def test_a_failed_run_leaves_no_spool_file_and_resumes_to_the_same_rows(
    text_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(text_ws)
    spool_root = tmp_path / "shm"
    spool_root.mkdir()
    _pooled(monkeypatch, spool_root)
    real_batch = enrich_run._write_batch
    calls = {"n": 0}

    def failing(con: object, job: object, part: object, index: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # the second chunk's first batch: the workers hold more
            raise KeyboardInterrupt
        real_batch(con, job, part, index)  # type: ignore[arg-type]

    monkeypatch.setattr(enrich_run, "_write_batch", failing)
    with pytest.raises(KeyboardInterrupt):
        run(text_ws, workers=2, chunk_rows=40, batch_rows=20)
    assert text_ws.store.count("enriched") == 40  # the first chunk only
    assert list(spool_root.iterdir()) == []
    monkeypatch.setattr(enrich_run, "_write_batch", real_batch)
    again = run(text_ws, workers=2, chunk_rows=40, batch_rows=20)
    assert again.counts["enriched"] == 50
    resumed = _tables(text_ws)
    assert list(spool_root.iterdir()) == []

    # the same posts in one uninterrupted run in this process
    text_ws.store.close()
    fresh = tmp_path / "fresh"
    from brandhalo.workspace import init_workspace

    ws2 = init_workspace(fresh, config_text=(text_ws.root / "brandhalo.toml").read_text("utf-8"))
    try:
        _fill(ws2)
        run(ws2, workers=1, chunk_rows=40, batch_rows=20)
        assert _tables(ws2) == resumed
    finally:
        ws2.close()
