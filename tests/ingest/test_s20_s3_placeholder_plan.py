"""Placeholder cells ('-', 'N/A', 无, ...) of count columns are found without a join (issue 19).

Written as ``lower(trim(cell)) IN (17 values)``, DuckDB planned the check as a hash (mark) join
per count column on every batch of every posts file: CPU time on every row, and a join does
not keep the batch's row order. The check is now one full match of the placeholders'
alternation; it must read every cell exactly as the IN list did.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa

from brandhalo.ingest.presets import bind_preset
from brandhalo.ingest.readers import iter_batches, open_source, scratch_dir
from brandhalo.ingest.schemas import KINDS
from brandhalo.ingest.timestamps import lit
from brandhalo.ingest.validate import (
    PLACEHOLDERS,
    _placeholder,
    build_stage,
    date_orders,
    resolve_columns,
)
from brandhalo.ingest.writer import _stage_sql_posts, _with_text_columns
from brandhalo.workspace import Workspace, init_workspace


def _cells() -> list[str | None]:
    near = ["", " ", "0", "12", "1.2万", "n-a", "naa", "n.a", "nxa", "—-", "无无", "暂", "-|--"]
    near += ["na\nna", "a", "N", "#N/A#", "nul", "nonex", "‐", "＿", "\t-\t", " N/A ", "NaN"]
    out: list[str | None] = [None, *near]
    for p in PLACEHOLDERS:
        out += [p, p.upper(), f"  {p}\t", f"{p}x", f"x{p}", p * 2, f"{p} {p}"]
    return out


def test_placeholder_check_reads_every_cell_as_the_in_list() -> None:
    con = duckdb.connect()
    _bh_cells = pa.table({"v": pa.array(_cells(), pa.string())})  # noqa: F841 (scanned by name)
    in_list = f"coalesce(lower(trim(v)) IN ({', '.join(lit(p) for p in PLACEHOLDERS)}), false)"
    rows = con.execute(f"SELECT v, {in_list}, {_placeholder('v')} FROM _bh_cells").fetchall()
    assert sum(r[1] for r in rows) >= 2 * len(PLACEHOLDERS)  # as written and in upper case
    assert [r for r in rows if r[1] is not r[2]] == []


def test_posts_stage_plans_no_join(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    lines = ["id,text,created_at,likes,reposts,comments,author_followers"]
    lines += [
        f"p{i},post {i} 好用,2025-03-01 10:{i % 60:02d},{i},-,N/A,{i * 3}" for i in range(3000)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    init_workspace(tmp_path / "ws")
    spec = KINDS["posts"]
    with (
        Workspace.open(tmp_path / "ws") as ws,
        scratch_dir() as tmp,
        contextlib.closing(ws.store.cursor()) as cur,
    ):
        src = open_source(cur, path, "auto", None, tmp, rejects="_bh_rejects")
        _, mapping = bind_preset(src, None, {})
        resolved = resolve_columns(spec, src, mapping)
        orders = date_orders(cur, spec, src, resolved, None)
        ref = dt.datetime(2026, 1, 1)
        stage = build_stage(spec, src, resolved, "UTC", ref_time=ref, orders=orders)
        sql = _stage_sql_posts(src, stage)
        batch = pa.concat_tables(iter_batches(cur, src, 10_000))
        _bh_batch = _with_text_columns(cur, batch, src, stage.columns["text"])
        plan = "\n".join(str(r[1]) for r in cur.execute(f"EXPLAIN {sql}").fetchall())
        assert "join" not in plan.lower(), plan
        staged = cur.sql(f"SELECT _line, likes, reposts, comments, _bad FROM ({sql})").fetchall()
        assert _bh_batch.num_rows == 3000
    assert len(staged) == 3000
    assert all(bad is None and r == 0 and c == 0 for _, _, r, c, bad in staged)
    assert sorted(likes for _, likes, _, _, _ in staged) == list(range(3000))
