"""The posts stage computes a relative time's cleaned text and a count cell's trimmed text once,
in layers of their own, instead of inlining them at each use (the inlined statement was 134 KB
of SQL, planned again for every streamed batch). These tests pin the layered SQL to the
inlined reference on tricky values, and the plain CSV's stage to a size that shows nothing was
inlined again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from brandhalo.ingest.readers import Source
from brandhalo.ingest.schemas import KINDS
from brandhalo.ingest.timestamps import REL_TEXT, lit, relative_text, relative_utc
from brandhalo.ingest.validate import _number, _placeholder, build_stage, resolve_columns

REF = "TIMESTAMP '2026-02-17 08:00:00'"
TZ = "Asia/Shanghai"

#: Relative times as pages show them, and values that are none.
TIMES = [
    "刚刚", "just now", "Now", "3分钟前", "2小时前 · 上海", "5天前", "1个月前", "2 months ago",
    "an hour ago (edited)", "A minute ago", "昨天 12:00", "今天 08:30", "前天", "yesterday",
    "05-20 12:00", "编辑于 05-20 广东", "发布于 昨天 23:59 IP属地:北京", "3分钟前 来自 iPhone客户端",
    "12:34", "05-20", "12-31 23:59", "02-30", "2025-05-21T10:00:00+08:00", "", " ", "not a time",
    "😀 3分钟前", "3分钟前😀", "ｉｐ属地：北京", "今天", "昨天 12:00 上海", "Tue Oct 18 21:53:25 +0000 2011",
    "前", "今天 25:99", "１２：３４", "x" * 5000, "编辑于 05-20 广东省深圳市南山区", "\u200b3分钟前",
    None,
]  # fmt: skip

#: Count cells as crawlers write them.
COUNTS = [
    "12", " 12 ", "1,234", "1.2万", "10万+", "1.2 万", "3.4w", "1.1k", "2.5M", "3亿", "7B",
    "", " ", "-", "--", "n/a", "NaN", "无", "暂无", "lots", "-5", "1_000", "23.2%", "+", "万",
    "１２", "1e3", "😀", "12😀", "0", "-0", None,
]  # fmt: skip


def _values(con: duckdb.DuckDBPyConnection, values: list[str | None]) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE v (i INTEGER, r VARCHAR)")
    con.executemany("INSERT INTO v VALUES (?, ?)", list(enumerate(values)))


def test_layered_relative_time_is_the_inlined_one() -> None:
    con = duckdb.connect()
    _values(con, TIMES)
    first, second = relative_text("r")
    inline = relative_utc("r", REF, TZ)
    # the stage computes the text only for values no other form read (here: all of them)
    layered = (
        f"SELECT i, {relative_utc('r', REF, TZ, 'rt')} AS t FROM (SELECT *, "
        f"{second.replace(REL_TEXT, 'rt0')} AS rt FROM (SELECT *, (CASE WHEN r IS NOT NULL "
        f"AND r <> '' THEN {first} END) AS rt0 FROM v))"
    )
    want = con.execute(f"SELECT i, {inline} AS t FROM v ORDER BY i").fetchall()
    got = con.execute(f"SELECT * FROM ({layered}) ORDER BY i").fetchall()
    assert got == want
    read = [TIMES[i] for i, t in want if t is not None]
    assert {"刚刚", "2小时前 · 上海", "编辑于 05-20 广东", "an hour ago (edited)"} <= set(read)


def test_layered_count_cell_is_the_inlined_one() -> None:
    con = duckdb.connect()
    _values(con, COUNTS)
    cell = f"(CASE WHEN {_placeholder('r')} THEN NULL ELSE trim(r) END)"
    for percent in (False, True):
        inline = _number(cell, percent)
        layered = f"SELECT i, {_number('c', percent)} FROM (SELECT *, {cell} AS c FROM v)"
        want = con.execute(f"SELECT i, {inline} FROM v ORDER BY i").fetchall()
        got = con.execute(f"SELECT * FROM ({layered}) ORDER BY i").fetchall()
        assert got == want
        assert dict(want)[COUNTS.index("10万+")] == 100_000


def _posts_stage(tmp_path: Path, header: list[str]) -> str:
    spec = KINDS["posts"]
    src = Source(str(tmp_path / "p.csv"), "csv", dict.fromkeys(header, "VARCHAR"), sql="")
    resolved = resolve_columns(spec, src, {})
    ref = dt.datetime(2026, 2, 17, 8)
    return build_stage(spec, src, resolved, TZ, ref_time=ref).sql("_bh_batch")


@pytest.mark.parametrize(
    "header",
    [
        ["id", "text", "created_at", "likes", "reposts", "comments", "author_followers"],
        ["text", "created_at", "crawled_at", "likes", "source", "author_id", "reply_to"],
    ],
)
def test_posts_stage_stays_small_and_reads_like_the_inlined_one(
    tmp_path: Path, header: list[str]
) -> None:
    sql = _posts_stage(tmp_path, header)
    # 134 KB with the relative text and count cells inlined at each use
    assert len(sql) < 60_000
    assert sql.count(lit(r"\s*(ip属地[:：]?\s*\S+|[·•|]\s*\S*|来自\s*\S+)$")) == 1
    # and the layered stage reads values as the inlined expressions do
    rows = {
        "text": "好评 😀",
        "created_at": "2小时前 · 上海",
        "crawled_at": "2026-02-17 10:00",
        "likes": "1.2万",
    }
    con = duckdb.connect()
    _bh_batch = con.sql(  # noqa: F841 (read by the query below)
        "SELECT " + ", ".join(f"{lit(rows.get(h, '7'))} AS {h}" for h in header) + ", "
        "1 AS _line, '好评 😀' AS _norm, false AS _marker"
    ).to_arrow_table()
    got = con.sql(f"SELECT created_at, likes, _bad FROM ({sql})").fetchall()
    crawled = "crawled_at" in header
    want_time = dt.datetime(2026, 2, 17, 0 if crawled else 6)
    assert got == [(want_time, 12000 if "likes" in header else 0, None)]
