"""Comments inherit their thread's targets on Spark as on the local path (``analysis.thread_targets``).

The local path ingests the comments before their root post (two ingests, two analyzes); Spark
reads every post from a second store in one run: ``post_targets`` (``method`` included),
``post_facts``-built aggregates and the brand's counts are equal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.spark.conftest import requires_spark
from tests.support.cli_ws import analyzed_with_config
from tests.support.spark_compare import compare_tables
from tests.text.test_s20_f7_thread_targets import COMMENTS, ON, ROOT

from brandhalo.cli import main
from brandhalo.engines.sql import DAILY_KEYS
from brandhalo.ingest import ingest_records
from brandhalo.workspace import Workspace, init_workspace

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    requires_spark,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]

TARGETS = "SELECT post_id, target_type, target, brand, label, score, method FROM post_targets"


def test_spark_inherits_thread_targets_as_local(tmp_path: Path, spark: Any) -> None:
    from brandhalo.engines.spark import analyze_spark

    local = analyzed_with_config(tmp_path / "local", ON, COMMENTS)
    with Workspace.open(local) as ws:
        ingest_records(ws, "posts", [ROOT])
    main(["analyze", "--project", str(local)])

    ws_spark = init_workspace(tmp_path / "spark", config_text=ON)
    ingest_records(ws_spark, "posts", [ROOT, *COMMENTS])
    analyze_spark(ws_spark, master="local[2]", spark=spark)
    with Workspace.open(local) as ws_local:
        for sql, keys in (
            (TARGETS, ["post_id", "target_type", "target"]),
            ("SELECT * FROM agg_daily", DAILY_KEYS),
        ):
            want = ws_local.store.con.cursor().sql(sql).to_arrow_table()
            got = ws_spark.store.con.cursor().sql(sql).to_arrow_table()
            assert want.num_rows > 0 and compare_tables(want, got, keys) == [], sql
        inherited = ws_spark.store.con.execute(
            "SELECT post_id, brand FROM post_targets WHERE method = 'thread' ORDER BY ALL"
        ).fetchall()
    assert inherited == [("c1", "蒙牛"), ("r1", "伊利"), ("r2", "蒙牛")]
    ws_spark.close()


def test_turning_it_on_or_off_invalidates_spark_checkpoints() -> None:
    """``config_hash`` leaves ``[analysis]`` out: a resumed Spark output folder must not reuse
    ``post_targets`` computed under the other setting."""
    from brandhalo.config import parse_config
    from brandhalo.engines.spark import _fingerprint

    brands = [{"name": "蒙牛"}]
    on = parse_config({"brands": brands, "analysis": {"thread_targets": True}})
    off = parse_config({"brands": brands, "analysis": {"thread_targets": False}})
    assert _fingerprint(on, "in", 1) != _fingerprint(off, "in", 1)
