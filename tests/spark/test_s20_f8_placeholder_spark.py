"""Spark reads a platform's placeholder reviews as the local engine does: no opinion.

A review export (product column, :mod:`tests.support.hint_reviews`' brand model) whose rows mix
buyers' reviews with JD/Tmall placeholders ("此用户未填写评价内容", "系统默认好评", "该用户觉得
商品很好，给出了5星好评") ingested into two workspaces, one enriched locally, one by
``analyze_spark``: the placeholders are neutral with ``~default review`` evidence in both, and
the enrichment, targets and daily aggregates are equal.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from tests.spark.conftest import requires_spark
from tests.support.hint_reviews import CONFIG
from tests.support.spark_compare import compare_tables

from brandhalo.engines.sql import DAILY_KEYS
from brandhalo.workspace import Workspace, init_workspace

pytestmark = [pytest.mark.spark, requires_spark]

ENRICHED_COLS = (
    "post_id, day, hour, source, lang, segment, label, score, confidence, weight, "
    "author_id, is_repost, evidence, engine, config_hash, origin, origin_evidence, cluster_id"
)
PLACEHOLDERS = ("此用户未填写评价内容", "系统默认好评", "该用户觉得商品很好，给出了5星好评")
OWN = ("很好用，流畅，好评", "电池不耐用，太差了")


def _write(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "text", "created_at", "source", "product"])
        for d in range(4):
            for k, text in enumerate((*PLACEHOLDERS, *OWN)):
                out.writerow(
                    [f"r{k}-{d}", text, f"2025-03-{d + 1:02d} 10:0{k}:00", "jd", "iPhone 4S"]
                )
    return path


def _arrow(ws: Workspace, sql: str) -> pa.Table:
    return ws.store.con.cursor().sql(sql).to_arrow_table()


def test_spark_reads_placeholder_reviews_as_local_does(spark: Any, tmp_path: Path) -> None:
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
        rows = _arrow(
            ws_spark,
            "SELECT p.text, e.label, e.evidence FROM enriched e JOIN posts p USING (post_id)",
        ).to_pylist()
        assert len(rows) == 4 * (len(PLACEHOLDERS) + len(OWN))
        for row in rows:
            placeholder = row["text"] in PLACEHOLDERS
            assert ("~default review" in row["evidence"]) == placeholder, row
            if placeholder:
                assert row["label"] == 0, row
        assert {r["label"] for r in rows if r["text"] in OWN} == {1, -1}
        for table, cols, keys in (
            ("enriched", ENRICHED_COLS, ["post_id"]),
            ("post_targets", "*", ["post_id", "target_type", "target"]),
            ("agg_daily", "*", list(DAILY_KEYS)),
        ):
            want = _arrow(ws_local, f"SELECT {cols} FROM {table}")
            got = _arrow(ws_spark, f"SELECT {cols} FROM {table}")
            assert want.num_rows > 0 and want.num_rows == got.num_rows, table
            assert compare_tables(want, got, keys) == [], table
