"""The Spark engine keeps rated reviews out of cluster campaigns as the local engine does
(session 24: a buyer's star rating is opinion, however alike its words; a disclosed one is
campaign copy by the per-post rules), see tests/text/test_s24_fg_origin_english.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.spark.conftest import requires_spark
from tests.text.test_s24_fg_origin_english import GIFTED, PROMO, _copies, _origins, stored

pytestmark = [pytest.mark.spark, pytest.mark.slow, requires_spark]


def test_spark_keeps_rated_reviews_organic_as_the_local_engine(tmp_path: Path, spark: Any) -> None:
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.text.enrich import run

    rows = (_copies("tweet", PROMO, 12) + _copies("review", PROMO, 6, rating=5.0)
            + _copies("gift", GIFTED, 2, rating=5.0))  # fmt: skip
    ws_local = stored(tmp_path / "local", rows)
    run(ws_local, workers=1)
    ws_spark = stored(tmp_path / "spark", rows)
    analyze_spark(ws_spark, master="local[2]", spark=spark)
    want, got = _origins(ws_local), _origins(ws_spark)
    ws_local.close()
    ws_spark.close()
    assert got == want
    assert {got[f"review{i:02d}"][0] for i in range(6)} == {"organic"}
    assert {got[f"tweet{i:02d}"][0] for i in range(12)} == {"campaign"}
