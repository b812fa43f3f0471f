"""A slow product defect under the alert floor reaches the key findings (walk-through s24).

A small coffee-machine brand's premium machine started leaking: weekly negatives went from 1-2
to 17-24, but its busiest negative day had 8 posts, under ``[params] spike_min_count`` (10).
No alert, so the key findings (alert, separation, founder, attention, touchpoint) missed it;
the change point on net sentiment, the top controversy and the product's top pain point all
saw it, deep in the report. The findings now carry a recent drop of net sentiment at a change
point with what drives it, unless an alert episode already tells it.
"""

from __future__ import annotations

import datetime as dt

from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import changepoints, findings, signals
from brandhalo.analytics.episodes import list_alerts
from brandhalo.engines import local

D0 = dt.date(2025, 1, 6)
DEFECT = 100  # the day (from D0) the defect starts
DAYS = 140
BRAND = ("brand", "Xiaomi", "Xiaomi", None)
SU7 = ("product", "SU7", "Xiaomi", None)


def slow_defect(days: int = DAYS) -> list[P]:
    """Twenty posts a day (one negative; the product's six about its price; the brand's
    fourteen: 20 a day keep its alert floor at ``[params] spike_min_count``, where a brand of
    fewer posts has a lower one, ``spikes.count_floors``), then from day ``DEFECT`` a few more
    negative posts about the SU7's quality each day, rising from 2 to 8 (never 10 a day)."""
    posts: list[P] = []
    for d in range(days):
        day = D0 + dt.timedelta(days=d)
        for i, label in enumerate((1, 0) * 7):
            posts.append(P(f"b{d}-{i}", day, label, segment="mass", targets=[BRAND]))
        for i, label in enumerate((1, 1, 1, 0, 0, -1)):
            themes = [("price_value", "product")]
            posts.append(P(f"p{d}-{i}", day, label, segment="mass", targets=[SU7],
                           themes=themes))  # fmt: skip
        if d >= DEFECT:
            for i in range(_quality(d)):
                posts.append(P(f"q{d}-{i}", day, -1, segment="mass", targets=[SU7],
                               themes=[("quality", "product")]))  # fmt: skip
    return posts


def _quality(d: int) -> int:
    """The quality complaints of day `d` of the defect."""
    return min(8, 2 + (d - DEFECT) // 4)


def _built(ws, min_count: int | None = None) -> None:
    if min_count is not None:
        params = ws.config.params.model_copy(update={"spike_min_count": min_count})
        ws.config = ws.config.model_copy(update={"params": params})
    insert_posts(ws, slow_defect())
    local.run(ws)
    signals.run(ws, explain=False)


def test_a_slow_defect_under_the_floor_is_a_key_finding(tmp_ws) -> None:
    _built(tmp_ws)
    assert not list_alerts(tmp_ws)  # under the floor: no alert at all
    cps = changepoints.change_points(tmp_ws, "net_sentiment", "Xiaomi")
    step = cps[cps["series"] == "product"].iloc[-1]
    day = step["day"]
    assert D0 + dt.timedelta(days=DEFECT) <= day <= D0 + dt.timedelta(days=DEFECT + 10)
    a, b = round(step["before"]), round(step["after"])
    assert a > 0 > b and a - b >= 40

    found = findings.top_findings(tmp_ws, lang="en")
    top = found[0]
    assert top.metric == "change_points", found
    assert top.title == (
        f"Xiaomi: net sentiment of its products fell from {a:+d} to {b:+d} from {day}; "
        "Quality (SU7) drives it"
    )
    # the last 30 days: the quality complaints of the negative posts (one a day besides)
    quality = sum(_quality(d) for d in range(DAYS - 30, DAYS))
    share = quality / (quality + 30)
    assert top.detail.startswith(f"Quality: the top controversy of the last 30 days ({share:.0%} "
                                 "of the negative posts)"), top.detail  # fmt: skip
    assert f"the top pain point of SU7 since {day} (" in top.detail
    assert "no alert episode tells it" in top.detail
    assert top.severity >= 6  # ranked over the weakest touchpoint and the founder

    zh = findings.top_findings(tmp_ws, lang="zh")[0]
    assert zh.title == (
        f"Xiaomi：其产品的净情感自 {day} 起从 {a:+d} 降至 {b:+d}；主要推手：质量（SU7）"
    )
    assert zh.detail.startswith(
        f"「质量」是近 30 天的首要争议话题（占负面帖的 {share:.0%}），也是SU7自 "
    )
    assert "Quality" not in zh.title + zh.detail


def test_no_finding_before_the_defect_or_when_an_alert_tells_it(tmp_ws, tmp_path) -> None:
    _built(tmp_ws, min_count=4)  # a lower floor: the defect's days alert
    crises = [a for a in list_alerts(tmp_ws, brand="Xiaomi") if a.kind == "negative_spike"]
    assert crises and crises[0].start_at.date() >= D0 + dt.timedelta(days=DEFECT)
    found = findings.top_findings(tmp_ws, n=9, lang="en")
    assert found[0].metric == "alerts"
    assert not [f for f in found if f.metric == "change_points"], found
    # as of the day before the defect: net sentiment has not moved
    before = findings.top_findings(tmp_ws, n=9, until=D0 + dt.timedelta(days=DEFECT - 1))
    assert not [f for f in before if f.metric == "change_points"], before
