"""The whole Spark path against the local path on the same simulated, ingested posts.

Local: ``text.enrich.run`` + ``engines.local.run`` into DuckDB. Spark: ``analyze_spark`` on a
second workspace with the same posts (exported from its store, enriched by ``mapInArrow``,
aggregated by the same SQL, loaded back). Enrichment (origin and near-duplicate clusters
included: the simulation carries a planted campaign burst and repost ring), aggregates and the
signals computed from them must be equal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from tests.spark.conftest import requires_spark
from tests.support.spark_compare import compare_tables

from brandhalo.engines.sql import DAILY_KEYS, HOURLY_KEYS
from brandhalo.engines.sql_report import REPORT_TABLES
from brandhalo.workspace import Workspace, init_workspace

pytestmark = [pytest.mark.spark, pytest.mark.slow, requires_spark]

POSTS = 3000
ENRICHED_COLS = (
    "post_id, day, hour, source, lang, segment, label, score, confidence, weight, "
    "author_id, is_repost, evidence, engine, config_hash, origin, origin_evidence, cluster_id"
)


def _workspace(root: Path, sim: Any) -> Workspace:
    from brandhalo.ingest import ingest_files

    ws = init_workspace(root, config_text=sim.config.read_text(encoding="utf-8"))
    ingest_files(ws, "posts", [sim.posts])
    return ws


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, spark: Any) -> Any:
    """(local workspace, spark workspace, spark stage result) on the same simulated posts."""
    from brandhalo.demo import simulate
    from brandhalo.engines import local
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.text import enrich

    root = tmp_path_factory.mktemp("pipeline")
    sim = simulate(root / "sim", seed=7, posts=POSTS, campaigns=True)
    ws_local, ws_spark = _workspace(root / "local", sim), _workspace(root / "spark", sim)
    enrich.run(ws_local, workers=1)
    local.run(ws_local)
    result = analyze_spark(ws_spark, master="local[2]", spark=spark)
    ws_spark.planted = sim.planted  # type: ignore[attr-defined]
    yield ws_local, ws_spark, result
    ws_local.close()
    ws_spark.close()


def _arrow(ws: Workspace, sql: str) -> pa.Table:
    # A fresh cursor: the shared connection may hold a half-read result.
    return ws.store.con.cursor().sql(sql).to_arrow_table()


def test_spark_enrichment_equals_local(pair: Any) -> None:
    ws_local, ws_spark, result = pair
    n = _arrow(ws_local, "SELECT count(*) AS n FROM posts")["n"][0].as_py()
    spark_n = _arrow(ws_spark, "SELECT count(*) AS n FROM enriched")["n"][0].as_py()
    assert result.counts["posts"] == n == spark_n > POSTS // 2
    for table, keys in (
        ("enriched", ["post_id"]),
        ("post_targets", ["post_id", "target_type", "target"]),
        ("post_themes", ["post_id", "theme"]),
    ):
        cols = ENRICHED_COLS if table == "enriched" else "*"
        want = _arrow(ws_local, f"SELECT {cols} FROM {table}")
        got = _arrow(ws_spark, f"SELECT {cols} FROM {table}")
        assert want.num_rows > 0 and want.num_rows == got.num_rows, table
        assert compare_tables(want, got, keys) == [], table


def test_spark_recovers_the_planted_campaigns_as_local_does(pair: Any) -> None:
    ws_local, ws_spark, _ = pair
    for ws in (ws_local, ws_spark):
        rows = _arrow(ws, "SELECT post_id, origin, cluster_id FROM enriched").to_pylist()
        origin = {r["post_id"]: r["origin"] for r in rows}
        cluster = {r["post_id"]: r["cluster_id"] for r in rows}
        for camp in ws_spark.planted.campaigns:
            ids = [i for i in camp.post_ids if i in origin]
            hit = [i for i in ids if origin[i] in ("campaign", "official")]
            assert len(ids) >= 50 and len(hit) >= 0.9 * len(ids), camp.kind
        burst = next(c for c in ws_spark.planted.campaigns if c.kind == "burst")
        # the template burst is one near-duplicate cluster named after its first post
        top = max(
            {cluster[i] for i in burst.post_ids if cluster.get(i)},
            key=lambda c: sum(cluster.get(i) == c for i in burst.post_ids),
        )
        assert sum(cluster.get(i) == top for i in burst.post_ids) >= 0.9 * burst.posts
        assert top in burst.post_ids
    sql = "SELECT origin, count(*) AS n FROM post_facts GROUP BY origin ORDER BY origin"
    assert _arrow(ws_local, sql).equals(_arrow(ws_spark, sql))
    # the driver's cluster index is loaded: a later local run joins the same clusters
    for sql in (
        "SELECT cluster_id, sig FROM neardup_clusters ORDER BY ALL",
        "SELECT key, cluster_id FROM neardup_bands ORDER BY ALL",
    ):
        want = _arrow(ws_local, sql)
        assert want.num_rows > 0 and want.equals(_arrow(ws_spark, sql)), sql


def test_spark_aggregates_equal_duckdb(pair: Any) -> None:
    ws_local, ws_spark, result = pair
    for table, keys in (("agg_daily", DAILY_KEYS), ("agg_hourly", HOURLY_KEYS)):
        want = _arrow(ws_local, f"SELECT * FROM {table}")
        got = _arrow(ws_spark, f"SELECT * FROM {table}")
        assert want.num_rows > 1000 and result.counts[table] == got.num_rows
        assert compare_tables(want, got, keys) == [], table
    days = "SELECT day, posts FROM agg_days ORDER BY day"
    assert ws_local.store.query(days).equals(ws_spark.store.query(days))
    for table, (keys, _) in REPORT_TABLES.items():  # the report's tables (issue 19)
        want = _arrow(ws_local, f"SELECT * FROM {table}")
        assert want.num_rows > 0
        assert compare_tables(want, _arrow(ws_spark, f"SELECT * FROM {table}"), keys) == [], table


def test_local_aggregate_stage_sees_spark_results_as_up_to_date(pair: Any) -> None:
    from brandhalo.engines import local

    _, ws_spark, _ = pair
    # The bookkeeping Spark wrote matches what the local engine would: nothing to redo.
    assert local.run(ws_spark).counts == {"days": 0}


def test_signals_read_spark_aggregates_unchanged(pair: Any) -> None:
    from brandhalo.analytics import signals

    ws_local, ws_spark, _ = pair
    a = signals.run(ws_local, explain=False)
    b = signals.run(ws_spark, explain=False)
    assert a.counts == b.counts
    sql = "SELECT grain, brand, theme, period, count, severity FROM alerts ORDER BY ALL"
    assert ws_local.store.query(sql).equals(ws_spark.store.query(sql))


def test_spark_rerun_resumes_from_complete_steps(pair: Any, spark: Any) -> None:
    from brandhalo.engines.spark import analyze_spark

    ws_local, ws_spark, first = pair
    out = ws_spark.path("spark")
    wide_done = (out / "_wide" / "_SUCCESS").stat().st_mtime_ns
    # An interruption during aggregation: the hourly table never finished.
    (out / "agg_hourly" / "_SUCCESS").unlink()
    again = analyze_spark(ws_spark, master="local[2]", spark=spark)
    assert (out / "_wide" / "_SUCCESS").stat().st_mtime_ns == wide_done  # not re-enriched
    assert (out / "agg_hourly" / "_SUCCESS").exists()
    assert {k: v for k, v in again.counts.items() if not k.endswith("_ms")} == {
        k: v for k, v in first.counts.items() if not k.endswith("_ms")
    }
    want = _arrow(ws_local, "SELECT * FROM agg_hourly")
    assert compare_tables(want, _arrow(ws_spark, "SELECT * FROM agg_hourly"), HOURLY_KEYS) == []


def test_spark_on_parquet_input_fills_an_empty_workspace(
    pair: Any, spark: Any, tmp_path: Path
) -> None:
    from brandhalo.engines.spark import analyze_spark

    ws_local, ws_spark, first = pair
    posts = ws_spark.path("spark", "_input")  # the store's posts as Parquet
    config_text = (ws_spark.root / "brandhalo.toml").read_text(encoding="utf-8")
    with init_workspace(tmp_path / "empty", config_text=config_text) as ws:
        result = analyze_spark(ws, str(posts), tmp_path / "out", spark=spark)
        assert result.counts["loaded_posts"] == first.counts["posts"]
        for table, keys in (("agg_daily", DAILY_KEYS), ("agg_hourly", HOURLY_KEYS)):
            want = _arrow(ws_local, f"SELECT * FROM {table}")
            assert compare_tables(want, _arrow(ws, f"SELECT * FROM {table}"), keys) == []
        got = _arrow(ws, "SELECT post_id, text, created_at FROM posts")
        want = _arrow(ws_local, "SELECT post_id, text, created_at FROM posts")
        assert compare_tables(want, got, ["post_id"]) == []
