"""Incremental signals (the watcher's round) give exactly the alerts of a full run."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
from signals_data import P, insert_posts, stream

from brandhalo.analytics import signals, spikes
from brandhalo.engines import local

START = dt.date(2025, 1, 6)
SPIKE = dt.date(2025, 2, 20)
ALERT_COLS = ["alert_id", "episode_id", "grain", "brand", "theme", "period", "count", "expected",
              "mad", "z", "severity", "persistence", "kind", "posts", "base_share",
              "excess_z"]  # fmt: skip


def renamed(posts: list[P], prefix: str) -> list[P]:
    return [dataclasses.replace(p, post_id=prefix + p.post_id) for p in posts]


def stored_alerts(ws) -> pd.DataFrame:
    df = ws.store.query(f"SELECT {', '.join(ALERT_COLS)} FROM alerts ORDER BY alert_id")
    df["period"] = pd.to_datetime(df["period"]).astype("datetime64[ns]")
    return df.reset_index(drop=True)


def full_alerts(ws) -> pd.DataFrame:
    df = spikes.find_alerts(ws)[ALERT_COLS].sort_values("alert_id").reset_index(drop=True)
    return df.astype({"period": "datetime64[ns]"})


def test_incremental_round_equals_full_run(tmp_ws):
    # history: a background stream and one planted spike; a full run records the state
    insert_posts(tmp_ws, stream(START, 70, seed=3, spikes=[(SPIKE, 14, "safety", 60)]))
    local.run(tmp_ws)
    first = signals.run(tmp_ws, explain=False)
    assert "days_changed" not in first.counts and first.counts["alerts"] == 4
    # new data: the spike goes on for a second day (persistence 2 across the old/new
    # boundary), a new spike of another theme at the end, and a quiet new day after it
    late = START + dt.timedelta(days=72)
    new = renamed(
        stream(
            SPIKE + dt.timedelta(days=1),
            1,
            seed=4,
            spikes=[(SPIKE + dt.timedelta(days=1), 9, "safety", 60)],
        ),
        "b-",
    )
    new += renamed(stream(START + dt.timedelta(days=70), 4, seed=5,
                          spikes=[(late, 20, "quality", 50)]), "c-")  # fmt: skip
    insert_posts(tmp_ws, new)
    local.run(tmp_ws)
    res = signals.run(tmp_ws, incremental=True, explain=False)
    assert res.counts["days_changed"] == 5  # SPIKE + 1 and the four new days
    assert "change_points" not in res.counts  # computed by the first run minutes ago
    got, want = stored_alerts(tmp_ws), full_alerts(tmp_ws)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    day2 = got[(got["grain"] == "day") & (got["theme"] == "*")
               & (got["period"] == pd.Timestamp(SPIKE + dt.timedelta(days=1)))]  # fmt: skip
    assert day2["persistence"].tolist() == [2]
    assert set(got[got["period"].dt.date == late]["theme"]) == {"*", "quality"}
    # episodes as a full run summarizes them: the two-day spike is one episode
    eps = tmp_ws.store.query("SELECT episode_id, start_at, end_at, n_alerts FROM episodes")
    assert len(eps) == 2
    full_eps = spikes.summarize_episodes(spikes.find_alerts(tmp_ws))
    assert sorted(eps["episode_id"]) == sorted(full_eps["episode_id"])
    two_day = eps[pd.to_datetime(eps["start_at"]).dt.date == SPIKE].iloc[0]
    assert pd.Timestamp(two_day["end_at"]).date() == SPIKE + dt.timedelta(days=2)


def test_incremental_round_with_nothing_new_does_nothing(tmp_ws):
    insert_posts(tmp_ws, stream(START, 70, seed=3, spikes=[(SPIKE, 14, "safety", 60)]))
    local.run(tmp_ws)
    signals.run(tmp_ws)
    before = tmp_ws.store.query("SELECT episode_id, explanation, updated_at FROM episodes")
    res = signals.run(tmp_ws, incremental=True)
    assert res.counts == {"alerts": 4, "episodes": 1, "explained": 0, "days_changed": 0}
    after = tmp_ws.store.query("SELECT episode_id, explanation, updated_at FROM episodes")
    assert before.equals(after)


def test_change_near_the_start_of_the_data_scores_everything(tmp_ws):
    insert_posts(tmp_ws, stream(START, 70, seed=3, spikes=[(SPIKE, 14, "safety", 60)]))
    local.run(tmp_ws)
    signals.run(tmp_ws, explain=False)
    # a day inside the first 28 days feeds the baselines of the first scored days
    early = START + dt.timedelta(days=3)
    insert_posts(tmp_ws, renamed(stream(early, 1, seed=9, per_day=30), "e-"))
    local.run(tmp_ws)
    res = signals.run(tmp_ws, incremental=True, explain=False)
    assert "days_changed" not in res.counts and "change_points" in res.counts
    pd.testing.assert_frame_equal(stored_alerts(tmp_ws), full_alerts(tmp_ws), check_dtype=False)


def test_changed_spike_parameters_score_everything(tmp_ws):
    insert_posts(tmp_ws, stream(START, 70, seed=3, spikes=[(SPIKE, 14, "safety", 60)]))
    local.run(tmp_ws)
    signals.run(tmp_ws, explain=False)
    # the planted spike (60 posts) is now under the minimum count
    params = tmp_ws.config.params.model_copy(update={"spike_min_count": 70})
    tmp_ws.config = tmp_ws.config.model_copy(update={"params": params})
    insert_posts(tmp_ws, renamed(stream(START + dt.timedelta(days=70), 1, seed=2), "n-"))
    local.run(tmp_ws)
    res = signals.run(tmp_ws, incremental=True, explain=False)
    assert "days_changed" not in res.counts and res.counts["alerts"] == 0
