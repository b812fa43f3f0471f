"""The founder -> product best lag rests on enough day pairs (walk-through s14).

On two weeks of real Apple tweets, ``metrics founder_dependence`` reported best_lag 6 with
best_correlation -1.0: the lag with the strongest |r|, which rested on 2 day pairs (any two
points correlate at +-1). The report, reading the same row, said that "only 2 days" held both,
although lag 0 had 14. The best lag is now chosen among the lags with at least MIN_CORR_DAYS
day pairs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from brandhalo.analytics import founder


def _daily(seed: int, days: int = 15) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2025-01-01", periods=days, freq="D")
    per = pd.DataFrame({"persona": rng.normal(0, 30, days), "n": 5.0}, index=index)
    prod = pd.DataFrame({"product": rng.normal(0, 30, days), "n": 5.0}, index=index)
    return per, prod


def test_best_lag_is_not_a_thin_one() -> None:
    out = founder.spillover(*_daily(4))
    corr = {int(k): v for k, v in out["lag_correlations"].items()}
    days = {int(k): n for k, n in out["lag_days"].items()}
    strongest = max(corr, key=lambda k: abs(corr[k]))
    assert days[strongest] < founder.MIN_CORR_DAYS  # the premise: noise wins on |r|
    assert days[out["best_lag"]] >= founder.MIN_CORR_DAYS
    enough = [k for k in corr if days[k] >= founder.MIN_CORR_DAYS]
    assert out["best_lag"] == max(enough, key=lambda k: abs(corr[k]))
    assert out["best_correlation"] == corr[out["best_lag"]]


def test_no_lag_long_enough_falls_back_to_the_same_day() -> None:
    out = founder.spillover(*_daily(4, days=8))
    assert max(out["lag_days"].values()) < founder.MIN_CORR_DAYS
    assert out["best_lag"] == 0
    assert out["best_correlation"] == out["lag_correlations"]["0"]
