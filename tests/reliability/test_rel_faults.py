"""Faults: kill -9 at random points, a full disk, corrupt and foreign store files.

Every fault is followed by a rerun of the same command; the store must be consistent (each
file is in or out as a whole), hold no duplicate and lose no row, and alerts are not re-sent.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from rel_helpers import (
    cli,
    cli_env,
    copy_ws,
    run_cli,
    table_counts,
    write_posts_csv,
)

from brandhalo.store import Store

RNG = random.Random(20261126)
#: Tables whose content depends on time or on the run, not on the data.
RUN_TABLES = {"ingest_log", "schema_version", "tokens", "deliveries", "dead_letters"}


def _ids(ws: Path, prefix: str) -> tuple[int, int]:
    """(rows, distinct post ids) with the prefix."""
    with Store(ws / "brandhalo.duckdb", read_only=True) as st:
        row = st.con.execute(
            "SELECT count(*), count(DISTINCT post_id) FROM posts WHERE post_id LIKE ?",
            [prefix + "%"],
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _kill_after(args: list[str], delay: float) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=cli_env())
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.stderr is not None
    proc.stderr.close()
    return proc


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_kill9_ingest_at_random_points_then_rerun(ws_dir: Path, tmp_path: Path) -> None:
    n = 100_000
    big = write_posts_csv(tmp_path / "big.csv", 0, n, prefix="k9")
    # Kill points are drawn inside the measured length of a clean run of the same command, so
    # they land mid-file on a fast machine and a slow one alike.
    scratch = copy_ws(ws_dir, tmp_path / "scratch")
    t0 = time.monotonic()
    assert run_cli("ingest", "posts", str(big), "-p", str(scratch)).returncode == 0
    full_s = time.monotonic() - t0
    # A run can be faster than the measured one (a machine busy with other work, then idle):
    # one that ends before its kill point leaves the file in whole, so the next try starts
    # on a fresh copy with a kill point inside that faster run's length.
    for attempt in range(8):
        ws = copy_ws(ws_dir, tmp_path / f"try{attempt}")
        t0 = time.monotonic()
        proc = _kill_after(cli("ingest", "posts", str(big), "-p", str(ws)), _kill_point(full_s))
        if proc.returncode == -signal.SIGKILL:
            break
        assert proc.returncode == 0
        assert _ids(ws, "k9-") == (n, n)
        full_s = min(full_s, time.monotonic() - t0) / 2
    assert proc.returncode == -signal.SIGKILL, "no try was killed before it ended"
    for _ in range(3):  # killed once, or again while the rerun recovers
        rows, distinct = _ids(ws, "k9-")
        assert rows == distinct and rows in (0, n)  # the file is in as a whole, or not at all
        if rows == n:
            break
        proc = _kill_after(cli("ingest", "posts", str(big), "-p", str(ws)), _kill_point(full_s))
    done = run_cli("ingest", "posts", str(big), "-p", str(ws))
    assert done.returncode == 0, done.stderr
    assert _ids(ws, "k9-") == (n, n)  # nothing lost, nothing twice
    again = run_cli("ingest", "posts", str(big), "-p", str(ws), "--json")
    assert again.returncode == 0 and '"skipped"' in again.stdout  # rerun is a no-op
    assert _ids(ws, "k9-") == (n, n)


def _kill_point(full_s: float) -> float:
    """A kill time inside a run of about `full_s` seconds (mid-file on any machine)."""
    return RNG.uniform(0.4, 0.85) * full_s


@pytest.mark.slow
@pytest.mark.timeout(500)
def test_kill9_analyze_then_rerun_matches_a_clean_run(
    base_ws: Path, analyzed_ws: Path, tmp_path: Path
) -> None:
    ws = copy_ws(base_ws, tmp_path / "ws")
    proc = _kill_after(cli("analyze", "-p", str(ws)), RNG.uniform(4, 12))
    assert proc.returncode in (-signal.SIGKILL, 0)
    rerun = run_cli("analyze", "-p", str(ws), timeout=400)
    assert rerun.returncode == 0, rerun.stderr
    got, want = table_counts(ws), table_counts(analyzed_ws)
    assert {k: v for k, v in got.items() if k not in RUN_TABLES} == {
        k: v for k, v in want.items() if k not in RUN_TABLES
    }
    with Store(ws / "brandhalo.duckdb", read_only=True) as st:
        dup = st.con.execute("SELECT count(*) - count(DISTINCT post_id) FROM enriched").fetchone()
        assert dup == (0,)


class _SlowHook(BaseHTTPRequestHandler):
    received: list[str] = []
    lock = threading.Lock()

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        with self.lock:
            self.received.append(body.decode("utf-8", "replace"))
        time.sleep(0.4)  # slow receiver: a kill lands mid-delivery
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_kill9_watcher_mid_delivery_never_resends(analyzed_ws: Path, tmp_path: Path) -> None:
    import json

    ws = copy_ws(analyzed_ws, tmp_path / "ws")
    with Store(ws / "brandhalo.duckdb", read_only=True) as st:
        episodes = {r[0] for r in st.con.execute("SELECT episode_id FROM episodes").fetchall()}
    assert len(episodes) >= 2, "the demo workspace should hold alert episodes"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowHook)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    with (ws / "brandhalo.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[[alerts.webhooks]]\nkind = "json"\nurl = "{url}"\n')
    args = cli("alerts", "--watch", "--backfill", "--interval", "60", "-p", str(ws))
    try:
        proc = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=cli_env()
        )
        deadline = time.monotonic() + 120
        while len(_SlowHook.received) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(RNG.uniform(0.0, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        first = len(_SlowHook.received)
        assert 1 <= first < len(episodes)
        proc = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=cli_env()
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with Store(ws / "brandhalo.duckdb", read_only=True, wait_s=60) as st:
                handled = st.con.execute(
                    "SELECT count(DISTINCT episode_id) FROM deliveries "
                    "WHERE status <> 'pending' AND episode_id <> '(start)'"
                ).fetchone()
            if handled and handled[0] >= len(episodes):
                break
            time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert b"Traceback" not in err, err.decode()
    finally:
        server.shutdown()
        server.server_close()
    sent = [json.loads(b).get("episode_id") for b in _SlowHook.received]
    assert len(sent) == len(set(sent)), "an episode was sent twice"
    assert set(sent) <= episodes
    # Every episode is accounted for: sent once, or a dead letter ("interrupted").
    with Store(ws / "brandhalo.duckdb", read_only=True) as st:
        accounted = {
            r[0]
            for r in st.con.execute(
                "SELECT episode_id FROM deliveries WHERE episode_id <> '(start)'"
            ).fetchall()
        }
    assert accounted == episodes


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    return r.returncode == 0


@pytest.mark.timeout(300)
def test_disk_full_gives_clear_error_and_consistent_store(tmp_path: Path) -> None:
    disk = tmp_path / "small"
    if shutil.which("mount") is None or not _mount_tmpfs(disk, "4m"):
        pytest.skip("mounting a small tmpfs is not permitted here (needs root)")
    try:
        init = run_cli("init", str(disk / "ws"))
        assert init.returncode == 0, init.stderr
        small = write_posts_csv(tmp_path / "small.csv", 0, 200, prefix="ok")
        assert run_cli("ingest", "posts", str(small), "-p", str(disk / "ws")).returncode == 0
        big = write_posts_csv(tmp_path / "big.csv", 0, 60_000, prefix="full")
        r = run_cli("ingest", "posts", str(big), "-p", str(disk / "ws"))
        assert r.returncode == 1, r.stdout + r.stderr
        assert "full" in r.stderr and "free some space" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
        # The store keeps its last committed state: the small file whole, nothing of the big.
        leftovers = [p for p in (disk / "ws").iterdir() if p.name.endswith(".tmp")]
        for p in leftovers:
            p.unlink()
        assert _ids(disk / "ws", "ok-") == (200, 200)
        assert _ids(disk / "ws", "full-") == (0, 0)
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00not a duckdb file\xff" * 5000)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _scrambled(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(5)
    for _ in range(4000):  # overwrite bytes past the header, where the tables live
        data[rng.randrange(8192, len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))


def _scrambled_data(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(9)
    for _ in range(300):  # damage data blocks only: found when a query reads them
        data[rng.randrange(len(data) // 2, len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    path.unlink()
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE customers (id INTEGER, name VARCHAR)")
    con.execute("INSERT INTO customers VALUES (1, 'a')")
    con.close()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


DAMAGE_CASES = [
    (_garbage, ["alerts"]),
    (_truncated, ["alerts"]),
    (_empty, ["alerts"]),
    (_foreign, ["ingest", "posts", "{csv}"]),
    (_scrambled, ["analyze"]),
    (_scrambled_data, ["query", "刹车"]),
]


@pytest.mark.parametrize(("damage", "command"), DAMAGE_CASES)
def test_damaged_store_gives_a_clear_error(
    analyzed_ws: Path, tmp_path: Path, damage: object, command: list[str]
) -> None:
    ws = copy_ws(analyzed_ws, tmp_path / "ws")
    for wal in ws.glob("*.wal"):
        wal.unlink()
    damage(ws / "brandhalo.duckdb")  # type: ignore[operator]
    csv = write_posts_csv(tmp_path / "p.csv", 0, 10)
    args = [a.replace("{csv}", str(csv)) for a in command]
    r = run_cli(*args, "-p", str(ws), timeout=300)
    out = r.stdout + r.stderr
    assert "Traceback" not in out, out[-3000:]
    if r.returncode == 0:  # a scramble may miss every byte the command reads
        assert damage in (_scrambled, _scrambled_data), out
        return
    assert r.returncode == 1, out[-3000:]
    assert "error:" in r.stderr and "brandhalo" in r.stderr, out[-2000:]


# -- read snapshots (issue 20): kill -9 of a writer, a publisher or the server -----------------


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_kill9_writer_after_commit_then_the_server_serves_the_commit(
    analyzed_ws: Path, tmp_path: Path, procs: list
) -> None:
    """A writer killed after it committed, before it published: nothing is lost, and the
    server (finding the store free and ahead of the snapshot) publishes the commit itself."""
    from rel_served import (
        Served,
        expect,
        go_on,
        holder_posts,
        only_posts_changed,
        start_holder,
        wait_for_change,
    )

    ws = copy_ws(analyzed_ws, tmp_path / "ws")
    served = Served(ws, tmp_path, procs)
    before = served.answers()
    writer = start_holder(ws, "k9w", 25)
    procs.append(writer)
    go_on(writer)
    expect(writer, "committed")
    assert served.answers() == before  # committed, not published: not served yet, no wait
    writer.send_signal(signal.SIGKILL)
    writer.communicate()
    after = wait_for_change(served, before)
    assert holder_posts(after) == {f"k9w-{i}" for i in range(25)}
    assert only_posts_changed(after, before, pending=25)
    assert _ids(ws, "k9w-") == (25, 25)
    served.client.close()


_PUBLISHER = """
import sys
from brandhalo.store import Store, snapshot
st = Store(sys.argv[1])
snapshot.enable(st.path)
st.publish()
print("go", flush=True)
i = 0
while True:
    with st.transaction() as con:
        con.execute("INSERT INTO events (event_id, date, brand, title) VALUES (?, '2025-01-01', 'X', 'e')", [f"pub-{i}"])
    st.publish()
    i += 1
