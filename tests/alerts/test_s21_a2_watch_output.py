"""What `brandhalo alerts --watch` prints in a catch-up round and a first round (s21 A2):

* 192 hourly files dropped at once were ingested in one silent round of 144 s: a round that
  ingests many files now prints its progress (files done / total, posts so far);
* "recorded 3 existing alert deliveries" counted (episode x webhook) pairs for 2 episodes:
  it counts episodes, and says how many webhooks when there are more than one.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from test_s21_watch_live import NO_WAIT, OLD_SPIKE, START, load, stream
from test_w3_watch_lines import printed
from watch_helpers import CALM, post

from brandhalo.alerts import watch as watch_mod
from brandhalo.alerts.sinks import make_sink
from brandhalo.alerts.watch import InboxProgress, ingest_inbox, watch_once
from brandhalo.cli.signals import WatchLines, alerts_watch
from brandhalo.config import Webhook


def drop(inbox, n: int) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for f in range(n):
        rows = [post(f"f{f}-{i}", START, i, CALM[i % len(CALM)]) for i in range(3)]
        (inbox / f"drop_{f:02d}.jsonl").write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
        )


def test_a_long_ingest_reports_its_progress(tmp_ws, monkeypatch):
    monkeypatch.setattr(watch_mod, "INBOX_BATCH", 2)
    monkeypatch.setattr(watch_mod, "PROGRESS_S", 0.0)
    drop(tmp_ws.root / "inbox", 7)
    seen: list[InboxProgress] = []
    got = ingest_inbox(tmp_ws, tmp_ws.root / "inbox", seen.append)
    assert [(p.done, p.total, p.ingested) for p in seen] == [(2, 7, 6), (4, 7, 12), (6, 7, 18)]
    assert got.files == 7 and got.ingested == 21
    assert len(list((tmp_ws.root / "inbox" / "done").iterdir())) == 7


def test_progress_is_not_reported_more_often_than_every_few_seconds(tmp_ws, monkeypatch):
    monkeypatch.setattr(watch_mod, "INBOX_BATCH", 1)
    ticks = iter(range(0, 100, 2))  # each read of the clock: 2 s later
    drop(tmp_ws.root / "inbox", 6)
    seen: list[InboxProgress] = []
    ingest_inbox(tmp_ws, tmp_ws.root / "inbox", seen.append, clock=lambda: next(ticks))
    assert seen and all(b.done - a.done >= 2 for a, b in zip(seen, seen[1:], strict=False))
    assert seen[-1].done < 6  # the round's own line says the end


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "导入中：4/7 个文件，12 条帖子"), ("en", "ingesting: 4/7 files, 12 posts so far")],
)
def test_the_cli_prints_a_progress_line(tmp_ws, monkeypatch, capsys, lang, expected):
    monkeypatch.setattr(watch_mod, "INBOX_BATCH", 2)
    monkeypatch.setattr(watch_mod, "PROGRESS_S", 0.0)
    inbox = tmp_ws.root / "inbox"
    drop(inbox, 7)
    tmp_ws.close()
    alerts_watch(tmp_ws.root, inbox=inbox, rounds=1, lang=lang, interval=0)
    lines = printed(capsys)
    progress = [line for line in lines if expected in line]
    assert len(progress) == 1, lines
    assert any(("（7 个文件）" if lang == "zh" else "from 7 files") in line for line in lines)


def test_a_first_round_counts_the_episodes_it_recorded(tmp_ws, hook):
    load(tmp_ws, stream(OLD_SPIKE, OLD_SPIKE + dt.timedelta(days=7)))  # both over: not live
    episodes = tmp_ws.store.count("episodes")
    assert episodes >= 2
    sinks = [make_sink(Webhook(kind="json", url=f"{hook.url}/{n}")) for n in ("a", "b")]
    tick = watch_once(tmp_ws, sinks=sinks, backoff=NO_WAIT, recheck=True)
    assert hook.received() == []
    for lang, words in (
        ("zh", f"已将 {episodes} 个现有事件记为已处理（2 个 webhook），未发送"),
        ("en", f"recorded {episodes} existing episodes as seen for 2 webhooks"),
    ):
        lines = WatchLines(lang, tmp_ws.timezone).round_lines(tick)
        assert any(words in line for line in lines), lines
    d = tick.delivery
    assert d.baseline == 2 * episodes and d.baseline_sinks == 2
    assert sorted(d.baseline_episodes) == sorted(
        r[0] for r in tmp_ws.store.con.execute("SELECT episode_id FROM episodes").fetchall()
    )
    one = watch_once(tmp_ws, sinks=[make_sink(Webhook(kind="json", url=f"{hook.url}/c"))],
                     backoff=NO_WAIT, recheck=True)  # fmt: skip
    (_, note) = WatchLines("en", tmp_ws.timezone).round_lines(one)
    assert f"recorded {episodes} existing episodes as seen without" in note
