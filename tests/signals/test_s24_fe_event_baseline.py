"""Event-study advice (session 24, helper FE): a study short of history names the setting and
a value that fits the data, and a study whose baseline holds an alert episode of the brand
says so (the episode moves the baseline mean and widens its sd, so "effect none" with a wide
interval compared the event with the crisis, not with ordinary days)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from brandhalo.analytics import events

D0 = dt.date(2026, 11, 1)


def test_not_enough_history_names_the_setting_and_a_value_that_fits() -> None:
    days = [D0 + dt.timedelta(days=i) for i in range(30)]
    why = events.why_no_study(days, D0 + dt.timedelta(days=19), 28)
    assert why is not None and "not enough history" in why
    assert "[params] event_baseline_days = 19" in why
    # fewer days than a week before the event: no shorter baseline is offered
    short = events.why_no_study(days, D0 + dt.timedelta(days=5), 28)
    assert short is not None and "event_baseline_days" not in short


def test_study_warns_of_an_alert_episode_in_its_baseline(demo_ws) -> None:
    ws, _ = demo_ws
    df = events.event_study(ws, brand="Xiaomi").set_index("title")
    statement = df.loc["Lei Jun statement on the crash"]
    held = statement["baseline_alerts"]
    assert held, "the crash's episode lies in the statement's baseline"
    crash = min(held, key=lambda e: e["start"])
    assert crash["kind"] == "negative_spike" and crash["severity"] >= 8
    assert crash["start"] < dt.date(2025, 4, 1) <= crash["start"] + dt.timedelta(days=28)
    warning = statement["overlap_warning"]
    assert f"holds the alert episode {crash['start']}.." in warning
    assert f"{statement['baseline_sd']:.1f} NS points" in warning
    # the launch, months before the crash, has no episode in its baseline
    launch = df.loc["Xiaomi SU7 launch"]
    assert launch["baseline_alerts"] == []
    assert pd.isna(launch["overlap_warning"])


def test_the_warning_suggests_a_baseline_after_an_old_episode() -> None:
    held = [{"start": dt.date(2025, 3, 1), "end": dt.date(2025, 3, 3),
             "kind": "negative_spike", "severity": 7, "episode_id": "x"}]  # fmt: skip
    said = events.alerts_warning(held, dt.date(2025, 3, 20), 28, 24.95)
    assert "[params] event_baseline_days = 16" in said  # days 3-4 .. 3-19
    assert "24.9 NS points" in said or "25.0 NS points" in said
    near = events.alerts_warning(held, dt.date(2025, 3, 8), 28, 10.0)
    assert "event_baseline_days" not in near and "an event dated 2025-03-01" in near
