"""The event-study terminal table shows how loud day 0 was (s23 H1).

A launch day of 287 posts on a baseline of 5 a day read only ``no_dip`` / ``thin`` in the
80-column table (``abnormal_volume`` only in --json). The rows now carry ``day0_volume`` and
``day0_lift`` and the table a ``day0`` column ("287 (57x)") beside the status and effect, the
long title wrapping instead of pushing them out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from brandhalo.analytics import events
from brandhalo.analytics.metrics import MetricResult
from brandhalo.cli import signals
from brandhalo.cli._common import console

D0 = dt.date(2025, 1, 1)
DAY0 = 28


def _launch() -> dict:
    n = [5.0] * DAY0 + [287.0] + [8.0] * 30
    ns = [40.0 + (i % 2) * 10 for i in range(len(n))]
    df = pd.DataFrame({"day": [D0 + dt.timedelta(days=i) for i in range(len(n))], "n": n,
                       "ns": ns, "reposts": np.zeros(len(n))})  # fmt: skip
    return events.study(df, D0 + dt.timedelta(days=DAY0), 28, 30)


def test_the_row_has_day0_volume_and_lift() -> None:
    row = _launch()
    assert row["status"] == "no_dip"
    assert row["day0_volume"] == 287
    assert row["day0_lift"] == pytest.approx(287 / 5)


def test_the_80_column_table_shows_day0_status_and_effect(monkeypatch) -> None:
    row = {"date": D0 + dt.timedelta(days=DAY0), "brand": "小米",
           "title": "小米发布新款旗舰手机，登上微博热搜第一位", "kind": "launch", **_launch(),
           "thin": False, "inconclusive": None, "overlap_warning": None, "overlaps": []}  # fmt: skip
    result = MetricResult(name="event_study", metric_version=events.METRIC_VERSION, rows=[row])
    monkeypatch.setattr(console, "_width", 80)  # (the property would leave 80 set for good)
    with console.capture() as cap:
        signals._print_metric(result)
    out = cap.get()
    head = next(line for line in out.splitlines() if line.startswith("┃"))
    assert "day0" in head and "status" in head and "effect" in head
    assert "287 (57x)" in out and "no_dip" in out
    assert max(len(line) for line in out.splitlines() if line.startswith("│")) <= 80
