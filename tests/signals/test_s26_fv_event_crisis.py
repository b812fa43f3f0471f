"""The event study and the crisis finding say the same thing (walk-through s26 W5: on day 19
of a food-safety crisis the key finding said "ended 12-01" while the event-study table still
said 进行中); an event study of one platform counts that platform's reposts."""

from __future__ import annotations

import datetime as dt

from signals_data import P, insert_posts

from brandhalo.analytics import events
from brandhalo.analytics.metrics import compute_metric
from brandhalo.analytics.opinion import channel_scope
from brandhalo.engines import local
from brandhalo.report.charts import event_studies
from brandhalo.report.i18n import labels
from brandhalo.report.sections import Ctx
from brandhalo.workspace import Workspace

D0 = dt.date(2026, 1, 5)
DAYS = 60
CRISIS = 35
LOUD = (60, 50, 40)
TAIL = (24, 18, 14, 10, 8, 7, 6, 5)
BRAND = ("brand", "Xiaomi", "Xiaomi", None)


def _day(d: int) -> dt.date:
    return D0 + dt.timedelta(days=d)


def _crisis_posts() -> list[P]:
    posts: list[P] = []
    for d in range(DAYS):
        neg = 3 + d % 2  # an ordinary day: 3 or 4 negative posts of 20
        labels_of_day = [-1] * neg + [1] * 10 + [0] * (10 - neg)
        k = d - CRISIS
        labels_of_day += [-1] * ((LOUD + TAIL)[k] if 0 <= k < len(LOUD) + len(TAIL) else 0)
        posts += [P(f"p{d}-{i}", _day(d), lab, segment="mass", targets=[BRAND])
                  for i, lab in enumerate(labels_of_day)]  # fmt: skip
    return posts


def _add_event(ws: Workspace, day: dt.date) -> None:
    with ws.store.transaction() as con:
        con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                    ["e0", day, "Xiaomi", "food safety"])  # fmt: skip


def test_an_ongoing_row_says_when_the_negative_share_was_back(tmp_ws: Workspace) -> None:
    insert_posts(tmp_ws, _crisis_posts())
    local.run(tmp_ws)
    _add_event(tmp_ws, _day(CRISIS))
    back = _day(CRISIS + len(LOUD) + len(TAIL))  # the first ordinary day after the tail
    until = back + dt.timedelta(days=2)
    state = events.back_to_usual(tmp_ws, "Xiaomi", _day(CRISIS), until)
    assert state["judged"] and state["back"] == back, state
    (row,) = events.event_study(tmp_ws, until=until).to_dict("records")
    assert row["status"] in ("ongoing", "not_recovered"), row["status"]  # smoothed NS lags
    for lang, said in (("zh", f"每日负面占比自 {back} 起回到平常水平"),
                       ("en", f"daily negative share back in its usual band from {back}")):  # fmt: skip
        ctx = Ctx(ws=tmp_ws, brand="Xiaomi", lang=lang, since=None, until=until, lb=labels(lang))
        (cells,) = event_studies(ctx).tables[0].rows
        status = str(cells[6])
        assert said in status, status
        assert status.startswith(("进行中", "未恢复") if lang == "zh" else ("ongoing", "not rec"))
    # in the tail the share is not back: the row says nothing more
    tail = _day(CRISIS + len(LOUD) + 2)
    ctx = Ctx(ws=tmp_ws, brand="Xiaomi", lang="en", since=None, until=tail, lb=labels("en"))
    (cells,) = event_studies(ctx).tables[0].rows
    assert "negative share" not in str(cells[6]) and str(cells[6]).startswith("ongoing"), cells


def test_a_study_of_one_platform_counts_its_own_reposts(tmp_ws: Workspace) -> None:
    posts = []
    for d in range(40):
        labs = [-1] * 10 if d == 30 else [1, 1, 1, -1] if d % 2 else [1, -1, -1, -1]
        for src in ("weibo", "xhs"):
            posts += [P(f"{src}{d}-{i}", _day(d), lab, source=src) for i, lab in enumerate(labs)]
    posts += [P(f"rw30-{i}", _day(30), -1, is_repost=True, source="weibo") for i in range(7)]
    posts += [P(f"rx30-{i}", _day(30), -1, is_repost=True, source="xhs") for i in range(50)]
    posts += [P(f"rw10-{i}", _day(10), 1, is_repost=True, source="weibo") for i in range(14)]
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    _add_event(tmp_ws, _day(30))
    with channel_scope(("weibo",), None):
        (row,) = events.event_study(tmp_ws, target_type=None).to_dict("records")
    assert row["path"][0]["volume"] == 10 and row["path"][0]["reposts"] == 7, row["path"][0]
    assert row["baseline_reposts"] == 14 / 28
    (whole,) = events.event_study(tmp_ws).to_dict("records")
    assert whole["path"][0]["reposts"] == 57
    res = compute_metric(tmp_ws, "event_study", source="xhs")
    (row,) = res.rows
    assert row["path"][0]["reposts"] == 50 and row["baseline_reposts"] == 0
