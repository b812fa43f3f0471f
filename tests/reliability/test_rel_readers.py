"""Readers never wait behind a writer (issue 20): a real `brandhalo serve` answers reads from
the published snapshot while another process holds the store for writing, and every answer is
the state before the write or the state after it.

The writer (rel_holder.py) stops at each step until the test lets it go on, so "while the
writer holds the lock" is a state the test waits for, never a time window.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from rel_helpers import cli, cli_env, write_posts_csv
from rel_served import (
    HANG_S,
    READS,
    Served,
    expect,
    go_on,
    holder_posts,
    holds_write_lock,
    only_posts_changed,
    start_holder,
    wait_for_change,
)

from brandhalo.store import Store, snapshot


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_reads_are_answered_while_a_writer_holds_the_store(
    analyzed_ws: Path, tmp_path: Path, procs: list[Any]
) -> None:
    from rel_helpers import copy_ws

    ws = copy_ws(analyzed_ws, tmp_path / "ws")
    served = Served(ws, tmp_path, procs)
    before = served.answers()
    assert holder_posts(before) == set()
    writer = start_holder(ws, "hold", 30)
    procs.append(writer)
    # 1. The writer holds the store (nothing written yet): reads are answered, as before.
    assert holds_write_lock(ws, writer.pid)
    assert served.answers() == before
    assert holds_write_lock(ws, writer.pid)
    # 2. It committed but still holds the store: the commit is not served yet (it is not
    #    published), and reads still do not wait.
    go_on(writer)
    expect(writer, "committed")
    for _ in range(3):
        assert served.answers() == before
    assert holds_write_lock(ws, writer.pid) and writer.poll() is None
    # 3. It publishes and lets go: the server swaps to the new snapshot, whole.
    go_on(writer)
    expect(writer, "released")
    writer.communicate(timeout=60)  # closes its pipes
    assert writer.returncode == 0
    after = wait_for_change(served, before)
    assert holder_posts(after) == {f"hold-{i}" for i in range(30)}
    assert only_posts_changed(after, before, pending=30)
    assert served.answers() == after
    served.client.close()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_answer_is_before_or_after_during_ingest_and_analyze(
    base_ws: Path, tmp_path: Path, procs: list[Any]
) -> None:
    """Real `ingest` and `analyze` processes while a client polls: each answer is one of the
    published states (before, after ingest, after analyze), never an error or a mix."""
    from rel_helpers import copy_ws

    ws = copy_ws(base_ws, tmp_path / "ws")
    served = Served(ws, tmp_path, procs)
    # An author of the posts the ingest adds (write_posts_csv), of no demo post.
    reads = ("/api/posts?q=author:user5&page_size=50", *READS[1:3])
    states = [served.answers(reads)]
    seen: list[tuple[str, int, Any]] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=served.url, headers=served.client.headers, timeout=HANG_S) as c:
            while not stop.is_set():
                for path in reads:
                    try:
                        r = c.get(path)
                    except httpx.HTTPError as exc:  # reported by the test, not lost in a thread
                        seen.append((path, 0, repr(exc)))
                        return
                    seen.append((path, r.status_code, r.json() if r.status_code == 200 else r.text))

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    csv = write_posts_csv(tmp_path / "batch.csv", 0, 20_000, prefix="hold")
    for args in (("ingest", "posts", str(csv)), ("analyze",)):
        proc = subprocess.Popen(
            cli(*args, "-p", str(ws)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env=cli_env(),
        )  # fmt: skip
        procs.append(proc)
        _, err = proc.communicate(timeout=400)
        assert proc.returncode == 0, err[-2000:]
        states.append(wait_for_change(served, states[-1], reads))
    stop.set()
    poller.join(timeout=HANG_S)
    assert not poller.is_alive()
    assert states[0][reads[0]]["posts"] == [] and len(states[1][reads[0]]["posts"]) == 50
    allowed: dict[str, list[Any]] = {p: [s[p] for s in states] for p in reads}
    assert seen and all(code == 200 for _, code, _ in seen), [s for s in seen if s[1] != 200][:3]
    for path, _, body in seen:
        assert body in allowed[path], f"{path} answered a state that was never published"
    # The store the snapshots came from is whole: every ingested post, once.
    with Store(ws / "brandhalo.duckdb", read_only=True) as st:
        row = st.con.execute(
            "SELECT count(*), count(DISTINCT post_id) FROM posts WHERE post_id LIKE 'hold-%'"
        ).fetchone()
    assert row == (20_000, 20_000)
    assert snapshot.current(ws / "brandhalo.duckdb") is not None
    served.client.close()


# -- the server's own writes are published in batches (issue 20) ----------------------------


def _app_client(ws: Path, **kw: Any) -> tuple[Any, str, str]:
    """An in-process app on `ws` with a read and an admin token (TestClient, no port)."""
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    with Workspace.open(ws) as w:
        read = create_token(w, "read", name="r")[1]
        admin = create_token(w, "admin", name="a")[1]
    return TestClient(create_app(ws, **kw)), read, admin


def _batch(i: int) -> dict[str, Any]:
    return {"posts": [{"id": f"batch-{i}", "text": f"小米 batchword 帖子 {i}",
                       "created_at": "2025-03-03T10:00:00+08:00"}]}  # fmt: skip


def _found(client: Any, read: str) -> tuple[int, set[str]]:
    """(served generation, ids of the batch posts) in one answer."""
    r = client.get(
        "/api/posts?q=batchword&page_size=50", headers={"authorization": f"Bearer {read}"}
    )
    assert r.status_code == 200, r.text
    return int(r.headers["x-brandhalo-snapshot"]), {p["post_id"] for p in r.json()["posts"]}


def test_an_answer_names_the_generation_it_was_computed_on(
    base_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newer generation put in service while an answer is computed on the previous one:
    the answer's x-brandhalo-snapshot names the one it read (it named the one served when
    it was sent, so a test saw 'generation 4' beside posts of generation 3)."""
    from rel_helpers import copy_ws

    from brandhalo.web import data, search

    ws = copy_ws(base_ws, tmp_path / "ws")
    client, read, _ = _app_client(ws, publish_every_s=0.0)
    state = client.app.state.bh
    real = search.search_posts
    seen: list[int] = []

    def search_then_publish(*args: Any, **kwargs: Any) -> Any:
        answer = real(*args, **kwargs)
        if not seen:  # once: a write is published and served before this answer is sent
            seen.append(state.generation)
            state.run(data.ingest_posts, _batch(0)["posts"])
            assert state.wait_published()
            while state.generation == seen[0]:  # warmed in the background, then served
                time.sleep(0.01)
        return answer

    monkeypatch.setattr(search, "search_posts", search_then_publish)
    with client:
        g, ids = _found(client, read)
        assert state.generation > seen[0] and (g, ids) == (seen[0], set())
        g2, ids2 = _found(client, read)  # the next answer reads the new one
        assert (g2, ids2) == (state.generation, {"batch-0"})


