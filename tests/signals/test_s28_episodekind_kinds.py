"""An episode's kind is its brand-level alerts' (session 28, helper episodekind).

A coffee chain's launch day (walk-through w12: 鹿角咖啡 2025-03-15) read 「负面激增」 severity 8
beside 「负面占比 17%（通常 24%）」: the brand's day was buzz (fewer negatives than its volume
predicts), but the queue complaints of the launch made its store-service theme a negative spike,
and any negative spike made the episode one. Now the brand-level alerts decide; a theme's
negative spike makes the episode a crisis only when it is material to the brand's day
(``spikes.material_themes``): its excess negatives alone would be a brand negative spike, or the
brand's day's own excess z reaches half of ``spike_z``. Small built workspaces: a launch whose
queue theme complains (buzz, the theme alert kept as a negative spike), a launch whose fault
theme is large (a crisis), a complaint video's day whose brand share rose (a crisis).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from signals_data import P, insert_posts, stream

from brandhalo.analytics import signals, spikes
from brandhalo.analytics.episodes import list_alerts
from brandhalo.engines import local

START = dt.date(2025, 1, 6)
LAUNCH = dt.date(2025, 3, 10)
BRAND = "Xiaomi"


def _posts(day: dt.date, tag: str, n: int, neg: int, theme: str | None) -> list[P]:
    """`n` posts of `day`, `neg` of them negative, the rest positive, on `theme`."""
    return [
        P(
            f"{tag}-{i}",
            day,
            -1 if i < neg else 1,
            hour=9 + i % 12,
            themes=[(theme, "product")] if theme else [],
            text=f"{tag} {i % 9}",
        )
        for i in range(n)
    ]


def _built(tmp_ws, extra: list[P], per_day: int = 60, p_neg: float = 0.2) -> pd.DataFrame:
    """The background stream from START to the day after LAUNCH plus `extra`, signalled;
    returns the stored alerts."""
    days = (LAUNCH - START).days + 2
    background = stream(START, days, seed=11, per_day=per_day, p_neg=p_neg, p_pos=0.4)
    insert_posts(tmp_ws, background + extra)
    local.run(tmp_ws)
    signals.run(tmp_ws, explain=False)
    return tmp_ws.store.query("SELECT * FROM alerts")


def _launch_episode(tmp_ws):
    (ep,) = [a for a in list_alerts(tmp_ws) if a.start_at.date() == LAUNCH]
    return ep


def test_a_launch_whose_queue_theme_complains_stays_buzz(tmp_ws) -> None:
    # 520 launch posts at 5 % negative, 40 queue posts at 90 %: the brand's day is 74
    # negatives of 620 posts (12 %, usual 20 %), the queue theme 36 of 40
    extra = _posts(LAUNCH, "launch", 520, 26, "launch") + _posts(LAUNCH, "queue", 40, 36, "queue")
    alerts = _built(tmp_ws, extra)
    day = alerts[pd.to_datetime(alerts["period"]) == pd.Timestamp(LAUNCH)]
    brand = day[(day["theme"] == "*") & (day["grain"] == "day")].iloc[0]
    queue = day[(day["theme"] == "queue") & (day["grain"] == "day")].iloc[0]
    assert brand["kind"] == spikes.BUZZ and brand["excess_z"] < 0
    # the theme's complaint stays visible as what it is: a negative spike of the theme
    assert queue["kind"] == spikes.NEGATIVE_SPIKE and queue["count"] == 36
    ep = _launch_episode(tmp_ws)
    assert ep.kind == spikes.BUZZ, ep
    assert "queue" in ep.themes
    # a kinds = ["negative_spike"] webhook, `brandhalo alerts --kind negative_spike`: not it
    assert not [
        a for a in list_alerts(tmp_ws, kind="negative_spike") if a.start_at.date() == LAUNCH
    ]
    # not material: 28 excess negatives are 2.6 sd of the brand's 620 posts, under 4
    material = spikes.material_themes(alerts[alerts["episode_id"] == ep.episode_id], 4.0)
    assert not material.any()


def test_a_launch_whose_fault_theme_is_large_is_a_crisis(tmp_ws) -> None:
    # 1,000 launch posts at 5 % negative hide 200 fault reports (180 negative) in the brand's
    # share (242 negatives of 1,260 posts: 19 %, usual 20 %): the fault's 140 excess negatives
    # are 9.5 sd of the brand's day, a crisis whatever the launch's other posts say
    extra = _posts(LAUNCH, "launch", 1000, 50, "launch") + _posts(
        LAUNCH, "fault", 200, 180, "fault"
    )
    alerts = _built(tmp_ws, extra)
    day = alerts[pd.to_datetime(alerts["period"]) == pd.Timestamp(LAUNCH)]
    brand = day[(day["theme"] == "*") & (day["grain"] == "day")].iloc[0]
    assert brand["kind"] == spikes.BUZZ
    ep = _launch_episode(tmp_ws)
    assert ep.kind == spikes.NEGATIVE_SPIKE, ep
    assert "fault" in ep.themes


def test_a_complaint_videos_day_whose_brand_share_rose_is_a_crisis(tmp_ws) -> None:
    # a brand of 10 posts a day (30 % negative); a delivery-complaint video brings 60 posts,
    # 40 of them on delivery (26 negative): the brand's day 32 of 70 (46 %), its excess over
    # the volume 2-4 sd (buzz by itself), the delivery theme a negative spike
    extra = _posts(LAUNCH, "video", 40, 26, "delivery") + _posts(LAUNCH, "chat", 20, 3, None)
    alerts = _built(tmp_ws, extra, per_day=10, p_neg=0.3)
    day = alerts[pd.to_datetime(alerts["period"]) == pd.Timestamp(LAUNCH)]
    brand = day[(day["theme"] == "*") & (day["grain"] == "day")].iloc[0]
    theme = day[(day["theme"] == "delivery") & (day["grain"] == "day")].iloc[0]
    assert brand["kind"] == spikes.BUZZ and 2.0 <= brand["excess_z"] < 4.0, brand
    assert theme["kind"] == spikes.NEGATIVE_SPIKE
    assert _launch_episode(tmp_ws).kind == spikes.NEGATIVE_SPIKE


def test_material_themes_rule_on_the_walk_through_numbers() -> None:
    """w12's numbers (stored alerts of 2025-03-15 and 2025-05-18): 鹿角咖啡's launch is not
    material, 快杯's delivery-complaint video is."""
    rows = [  # episode, theme, count, posts, base_share, excess_z
        ("launch", "*", 44, 249, 0.275, -3.13),
        ("launch", "store_service", 29, 31, 0.275, 6.6),
        ("launch", "price_premium", 15, 15, 0.275, 4.7),
        ("video", "*", 34, 66, 0.339, 2.68),
        ("video", "delivery", 32, 49, 0.339, 4.04),
    ]
    alerts = pd.DataFrame(rows, columns=["episode_id", "theme", "count", "posts", "base_share",
                                         "excess_z"])  # fmt: skip
    alerts["grain"] = "day"
    alerts["period"] = pd.Timestamp("2025-03-15")
    alerts["kind"] = np.where(alerts["theme"] == "*", spikes.BUZZ, spikes.NEGATIVE_SPIKE)
    assert spikes.material_themes(alerts, 4.0).tolist() == [False, False, False, False, True]
    kinds = spikes.episode_kinds(alerts, 4.0)
    assert kinds["launch"] == spikes.BUZZ and kinds["video"] == spikes.NEGATIVE_SPIKE
    # without the brand's alert of the period the theme's alert decides, as before
    alone = alerts[alerts["theme"] != "*"]
    assert (spikes.episode_kinds(alone, 4.0) == spikes.NEGATIVE_SPIKE).all()
