"""Event study on a baseline too thin or too noisy to judge (s22 F4 walk-through).

A recall's daily NS rested on ~5 original posts a day: the baseline sd was 53.7, the band
-52.9..+54.4, so day 1 (smoothed -42) counted as back to normal and the report said "Recovery
1 d" while complaints ran for four days. Such a study is now ``inconclusive``, with the reason,
no recovery, and what the band would have said in ``band_status``; a clear baseline still
recovers as before."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from signals_data import P, insert_posts

from brandhalo.analytics import events
from brandhalo.engines import local
from brandhalo.report.charts import _event_notes, _recovery
from brandhalo.report.i18n import labels
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 1, 1)
DAY0 = 30  # the event's day (index in the posts' days)


def _day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def _posts(days: int, normal: dict[int, list[int]], dip: list[int]) -> list[P]:
    """Labels per day: `dip` on the event's day, else `normal` by day parity."""
    out = []
    for d in range(days):
        labels_of_day = dip if d == DAY0 else normal[d % 2]
        out += [P(f"x{d}-{i}", _day(d), lab) for i, lab in enumerate(labels_of_day)]
    return out


def _study(ws: Workspace, posts: list[P]) -> dict:
    insert_posts(ws, posts)
    local.run(ws)
    with ws.store.transaction() as con:
        con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                    ["e0", _day(DAY0), "Xiaomi", "recall"])  # fmt: skip
    (row,) = events.event_study(ws).to_dict("records")
    return row


def test_a_thin_noisy_baseline_is_inconclusive_not_recovered(tmp_ws: Workspace) -> None:
    # the walk-through's shape: 4 posts a day (NS +50 / -50), 40 negative posts on day 0,
    # then back to the same 4 posts a day: the +-1 sd band (about -58..+58) holds day 1
    thin = {0: [1, 1, 1, -1], 1: [1, -1, -1, -1]}
    row = _study(tmp_ws, _posts(45, thin, [-1] * 40))
    assert row["baseline_volume"] < events.MIN_BASELINE_POSTS
    assert row["status"] == "inconclusive"
    assert row["band_status"] == "recovered"  # what the band alone said before
    assert not row["recovered"]
    assert pd.isna(row["recovery_days"]) and pd.isna(row["recovery_day"])
    assert "posts a day" in row["inconclusive"] and "band spans" in row["inconclusive"]
    # the numbers stay, to read with their wide intervals
    assert row["dip_offset"] == 0 and row["trough_offset"] == 0 and row["car_7"] is not None


def test_a_noisy_baseline_with_many_posts_is_inconclusive(tmp_ws: Workspace) -> None:
    # 20 posts a day (not few) whose NS swings +80 / -10 (sd ~46): the band spans ~90 points
    noisy = {0: [1] * 18 + [-1] * 2, 1: [1] * 8 + [-1] * 10 + [0] * 2}
    row = _study(tmp_ws, _posts(45, noisy, [-1] * 20))
    assert row["baseline_volume"] >= events.MIN_BASELINE_POSTS
    assert row["baseline_sd"] > events.MAX_BAND_SD
    assert row["status"] == "inconclusive" and row["band_status"] == "recovered"
    assert "posts a day" not in row["inconclusive"] and "band spans" in row["inconclusive"]


def test_a_clear_baseline_still_recovers(tmp_ws: Workspace) -> None:
    # 10 posts a day, NS +40 / +30 (sd 5): the same one-day dip recovers, judged as before
    clear = {0: [1] * 5 + [-1] + [0] * 4, 1: [1] * 4 + [-1] + [0] * 5}
    row = _study(tmp_ws, _posts(45, clear, [-1] * 40))
    assert row["status"] == "recovered" and row["recovery_days"] is not None
    assert row["inconclusive"] is None and row["band_status"] == "recovered"


def test_the_report_says_inconclusive_and_why_in_both_languages() -> None:
    row = {"status": "inconclusive", "band_status": "recovered", "recovery_days": None,
           "thin": True, "baseline_volume": 4.7, "baseline_sd": 53.6,
           "inconclusive": "the baseline averages 4.7 posts a day (fewer than 5); ..."}  # fmt: skip
    zh, en = labels("zh"), labels("en")
    assert _recovery(row, zh) == "无法判断" and _recovery(row, en) == "inconclusive"
    assert "4.7" in _event_notes(row, "zh", zh) and "54" in _event_notes(row, "zh", zh)
    assert "too noisy" in _event_notes(row, "en", en)
    # a recovered row still reads its days
    assert _recovery({"status": "recovered", "recovery_days": 3}, en) != "inconclusive"
