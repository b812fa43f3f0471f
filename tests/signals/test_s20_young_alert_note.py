"""A young workspace (data just longer than the spike baseline) that lists no alert says which
days were checked (walk-through s20 w2: with 10 days of posts and ``spike_baseline_days = 7``,
``brandhalo alerts`` said only "no alerts" while the spike sat on day 7, before any day could
alert)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from signals_data import P, insert_posts

from brandhalo.analytics.episodes import history_note
from brandhalo.engines import local
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """version = 1
[workspace]
name = "s20 young"
timezone = "Asia/Shanghai"

[[brands]]
name = "XPeng"
own = true

[params]
spike_baseline_days = 7
"""
START = dt.date(2026, 11, 20)


def _ws(root: Path, days: int) -> Workspace:
    w = init_workspace(root, config_text=CONFIG)
    target = [("brand", "XPeng", "XPeng", None)]
    posts = [P(f"d{d}-{i}", START + dt.timedelta(days=d), (1, 0, -1)[i % 3], targets=target)
             for d in range(days) for i in range(6)]  # fmt: skip
    insert_posts(w, posts)
    local.run(w)
    return w


@pytest.mark.parametrize(("days", "checked_from"), [(10, "2026-11-27")])
def test_a_young_workspace_says_which_days_were_checked(
    tmp_path: Path, days: int, checked_from: str
) -> None:
    w = _ws(tmp_path / "ws", days)
    try:
        assert w.store.count("episodes") == 0
        note = history_note(w)
        assert note is not None, "no note: the user reads 'no alerts' as 'no spike'"
        assert f"from {checked_from} to 2026-11-29" in note
        assert f"days before {checked_from} are not checked" in note
    finally:
        w.close()


def test_an_older_workspace_without_alerts_has_no_such_note(tmp_path: Path) -> None:
    w = _ws(tmp_path / "ws", 30)
    try:
        assert w.store.count("episodes") == 0
        assert history_note(w) is None
    finally:
        w.close()
