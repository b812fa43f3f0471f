"""Crash atomicity: kill -9 a real `brandhalo ingest` mid-file; the store keeps all or nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from brandhalo.workspace import Workspace

# The console script's entry point, run with this interpreter.
BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]

ROWS = 300_000
# Larger than DuckDB's row group (122,880 rows), so each batch's insert is written into the
# store file before the commit: the test can see the transaction is under way.
BATCH = 130_000


def _big_csv(path):
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv

    i = np.arange(ROWS)
    table = pa.table(
        {
            "id": pa.array(i.astype(str)),
            "text": pa.array(np.char.add("post number ", i.astype(str))),
            "created_at": pa.array(np.full(ROWS, "2025-05-21T10:00:00+08:00")),
        }
    )
    pcsv.write_csv(table, path)


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("atomic") / "big.csv"
    _big_csv(path)
    return path


def test_only_scratch_folders_of_gone_processes_are_swept(tmp_path):
    from brandhalo.ingest.readers import SCRATCH_PREFIX, sweep_scratch

    done = subprocess.Popen(["true"])
    done.wait()  # a process id that is gone
    gone = tmp_path / f"{SCRATCH_PREFIX}{done.pid}-abc"
    mine = tmp_path / f"{SCRATCH_PREFIX}{os.getpid()}-def"
    odd = tmp_path / f"{SCRATCH_PREFIX}x-ghi"
    for d in (gone, mine, odd):
        d.mkdir()
        (d / "copy.csv").write_text("id,text\n")
    assert sweep_scratch(tmp_path) == 1
    assert not gone.exists() and mine.exists() and odd.exists()


def _state(root):
    with Workspace.open(root) as ws:
        posts = ws.store.count("posts")
        done = ws.store.con.execute(
            "SELECT count(*) FROM ingest_log WHERE status = 'done'"
        ).fetchone()[0]
        quarantined = ws.store.count("quarantine")
    return posts, done, quarantined


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_kill_mid_file_leaves_store_unchanged_and_rerun_works(tmp_ws, big_csv, sig, tmp_path):
    path = big_csv
    root = tmp_ws.root
    tmp_ws.close()
    scratch = tmp_path / "tmp"  # the processes' temp folder (their scratch folders go there)
    scratch.mkdir()
    env = {**os.environ, "BRANDHALO_INGEST_BATCH_ROWS": str(BATCH), "TMPDIR": str(scratch)}
    db = root / "brandhalo.duckdb"
    size0 = db.stat().st_size
    proc = subprocess.Popen(
        [*BRANDHALO, "ingest", "posts", str(path), "--project", str(root), "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until the ingest is writing (DuckDB writes full row groups of a large uncommitted
    # insert into the store file before the commit), then interrupt it.
    deadline = time.monotonic() + 120
    wal = root / "brandhalo.duckdb.wal"
    while time.monotonic() < deadline and proc.poll() is None:
        grown = db.stat().st_size > size0 or (wal.exists() and wal.stat().st_size > 0)
        if grown:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the ingest finished before it could be interrupted"
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (-signal.SIGKILL if sig == signal.SIGKILL else 130), err
    posts, done, quarantined = _state(root)
    assert (posts, done, quarantined) in {(0, 0, 0), (ROWS, 1, 0)}
    assert posts == 0, "killed mid-file yet the whole file was committed"
    left = list(scratch.glob("brandhalo-ingest-*"))
    # kill -9 leaves the scratch folder behind; Ctrl-C removes it on the way out
    assert len(left) == (1 if sig == signal.SIGKILL else 0)
    rerun = subprocess.run(
        [*BRANDHALO, "ingest", "posts", str(path), "--project", str(root), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert rerun.returncode == 0, rerun.stderr
    assert _state(root) == (ROWS, 1, 0)
    assert not list(scratch.glob("brandhalo-ingest-*"))  # the next ingest removed it
