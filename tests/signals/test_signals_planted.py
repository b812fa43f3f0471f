"""Planted truth of the simulator is recovered (spikes, change points, founder volatility,
event study, separation sign). Slow: builds a 40k-post demo workspace once per session."""

from __future__ import annotations

import datetime as dt

import pytest

from brandhalo.analytics import events, founder, separation
from brandhalo.analytics.episodes import list_alerts
from brandhalo.analytics.metrics import compute_metric

pytestmark = pytest.mark.slow


def test_planted_spikes_alerted_on_the_day_with_their_theme_first(demo_ws):
    ws, planted = demo_ws
    alerts = list_alerts(ws, kind="negative_spike")
    for s in planted["spikes"]:
        start = dt.date.fromisoformat(s["start"])
        mine = [a for a in alerts if a.brand == s["brand"] and a.start_at.date() == start]
        assert len(mine) == 1, f"planted spike {s['key']} of {s['brand']} on {start} not alerted"
        a = mine[0]
        assert a.explanation is not None
        assert a.explanation.themes[0].theme == s["theme"], (s["key"], a.explanation.themes[:3])
        assert a.explanation.examples and a.explanation.terms
    # every negative-spike episode is a planted one (no false alarms on this seed)
    assert len(alerts) == len(planted["spikes"])


def test_planted_crash_is_a_severe_negative_spike_on_its_day(demo_ws):
    ws, planted = demo_ws
    crash = next(s for s in planted["spikes"] if s["key"] == "crash")
    day = dt.date.fromisoformat(crash["start"])
    (a,) = [x for x in list_alerts(ws) if x.brand == "Xiaomi" and x.start_at.date() == day]
    assert a.kind == "negative_spike" and a.severity >= 8
    # the day's own brand-level alert, not only the episode's peak
    row = ws.store.query(
        "SELECT kind, severity FROM alerts WHERE grain = 'day' AND theme = '*' "
        "AND brand = 'Xiaomi' AND CAST(period AS DATE) = ?",
        [day],
    ).iloc[0]
    assert row["kind"] == "negative_spike" and row["severity"] >= 8


def test_planted_launch_surge_is_buzz_not_a_negative_spike(demo_ws):
    ws, planted = demo_ws
    assert planted["surges"], "the seed case plants a launch-day surge"
    for s in planted["surges"]:
        start = dt.date.fromisoformat(s["start"])
        end = dt.date.fromisoformat(s["end"])
        near = [
            a
            for a in list_alerts(ws, brand=s["brand"])
            if a.start_at.date() <= end and a.end_at.date() >= start
        ]
        assert near, f"surge {s['key']} of {s['brand']} on {start} not reported"
        assert {a.kind for a in near} == {"buzz"}, [(a.kind, a.severity) for a in near]


def test_explanations_lead_with_trusted_organic_posts(demo_ws):
    ws, _ = demo_ws
    media = set(
        ws.store.query("SELECT DISTINCT author_id FROM posts WHERE source = 'news'")["author_id"]
    )
    for a in list_alerts(ws, kind="negative_spike"):
        expl = a.explanation
        assert expl is not None and expl.examples, a.title
        top = expl.examples[0]
        assert top.origin == "organic" and top.trusted, (a.title, top)
        assert not {x.author_id for x in expl.authors} & media, a.title
        assert all(p.origin == "organic" for p in expl.examples)


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


def test_founder_spillover_recovers_the_planted_lead(demo_ws, oracle_ws):
    """The planted lag of product sentiment behind the founder's is the strongest lag, on the
    truth labels and through the lexicon engine (the seed case's 40k posts)."""
    ws, planted = demo_ws
    own = next(v for v in planted["volatility"] if v["brand"] == ws.config.own_brand.name)
    assert own["spillover_lag_days"] == 1
    for w in (oracle_ws, ws):
        row = founder.volatility(w, own["brand"]).iloc[0]
        assert row["best_lag"] == own["spillover_lag_days"], row["lag_correlations"]
