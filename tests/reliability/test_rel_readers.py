"""Readers never wait behind a writer (issue 20): a real `brandhalo serve` answers reads from
the published snapshot while another process holds the store for writing, and every answer is
the state before the write or the state after it.

The writer (rel_holder.py) stops at each step until the test lets it go on, so "while the
writer holds the lock" is a state the test waits for, never a time window.
"""

from __future__ import annotations

import subprocess
import threading
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
    assert {k: v for k, v in after.items() if k != READS[0]} == {
        k: v for k, v in before.items() if k != READS[0]
    }
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
