"""What `brandhalo alerts --watch` prints, as a PR lead reads it (s19 W3):

* it printed a line every round even when nothing happened (1,800 lines an hour at
  ``interval_s = 2``): a quiet round prints nothing, with a heartbeat every few minutes;
* the lines were English in a zh workspace;
* they did not show deliveries waiting for an unreachable receiver, nor those resent;
* alerts sent by `alerts --watch` could not link to the dashboard (``[alerts] link``,
  ``--link``).
"""

from __future__ import annotations

import socket
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from test_walk_alerts_watch import NO_WAIT, calm_days, jsonl, put_episode
from watch_helpers import CALM, START, post

from brandhalo.alerts.delivery import DeliveryReport
from brandhalo.alerts.sinks import make_sink
from brandhalo.alerts.watch import WatchTick, watch_once
from brandhalo.cli.signals import WatchLines, alerts_watch
from brandhalo.config import Webhook
from brandhalo.errors import ConfigError, InputError
from brandhalo.workspace import Workspace, init_workspace


class Clock:
    """Seconds that a test moves on by hand (nothing here waits)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def printed(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_quiet_rounds_print_nothing_but_a_heartbeat_every_few_minutes(capsys):
    clock = Clock()
    out = WatchLines("en", "Asia/Shanghai", heartbeat=300, clock=clock)
    for _ in range(100):  # 100 rounds 2 s apart: nothing happened
        clock.now += 2
        out.tick(WatchTick(episodes=3))
    assert printed(capsys) == []
    clock.now += 200  # five minutes without a line: one line says it still runs
    out.tick(WatchTick(episodes=3))
    (beat,) = printed(capsys)
    assert "still watching: 101 quiet rounds, 3 episodes" in beat
    clock.now += 2
    out.tick(WatchTick(episodes=3))
    assert printed(capsys) == []
    out.tick(WatchTick(files=1, ingested=20, analyzed=True, episodes=4))
    (line,) = printed(capsys)
    assert "ingested 20 posts from 1 files" in line and "analyzed, 4 episodes" in line


def _workspace(root: Path, extra: str = "") -> Path:
    """A zh workspace (the template's language) with `extra` added to its config."""
    ws = init_workspace(root)
    ws.close()
    if extra:
        toml = root / "brandhalo.toml"
        toml.write_text(toml.read_text() + "\n" + extra)
    return root


def test_the_watcher_speaks_the_workspace_language_and_skips_quiet_rounds(tmp_path, capsys):
    root = _workspace(tmp_path / "ws")
    inbox = tmp_path / "inbox"
    jsonl(inbox / "a.jsonl", calm_days(2, 5))
    alerts_watch(root, interval=0.01, inbox=inbox, rounds=4)
    start, line = printed(capsys)  # the 3 rounds after the one that ingested print nothing
    assert start == (
        f"正在监视 {inbox}，每 0.01 秒一轮，0 个 webhook；无事的轮次不显示（Ctrl-C 停止）"
    )
    assert "导入 10 条帖子（1 个文件）" in line and "已分析，共 0 个事件" in line
    assert "ingested" not in line and "episodes" not in line
    jsonl(inbox / "b.jsonl", [post(f"new-{i}", START, 9, CALM[i]) for i in range(3)])
    alerts_watch(root, interval=0.01, inbox=inbox, rounds=1, lang="en")
    start, line = printed(capsys)
    assert start.startswith(f"watching {inbox} every 0.01s, 0 webhooks; quiet rounds are not")
    assert "ingested 3 posts from 1 files" in line and "导入" not in line


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_deliveries_waiting_for_an_unreachable_receiver_are_shown(tmp_ws, hook, capsys):
    port = _closed_port()
    sink = make_sink(Webhook(kind="json", url=f"http://127.0.0.1:{port}/hook"))
    out = WatchLines("zh", "Asia/Shanghai")
    watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT)  # history starts here
    put_episode(tmp_ws, "e1", kind="negative_spike", severity=8)
    out.tick(watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT, recheck=True))
    first = printed(capsys)
    assert "失败 1" in first[0] and "brandhalo alerts --failed" in first[1]
    out.tick(watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT))  # tried again: still down
    (line,) = printed(capsys)
    assert "等待 1（接收方无法连接，每轮重试）" in line
    out.tick(watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT))  # no change: a quiet round
    assert printed(capsys) == []
    server = ThreadingHTTPServer(("127.0.0.1", port), _ok_handler())  # the receiver is back
    try:
        threading.Thread(target=server.handle_request, daemon=True).start()
        tick = watch_once(tmp_ws, sinks=[sink], backoff=NO_WAIT)
    finally:
        server.server_close()
    assert tick.delivery.resent == 1
    out.tick(tick)
    (line,) = printed(capsys)
    assert "已发送 1" in line and "其中 1 条是接收方恢复后补发" in line and "等待 0" in line


