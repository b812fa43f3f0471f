"""A buzz's examples are what drove the surge, and its summary says the volume (walk w9).

A launch day of 159 posts on a usual 16 a day (order records, headlines, a dozen complaints)
was a buzz whose card showed only its 12 negative posts as examples, and whose post count
against the usual was only in --json. A buzz's examples are now the surge's most echoed posts
of any label (campaign copy aside), and its summary says "159 posts ..., usually about 16 a
day".
"""

from __future__ import annotations

import datetime as dt

from signals_data import P, insert_posts

from brandhalo.analytics import signals
from brandhalo.analytics.episodes import list_alerts
from brandhalo.analytics.explain import explain
from brandhalo.engines import local
from brandhalo.workspace import Workspace

D0 = dt.date(2026, 2, 1)
LAUNCH = D0 + dt.timedelta(days=40)
BRAND = [("brand", "Xiaomi", "Xiaomi", None)]
ORDER = "今晚锁单S9，开心，等提车"
HEADLINE = "【S9正式上市 售价32.98万起】据悉，S9定位大型智能SUV"
COMPLAINT = "发布会全程吹牛，失望"
CAMPAIGN = "#S9上市# 32.98万起，限时权益，即刻下订 网页链接"


def _posts() -> list[P]:
    posts: list[P] = []
    for d in range(40):
        day = D0 + dt.timedelta(days=d)
        labels = [-1, -1] + [1] * 10 + [0] * 8  # 20 a day, 10 % negative
        posts += [P(f"p{d}-{i}", day, lab, text=f"日常 帖子 {d} {i}", targets=BRAND)
                  for i, lab in enumerate(labels)]  # fmt: skip
    launch = (
        [(ORDER, 1, "organic", 3)] * 60
        + [(f"发布会看完直接下单了 {i}", 1, "organic", 5) for i in range(30)]
        + [(HEADLINE, 0, "news", 2)] * 20
        + [(CAMPAIGN, 1, "campaign", 50)] * 20
        + [(f"{COMPLAINT} {i}", -1, "organic", 40 + i) for i in range(18)]
        + [(f"S9和M9怎么选 {i}", 0, "organic", 1) for i in range(12)]
    )
    posts += [P(f"l{i}", LAUNCH, lab, hour=20, text=text, origin=origin, engagement=eng,
                targets=BRAND) for i, (text, lab, origin, eng) in enumerate(launch)]  # fmt: skip
    return posts


def test_a_buzz_shows_its_surge_not_its_negatives(tmp_ws: Workspace) -> None:
    insert_posts(tmp_ws, _posts())
    local.run(tmp_ws)
    signals.run(tmp_ws)
    found = list_alerts(tmp_ws, brand="Xiaomi")
    (buzz,) = [a for a in found if a.kind == "buzz"]
    assert buzz.start_at.date() == LAUNCH
    expl = buzz.explanation
    assert expl is not None
    texts = [p.text for p in expl.examples]
    assert texts[0] == ORDER, texts  # the most echoed post of the surge
    assert HEADLINE in texts or any(t.startswith("发布会看完") for t in texts), texts
    assert CAMPAIGN not in texts  # campaign copy is listed as marked, not an example
    assert not all(t.startswith(COMPLAINT) for t in texts)
    assert (expl.posts, expl.usual_posts) == (160, 20.0)
    summary = expl.summary()
    assert summary.startswith("Xiaomi: a volume surge: 160 posts on 2026-03-13, usually about "
                              "20 a day; "), summary  # fmt: skip
    assert "ordinary negative share" not in summary


def test_other_kinds_keep_their_negative_examples(tmp_ws: Workspace) -> None:
    insert_posts(tmp_ws, _posts())
    local.run(tmp_ws)
    expl = explain(tmp_ws, "Xiaomi", LAUNCH, LAUNCH, kind="negative_spike")
    assert expl.examples and all(p.text.startswith(COMPLAINT) for p in expl.examples)
    assert expl.posts is None and expl.usual_posts is None
