"""`brandhalo alerts --deliver`: one watcher round from cron (walk-through s24: the only way
to deliver alerts was a `--watch` daemon kept running for a month). It ingests the inbox,
analyzes, sends what is due once, prints a summary and exits 1 when a delivery failed."""

from __future__ import annotations

from pathlib import Path

from test_walk_alerts_watch import calm_days, jsonl, put_episode
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.workspace import Workspace, init_workspace


def _root(tmp_path: Path, url: str) -> Path:
    ws = init_workspace(tmp_path / "ws")
    ws.close()
    toml = ws.root / "brandhalo.toml"
    hooks = f'\n[alerts]\nretries = 0\n\n[[alerts.webhooks]]\nkind = "json"\nurl = "{url}"\n'
    toml.write_text(toml.read_text(encoding="utf-8") + hooks, encoding="utf-8")
    return ws.root


def _deliver(root: Path, *args: str):  # noqa: ANN202
    return CliRunner().invoke(app, ["alerts", "--deliver", "--lang", "en", "-p", str(root), *args])


def test_each_run_is_one_round_that_sends_what_is_due_once(tmp_path, hook):
    root = _root(tmp_path, hook.url)
    inbox = tmp_path / "inbox"
    with Workspace.open(root) as ws:
        put_episode(ws, "old", kind="negative_spike", severity=8)
    first = _deliver(root)
    assert first.exit_code == 0, first.output
    assert "recorded 1 existing episodes as seen" in first.output  # history, not replayed
    assert "delivered: sent 0, failed 0" in first.output and hook.received() == []
    jsonl(inbox / "a.jsonl", calm_days(2, 5))
    dropped = _deliver(root, "--inbox", str(inbox))  # the crawler's files of the day
    assert dropped.exit_code == 0, dropped.output
    assert "ingested 10 posts from 1 files · analyzed" in dropped.output
    assert (inbox / "done" / "a.jsonl").exists() and hook.received() == []
    with Workspace.open(root) as ws:
        put_episode(ws, "new", kind="negative_spike", severity=8)
    second = _deliver(root)
    assert second.exit_code == 0, second.output
    assert "delivered: sent 1, failed 0" in second.output
    assert [b["episode_id"] for b in hook.received()] == ["new"]
    third = _deliver(root)  # the next cron run: nothing new, nothing sent again
    assert third.exit_code == 0 and "delivered: sent 0, failed 0" in third.output
    assert len(hook.received()) == 1


def test_a_failed_delivery_exits_1(tmp_path, hook):
    root = _root(tmp_path, hook.url)
    assert _deliver(root).exit_code == 0  # history starts here
    with Workspace.open(root) as ws:
        put_episode(ws, "e1", kind="negative_spike", severity=8)
    hook.statuses = [500]
    got = _deliver(root)
    assert got.exit_code == 1, got.output
    assert "delivered: sent 0, failed 1" in got.output
    assert "`brandhalo alerts --failed` lists the failed deliveries" in got.output


def test_deliver_with_watch_or_interval_is_refused(tmp_path, hook):
    root = _root(tmp_path, hook.url)
    for extra, says in ((["--watch"], "--deliver runs one round and exits, --watch keeps"),
                        (["--interval", "5"], "--interval is the time between --watch rounds"),
                        (["--failed"], "--deliver runs one round and exits, --failed")):  # fmt: skip
        got = _deliver(root, *extra)
        assert isinstance(got.exception, InputError) and says in str(got.exception)


def test_no_webhook_says_there_is_nothing_to_send(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    ws.close()
    got = _deliver(ws.root)
    assert got.exit_code == 0
    assert "no webhook is configured ([[alerts.webhooks]] in brandhalo.toml)" in got.output


def test_the_summary_reads_in_chinese(tmp_path, hook):
    root = _root(tmp_path, hook.url)
    got = CliRunner().invoke(app, ["alerts", "--deliver", "-p", str(root)])  # a zh workspace
    assert got.exit_code == 0
    assert "本轮投递：已发送 0，失败 0" in got.output
