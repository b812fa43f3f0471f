"""`metrics controversy_themes --since S --until U` reads the metric's own window (the last
[params] controversy_days days up to U), not S..U: when S is earlier, a note says which days
were read, why, and how to read them all (before s26 it silently read the last 30 days)."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics.metrics import compute_metric
from brandhalo.engines import local

D0 = dt.date(2025, 1, 6)
UNTIL = D0 + dt.timedelta(days=59)
SAFETY = ("safety", "product")


@pytest.fixture
def ws(tmp_ws):
    posts = [
        *[P(f"a{i}", D0 + dt.timedelta(days=3), -1, themes=[SAFETY]) for i in range(3)],
        *[P(f"b{i}", D0 + dt.timedelta(days=45), -1, themes=[SAFETY]) for i in range(4)],
    ]
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    return tmp_ws


def _window_notes(res) -> list[str]:
    return [n for n in res.notes if "controversy_days = " in n]


def test_a_longer_asked_window_is_named_in_a_note(ws) -> None:
    res = compute_metric(ws, "controversy_themes", brand="Xiaomi", since=D0.isoformat(),
                         until=UNTIL.isoformat())  # fmt: skip
    start = UNTIL - dt.timedelta(days=29)
    assert str(res.rows[0]["since"])[:10] == start.isoformat()  # the metric's own window
    (note,) = _window_notes(res)
    assert f"the 60 days asked from {D0.isoformat()}" in note
    assert f"only {start.isoformat()} to {UNTIL.isoformat()} were read" in note
    assert "set [params] controversy_days = 60" in note


def test_no_note_when_the_asked_window_fits(ws) -> None:
    inside = (UNTIL - dt.timedelta(days=10)).isoformat()
    res = compute_metric(ws, "controversy_themes", brand="Xiaomi", since=inside,
                         until=UNTIL.isoformat())  # fmt: skip
    assert str(res.rows[0]["since"])[:10] == inside
    assert _window_notes(res) == []
    res = compute_metric(ws, "controversy_themes", brand="Xiaomi", until=UNTIL.isoformat())
    assert _window_notes(res) == []
