"""Posts are stored in the order of the file's lines, whatever DuckDB's threads do.

The enrich stage reads posts in stored order, and a near-duplicate cluster is named after the
first of its posts it meets. Two ingests of one real-shaped file (the end-to-end benchmark's
corpus: long posts, reposts, comments) stored the rows in different orders, so two analyses of
the same file named 2-3 % of the posts' clusters differently.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from brandhalo.demo import simulate
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace, init_workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import e2e_corpus as corpus  # noqa: E402

#: enough rows for several streamed batches of real-length posts
ROWS = 70_000


def _stored(root: Path) -> list[tuple[str, int]]:
    with Workspace.open(root, read_only=True) as ws:
        sql = "SELECT post_id, line FROM posts ORDER BY rowid"
        return [(r[0], int(r[1])) for r in ws.store.con.execute(sql).fetchall()]


def test_posts_are_stored_in_line_order(tmp_path: Path) -> None:
    sim = simulate(tmp_path / "sim", seed=7, posts=3000)
    path = tmp_path / "posts.csv"
    duckdb.connect().execute(corpus.corpus_sql(sim.posts, ROWS, path))
    orders = []
    for name in ("a", "b"):
        root = tmp_path / name
        init_workspace(root)
        with Workspace.open(root) as ws:
            assert ingest_files(ws, "posts", [path]).files[0].inserted > ROWS // 2
        orders.append(_stored(root))
    lines = [line for _, line in orders[0]]
    assert lines == sorted(lines)
    assert orders[0] == orders[1]
