"""The watcher's incremental round on real posts: a spike that arrives as files is sent
once, its growth is not sent again, a later spike is sent, and the stored alerts equal a
full detection run."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pandas as pd
import pytest
from watch_helpers import ANGRY, CALM, START, post

from brandhalo import pipeline
from brandhalo.alerts.delivery import Backoff
from brandhalo.alerts.sinks import make_sink
from brandhalo.alerts.watch import watch_once
from brandhalo.analytics import spikes
from brandhalo.config import Webhook


def drop(inbox: Path, name: str, rows: list[dict]) -> None:
    inbox.mkdir(exist_ok=True)
    (inbox / name).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))


def state(ws) -> dict[str, str]:
    return dict(ws.store.con.execute("SELECT key, value FROM signals_state").fetchall())


def burst(tag: str, day: dt.date, n: int) -> list[dict]:
    return [post(f"{tag}-{i}", day, 10, ANGRY.format(i=f"{tag}{i}")) for i in range(n)]


def test_incremental_rounds_send_each_episode_once(tmp_ws, hook):
    rng = random.Random(3)
    history = [
        post(f"h-{d}-{i}", START + dt.timedelta(days=d), rng.randrange(24), rng.choice(CALM))
        for d in range(40)
        for i in range(25)
    ]
    inbox = tmp_ws.root / "inbox"
    drop(inbox, "history.jsonl", history)
    sink = make_sink(Webhook(kind="json", url=hook.url))
    no_wait = Backoff(retries=1, base_s=0.0)
    first = watch_once(tmp_ws, inbox=inbox, sinks=[sink], backoff=no_wait)
    assert first.ingested == 1000 and first.analyzed and hook.received() == []
    cp_stamp = state(tmp_ws)["change_points_at"]  # the first round was a full run
    spike_day = START + dt.timedelta(days=40)
    drop(inbox, "b1.jsonl", burst("b1", spike_day, 60))
    second = watch_once(tmp_ws, inbox=inbox, sinks=[sink], backoff=no_wait)
    assert second.delivery.sent == 1
    (body,) = hook.received()
    assert body["start_at"].startswith(spike_day.isoformat()) and body["brand"] == "Xiaomi"
    # more posts of the same spike: the episode grows (same id), it is not sent again
    drop(inbox, "b1-more.jsonl", burst("b1m", spike_day, 40))
    third = watch_once(tmp_ws, inbox=inbox, sinks=[sink], backoff=no_wait)
    assert third.analyzed and third.delivery.sent == 0 and len(hook.received()) == 1
    count = tmp_ws.store.con.execute(
        "SELECT count FROM episodes WHERE episode_id = ?", [body["episode_id"]]
    ).fetchall()
    assert count[0][0] > body["count"]
    # a new spike four days later is a new episode, sent once
    later = spike_day + dt.timedelta(days=4)
    calm_days = [post(f"c-{d}-{i}", spike_day + dt.timedelta(days=d), 12, rng.choice(CALM))
                 for d in range(1, 5) for i in range(25)]  # fmt: skip
    drop(inbox, "b2.jsonl", calm_days + burst("b2", later, 60))
    fourth = watch_once(tmp_ws, inbox=inbox, sinks=[sink], backoff=no_wait)
    fifth = watch_once(tmp_ws, inbox=inbox, sinks=[sink], backoff=no_wait)
    assert fourth.delivery.sent == 1 and fifth.delivery.sent == 0 and not fifth.analyzed
    assert [b["start_at"][:10] for b in hook.received()] == [
        spike_day.isoformat(),
        later.isoformat(),
    ]
    assert len({b["episode_id"] for b in hook.received()}) == 2
    # later rounds were incremental: change points were left for the slower cadence
    assert state(tmp_ws)["change_points_at"] == cp_stamp
    # the incremental rounds stored what a full detection finds
    stored = tmp_ws.store.query("SELECT alert_id, persistence, z FROM alerts ORDER BY alert_id")
    full = spikes.find_alerts(tmp_ws).sort_values("alert_id")
    assert stored["alert_id"].tolist() == full["alert_id"].tolist()
    assert stored["persistence"].tolist() == full["persistence"].tolist()
    assert stored["z"].tolist() == pytest.approx(full["z"].tolist())
    # and a full analyze afterwards changes nothing that was sent
    pipeline.analyze(tmp_ws)
    ids = set(tmp_ws.store.query("SELECT episode_id FROM episodes")["episode_id"])
    assert {b["episode_id"] for b in hook.received()} <= ids
    assert pd.notna(tmp_ws.store.query("SELECT explanation FROM episodes")["explanation"]).all()
