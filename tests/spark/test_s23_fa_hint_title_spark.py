"""Spark attributes reviews by the product title in their ``product`` column as local does.

The review export of :mod:`tests.text.test_s23_fa_product_hint` (shop product titles naming a
configured product, a brand only, an exclude phrase, nothing), one row per title and day,
ingested into two workspaces: ``enrich.run`` + ``engines.local`` in one, ``analyze_spark`` in
the other. Both find the product inside the titles, and their enrichment and daily
aggregates are equal.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from tests.spark.conftest import requires_spark
from tests.support.spark_compare import compare_tables
from tests.text.test_s23_fa_product_hint import CASES, CONFIG, TEXT

from brandhalo.engines.sql import DAILY_KEYS
from brandhalo.workspace import Workspace, init_workspace

pytestmark = [pytest.mark.spark, requires_spark]

ENRICHED_COLS = (
    "post_id, day, hour, source, lang, segment, label, score, confidence, weight, "
    "author_id, is_repost, evidence, engine, config_hash, origin, origin_evidence, cluster_id"
)


def _arrow(ws: Workspace, sql: str) -> pa.Table:
    return ws.store.con.cursor().sql(sql).to_arrow_table()


def _write(path: Path, days: int = 3) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "text", "created_at", "source", "product"])
        for d in range(days):
            for i, (title, _) in enumerate(CASES):
                out.writerow([f"r{i}-{d}", TEXT, f"2025-07-{d + 1:02d} 10:00:00", "jd", title])
    return path


def test_spark_reads_product_titles_as_local_does(spark: Any, tmp_path: Path) -> None:
    from brandhalo.engines import local
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.ingest import ingest_files
    from brandhalo.text import enrich

    reviews = _write(tmp_path / "reviews.csv")
    shared = spark.conf.get("spark.sql.shuffle.partitions")
    with (
        init_workspace(tmp_path / "local", config_text=CONFIG) as ws_local,
        init_workspace(tmp_path / "spark", config_text=CONFIG) as ws_spark,
    ):
        for ws in (ws_local, ws_spark):
            ingest_files(ws, "posts", [reviews])
        enrich.run(ws_local, workers=1)
        local.run(ws_local)
        try:
            analyze_spark(ws_spark, master="local[2]", spark=spark)
        finally:
            spark.conf.set("spark.sql.shuffle.partitions", shared)
        for ws in (ws_local, ws_spark):
            rows = _arrow(ws, "SELECT post_id, target_type, target FROM post_targets")
            got: dict[str, set[tuple[str, str]]] = {}
            for r in rows.to_pylist():
                got.setdefault(r["post_id"].rsplit("-", 1)[0], set()).add(
                    (r["target_type"], r["target"])
                )
            assert [got.get(f"r{i}", set()) for i in range(len(CASES))] == [w for _, w in CASES]
        for table, cols, keys in (
            ("enriched", ENRICHED_COLS, ["post_id"]),
            ("post_targets", "*", ["post_id", "target_type", "target"]),
            ("agg_daily", "*", list(DAILY_KEYS)),
        ):
            want = _arrow(ws_local, f"SELECT {cols} FROM {table}")
            got_t = _arrow(ws_spark, f"SELECT {cols} FROM {table}")
            assert want.num_rows > 0 and want.num_rows == got_t.num_rows, table
            assert compare_tables(want, got_t, keys) == [], table
