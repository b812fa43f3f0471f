"""Spark counts a product as its brand in ``agg_pairs`` as the local path does (metric 18,
version 1.1): the brand-switching posts naming only products pair their brands on both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.engines.test_s21_c1_product_pairs import RECORDS, TOML
from tests.spark.conftest import requires_spark
from tests.support.cli_ws import analyzed_with_config
from tests.support.spark_compare import compare_tables

from brandhalo.engines.sql_report import PAIR_KEYS
from brandhalo.ingest import ingest_records
from brandhalo.workspace import Workspace, init_workspace

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    requires_spark,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]


def test_spark_pairs_products_as_their_brands_as_local(tmp_path: Path, spark: Any) -> None:
    from brandhalo.engines.spark import analyze_spark

    local = analyzed_with_config(tmp_path / "local", TOML, RECORDS)
    ws_spark = init_workspace(tmp_path / "spark", config_text=TOML)
    ingest_records(ws_spark, "posts", RECORDS)
    analyze_spark(ws_spark, master="local[2]", spark=spark)
    sql = "SELECT * FROM agg_pairs"
    with Workspace.open(local) as ws_local:
        want = ws_local.store.con.cursor().sql(sql).to_arrow_table()
    got = ws_spark.store.con.cursor().sql(sql).to_arrow_table()
    pairs = ws_spark.store.con.execute(
        "SELECT source, source_type, target, target_type, sum(posts) FROM agg_pairs "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    ws_spark.close()
    assert want.num_rows == 5 and compare_tables(want, got, list(PAIR_KEYS)) == []
    assert pairs == [
        ("Aurelia", "brand", "Brevio", "competitor", 4),
        ("Aurelia", "brand", "Bruno Vale", "persona", 1),
    ]
