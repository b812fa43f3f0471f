"""Load (CI size): 500 requests from 20 clients while a 50k-post ingest runs on the same
workspace. No request may fail, every ingested row must land, and the server's memory must
not grow with the number of requests. The full run is benchmarks/load.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from rel_loadgen import run_load

from brandhalo.store import Store


@pytest.mark.slow
@pytest.mark.timeout(500)
def test_load_while_ingesting(ws_dir: Path, tmp_path: Path) -> None:
    out = run_load(ws_dir, requests=500, clients=20, ingest_rows=50_000, tmp=tmp_path)
    assert out["requests"] == 500 and out["errors"] == 0, out["statuses"]
    assert out["ingest_rc"] == 0, out["ingest_stderr_tail"]
    with Store(ws_dir / "brandhalo.duckdb", read_only=True) as st:
        row = st.con.execute(
            "SELECT count(*), count(DISTINCT post_id) FROM posts WHERE post_id LIKE 'load-%'"
        ).fetchone()
    assert row == (50_000, 50_000)  # rows lost: 0
    rss = out["serve_rss_mb"]
    assert rss["end"] < 2 * rss["start"] + 300  # no growth with requests (generous bound)
