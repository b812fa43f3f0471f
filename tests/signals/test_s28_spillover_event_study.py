"""The event study of the other brands and of the category around a brand's event (walk-through
s28 W12: what a competitor's food-safety incident did to it, to the other brands and to the
category; the user duplicated event rows per brand to see it): ``event_study --spillover``
adds, for each event, the same study of every other tracked brand's series and of the
category's (every brand's mentions pooled), naming whose event and whose series."""

from __future__ import annotations

import datetime as dt

import pytest
from signals_data import P, insert_posts

from brandhalo.analytics import events
from brandhalo.analytics.metrics import compute_metric
from brandhalo.engines import local
from brandhalo.errors import InputError
from brandhalo.workspace import Workspace

D0 = dt.date(2026, 1, 5)
DAYS = 60
CRISIS = 35
#: Huawei's crisis: extra negative posts about Huawei alone on days 0..5 of the event.
LOUD = (60, 50, 40, 30, 20, 10)
#: Spill-over posts of the crisis days: each names Huawei (negative) and Xiaomi (positive),
#: "还是去买小米吧".
SPILL = (12, 10, 8, 8, 6, 6)
HUAWEI = ("brand", "Huawei", "Huawei", None)
XIAOMI = ("brand", "Xiaomi", "Xiaomi", None)


def _day(d: int) -> dt.date:
    return D0 + dt.timedelta(days=d)


def _ordinary(d: int) -> list[int]:
    """An ordinary day of one brand: 20 posts, 10 positive, 3 or 4 negative."""
    neg = 3 + d % 2
    return [-1] * neg + [1] * 10 + [0] * (10 - neg)


def _posts() -> list[P]:
    posts: list[P] = []
    for d in range(DAYS):
        for who in (HUAWEI, XIAOMI):
            posts += [P(f"{who[1]}{d}-{i}", _day(d), lab, targets=[who])
                      for i, lab in enumerate(_ordinary(d))]  # fmt: skip
        k = d - CRISIS
        if 0 <= k < len(LOUD):
            posts += [P(f"loud{d}-{i}", _day(d), -1, targets=[HUAWEI]) for i in range(LOUD[k])]
            posts += [P(f"spill{d}-{i}", _day(d), 1,
                        targets=[("brand", "Huawei", "Huawei", -1), ("brand", "Xiaomi", "Xiaomi", 1)])
                      for i in range(SPILL[k])]  # fmt: skip
    return posts


def _add_events(ws: Workspace, *rows: tuple[str, dt.date, str, str]) -> None:
    with ws.store.transaction() as con:
        for event_id, day, brand, title in rows:
            con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, ?, ?, ?)",
                        [event_id, day, brand, title])  # fmt: skip


@pytest.fixture
def crisis_ws(tmp_ws: Workspace) -> Workspace:
    insert_posts(tmp_ws, _posts())
    local.run(tmp_ws)
    _add_events(tmp_ws, ("e0", _day(CRISIS), "Huawei", "后厨事件"))
    return tmp_ws


def test_spillover_studies_the_other_brand_and_the_category(crisis_ws: Workspace) -> None:
    res = compute_metric(crisis_ws, "event_study", spillover=True)
    rows = {r["series"]: r for r in res.rows}
    assert [r["series"] for r in res.rows] == ["Huawei", "Xiaomi", "category"]
    assert [r["series_role"] for r in res.rows] == ["own", "other", "category"]
    assert {r["brand"] for r in res.rows} == {"Huawei"}  # whose event it is, on every row
    assert {r["title"] for r in res.rows} == {"后厨事件"}
    assert res.params["spillover"] is True
    assert any("--spillover" in n and "pooled" in n for n in res.notes), res.notes
    # the incident's brand dips from day 0; the other brand rises (the spill-over praise)
    own, other, cat = rows["Huawei"], rows["Xiaomi"], rows["category"]
    assert own["effect"] == "negative" and own["dip_offset"] == 0, own
    assert own["car_7_high"] < 0
    assert other["status"] == "no_dip" and other["dip_offset"] is None, other
    assert other["effect"] == "positive" and other["car_7_low"] > 0, other
    assert other["path"][0]["volume"] == 20 + SPILL[0]
    xiaomi_ns0 = 100 * (10 + SPILL[0] - _neg(CRISIS)) / (20 + SPILL[0])
    assert other["path"][0]["ns"] == pytest.approx(xiaomi_ns0)
    # the category: both brands' mentions pooled (a spill-over post once for each brand)
    n0 = (20 + LOUD[0] + SPILL[0]) + (20 + SPILL[0])
    net0 = (10 - _neg(CRISIS) - LOUD[0] - SPILL[0]) + (10 + SPILL[0] - _neg(CRISIS))
    assert cat["path"][0]["volume"] == n0
    assert cat["path"][0]["ns"] == pytest.approx(100 * net0 / n0)
    assert cat["day0_volume"] == n0 and cat["baseline_volume"] == 40
    assert cat["effect"] == "negative", cat  # the brand's own dip is in the category
    # the own row is the study without --spillover, unchanged
    (plain,) = compute_metric(crisis_ws, "event_study").rows
    assert "series" not in plain and "spillover" not in compute_metric(
        crisis_ws, "event_study").params  # fmt: skip
    assert {k: v for k, v in rows["Huawei"].items() if k not in ("series", "series_role")} == plain


