"""An alert episode's explanation stays in step with the episode (found walking `brandhalo
alerts` after a watcher round): it is redone when the episode grows or its days' data change,
and a stale one left by an earlier run is redone too; its example posts come from the spike's
own hours; its persistence is counted in the unit the alert shows."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
from signals_data import P, insert_posts, stream

from brandhalo.analytics import signals, spikes
from brandhalo.analytics.episodes import list_alerts
from brandhalo.engines import local

START = dt.date(2025, 1, 6)
SPIKE = dt.date(2025, 2, 20)


def _history(ws, spike_hour: int = 14, size: int = 60) -> None:
    insert_posts(ws, stream(START, 70, seed=3, spikes=[(SPIKE, spike_hour, "safety", size)]))
    local.run(ws)
    signals.run(ws)


def _observed_vs_count(ws) -> tuple[int, int]:
    (alert,) = list_alerts(ws, since=SPIKE)
    assert alert.explanation is not None and alert.count is not None
    return alert.explanation.observed, int(alert.count)


def _late_negatives(n: int) -> list[P]:
    """`n` more negative posts of the spike day, one an hour away from the spike's hour: the
    day's count grows, the spike hour's z (the episode's peak) does not."""
    hours = [h for h in range(24) if h != 14]
    return [
        P(f"late-{i}", SPIKE, -1, hour=hours[i % len(hours)], text=f"late complaint {i}")
        for i in range(n)
    ]


def test_an_episode_that_grows_in_a_later_round_is_explained_again(tmp_ws):
    _history(tmp_ws)
    before_z = float(tmp_ws.store.query("SELECT peak_z FROM episodes")["peak_z"][0])
    observed, count = _observed_vs_count(tmp_ws)
    assert observed == count
    # a later watcher round brings more negative posts of the same day
    insert_posts(tmp_ws, _late_negatives(20))
    local.run(tmp_ws)
    res = signals.run(tmp_ws, incremental=True)
    row = tmp_ws.store.query("SELECT count, peak_z FROM episodes")
    assert float(row["peak_z"][0]) == before_z  # what the old check looked at did not move
    assert int(row["count"][0]) == count + 20
    assert res.counts["explained"] == 1
    assert _observed_vs_count(tmp_ws) == (count + 20, count + 20)
    # a full run afterwards keeps it (nothing changed since)
    assert signals.run(tmp_ws).counts["explained"] == 0


def test_a_stale_explanation_left_by_an_earlier_run_is_redone(tmp_ws):
    """Stores explained before the fix hold explanations that count fewer posts than the
    aggregates now do, with episode rows already updated: the next run must redo them."""
    _history(tmp_ws)
    observed, count = _observed_vs_count(tmp_ws)
    with tmp_ws.store.transaction() as con:
        con.execute(
            "UPDATE episodes SET explanation = replace(explanation, ?, ?)",
            [f'"observed":{observed},', f'"observed":{observed - 49},'],
        )
    assert _observed_vs_count(tmp_ws) == (observed - 49, count)
    assert signals.run(tmp_ws).counts["explained"] == 1
    assert _observed_vs_count(tmp_ws) == (count, count)
    assert signals.run(tmp_ws).counts["explained"] == 0


def test_examples_of_a_spike_come_from_its_alerted_hours(tmp_ws):
    """The burst's posts have no likes; two liked complaints of the same morning (one about
    something else) must not be shown as the 16:00 spike's examples."""
    base = stream(START, 70, seed=3, spikes=[(SPIKE, 16, "safety", 60)])
    burst = [dataclasses.replace(p, engagement=0) if "-s0-" in p.post_id else p for p in base]
    morning = [
        P("m-0809", SPIKE, -1, hour=8, engagement=900, text="快递 又 晚 了 三天"),
        P("m-1154", SPIKE, -1, hour=11, engagement=700, text="客服 电话 打 不通"),
    ]
    insert_posts(tmp_ws, burst + morning)
    local.run(tmp_ws)
    signals.run(tmp_ws)
    (alert,) = list_alerts(tmp_ws, since=SPIKE)
    assert alert.peak_grain == "hour" and alert.peak_period.hour == 16
    expl = alert.explanation
    assert expl is not None and len(expl.examples) == 5
    assert all(p.post_id.startswith("Xiaomi-s0-") for p in expl.examples), expl.examples
    hours = {pd.Timestamp(p.created_at).tz_localize(None).hour for p in expl.examples}
    assert hours == {16 - 8}  # stored in UTC: 16:00 local (+08:00)


def test_examples_put_the_alerted_periods_first_and_never_news():
    from brandhalo.analytics.explain import example_posts

    win = pd.DataFrame(
        {
            "post_id": ["a", "b", "c", "d"],
            "origin": ["organic", "organic", "news", "organic"],
            "trusted": [True, False, False, True],
            "eng": [50, 0, 900, 0],
            "in_peak": [False, True, True, True],
        }
    )
    order = example_posts(win, "negative_spike")["post_id"].tolist()
    assert order == ["d", "b", "a"]  # the spike's trusted, then its other, then the rest
    # without alerted periods (an ad-hoc window): trusted first, by engagement, as before
    assert example_posts(win.drop(columns="in_peak"), "buzz")["post_id"].tolist() == [
        "a", "d", "b"
    ]  # fmt: skip
    camp = win.assign(origin=["organic", "campaign", "official", "organic"])
    assert example_posts(camp, "campaign")["post_id"].tolist() == ["c", "b", "d", "a"]


def _alerts(rows: list[tuple[str, str, int, float, int]]) -> pd.DataFrame:
    """Alerts of one brand (grain, period, count, z, persistence), with their ids."""
    df = pd.DataFrame(rows, columns=["grain", "period", "count", "z", "persistence"])
    df = df.assign(brand="Xiaomi", theme="*", period=pd.to_datetime(df["period"]),
                   expected=2.0, mad=1.0, severity=5, kind=spikes.NEGATIVE_SPIKE, posts=100,
                   base_share=0.2, excess_z=6.0)  # fmt: skip
    return spikes.with_ids(df)


def test_persistence_is_counted_in_the_unit_of_the_peak():
    """Five alerted days in a row and one alerted hour (the peak): "5 hours in a row" was
    shown; the hour ran 1 hour."""
    days = [("day", f"2025-02-{16 + d} 00:00", 30, 5.0, d + 1) for d in range(5)]
    eps = spikes.summarize_episodes(_alerts([*days, ("hour", "2025-02-20 16:00", 25, 9.0, 1)]))
    (ep,) = eps.to_dict(orient="records")
    assert ep["peak_grain"] == "hour" and ep["persistence"] == 1
    # a day-peaked episode keeps its days in a row
    (ep,) = spikes.summarize_episodes(_alerts(days)).to_dict(orient="records")
    assert ep["peak_grain"] == "day" and ep["persistence"] == 5
    # eight alerted hours in a row under a one-day alert: 8 (hours)
    hours = [("hour", f"2025-02-20 {10 + h}:00", 15, 6.0 + h / 10, h + 1) for h in range(8)]
    eps = spikes.summarize_episodes(_alerts([("day", "2025-02-20 00:00", 60, 5.0, 1), *hours]))
    assert eps["persistence"].tolist() == [8] and eps["peak_grain"].tolist() == ["hour"]


def test_markers_are_no_deciding_phrase_of_a_trusted_example() -> None:
    """A frame or product-column marker (``~news:``, ``~hint:product:``) decides nothing: a
    post whose phrases are split evenly is no strong example because it carries one."""
    import json

    from brandhalo.analytics.explain import _strong

    split = ["+好", "-差"]
    assert not _strong(json.dumps(split), 1)
    assert not _strong(json.dumps([*split, "~hint:product:iPhone 4S"]), 1)
    assert not _strong(json.dumps([*split, "~news:据36氪报道"]), -1)
    assert _strong(json.dumps(["-刹车失灵", "~hint:brand:Apple"]), -1)
    assert _strong(json.dumps(["model:negative:0.93"]), -1)  # a model's evidence still counts
