"""The Spark engine judges a long-running template and a late burst as the local engine does
(walk-through s23 w2, issue 15): both run the same cluster-rule SQL (a sliding window, or
twice ``campaign_min_accounts`` accounts in all), see tests/text/test_s23_ff_campaign_long_run.py."""

from __future__ import annotations

from typing import Any

import pytest
from tests.spark.conftest import requires_spark
from tests.text.campaign_plant import local_and_spark
from tests.text.test_s23_ff_campaign_long_run import _origins, _posts

pytestmark = [pytest.mark.spark, pytest.mark.slow, requires_spark]


def test_spark_finds_the_long_running_template_and_the_late_burst(
    tmp_path: Any, spark: Any
) -> None:
    want, got = local_and_spark(tmp_path, spark, _posts(), _origins)
    assert got == want
    campaign = {k for k, v in got.items() if v[0] == "campaign"}
    assert campaign == {k for k in got if k.startswith(("slow", "late"))} and len(campaign) == 18
