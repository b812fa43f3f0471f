"""Contract: the aggregation SQL gives the same aggregates on DuckDB and on Spark.

Written once, run against both engines: a hand-computed case each engine must reproduce, and
seeded random enrichment tables on which the two engines must agree cell by cell (exact
counts, floats within 1e-9).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from tests.spark.conftest import make_enriched, requires_spark, with_clusters
from tests.support.spark_compare import compare_tables

from brandhalo.engines import local
from brandhalo.engines.sql import (
    DAILY_KEYS,
    HOURLY_KEYS,
    LAST_DAY_SQL,
    aggregate_sql,
    hourly_start,
)
from brandhalo.engines.sql_report import REPORT_TABLES, report_sql

KEYS = {"agg_daily": DAILY_KEYS, "agg_hourly": HOURLY_KEYS} | {
    table: keys for table, (keys, _) in REPORT_TABLES.items()
}
Tables = dict[str, pa.Table]


def duckdb_aggregates(tables: Tables, _tmp: Path, hourly_days: int | None = None) -> Tables:
    con = duckdb.connect()
    for name, table in tables.items():
        con.register(name, table)
    start = None
    if hourly_days is not None:
        start = hourly_start(con.execute(LAST_DAY_SQL).fetchall()[0][0], hourly_days)
    local.stage(
        con, incremental=False, facts_view=True, hourly_from=start.isoformat() if start else None
    )
    return {
        "agg_daily": con.sql(aggregate_sql("day")).to_arrow_table(),
        "agg_hourly": con.sql(aggregate_sql("hour")).to_arrow_table(),
    } | {  # the report tables (issue 19); the cluster one when posts are given
        t: con.sql(report_sql(t, incremental=False)).to_arrow_table()
        for t in REPORT_TABLES
        if t != "agg_clusters" or "posts" in tables
    }


def spark_aggregates(
    spark: Any, hourly_days: int | None = None
) -> Callable[[Tables, Path], Tables]:
    def run(tables: Tables, tmp: Path) -> Tables:
        from brandhalo.engines.spark import aggregate
        from brandhalo.engines.spark_session import read_parquet

        frames = {}
        for name, table in tables.items():
            pq.write_table(table, tmp / f"{name}.parquet")
            frames[name] = read_parquet(spark, tmp / f"{name}.parquet")
        out = {}
        for name, df in aggregate(spark, frames, hourly_days).items():
            df.write.parquet(str(tmp / name))
            out[name] = pq.read_table(tmp / name)
        return out

    return run


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=[pytest.mark.spark, requires_spark])])
def engine(request: pytest.FixtureRequest) -> Callable[[Tables, Path], Tables]:
    if request.param == "duckdb":
        return duckdb_aggregates
    return spark_aggregates(request.getfixturevalue("spark"))


def _hand_case() -> Tables:
    day = dt.date(2025, 3, 1)
    h10, h11 = dt.datetime(2025, 3, 1, 10), dt.datetime(2025, 3, 1, 11)
    enriched = pa.table(
        {
            "post_id": ["p1", "p2", "p3", "p4"],
            "day": pa.array([day] * 4, pa.date32()),
            "hour": pa.array([h10, h11, h11, h11], pa.timestamp("us")),
            "source": ["weibo"] * 4,
            "lang": ["zh"] * 4,
            "segment": ["mass", None, "mass", "mass"],
            "label": pa.array([1, -1, -1, 0], pa.int8()),
            "weight": [2.0, 3.0, 5.0, 1.0],
            "author_id": ["a1", "a2", "a3", "a4"],
            "is_repost": [False, False, True, False],
            "origin": ["organic"] * 4,
            "post_type": ["post", "comment", "post", "post"],
        }
    )
    targets = pa.table(
        {
            "post_id": ["p1", "p1", "p1", "p2", "p3"],
            "target_type": ["brand", "product", "product", "brand", "brand"],
            "target": ["X", "X-P", "X-Q", "X", "X"],
            "brand": ["X"] * 5,
            "label": pa.array([1, -1, -1, -1, -1], pa.int8()),
            "score": [0.5, -0.5, -0.5, -0.5, -0.5],
        }
    )
    themes = pa.table(
        {
            "post_id": ["p1", "p1"],
            "theme": ["safety", "quality"],
            "touchpoint": ["product"] * 2,
            "label": pa.array([None, None], pa.int8()),
        }
    )
    return {"enriched": enriched, "post_targets": targets, "post_themes": themes}


def _row(table: pa.Table, **where: Any) -> dict[str, Any]:
    rows = [r for r in table.to_pylist() if all(r[k] == v for k, v in where.items())]
    assert len(rows) == 1, f"expected one row for {where}, got {rows}"
    return rows[0]


def test_engine_reproduces_the_hand_computed_aggregates(engine: Any, tmp_path: Path) -> None:
    out = engine(_hand_case(), tmp_path)
    daily, hourly = out["agg_daily"], out["agg_hourly"]
    # Every post of the slice once: p1 and p2; the repost p3 and target-less p4 drop out.
    everything = [r for r in hourly.to_pylist() if r["theme"] == "*" and r["touchpoint"] == "*"]
    assert sorted((r["hour"].hour, r["posts"], r["negative"]) for r in everything) == [
        (10, 1, 0),
        (11, 1, 1),
    ]
    mass = _row(daily, brand="X", target_type="*", theme="*", touchpoint="*", segment="mass")
    assert (mass["posts"], mass["positive"], mass["negative"], mass["authors"]) == (1, 1, 0, 1)
    assert mass["engagement"] == pytest.approx(2.0) and mass["positive_w"] == pytest.approx(2.0)
    unknown = _row(daily, brand="X", target_type="*", theme="*", touchpoint="*", segment="(none)")
    assert (unknown["negative"], unknown["negative_w"]) == (1, pytest.approx(3.0))
    # Two product targets labelled -1 vote -1 for the product target type (p1 is positive).
    product = _row(daily, brand="X", target_type="product", theme="safety")
    assert (product["posts"], product["negative"], product["positive"]) == (1, 1, 0)
    assert _row(daily, target_type="brand", theme="safety")["positive"] == 1
    no_theme = _row(hourly, brand="X", theme="(none)")
    assert no_theme["hour"] == dt.datetime(2025, 3, 1, 11) and no_theme["negative"] == 1
    # p2 is a comment: its rows carry the post type, p1's the default 'post'
    assert (unknown["post_type"], mass["post_type"], no_theme["post_type"]) == (
        "comment",
        "post",
        "comment",
    )


@pytest.mark.spark
@requires_spark
def test_spark_equals_duckdb_on_seeded_tables(spark: Any, tmp_path: Path) -> None:
    tables = with_clusters(make_enriched(2500, seed=3))
    want = duckdb_aggregates(tables, tmp_path)
    got = spark_aggregates(spark)(tables, tmp_path)
    for name, keys in KEYS.items():  # the report tables too (issue 19)
        assert want[name].num_rows > 100
        assert compare_tables(want[name], got[name], keys) == [], name


@pytest.mark.spark
@requires_spark
def test_spark_keeps_the_same_hourly_window(spark: Any, tmp_path: Path) -> None:
    """Issue 19: with ``hourly_days`` both engines keep the same recent hourly rows (the last
    2 of the 5 days) and the same daily rows as without a window; post types included."""
    tables = with_clusters(make_enriched(1500, seed=5))
    full = duckdb_aggregates(tables, tmp_path)
    want = duckdb_aggregates(tables, tmp_path, hourly_days=2)
    got = spark_aggregates(spark, hourly_days=2)(tables, tmp_path)
    days = sorted({r["day"] for r in want["agg_hourly"].to_pylist()})
    assert days == [dt.date(2025, 3, 4), dt.date(2025, 3, 5)]
    assert {r["post_type"] for r in want["agg_daily"].to_pylist()} == {"post", "comment", "reply"}
    assert compare_tables(full["agg_daily"], want["agg_daily"], DAILY_KEYS) == []
    recent = full["agg_hourly"].filter(pc.field("day") >= dt.date(2025, 3, 4))
    assert compare_tables(recent, want["agg_hourly"], HOURLY_KEYS) == []
    for name, keys in KEYS.items():
        assert compare_tables(want[name], got[name], keys) == []
