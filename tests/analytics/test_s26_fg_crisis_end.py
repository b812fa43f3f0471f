"""Is the crisis over? The key finding says "ended" only once the brand is back to usual
(walk-through s26: a food-safety crisis read "已于 2026-11-27 结束" on its day 14, while 41 % of
that day's posts were negative on a usual 16 %).

A day after an alert is judged against it, so the slow tail of a crisis raises no alert: the
last alert day is not the day the crisis ended. The finding now reads the event study's
back-in-band rule on the daily negative share: during the tail "last alert on X; negative share
still N x usual", once the share is back "ended <the day before>".
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import events, findings, signals
from brandhalo.analytics.episodes import list_alerts
from brandhalo.engines import local

D0 = dt.date(2026, 1, 5)
DAYS = 60
CRISIS = 35  # three loud days from here...
LOUD = (60, 50, 40)
TAIL = (24, 18, 14, 10, 8, 7, 6, 5)  # ... then a slow decay, whose last days raise no alert
BRAND = ("brand", "Xiaomi", "Xiaomi", None)


def _day(d: int) -> dt.date:
    return D0 + dt.timedelta(days=d)


def _posts() -> list[P]:
    posts: list[P] = []
    for d in range(DAYS):
        neg = 3 + d % 2  # an ordinary day: 3 or 4 negative posts of 20
        labels = [-1] * neg + [1] * 10 + [0] * (10 - neg)
        k = d - CRISIS
        extra = (LOUD + TAIL)[k] if 0 <= k < len(LOUD) + len(TAIL) else 0
        labels += [-1] * extra
        for i, label in enumerate(labels):
            posts.append(P(f"p{d}-{i}", _day(d), label, segment="mass", targets=[BRAND]))
    return posts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from brandhalo.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("crisis_end") / "ws")
    insert_posts(ws, _posts())
    local.run(ws)
    signals.run(ws, explain=False)
    yield ws
    ws.close()


def _alert_title(ws, until: dt.date, lang: str = "en") -> str:
    found = [f for f in findings.top_findings(ws, n=9, lang=lang, until=until)
             if f.metric == "alerts"]  # fmt: skip
    assert len(found) == 1, found
    return found[0].title


def test_not_ended_during_the_tail_ended_once_back(built) -> None:
    crises = [a for a in list_alerts(built, brand="Xiaomi") if a.kind == "negative_spike"]
    assert len(crises) == 1, crises
    a = crises[0]
    assert a.start_at.date() == _day(CRISIS)
    last_alert = (a.end_at - dt.timedelta(microseconds=1)).date()
    end_of_tail = CRISIS + len(LOUD) + len(TAIL) - 1
    assert last_alert < _day(end_of_tail - 1)  # the tail's last days raised no alert
    head = f"Xiaomi: negative spike on {_day(CRISIS)} (severity {a.severity}/10)"

    # the day after the last alert, in the tail: not over
    tail = last_alert + dt.timedelta(days=1)
    d = (tail - D0).days
    neg, n = 3 + d % 2 + TAIL[d - CRISIS - len(LOUD)], 20 + TAIL[d - CRISIS - len(LOUD)]
    assert neg / n > 2 * 0.175
    title = _alert_title(built, tail)
    assert "ended" not in title, title
    assert title == (
        f"{head}, last alert on {last_alert}; negative share still {neg / n / 0.175:.1f}x usual "
        f"({neg / n:.0%} on {tail}, usual 18%)"
    ), title
    zh = _alert_title(built, tail, "zh")
    assert "结束" not in zh and f"最后一次预警在 {last_alert}；负面占比仍是平常的" in zh, zh

    # the last tail day: still not over
    assert "ended" not in _alert_title(built, _day(end_of_tail))

    # the first ordinary day after the tail is back in the band, and stays: over, from then on
    back = _day(CRISIS + len(LOUD) + len(TAIL))
    state = events.back_to_usual(built, "Xiaomi", _day(CRISIS), _day(DAYS - 1))
    assert state["judged"] and state["back"] == back, state
    end = back - dt.timedelta(days=1)
    for until in (back, _day(DAYS - 1)):
        assert _alert_title(built, until) == f"{head}, ended {end}"
    found = [f for f in findings.top_findings(built, n=9, lang="en") if f.metric == "alerts"]
    assert found[0].detail.startswith(f"daily negative share back in its usual band from {back}")
