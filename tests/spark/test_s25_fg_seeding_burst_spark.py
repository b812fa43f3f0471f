"""The Spark engine judges a seeding burst with few promotional copies, a copy-paste without
them and a half-disclosed template as the local engine does (walk-through s25 w1, issue 15):
both run the same cluster-rule SQL (the big-burst branch, a disclosure as a promotional
signal), see tests/text/test_s25_fg_seeding_burst.py."""

from __future__ import annotations

from typing import Any

import pytest
from tests.spark.conftest import requires_spark
from tests.text.campaign_plant import insert
from tests.text.campaign_plant import workspace as make_workspace
from tests.text.test_s25_fg_seeding_burst import _origins, _posts

from brandhalo.text.enrich import run

pytestmark = [pytest.mark.spark, pytest.mark.slow, requires_spark]


def test_spark_finds_the_seeding_burst_as_the_local_engine(tmp_path: Any, spark: Any) -> None:
    from brandhalo.engines.spark import analyze_spark

    ws_local = make_workspace(tmp_path / "local")
    insert(ws_local, _posts())
    run(ws_local, workers=1)
    ws_spark = make_workspace(tmp_path / "spark")
    insert(ws_spark, _posts())
    analyze_spark(ws_spark, master="local[2]", spark=spark)
    want, got = _origins(ws_local), _origins(ws_spark)
    ws_local.close()
    ws_spark.close()
    assert got == want
    campaign = {k for k, v in got.items() if v[0] == "campaign"}
    assert campaign == {k for k in got if k.startswith(("seed", "label"))} and len(campaign) == 18
