"""Founder attention is compared at a change point, not first week against last (founder 1.2;
issue 14 item 4).

The finding compared the first well-filled week with the last: a stream whose attention moved
from the founder to products in its fifth week said "fell from 60% to 20% (week of W1 to week
of W8)", never when; and a steady share whose first and last weeks were thin and off by chance
(55 % and 25 % of 20 posts around a steady 35 %) said attention was moving away from the
founder. The weekly share is now cut into levels at its change points (PELT, as the change-point
metric runs it): the trend says the week the level moved, and nothing when there is one level.
"""

from __future__ import annotations

import datetime as dt

from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import findings, founder
from brandhalo.engines import local

D0 = dt.date(2025, 1, 6)  # a Monday
LJ = ("persona", "Lei Jun", "Xiaomi", None)
SU7 = ("product", "SU7", "Xiaomi", None)
BRAND = ("brand", "Xiaomi", "Xiaomi", None)


def _week(ws_posts: list[P], w: int, founder_only: int, product: int, brand: int) -> None:
    """Week `w` (0-based from D0): the given posts, spread over its seven days."""
    for kind, n, targets in (("p", founder_only, [LJ]), ("q", product, [SU7]),
                             ("b", brand, [BRAND])):  # fmt: skip
        for i in range(n):
            day = D0 + dt.timedelta(days=7 * w + i % 7)
            ws_posts.append(P(f"{kind}{w}-{i}", day, (1, 0, -1)[i % 3], targets=targets))


def test_attention_moving_to_products_mid_stream_says_the_week(tmp_ws) -> None:
    posts: list[P] = []
    for w in range(8):  # founder-only 60 of 100 a week, then 20 of 100 from the fifth week
        _week(posts, w, 60, 20, 20) if w < 4 else _week(posts, w, 20, 60, 20)
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    df = founder.attention(tmp_ws, "Xiaomi", freq="week")
    assert [round(100 * v) for v in df["persona_share"]] == [60] * 4 + [20] * 4
    trend = founder.attention_trend(df, 20)
    assert trend is not None and trend["moving"] == "from_founder"
    assert trend["change_period"] == D0 + dt.timedelta(days=28)  # the fifth week
    assert trend["shifts"] == [D0 + dt.timedelta(days=28)]
    assert round(100 * trend["before_share"]) == 60 and round(100 * trend["after_share"]) == 20
    f = findings._attention(findings._About(tmp_ws, "Xiaomi", None, None, "en"))
    assert f is not None and "moving away from the founder" in f.title


def test_a_steady_share_with_thin_odd_first_and_last_weeks_moves_nowhere(tmp_ws) -> None:
    posts: list[P] = []
    _week(posts, 0, 11, 5, 4)  # 55 % of 20 posts
    for w in range(1, 7):
        _week(posts, w, 35, 35, 30)  # 35 % of 100 posts
    _week(posts, 7, 5, 8, 7)  # 25 % of 20 posts
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    df = founder.attention(tmp_ws, "Xiaomi", freq="week")
    assert [round(100 * v) for v in df["persona_share"]] == [55] + [35] * 6 + [25]
    trend = founder.attention_trend(df, 20)
    # first and last weeks are 30 points apart, but the share holds one level: no trend
    assert trend is not None and round(trend["change"]) == -30
    assert trend["moving"] is None and trend["shifts"] == [] and trend["change_period"] is None
    assert findings._attention(findings._About(tmp_ws, "Xiaomi", None, None, "en")) is None


def test_a_share_that_moves_and_comes_back_is_one_trend_less() -> None:
    import pandas as pd

    shares = [0.35, 0.35, 0.35, 0.8, 0.35, 0.35]
    frame = pd.DataFrame({"period": [f"w{k}" for k in range(6)], "posts": [100] * 6,
                          "persona_share": shares, "product_share": [0.3] * 6})  # fmt: skip
    trend = founder.attention_trend(frame, 20)
    assert trend is not None and trend["shifts"] == ["w3", "w4"]  # the blip is seen ...
    assert trend["moving"] is None  # ... and is no move: the share came back
