"""An inconclusive event study still says what its CAR shows (s23 H1 walk-through).

A price cut read on ~3.4 posts a day (baseline sd 53) was only ``inconclusive`` / 无法判断,
though its CAR[0,30] was -1221 with 95 % interval -2057..-386: clear evidence of a negative
effect. ``effect`` now says it (negative / positive / none, from the CAR[0,30] interval, else
CAR[0,7]) and the inconclusive reason ends with it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from signals_data import P, insert_posts

from brandhalo.analytics import events
from brandhalo.engines import local
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 1, 1)
DAY0 = 28


def _day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def _series(ns: list[float], n: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"day": [_day(i) for i in range(len(ns))], "n": n, "ns": ns,
                         "reposts": np.zeros(len(ns))})  # fmt: skip


def test_a_clear_car_on_a_thin_baseline_is_a_negative_effect(tmp_ws: Workspace) -> None:
    # 3 posts a day, NS alternating +100 / -33 (sd ~70: inconclusive); after the event every
    # post is negative for 30 days: CAR[0,30] far below 0 whatever the band says
    base = {0: [1, 1, 1], 1: [1, -1, -1]}
    posts = []
    for d in range(DAY0 + 31):
        labels = [-1, -1, -1] if d >= DAY0 else base[d % 2]
        posts += [P(f"x{d}-{i}", _day(d), lab) for i, lab in enumerate(labels)]
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    with tmp_ws.store.transaction() as con:
        con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                    ["e0", _day(DAY0), "Xiaomi", "price cut"])  # fmt: skip
    (row,) = events.event_study(tmp_ws).to_dict("records")
    assert row["status"] == "inconclusive"
    assert row["car_30_high"] < 0
    assert row["effect"] == "negative"
    assert "; but CAR[0,30]" in row["inconclusive"]
    assert "is a clear negative effect" in row["inconclusive"]
    assert f"{row['car_30']:.0f} (95 % {row['car_30_low']:.0f}.." in row["inconclusive"]


def test_effect_reads_the_interval_and_falls_back_to_car_7() -> None:
    base = [35.0, 45.0] * (DAY0 // 2)  # mean 40, sd ~5.1
    n = [40.0] * (DAY0 + 31)
    # the window goes on as the baseline: no evidence either way
    flat = events.study(_series(base + ([35.0, 45.0] * 16)[:31], n), _day(DAY0), 28, 30)
    assert flat["effect"] == "none"
    # a lift of 30 points for the whole window
    up = events.study(_series(base + [70.0] * 31, n), _day(DAY0), 28, 30)
    assert up["car_30_low"] > 0 and up["effect"] == "positive"
    # 10 days observed: CAR[0,30] unknown, the effect is CAR[0,7]'s
    short = events.study(_series(base + [0.0] * 10, n[: DAY0 + 10]), _day(DAY0), 28, 30)
    assert short["car_30"] is None and short["car_7_high"] < 0
    assert short["effect"] == "negative"


def test_the_reason_names_a_clear_effect_only() -> None:
    res = {"baseline_volume": 3.0, "baseline_sd": 60.0, "status": "recovered",
           "effect": "none", "car_30": -50.0, "car_30_low": -400.0, "car_30_high": 300.0}  # fmt: skip
    why = events.judged(res)["inconclusive"]
    assert why is not None and "but CAR" not in why  # an interval that holds 0 claims nothing
    up = {**res, "effect": "positive", "car_30": 500.0, "car_30_low": 100.0, "car_30_high": 900.0}
    assert events.judged(up)["inconclusive"].endswith(
        "; but CAR[0,30] 500 (95 % 100..900) is a clear positive effect"
    )
    # a window not over yet: the CAR[0,7] it was read from
    short = {**up, "car_30": None, "car_30_low": None, "car_30_high": None,
             "car_7": -300.0, "car_7_low": -500.0, "car_7_high": -100.0, "effect": "negative"}  # fmt: skip
    assert (
        "but CAR[0,7] -300 (95 % -500..-100) is a clear negative effect"
        in (events.judged(short)["inconclusive"])
    )
    clear = {**res, "baseline_volume": 40.0, "baseline_sd": 5.0}  # a band that can judge
    assert events.judged(clear)["inconclusive"] is None
