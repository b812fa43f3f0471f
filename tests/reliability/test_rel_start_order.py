"""The watcher, the server and a manual `analyze` can be started in any order (issue 20).

One test per order of the three. New posts wait to be analyzed; the three real processes are
started one after the other, each while the ones before it run. Whatever the order: `analyze`
ends with exit code 0, the watcher keeps running, every read the server answers is a 200 of a
published state, and in the end the server serves the analyzed posts from a snapshot equal to
the store. Progress is waited for on published generations, never for a time.
"""

from __future__ import annotations

import itertools
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from rel_helpers import cli, cli_env, copy_ws, run_cli, write_posts_csv
from rel_served import HANG_S, Served

from brandhalo.store import Store, snapshot

ACTORS = ("serve", "watch", "analyze")
NEW = 300
READ = "/api/posts?q=author:user5&page_size=50"  # an author of the new posts only
RAW_LOCK = "Could not set lock"


class _Poller(threading.Thread):
    """Reads one endpoint until stopped; records (status, generation, post ids)."""

    def __init__(self, served: Served):
        super().__init__(daemon=True)
        self.served, self.stop = served, threading.Event()
        self.seen: list[tuple[int, int, frozenset[str]]] = []
        self.errors: list[str] = []  # the body of each answer that was not a 200

    def run(self) -> None:
        headers = self.served.client.headers
        with httpx.Client(base_url=self.served.url, headers=headers, timeout=HANG_S) as c:
            while not self.stop.is_set():
                try:
                    r = c.get(READ)
                except httpx.HTTPError:
                    self.seen.append((0, -1, frozenset()))
                    return
                ids = frozenset(p["post_id"] for p in r.json()["posts"]) if r.is_success else None
                gen = int(r.headers.get("x-brandhalo-snapshot", -1))
                if not r.is_success:
                    self.errors.append(r.text[:500])
                self.seen.append((r.status_code, gen, ids or frozenset()))
                self.stop.wait(0.2)


def _enriched(path: Path) -> int:
    with Store(path, read_only=True, locked=False) as st:
        row = st.con.execute("SELECT count(*) FROM enriched WHERE post_id LIKE 'ord-%'").fetchall()
    return int(row[0][0])


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("order", list(itertools.permutations(ACTORS)), ids="-".join)
def test_watcher_server_and_analyze_start_in_any_order(
    analyzed_ws: Path, tmp_path: Path, procs: list[Any], order: tuple[str, ...]
) -> None:
    ws = copy_ws(analyzed_ws, tmp_path / "ws")
    store = ws / "brandhalo.duckdb"
    made = run_cli("ingest", "posts", str(write_posts_csv(tmp_path / "new.csv", 0, NEW,
                                                          prefix="ord")), "-p", str(ws))  # fmt: skip
    assert made.returncode == 0, made.stderr
    logs = {a: tmp_path / f"{a}.log" for a in ("watch", "analyze")}
    started: dict[str, Any] = {}
    poller: _Poller | None = None
    for actor in order:
        if actor == "serve":
            started[actor] = served = Served(ws, tmp_path, procs)
            poller = _Poller(served)
            poller.start()
            continue
        args = ("alerts", "--watch", "--interval", "1") if actor == "watch" else ("analyze",)
        with logs[actor].open("w") as out:
            proc = subprocess.Popen(
                cli(*args, "-p", str(ws)), stdout=out, stderr=subprocess.STDOUT, text=True,
                env=cli_env(),
            )  # fmt: skip
        procs.append(proc)
        started[actor] = proc
    assert poller is not None
    analyze = started["analyze"]
    assert analyze.wait(timeout=600) == 0, logs["analyze"].read_text()[-3000:]
    # Whoever let go of the store last published: the snapshot ends equal to the store, with
    # every new post analyzed, and the server serves that generation.
    served = started["serve"]
    deadline = time.monotonic() + HANG_S * 3  # a hang guard, not a speed requirement
    while True:
        snap = snapshot.current(store)
        done = snap is not None and not snapshot.is_stale(store, snap)
        if done and _enriched(snap.path) == NEW:  # type: ignore[union-attr]
            r = served.client.get(READ)
            if r.is_success and int(r.headers["x-brandhalo-snapshot"]) >= snap.generation:  # type: ignore[union-attr]
                break
        assert time.monotonic() < deadline, "the analyzed state was never published and served"
        assert started["watch"].poll() is None, logs["watch"].read_text()[-3000:]
        time.sleep(0.3)
    final = {p["post_id"] for p in r.json()["posts"]}
    assert final and all(p.startswith("ord-") for p in final)
    poller.stop.set()
    poller.join(timeout=HANG_S)
    watcher = started["watch"]
    assert watcher.poll() is None, logs["watch"].read_text()[-3000:]
    watcher.send_signal(signal.SIGINT)
    watcher.wait(timeout=HANG_S)
    served.proc.send_signal(signal.SIGINT)
    served.proc.wait(timeout=HANG_S)
    served.client.close()
    texts = {k: v.read_text() for k, v in logs.items()} | {"serve": served.log.read_text()}
    for name, text in texts.items():
        assert RAW_LOCK not in text and "Traceback" not in text, f"{name}:\n{text[-3000:]}"
    assert poller.seen and all(s[0] == 200 for s in poller.seen), (
        poller.errors[:3],
        texts["serve"][-3000:],
    )
    # Every answer is a whole state: none of the new posts (before the ingest was served),
    # or the same page as the end (the posts are searchable once ingested).
    assert all(ids in (frozenset(), frozenset(final)) for _, _, ids in poller.seen)
    gens = [g for _, g, _ in poller.seen]
    assert gens == sorted(gens)  # the server never went back to an older generation
