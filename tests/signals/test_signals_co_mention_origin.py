"""The co-mention network honours ``--origin`` as its weekly series does (metric 18)."""

from __future__ import annotations

import datetime as dt

import pytest
from signals_data import P, insert_posts

from brandhalo.analytics.metrics import compute_metric
from brandhalo.engines import local

D = dt.date(2025, 3, 3)  # a Monday
PAIR = [("brand", "Huawei", "Huawei", None), ("persona", "Lei Jun", "Xiaomi", None)]
#: post id -> origin of the posts naming both Huawei and Lei Jun (plus one repost, never counted)
PLANTED = {"o1": "organic", "o2": "organic", "o3": "organic", "c1": "campaign",
           "c2": "official", "n1": "news"}  # fmt: skip


@pytest.fixture
def mixed_ws(tmp_ws):
    posts = [
        P(pid, D + dt.timedelta(days=i % 3), 1 if i % 2 else -1, targets=PAIR, origin=origin)
        for i, (pid, origin) in enumerate(PLANTED.items())
    ]
    posts.append(P("r1", D, 1, targets=PAIR, is_repost=True))
    posts.append(P("x1", D, 1, origin="campaign"))  # names Xiaomi alone: no pair
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    return tmp_ws


def _hand_count(origins: set[str] | None) -> int:
    return sum(1 for o in PLANTED.values() if origins is None or o in origins)


@pytest.mark.parametrize(
    ("origin", "expected"),
    [("organic", {"organic"}), ("all", None), ("campaign", {"campaign", "official"}),
     ("news", {"news"})],
)  # fmt: skip
def test_co_mentions_count_the_posts_of_the_origin(mixed_ws, origin, expected) -> None:
    r = compute_metric(mixed_ws, "co_mentions", origin=origin)
    assert r.params["origin"] == origin
    [edge] = r.rows
    assert {edge["source"], edge["target"]} == {"Huawei", "Lei Jun"}
    assert edge["posts"] == _hand_count(expected)
    weekly = compute_metric(mixed_ws, "co_mentions_weekly", origin=origin).rows
    assert edge["posts"] == sum(w["posts"] for w in weekly)


def test_organic_differs_from_all(mixed_ws) -> None:
    organic = compute_metric(mixed_ws, "co_mentions", origin="organic").rows[0]["posts"]
    every = compute_metric(mixed_ws, "co_mentions", origin="all").rows[0]["posts"]
    assert (organic, every) == (3, 6)
