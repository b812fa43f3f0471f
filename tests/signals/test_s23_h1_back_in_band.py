"""``back_in_band_day``: when the daily NS is back, not only its 7-day mean (s23 H1).

"Is it over?": a crisis's recovery day (DESIGN: the 7-day mean back within the band) came
days after the daily NS was back, the mean still holding the crisis days. ``recovery_day``
keeps DESIGN's definition; ``back_in_band_day`` is the first day after the trough whose own
NS is within the band and stays at or above its floor for the next 7 days with posts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from brandhalo.analytics import events

D0 = dt.date(2025, 1, 1)
DAY0 = 28
BASE = [35.0, 45.0] * 14  # mean 40, sd ~5.1: band ~34.9..45.1


def _study(window: list[float]) -> dict:
    ns = BASE + window
    df = pd.DataFrame({"day": [D0 + dt.timedelta(days=i) for i in range(len(ns))],
                       "n": [40.0] * len(ns), "ns": ns, "reposts": np.zeros(len(ns))})  # fmt: skip
    return events.study(df, D0 + dt.timedelta(days=DAY0), 28, 30)


def test_the_daily_ns_is_back_before_the_seven_day_mean() -> None:
    # five crisis days at -50, then the usual 40 a day
    row = _study([-50.0] * 5 + [40.0] * 26)
    assert row["status"] == "recovered"
    assert row["back_in_band_days"] == 5
    assert row["back_in_band_day"] == D0 + dt.timedelta(days=DAY0 + 5)
    assert row["recovery_days"] > row["back_in_band_days"]  # DESIGN's day, kept
    assert row["recovery_days"] == 11


def test_one_good_day_inside_the_dip_is_not_back() -> None:
    # day 3 is normal, days 4-5 fall again: back only from day 6
    row = _study([-50.0] * 3 + [40.0] + [-50.0] * 2 + [40.0] * 25)
    assert row["back_in_band_days"] == 6


def test_back_while_the_mean_is_still_down_and_none_without_a_dip() -> None:
    # 11 days observed: the daily NS is back on day 5, the 7-day mean not yet
    row = _study([-50.0] * 5 + [40.0] * 6)
    assert row["status"] == "ongoing" and row["recovery_days"] is None
    assert row["back_in_band_days"] == 5
    # the days after it without posts do not count against it
    gaps = _study([-50.0] * 5 + [40.0, np.nan, np.nan, 40.0] + [40.0] * 22)
    assert gaps["back_in_band_days"] == 5
    # no dip: nothing to be back from
    calm = _study([40.0] * 31)
    assert calm["status"] == "no_dip" and calm["back_in_band_days"] is None


def test_an_inconclusive_study_has_no_back_in_band_day() -> None:
    res = {"baseline_volume": 3.0, "baseline_sd": 60.0, "status": "recovered", "effect": "none",
           "back_in_band_day": D0, "back_in_band_days": 5}  # fmt: skip
    out = events.judged(res)
    assert out["status"] == "inconclusive" and out["back_in_band_days"] is None
