"""A crisis's tail is the crisis (session 28, helper episodekind).

Walk-through w12: a tea chain's food-safety crisis of 2025-04-10..04-23 (peak 04-11) alerted as
one episode 04-10..04-17 and then, on 04-21, as a separate 「声量激增（食品安全）」: 10 negatives
of 11 posts called ordinary because the brand's usual negative share read 0.667, the crisis's
own days (11 of the 28 before it, at 70 % negative) having set "usual" (25 % before it). Now
the days of a brand's held run (an episode's days, over its band) are left out of later share
baselines (``spikes._share_window``) and alerts whose quiet days in between lie in one held run
are one episode (``spikes._episodes``). The small built workspace replays the crisis's daily
numbers on a brand of 4 posts a day.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from signals_data import P, insert_posts, stream

from brandhalo.analytics import signals, spikes
from brandhalo.engines import local

START = dt.date(2025, 2, 3)
CRISIS = dt.date(2025, 4, 10)
#: w12's 茶语 crisis, day by day: the food-safety theme's negatives and other posts, and the
#: brand's further negatives (spill-over posts that name it but no theme) and positives
FOOD_NEG = [43, 92, 54, 49, 26, 21, 26, 15, 9, 9, 5, 10, 7, 6]
FOOD_OTHER = [7, 11, 20, 5, 8, 6, 0, 2, 4, 3, 2, 1, 1, 1]
MORE_NEG = [5, 15, 10, 7, 5, 5, 6, 1, 5, 2, 4, 0, 1, 2]
MORE_POS = [5, 30, 10, 18, 3, 8, 15, 2, 2, 2, 2, 4, 1, 4]
TAIL = 11  # the day the food-safety theme alerts again, after three quiet days


def _crisis() -> list[P]:
    out: list[P] = []
    for i in range(len(FOOD_NEG)):
        day = CRISIS + dt.timedelta(days=i)
        parts = [(FOOD_NEG[i], -1, "food_safety"), (FOOD_OTHER[i], 1, "food_safety"),
                 (MORE_NEG[i], -1, None), (MORE_POS[i], 1, None)]  # fmt: skip
        for k, (n, label, theme) in enumerate(parts):
            out += [
                P(f"c{i}-{k}-{j}", day, label, hour=8 + j % 14,
                  themes=[(theme, "product")] if theme else [], text=f"后厨 老鼠 {j % 7}")
                for j in range(n)
            ]  # fmt: skip
    return out


def _signalled(tmp_ws) -> tuple[pd.DataFrame, pd.DataFrame]:
    days = (CRISIS - START).days + 30
    background = stream(START, days, seed=5, per_day=4, p_neg=0.25, p_pos=0.5)
    insert_posts(tmp_ws, background + _crisis())
    local.run(tmp_ws)
    signals.run(tmp_ws, explain=False)
    alerts = tmp_ws.store.query("SELECT * FROM alerts WHERE grain = 'day'")
    episodes = tmp_ws.store.query("SELECT * FROM episodes")
    return alerts, episodes


def test_the_tail_of_a_crisis_is_one_negative_episode_with_it(tmp_ws) -> None:
    alerts, episodes = _signalled(tmp_ws)
    day = pd.to_datetime(alerts["period"]).dt.date
    tail_day = CRISIS + dt.timedelta(days=TAIL)
    brand_days = sorted(day[alerts["theme"] == "*"])
    # the brand's own days alert at the start of the crisis and go quiet before the tail
    assert brand_days[0] == CRISIS and brand_days[-1] < tail_day - dt.timedelta(days=2)
    (tail,) = alerts[(alerts["theme"] == "food_safety") & (day == tail_day)].itertuples()
    # its usual share is the brand's before the crisis (25 %), not the crisis's (0.667 before)
    assert tail.base_share < 0.4, tail
    assert tail.kind == spikes.NEGATIVE_SPIKE
    # one episode: from the crisis's first day through its tail, a negative spike
    crisis = episodes[pd.to_datetime(episodes["end_at"]).dt.date > CRISIS]
    assert len(crisis) == 1, crisis
    (ep,) = crisis.itertuples()
    assert pd.Timestamp(ep.start_at).date() == CRISIS
    assert pd.Timestamp(ep.peak_period).date() == CRISIS + dt.timedelta(days=1)
    assert pd.Timestamp(ep.end_at).date() == tail_day + dt.timedelta(days=1)
    assert ep.kind == spikes.NEGATIVE_SPIKE and ep.severity >= 8
    assert tail.episode_id == ep.episode_id


def test_the_quiet_days_between_lie_in_the_brands_held_run(tmp_ws) -> None:
    """The run that bridges them: the brand's negatives stayed over the band of the baseline
    before the crisis from its first day into its tail (``spikes.detect_with_runs``)."""
    _signalled(tmp_ws)
    _, runs = spikes.find_daily(tmp_ws)
    (run,) = runs.itertuples()
    assert run.brand == "Xiaomi" and run.start.date() == CRISIS
    assert run.end.date() >= CRISIS + dt.timedelta(days=TAIL)


def test_an_incremental_round_in_the_tail_equals_a_full_run(tmp_ws) -> None:
    """The watcher's round that adds the tail's days groups them as a full run does."""
    days = (CRISIS - START).days + 30
    background = stream(START, days, seed=5, per_day=4, p_neg=0.25, p_pos=0.5)
    crisis = _crisis()
    cut = CRISIS + dt.timedelta(days=9)
    insert_posts(tmp_ws, [p for p in background + crisis if p.day < cut])
    local.run(tmp_ws)
    signals.run(tmp_ws, explain=False)
    insert_posts(tmp_ws, [p for p in background + crisis if p.day >= cut])
    local.run(tmp_ws)
    res = signals.run(tmp_ws, incremental=True, explain=False)
    assert res.counts["days_changed"] > 0
    cols = ["alert_id", "episode_id", "kind", "base_share", "severity"]
    stored = tmp_ws.store.query(f"SELECT {', '.join(cols)} FROM alerts")
    full = spikes.find_alerts(tmp_ws)[cols]
    pd.testing.assert_frame_equal(
        stored.sort_values("alert_id").reset_index(drop=True),
        full.sort_values("alert_id").reset_index(drop=True),
        check_dtype=False,
    )
    tail_day = pd.Timestamp(CRISIS + dt.timedelta(days=TAIL))
    eps = tmp_ws.store.query("SELECT episode_id, start_at, end_at FROM episodes")
    assert len(eps[pd.to_datetime(eps["end_at"]) > tail_day]) == 1
