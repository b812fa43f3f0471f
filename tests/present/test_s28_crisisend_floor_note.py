"""The "no day reached the alert floor" note names the floor the brand was judged against (s28).

A small brand's alerts need half its usual day's posts as negatives, at least 5
(``spikes.count_floors``), not ``[params] spike_min_count`` (10). A brand of 8 posts a day
whose busiest day had 3 negatives was told "No day reached [params] spike_min_count (10
negative posts in a day)": its floor was 5 that day. One whose busiest day had 6 (over its
floor of 5, but no alert: its z was low) was told that too, though that day reached its floor.
"""

from __future__ import annotations

import datetime as dt
import re

from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import signals
from brandhalo.analytics.episodes import list_alerts
from brandhalo.engines import local
from brandhalo.report.i18n import labels
from brandhalo.report.sections import floor_note, why_no_alerts
from brandhalo.workspace import Workspace

D0 = dt.date(2026, 3, 2)
DAYS = 70
BRAND = ("brand", "Xiaomi", "Xiaomi", None)


def _build(ws: Workspace, negatives: list[int], busiest: tuple[int, int]) -> None:
    """8 posts a day, the day's negatives cycling `negatives`; day `busiest[0]` has
    `busiest[1]` negatives."""
    posts = []
    for d in range(DAYS):
        day = D0 + dt.timedelta(days=d)
        neg = busiest[1] if d == busiest[0] else negatives[d % len(negatives)]
        labels_ = [-1] * neg + [1, 0] * 8
        posts += [P(f"p{d}-{i}", day, lab, segment="mass", targets=[BRAND])
                  for i, lab in enumerate(labels_[:8])]  # fmt: skip
    insert_posts(ws, posts)
    local.run(ws)
    signals.run(ws, explain=False)


def test_the_note_names_the_lowered_floor(tmp_ws: Workspace) -> None:
    busiest = 50
    _build(tmp_ws, [0, 1, 0, 1, 1, 0, 0], (busiest, 3))
    assert not list_alerts(tmp_ws)
    day = D0 + dt.timedelta(days=busiest)
    en = why_no_alerts(tmp_ws, labels("en"), "Xiaomi") or ""
    assert en.startswith(
        f"No day reached its alert floor: Xiaomi's busiest negative day had 3 ({day}), under "
        "its floor of 5 negative posts that day (a brand of few posts: half its usual day's "
        "posts, at least 5, never over [params] spike_min_count, 10 a day). To alert on "
        "smaller days, lower spike_min_count to 3 or less;"
    ), en
    assert "(10 negative posts in a day)" not in en
    zh = why_no_alerts(tmp_ws, labels("zh"), "Xiaomi") or ""
    assert zh.startswith(
        f"没有哪一天的负面帖达到预警下限：Xiaomi 负面帖最多的一天（{day}）只有 3 条，"
        "低于它那天的下限 5 条（帖量小的品牌：平常一天帖数的一半，至少 5 条，"
        "不超过 `[params] spike_min_count` 的一天 10 条）。想让更小的量也能预警，把 "
        "`spike_min_count` 调到 3 或更小；"
    ), zh
    # zh: outside backticks, no English word but the brand's name
    words = set(re.findall(r"[A-Za-z_]+", re.sub(r"`[^`]*`", "", zh)))
    assert words == {"Xiaomi"}, words


def test_no_floor_note_when_a_day_reached_the_lowered_floor(tmp_ws: Workspace) -> None:
    # usually 4 or 5 negatives of 8: a day of 6 is over the floor of 5 but no outlier
    _build(tmp_ws, [4, 5, 4, 5, 5, 4, 5], (50, 6))
    assert not list_alerts(tmp_ws)
    for lang in ("en", "zh"):
        assert floor_note(tmp_ws, labels(lang), "Xiaomi") is None
