"""The report's aggregate tables (issue 19): ``agg_pairs`` and ``agg_product_themes``.

Hand-computed rows; incremental runs equal a full rebuild; the migration builds the same rows
for a store analyzed before it; and the readers that sum them (weekly co-mentions, pain
points) give exactly what the per-post queries they replaced gave, under every filter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from tests.spark.conftest import make_enriched, with_clusters
from tests.support.spark_compare import compare_tables

from brandhalo.analytics import interplay, painpoints
from brandhalo.analytics._common import range_sql, types_scope, types_sql
from brandhalo.analytics.opinion import origin_scope, origin_sql
from brandhalo.engines import local
from brandhalo.engines.sql_report import DAILY_TABLES, REPORT_TABLES, columns, report_sql
from brandhalo.store import all_migrations, facts
from brandhalo.workspace import Workspace

Tables = dict[str, pa.Table]


def _hand_case() -> Tables:
    d1, d2 = dt.date(2025, 3, 1), dt.date(2025, 3, 2)
    enriched = pa.table(
        {
            "post_id": ["p1", "p2", "p3", "p4", "p5"],
            "day": pa.array([d1, d1, d1, d2, d2], pa.date32()),
            "segment": ["mass", "mass", None, "premium", None],
            "label": pa.array([1, -1, -1, -1, 0], pa.int8()),
            "is_repost": [False, True, False, False, False],
            "origin": ["organic", "organic", "campaign", None, "organic"],
            "post_type": ["post", "post", "comment", "post", None],
        }
    )
    rows = [  # post, type, target, brand, label
        ("p1", "brand", "X", "X", None), ("p1", "persona", "Lei", "X", None),
        ("p1", "brand", "Y", "Y", None), ("p1", "product", "X-P", "X", None),
        ("p2", "brand", "X", "X", None), ("p2", "brand", "Y", "Y", None),  # a repost
        ("p3", "brand", "X", "X", None), ("p3", "product", "X-P", "X", 1),
        ("p4", "brand", "X", "X", None), ("p4", "brand", "X", "X", None),  # X twice
        ("p4", "persona", "Lei", "X", None), ("p4", "product", "X-P", "X", None),
        ("p5", "product", "X-P", "X", None),
    ]  # fmt: skip
    targets = pa.table(
        {
            "post_id": [r[0] for r in rows],
            "target_type": [r[1] for r in rows],
            "target": [r[2] for r in rows],
            "brand": [r[3] for r in rows],
            "label": pa.array([r[4] for r in rows], pa.int8()),
        }
    )
    themes = pa.table(
        {
            "post_id": ["p1", "p1", "p3", "p4", "p4"],
            "theme": ["safety", "quality", "safety", "safety", "safety"],
            "touchpoint": ["product"] * 5,
            "label": pa.array([None] * 5, pa.int8()),  # the post's (or target's) label stands
        }
    )
    return {"enriched": enriched, "post_targets": targets, "post_themes": themes}


def _run(tables: Tables) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect()
    for name, table in tables.items():
        con.register(name, table)
    return {
        t: sorted(con.execute(report_sql(t, incremental=False)).fetchall(), key=repr)
        for t in DAILY_TABLES
        if t != "agg_brand_posts"  # from post_facts: tests/engines/test_engines_brand_posts.py
    }


def test_hand_computed_rows() -> None:
    got = _run(_hand_case())
    d1, d2 = dt.date(2025, 3, 1), dt.date(2025, 3, 2)
    # p1 names Lei, X and Y (pairs ordered by name); the repost p2 and the single-target p3
    # add nothing; p4 names X twice and Lei: one pair, its NULL origin counted as organic
    assert got["agg_pairs"] == sorted([
        (d1, "Lei", "persona", "X", "X", "brand", "X", "organic", "post", 1, 1, 0),
        (d1, "Lei", "persona", "X", "Y", "brand", "Y", "organic", "post", 1, 1, 0),
        (d1, "X", "brand", "X", "Y", "brand", "Y", "organic", "post", 1, 1, 0),
        (d2, "Lei", "persona", "X", "X", "brand", "X", "organic", "post", 1, 0, 1),
    ], key=repr)  # fmt: skip
    # product X-P: p1 (post label 1, two themes), p3 (its target label 1 over the post's -1,
    # segment unknown), p4 (two rows of one theme: one post); p5 has no theme
    assert got["agg_product_themes"] == sorted([
        (d1, "X-P", "X", "mass", "product", "quality", 1, "organic", "post", 1),
        (d1, "X-P", "X", "mass", "product", "safety", 1, "organic", "post", 1),
        (d1, "X-P", "X", "(none)", "product", "safety", 1, "campaign", "comment", 1),
        (d2, "X-P", "X", "premium", "product", "safety", -1, "organic", "post", 1),
    ], key=repr)  # fmt: skip


def _load(ws: Workspace, tables: Tables) -> None:
    """Seeded enrichment tables (and posts) into the store."""
    with ws.store.transaction() as con:
        for name, table in tables.items():
            con.register("_in", table)
            con.execute(f"INSERT INTO {name} ({', '.join(table.column_names)}) SELECT * FROM _in")
            con.unregister("_in")
        facts.refresh(con)


def _table(ws: Workspace, table: str) -> pd.DataFrame:
    return ws.store.query(f"SELECT * FROM {table}")


def _full(ws: Workspace, table: str) -> pd.DataFrame:
    return ws.store.query(report_sql(table, incremental=False))


@pytest.fixture
def seeded(tmp_ws: Workspace) -> Workspace:
    _load(tmp_ws, with_clusters(make_enriched(n=900, seed=5)))
    local.run(tmp_ws)
    return tmp_ws


def test_aggregate_stage_writes_every_day_and_incremental_runs_equal_a_full_one(
    seeded: Workspace,
) -> None:
    for table in REPORT_TABLES:
        keys = REPORT_TABLES[table][0]
        assert len(_table(seeded, table)) > 20
        assert compare_tables(_full(seeded, table), _table(seeded, table), keys) == []
    # new posts on one existing day and one new day: only those days are re-aggregated
    more = with_clusters(make_enriched(n=200, seed=9), every=3)
    ids = pa.array([f"n{i:05d}" for i in range(more["enriched"].num_rows)])
    rename = dict(zip(more["enriched"]["post_id"].to_pylist(), ids.to_pylist(), strict=True))
    days = pa.array([dt.date(2025, 3, 3) if i % 2 else dt.date(2025, 3, 9) for i in range(200)],
                    pa.date32())  # fmt: skip
    new: Tables = {}
    for name, table in more.items():
        pid = pa.array([rename[p] for p in table["post_id"].to_pylist()])
        table = table.set_column(table.column_names.index("post_id"), "post_id", pid)
        if name == "enriched":  # half the new posts join old clusters, half form new ones
            old = ["p00000", "p00004", None]
            joined = [old[i % 3] if i % 2 else rename.get(c, c) if c else None
                      for i, c in enumerate(table["cluster_id"].to_pylist())]  # fmt: skip
            table = table.set_column(
                table.column_names.index("cluster_id"), "cluster_id", pa.array(joined)
            )
        if name == "enriched":
            table = table.set_column(table.column_names.index("day"), "day", days)
        new[name] = table
    _load(seeded, new)
    # enriched but not aggregated yet: listing clusters reads the posts, not the stale table
    from brandhalo.analytics.campaigns import campaign_clusters

    fresh = campaign_clusters(seeded, None, limit=50, every=True)
    assert fresh.equals(campaign_clusters(seeded, None, dt.date(1900, 1, 1), limit=50, every=True))
    result = local.run(seeded)
    assert result.counts["days"] == 2
    for table in REPORT_TABLES:
        keys = REPORT_TABLES[table][0]
        assert compare_tables(_full(seeded, table), _table(seeded, table), keys) == []
        if "day" in keys:
            assert dt.date(2025, 3, 9) in set(_table(seeded, table)["day"].dt.date)
    clusters = _table(seeded, "agg_clusters").set_index(["cluster_id", "brand"])
    assert clusters.loc[("p00000", "*"), "posts"] > 4  # old posts and new ones


def test_migration_builds_the_tables_of_a_store_analyzed_before(seeded: Workspace) -> None:
    sqls = [s for _, name, s in all_migrations() if name.startswith("report_")]
    want = {t: _table(seeded, t) for t in REPORT_TABLES}
    with seeded.store.transaction() as con:
        for table in REPORT_TABLES:
            con.execute(f"DELETE FROM {table}")
        for sql in sqls:
            con.execute(sql)
    for table, rows in want.items():
        keys = REPORT_TABLES[table][0]
        assert list(_table(seeded, table).columns) == list(columns(table))
        assert compare_tables(rows, _table(seeded, table), keys) == []


# The per-post queries the readers replaced (as of 653224f), the oracle of the readers.
def _pairs_oracle(ws: Workspace, until: dt.date | None) -> pd.DataFrame:
    sql = f"""
        WITH t AS (  -- a product counts as its brand, with the brand's stored type (s21)
            SELECT DISTINCT post_id,
                   CASE WHEN target_type = 'product' THEN brand ELSE target END AS target,
                   CASE WHEN target_type <> 'product' THEN target_type
                        WHEN brand IN (SELECT target FROM post_targets
                                       WHERE target_type = 'brand') THEN 'brand'
                        ELSE 'competitor' END AS target_type, brand
            FROM post_targets)
        SELECT CAST(date_trunc('week', e.day) AS DATE) AS week, a.target AS source,
               a.target_type AS source_type, a.brand AS source_brand, b.target AS target,
               b.target_type AS target_type, b.brand AS target_brand, COUNT(*) AS posts,
               SUM(CASE WHEN e.label = 1 THEN 1 ELSE 0 END) AS positive,
               SUM(CASE WHEN e.label = -1 THEN 1 ELSE 0 END) AS negative
        FROM t a JOIN t b ON a.post_id = b.post_id AND a.target < b.target
        JOIN enriched e ON e.post_id = a.post_id
        WHERE e.is_repost = FALSE{origin_sql(ws, col="e.origin")}{range_sql(None, until, "e.day")}
          {types_sql("e.post_type")}
        GROUP BY ALL"""
    return ws.store.query(sql)


def _points_oracle(
    ws: Workspace, brand: str | None, since: dt.date | None, until: dt.date | None
) -> pd.DataFrame:
    sql = f"""
        SELECT t.target AS product, t.brand, COALESCE(e.segment, '(none)') AS segment,
               h.touchpoint, h.theme,
               COALESCE(h.label, t.label, e.label) AS label,  -- the theme's own first (s21)
               COUNT(DISTINCT e.post_id) AS posts
        FROM post_targets t JOIN enriched e ON e.post_id = t.post_id
        JOIN post_themes h ON h.post_id = e.post_id
        WHERE t.target_type = 'product' AND e.is_repost = FALSE{range_sql(since, until, "e.day")}
          {origin_sql(ws, col="e.origin")}{types_sql("e.post_type")}
          {"AND t.brand = ?" if brand else ""}
        GROUP BY ALL"""
    return ws.store.query(sql, [brand] if brand else [])


FILTERS = [  # origin, types, brand, since, until
    ("all", None, None, None, None),
    ("organic", None, "Xiaomi", dt.date(2025, 3, 2), None),
    ("campaign", "post", None, None, dt.date(2025, 3, 4)),
    ("all", "comment,reply", "Huawei", dt.date(2025, 3, 2), dt.date(2025, 3, 3)),
]


@pytest.mark.parametrize(("origin", "types", "brand", "since", "until"), FILTERS)
def test_readers_equal_the_per_post_queries(
    seeded: Workspace,
    origin: str,
    types: str | None,
    brand: str | None,
    since: dt.date | None,
    until: dt.date | None,
) -> None:
    with origin_scope(origin), types_scope(types):
        oracle = _pairs_oracle(seeded, until)
        got = seeded.store.query(
            "SELECT CAST(date_trunc('week', day) AS DATE) AS week, source, target, "
            f"SUM(posts) AS posts, SUM(positive) AS positive, SUM(negative) AS negative "
            f"FROM agg_pairs WHERE TRUE{origin_sql(seeded)}{range_sql(None, until)}"
            f"{types_sql()} GROUP BY ALL"
        )
        assert len(oracle) and len(got) == len(oracle)
        merged = oracle.merge(got, on=["week", "source", "target"], suffixes=("", "_t"))
        assert len(merged) == len(oracle)
        for m in ("posts", "positive", "negative"):
            assert (merged[m].astype(int) == merged[f"{m}_t"].astype(int)).all()
        weekly = interplay.co_mentions_weekly(seeded, brand, since, until)
        assert not weekly.empty

        points = painpoints.theme_points(seeded, brand, since, until)
        want = _points_oracle(seeded, brand, since, until)
        got_points = seeded.store.query(
            "SELECT product, brand, segment, touchpoint, theme, label, SUM(posts) AS posts "
            f"FROM agg_product_themes WHERE TRUE{range_sql(since, until)}{origin_sql(seeded)}"
            f"{types_sql()}{' AND brand = ?' if brand else ''} GROUP BY ALL",
            [brand] if brand else [],
        )
        keys = ["product", "brand", "segment", "touchpoint", "theme", "label"]
        assert len(want) and compare_tables(want, got_points.astype({"posts": int}), keys) == []
        assert set(points.columns) >= {"product", "kind", "z"}


def test_campaign_clusters_over_all_days_read_the_cluster_table(seeded: Workspace) -> None:
    """Listing every day's clusters reads ``agg_clusters``; the per-post query (any window,
    here from 1900 on) gives the same frame, for a brand, for all brands, with or without
    the clusters that have no campaign post, and when a template post is missing."""
    from brandhalo.analytics.campaigns import campaign_clusters

    first = dt.date(1900, 1, 1)
    for brand in ("Xiaomi", None):
        for every in (False, True):
            for limit in (3, 50):
                fast = campaign_clusters(seeded, brand, limit=limit, every=every)
                slow = campaign_clusters(seeded, brand, first, limit=limit, every=every)
                assert fast.equals(slow), (brand, every, limit)
    top = campaign_clusters(seeded, None, limit=1, every=True)
    assert len(top) == 1 and top["accounts"].iloc[0] >= 2
    seeded.store.con.execute("DELETE FROM posts WHERE post_id = ?", [top["cluster_id"].iloc[0]])
    for limit in (1, 30):
        fast = campaign_clusters(seeded, None, limit=limit, every=True)
        assert fast.equals(campaign_clusters(seeded, None, first, limit=limit, every=True))
