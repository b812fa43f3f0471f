"""The embedded path resumes after a hard kill: rerun continues where it stopped, same result.

A subprocess runs the analyze pipeline (enrich -> aggregate -> signals) with small enrichment
chunks and reports each committed chunk; it is killed with SIGKILL after two chunks. The rerun
must enrich only the posts that were not committed and end with the same enrichment and
aggregates as an uninterrupted run on a copy of the same workspace.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from tests.support.spark_compare import compare_tables

from brandhalo.engines.sql import DAILY_KEYS, HOURLY_KEYS
from brandhalo.workspace import Workspace, init_workspace

POSTS = 4000
CHUNK = 400

CHILD = textwrap.dedent(
    """
    import sys, time
    from brandhalo import pipeline
    from brandhalo.workspace import Workspace

    def progress(n):
        print("chunk", n, flush=True)
        time.sleep(float(sys.argv[2]))  # leave the parent time to kill us between chunks

    with Workspace.open(sys.argv[1]) as ws:
        run = pipeline.analyze(ws, chunk_rows=int(sys.argv[3]), workers=1, progress=progress)
    print("done", run.stage("enrich").counts["enriched"], flush=True)
    """
)


def _analyze(ws_dir: Path, pause: float, kill_after: int | None) -> list[str]:
    """Run analyze in a child process; SIGKILL it after `kill_after` committed chunks."""
    lines: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ws_dir), str(pause), str(CHUNK)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            if kill_after is not None and len(lines) == kill_after:
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait(timeout=300)
    return lines


def _tables(ws_dir: Path) -> dict[str, object]:
    with Workspace.open(ws_dir, read_only=True) as ws:
        cur = ws.store.con.cursor()
        return {
            "enriched": cur.sql(
                "SELECT * EXCLUDE (enriched_at) FROM enriched ORDER BY post_id"
            ).to_arrow_table(),
            "post_targets": cur.sql("SELECT * FROM post_targets").to_arrow_table(),
            "post_themes": cur.sql("SELECT * FROM post_themes").to_arrow_table(),
            "agg_daily": cur.sql("SELECT * FROM agg_daily").to_arrow_table(),
            "agg_hourly": cur.sql("SELECT * FROM agg_hourly").to_arrow_table(),
        }


@pytest.mark.slow
def test_killed_analyze_resumes_and_matches_uninterrupted_run(tmp_path: Path) -> None:
    from brandhalo.demo import simulate
    from brandhalo.ingest import ingest_files

    sim = simulate(tmp_path / "sim", seed=11, posts=POSTS)
    ws = init_workspace(tmp_path / "a", config_text=sim.config.read_text(encoding="utf-8"))
    ingest_files(ws, "posts", [sim.posts])
    total = ws.store.con.execute("SELECT count(*) FROM posts").fetchall()[0][0]
    ws.close()
    shutil.copytree(tmp_path / "a", tmp_path / "b")

    killed = _analyze(tmp_path / "a", pause=2.0, kill_after=2)
    assert killed == [f"chunk {CHUNK}", f"chunk {CHUNK}"]
    with Workspace.open(tmp_path / "a", read_only=True) as partial:
        committed = partial.store.con.execute("SELECT count(*) FROM enriched").fetchall()[0][0]
    assert 2 * CHUNK <= committed < total  # chunks committed before the kill survived it

    resumed = _analyze(tmp_path / "a", pause=0.0, kill_after=None)
    assert resumed[-1] == f"done {total - committed}"  # continued, did not start over
    uninterrupted = _analyze(tmp_path / "b", pause=0.0, kill_after=None)
    assert uninterrupted[-1] == f"done {total}"

    got, want = _tables(tmp_path / "a"), _tables(tmp_path / "b")
    keys = {
        "enriched": ["post_id"],
        "post_targets": ["post_id", "target_type", "target"],
        "post_themes": ["post_id", "theme"],
        "agg_daily": list(DAILY_KEYS),
        "agg_hourly": list(HOURLY_KEYS),
    }
    for name, table_keys in keys.items():
        assert want[name].num_rows > 0, name
        assert compare_tables(want[name], got[name], table_keys) == [], name
