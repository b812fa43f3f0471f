"""``agg_product_themes`` counts a theme by its own clauses' label (session 21, issue 14):
``post_themes.label``, else the product target's label, else the post's; the migration of
stores enriched before builds the same rows."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from brandhalo.engines.sql_report import report_sql
from brandhalo.store import all_migrations
from brandhalo.workspace import Workspace


def _tables() -> dict[str, pa.Table]:
    d = dt.date(2025, 3, 1)
    enriched = pa.table(
        {
            "post_id": ["p1", "p2", "p3"],
            "day": [d] * 3,
            "segment": ["mass"] * 3,
            "label": pa.array([1, -1, 1], pa.int8()),  # p1, p3: positive overall
            "is_repost": [False] * 3,
            "origin": ["organic"] * 3,
            "post_type": ["post"] * 3,
        }
    )
    targets = pa.table(
        {
            "post_id": ["p1", "p2", "p3"],
            "target_type": ["product"] * 3,
            "target": ["X-P"] * 3,
            "brand": ["X"] * 3,
            "label": pa.array([None, None, 1], pa.int8()),
        }
    )
    themes = pa.table(
        {
            "post_id": ["p1", "p1", "p2", "p3"],
            "theme": ["after_sales", "camera", "after_sales", "after_sales"],
            "touchpoint": ["service", "product", "service", "service"],
            # p1: a mixed review (after-sales negative, camera positive); p2, p3: NULL
            "label": pa.array([-1, 1, None, None], pa.int8()),
        }
    )
    return {"enriched": enriched, "post_targets": targets, "post_themes": themes}


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> set[tuple[str, int, int]]:
    return {(r[5], r[6], r[9]) for r in con.execute(sql).fetchall()}  # theme, label, posts


def test_a_themes_own_label_comes_first() -> None:
    con = duckdb.connect()
    for name, table in _tables().items():
        con.register(name, table)
    assert _rows(con, report_sql("agg_product_themes", incremental=False)) == {
        ("after_sales", -1, 2),  # p1 by its clause, p2 by the post (negative all through)
        ("after_sales", 1, 1),  # p3 by its product target's label
        ("camera", 1, 1),
    }


def test_the_migration_builds_the_same_rows(tmp_ws: Workspace) -> None:
    tables = _tables()
    hour = pa.array([dt.datetime(2025, 3, 1, 9)] * 3, pa.timestamp("us"))
    tables["enriched"] = tables["enriched"].append_column("hour", hour)
    (sql,) = [s for v, name, s in all_migrations() if name == "report_theme_labels"]
    with tmp_ws.store.transaction() as con:
        for name, table in tables.items():
            con.register("_in", table)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _in")
            con.unregister("_in")
        con.execute(sql)  # again on a store that has the column: rebuilds the table
        want = _rows(con, report_sql("agg_product_themes", incremental=False))
        got = {(r[0], r[1], r[2]) for r in con.execute(
            "SELECT theme, label, posts FROM agg_product_themes").fetchall()}  # fmt: skip
    assert got == want and ("after_sales", -1, 2) in got
