"""Event study as a PR lead reads it: is the effect real (intervals, thin data), is it over
(no dip / recovered / ongoing as of a day), and events the study cannot read (outside the
data, an unconfigured brand) say why instead of vanishing. Planted effects, exact labels."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from signals_data import P, insert_posts

from brandhalo.analytics import events
from brandhalo.analytics.metrics import compute_metric
from brandhalo.engines import local
from brandhalo.workspace import Workspace

D0 = dt.date(2025, 1, 1)
HUAWEI = [("brand", "Huawei", "Huawei", None)]


def _day(i: int) -> dt.date:
    return D0 + dt.timedelta(days=i)


def _posts(days: int, dip: range = range(0), per_day: int = 10, brand: str = "x") -> list[P]:
    """`per_day` posts a day; baseline NS alternates 50 / 30; on `dip` days NS is -50."""
    out = []
    for d in range(days):
        pos, neg = (2, 7) if d in dip else (6 if d % 2 else 5, 1 if d % 2 else 2)
        labels = [1] * pos + [-1] * neg + [0] * (per_day - pos - neg)
        targets = HUAWEI if brand == "h" else None
        out += [P(f"{brand}{d}-{i}", _day(d), lab, **({"targets": targets} if targets else {}))
                for i, lab in enumerate(labels)]  # fmt: skip
    return out


def _events(ws: Workspace, *rows: tuple[str, int, str]) -> None:
    with ws.store.transaction() as con:
        for k, (brand, d, title) in enumerate(rows):
            con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                        [f"e{k}", _day(d), brand, title])  # fmt: skip


def _by_title(ws: Workspace, **kw: object) -> dict[str, dict]:
    return {r["title"]: r for r in events.event_study(ws, **kw).to_dict("records")}


def test_dip_recovered_no_effect_and_ongoing(tmp_ws: Workspace) -> None:
    insert_posts(tmp_ws, _posts(61, dip=range(30, 35)))  # recall: 5 bad days from day 30
    local.run(tmp_ws)
    _events(tmp_ws, ("小米", 30, "recall"), ("Xiaomi", 29, "teaser"), ("Xiaomi", 1, "early"),
            ("Xiaomi", 70, "planned"))  # fmt: skip
    rows = _by_title(tmp_ws)
    recall = rows["recall"]
    assert recall["status"] == "recovered" and recall["window_complete"]
    assert recall["days_observed"] == 31 and recall["thin"]  # 10 posts a day: thin
    assert recall["recovery_days"] == 11 and isinstance(recall["recovery_days"], int)  # 7-day mean
    # 5 days at -50 against a baseline of 40: CAR[0,7] about -450, its interval below 0
    assert recall["car_7_low"] < recall["car_7"] < recall["car_7_high"] < 0
    assert recall["car_30_low"] < recall["car_30"] == recall["car_to_date"] < 0
    # the data stops mid-effect when read as of day 32: not over, CARs not yet observed
    asof = _by_title(tmp_ws, until=_day(32))["recall"]
    assert (asof["status"], asof["recovered"], asof["days_observed"]) == ("ongoing", False, 3)
    assert pd.isna(asof["car_7"]) and pd.isna(asof["car_30"]) and asof["car_to_date"] < 0
    assert "planned" not in _by_title(tmp_ws, until=_day(32))
    # outside the data: the reason names the side and what to do
    assert "after the last day with posts (2025-03-02)" in rows["planned"]["reason"]
    assert "posts start on 2025-01-01" in rows["early"]["reason"]


def test_event_without_effect_reads_no_dip_and_its_interval_holds_zero(tmp_ws: Workspace) -> None:
    insert_posts(tmp_ws, _posts(70, per_day=20))
    local.run(tmp_ws)
    _events(tmp_ws, ("Xiaomi", 30, "price cut"))
    row = _by_title(tmp_ws)["price cut"]
    assert row["status"] == "no_dip" and row["thin"] is False
    assert row["car_7_low"] < 0 < row["car_7_high"]
    assert row["car_30_low"] < 0 < row["car_30_high"]


def test_thin_brand_and_unconfigured_brand_are_said(tmp_ws: Workspace) -> None:
    insert_posts(tmp_ws, _posts(45, per_day=10) + _posts(45, dip=range(30, 33), per_day=3,
                                                          brand="h"))  # fmt: skip
    local.run(tmp_ws)
    _events(tmp_ws, ("华为", 30, "small incident"), ("OPPO", 31, "rival launch"))
    rows = _by_title(tmp_ws)
    assert rows["small incident"]["brand"] == "Huawei" and rows["small incident"]["thin"]
    rival = rows["rival launch"]
    assert rival["brand"] == "OPPO" and "'OPPO'" in rival["reason"]
    assert "[[brands]]" in rival["reason"]
    assert "rival launch" not in _by_title(tmp_ws, brand="Huawei")


def test_campaign_posts_do_not_hide_the_dip(tmp_ws: Workspace) -> None:
    posts = _posts(45, dip=range(30, 35))
    posts += [P(f"c{d}-{i}", _day(d), 1, origin="campaign") for d in range(30, 35)
              for i in range(40)]  # fmt: skip
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    _events(tmp_ws, ("Xiaomi", 30, "recall"))
    organic = compute_metric(tmp_ws, "event_study").rows[0]
    assert organic["trough_ns"] == pytest.approx(-50.0)
    every = compute_metric(tmp_ws, "event_study", origin="all").rows[0]
    assert every["path"][0]["ns"] > 50 and organic["path"][0]["ns"] == pytest.approx(-50.0)