def test_writes_made_during_one_publish_interval_cost_one_copy(
    base_ws: Path, tmp_path: Path
) -> None:
    """Ten API writes while the publisher cannot run (a unit of writes holds it, as a watcher
    round does) are published together: one store copy, one new generation, all ten in it.
    Until then readers are answered from the state before, without waiting."""
    from rel_helpers import copy_ws

    ws = copy_ws(base_ws, tmp_path / "ws")
    client, read, admin = _app_client(ws)
    state = client.app.state.bh
    with client:
        g0, ids = _found(client, read)  # publishes and serves the first generation
        assert ids == set()
        with state.units:  # the publisher waits for the unit to end
            for i in range(10):
                r = client.post(
                    "/api/posts", json=_batch(i), headers={"authorization": f"Bearer {admin}"}
                )
                assert r.status_code == 201 and r.json()["inserted"] == 1, r.text
            assert _found(client, read) == (g0, set())  # the state before, at once
            assert state.publishes == 0
        assert state.wait_published()  # waits on the generation, not on the clock
        g1, ids = _found(client, read)
        assert ids == {f"batch-{i}" for i in range(10)}
        assert (g1, state.publishes) == (g0 + 1, 1)
        assert snapshot.current(ws / "brandhalo.duckdb").generation == g1  # type: ignore[union-attr]


