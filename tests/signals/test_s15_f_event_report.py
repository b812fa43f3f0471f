"""The event study as the report and the dashboard overview show it (they share the section):
the status in words (no dip, recovered after n days, ongoing as of the last day, not
recovered), the CARs with their 95 % intervals, the CAR to date of a window not over, the thin
flag and overlapping events, and why an event is not studied, all in the report language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from signals_data import P, insert_posts

from brandhalo.analytics import events
from brandhalo.engines import local
from brandhalo.report.charts import event_studies
from brandhalo.report.i18n import labels
from brandhalo.report.method_notes import note_text
from brandhalo.report.sections import Ctx
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 1, 1)
#: A CAR with its interval, as the table shows it: "-450.3 [-520, -381]".
CAR_CELL = re.compile(r"-?[\d,]+\.\d \[-?[\d,]+, -?[\d,]+\]")


def _day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def _posts(days: int, dip: range = range(0)) -> list[P]:
    """10 posts a day; baseline NS alternates 50 / 30; on `dip` days NS is -50."""
    out = []
    for d in range(days):
        pos, neg = (2, 7) if d in dip else (6 if d % 2 else 5, 1 if d % 2 else 2)
        labels_ = [1] * pos + [-1] * neg + [0] * (10 - pos - neg)
        out += [P(f"x{d}-{i}", _day(d), lab) for i, lab in enumerate(labels_)]
    return out


def _events(ws: Workspace, *rows: tuple[int, str]) -> None:
    with ws.store.transaction() as con:
        for k, (d, title) in enumerate(rows):
            con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                        [f"e{k}", _day(d), "Xiaomi", title])  # fmt: skip


def _table(ws: Workspace, lang: str, until: dt.date | None = None) -> dict[str, dict[str, object]]:
    """The event table of the section, by title: column name -> cell."""
    ctx = Ctx(ws=ws, brand="Xiaomi", lang=lang, since=None, until=until, lb=labels(lang))
    table = event_studies(ctx).tables[0]
    return {str(r[1]): dict(zip(table.columns, r, strict=True)) for r in table.rows}


@pytest.fixture
def dip_ws(tmp_ws: Workspace) -> Workspace:
    """A 5-day dip from day 30 (the recall), a calm day 45 and events outside the data."""
    insert_posts(tmp_ws, _posts(61, dip=range(30, 35)))
    local.run(tmp_ws)
    _events(tmp_ws, (30, "recall"), (45, "calm"), (1, "early"), (70, "planned"))
    return tmp_ws


def test_statuses_intervals_and_reasons_in_chinese(dip_ws: Workspace) -> None:
    rows = _table(dip_ws, "zh")
    recall, calm = rows["recall"], rows["calm"]
    assert recall["恢复"] == "11 天"
    assert CAR_CELL.fullmatch(str(recall["CAR[0,7]"])) and str(recall["CAR[0,7]"]).startswith("-")
    assert CAR_CELL.fullmatch(str(recall["CAR[0,30]"]))
    assert recall["说明"] == "样本少；重叠事件：calm（+15 天）"
    # no effect is "no dip", not a recovery of noise after n days
    assert calm["恢复"] == "无明显下跌"
    assert str(calm["CAR[0,30]"]).startswith("至今 ")  # days 45..60 only: the CAR to date
    assert calm["说明"] == "样本少；重叠事件：recall（-15 天）、planned（+25 天）"
    # events the study cannot read: why, in Chinese, and no status
    assert rows["early"]["恢复"] is None and rows["early"]["CAR[0,7]"] is None
    assert str(rows["early"]["说明"]).startswith("事件前的历史不足：基线需要事件前 28 天")
    assert "事件晚于有帖子的最后一天（2025-03-02）" in str(rows["planned"]["说明"])


def test_an_effect_still_running_reads_ongoing_as_of_the_last_day(dip_ws: Workspace) -> None:
    zh = _table(dip_ws, "zh", until=_day(32))["recall"]
    assert zh["恢复"] == "进行中（截至 2025-02-02，第 2 天）"
    assert str(zh["CAR[0,7]"]).startswith("至今 -") and zh["CAR[0,7]"] == zh["CAR[0,30]"]
    en = _table(dip_ws, "en", until=_day(32))["recall"]
    assert en["Recovery"] == "ongoing (as of 2025-02-02, day 2)"
    assert str(en["CAR[0,30]"]).endswith(" to date")


def test_an_effect_that_lasts_the_window_reads_not_recovered(tmp_ws: Workspace) -> None:
    insert_posts(tmp_ws, _posts(70, dip=range(30, 70)))
    local.run(tmp_ws)
    _events(tmp_ws, (30, "scandal"))
    assert _table(tmp_ws, "en")["scandal"]["Recovery"] == "not recovered"
    assert _table(tmp_ws, "zh")["scandal"]["恢复"] == "未恢复"


def test_every_reason_of_the_study_reads_in_chinese() -> None:
    """Each sentence events.py gives instead of numbers has its Chinese (no English words
    left but the command and the names it quotes)."""
    days = [D0 + dt.timedelta(days=i) for i in range(40)]
    reasons = [
        events.why_no_study([], D0, 28),
        events.why_no_study(days, _day(60), 28),
        events.why_no_study(days, _day(5), 28),
        events._unknown_brand("OPPO"),
    ]
    import numpy as np
    import pandas as pd

    sparse = pd.DataFrame({"day": days, "n": [0.0] * 39 + [1.0], "ns": [np.nan] * 39 + [50.0]})
    reasons.append(events.study(sparse, days[30], 28, 30)["reason"])
    for reason in reasons:
        zh = note_text(reason, "zh")
        english = set(re.findall(r"[A-Za-z][A-Za-z_]+", zh)) - {"brandhalo", "analyze", "OPPO",
                                                                 "toml", "brands"}  # fmt: skip
        assert not english, f"{reason!r} -> {zh!r}"


def test_many_overlaps_name_the_nearest_and_count_the_rest(tmp_ws: Workspace) -> None:
    insert_posts(tmp_ws, _posts(61, dip=range(30, 35)))
    local.run(tmp_ws)
    _events(tmp_ws, (30, "recall"), (40, "d"), (34, "c"), (32, "b"), (31, "a"))
    assert (
        _table(tmp_ws, "zh")["recall"]["说明"]
        == "样本少；重叠事件：a（+1 天）、b（+2 天）、c（+4 天） 等 1 个"
    )
    assert (
        _table(tmp_ws, "en")["recall"]["Notes"]
        == "thin; overlaps a (day +1), b (day +2), c (day +4) and 1 more"
    )
