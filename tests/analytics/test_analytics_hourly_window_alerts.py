"""Hourly spike alerts live inside the hourly window (issue 19): when the window moves on, an
incremental signals round drops the hourly alerts a full run no longer scores (daily ones stay),
so the two agree."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
from tests.signals.signals_data import P, insert_posts, stream

from brandhalo.analytics import signals, spikes
from brandhalo.engines import local
from brandhalo.workspace import Workspace, init_workspace

START = dt.date(2025, 1, 6)
SPIKE = START + dt.timedelta(days=62)  # inside the 40-day window, after its 28 baseline days
COLS = ["alert_id", "grain", "brand", "theme", "period", "count", "z", "persistence", "kind"]


def _ws(root: Path, days: int) -> Workspace:
    template = init_workspace(root / "template")
    text = (template.root / "brandhalo.toml").read_text(encoding="utf-8")
    template.close()
    return init_workspace(root / "ws", config_text=f"{text}\n[aggregate]\nhourly_days = {days}\n")


def _stored(ws: Workspace) -> pd.DataFrame:
    df = ws.store.query(f"SELECT {', '.join(COLS)} FROM alerts ORDER BY alert_id")
    df["period"] = pd.to_datetime(df["period"]).astype("datetime64[ns]")
    return df.reset_index(drop=True)


def _full(ws: Workspace) -> pd.DataFrame:
    df = spikes.find_alerts(ws)[COLS].sort_values("alert_id").reset_index(drop=True)
    return df.astype({"period": "datetime64[ns]"})


def _renamed(posts: list[P], prefix: str) -> list[P]:
    return [dataclasses.replace(p, post_id=prefix + p.post_id) for p in posts]


def test_hourly_alerts_follow_the_window(tmp_path: Path) -> None:
    ws = _ws(tmp_path, 40)
    insert_posts(ws, stream(START, 70, seed=3, spikes=[(SPIKE, 14, "safety", 60)]))
    local.run(ws)
    signals.run(ws, explain=False)
    first = _stored(ws)
    hourly = first[first["grain"] == "hour"]
    assert set(hourly["period"].dt.date) == {SPIKE}  # the planted hour is found in the window
    assert set(first[first["grain"] == "day"]["period"].dt.date) == {SPIKE}
    # ten more quiet days: the window starts on day 40, hours are scored from day 68 on
    insert_posts(ws, _renamed(stream(START + dt.timedelta(days=70), 10, seed=5), "n-"))
    local.run(ws)
    assert local.hourly_window(ws) == START + dt.timedelta(days=40)
    res = signals.run(ws, incremental=True, explain=False)
    assert res.counts["days_changed"] == 10
    got = _stored(ws)
    pd.testing.assert_frame_equal(got, _full(ws), check_dtype=False)
    assert not (got["grain"] == "hour").any()  # the spike's hours left the scored window
    assert set(got["period"].dt.date) == {SPIKE}  # its daily alerts stay (all time)
    ws.close()