def test_a_write_is_in_the_first_generation_published_after_it(
    base_ws: Path, tmp_path: Path
) -> None:
    """The bound of docs/concurrency.md: a write is in the next generation the server
    publishes (at most `publish_every_s` plus one copy later), and readers are served it as
    soon as that generation is warmed. Waits on generations, never on wall time."""
    from rel_helpers import copy_ws

    ws = copy_ws(base_ws, tmp_path / "ws")
    client, read, admin = _app_client(ws, publish_every_s=0.2)
    state = client.app.state.bh
    with client:
        g, _ = _found(client, read)
        for i in range(3):
            before = state.publishes
            r = client.post(
                "/api/posts", json=_batch(i), headers={"authorization": f"Bearer {admin}"}
            )
            assert r.status_code == 201, r.text
            seen = _found(client, read)
            while seen[0] == g:  # answered from the previous generation meanwhile
                seen = _found(client, read)
            assert seen == (g + 1, {f"batch-{k}" for k in range(i + 1)})
            assert state.publishes == before + 1
            g = seen[0]


def test_token_last_used_times_are_written_when_the_server_stops(
    base_ws: Path, tmp_path: Path
) -> None:
    """Reads never write: a token's last-used time is noted and written with the server's
    next write or when it stops (and then published like any write)."""
    from rel_helpers import copy_ws

    ws = copy_ws(base_ws, tmp_path / "ws")
    client, read, _ = _app_client(ws)
    with client:
        assert client.get("/api/whoami", headers={"authorization": f"Bearer {read}"}).is_success
        assert client.app.state.bh.publishes == 0  # a read published nothing of its own
    store = ws / "brandhalo.duckdb"
    snap = snapshot.current(store)
    assert snap is not None and not snapshot.is_stale(store, snap)
    with Store(snap.path, read_only=True, locked=False) as st:
        used = st.con.execute("SELECT last_used_at FROM tokens WHERE name = 'r'").fetchall()
    assert used and used[0][0] is not None


# -- every writer publishes what it committed when it lets go of the store -------------------


def _published(store: Path, sql: str) -> Any:
    """One value of `sql` on the current published snapshot (never the store itself)."""
    snap = snapshot.current(store)
    assert snap is not None
    with Store(snap.path, read_only=True, locked=False) as st:
        return st.con.execute(sql).fetchall()[0][0]


