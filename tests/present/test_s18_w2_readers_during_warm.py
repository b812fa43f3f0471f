"""Readers do not wait while the server warms a generation another process published.

Walk-through (a PR lead reads the dashboard while `brandhalo ingest` + `analyze` run on the
workspace): the labelling page waited for another process's generation to be warmed before
answering (its wait for the server's *own* label writes waited for every newer generation),
and warming a new generation dropped the cached answers of the generation still served, so
every read meanwhile was computed again, cold (a 25 s labelling page on the demo).

The other process is a real `brandhalo ingest` run; the warming is held at one answer until
the test lets it go on, so "while a generation warms" is a state, not a time window.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from brandhalo.store import snapshot

WARM_THREAD = "brandhalo-warm-snapshot"


class Held:
    """A cached answer whose computation in the warming thread waits until released."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.outside_warm: list[str] = []  # computations outside the warming thread, by key

    def __call__(self, ws: Any, key: str) -> str:
        if threading.current_thread().name == WARM_THREAD:
            if key == "held":
                self.entered.set()
                self.release.wait(60)
        else:
            self.outside_warm.append(key)
        return key


def _write_in_another_process(root: Path, tmp: Path, n: int) -> None:
    """`brandhalo ingest posts` of `n` new posts: it publishes a newer generation."""
    csv = tmp / f"more-{n}.csv"
    rows = [f"w{n}-{i},weibo,u{i},小米 新帖 {i},2025-03-0{1 + i % 5} 10:00:00" for i in range(n)]
    csv.write_text("id,source,author_id,text,created_at\n" + "\n".join(rows) + "\n", "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "brandhalo", "ingest", "posts", str(csv), "-p", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.fixture
def app_ws(tmp_ws) -> Iterator[tuple[Any, Path, str]]:
    """(TestClient, workspace root, read token) over a workspace with a few posts."""
    from fastapi.testclient import TestClient

    from brandhalo.ingest import ingest_records
    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    posts = [
        {"id": f"p{i}", "text": f"小米 SU7 帖子 {i}", "created_at": "2025-03-01T10:00:00+08:00"}
        for i in range(5)
    ]
    ingest_records(tmp_ws, "posts", posts)
    read = create_token(tmp_ws, "read", name="r")[1]
    root = Path(tmp_ws.root)
    tmp_ws.close()
    with TestClient(create_app(root), raise_server_exceptions=False) as client:
        yield client, root, read


def _warming_held(client: Any, root: Path, tmp: Path, held: Held, asked: list[str]) -> int:
    """Ask `asked` (oldest first) on the served generation, publish a newer one from another
    process, start warming it (the newest asked first) and wait until it is held at "held";
    the generation still served."""
    state = client.app.state.bh
    for key in asked:
        assert state.cached((key,), held, key) == key
    served = state.generation
    _write_in_another_process(root, tmp, 5)
    snap = snapshot.current(root / "brandhalo.duckdb")
    assert snap is not None and snap.generation > served
    last = asked[-1]
    assert state.cached((last,), held, last) == last  # starts the warming (newest first)
    assert held.entered.wait(120), "the new generation was never warmed"
    assert state.generation == served  # still warming: the old one answers
    return served


def test_label_page_does_not_wait_for_another_process_generation(
    app_ws, tmp_path, monkeypatch
) -> None:
    """With no label written by this server, /label answers from the served generation
    while a newer one (another process's) is warmed: it waited for it before."""
    from brandhalo.web import labelling

    client, root, read = app_ws
    auth = {"authorization": f"Bearer {read}"}
    assert client.get("/label", headers=auth).status_code == 200
    held = Held()
    monkeypatch.setattr(labelling, "OWN_WRITES_WAIT_S", 600.0)
    try:
        served = _warming_held(client, root, tmp_path, held, ["held"])
        answers: list[Any] = []
        asking = threading.Thread(
            target=lambda: answers.append(client.get("/label", headers=auth)), daemon=True
        )
        asking.start()
        asking.join(45)
        done = not asking.is_alive()
    finally:
        held.release.set()
    assert done, "the labelling page waited for another process's generation to be warmed"
    (answer,) = answers
    assert answer.status_code == 200
    assert int(answer.headers["x-brandhalo-snapshot"]) == served


def test_warming_keeps_the_served_generation_answers(app_ws, tmp_path) -> None:
    """An answer the warming computed on the new generation does not drop the answers of
    the generation still served: they are not computed again meanwhile."""
    client, root, _ = app_ws
    state = client.app.state.bh
    held = Held()
    try:
        # "held" is warmed after "fast" (the most recently asked is warmed first)
        _warming_held(client, root, tmp_path, held, ["held", "fast"])
        before = list(held.outside_warm)
        assert state.cached(("held",), held, "held") == "held"
        assert state.cached(("fast",), held, "fast") == "fast"
        recomputed = held.outside_warm[len(before) :]
    finally:
        held.release.set()
    assert recomputed == [], f"computed again on the served generation: {recomputed}"
