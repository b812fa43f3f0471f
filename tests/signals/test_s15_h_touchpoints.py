"""Which touchpoint is weak, when a brand is heard on only one (walk s15 H).

Found on a workspace of the user's own: a rival with enough posts on one touchpoint only
(the rest thin) had that touchpoint marked "weakest" with a spread of 0, and the scorecard
read that as perfect touchpoint balance (score 100); for the own brand the report's key
findings said "weakest touchpoint is service (NS +100), spread between touchpoints: 0". With
one touchpoint there is nothing to compare: no weakest, no spread.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from signals_data import P, insert_posts

from brandhalo.analytics import opinion, scorecard
from brandhalo.analytics.findings import top_findings
from brandhalo.engines import local

D = dt.date(2025, 3, 3)
HW = [("brand", "Huawei", "Huawei", None)]


def _posts(prefix: str, n: int, label: int, theme: tuple[str, str], **kw: Any) -> list[P]:
    return [P(f"{prefix}{i}", D, label, themes=[theme], **kw) for i in range(n)]


@pytest.fixture
def ws(tmp_ws):
    posts = [
        # Xiaomi: 25 service posts (solid), 3 product posts (thin)
        *_posts("xs", 25, 1, ("after_sales", "service")),
        *_posts("xp", 3, -1, ("quality", "product")),
        # Huawei: two solid touchpoints
        *_posts("hs", 25, 1, ("after_sales", "service"), targets=HW),
        *_posts("hp", 25, -1, ("quality", "product"), targets=HW),
    ]
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    return tmp_ws


def test_one_solid_touchpoint_has_no_weakest_and_no_spread(ws) -> None:
    df = opinion.touchpoint_balance(ws, "Xiaomi")
    assert set(df["touchpoint"]) == {"service", "product"}
    assert not df["weakest"].any()
    assert all(math.isnan(x) for x in df["spread"])


def test_two_solid_touchpoints_still_compared(ws) -> None:
    df = opinion.touchpoint_balance(ws, "Huawei").set_index("touchpoint")
    assert df.loc["product", "weakest"] and not df.loc["service", "weakest"]
    assert df.loc["product", "spread"] == pytest.approx(200.0)


def test_scorecard_and_findings_do_not_read_one_touchpoint_as_balance(ws) -> None:
    card = scorecard.scorecard(ws, "Xiaomi").iloc[0]
    assert card["touchpoint_spread"] is None or math.isnan(card["touchpoint_spread"])
    titles = [f.title for f in top_findings(ws, brand="Xiaomi", n=10)]
    assert not any("weakest touchpoint" in t for t in titles)
    titles = [f.title for f in top_findings(ws, brand="Huawei", n=10)]
    assert "Huawei: weakest touchpoint is product (NS -100)" in titles


def test_the_touchpoint_finding_says_its_period(ws) -> None:
    # found by an analyst: the finding's spread (whole range) and the scorecard's touchpoint
    # balance (last 90 days) disagreed on one page, neither saying its window
    [touch] = [f for f in top_findings(ws, brand="Huawei", n=10)
               if f.metric == "touchpoint_balance"]  # fmt: skip
    assert touch.detail == (
        "spread between touchpoints: 200 NS points (2025-03-03 to 2025-03-03; the scorecard "
        "reads the last 90 days)"
    )
