"""The enrich run reads a chunk of posts by rowid range without an ORDER BY
(:func:`brandhalo.store.enrich.read_posts`): the rows still come in rowid order, with the
right columns, when the scan itself may return them out of order (several threads, insertion
order not kept) and when rowids have gaps."""

from __future__ import annotations

import duckdb
import numpy as np

from brandhalo.store.enrich import read_posts


def _store(rows: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE posts AS SELECT 'p' || i AS post_id, repeat('文', i % 7) || i AS text "
        f"FROM range({rows}) t(i)"
    )
    return con


def _check(con: duckdb.DuckDBPyConnection, lo: int, hi: int) -> None:
    got = read_posts(con.cursor(), ["post_id", "text"], lo, hi)
    want = con.sql(
        "SELECT rowid AS _rid, post_id, text FROM posts "
        f"WHERE rowid BETWEEN {lo} AND {hi} ORDER BY rowid"
    ).to_arrow_table()
    assert got.column_names == ["_rid", "post_id", "text"]
    rid = got.column("_rid").to_numpy()
    assert bool(np.all(rid[1:] > rid[:-1]))
    assert got.equals(want)


def test_a_scan_that_comes_out_of_order_is_read_in_rowid_order() -> None:
    con = _store(600_000)  # several row groups, scanned by several threads
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET threads = 4")
    _check(con, 10, 590_000)


def test_a_range_with_deleted_posts_is_read_in_rowid_order() -> None:
    con = _store(5_000)
    con.execute("DELETE FROM posts WHERE rowid % 3 = 0 OR rowid BETWEEN 100 AND 900")
    _check(con, 0, 4_999)
    _check(con, 50, 50)
    _check(con, 200, 300)  # nothing left in it
