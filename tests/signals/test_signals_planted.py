"""Planted truth of the simulator is recovered (spikes, change points, founder volatility,
event study, separation sign). Slow: builds a 40k-post demo workspace once per session."""

from __future__ import annotations

import datetime as dt

import pytest

from brandhalo.analytics import events, founder, separation
from brandhalo.analytics.alerts import list_alerts
from brandhalo.analytics.metrics import compute_metric

pytestmark = pytest.mark.slow


def test_planted_spikes_alerted_on_the_day_with_their_theme_first(demo_ws):
    ws, planted = demo_ws
    alerts = list_alerts(ws)
    for s in planted["spikes"]:
        start = dt.date.fromisoformat(s["start"])
        mine = [a for a in alerts if a.brand == s["brand"] and a.start_at.date() == start]
        assert len(mine) == 1, f"planted spike {s['key']} of {s['brand']} on {start} not alerted"
        a = mine[0]
        assert a.explanation is not None
        assert a.explanation.themes[0].theme == s["theme"], (s["key"], a.explanation.themes[:3])
        assert a.explanation.examples and a.explanation.terms
    # every alert episode is a planted one (no false alarms on this seed)
    assert len(alerts) == len(planted["spikes"])


def test_planted_crash_change_points_within_two_days(demo_ws):
    ws, planted = demo_ws
    cps = ws.store.query("SELECT brand, target_type, day FROM change_points")
    crash = [c for c in planted["change_points"] if c["label"] == "after the fatal crash"]
    assert len(crash) == 3
    for c in crash:
        day = dt.date.fromisoformat(c["date"])
        near = cps[(cps["brand"] == c["brand"]) & (cps["target_type"] == c["target_type"])]
        gaps = [abs((d.date() - day).days) for d in near["day"]]
        assert gaps and min(gaps) <= 2, (c, near)


def test_founder_more_volatile_than_product(demo_ws, oracle_ws):
    ws, planted = demo_ws
    truth_vol = founder.volatility(oracle_ws).set_index("brand")
    for v in planted["volatility"]:
        assert (truth_vol.loc[v["brand"], "volatility_ratio"] > 1) == (v["ratio"] > 1)
    # through the lexicon engine: the own brand's founder (the seed case) keeps the ordering;
    # the competitor's thin persona series (~3 posts a day at 40k posts) does not reliably
    own = ws.config.own_brand.name
    planted_own = next(v for v in planted["volatility"] if v["brand"] == own)
    vol = founder.volatility(ws).set_index("brand")
    assert (vol.loc[own, "volatility_ratio"] > 1) == (planted_own["ratio"] > 1)
    exact = founder.volatility(oracle_ws).set_index("brand")
    for v in planted["volatility"]:  # same definition on the truth labels: same numbers
        assert exact.loc[v["brand"], "volatility_ratio"] == pytest.approx(v["ratio"])


def test_event_study_trough_and_recovery(demo_ws, oracle_ws):
    ws, planted = demo_ws

    def by_key(df):
        return {(r.brand, r.date): r for r in df.itertuples()}

    truth_based, pipeline_based = (
        by_key(events.event_study(oracle_ws)),
        by_key(events.event_study(ws)),
    )
    close = 0
    for e in planted["events"]:
        key = (e["brand"], dt.date.fromisoformat(e["date"]))
        exact = truth_based[key]
        assert str(exact.trough_day) == str(e["trough"])
        assert str(exact.recovery_day) == str(e["recovery"])
        ours = pipeline_based[key]
        if e["trough"] and ours.trough_day is not None:
            t_gap = abs((ours.trough_day - dt.date.fromisoformat(e["trough"])).days)
            r_ok = (ours.recovery_day is None) == (e["recovery"] is None) and (
                e["recovery"] is None
                or abs((ours.recovery_day - dt.date.fromisoformat(e["recovery"])).days) <= 2
            )
            close += t_gap <= 2 and r_ok
    # through the lexicon sentiment engine about half the events match within 2 days (its
    # label errors move the argmin of noisy daily NS); the truth-label run above is exact
    assert close >= 0.4 * len(planted["events"])


def test_separation_sign_matches_planted_regime(demo_ws):
    ws, planted = demo_ws
    si = separation.separation_index(ws, "Xiaomi").set_index("month")
    ahead = [m for m in planted["separation"] if m["expected_sign"] == 1]
    assert ahead
    for m in ahead:
        assert si.loc[m["month"], "reported"]
        assert si.loc[m["month"], "si"] > 0, m


def test_metrics_on_the_demo(demo_ws):
    ws, _ = demo_ws
    score = compute_metric(ws, "scorecard", brand="Xiaomi").rows[0]
    assert 0 < score["overall"] < 100
    assert score["premium_share"] is not None  # market component from the sales files
    pi = compute_metric(ws, "perception_index", brand="Xiaomi", freq="month").rows
    assert len(pi) == 18
