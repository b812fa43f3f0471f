"""`serve_workspace` as a real process, and the in-server watcher: POST -> analyze -> webhook."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import httpx
import pytest
from browser_harness import free_port

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")  # upstream


def test_serve_workspace_announces_a_read_token(tmp_ws):
    root = str(tmp_ws.root)
    tmp_ws.close()
    port = free_port()
    code = (
        "import sys; from brandhalo.web import serve_workspace; "
        f"serve_workspace({root!r}, port={port}, announce_token=True)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        url = next(line.split("open: ")[1].strip() for line in lines if "open: " in line)
        assert url.startswith(f"http://127.0.0.1:{port}/?token=bh_")
        token = url.split("token=")[1]
        for _ in range(100):
            try:
                who = httpx.get(  # generous: the server prepares its overview at start
                    f"http://127.0.0.1:{port}/api/whoami",
                    headers={"authorization": f"Bearer {token}"},
                    timeout=120,
                )
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert who.json()["role"] == "read"
        r = httpx.post(
            f"http://127.0.0.1:{port}/api/posts",
            json={"posts": []},
            headers={"authorization": f"Bearer {token}"},
            timeout=120,
        )
        assert r.status_code == 403  # the announced token only reads
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        proc.stdout.close()


def _burst(n: int, day: str) -> list[dict]:
    return [
        {"id": f"burst-{i}", "created_at": f"{day}T10:{i % 60:02d}:00+08:00",
         "text": f"小米SU7 刹车失灵 第{i}位车主 太危险了 垃圾 退钱 crash", "source": "weibo",
         "author_id": f"u{i}"}
        for i in range(n)
    ]  # fmt: skip


@pytest.mark.slow
def test_posted_burst_reaches_the_webhook_once(demo, hook, tmp_path):
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.serve import start_watcher

    root = tmp_path / "ws"
    shutil.copytree(demo.root, root)
    with open(root / "brandhalo.toml", "a", encoding="utf-8") as f:
        f.write(f'\n[[alerts.webhooks]]\nkind = "json"\nurl = "{hook.url}"\n')
    app = create_app(root)
    headers = {"authorization": f"Bearer {demo.admin}"}
    with TestClient(app) as client:
        start_watcher(app, interval=3600)  # only the first round and POSTs wake it
        deadline = time.monotonic() + 120
        while not app.state.bh.run(_has_start_mark) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert hook.requests == []  # the demo's history was recorded, not replayed
        resp = client.post("/api/posts", json={"posts": _burst(150, "2025-07-01")}, headers=headers)
        assert resp.status_code == 201 and resp.json()["inserted"] == 150
        while not hook.received() and time.monotonic() < deadline:
            time.sleep(0.2)
        bodies = hook.received()
        assert len(bodies) == 1, bodies
        assert bodies[0]["brand"] == "Xiaomi" and bodies[0]["start_at"].startswith("2025-07-01")
        assert any(e["post_id"].startswith("burst-") for e in bodies[0]["examples"])
        # a second wake-up with nothing new sends nothing again (wait for that round to end)
        done = app.state.watch_rounds
        app.state.watcher[2].set()
        while app.state.watch_rounds < done + 1 and time.monotonic() < deadline + 120:
            time.sleep(0.1)
        assert app.state.watch_rounds >= done + 1, "the watcher round never finished"
        assert len(hook.received()) == 1
        app.state.watcher[1].set()


def _has_start_mark(ws) -> bool:
    row = ws.store.con.execute("SELECT count(*) FROM deliveries").fetchone()
    return bool(row and row[0])
