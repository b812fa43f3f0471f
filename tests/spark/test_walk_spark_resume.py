"""Resuming a Spark run after its input changed: no checkpoint of the old input is reused.

A run on new posts that stops before it rewrote every step (Ctrl-C during the JVM start or the
enrichment) used to leave the previous input's complete folders next to the new manifest, so
the next run skipped them and silently left the new posts out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from tests.spark.conftest import make_posts, requires_spark

from brandhalo.workspace import init_workspace

pytestmark = [pytest.mark.spark, requires_spark]


def _ids(folder: Path) -> set[str]:
    return set(pq.read_table(folder, columns=["post_id"]).column(0).to_pylist())


def test_a_run_stopped_after_the_input_changed_does_not_reuse_old_steps(
    spark: Any, tmp_path: Path
) -> None:
    from brandhalo.engines.spark import (
        _Checkpoints,
        _fingerprint,
        _input_identity,
        analyze_spark,
    )

    config = init_workspace(tmp_path / "ws").config
    posts = make_posts(80, seed=21)
    source, out = tmp_path / "posts.parquet", tmp_path / "out"
    pq.write_table(posts.slice(0, 60), source)
    analyze_spark(config, str(source), out, spark=spark)
    assert len(_ids(out / "enriched")) == 60

    # 20 more posts in the same file; a run starts on it and is stopped right after it opened
    # its checkpoints (what Ctrl-C during the JVM start or the enrichment leaves on disk)
    pq.write_table(posts, source)
    fingerprint = _fingerprint(config, str(source), _input_identity(None, str(source)))
    _Checkpoints(str(out), fingerprint, resume=True)

    result = analyze_spark(config, str(source), out, spark=spark)
    assert result.counts["enriched"] == 80
    assert _ids(out / "enriched") == set(posts.column("post_id").to_pylist())
    assert _ids(out / "_clusters") == _ids(out / "enriched")
