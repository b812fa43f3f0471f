"""A crisis that keeps growing after its first message is heard of again (s21 A2, issue 14).

A PR lead's watcher sent a 10/10 crisis at its first hour ("18 negative posts"); by the next
evening the episode held 374 and nothing more was sent: a follow-up needed a higher
severity, and there is none above 10. Now a follow-up goes out when the episode's count has
grown x3 (and by 20+ posts) over what the receiver was last told, once per step, with the
count it was told (JSON ``previous_count``, chat "was N posts"). State rows written before
counts were recorded still parse and send nothing new.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from test_s21_watch_live import NO_WAIT, YESTERDAY, load, stream
from watch_helpers import ANGRY, post

from brandhalo.alerts.delivery import deliver, parse_told, told_key
from brandhalo.alerts.sinks import AlertMessage, make_sink
from brandhalo.alerts.watch import watch_once
from brandhalo.config import Webhook
from brandhalo.store import deliveries


def message(count: int | None, severity: int = 10, lang: str = "en") -> AlertMessage:
    return AlertMessage(
        episode_id="ep1", brand="星曜", severity=severity, title="Negative spike: 星曜",
        summary=f"{count} negative posts", start_at="2026-12-01T00:00:00+08:00",
        count=count, lang=lang,
    )  # fmt: skip


def test_a_growing_crisis_gets_one_follow_up_per_step(tmp_ws, hook):
    sink = make_sink(Webhook(kind="json", url=hook.url))
    sent = [deliver(tmp_ws, [message(n)], [sink], backoff=NO_WAIT).sent
            for n in (18, 40, 54, 100, 161, 374, 500)]  # fmt: skip
    # 18 first; x3 -> 54 (not 40); x3 over 54 -> 162: 374 (not 100 nor 161); 500 < 3 x 374
    assert sent == [1, 0, 1, 0, 0, 1, 0]
    bodies = hook.received()
    assert [b["count"] for b in bodies] == [18, 54, 374]
    assert [b["previous_count"] for b in bodies] == [None, 18, 54]
    assert [b["title"].split(":")[0] for b in bodies] == ["Negative spike", "Growing", "Growing"]
    assert bodies[1]["previous_severity"] == 10 and bodies[1]["previous_kind"] == "negative_spike"


def test_a_few_posts_more_is_not_news(tmp_ws, hook):
    sink = make_sink(Webhook(kind="json", url=hook.url))
    for n in (2, 6, 18):  # x3 and x9, but 4 and 16 posts more: not worth a message
        deliver(tmp_ws, [message(n, severity=9)], [sink], backoff=NO_WAIT)
    assert [b["count"] for b in hook.received()] == [2]
    deliver(tmp_ws, [message(22, severity=9)], [sink], backoff=NO_WAIT)  # 2 -> 22: 20 more
    assert [b["previous_count"] for b in hook.received()] == [None, 2]


def test_chat_text_says_what_the_count_was(tmp_ws, hook):
    sink = make_sink(Webhook(kind="slack", url=hook.url))
    deliver(tmp_ws, [message(18, lang="zh")], [sink], backoff=NO_WAIT)
    deliver(tmp_ws, [message(374, lang="zh")], [sink], backoff=NO_WAIT)
    first, update = (b["text"] for b in hook.received())
    assert "此前" not in first
    assert update.startswith("[10/10] 扩大: ") and "此前：负面激增 10/10，当时 18 条帖子" in update
    assert message(374).as_update("negative_spike", 10, 1800).text().count("was 1,800 posts") == 1


def test_state_rows_without_a_count_parse_and_send_no_flood(tmp_ws, hook):
    sink = make_sink(Webhook(kind="json", url=hook.url))
    now = dt.datetime(2026, 12, 1)
    with tmp_ws.store.transaction() as con:  # rows as an earlier version wrote them
        for episode in ("ep1", "ep2"):
            deliveries.record(con, episode, sink.key, "sent", 1, now)
            deliveries.record(con, episode, f"{sink.key}@negative_spike/10", "skipped", 0, now)
    assert parse_told(f"{sink.key}@negative_spike/10") == ("negative_spike", 10, None)
    big = [message(5000), message(5000).model_copy(update={"episode_id": "ep2"})]
    for _ in range(2):
        assert deliver(tmp_ws, big, [sink], backoff=NO_WAIT).sent == 0
    assert hook.received() == []
    # a follow-up sent for another reason (here: it turned into a negative spike) records
    # its count, and growth over that count is followed up from then on
    with tmp_ws.store.transaction() as con:
        deliveries.record(con, "ep3", sink.key, "sent", 1, now)
        deliveries.record(con, "ep3", f"{sink.key}@buzz/6", "skipped", 0, now)
    ep3 = message(40).model_copy(update={"episode_id": "ep3"})
    assert deliver(tmp_ws, [ep3], [sink], backoff=NO_WAIT).sent == 1
    assert told_key(sink, ep3).endswith("@negative_spike/10/40")
    assert deliver(tmp_ws, [ep3.model_copy(update={"count": 120})], [sink]).sent == 1
    assert [b.get("previous_count") for b in hook.received()] == [None, 40]


def test_the_watcher_follows_up_a_crisis_that_grew(tmp_ws, hook):
    """End to end: analyzed posts, a live crisis, more of it the next hours, a real receiver."""
    rows = stream()
    rows += [post(f"c1-{i}", YESTERDAY, 10, ANGRY.format(i=f"a{i}")) for i in range(30)]
    load(tmp_ws, rows)
    sink = make_sink(Webhook(kind="json", url=hook.url))
    first = watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT, recheck=True)
    (told,) = hook.received()
    assert first.delivery.sent == 1 and told["severity"] >= 8 and told["count"] >= 30
    # the crisis grows x5 over the next hours of the same day: one follow-up
    more = [post(f"c2-{i}", YESTERDAY, 11 + i % 8, ANGRY.format(i=f"b{i}")) for i in range(150)]
    path = tmp_ws.root / "more.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in more))
    from brandhalo.ingest import ingest_files

    ingest_files(tmp_ws, "posts", [Path(path)])
    grew = watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT)
    assert grew.analyzed and grew.delivery.sent == 1 and grew.delivery.updates == 1
    update = hook.received()[1]
    assert update["episode_id"] == told["episode_id"]
    assert update["previous_count"] == told["count"] and update["count"] >= 3 * told["count"]
    again = watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT, recheck=True)
    assert again.delivery.sent == 0 and len(hook.received()) == 2
