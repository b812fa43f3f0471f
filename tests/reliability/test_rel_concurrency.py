"""Concurrent use of one workspace: serve, alerts --watch, ingest and analyze at the same time.

All real processes of the `brandhalo` command on one workspace. Every command must finish
(none fails with DuckDB's raw lock error), every write must be in the store afterwards, and
the server must keep answering (its requests wait their turn).
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from rel_helpers import cli, cli_env, free_port, run_cli, wait_health, write_posts_csv

from brandhalo.errors import StoreBusyError
from brandhalo.store import Store
from brandhalo.store import lock as store_lock

RAW_LOCK = "Could not set lock"


def _start(args: list[str], log: Path, **env: str) -> subprocess.Popen[str]:
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, text=True, env=cli_env(**env)
        )


class Client(threading.Thread):
    """Reads and writes through the API until stopped; records every status.

    Progress is counted in rounds (three reads and one write) so a test waits for a number
    of rounds, never for a number of requests within some seconds.
    """

    def __init__(self, url: str, token: str):
        super().__init__(daemon=True)
        self.url, self.headers = url, {"authorization": f"Bearer {token}"}
        self.stop = threading.Event()
        self.statuses: list[tuple[str, int, str]] = []
        self.posted: list[str] = []
        self.rounds = 0
        self._progress = threading.Condition()

    def wait_rounds(self, n: int, timeout_s: float = 300) -> bool:
        """Wait until `n` rounds are complete (False only if the client hangs that long)."""
        with self._progress:
            return self._progress.wait_for(lambda: self.rounds >= n or not self.is_alive(),
                                           timeout=timeout_s) and self.rounds >= n

    def run(self) -> None:
        i = 0
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=300) as c:
            while not self.stop.is_set():
                for path in ("/api/whoami", "/api/posts?q=刹车&page_size=5", "/api/alerts"):
                    r = c.get(path)
                    self.statuses.append((path, r.status_code, r.text[:300]))
                ids = [f"api-{i}-{k}" for k in range(5)]
                body = {
                    "posts": [
                        {"id": pid, "text": f"小米 SU7 API 帖子 {pid}", "created_at": "2025-03-02"}
                        for pid in ids
                    ]
                }
                r = c.post("/api/posts", json=body)
                self.statuses.append(("POST /api/posts", r.status_code, r.text[:300]))
                if r.status_code == 201:
                    self.posted += ids
                i += 1
                with self._progress:
                    self.rounds += 1
                    self._progress.notify_all()
                self.stop.wait(0.5)


def _post_ids(ws: Path, prefix: str) -> set[str]:
    with Store(ws / "brandhalo.duckdb", read_only=True) as st:
        rows = st.con.execute(
            "SELECT post_id FROM posts WHERE post_id LIKE ?", [prefix + "%"]
        ).fetchall()
    return {r[0] for r in rows}


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_serve_watch_ingest_analyze_at_once(ws_dir: Path, tmp_path: Path, procs: list) -> None:
    made = run_cli("token", "create", "--role", "admin", "--json", "-p", str(ws_dir))
    assert made.returncode == 0, made.stderr
    token = json.loads(made.stdout)["token"]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    logs = {k: tmp_path / f"{k}.log" for k in ("serve", "watch", "ingest", "analyze")}
    server = _start(cli("serve", "-p", str(ws_dir), "--port", str(port)), logs["serve"])
    procs.append(server)
    wait_health(url, server, timeout_s=90, log=logs["serve"])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    watcher = _start(
        cli("alerts", "--watch", "--interval", "1", "--inbox", str(inbox), "-p", str(ws_dir)),
        logs["watch"],
    )
    procs.append(watcher)
    client = Client(url, token)
    client.start()
    assert client.wait_rounds(1), "the API client never completed a round"
    write_posts_csv(tmp_path / "drop.csv", 0, 150, prefix="inbox")
    (tmp_path / "drop.csv").replace(inbox / "drop.csv")
    batch = write_posts_csv(tmp_path / "batch.csv", 0, 400, prefix="cli")
    ingest = _start(cli("ingest", "posts", str(batch), "-p", str(ws_dir)), logs["ingest"])
    analyze = _start(cli("analyze", "-p", str(ws_dir)), logs["analyze"])
    procs += [ingest, analyze]
    assert ingest.wait(timeout=300) == 0, logs["ingest"].read_text()
    assert analyze.wait(timeout=300) == 0, logs["analyze"].read_text()
    deadline = time.monotonic() + 300  # a hang guard, not a speed requirement
    while not (inbox / "done" / "drop.csv").exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    # Two more full rounds after every writer is done: the server still reads and writes.
    assert client.wait_rounds(client.rounds + 2), "the API client stopped making progress"
    client.stop.set()
    client.join(timeout=300)
    for p in (watcher, server):
        p.send_signal(signal.SIGINT)
        p.wait(timeout=60)

    texts = {k: v.read_text() for k, v in logs.items()}
    for name, text in texts.items():
        assert RAW_LOCK not in text and "Traceback" not in text, f"{name}:\n{text}"
    bad = [s for s in client.statuses if s[1] >= 400]
    assert not bad, bad[:5]
    assert client.rounds >= 3 and len(client.statuses) == 4 * client.rounds and client.posted
    assert (inbox / "done" / "drop.csv").exists(), texts["watch"]
    # No write lost: every post of every writer is in the store, once (post_id is the key).
    assert _post_ids(ws_dir, "cli-") == {f"cli-{i}" for i in range(400)}
    assert _post_ids(ws_dir, "inbox-") == {f"inbox-{i}" for i in range(150)}
    assert _post_ids(ws_dir, "api-") == set(client.posted)


def test_second_writer_waits_with_message_then_times_out(tmp_ws: object) -> None:
    """An in-test holder (another process's role is played by a subprocess) blocks a writer."""
    root = tmp_ws.root  # type: ignore[attr-defined]
    tmp_ws.close()  # type: ignore[attr-defined]
    holder = subprocess.Popen(
        [
            *cli()[:1],
            "-c",
            "import sys, time; from brandhalo.store import Store; "
            f"s = Store({str(root / 'brandhalo.duckdb')!r}); s.con; "
            "print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        said: list[str] = []
        store_lock.on_wait = said.append
        try:
            with pytest.raises(StoreBusyError, match="BRANDHALO_LOCK_TIMEOUT"):
                Store(root / "brandhalo.duckdb", wait_s=0.5).con  # noqa: B018
        finally:
            store_lock.on_wait = store_lock._say
        assert said and f"pid {holder.pid}" in said[0] and "waiting for" in said[0]
        # The CLI says the same in one sentence, exit code 1, no traceback.
        r = run_cli("token", "list", "-p", str(root), BRANDHALO_LOCK_TIMEOUT="0.5")
        assert r.returncode == 1
        assert "waiting for another brandhalo process" in r.stderr
        assert "still in use" in r.stderr and "Traceback" not in r.stderr
    finally:
        holder.kill()
        holder.communicate()
    # Once the holder is gone (even killed), the lock is free at once: flock dies with it.
    with Store(root / "brandhalo.duckdb", wait_s=5) as st:
        assert st.schema_version > 0


def test_readers_share_and_writer_waits_for_them(tmp_ws: object) -> None:
    root = tmp_ws.root  # type: ignore[attr-defined]
    tmp_ws.close()  # type: ignore[attr-defined]
    path = root / "brandhalo.duckdb"
    reader = subprocess.Popen(
        [
            cli()[0],
            "-c",
            "import time; from brandhalo.store import Store; "
            f"s = Store({str(path)!r}, read_only=True); s.con; print('r', flush=True); "
            "time.sleep(2.0); s.close(); print('closed', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "r"
        with Store(path, read_only=True, wait_s=1) as ro:  # readers share
            assert ro.count("posts") == 0
        said: list[str] = []
        store_lock.on_wait = said.append
        try:
            with Store(path, wait_s=30) as rw:  # waits for the reader's close, then writes
                rw.con.execute(
                    "INSERT INTO events (event_id, date, brand, title) VALUES "
                    "('e1', '2025-01-01', 'X', 'launch')"
                )
        finally:
            store_lock.on_wait = store_lock._say
        assert said and "reading" in said[0]
        assert reader.stdout.readline().strip() == "closed"
    finally:
        reader.kill()
        reader.communicate()


def test_long_lived_holder_lets_a_waiting_writer_in(tmp_ws: object) -> None:
    """The server's pattern: hold the store between requests, close it when someone waits."""
    root = tmp_ws.root  # type: ignore[attr-defined]
    store = tmp_ws.store  # type: ignore[attr-defined]
    guard = threading.RLock()
    store.con  # noqa: B018
    store.release_when_waited(guard)
    path = root / "brandhalo.duckdb"
    code = (
        "from brandhalo.store import Store; "
        f"s = Store({str(path)!r}, wait_s=20); "
        's.con.execute("INSERT INTO events (event_id, date, brand, title) VALUES '
        "('e2', '2025-01-02', 'X', 'launch')\"); s.close(); print('wrote')"
    )
    with guard:  # a request is running: the writer must wait for it
        writer = subprocess.Popen(
            [cli()[0], "-c", code],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        time.sleep(1.0)
        assert writer.poll() is None and store.is_open
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0 and "wrote" in out, err
    assert "waiting for another brandhalo process" in err
    # The holder reopens transparently on its next use and sees the write.
    with guard:
        assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    store.stop_releasing()
