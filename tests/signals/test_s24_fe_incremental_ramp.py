"""A slow-building crisis across the watcher's rounds (session 24, helper FE): an incremental
run whose changed days fall inside an episode that began before them holds the same baseline
as a full run, so both store the same alerts, and the episode keeps growing round by round."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
from signals_data import P, insert_posts, stream

from brandhalo.analytics import signals, spikes
from brandhalo.engines import local

START = dt.date(2025, 1, 6)
RAMP = dt.date(2025, 2, 10)
#: safety complaints a day from RAMP on: a crisis that builds over a week
SIZES = [4, 7, 11, 16, 22, 29, 37, 46, 56, 66]
COLS = ["alert_id", "episode_id", "grain", "brand", "theme", "period", "count", "expected",
        "mad", "z", "severity", "persistence", "kind", "posts", "base_share"]  # fmt: skip


def _ramp(first: int, last: int, prefix: str) -> list[P]:
    out: list[P] = []
    for i in range(first, last):
        day = RAMP + dt.timedelta(days=i)
        posts = stream(day, 1, seed=100 + i, spikes=[(day, 12, "safety", SIZES[i])])
        out += [dataclasses.replace(p, post_id=f"{prefix}{i}-{p.post_id}") for p in posts]
    return out


def _alerts(ws, full: bool) -> pd.DataFrame:
    if full:
        df = spikes.find_alerts(ws)[COLS]
    else:
        df = ws.store.query(f"SELECT {', '.join(COLS)} FROM alerts")
    df = df.astype({"period": "datetime64[ns]"}).sort_values("alert_id")
    return df.reset_index(drop=True)


def test_incremental_rounds_inside_a_growing_episode_equal_a_full_run(tmp_ws):
    params = tmp_ws.config.params.model_copy(update={"spike_baseline_days": 7})
    tmp_ws.config = tmp_ws.config.model_copy(update={"params": params})
    days_before = (RAMP - START).days
    insert_posts(tmp_ws, stream(START, days_before, seed=3) + _ramp(0, 4, "a"))
    local.run(tmp_ws)
    signals.run(tmp_ws, explain=False)
    counts = []
    for first, last in ((4, 6), (6, 8), (8, 10)):  # three rounds, two new days each
        insert_posts(tmp_ws, _ramp(first, last, "b"))
        local.run(tmp_ws)
        res = signals.run(tmp_ws, incremental=True, explain=False)
        assert res.counts["days_changed"] == 2
        pd.testing.assert_frame_equal(_alerts(tmp_ws, False), _alerts(tmp_ws, True),
                                      check_dtype=False)  # fmt: skip
        eps = tmp_ws.store.query("SELECT start_at, count, severity FROM episodes")
        eps = eps[pd.to_datetime(eps["start_at"]).dt.date >= RAMP]
        assert len(eps) == 1, eps
        counts.append(int(eps["count"].iloc[0]))
    # one episode, its count growing with each round's days
    assert counts == sorted(counts) and counts[-1] > counts[0], counts
    day_alerts = _alerts(tmp_ws, False)
    brand_days = day_alerts[(day_alerts["grain"] == "day") & (day_alerts["theme"] == "*")
                            & (day_alerts["period"].dt.date >= RAMP)]  # fmt: skip
    assert len(brand_days) >= 6, brand_days
