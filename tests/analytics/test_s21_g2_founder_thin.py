"""The founder finding does not rest on a handful of days (walk-through s21: the founder was
named on 4 days, all -100, so his sentiment barely moved and the key points told a CEO that
founder sentiment swings "0.1x as much as the products'" while a fifth of the crisis's
negatives were about him)."""

from __future__ import annotations

import datetime as dt

from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import findings, signals
from brandhalo.analytics.episodes import list_alerts
from brandhalo.engines import local

D0 = dt.date(2025, 1, 6)
LJ = ("persona", "Lei Jun", "Xiaomi", None)
SU7 = ("product", "SU7", "Xiaomi", None)
BRAND = ("brand", "Xiaomi", "Xiaomi", None)


def _history(ws, persona_days: range, crisis: bool) -> None:
    posts: list[P] = []
    for d in range(36):
        day = D0 + dt.timedelta(days=d)
        # product sentiment swings day to day; a steady stream of brand posts
        posts += [P(f"q{d}-{i}", day, (1, -1)[d % 2] if i < 2 + d % 3 else 0, targets=[SU7])
                  for i in range(6)]  # fmt: skip
        posts += [P(f"b{d}-{i}", day, (1, 0, -1)[i % 3], targets=[BRAND]) for i in range(6)]
        if d in persona_days:  # the founder named, always badly
            posts += [P(f"p{d}-{i}", day, -1, targets=[LJ]) for i in range(10)]
        if crisis and d >= 32:  # a crisis: many negative brand posts on the last days
            posts += [P(f"c{d}-{i}", day, -1, hour=14, targets=[BRAND]) for i in range(40)]
    insert_posts(ws, posts)
    local.run(ws)
    signals.run(ws)


def _founder(ws, lang: str = "en"):
    return findings._founder(findings._About(ws, "Xiaomi", None, None, lang))


def test_four_founder_days_in_a_crisis_give_his_share_of_its_negatives(tmp_ws) -> None:
    _history(tmp_ws, range(32, 36), crisis=True)
    f = _founder(tmp_ws)
    assert f is not None
    assert "as volatile" not in f.title
    # days 32-35: 40 crisis + 10 persona + 2 brand negatives a day, 2 and 4 product negatives
    # on the odd days: 40 of 214 (the episode's own count, below)
    assert f.title == (
        "Xiaomi: 40 of the 214 negative posts of the current episode (19%) are about Lei Jun"
    )
    (alert,) = list_alerts(tmp_ws, brand="Xiaomi")
    assert alert.explanation is not None and alert.explanation.observed == 214
    assert "data on 4 days only (fewer than 14)" in f.detail
    zh = _founder(tmp_ws, "zh")
    assert zh is not None and "当前事件的 214 条负面帖中有 40 条（19%）针对Lei Jun" in zh.title
    assert "只有 4 天有数据（少于 14 天）" in zh.detail


def test_four_founder_days_without_a_crisis_make_no_finding(tmp_ws) -> None:
    _history(tmp_ws, range(10, 14), crisis=False)
    assert _founder(tmp_ws) is None
    assert all(f.metric != "founder_dependence" for f in findings.top_findings(tmp_ws, n=10))


def test_enough_founder_days_keep_the_volatility_ratio(tmp_ws) -> None:
    _history(tmp_ws, range(0, 36), crisis=False)
    f = _founder(tmp_ws)
    assert f is not None and "as volatile as product sentiment" in f.title
