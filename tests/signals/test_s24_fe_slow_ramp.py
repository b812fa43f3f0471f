"""A slow-building crisis keeps its episode growing (session 24, helper FE).

Negatives for one theme grow 2 -> 36 a day over nine days. With a 7-day baseline the rising
days used to become the baseline: the first alert (day 4 of the ramp) was the whole episode,
its count and severity never grew and no escalation follow-up was sent while the crisis got
ten times bigger. Each episode's days are now scored against the baseline before it
(:func:`brandhalo.analytics.spikes.hold_baselines`).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pandas as pd

from brandhalo.alerts import delivery
from brandhalo.analytics import spikes

START = dt.date(2026, 11, 1)
#: battery negatives a day from day 12 (index 11) on; 0 before and after
RAMP = [2, 3, 5, 8, 12, 17, 23, 29, 36, 8, 4, 2, 1]
RAMP_AT = 11
DAYS = 32
BASELINE = 7


def _frame(ramp: list[int] = RAMP, at: int = RAMP_AT, days: int = DAYS) -> pd.DataFrame:
    grid = pd.date_range(START, periods=days, freq="D")
    background = np.array([6, 7, 8, 7, 6, 8, 7] * (days // 7 + 1))[:days]
    battery = np.zeros(days, dtype=int)
    battery[at : at + len(ramp)] = ramp[: days - at]
    posts = 130 + 3 * battery
    rows = [
        pd.DataFrame({"brand": "B", "theme": "*", "period": grid,
                      "neg": background + battery, "posts": posts}),
        pd.DataFrame({"brand": "B", "theme": "battery", "period": grid,
                      "neg": battery, "posts": posts}),
    ]  # fmt: skip
    return pd.concat(rows, ignore_index=True)


def _episodes(frame: pd.DataFrame, through: int) -> pd.DataFrame:
    """The episodes as of day `through` (0-based index): what a daily run that day sees."""
    upto = frame[frame["period"] <= pd.Timestamp(START) + pd.Timedelta(days=through)]
    alerts = spikes.with_ids(spikes.detect(upto, "day", 4.0, 10, baseline_days=BASELINE))
    return spikes.summarize_episodes(alerts, 4.0)


def test_slow_ramp_episode_grows_with_the_crisis():
    frame = _frame()
    first = None
    for day in range(DAYS):
        eps = _episodes(frame, day)
        if len(eps):
            first = (day, eps.iloc[0])
            break
    assert first is not None
    day0, ep0 = first
    at_peak = _episodes(frame, RAMP_AT + RAMP.index(36))
    assert len(at_peak) == 1, "the rising days are one episode"
    peak = at_peak.iloc[0]
    assert peak["episode_id"] == ep0["episode_id"]
    # the episode counts every rising day, not just its first one
    alerted = peak["end_at"] - peak["start_at"]
    assert alerted >= pd.Timedelta(days=5)
    assert peak["count"] >= 3 * ep0["count"] + 20
    assert peak["severity"] >= ep0["severity"] + delivery.ESCALATION_STEP
    assert peak["persistence"] >= 5


def test_slow_ramp_sends_a_follow_up_once_per_new_state():
    """A receiver told of the first day hears again as the crisis grows; a day that adds
    nothing new (the tail after the peak) sends nothing."""
    frame = _frame()
    told: dict[str, delivery.Told] = {}
    sent: list[tuple[int, str]] = []
    for day in range(DAYS):
        for ep in _episodes(frame, day).itertuples():
            msg = SimpleNamespace(episode_id=ep.episode_id, kind=ep.kind,
                                  severity=int(ep.severity), count=int(ep.count))  # fmt: skip
            if ep.episode_id not in told:
                sent.append((day, "first"))
            elif delivery._escalated(told, msg):  # type: ignore[arg-type]
                sent.append((day, "follow-up"))
            else:
                continue
            prior = told.get(ep.episode_id)
            worst = max(msg.severity, prior.severity if prior else 0)
            top = max(msg.count, prior.count or 0) if prior else msg.count
            told[ep.episode_id] = delivery.Told(msg.kind, worst, top)
    assert [kind for _, kind in sent][:1] == ["first"]
    follow = [d for d, kind in sent if kind == "follow-up"]
    assert follow, sent
    assert all(d <= RAMP_AT + RAMP.index(36) for d in follow), sent  # while it grows
    assert len(follow) == len(set(follow))
    # the receiver last heard of the crisis at (at least) three times its first count: it was
    # told that it grew, not only that its first day was re-rated
    (first_told,) = [e for e in _episodes(frame, sent[0][0]).itertuples()]
    (last_told,) = told.values()
    assert last_told.count is not None
    assert last_told.count >= delivery.GROWTH_FACTOR * first_told.count, (sent, told)


def test_a_new_level_is_not_a_spike_for_ever():
    """The held baseline lasts one baseline window at most: a brand whose negatives settle
    at a new level stops alerting."""
    days = 60
    frame = _frame(ramp=[40] * 60, at=20, days=days)
    alerts = spikes.detect(frame, "day", 4.0, 10, baseline_days=BASELINE)
    last = alerts["period"].max()
    assert last <= pd.Timestamp(START) + pd.Timedelta(days=20 + 2 * BASELINE)


def test_a_window_from_since_scores_like_the_whole_series():
    """An incremental run scores from a changed day on with a longer series behind it: the
    held baselines of runs that began before that day give the same alerts."""
    frame = _frame()
    whole = spikes.detect(frame, "day", 4.0, 10, baseline_days=BASELINE)
    since = pd.Timestamp(START) + pd.Timedelta(days=RAMP_AT + 6)
    series = spikes._series_from_frame(frame, "day")
    part = spikes.detect_series(series, 4.0, 10, since=since, baseline_days=BASELINE)
    tail = whole[whole["period"] >= since].reset_index(drop=True)
    assert len(tail) >= 3
    pd.testing.assert_frame_equal(part, tail)
