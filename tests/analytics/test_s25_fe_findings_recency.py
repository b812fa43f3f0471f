"""One recency rule for the key findings: a closed crisis says when it ended, an old one is no
news, and a drop of net sentiment that still holds is a finding however long ago it began
(walk-through s25).

A cosmetics brand's key findings led with a price controversy three months over ("negative
spike on 2026-09-01 (10/10)", no word that it had ended) and left out the drop still in place
since its serum launch six months before (products' NS +52 to -5, z -16): the change-point
finding kept only drops of the last 90 days, the alert finding took episodes of any age.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import changepoints, findings, signals
from brandhalo.analytics.episodes import list_alerts
from brandhalo.engines import local

D0 = dt.date(2025, 1, 6)
DAYS = 300
DEFECT = 60  # a product defect from this day on: the products' NS drops and stays down
OLD_CRISIS = 140  # a loud crisis 157 days before the last day: no news
CRISIS = 240  # a crisis over 57 days before the last day: news, and it says it ended
BRAND = ("brand", "Xiaomi", "Xiaomi", None)
SU7 = ("product", "SU7", "Xiaomi", None)


def _day(d: int) -> dt.date:
    return D0 + dt.timedelta(days=d)


def _posts() -> list[P]:
    posts: list[P] = []
    for d in range(DAYS):
        for i, label in enumerate((1, 0)):
            posts.append(P(f"b{d}-{i}", _day(d), label, segment="mass", targets=[BRAND]))
        for i, label in enumerate((1, 1, 1, 0, 0, -1)):
            posts.append(P(f"p{d}-{i}", _day(d), label, segment="mass", targets=[SU7],
                           themes=[("price_value", "product")]))  # fmt: skip
        if d >= DEFECT:  # 2 to 8 complaints a day: under the alert floor, never an episode
            for i in range(min(8, 2 + (d - DEFECT) // 4)):
                posts.append(P(f"q{d}-{i}", _day(d), -1, segment="mass", targets=[SU7],
                               themes=[("quality", "product")]))  # fmt: skip
        for start, loud in ((OLD_CRISIS, 80), (CRISIS, 40)):
            if start <= d < start + 3:
                for i in range(loud):
                    posts.append(P(f"s{d}-{i}", _day(d), -1, targets=[BRAND],
                                   themes=[("safety", "product")]))  # fmt: skip
    return posts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from brandhalo.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("recency") / "ws")
    insert_posts(ws, _posts())
    local.run(ws)
    signals.run(ws, explain=False)
    yield ws
    ws.close()


def test_a_closed_crisis_says_it_ended_and_an_old_one_is_no_news(built) -> None:
    crises = [a for a in list_alerts(built, brand="Xiaomi") if a.kind == "negative_spike"]
    starts = sorted(a.start_at.date() for a in crises)
    assert _day(OLD_CRISIS) in starts and _day(CRISIS) in starts, starts
    old = next(a for a in crises if a.start_at.date() == _day(OLD_CRISIS))
    new = next(a for a in crises if a.start_at.date() == _day(CRISIS))
    assert (old.severity, old.peak_z) >= (new.severity, new.peak_z)  # the old one is louder

    found = findings.top_findings(built, n=9, lang="en")
    spikes = [f for f in found if f.metric == "alerts"]
    assert len(spikes) == 1, found
    end = (new.end_at - dt.timedelta(microseconds=1)).date()
    assert end < _day(DAYS - 1)  # over before the last day with data
    assert spikes[0].title == (
        f"Xiaomi: negative spike on {_day(CRISIS)} (severity {new.severity}/10), ended {end}"
    )
    zh = [f for f in findings.top_findings(built, n=9, lang="zh") if f.metric == "alerts"]
    assert (
        zh[0].title
        == f"Xiaomi：{_day(CRISIS)} 负面激增（严重度 {new.severity}/10），已于 {end} 结束"
    )
    # as of the crisis's last day it is not over: no "ended"
    during = findings.top_findings(built, n=9, lang="en", until=_day(CRISIS + 1))
    assert [f.title for f in during if f.metric == "alerts"] == [
        f"Xiaomi: negative spike on {_day(CRISIS)} (severity {new.severity}/10)"
    ]


def test_a_drop_that_still_holds_is_a_finding_however_old(built) -> None:
    cps = changepoints.change_points(built, "net_sentiment", "Xiaomi")
    step = cps[cps["series"] == "product"].sort_values("day").iloc[-1]
    day = step["day"]
    assert _day(DEFECT) <= day <= _day(DEFECT + 10)
    assert (_day(DAYS - 1) - day).days > findings.RECENT_DAYS  # older than the window
    a, b = round(step["before"]), round(step["after"])
    assert a - b >= 40

    found = findings.top_findings(built, n=9, lang="en")
    change = [f for f in found if f.metric == "change_points"]
    assert len(change) == 1, found
    assert change[0].title.startswith(
        f"Xiaomi: net sentiment of its products fell from {a:+d} to {b:+d} from {day}"
    )
    assert "the level still holds" in change[0].detail
    zh = [f for f in findings.top_findings(built, n=9, lang="zh") if f.metric == "change_points"]
    assert zh and "该水平至今未变" in zh[0].detail
    # both stories make the top three
    top = {f.metric for f in findings.top_findings(built, n=3, lang="en")}
    assert {"alerts", "change_points"} <= top


def _lasting() -> list[P]:
    """200 days of 8 brand posts a day; a crisis on days 60-62 (80 complaints a day) after
    which the brand's NS stays down (+50 -> -25) to the last day."""
    posts: list[P] = []
    for d in range(200):
        labels = (1, 1, 1, 1, 1, 0, 0, -1) if d < 60 else (1, 1, 0, 0, -1, -1, -1, -1)
        posts += [P(f"l{d}-{i}", _day(d), lab, targets=[BRAND]) for i, lab in enumerate(labels)]
        if 60 <= d < 63:
            posts += [P(f"c{d}-{i}", _day(d), -1, targets=[BRAND],
                        themes=[("safety", "product")]) for i in range(80)]  # fmt: skip
    return posts


def test_a_level_that_never_came_back_after_an_old_crisis_is_a_finding(tmp_ws) -> None:
    insert_posts(tmp_ws, _lasting())
    local.run(tmp_ws)
    signals.run(tmp_ws, explain=False)
    crises = [a for a in list_alerts(tmp_ws, brand="Xiaomi") if a.kind == "negative_spike"]
    assert crises and all(a.start_at.date() <= _day(63) for a in crises)
    found = findings.top_findings(tmp_ws, n=9, lang="en")
    # the crisis is 137 days over: no news, told as the period's most severe (s27) and ranked
    # below the level it left, which still holds: news
    spikes = [f for f in found if f.metric == "alerts"]
    assert len(spikes) == 1 and "; the period's most severe, " in spikes[0].title, found
    change = [f for f in found if f.metric == "change_points"]
    assert len(change) == 1, found
    assert change[0].title.startswith("Xiaomi: net sentiment fell from +50 to ")
    assert f" from {_day(60)}" in change[0].title or f" from {_day(61)}" in change[0].title
