"""Without a separation index yet, the key findings still tell the split between the premium
mix and net sentiment (walk-through s25).

A brand with 18 months of sales has business momentum from its 11th month, so the separation
index ("first value comes in 2027-03") reported nothing, and the key findings said nothing
although the premium mix rose 1.4 % -> 21.9 % while quarterly NS fell 47 -> -20. The
separation finding now falls back on the premium mix year on year and the net sentiment of
the three months to each, and says how many more months the index needs.
"""

from __future__ import annotations

import datetime as dt

from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import findings
from brandhalo.analytics.separation import separation_index
from brandhalo.engines import local

MONTHS = [f"{2025 + (5 + k) // 12}-{(5 + k) % 12 + 1:02d}" for k in range(18)]  # 2025-06..2026-11
TURN = dt.date(2026, 3, 1)  # net sentiment turns from here
BRAND = ("brand", "Xiaomi", "Xiaomi", None)


def _premium(k: int) -> int:
    """Units of the premium phone in month k: 150 rising to 2,960."""
    return 150 + 165 * k


def _build(mws, put) -> None:
    rows = []
    for k, month in enumerate(MONTHS):
        rows.append(dict(month=month, brand="Xiaomi", product="Redmi 13", units=10000,
                         price=1299, category="phone"))  # fmt: skip
        rows.append(dict(month=month, brand="Xiaomi", product="Mi 14 Ultra", units=_premium(k),
                         price=6499, category="phone"))  # fmt: skip
    put.sales(mws, rows)
    posts, day = [], dt.date(2025, 6, 1)
    while day <= dt.date(2026, 11, 30):
        labels = (1, 1, 1, 1, 0, -1) if day < TURN else (1, 0, 0, -1, -1, -1)
        posts += [P(f"{day}-{i}", day, lab, targets=[BRAND]) for i, lab in enumerate(labels)]
        day += dt.timedelta(days=1)
    insert_posts(mws, posts)
    local.run(mws)


def _mix(k: int) -> float:
    return _premium(k) / (10000 + _premium(k))


def test_premium_mix_up_while_sentiment_falls_is_a_finding_before_the_index(mws, put) -> None:
    _build(mws, put)
    si = separation_index(mws, "Xiaomi")
    assert not si["reported"].any()  # no separation index yet
    months = len(si)
    assert 0 < months < mws.config.params.separation_min_months

    found = findings.top_findings(mws, n=9, lang="en")
    mix = [f for f in found if f.metric == "premium_mix"]
    assert len(mix) == 1, found
    m0, m1 = _mix(5), _mix(17)  # 2025-11 and 2026-11
    pp = 100 * (m1 - m0)
    assert mix[0].title == (
        f"Xiaomi: premium mix {pp:+.1f} pp year on year ({m0:.1%} in 2025-11 to {m1:.1%} in "
        "2026-11) while net sentiment fell 83 points (+50 to -33, the 3 months to each)"
    )
    need = mws.config.params.separation_min_months
    assert mix[0].detail == (
        f"the separation index (business momentum vs perception) needs {need - months} more "
        f"months of sales and posts ([params] separation_min_months = {need})"
    )
    assert mix[0].value == pp
    assert mix[0] in findings.top_findings(mws, n=3, lang="en")

    (zh,) = [f for f in findings.top_findings(mws, n=9, lang="zh") if f.metric == "premium_mix"]
    assert zh.title == (
        f"Xiaomi：高端占比同比上升 {pp:.1f} 个百分点（2025-11 为 {m0:.1%}，2026-11 为 {m1:.1%}），"
        "而净情感下降 83 个点（截至两月各 3 个月：+50 至 -33）"
    )
    assert (
        zh.detail
        == f"割裂指数（业务动能对比舆论感知）还需要 {need - months} 个月的销售和帖子数据才有数值"
    )


def test_no_finding_while_sentiment_keeps_up_with_the_mix(mws, put) -> None:
    _build(mws, put)
    # as of February 2026 the mix has risen but net sentiment has not moved
    found = findings.top_findings(mws, n=9, lang="en", until=dt.date(2026, 2, 28))
    assert not [f for f in found if f.metric in ("premium_mix", "separation_index")], found
