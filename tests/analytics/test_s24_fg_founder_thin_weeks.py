"""Founder attention on thin weeks (founder 1.3; walk-through s24 w2).

A brand with 8 to 17 posts a week had only its founder-spike weeks (72 %, 91 %) and its
crisis weeks above ``min_posts`` (20): the trend compared them and said "attention moving
away from the founder: 85 % -> 2 %" of a share that was about 6 % all along but for a
two-week spike. Thin weeks are now pooled with their neighbours, not dropped, and a spike
that came back is an episode, never a move; a real move on thin weeks is still found.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from brandhalo.analytics import founder

D0 = dt.date(2025, 6, 2)  # a Monday


def _weeks(spec: list[tuple[int, int]]) -> pd.DataFrame:
    """One row per (posts, founder-only posts) week, oldest first."""
    return pd.DataFrame(
        {"period": [D0 + dt.timedelta(days=7 * w) for w in range(len(spec))],
         "posts": [n for n, _ in spec],
         "persona_share": [k / n for n, k in spec],
         "product_share": [0.5] * len(spec),
         "product_posts": [n // 2 for n, _ in spec]}
    )  # fmt: skip


def _thin(w: int, share_in_20: int) -> tuple[int, int]:
    """A thin week: 10 to 17 posts, about `share_in_20` of every 20 about the founder."""
    n = 10 + (w * 7) % 8
    return n, round(n * share_in_20 / 20)


def test_a_founder_spike_between_thin_weeks_is_an_episode_not_a_move() -> None:
    spec = [_thin(w, 1) for w in range(56)]  # ~5 % on thin weeks
    spec += [(80, 58), (70, 64)]  # the founder's remark: 72 % and 91 % for two weeks
    spec += [_thin(w, 1) for w in range(12)]  # back to ~5 %
    spec += [(45, 1), (40, 1), (42, 0), (38, 1), (41, 0), (39, 0)]  # a product crisis: ~2 %
    trend = founder.attention_trend(_weeks(spec), 20)
    assert trend is not None
    assert trend["moving"] is None and trend["change_period"] is None, trend
    assert trend["pooled"] is True
    (ep,) = trend["episodes"]
    assert ep["start_period"] == D0 + dt.timedelta(days=7 * 56)
    assert ep["end_period"] == D0 + dt.timedelta(days=7 * 57)
    assert ep["share"] > 0.75 and ep["before_share"] < 0.1 and ep["after_share"] < 0.1
    # the first period is the first (pooled) week, not the spike's
    assert trend["first_period"] == D0 and trend["first_share"] < 0.1


def test_a_move_on_thin_weeks_is_found_and_dated() -> None:
    spec = [_thin(w, 1) for w in range(20)] + [_thin(w, 10) for w in range(20)]  # 5 % -> 50 %
    trend = founder.attention_trend(_weeks(spec), 20)
    assert trend is not None and trend["moving"] == "to_founder", trend
    assert trend["episodes"] == []
    # dated to the pool where it moved: week 20 opens a pool (pools of two thin weeks)
    assert trend["change_period"] == D0 + dt.timedelta(days=7 * 20)
    assert trend["before_share"] < 0.1 and trend["after_share"] > 0.4


def test_thin_weeks_pool_with_their_neighbours() -> None:
    pooled = founder.pool_periods(_weeks([(12, 1), (30, 3), (9, 1), (5, 0), (25, 5), (8, 1)]), 20)
    # the thin first week joins the full one after it; the two thin ones after that join the
    # pool before them (together they are still thin); the last thin week joins the full one
    assert list(pooled["posts"]) == [56, 33]
    assert list(pooled["period"]) == [D0, D0 + dt.timedelta(days=28)]
    assert list(pooled["period_end"]) == [D0 + dt.timedelta(days=21), D0 + dt.timedelta(days=35)]
    assert round(float(pooled["persona_share"][0]), 4) == round(5 / 56, 4)
