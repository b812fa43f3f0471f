"""Is the crisis over? -- told for a brand of a few posts a day too (walk w9).

A brand of about 4 posts a day had a 10-day crisis (智驾 accident: 36 posts, 64 % negative on
its first day, on a usual 11 %) and was back on 09-22, but ``back_to_usual`` found the back
day and said ``judged: False`` because the event study calls such a baseline too thin for its
band (one post moves a day's share by 25 points), so the key finding said neither "ended" nor
"still". The pooled rule judges the brand's own negative share with binomial tests on runs of
days instead, and keeps "cannot judge" for when there are truly too few posts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import events, findings, signals
from brandhalo.engines import local
from brandhalo.workspace import Workspace, init_workspace

D0 = dt.date(2026, 8, 1)
CRISIS = dt.date(2026, 9, 12)
# the walk's planted days (posts, negative) from the crisis's first day (truth.json)
CRISIS_DAYS = [(36, 23), (41, 33), (34, 22), (28, 17), (25, 16), (21, 16), (14, 7), (13, 8),
               (13, 8), (10, 5)]  # fmt: skip
BACK = CRISIS + dt.timedelta(days=len(CRISIS_DAYS))  # 09-22
AFTER = [(3, 1), (6, 0), (5, 1), (7, 0), (3, 1), (4, 0), (5, 1), (4, 0), (3, 0), (5, 1)]
BRAND = ("brand", "Xiaomi", "Xiaomi", None)


def _days(usual: tuple[int, ...]) -> list[tuple[dt.date, int, int]]:
    """(day, posts, negative) from D0: ordinary days cycle `usual` posts (one negative
    every third day: about 11 %), then the crisis and the days after it."""
    out, day, i = [], D0, 0
    while day < CRISIS:
        n = usual[i % len(usual)]
        out.append((day, n, 1 if i % 3 == 0 and n else 0))
        day, i = day + dt.timedelta(days=1), i + 1
    for n, neg in CRISIS_DAYS + AFTER:
        out.append((day, n, neg))
        day += dt.timedelta(days=1)
    return out


def _posts(usual: tuple[int, ...]) -> list[P]:
    posts = []
    for day, n, neg in _days(usual):
        labels = [-1] * neg + [1, 0] * n
        posts += [P(f"p{day}-{i}", day, lab, segment="mass", targets=[BRAND])
                  for i, lab in enumerate(labels[:n])]  # fmt: skip
    return posts


@pytest.fixture(scope="module")
def thin(tmp_path_factory: pytest.TempPathFactory):
    ws = init_workspace(tmp_path_factory.mktemp("thin_crisis") / "ws")
    insert_posts(ws, _posts((4, 3, 5, 4)))
    local.run(ws)
    signals.run(ws, explain=False)
    yield ws
    ws.close()


def _state(ws: Workspace, until: dt.date) -> dict[str, object]:
    return events.back_to_usual(ws, "Xiaomi", CRISIS, until)


def test_a_thin_brand_is_told_back_on_the_planted_day(thin: Workspace) -> None:
    last = BACK + dt.timedelta(days=len(AFTER) - 1)
    state = _state(thin, last)
    assert state["judged"] and state["back"] == BACK, state
    assert state["rule"] == "pooled"
    assert 0.08 < float(state["usual_neg_share"]) < 0.14  # type: ignore[arg-type]
    # the crisis's last day: judged, and not back
    state = _state(thin, BACK - dt.timedelta(days=1))
    assert state["judged"] and state["back"] is None, state
    # one calm day of 3 posts after it: too few posts to tell yet
    state = _state(thin, BACK)
    assert not state["judged"], state


def test_the_key_finding_says_ended(thin: Workspace) -> None:
    last = BACK + dt.timedelta(days=len(AFTER) - 1)
    found = [f for f in findings.top_findings(thin, n=9, lang="en", until=last)
             if f.metric == "alerts"]  # fmt: skip
    assert found and found[0].title.endswith(f"ended {BACK - dt.timedelta(days=1)}"), found


def test_too_few_posts_still_cannot_be_judged(tmp_path) -> None:
    """A baseline of about one post every other day (14 posts in 28 days): no rule can tell
    its usual share, so the crisis is not judged."""
    ws = init_workspace(tmp_path / "ws")
    insert_posts(ws, _posts((1, 0)))
    local.run(ws)
    state = _state(ws, BACK + dt.timedelta(days=len(AFTER) - 1))
    assert not state["judged"] and state["rule"] == "pooled", state
    ws.close()
