"""The founder attention finding says when attention moved (founder 1.2 shown; issue 14 item 4).

Founder attention 1.2 cuts the weekly persona share into levels at its change points and
dates the move, but the key finding still read "fell from 60% to 20% (week of W1 to week of
W8)": when it moved was nowhere. It now names the week the share moved most and the levels
either side, in both languages; the first and last weeks are in the detail.
"""

from __future__ import annotations

import datetime as dt

from tests.analytics.test_s24_fd_founder_shift import D0, _week
from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import findings
from brandhalo.engines import local


def _moved_in_week_five(ws) -> None:
    posts: list[P] = []
    for w in range(8):  # founder-only 60 of 100 a week, then 20 of 100 from the fifth week
        _week(posts, w, 60, 20, 20) if w < 4 else _week(posts, w, 20, 60, 20)
    insert_posts(ws, posts)
    local.run(ws)


def test_the_attention_finding_names_the_week_it_moved(tmp_ws) -> None:
    _moved_in_week_five(tmp_ws)
    week5 = D0 + dt.timedelta(days=28)
    en = findings._attention(findings._About(tmp_ws, "Xiaomi", None, None, "en"))
    assert en is not None
    assert en.title == (
        "Xiaomi: attention is moving away from the founder: posts about Lei Jun and no product "
        f"fell from 60% to 20% of the posts about the brand from the week of {week5}"
    )
    # the first and last weeks stay in the detail
    assert en.detail.startswith(
        f"weekly: 60% in the week of {D0}, 20% in the week of {D0 + dt.timedelta(days=49)}; "
        "posts naming a product: "
    ), en.detail
    assert round(en.value, 2) == 0.2  # the level after the move, as the title reads
    zh = findings._attention(findings._About(tmp_ws, "Xiaomi", None, None, "zh"))
    assert zh is not None
    assert zh.title == (
        "Xiaomi：关注正离开创始人：只提Lei Jun、不提产品的帖子占品牌帖子的比例"
        f"自 {week5} 当周起从 60% 降至 20%"
    )
    assert zh.detail.startswith(f"每周：{D0} 当周 60%，")