def _neg(d: int) -> int:
    return 3 + d % 2


def test_brand_picks_the_events_and_overlaps_follow_the_series(crisis_ws: Workspace) -> None:
    # a Xiaomi launch inside the window: it overlaps Xiaomi's and the category's series only
    _add_events(crisis_ws, ("e1", _day(CRISIS + 10), "小米", "新品发布"))
    rows = events.event_study(crisis_ws, brand="Huawei", spillover=True).to_dict("records")
    assert [(r["brand"], r["series"]) for r in rows] == [
        ("Huawei", "Huawei"), ("Huawei", "Xiaomi"), ("Huawei", "category")]  # fmt: skip
    near = {r["series"]: [o["title"] for o in r["overlaps"]] for r in rows}
    assert near == {"Huawei": [], "Xiaomi": ["新品发布"], "category": ["新品发布"]}
    assert "新品发布 (day +10, in the window)" in rows[2]["overlap_warning"]
    # every event: Xiaomi's own event studies Huawei as the other brand
    every = events.event_study(crisis_ws, spillover=True)
    assert list(zip(every["brand"], every["series"], every["series_role"], strict=True)) == [
        ("Huawei", "Huawei", "own"), ("Huawei", "Xiaomi", "other"),
        ("Huawei", "category", "category"),
        ("Xiaomi", "Xiaomi", "own"), ("Xiaomi", "Huawei", "other"),
        ("Xiaomi", "category", "category"),
    ]  # fmt: skip


def test_an_unknown_brand_keeps_its_reason_and_the_others_are_studied(
    crisis_ws: Workspace,
) -> None:
    _add_events(crisis_ws, ("e2", _day(CRISIS), "喜茶", "竞品事件"))
    rows = [r for r in events.event_study(crisis_ws, spillover=True).to_dict("records")
            if r["event_id"] == "e2"]  # fmt: skip
    assert [r["series"] for r in rows] == ["喜茶", "Xiaomi", "Huawei", "category"]  # config order
    assert rows[0]["status"] == events.NOT_STUDIED and "喜茶" in rows[0]["reason"]
    assert [r["series_role"] for r in rows[1:]] == ["other", "other", "category"]
    assert rows[1]["effect"] == "positive" and rows[2]["effect"] == "negative"


def test_spillover_with_a_theme_and_the_refusals(crisis_ws: Workspace) -> None:
    res = compute_metric(crisis_ws, "event_study", spillover=True, theme="camera")
    assert [r["series"] for r in res.rows] == ["Huawei", "Xiaomi", "category"]
    assert all(r["status"] == events.NOT_STUDIED and "camera" in r["reason"] for r in res.rows)
    with pytest.raises(InputError, match="--spillover applies only to the metrics event_study"):
        compute_metric(crisis_ws, "net_sentiment", spillover=True)
    product = crisis_ws.config.products[0].name
    with pytest.raises(InputError, match="--spillover studies every tracked brand"):
        compute_metric(crisis_ws, "event_study", spillover=True, product=product)


def test_pooled_daily_sums_the_brands_on_one_grid() -> None:
    import pandas as pd

    a = pd.DataFrame({"day": [_day(0), _day(1)], "n": [4.0, 0.0], "ns": [50.0, float("nan")],
                      "reposts": [1.0, 2.0], "neg": [1.0, 0.0]})  # fmt: skip
    b = pd.DataFrame({"day": [_day(1), _day(2)], "n": [2.0, 5.0], "ns": [-100.0, 20.0],
                      "reposts": [3.0, 0.0], "neg": [2.0, 2.0]})  # fmt: skip
    out = events.pooled_daily([a, b, pd.DataFrame(columns=["day", "n", "ns", "reposts"])])
    assert list(out["day"]) == [_day(0), _day(1), _day(2)]
    assert list(out["n"]) == [4, 2, 5] and list(out["reposts"]) == [1, 5, 0]
    assert list(out["ns"]) == pytest.approx([50.0, -100.0, 20.0])
    assert list(out["neg"]) == [1, 2, 2]
    theme = b.assign(reposts=float("nan"))  # a theme's series: reposts not known
    assert out.pipe(lambda _: events.pooled_daily([a, theme]))["reposts"].isna().tolist() == [
        False, True, True]  # fmt: skip
