"""Event study, founder dependence, separation, scorecard, pain points, registry and CLI."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
from signals_data import P, insert_posts

from brandhalo.analytics import events, founder, painpoints, scorecard, separation
from brandhalo.analytics.metrics import METRICS, compute_metric
from brandhalo.engines import local
from brandhalo.errors import InputError, NotFoundError

D0 = dt.date(2025, 1, 1)


def test_event_study_hand_computed():
    days = [D0 + dt.timedelta(days=i) for i in range(40)]
    ns = np.array([10.0, 20.0] * 14 + [-50, -40, -20, 0, 10, 20, 15, 15, 15, 15, 15, 15])
    series = pd.DataFrame({"day": days, "n": np.full(40, 10.0), "ns": ns})
    res = events.study(series, days[28], baseline=28, window=30)
    assert res["baseline_ns"] == pytest.approx(15.0)
    sd = float(np.std(ns[:28], ddof=1))
    assert res["baseline_sd"] == pytest.approx(sd)
    assert res["trough_day"] == days[28] and res["trough_ns"] == -50
    # 7-day means after the trough: first one within 15 +- sd (about 5.09)
    m7 = [np.mean(ns[t - 6 : t + 1]) for t in range(29, 40)]
    first = next(29 + k for k, m in enumerate(m7) if abs(m - 15.0) <= sd)
    assert res["recovery_day"] == days[first] and res["recovery_days"] == first - 28
    assert res["car_7"] == pytest.approx(float(np.sum(ns[28:36] - 15.0)))
    assert res["path"][0]["abnormal_ns"] == pytest.approx(-65.0)
    short = events.study(series, days[10], baseline=28, window=30)
    assert "reason" in short


def test_event_study_from_events_table(tmp_ws):
    posts = []
    for d in range(40):
        day = D0 + dt.timedelta(days=d)
        bad = 28 <= d <= 30
        for i in range(10):
            lab = -1 if bad else (1 if i < 6 else 0)
            posts.append(P(f"{d}-{i}", day, lab))
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    with tmp_ws.store.transaction() as con:
        con.execute("INSERT INTO events (event_id, date, brand, title) VALUES "
                    "('e', DATE '2025-01-29', '小米', 'crash')")  # fmt: skip
    df = events.event_study(tmp_ws)
    row = df.iloc[0]
    assert row["brand"] == "Xiaomi"  # alias resolved
    assert row["trough_day"] == dt.date(2025, 1, 29) and row["trough_ns"] == -100
    # sd 0: recovered once the 7-day window no longer holds a bad day (day 37)
    assert row["baseline_sd"] == 0 and row["recovery_day"] == dt.date(2025, 2, 7)
    assert row["recovery_days"] == 9


def test_founder_share_and_volatility(tmp_ws):
    lj = ("persona", "Lei Jun", "Xiaomi", None)
    su7 = ("product", "SU7", "Xiaomi", None)
    posts = []
    for d in range(6):
        day = D0 + dt.timedelta(days=d)
        swing = 1 if d % 2 else -1  # persona NS alternates +100 / -100; product steady +100/0
        posts += [P(f"p{d}{i}", day, swing, targets=[lj]) for i in range(3)]
        posts += [P(f"q{d}{i}", day, 1 if i < 2 + d % 2 else 0, targets=[su7]) for i in range(3)]
        posts += [P(f"b{d}", day, 0, targets=[("brand", "Xiaomi", "Xiaomi", None), lj, su7])]
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    share = founder.persona_share(tmp_ws, "Xiaomi")
    # about the brand, a persona or a product: 18 persona-only + 6 brand posts + 18 product
    # posts (s22: a post naming only a product is about the brand); persona without product: 18
    assert (share["posts"].iloc[0], share["persona_share"].iloc[0]) == (
        42, pytest.approx(18 / 42)
    )
    vol = founder.volatility(tmp_ws, "Xiaomi").iloc[0]
    per = np.array([-100.0 * 3 / 4 + 0, 100 * 3 / 4] * 3)  # b posts are neutral persona posts
    prod = np.array([100 * 2 / 4, 100 * 3 / 4] * 3)
    assert vol["persona_std"] == pytest.approx(float(np.std(per, ddof=1)))
    assert vol["volatility_ratio"] == pytest.approx(np.std(per, ddof=1) / np.std(prod, ddof=1))
    assert vol["granger_p"] is None  # too short for a Granger test


def test_expanding_z():
    z = separation.expanding_z(np.array([1.0, 2.0, 3.0, 10.0]), min_points=3)
    assert math.isnan(z[0]) and math.isnan(z[1])
    assert z[2] == pytest.approx((3 - 2) / 1.0)
    w = np.array([1.0, 2.0, 3.0, 10.0])
    assert z[3] == pytest.approx((10 - w.mean()) / w.std(ddof=1))


def test_scorecard_maps_and_geometric_mean(tmp_ws):
    assert scorecard.score("premium_share", 0.05) == 50.0
    assert scorecard.score("premium_share", 0.125) == pytest.approx(75.0)
    assert scorecard.score("premium_ns", -80.0) == 0.0  # flat outside the knots
    assert scorecard.score("touchpoint_spread", 40.0) == pytest.approx(35.0)
    assert scorecard.score("controversy_load", None) is None
    posts = [P(f"{i}", D0, 1 if i % 3 else -1, segment="premium",
               themes=[("safety", "product")] if i % 2 else [("delivery", "channel")])
             for i in range(30)]  # fmt: skip
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    row = scorecard.scorecard(tmp_ws, "Xiaomi").iloc[0]
    assert row["premium_share"] is None  # no sales: the market component is missing
    elements = [row["products"], row["users"], row["brand_system"]]
    present = [e for e in elements if e is not None and not pd.isna(e)]
    assert row["overall"] == pytest.approx(float(np.exp(np.mean(np.log(present)))))
    assert row["users"] == pytest.approx(
        np.mean([row["premium_ns_score"], row["premium_sov_vs_parity_score"]])
    )


def test_pain_points(tmp_ws):
    su7 = [("product", "SU7", "Xiaomi", None)]
    posts = [P(f"n{i}", D0, -1, targets=su7, themes=[("safety", "product")]) for i in range(8)]
    posts += [P(f"p{i}", D0, 1, targets=su7, themes=[("design", "product")]) for i in range(8)]
    posts += [P(f"m{i}", D0, 0, targets=su7, themes=[("safety", "product")]) for i in range(2)]
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    df = painpoints.theme_points(tmp_ws)
    got = {(r.kind, r.theme): r.posts for r in df.itertuples()}
    assert got == {("pain", "safety"): 8, ("selling", "design"): 8}


def test_every_registered_metric_computes(tmp_ws):
    insert_posts(tmp_ws, [P(f"{i}", D0 + dt.timedelta(days=i % 3), i % 3 - 1) for i in range(30)])
    local.run(tmp_ws)
    assert len(METRICS) >= 20
    for name, spec in METRICS.items():
        res = compute_metric(tmp_ws, name, brand="Xiaomi", freq="week")
        assert res.metric_version == spec.version and res.name == name
        json.dumps(res.model_dump(mode="json"))
    ns = compute_metric(tmp_ws, "net_sentiment", since="2025-01-02", until="2025-01-02")
    assert [r["period"] for r in ns.rows] == ["2025-01-02"]
    with pytest.raises(NotFoundError, match="metrics --list"):
        compute_metric(tmp_ws, "nope")
    with pytest.raises(InputError, match="frequency"):
        compute_metric(tmp_ws, "buzz", freq="hourly")
    with pytest.raises(NotFoundError, match="brand"):
        compute_metric(tmp_ws, "buzz", brand="Nokia")


def test_cli_metrics_and_alerts(tmp_ws, capsys):
    from brandhalo.analytics import signals
    from brandhalo.cli import main

    insert_posts(tmp_ws, [P(f"{i}", D0, i % 3 - 1) for i in range(9)])
    local.run(tmp_ws)
    signals.run(tmp_ws)
    root = str(tmp_ws.root)
    tmp_ws.close()
    main(["metrics", "--list", "--json"])
    names = [m["name"] for m in json.loads(capsys.readouterr().out)]
    assert "net_sentiment" in names and "business_momentum" in names
    main(["metrics", "net_sentiment", "--project", root, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["metric_version"] == "1.0" and out["rows"][0]["ns"] == 0.0
    main(["alerts", "--project", root, "--json"])
    assert json.loads(capsys.readouterr().out) == []
    main(["metrics", "buzz", "--project", root, "--freq", "month"])
    table = capsys.readouterr().out
    assert "buzz (v1.0)" in table and "2025-01-01" in table


def test_share_of_voice_says_it_counts_every_origin(demo_ws):
    """buzz --origin news gave the all-origin numbers without a word: it says so now."""
    ws, _ = demo_ws
    plain = compute_metric(ws, "buzz", brand="Xiaomi", freq="month")
    news = compute_metric(ws, "buzz", brand="Xiaomi", freq="month", origin="news")
    assert news.rows == plain.rows and not plain.notes
    assert any("counts posts of every origin" in n for n in news.notes)
    ns = compute_metric(ws, "net_sentiment", brand="Xiaomi", freq="month", origin="news")
    assert not any("every origin" in n for n in ns.notes)  # opinion metrics do read it


def test_controversy_load_window_starts_no_earlier_than_since(demo_ws):
    """--since 2025-03-01 --until 2025-03-31 read 03-02..03-31 (the 30-day window); the window
    now starts no earlier than --since, and a period after the data has no row."""
    ws, _ = demo_ws
    march = compute_metric(ws, "controversy_load", since="2025-03-10", until="2025-03-31")
    assert march.rows and {r["since"] for r in march.rows} == {"2025-03-10"}
    plain = compute_metric(ws, "controversy_load", until="2025-03-31")
    assert {r["since"] for r in plain.rows} == {"2025-03-02"}
    assert compute_metric(ws, "controversy_load", since="2027-01-01").rows == []
