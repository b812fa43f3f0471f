"""The event study shows the reposts beside the original posts (s22 F4 walk-through): a
recall's NS rested on ~5 original posts a day while day 0 also had dozens of reposts, which
NS leaves out; the study said nothing of them, so an inconclusive row read as a quiet day."""

from __future__ import annotations

import datetime as dt

from signals_data import P, insert_posts

from brandhalo.analytics import events
from brandhalo.engines import local
from brandhalo.report.charts import _event_notes
from brandhalo.report.i18n import labels
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 1, 1)


def _day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def test_the_path_counts_reposts_beside_the_originals(tmp_ws: Workspace) -> None:
    posts = []
    for d in range(40):
        labels_of_day = [-1] * 40 if d == 30 else [1, 1, 1, -1] if d % 2 else [1, -1, -1, -1]
        posts += [P(f"x{d}-{i}", _day(d), lab) for i, lab in enumerate(labels_of_day)]
    posts += [P(f"r30-{i}", _day(30), -1, is_repost=True) for i in range(69)]
    posts += [P(f"r10-{i}", _day(10), 1, is_repost=True) for i in range(14)]  # baseline
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    with tmp_ws.store.transaction() as con:
        con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                    ["e0", _day(30), "Xiaomi", "recall"])  # fmt: skip
    (row,) = events.event_study(tmp_ws).to_dict("records")
    day0 = row["path"][0]
    assert day0["volume"] == 40 and day0["reposts"] == 69  # NS reads the 40, not the 69
    assert row["path"][1]["reposts"] == 0
    assert row["baseline_reposts"] == 14 / 28
    assert row["status"] == "inconclusive"
    zh, en = labels("zh"), labels("en")
    assert "69 reposts" in _event_notes(row, "en", en) and "40 posts" in _event_notes(row, "en", en)
    assert "转发 69 条" in _event_notes(row, "zh", zh)
