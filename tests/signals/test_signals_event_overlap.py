"""Event studies warn when another event of the brand falls in their baseline or window."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from brandhalo.analytics import events


def test_overlapping_events_are_named(demo_ws) -> None:
    ws, _ = demo_ws
    df = events.event_study(ws, brand="Xiaomi").set_index("title")
    launch = df.loc["Xiaomi SU7 launch"]
    assert launch["overlaps"] == [] and pd.isna(launch["overlap_warning"])
    crash = df.loc["Fatal SU7 crash on an Anhui expressway"]
    assert {"title": "Lei Jun statement on the crash", "date": dt.date(2025, 4, 1),
            "offset": 3, "in": "window"} in crash["overlaps"]  # fmt: skip
    assert "Lei Jun statement on the crash (day +3, in the window)" in crash["overlap_warning"]
    statement = df.loc["Lei Jun statement on the crash"]
    assert any(o["offset"] == -3 and o["in"] == "baseline" for o in statement["overlaps"])
    # another brand's event never counts (the Huawei spat row is Xiaomi's own event here)
    assert all(o["title"] != "Huawei Pura 70 series launch" for o in launch["overlaps"])
