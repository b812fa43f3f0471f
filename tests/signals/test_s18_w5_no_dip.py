"""An event with no dip (s18 W5 walk-through): its study said ``status no_dip`` and yet
``recovered True`` with ``recovery_days`` (a "recovery" of noise), contradicting
docs/metrics.md; a no-dip event has no recovery, in the study and in the simulator's planted
oracle the planted-truth tests compare against."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from signals_data import P, insert_posts

from brandhalo.analytics import events
from brandhalo.demo.planted import event_study
from brandhalo.engines import local
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 1, 1)


def _posts(days: int, per_day: int = 20) -> list[P]:
    """Baseline NS alternating 50 / 30 every day: noise, never a dip."""
    out = []
    for d in range(days):
        pos, neg = (6, 1) if d % 2 else (5, 2)
        labels = ([1] * pos + [-1] * neg) * (per_day // 10) + [0] * (per_day - 2 * (pos + neg))
        out += [P(f"x{d}-{i}", D0 + dt.timedelta(days=d), lab) for i, lab in enumerate(labels)]
    return out


def test_a_no_dip_event_has_no_recovery(tmp_ws: Workspace) -> None:
    insert_posts(tmp_ws, _posts(70))
    local.run(tmp_ws)
    with tmp_ws.store.transaction() as con:
        con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                    ["e0", D0 + dt.timedelta(days=30), "Xiaomi", "price cut"])  # fmt: skip
    (row,) = events.event_study(tmp_ws).to_dict("records")
    assert row["status"] == "no_dip"
    assert not row["recovered"]
    assert pd.isna(row["recovery_days"]) and pd.isna(row["recovery_day"])
    assert row["trough_day"] is not None  # the lowest day is still named


def test_the_planted_oracle_has_no_recovery_without_a_dip() -> None:
    ns = np.array([50.0 if d % 2 else 30.0 for d in range(70)])
    trough, recovery, mu, _ = event_study(ns, 30)
    assert trough is not None and mu == 40.0
    assert recovery is None
    dipped = ns.copy()
    dipped[30:35] = -50.0
    assert event_study(dipped, 30)[1] is not None  # a real dip still recovers
