"""A workspace model (``[sentiment] model_path`` relative to the workspace, as ``brandhalo
train`` sets it) is found by the Spark workers, whatever their working folder.

The workers rebuilt the config without the workspace folder, so the model was looked up in
their own working folder: the run failed with "model ... does not exist" (or, there, used
another file) where the local path found it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from tests.spark.conftest import make_posts, requires_spark

import brandhalo.text.sentiment as sentiment_pkg
from brandhalo.workspace import init_workspace

pytestmark = [pytest.mark.spark, requires_spark]


def test_a_workspace_relative_model_is_used_on_the_workers(spark: Any, tmp_path: Path) -> None:
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.text.enrich import EnrichContext, enrich_table

    with init_workspace(tmp_path / "template") as template:
        text = (template.root / "brandhalo.toml").read_text(encoding="utf-8")
    text = text.replace("[sentiment]\n", '[sentiment]\nmodel_path = "models/mine.npz"\n', 1)
    text = text.replace('engine = "lexicon"', 'engine = "linear"', 1)
    (tmp_path / "ws" / "models").mkdir(parents=True)
    shipped = Path(sentiment_pkg.__file__).parent / "data" / "default_linear.npz"
    shutil.copy(shipped, tmp_path / "ws" / "models" / "mine.npz")
    with init_workspace(tmp_path / "ws", config_text=text) as ws:
        assert ws.config.sentiment.model_path == "models/mine.npz"
        posts = make_posts(40, seed=9)
        pq.write_table(posts, tmp_path / "posts.parquet")
        analyze_spark(
            ws, str(tmp_path / "posts.parquet"), tmp_path / "out", spark=spark, load=False
        )
        local = enrich_table(posts, EnrichContext.from_config(ws.config, root=ws.root)).enriched
    got = pq.read_table(tmp_path / "out" / "enriched").sort_by("post_id")
    want = local.sort_by("post_id")
    assert set(got.column("engine").to_pylist()) == {"linear@mine"}
    assert got.column("label").to_pylist() == want.column("label").to_pylist()
