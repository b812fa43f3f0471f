"""What a PR lead's watcher must survive (found walking `brandhalo alerts --watch`): a bad
file in the inbox, a round stopped between two stages, an episode that grows from noise into a
crisis (or from a launch-day buzz into a negative spike) after it was sent, and a title that
names "no theme" as if it were one."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from watch_helpers import ANGRY, CALM, START, post

from brandhalo import pipeline
from brandhalo.alerts.delivery import Backoff
from brandhalo.alerts.sinks import make_sink
from brandhalo.alerts.watch import to_message, watch_once
from brandhalo.config import Webhook
from brandhalo.report.model import AlertView

NO_WAIT = Backoff(retries=1, base_s=0.0)


def jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))


def calm_days(days: int, per_day: int = 25) -> list[dict]:
    rng = random.Random(3)
    return [
        post(f"h-{d}-{i}", START + dt.timedelta(days=d), rng.randrange(24), rng.choice(CALM))
        for d in range(days)
        for i in range(per_day)
    ]


def burst(day: dt.date, n: int) -> list[dict]:
    return [post(f"b-{i}", day, 10, ANGRY.format(i=i)) for i in range(n)]


def test_a_bad_inbox_file_is_set_aside_and_the_others_are_loaded(tmp_ws, hook):
    inbox = tmp_ws.root / "inbox"
    jsonl(inbox / "a.jsonl", calm_days(2, 5))
    (inbox / "b.csv").write_text('id,text\n1,"no created_at column"\n')
    (inbox / "c.parquet").write_bytes(b"\x00\x01 not parquet")
    jsonl(inbox / "d.jsonl", [post("late-1", START, 9, CALM[0])])
    sink = make_sink(Webhook(kind="json", url=hook.url))
    tick = watch_once(tmp_ws, inbox=inbox, sinks=[sink], backoff=NO_WAIT)
    assert tick.ingested == 11 and tick.files == 4
    assert tick.failed_files == ["b.csv", "c.parquet"]
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["a.jsonl", "d.jsonl"]
    failed = inbox / "failed"
    assert "created_at" in (failed / "b.csv.error.txt").read_text()
    assert "parquet" in (failed / "c.parquet.error.txt").read_text()
    assert (failed / "b.csv").exists() and not list(inbox.glob("*.*"))
    # a later drop of the same name does not replace the earlier one in done/
    jsonl(inbox / "a.jsonl", [post("late-2", START, 11, CALM[1])])
    again = watch_once(tmp_ws, inbox=inbox, sinks=[sink], backoff=NO_WAIT)
    assert again.ingested == 1 and again.failed_files == []
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["a.1.jsonl", "a.jsonl", "d.jsonl"]


def test_a_round_stopped_after_enrichment_is_finished_by_the_next(tmp_ws, hook):
    """Ctrl-C between enrich and aggregate leaves no unenriched posts: the watcher must still
    aggregate and score them, or the spike they hold is never alerted."""
    inbox = tmp_ws.root / "inbox"
    sink = make_sink(Webhook(kind="json", url=hook.url))
    jsonl(inbox / "history.jsonl", calm_days(40))
    watch_once(tmp_ws, inbox=inbox, sinks=[sink], backoff=NO_WAIT)
    spike_day = START + dt.timedelta(days=40)
    jsonl(inbox / "burst.jsonl", burst(spike_day, 60))
    from brandhalo.alerts.watch import ingest_inbox

    ingest_inbox(tmp_ws, inbox)
    enrich = pipeline.ANALYZE_STAGES["local"][0]
    pipeline.run_stages(tmp_ws, [enrich], workers=1)  # then the round was stopped
    tick = watch_once(tmp_ws, inbox=inbox, sinks=[sink], backoff=NO_WAIT)
    assert tick.analyzed and tick.delivery.sent == 1
    (body,) = hook.received()
    assert body["start_at"].startswith(spike_day.isoformat())
    assert not watch_once(tmp_ws, inbox=inbox, sinks=[sink], backoff=NO_WAIT).analyzed


def put_episode(ws, episode_id: str, *, kind: str, severity: int) -> None:
    """An episode row as the detector writes it (insert, or update in place as it grows)."""
    with ws.store.transaction() as con:
        con.execute("DELETE FROM episodes WHERE episode_id = ?", [episode_id])
        con.execute(
            "INSERT INTO episodes (episode_id, brand, start_at, end_at, peak_period, peak_grain, "
            "peak_z, severity, persistence, n_alerts, themes, count, expected, kind) "
            "VALUES (?, 'Xiaomi', '2025-07-02 00:00:00', '2025-07-03 00:00:00', "
            "'2025-07-02 00:00:00', 'day', 5.0, ?, 1, 1, '[]', 40, 10.0, ?)",
            [episode_id, severity, kind],
        )


def test_an_episode_that_becomes_a_crisis_after_it_was_sent_is_sent_again_once(tmp_ws, hook):
    sink = make_sink(Webhook(kind="json", url=hook.url))
    watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT)  # history starts here
    put_episode(tmp_ws, "launch", kind="buzz", severity=9)
    put_episode(tmp_ws, "noise", kind="negative_spike", severity=3)
    assert watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT, recheck=True).delivery.sent == 2
    # the launch-day buzz turns negative; the 3/10 blip grows into a 10/10 crisis
    put_episode(tmp_ws, "launch", kind="negative_spike", severity=9)
    put_episode(tmp_ws, "noise", kind="negative_spike", severity=10)
    tick = watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT, recheck=True)
    assert tick.delivery.sent == 2 and tick.delivery.updates == 2
    first, updates = hook.received()[:2], hook.received()[2:]
    assert [b["previous_severity"] for b in first] == [None, None]
    by_id = {b["episode_id"]: b for b in updates}
    assert by_id["launch"]["kind"] == "negative_spike"
    assert by_id["launch"]["previous_kind"] == "buzz"
    assert by_id["noise"]["severity"] == 10 and by_id["noise"]["previous_severity"] == 3
    assert by_id["noise"]["title"].startswith("升级: 负面激增: Xiaomi")  # the workspace is zh
    # nothing more: not on the next round, not after a small rise, not after a restart
    put_episode(tmp_ws, "launch", kind="negative_spike", severity=10)
    assert watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT, recheck=True).delivery.sent == 0
    assert len(hook.received()) == 4
    # one delivery row per episode for the sink itself (what `handled` and the docs count)
    rows = tmp_ws.store.con.execute(
        "SELECT episode_id FROM deliveries WHERE sink = ? ORDER BY 1", [sink.key]
    ).fetchall()
    assert rows == [("(start)",), ("launch",), ("noise",)]


def test_a_slack_follow_up_says_what_it_was_before(tmp_ws, hook):
    sink = make_sink(Webhook(kind="slack", url=hook.url))
    watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT)
    put_episode(tmp_ws, "e", kind="buzz", severity=6)
    watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT, recheck=True)
    put_episode(tmp_ws, "e", kind="negative_spike", severity=6)
    watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT, recheck=True)
    before, after = (b["text"] for b in hook.received())
    assert before.startswith("[6/10] 声量激增: Xiaomi")
    assert after.startswith("[6/10] 升级: 负面激增: Xiaomi") and "此前：声量激增 6/10" in after


def test_first_round_counts_the_episodes_it_records_without_sending(tmp_ws, hook):
    put_episode(tmp_ws, "old", kind="negative_spike", severity=5)
    sink = make_sink(Webhook(kind="json", url=hook.url))
    tick = watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT)
    assert tick.delivery.baseline == 1 and tick.delivery.sent == 0 and hook.requests == []


def test_the_title_does_not_name_no_theme_as_a_theme():
    view = AlertView(
        episode_id="e", brand="Tesla", severity=9, kind="buzz",
        start_at="2025-01-10T00:00:00+08:00", themes=["(none)", "quality"], summary="s",
    )  # fmt: skip
    msg = to_message(view, lang="en", name={"(none)": "no theme", "quality": "Quality"}.get)
    assert msg.title == "Buzz: Tesla / Quality (2025-01-10 00:00 +08:00)"
    assert msg.themes == ["(none)", "quality"] and msg.theme_names == ["no theme", "Quality"]
    only = to_message(view.model_copy(update={"themes": ["(none)"]}), lang="en", name=str)
    assert only.title.startswith("Buzz: Tesla (")
