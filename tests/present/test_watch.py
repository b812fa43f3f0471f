"""The watcher: new episodes go out once; history is not replayed; the store stays right."""

from __future__ import annotations

import datetime as dt
import json
import threading

from brandhalo.alerts.delivery import Backoff
from brandhalo.alerts.sinks import make_sink
from brandhalo.alerts.watch import watch, watch_once
from brandhalo.config import Webhook

NO_WAIT = Backoff(retries=2, base_s=0.0)


def add_episode(ws, episode_id: str, start: str, severity: int = 6) -> None:
    """An episode row as the detector writes it (migration 0003's contract)."""
    from brandhalo.analytics.explain import Explanation, PostRef, Term, ThemeShare

    day = dt.date.fromisoformat(start[:10])
    explanation = Explanation(
        brand="Xiaomi",
        start=day,
        end=day,
        observed=120,
        expected=14.0,
        themes=[ThemeShare(theme="safety", observed=90, expected=8.0, excess=82.0, share=0.62)],
        terms=[Term(term="刹车", z=5.1, window_count=40, baseline_count=2)],
        examples=[
            PostRef(post_id="p1", text="SU7 刹车 <b>失灵</b>", url="javascript:x()", engagement=42)
        ],
    ).model_dump_json()
    with ws.store.transaction() as con:
        con.execute(
            "INSERT INTO episodes (episode_id, brand, start_at, end_at, peak_period, peak_grain, "
            "peak_z, severity, persistence, n_alerts, themes, count, expected, explanation) "
            "VALUES (?, 'Xiaomi', ?, ?, ?, 'hour', 7.5, ?, 2, 2, ?, 120, 14.0, ?)",
            [
                episode_id,
                start,
                start,
                start,
                severity,
                json.dumps(["safety"]),
                explanation,
            ],
        )


def test_first_tick_records_history_then_sends_only_new_episodes(tmp_ws, hook):
    sink = make_sink(Webhook(kind="json", url=hook.url))
    add_episode(tmp_ws, "old", "2025-03-01 10:00:00")
    first = watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT)
    assert first.delivery.sent == 0 and hook.requests == []
    add_episode(tmp_ws, "new", "2025-03-29 22:00:00")
    second = watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT)
    third = watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT)
    assert second.delivery.sent_episodes == ["new"] and third.delivery.sent == 0
    (body,) = hook.received()
    assert body["episode_id"] == "new" and body["themes"] == ["safety"]
    assert body["terms"] == ["刹车"] and body["count"] == 120
    assert body["examples"][0]["text"] == "SU7 刹车 <b>失灵</b>"
    assert "62%" in body["summary"]


def test_backfill_sends_history(tmp_ws, hook):
    sink = make_sink(Webhook(kind="slack", url=hook.url))
    add_episode(tmp_ws, "a", "2025-03-01 10:00:00")
    add_episode(tmp_ws, "b", "2025-03-02 10:00:00")
    tick = watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT, backfill=True)
    assert tick.delivery.sent_episodes == ["a", "b"]  # oldest first
    # in the workspace's language (zh), the theme by its display name (safety: 安全)
    assert all(b["text"].startswith("[6/10] 负面激增: Xiaomi / 安全") for b in hook.received())


def test_watch_loop_stops_and_wakes(tmp_ws, hook):
    sink = make_sink(Webhook(url=hook.url))
    stop, wake = threading.Event(), threading.Event()
    ticks: list[int] = []

    def on_tick(tick) -> None:
        ticks.append(tick.delivery.sent)
        if len(ticks) == 1:
            add_episode(tmp_ws, "later", "2025-04-01 09:00:00")
            wake.set()  # what the API does after an ingest
        elif len(ticks) == 2:
            stop.set()

    n = watch(
        tmp_ws, interval=30, sinks=[sink], backoff=NO_WAIT, stop=stop, wake=wake, on_tick=on_tick
    )
    assert n == 2 and ticks == [0, 1]