def test_resent_and_waiting_read_in_english_too():
    out = WatchLines("en", "UTC")
    tick = WatchTick(delivery=DeliveryReport(sent=3, resent=1, waiting=2, dead=1))
    (line, hint) = out.round_lines(tick)
    assert "sent 3 · 1 of them resent once the receiver was reachable again" in line
    assert "failed 1 · waiting 2 (receiver unreachable, retried each round)" in line
    assert hint.strip() == "`brandhalo alerts --failed` lists the failed deliveries"


def _ok_handler():
    from http.server import BaseHTTPRequestHandler

    class Ok(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server name)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    return Ok


def test_alerts_link_to_the_dashboard_set_in_config_or_with_link(tmp_path, hook, capsys):
    root = _workspace(
        tmp_path / "ws",
        f'[alerts]\nlink = "https://bh.example.com/"\n\n'
        f'[[alerts.webhooks]]\nkind = "json"\nurl = "{hook.url}"\n',
    )
    with Workspace.open(root) as ws:
        put_episode(ws, "e1", kind="negative_spike", severity=8)
    alerts_watch(root, interval=0.01, backfill=True, rounds=1)
    (body,) = hook.received()
    assert body["link"] == "https://bh.example.com/alerts?open=e1"
    assert "预警链接到 https://bh.example.com/" in printed(capsys)[1]
    with Workspace.open(root) as ws:
        put_episode(ws, "e2", kind="negative_spike", severity=8)
    alerts_watch(root, interval=0.01, rounds=1, link="http://10.0.0.5:8000")  # --link wins
    assert hook.received()[-1]["link"] == "http://10.0.0.5:8000/alerts?open=e2"
    with pytest.raises(InputError, match=r"--link: 'bh\.example\.com' is not a dashboard"):
        alerts_watch(root, rounds=1, link="bh.example.com")


@pytest.mark.parametrize(
    ("link", "says"),
    [
        ("ftp://bh.example.com", "http(s)://host[:port][/path]"),
        ("bh.example.com", "http(s)://host[:port][/path]"),
        ("http://bh.example.com/?a=1", "?query or #fragment"),
    ],
)
def test_a_link_that_is_not_an_http_address_is_a_config_error(tmp_path, link, says):
    root = _workspace(tmp_path / "ws", f'[alerts]\nlink = "{link}"\n')
    with pytest.raises(ConfigError) as err:
        Workspace.open(root).close()
    assert "alerts.link" in str(err.value) and repr(link) in str(err.value)
    assert says in str(err.value)


def test_hourly_persistence_reads_as_hours_not_six_hour_steps(tmp_ws):
    """An episode that alerted 6 hours in a row (persistence counts periods of its grain)
    read "连续 6 × 6 小时超过阈值", i.e. 36 hours."""
    from typer.testing import CliRunner

    from brandhalo.cli import app

    with tmp_ws.store.transaction() as con:
        for episode, hours in (("six", 6), ("one", 1)):
            con.execute(
                "INSERT INTO episodes (episode_id, brand, start_at, end_at, peak_period, "
                "peak_grain, peak_z, severity, persistence, n_alerts, themes, count, expected, "
                "kind) VALUES (?, 'Xiaomi', '2025-07-02 08:00:00', '2025-07-02 14:00:00', "
                "'2025-07-02 10:00:00', 'hour', 5.0, 6, ?, ?, '[]', 40, 10.0, 'negative_spike')",
                [episode, hours, hours],
            )
    tmp_ws.close()
    root = str(tmp_ws.root)
    zh = CliRunner().invoke(app, ["alerts", "-p", root])
    en = CliRunner().invoke(app, ["alerts", "-p", root, "--lang", "en"])
    assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output
    zh_text, en_text = (" ".join(r.output.split()) for r in (zh, en))  # lines wrap at 80
    assert "连续 6 小时超过阈值" in zh_text and "· 1 小时超过阈值" in zh_text
    assert "× 6" not in zh_text and "× 6" not in en_text
    assert "6 hours over the threshold in a row" in en_text
    assert "1 hour over the threshold in a row" in en_text
