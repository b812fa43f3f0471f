"""Spike examples on the spike's theme, through the store (s22 F4; needs the explanation
sample to carry each post's ``theme_key``: store/explain.py ``sample``/``_sample_keys``)."""

from __future__ import annotations

import datetime as dt

from signals_data import P, insert_posts

from brandhalo.analytics import explain
from brandhalo.engines import local
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 1, 1)
SPIKE = D0 + dt.timedelta(days=35)
RECALL = [("quality", "product")]
INTERIOR = [("design", "product")]


def test_recall_posts_are_the_first_examples_of_a_recall_spike(tmp_ws: Workspace) -> None:
    posts = []
    for d in range(35):  # a calm baseline: 8 posts a day, 1 negative without a theme
        day = D0 + dt.timedelta(days=d)
        posts += [P(f"b{d}-{i}", day, 1 if i else -1, engagement=1) for i in range(8)]
    # the spike: 30 negative quality posts (few likes), 2 off-theme ones with the most likes
    posts += [P(f"q{i}", SPIKE, -1, themes=RECALL, engagement=10 + i,
                text=f"刹车召回，太吓人了 {i}") for i in range(30)]  # fmt: skip
    posts += [P("int", SPIKE, -1, themes=INTERIOR, engagement=3396, text="内饰，太失望了"),
              P("none", SPIKE, -1, engagement=2655, text="冬天续航，太失望了"),
              P("news", SPIKE, -1, themes=RECALL, engagement=9000, origin="news",
                text="【召回】据报道召回2.1万辆")]  # fmt: skip
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    expl = explain.explain(tmp_ws, "Xiaomi", SPIKE, SPIKE)
    assert expl.driving_themes[0].theme == "quality"
    ids = [p.post_id for p in expl.examples]
    assert ids == ["q29", "q28", "q27", "q26", "q25"], ids  # on-theme, by engagement
    assert "news" not in ids and "int" not in ids
