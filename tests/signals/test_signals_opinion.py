"""Opinion formulas on hand-computed cases (metrics 1-3, 10-12, 18)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from signals_data import P, insert_posts

from brandhalo.analytics import opinion
from brandhalo.analytics._common import Z95, ew_mean, ns_interval
from brandhalo.engines import local

D = dt.date(2025, 3, 3)  # a Monday


def _wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    p = k / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return c - h, c + h


def test_ns_interval_reduces_to_wilson_without_neutrals():
    ns, low, high = ns_interval([7], [3], [10])
    lo, hi = _wilson(7, 10)
    assert ns[0] == pytest.approx(40.0)
    assert low[0] == pytest.approx(100 * (2 * lo - 1))
    assert high[0] == pytest.approx(100 * (2 * hi - 1))


def test_ns_interval_hand_computed_with_neutrals():
    # P=5, N=2, U=3, n=10: d=0.3, s=0.7; d = (n d +- z sqrt(n (s - d^2) + z^2 s)) / (n + z^2)
    ns, low, high = ns_interval([5], [2], [10])
    z = Z95
    half = z * math.sqrt(10 * (0.7 - 0.09) + z * z * 0.7)
    assert ns[0] == pytest.approx(30.0)
    assert low[0] == pytest.approx(100 * (3 - half) / (10 + z * z))
    assert high[0] == pytest.approx(100 * (3 + half) / (10 + z * z))


def test_ns_interval_edges():
    ns, low, high = ns_interval([10, 0, 0], [0, 0, 0], [10, 4, 0])
    assert ns[0] == 100 and high[0] == pytest.approx(100.0) and low[0] < 100
    assert ns[1] == 0 and low[1] < 0 < high[1]  # all neutral: still a width
    assert math.isnan(ns[2])
    assert np.all(low[:2] >= -100) and np.all(high[:2] <= 100)


def test_ew_mean_half_life():
    out = ew_mean(np.array([10.0, 0.0, 0.0]), np.array([True, False, True]), half_life=1.0)
    # day 0: 10; day 1 absent: still 10; day 2: (10*0.25 + 0*1) / (0.25 + 1) = 2
    assert out.tolist() == pytest.approx([10.0, 10.0, 2.0])


def _day(i: int) -> dt.date:
    return D + dt.timedelta(days=i)


@pytest.fixture
def ws2(tmp_ws):
    """Two brands over two days with themes, segments, weights and a controversy theme."""
    hw = [("brand", "Huawei", "Huawei", None)]
    posts = [
        P("a1", _day(0), 1, weight=3.0, segment="premium", themes=[("quality", "product")]),
        P("a2", _day(0), -1, weight=1.0, segment="premium", themes=[("safety", "product")]),
        P("a3", _day(0), -1, segment="mass", themes=[("delivery", "channel")]),
        P("a4", _day(0), 0, segment="mass"),
        P("b1", _day(0), 1, targets=hw, segment="premium"),
        P("a5", _day(1), 1, segment="premium", themes=[("delivery", "channel")]),
        P("b2", _day(1), -1, targets=hw, themes=[("safety", "product")]),
        P("b3", _day(1), 1, targets=[*hw, ("persona", "Lei Jun", "Xiaomi", None)]),
    ]
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    return tmp_ws


def test_net_sentiment_plain_and_weighted(ws2):
    df = opinion.net_sentiment(ws2, "Xiaomi", freq="day")
    d0 = df.iloc[0]
    assert (d0.posts, d0.positive, d0.negative) == (4, 1, 2)
    assert d0.ns == pytest.approx(100 * (1 - 2) / 4)
    # NSw: weights 3 (pos), 1 (neg), 1 (neg), 1 (neu): (3 - 2) / 6
    assert d0.nsw == pytest.approx(100 * (3 - 2) / 6)
    assert bool(d0.thin)
    week = opinion.net_sentiment(ws2, "Xiaomi", freq="week")
    # the week adds a5 (+1) and b3 (+1, names Lei Jun of Xiaomi): 3 pos, 2 neg of 6
    assert len(week) == 1 and week.iloc[0].ns == pytest.approx(100 * (3 - 2) / 6)


def test_buzz_and_share_of_voice(ws2):
    df = opinion.buzz(ws2, freq="day")
    got = {(r.brand, str(r.period)[:10]): (r.buzz, r.share_of_voice) for r in df.itertuples()}
    assert got[("Xiaomi", str(_day(0)))] == (4, pytest.approx(4 / 5))
    assert got[("Huawei", str(_day(0)))] == (1, pytest.approx(1 / 5))
    # day 1: Xiaomi a5 + b3 (persona), Huawei b2 + b3 -> 2 / 4 each
    assert got[("Xiaomi", str(_day(1)))] == (2, pytest.approx(0.5))


def test_perception_index_is_ew_mean_of_nsw(ws2):
    df = opinion.perception_index(ws2, "Xiaomi", freq="day")
    nsw = df["nsw"].tolist()
    a = 0.5 ** (1 / 7)
    assert df["pi"].iloc[0] == pytest.approx(nsw[0])
    assert df["pi"].iloc[1] == pytest.approx((nsw[0] * a + nsw[1]) / (a + 1))


def test_touchpoint_balance(ws2):
    ws2.config.params.__dict__  # noqa: B018 (params are frozen; min_posts=20 makes all thin)
    df = opinion.touchpoint_balance(ws2, "Xiaomi")
    by = {r.touchpoint: r.ns for r in df.itertuples()}
    assert by == {"product": pytest.approx(0.0), "channel": pytest.approx(0.0)}
    assert set(df["touchpoint"]) == {"product", "channel"}


def test_segment_perception(ws2):
    df = opinion.segment_perception(ws2, freq=None)
    x = df[(df["brand"] == "Xiaomi") & (df["segment"] == "premium")].iloc[0]
    assert (x.posts, x.ns) == (3, pytest.approx(100 * (2 - 1) / 3))
    # premium segment: Xiaomi 3 posts, Huawei 1 (b1) -> share of voice 3/4
    assert x.share_of_voice == pytest.approx(0.75)
    assert x.mix == pytest.approx(3 / 6)


def test_controversy_load(ws2):
    df = opinion.controversy_load(ws2, until=_day(1))
    got = {r.brand: (r.negative, r.controversial) for r in df.itertuples()}
    # safety is the built-in controversy theme
    assert got["Xiaomi"] == (2, 1)
    assert got["Huawei"] == (1, 1)


def test_co_mentions(ws2):
    df = opinion.co_mentions(ws2)
    assert len(df) == 1
    e = df.iloc[0]
    assert {e.source, e.target} == {"Huawei", "Lei Jun"} and e.posts == 1 and e.ns == 100
