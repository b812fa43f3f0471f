"""The Spark engine judges a seeding burst with few promotional copies, a copy-paste without
them and a half-disclosed template as the local engine does (walk-through s25 w1, issue 15):
both run the same cluster-rule SQL (the big-burst branch, a disclosure as a promotional
signal), see tests/text/test_s25_fg_seeding_burst.py."""

from __future__ import annotations

from typing import Any

import pytest
from tests.spark.conftest import requires_spark
from tests.text.campaign_plant import local_and_spark
from tests.text.test_s25_fg_seeding_burst import _origins, _posts

pytestmark = [pytest.mark.spark, pytest.mark.slow, requires_spark]


def test_spark_finds_the_seeding_burst_as_the_local_engine(tmp_path: Any, spark: Any) -> None:
    want, got = local_and_spark(tmp_path, spark, _posts(), _origins)
    assert got == want
    campaign = {k for k, v in got.items() if v[0] == "campaign"}
    assert campaign == {k for k in got if k.startswith(("seed", "label"))} and len(campaign) == 18
