"""Event study recovery as an analyst reads it (s20 F1 walk-through).

A firmware update on 2026-03-15 read ``recovered`` after 2 days while its dip started on day 5
and days 5-11 had daily NS -100..-10: the recovery was searched from the trough (a one-post day
1) on, before the dip had even started, and the trailing 7-day mean of the first days mixed in
baseline days. Recovery is now judged after the dip, on a mean of days >= 0 only, and must
hold for a week; a dip that starts with a later event of the brand is not the event's own."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import events
from brandhalo.demo.planted import event_study as oracle
from brandhalo.engines import local
from brandhalo.workspace import Workspace

D0 = dt.date(2026, 1, 1)
BASE = 28  # baseline days before day 0 (index 28 of the series)


def _series(baseline: tuple[float, float], after: list[float]) -> pd.DataFrame:
    """28 baseline days alternating the two values, then day 0.. = `after`."""
    ns = [baseline[d % 2] for d in range(BASE)] + list(after)
    days = [D0 + dt.timedelta(days=i) for i in range(len(ns))]
    return pd.DataFrame({"day": days, "n": np.full(len(ns), 10.0), "ns": np.array(ns, float)})


def _study(series: pd.DataFrame) -> dict:
    return events.study(series, series["day"][BASE], baseline=BASE, window=30)


def _oracle_offset(series: pd.DataFrame) -> int | None:
    rec = oracle(series["ns"].to_numpy(float), BASE)[1]
    return None if rec is None else rec - BASE


def test_a_dip_from_day_5_to_11_is_not_recovered_on_day_2() -> None:
    # a noisy baseline (mean 10, sd about 51); a one-day low on day 1, the dip on days 5..11
    after = [30.0, -100.0, 30.0, 30.0, 30.0] + [-100.0] * 7 + [30.0] * 25
    res = _study(_series((60.0, -40.0), after))
    assert 5 <= res["dip_offset"] <= 11
    assert res["status"] == "recovered"
    # back in the band only once the 7-day mean no longer holds most of the bad week
    assert res["recovery_days"] == 15 and res["recovery_days"] > res["dip_offset"]
    assert _oracle_offset(_series((60.0, -40.0), after)) == 15


def test_a_week_of_normal_days_before_the_dip_is_no_recovery() -> None:
    # the lowest day is a one-day low on day 1 (not a dip: the mean of days 0..1 stays in the
    # band); days 2..9 are normal, the dip comes on days 10..16: nothing has recovered yet on
    # day 2, however normal the week after it looks
    after = [30.0, -100.0] + [30.0] * 8 + [-100.0] * 7 + [30.0] * 20
    res = _study(_series((60.0, -40.0), after))
    assert res["trough_offset"] == 1 and res["dip_offset"] == 13
    assert res["status"] == "recovered" and res["recovery_days"] == 20
    assert _oracle_offset(_series((60.0, -40.0), after)) == 20


def test_a_dip_that_recovers_on_day_20_and_stays_reads_recovered_after_20() -> None:
    after = [-20.0] * 20 + [40.0] * 17  # baseline mean 40, sd about 10
    res = _study(_series((50.0, 30.0), after))
    assert res["status"] == "recovered" and res["dip_offset"] == 0
    assert 20 <= res["recovery_days"] <= 26  # within the 7-day grain of day 20
    assert _oracle_offset(_series((50.0, 30.0), after)) == res["recovery_days"]


def test_a_few_good_days_inside_a_dip_are_no_recovery() -> None:
    # back in the band on day 13 for four days, then down again to the end of the window
    after = [-20.0] * 10 + [80.0] * 4 + [-20.0] * 23
    res = _study(_series((50.0, 30.0), after))
    assert res["status"] == "not_recovered"
    assert res["recovery_days"] is None and not res["recovered"]
    assert _oracle_offset(_series((50.0, 30.0), after)) is None


def test_a_very_good_baseline_does_not_make_the_first_days_look_recovered() -> None:
    # baseline mean 80 (sd about 10): every day from day 0 on is below the band (floor ~70)
    after = [40.0] + [55.0] * 36
    res = _study(_series((90.0, 70.0), after))
    assert res["dip_offset"] == 0  # day 0 alone is below: no baseline day props it up
    assert res["status"] == "not_recovered"
    assert res["recovery_days"] is None
    assert _oracle_offset(_series((90.0, 70.0), after)) is None


def _posts(days: int, dip: range) -> list[P]:
    """20 posts a day; baseline NS alternates 50 / 30; on `dip` days NS is -50."""
    out = []
    for d in range(days):
        pos, neg = (4, 14) if d in dip else ((12, 2) if d % 2 else (10, 4))
        labels = [1] * pos + [-1] * neg + [0] * (20 - pos - neg)
        out += [P(f"x{d}-{i}", D0 + dt.timedelta(days=d), lab) for i, lab in enumerate(labels)]
    return out


def test_a_dip_that_starts_with_a_later_event_is_not_the_events_own(tmp_ws: Workspace) -> None:
    # a quiet launch on day 30; a crisis on day 35 (its 3 bad days recover inside the launch's
    # window): the launch has no dip of its own, whether or not the crisis recovered
    insert_posts(tmp_ws, _posts(90, dip=range(35, 38)))
    local.run(tmp_ws)
    with tmp_ws.store.transaction() as con:
        for k, (d, title) in enumerate(((30, "launch"), (35, "crisis"))):
            con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                        [f"e{k}", D0 + dt.timedelta(days=d), "Xiaomi", title])  # fmt: skip
    rows = {r["title"]: r for r in events.event_study(tmp_ws).to_dict("records")}
    launch, crisis = rows["launch"], rows["crisis"]
    assert launch["dip_with"] == "crisis" and launch["dip_offset"] >= 5
    assert launch["status"] == "no_dip"
    assert not launch["recovered"] and pd.isna(launch["recovery_days"])
    assert "most likely that event's" in launch["overlap_warning"]
    assert crisis["status"] == "recovered" and crisis["dip_offset"] == 0
    assert crisis["dip_with"] is None and crisis["recovery_days"] is not None