def _wait_published(store: Path, sql: str, want: Any, proc: Any) -> None:
    """Wait (a hang guard, not a speed limit) until the snapshot answers `want` to `sql`."""
    import time

    deadline = time.monotonic() + HANG_S * 3
    while _published(store, sql) != want:
        assert proc.poll() is None, "the watcher exited before it published its round"
        assert time.monotonic() < deadline, f"never published: {sql}"
        time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_every_writer_publishes_what_it_committed_when_it_lets_go(
    analyzed_ws: Path, tmp_path: Path, procs: list[Any]
) -> None:
    """token create, ingest, analyze, label --read, train, an `alerts --watch` round and the
    in-server watcher each leave the snapshot equal to the store (never stale) and holding
    their write, in a served workspace."""
    import csv
    import json
    import signal
    import time

    from rel_helpers import copy_ws, run_cli

    ws = copy_ws(analyzed_ws, tmp_path / "ws")
    store = ws / "brandhalo.duckdb"
    snapshot.enable(store)
    generations = [0]

    def ran(*args: str, writes: bool = True) -> str:
        done = run_cli(*args, "-p", str(ws), timeout=600)
        assert done.returncode == 0, (args, done.stderr[-2000:])
        snap = snapshot.current(store)
        assert snap is not None and not snapshot.is_stale(store, snap), args
        assert (snap.generation > generations[-1]) == writes, args  # no copy without a write
        generations.append(snap.generation)
        return done.stdout

    ran("token", "create", "--role", "read", "--name", "pubtok")
    assert _published(store, "SELECT count(*) FROM tokens WHERE name = 'pubtok'") == 1
    ran("ingest", "posts", str(write_posts_csv(tmp_path / "pw.csv", 0, 40, prefix="pw")))
    assert _published(store, "SELECT count(*) FROM posts WHERE post_id LIKE 'pw-%'") == 40
    ran("analyze")
    assert _published(store, "SELECT count(*) FROM enriched WHERE post_id LIKE 'pw-%'") == 40
    sheet = json.loads(
        ran("label", "-n", "40", "--out", str(tmp_path / "sheet"), "--json", writes=False)
    )
    path = Path(next(f for f in sheet["files"] if f.endswith(".csv")))
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = ("negative", "neutral", "positive")
    for i, row in enumerate(rows):
        row["label"] = names[i % 3]
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)
    ran("label", "--read", str(path))
    assert _published(store, "SELECT count(*) FROM labels") >= len(rows)
    ran("train")
    assert _published(store, "SELECT count(*) FROM sentiment_models") >= 1
    # An `alerts --watch` round publishes when it ends, while the watcher keeps running.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_posts_csv(inbox / "drop.csv", 0, 30, prefix="inb")
    proc = subprocess.Popen(
        cli("alerts", "--watch", "--inbox", str(inbox), "--interval", "3600", "-p", str(ws)),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=cli_env(),
    )  # fmt: skip
    procs.append(proc)
    _wait_published(store, "SELECT count(*) FROM enriched WHERE post_id LIKE 'inb-%'", 30, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=HANG_S)
    assert "Traceback" not in err, err[-2000:]
    snap = snapshot.current(store)
    assert snap is not None and not snapshot.is_stale(store, snap)
    # The in-server watcher: a file dropped before it starts is ingested, analyzed and served
    # by its first round (the next one is an hour away: no second round publishes it).
    inbox2 = tmp_path / "inbox2"
    inbox2.mkdir()
    write_posts_csv(inbox2 / "drop.csv", 0, 25, prefix="srvw")
    served = Served(
        ws, tmp_path, procs, args=("--watch", "--inbox", str(inbox2), "--interval", "3600")
    )
    want = "SELECT count(*) FROM enriched WHERE post_id LIKE 'srvw-%'"
    _wait_published(store, want, 25, served.proc)
    snap = snapshot.current(store)
    assert snap is not None
    deadline = time.monotonic() + HANG_S  # a hang guard: the server warms the generation
    while True:
        r = served.client.get("/api/posts?q=author:user7&page_size=50")
        assert r.status_code == 200, r.text
        if int(r.headers["x-brandhalo-snapshot"]) >= snap.generation:
            break
        assert time.monotonic() < deadline, "the server never served its watcher's round"
        time.sleep(0.2)
    assert "srvw-7" in {p["post_id"] for p in r.json()["posts"]}
    served.client.close()


# -- a cached answer never makes a request wait twice --------------------------------------