"""


def _events(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute("SELECT count(*) FROM events WHERE event_id LIKE 'pub-%'").fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_kill9_publisher_at_random_points_keeps_a_whole_snapshot(
    analyzed_ws: Path, tmp_path: Path
) -> None:
    """Kill -9 a process that writes and publishes in a loop: the current snapshot is always
    a whole, openable state no newer than the store; the next writer cleans up and publishes."""
    from brandhalo.store import snapshot

    ws = copy_ws(analyzed_ws, tmp_path / "ws")
    store = ws / "brandhalo.duckdb"
    generations = []
    for _ in range(4):
        proc = subprocess.Popen(
            [cli()[0], "-c", _PUBLISHER, str(store)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(),
        )  # fmt: skip
        assert proc.stdout is not None and proc.stdout.readline().strip() == "go"
        time.sleep(RNG.uniform(0.05, 1.5))  # a random point of the write/publish loop
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        snap = snapshot.current(store)
        assert snap is not None and snap.path.exists()
        generations.append(snap.generation)
        published = _events(snap.path)  # opens: a whole database, never a partial copy
        committed = _events(store)
        assert published <= committed <= published + 1  # at most the one not yet published
    assert generations == sorted(generations) and generations[-1] > generations[0]
    # The next writer publishes when it closes and removes what the killed one left.
    with Store(store) as st, st.transaction() as con:
        con.execute(
            "INSERT INTO events (event_id, date, brand, title) "
            "VALUES ('pub-last', '2025-01-02', 'X', 'e')"
        )
    snap = snapshot.current(store)
    assert snap is not None and not snapshot.is_stale(store, snap)
    assert _events(snap.path) == _events(store)
    assert not [p.name for p in snapshot.snapshot_dir(store).iterdir() if p.name.startswith(".")]


@pytest.mark.slow
@pytest.mark.timeout(500)
def test_kill9_server_mid_write_then_restart_loses_nothing(
    analyzed_ws: Path, tmp_path: Path, procs: list
) -> None:
    """Kill -9 the server while it ingests and publishes API posts: every acknowledged post is
    in the store, a CLI writer runs at once, and a restarted server serves all of them."""
    import httpx
    from rel_served import Served

    ws = copy_ws(analyzed_ws, tmp_path / "ws")
    served = Served(ws, tmp_path, procs, role="admin")
    acked: list[str] = []
    started = threading.Event()

    def post() -> None:
        with httpx.Client(base_url=served.url, headers=served.client.headers, timeout=120) as c:
            for i in range(10_000):
                ids = [f"srv-{i}-{k}" for k in range(20)]
                body = {"posts": [{"id": x, "text": f"小米 SU7 服务器 {x}",
                                   "created_at": "2025-03-03"} for x in ids]}  # fmt: skip
                started.set()
                try:
                    r = c.post("/api/posts", json=body)
                except httpx.HTTPError:
                    return  # the server died mid-request: not acknowledged
                if r.status_code == 201:
                    acked.extend(ids)

    thread = threading.Thread(target=post, daemon=True)
    thread.start()
    assert started.wait(60)
    time.sleep(RNG.uniform(0.5, 3.0))  # a random point of a POST: ingest, commit or publish
    served.proc.send_signal(signal.SIGKILL)
    served.proc.wait()
    thread.join(timeout=120)
    served.client.close()
    stored = _ids(ws, "srv-")
    assert stored[0] == stored[1] and stored[0] >= len(acked)  # every acknowledged post, once
    # A CLI writer is not held up by the dead server (its flock died with it).
    small = write_posts_csv(tmp_path / "after.csv", 0, 50, prefix="aft")
    done = run_cli("ingest", "posts", str(small), "-p", str(ws), BRANDHALO_LOCK_TIMEOUT="30")
    assert done.returncode == 0, done.stderr
    again = Served(ws, tmp_path, procs)
    page = again.client.get("/api/posts?q=服务器&page_size=200")
    assert page.status_code == 200
    assert stored[0] == 0 or page.json()["posts"], "the restarted server lost the posts"
    got = again.client.get("/api/posts?q=author:user5&page_size=5")
    assert got.status_code == 200
    again.client.close()


def _file_counts(path: Path) -> dict[str, int]:
    """Row count of every table but the run-dependent ones, of a DuckDB file (read-only)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
        return {
            n: int(con.execute(f'SELECT count(*) FROM "{n}"').fetchall()[0][0])
            for n in names
            if n not in RUN_TABLES
        }
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_kill9_analyze_in_a_served_workspace_then_the_next_writer_publishes(
    base_ws: Path, analyzed_ws: Path, tmp_path: Path
) -> None:
    """Kill -9 `analyze` at a random point of a served workspace (no server running): the
    current snapshot is still a whole published state (before the analyze, or after it if
    the kill came after its publish); the rerun publishes a snapshot equal to a clean run."""
    from brandhalo.store import snapshot

    ws = copy_ws(base_ws, tmp_path / "ws")
    store = ws / "brandhalo.duckdb"
    snapshot.enable(store)
    with Store(store) as st:
        first = st.publish()
    before = _file_counts(first.path)
    want = {k: v for k, v in table_counts(analyzed_ws).items() if k not in RUN_TABLES}
    proc = _kill_after(cli("analyze", "-p", str(ws)), RNG.uniform(4, 12))
    snap = snapshot.current(store)
    assert snap is not None and snap.path.exists()
    if snap.generation == first.generation:
        assert _file_counts(snap.path) == before  # the killed run published nothing
    else:
        assert proc.returncode == 0 or _file_counts(snap.path) == want  # its whole end state
    rerun = run_cli("analyze", "-p", str(ws), timeout=400)
    assert rerun.returncode == 0, rerun.stderr
    snap = snapshot.current(store)
    assert snap is not None and not snapshot.is_stale(store, snap)
    assert _file_counts(snap.path) == want
    assert not [p.name for p in snapshot.snapshot_dir(store).iterdir() if p.name.startswith(".")]
