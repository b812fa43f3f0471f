"""Is the crisis over? -- a brand of 8 to 11 posts a day is told on the day it was (s28).

A bedding brand of about 8 posts a day (walk w10) had a crisis that was over on 08-21, but the
key finding read "ended 2026-09-08": its band of the daily negative share (mean 12.8 %, sd
10.8) is finer than one post (1 of 8 posts is 12.9 points), so 2 negatives of 8 posts (25 %)
are over its ceiling, as on 6 of its 28 usual days, and the band rule waited for 8 days in a
row under it. Such a brand is judged by the pooled rule now (``events.coarser_than_band``);
a brand of 60 posts a day keeps the band and its answer.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import events, findings, signals
from brandhalo.engines import local
from brandhalo.workspace import Workspace, init_workspace

D0 = dt.date(2026, 6, 1)
CRISIS = dt.date(2026, 8, 10)
BRAND = ("brand", "Xiaomi", "Xiaomi", None)
# small brand: an ordinary week (posts, negative), about 9 posts a day and 8 % negative
WEEK = [(9, 1), (10, 0), (8, 1), (11, 1), (9, 1), (10, 0), (8, 1)]
# the crisis: ten days of 12 to 15 posts, about half negative
CRISIS_DAYS = [(15, 9), (14, 8), (13, 7), (15, 8), (12, 7), (14, 7), (13, 6), (12, 6),
               (13, 6), (12, 6)]  # fmt: skip
END = CRISIS + dt.timedelta(days=len(CRISIS_DAYS) - 1)  # the planted last day: 08-19
# after it, ordinary days with the ordinary luck of 2 negatives of 10 or 9 posts twice
AFTER = [(9, 1), (10, 2), (8, 1), (11, 1), (9, 2), (10, 0), (8, 1), (9, 1), (10, 0), (8, 1),
         (11, 1), (9, 1), (10, 0), (8, 1), (9, 1), (10, 0)]  # fmt: skip


def _days(week: list[tuple[int, int]], crisis: list[tuple[int, int]],
          after: list[tuple[int, int]]) -> list[tuple[dt.date, int, int]]:  # fmt: skip
    out, day, i = [], D0, 0
    while day < CRISIS:
        out.append((day, *week[i % len(week)]))
        day, i = day + dt.timedelta(days=1), i + 1
    for n, neg in crisis + after:
        out.append((day, n, neg))
        day += dt.timedelta(days=1)
    return out


def _posts(days: list[tuple[dt.date, int, int]]) -> list[P]:
    posts = []
    for day, n, neg in days:
        labels = [-1] * neg + [1, 0] * n
        posts += [P(f"p{day}-{i}", day, lab, segment="mass", targets=[BRAND])
                  for i, lab in enumerate(labels[:n])]  # fmt: skip
    return posts


def _built(root, days: list[tuple[dt.date, int, int]]) -> Workspace:
    ws = init_workspace(root / "ws")
    insert_posts(ws, _posts(days))
    local.run(ws)
    signals.run(ws, explain=False)
    return ws


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    ws = _built(tmp_path_factory.mktemp("small"), _days(WEEK, CRISIS_DAYS, AFTER))
    yield ws
    ws.close()


LAST = END + dt.timedelta(days=len(AFTER))


def test_the_band_of_a_brand_of_nine_posts_a_day_is_finer_than_one_post() -> None:
    posts = np.array([n for n, _ in WEEK] * 4, dtype=float)
    neg = np.array([k for _, k in WEEK] * 4, dtype=float)
    share = neg / posts
    sd = float(np.std(share, ddof=1))
    assert 1 / posts.mean() > sd  # one post: 10.8 points; the band's sd 5.3
    assert events.coarser_than_band(posts, neg, sd)
    # walk w10: 7.75 posts a day, sd 10.8 of a 12.9 % share (sampling 12.0): coarse
    assert events.coarser_than_band(np.full(28, 7.75), np.full(28, 1.0), 0.108)
    # 20 posts a day as regular as a built series (3 or 4 negatives, sd 2.5 points) is not
    # too few posts: sampling alone gives a day of 20 posts at 17.5 % an sd of 8.5
    posts, neg = np.full(28, 20.0), np.array([3.0, 4.0] * 14)
    assert not events.coarser_than_band(posts, neg, float(np.std(neg / posts, ddof=1)))
    # a day without posts is no usual day; a baseline without posts says nothing
    assert not events.coarser_than_band(np.zeros(28), np.zeros(28), float("nan"))


def test_a_brand_of_nine_posts_a_day_is_back_on_the_planted_day(small: Workspace) -> None:
    state = events.back_to_usual(small, "Xiaomi", CRISIS, LAST)
    assert state["judged"] and state["rule"] == "pooled", state
    assert state["back"] == END + dt.timedelta(days=1), state
    # the band's answer (the rule before s28): a week late, after the second day of 2 of 9
    # (22 %, over its ceiling of 13.3 %) and a day of none (8 points under the band)
    band = _band_back(small)
    assert band == END + dt.timedelta(days=7), band


def test_the_key_finding_says_ended_on_the_planted_last_day(small: Workspace) -> None:
    found = [f for f in findings.top_findings(small, n=9, lang="en", until=LAST)
             if f.metric == "alerts"]  # fmt: skip
    assert found and found[0].title.endswith(f"ended {END}"), found


def _band_back(ws: Workspace) -> dt.date | None:
    """What the band rule says of the small brand (the coarse test switched off)."""
    orig = events.coarser_than_band
    events.coarser_than_band = lambda *_: False  # type: ignore[assignment]
    try:
        state = events.back_to_usual(ws, "Xiaomi", CRISIS, LAST)
    finally:
        events.coarser_than_band = orig  # type: ignore[assignment]
    assert state["rule"] == "band"
    return state["back"]  # type: ignore[no-any-return]


# a brand of 60 posts a day: one post moves its share by 1.7 points, its band's sd 4.1
# (14.0 % +- 4.1: an ordinary week stays under the ceiling of 18.1 %)
BIG_WEEK = [(60, 9), (60, 9), (60, 10), (60, 9), (60, 9), (60, 10), (60, 3)]
BIG_CRISIS = [(120, 70), (110, 60), (100, 50), (90, 40), (80, 30)]
BIG_END = CRISIS + dt.timedelta(days=len(BIG_CRISIS) - 1)
# one day at 14 of 60 (23 %) over its ceiling (19 %) two days after the crisis
BIG_AFTER = [(60, 9), (61, 8), (60, 14)] + BIG_WEEK * 3


def test_a_brand_of_sixty_posts_a_day_keeps_the_band_and_its_answer(tmp_path) -> None:
    ws = _built(tmp_path, _days(BIG_WEEK, BIG_CRISIS, BIG_AFTER))
    try:
        last = BIG_END + dt.timedelta(days=len(BIG_AFTER))
        state = events.back_to_usual(ws, "Xiaomi", CRISIS, last)
        assert state["judged"] and state["rule"] == "band", state
        # back the day after the day over the ceiling, as the band has always said (the
        # pooled rule would say the crisis's next day: 14 of 60 is not significantly over 15 %)
        assert state["back"] == BIG_END + dt.timedelta(days=4), state
    finally:
        ws.close()
