"""A spike explanation reads the baseline the alert was scored on (walk-through s21: with
``[params] spike_baseline_days = 7`` and one week of history, ``brandhalo alerts`` showed the
alerted days "426 negative posts vs 24 expected" but the whole episode "444 vs 0.0": the
explanation took the 28 days before the episode, three of its four same-weekday days before the
data began, as zeros)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from signals_data import P, insert_posts

from brandhalo.analytics import explain as ex
from brandhalo.analytics import signals
from brandhalo.analytics.episodes import list_alerts
from brandhalo.engines import local
from brandhalo.workspace import init_workspace

CONFIG = """version = 1
[workspace]
name = "s21 g2"
timezone = "Asia/Shanghai"

[[brands]]
name = "Xiaomi"
own = true

[params]
spike_baseline_days = 7
"""
START = dt.date(2026, 11, 20)
SPIKE = START + dt.timedelta(days=10)


def _day(d: int) -> dt.date:
    return START + dt.timedelta(days=d)


def test_the_episode_expects_what_its_week_of_history_held(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    try:
        # 12 days of posts, 4 negatives a day; 60 more negatives on day 10
        posts = [P(f"d{d}-{i}", _day(d), (-1 if i < 4 else 1), text=f"post {d} {i}")
                 for d in range(12) for i in range(12)]  # fmt: skip
        posts += [P(f"s{i}", SPIKE, -1, hour=14, text=f"battery swelled {i}") for i in range(60)]
        insert_posts(ws, posts)
        local.run(ws)
        signals.run(ws)
        (alert,) = list_alerts(ws, since=SPIKE)
        expl = alert.explanation
        assert expl is not None and alert.expected is not None
        n_days = (expl.end - expl.start).days + 1
        # the same weekday one week before each episode day held 4 negatives
        assert expl.expected == 4.0 * n_days, expl
        assert expl.expected > 0.05  # never "vs 0.0 expected" beside the alerted days' count
    finally:
        ws.close()


def _rows(days: dict[dt.date, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [(t, d, n) for d, n in days.items() for t in ("*", "battery")],
        columns=["theme", "day", "neg"],
    )


def test_theme_excess_uses_the_given_baseline_days() -> None:
    start = dt.date(2025, 3, 10)
    df = _rows({start - dt.timedelta(days=7): 5, start: 50})
    # 28 days: medians of (5, 0, 0, 0) = 0; 7 days: the one week before, 5
    assert ex.theme_excess(df, start, start)[2] == 0.0
    assert ex.theme_excess(df, start, start, baseline_days=7)[2] == 5.0
    # 14 days read two weeks back: median of (5, 0)
    assert ex.theme_excess(df, start, start, baseline_days=14)[2] == 2.5


def test_days_without_posts_are_missing_not_zero() -> None:
    """A 28-day baseline whose data begin 10 days before the episode: the three earlier same
    weekdays are not zeros."""
    start = dt.date(2025, 3, 10)
    df = _rows({start - dt.timedelta(days=7): 6, start: 50})
    covered = frozenset(start - dt.timedelta(days=k) for k in range(0, 11))
    themes, observed, expected = ex.theme_excess(df, start, start, covered=covered)
    assert (observed, expected) == (50, 6.0)
    assert themes[0].theme == "battery" and themes[0].expected == 6.0
    # a covered day without negatives is a zero: 0 of the week before, 6 two weeks before
    df2 = _rows({start - dt.timedelta(days=14): 6, start: 50})
    covered2 = frozenset(start - dt.timedelta(days=k) for k in range(0, 15))
    assert ex.theme_excess(df2, start, start, covered=covered2)[2] == 3.0
    # no covered same weekday at all: nothing expected (not NaN)
    assert ex.theme_excess(df, start, start, covered=frozenset({start}))[2] == 0.0