def test_requests_share_one_computation_and_an_expired_answer_is_served_while_recomputed(
    base_ws: Path, tmp_path: Path
) -> None:
    """Four requests for one answer compute it once; after its TTL the old answer is served
    at once while a background thread recomputes it (the 1M benchmark saw 30 s requests when
    every client recomputed a 1M-post search at once after the TTL)."""
    from rel_helpers import copy_ws

    from brandhalo.web.state import AppState

    state = AppState(copy_ws(base_ws, tmp_path / "ws"), cache_ttl=0.0)
    calls: list[int] = []
    gate = threading.Event()

    def answer(ws: Any) -> int:
        calls.append(1)
        gate.wait(HANG_S)
        return len(calls)

    got: list[int] = []
    threads = [
        threading.Thread(target=lambda: got.append(state.cached("k", answer))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    # The first request computes; the three others join it (they do not start their own).
    while not any(f.waiters == 3 for f in list(state._flights.values())):
        gate.wait(0.01)
    gate.set()
    for t in threads:
        t.join(HANG_S)
    assert got == [1, 1, 1, 1] and len(calls) == 1
    gate.clear()  # a recomputation now blocks until the gate opens again
    assert state.cached("k", answer) == 1  # expired (TTL 0): the old answer, without waiting
    while len(calls) < 2:  # ... while one background thread recomputes it
        gate.wait(0.01)
    gate.set()
    while state.cached("k", answer) != 2:
        gate.wait(0.01)
    state.close()


# -- a server stops when told, whatever its start-up work is doing ---------------------------


def _start_serve(ws: Path, tmp_path: Path, procs: list[Any]) -> tuple[subprocess.Popen[str], Path]:
    from rel_helpers import free_port, wait_health

    port = str(free_port())
    log = tmp_path / f"serve-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            cli("serve", "-p", str(ws), "--port", port),
            stdout=out, stderr=subprocess.STDOUT, text=True, env=cli_env(),
        )  # fmt: skip
    procs.append(proc)
    wait_health(f"http://127.0.0.1:{port}", proc, log=log)
    return proc, log


#: A server told to stop that is still running after this long hangs (closing waits up to a
#: minute for each background thread; stopping takes well under a second). A hang guard.
STOP_S = 30.0


def _stop_cleanly(server: subprocess.Popen[str], log: Path) -> None:
    """Ctrl-C the server: it must exit within STOP_S and log no traceback."""
    import signal

    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=STOP_S)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"the server did not stop: {log.read_text()[-2000:]}") from None
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_a_server_stopped_while_its_first_read_waits_for_a_writer_stops_at_once(
    analyzed_ws: Path, tmp_path: Path, procs: list[Any]
) -> None:
    """With no snapshot yet and another process writing, the server's start-up warm waits for
    the store; Ctrl-C ends that wait (no minute-long join, no traceback) and the writer goes on."""
    import shutil
    import time

    from rel_helpers import copy_ws

    ws = copy_ws(analyzed_ws, tmp_path / "ws")
    shutil.rmtree(snapshot.snapshot_dir(ws / "brandhalo.duckdb"), ignore_errors=True)
    writer = start_holder(ws, "stop", 5)
    procs.append(writer)
    server, log = _start_serve(ws, tmp_path, procs)
    deadline = time.monotonic() + HANG_S  # a hang guard: the warm asks for the store at once
    while "waiting for another brandhalo process" not in log.read_text():
        assert server.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the server never waited for the writer"
        time.sleep(0.1)
    _stop_cleanly(server, log)
    assert holds_write_lock(ws, writer.pid)  # the writer was never disturbed
    go_on(writer)
    expect(writer, "committed")
    go_on(writer)
    expect(writer, "released")
    writer.communicate(timeout=60)  # closes its pipes
    assert writer.returncode == 0


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("delay_s", [0.0, 0.05, 0.1, 0.15, 0.2, 0.3])
def test_a_server_stopped_while_it_prepares_the_overview_stops_without_a_traceback(
    analyzed_ws: Path, tmp_path: Path, procs: list[Any], delay_s: float
) -> None:
    """Ctrl-C soon after start interrupts the start-up overview's DuckDB query (the CI run of
    stop 27 printed that InterruptException as a thread traceback): it ends quietly."""
    import time

    from rel_helpers import copy_ws

    ws = copy_ws(analyzed_ws, tmp_path / "ws")
    server, log = _start_serve(ws, tmp_path, procs)
    time.sleep(delay_s)  # several moments of the warm-up, not a speed requirement
    _stop_cleanly(server, log)
