"""Spark attributes reviews by their ``product`` column exactly as the local engine does.

The same review export (product names by name, alias, case, full width, one unknown, one
review naming the rival in its text; :mod:`tests.support.hint_reviews`) ingested into two
workspaces: ``enrich.run`` + ``engines.local`` in one, ``analyze_spark`` in the other. Their
enrichment (targets and evidence included) and daily aggregates are equal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from tests.spark.conftest import requires_spark
from tests.support.hint_reviews import CONFIG, HINTED, write_reviews
from tests.support.spark_compare import compare_tables

from brandhalo.engines.sql import DAILY_KEYS
from brandhalo.workspace import Workspace, init_workspace

pytestmark = [pytest.mark.spark, requires_spark]

ENRICHED_COLS = (
    "post_id, day, hour, source, lang, segment, label, score, confidence, weight, "
    "author_id, is_repost, evidence, engine, config_hash, origin, origin_evidence, cluster_id"
)


def _arrow(ws: Workspace, sql: str) -> pa.Table:
    return ws.store.con.cursor().sql(sql).to_arrow_table()


def test_spark_attributes_hinted_reviews_as_local_does(spark: Any, tmp_path: Path) -> None:
    from brandhalo.engines import local
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.ingest import ingest_files
    from brandhalo.text import enrich

    reviews = write_reviews(tmp_path / "reviews.csv")
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
        products = _arrow(ws_spark, "SELECT post_id FROM post_targets WHERE target = 'iPhone 4S'")
        assert {p.rsplit("-", 1)[0] for p in products["post_id"].to_pylist()} == set(HINTED)
        for table, cols, keys in (
            ("enriched", ENRICHED_COLS, ["post_id"]),
            ("post_targets", "*", ["post_id", "target_type", "target"]),
            ("agg_daily", "*", list(DAILY_KEYS)),
        ):
            want = _arrow(ws_local, f"SELECT {cols} FROM {table}")
            got = _arrow(ws_spark, f"SELECT {cols} FROM {table}")
            assert want.num_rows > 0 and want.num_rows == got.num_rows, table
            assert compare_tables(want, got, keys) == [], table
