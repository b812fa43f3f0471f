"""A crisis that is over by day 20 is "recovered", its trough is in its busy days, and its
clear CAR[0,7] is its effect (walk-through s25: "did the price controversy end?").

A streamer's remark drew ~63 posts a day at NS -32..-52 for five days, fading to ~6 posts a
day near the baseline by day 12; day 30 happened to be a 5-post day at NS -60. Version 1.4
took that last day as the trough (argmin of raw daily NS), so no day after it could be a
recovery ("not_recovered"), and read the effect from CAR[0,30] alone, whose interval (23
ordinary days added) held 0 ("none") while CAR[0,7] was -267 (95 % -496..-39).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from brandhalo.analytics import events

DAY0 = dt.date(2026, 9, 1)
BASELINE, WINDOW = 28, 30
#: The walk-through's days 0..30: (NS, original posts).
CRISIS = [
    (-32, 63), (-52, 64), (-38, 63), (-38, 65), (-42, 62), (-28, 29), (-45, 22), (-23, 13),
    (-10, 10), (40, 10), (17, 6), (-50, 8), (0, 6), (17, 6), (-33, 3), (29, 7), (14, 7),
    (20, 5), (14, 7), (0, 6), (-17, 6), (-20, 5), (0, 6), (-50, 4), (0, 6), (-29, 7),
    (-12, 8), (0, 7), (-12, 8), (-50, 4), (-60, 5),
]  # fmt: skip


def _series(window: list[tuple[float, int]]) -> pd.DataFrame:
    """28 baseline days of 5 posts alternating NS +30 / -40 (mean -5, sd ~36), then `window`."""
    base = [(30.0 if i % 2 else -40.0, 5) for i in range(BASELINE)]
    rows = base + [(float(v), n) for v, n in window]
    start = DAY0 - dt.timedelta(days=BASELINE)
    return pd.DataFrame({
        "day": [start + dt.timedelta(days=i) for i in range(len(rows))],
        "n": [float(n) for _, n in rows],
        "ns": [v for v, _ in rows],
        "reposts": np.zeros(len(rows)),
    })  # fmt: skip


def test_a_crisis_over_by_day_20_recovers_and_its_trough_is_in_its_busy_days() -> None:
    res = events.study(_series(CRISIS), DAY0, BASELINE, WINDOW)
    assert res["baseline_ns"] - res["baseline_sd"] > -45  # the busy days are below the band
    # the trough is one of the five busy days, never the thin last day of the window
    assert 0 <= res["trough_offset"] <= 4, res["trough_day"]
    assert res["trough_day"] != DAY0 + dt.timedelta(days=WINDOW)
    assert res["trough_ns"] <= -38
    assert res["status"] == "recovered"
    assert res["recovery_days"] is not None and res["recovery_days"] <= 14
    assert res["trough_offset"] < res["recovery_days"]
    # CAR[0,30] holds 0, CAR[0,7] is clearly below it: the effect is the short window's
    assert res["car_30_low"] < 0 < res["car_30_high"]
    assert res["car_7_high"] < 0
    assert res["effect"] == "negative" and res["effect_window"] == "0,7"
    assert events.effect_text(res).startswith("CAR[0,7] ")


def test_a_dip_that_holds_to_the_end_of_the_window_has_its_trough_there() -> None:
    # the NS keeps falling to day 30 on steady volume: not recovered, the trough is the last day
    falling = [(-10.0 - 3 * k, 10) for k in range(WINDOW + 1)]
    res = events.study(_series(falling), DAY0, BASELINE, WINDOW)
    assert res["status"] == "not_recovered" and res["recovery_day"] is None
    assert res["trough_offset"] == WINDOW
    assert res["effect"] == "negative" and res["effect_window"] == "0,30"


def test_no_clear_window_is_no_effect() -> None:
    quiet = [(30.0 if k % 2 else -40.0, 5) for k in range(WINDOW + 1)]
    res = events.study(_series(quiet), DAY0, BASELINE, WINDOW)
    assert res["effect"] == "none" and res["effect_window"] is None
    assert events.effect_text(res) is None
