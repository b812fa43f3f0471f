"""Command-line readers never wait behind a writer, and never keep a writer out for long
(session 25, FR): `metrics`, `query`, `report`, `export` ... read the published snapshot at
once while another process writes the store, and say so in one line on stderr; without a
snapshot they wait as before, shared with other readers, and their lock entry says they read.

Every writer here is a real second process (rel_holder.py, `brandhalo ingest`) that stops at
each step until the test lets it go on, so "while the writer holds the store" is a state the
test waits for, never a time window.
"""

from __future__ import annotations

import csv
import json
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rel_helpers import cli, cli_env, copy_ws, run_cli, write_posts_csv
from rel_served import HOLDER, expect, go_on, holds_write_lock, start_holder

from brandhalo.store import STORE_FILE, snapshot
from brandhalo.workspace import Workspace

#: The note a read command prints when it answered from the snapshot.
AS_OF = "the answer is as of "


def _served(analyzed_ws: Path, dest: Path) -> Path:
    """A copy of the analyzed workspace whose writers publish, with one generation published
    (as `brandhalo serve` leaves it)."""
    ws = copy_ws(analyzed_ws, dest)
    snapshot.enable(ws / STORE_FILE)
    with Workspace.open(ws) as opened:
        opened.store.publish()
    return ws


def _matched(done: subprocess.CompletedProcess[str]) -> int:
    assert done.returncode == 0, done.stderr
    return int(json.loads(done.stdout)["matched"])


def _line(stream: Any, timeout: float = 120) -> str:
    """The next line of a pipe, or '' when none comes within `timeout` (a hang guard)."""
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


def _finish(proc: subprocess.Popen[str]) -> None:
    """Wait for `proc` to end and close its pipes."""
    proc.communicate(timeout=120)


def _holder(ws: Path, prefix: str, **env: str) -> subprocess.Popen[str]:
    """rel_holder.py started (not waited for): it takes the store for writing."""
    return subprocess.Popen(
        [sys.executable, str(HOLDER), str(ws), prefix, "30"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(**env),
    )


@pytest.mark.timeout(400)
def test_read_commands_answer_from_the_snapshot_while_a_writer_holds_the_store(
    analyzed_ws: Path, tmp_path: Path, procs: list[Any]
) -> None:
    ws = _served(analyzed_ws, tmp_path / "ws")
    writer = start_holder(ws, "hold", 30)
    procs.append(writer)
    go_on(writer)
    expect(writer, "committed")  # 30 posts committed, not published; it still holds the store
    assert holds_write_lock(ws, writer.pid)
    # Before: these waited for the writer (here 5 s, then "still in use": exit code 1).
    wait = {"BRANDHALO_LOCK_TIMEOUT": "5"}
    found = run_cli("query", "holder", "--json", "-p", str(ws), **wait)
    assert _matched(found) == 0  # the published state: the writer's posts are not in it
    notes = [line for line in found.stderr.splitlines() if line.startswith(AS_OF)]
    assert len(notes) == 1, found.stderr
    assert f"(pid {writer.pid})" in notes[0] and "is writing newer data" in notes[0], notes
    metric = run_cli("metrics", "net_sentiment", "--json", "-p", str(ws), **wait)
    assert metric.returncode == 0 and json.loads(metric.stdout)["rows"], metric.stderr
    assert AS_OF in metric.stderr, metric.stderr
    out = tmp_path / "posts.csv"
    exported = run_cli("export", "posts", "--out", str(out), "-p", str(ws), **wait)
    assert exported.returncode == 0, exported.stderr
    with out.open(encoding="utf-8-sig") as f:
        ids = [row["post_id"] for row in csv.DictReader(f)]
    assert ids and not [i for i in ids if "hold-" in i]
    report = run_cli("report", "--out", str(tmp_path / "r.html"), "-p", str(ws), **wait)
    assert report.returncode == 0 and (tmp_path / "r.html").stat().st_size, report.stderr
    assert writer.poll() is None and holds_write_lock(ws, writer.pid)  # never disturbed
    # The writer publishes and lets go: the next read has its posts, and nothing to say.
    go_on(writer)
    expect(writer, "released")
    _finish(writer)
    again = run_cli("query", "holder", "--json", "-p", str(ws), **wait)
    assert _matched(again) == 30 and AS_OF not in again.stderr, again.stderr


@pytest.mark.timeout(400)
def test_a_reader_of_a_served_workspace_never_keeps_a_writer_waiting(
    analyzed_ws: Path, tmp_path: Path, procs: list[Any]
) -> None:
    ws = _served(analyzed_ws, tmp_path / "ws")
    reader = Workspace.open(ws, only_reads=True)
    try:
        before = reader.store.count("posts")
        # A writer (another process) takes the store at once, although the reader is open:
        # before, the reader held it (for writing) and the writer waited, here 5 s, then quit.
        writer = _holder(ws, "hold", BRANDHALO_LOCK_TIMEOUT="5")
        procs.append(writer)
        expect(writer, "held")
        go_on(writer)
        expect(writer, "committed")
        assert reader.store.count("posts") == before  # the reader's answers stay whole
        assert reader.store.snapshot is not None  # it read the snapshot (it had every commit)
    finally:
        reader.close()
    go_on(writer)
    expect(writer, "released")
    _finish(writer)


@pytest.mark.timeout(400)
def test_a_store_ahead_of_its_snapshot_and_free_is_read_directly(
    analyzed_ws: Path, tmp_path: Path, procs: list[Any]
) -> None:
    ws = _served(analyzed_ws, tmp_path / "ws")
    writer = start_holder(ws, "hold", 30)
    procs.append(writer)
    go_on(writer)
    expect(writer, "committed")
    writer.kill()  # committed, never published: the store is ahead of the snapshot, and free
    _finish(writer)
    assert snapshot.is_stale(ws / STORE_FILE)
    found = run_cli("query", "holder", "--json", "-p", str(ws), BRANDHALO_LOCK_TIMEOUT="5")
    assert _matched(found) == 30 and AS_OF not in found.stderr, found.stderr


@pytest.mark.timeout(400)
def test_without_a_snapshot_a_reader_waits_and_is_named_as_reading(
    analyzed_ws: Path, tmp_path: Path, procs: list[Any]
) -> None:
    ws = copy_ws(analyzed_ws, tmp_path / "ws")  # never served: no snapshot
    # 1. A writer holds the store: a reader waits for it, as before, then reads its commit.
    writer = start_holder(ws, "hold", 30)
    procs.append(writer)
    reading = subprocess.Popen(
        cli("query", "holder", "--json", "-p", str(ws)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(BRANDHALO_LOCK_TIMEOUT="120"),
    )
    procs.append(reading)
    said = _line(reading.stderr)
    assert f"(pid {writer.pid}, " in said and "to finish writing" in said, said
    go_on(writer)
    expect(writer, "committed")
    go_on(writer)
    expect(writer, "released")
    _finish(writer)
    out, err = reading.communicate(timeout=120)
    assert reading.returncode == 0 and json.loads(out)["matched"] == 30, err
    # 2. A reader holds the store (shared): its lock entry says it reads, and a writer that
    #    waits for it says "reading" (before: every command took the store for writing).
    reader = Workspace.open(ws, only_reads=True)
    try:
        reader.store.count("posts")
        assert reader.store.snapshot is None
        entry = json.loads((ws / "brandhalo.lock.d" / f"{_pid()}.json").read_text("utf-8"))
        assert entry["mode"] == "read"
        posts = write_posts_csv(tmp_path / "more.csv", 0, 5, prefix="more")
        blocked = run_cli("ingest", "posts", str(posts), "-p", str(ws), BRANDHALO_LOCK_TIMEOUT="1")
        assert blocked.returncode == 1 and "to finish reading" in blocked.stderr, blocked.stderr
        # 3. A writer waits for that reader: a new reader does not slip in before it (a stream
        #    of readers sharing the store would keep the nightly writer out for good).
        late = _holder(ws, "late", BRANDHALO_LOCK_TIMEOUT="120")
        procs.append(late)
        assert "waiting for" in _line(late.stderr)
        queued = run_cli("query", "holder", "-p", str(ws), BRANDHALO_LOCK_TIMEOUT="1")
        assert queued.returncode == 1 and "still in use" in queued.stderr, queued.stderr
    finally:
        reader.close()
    expect(late, "held")  # the reader let go: the waiting writer goes first
    go_on(late)
    expect(late, "committed")
    go_on(late)
    expect(late, "released")
    _finish(late)


def _pid() -> int:
    import os

    return os.getpid()


#: Runs `brandhalo analyze`, its signals stage stopping until a line comes on stdin.
PAUSED_ANALYZE = """
import sys
from brandhalo.analytics.signals import SIGNALS
cls = type(SIGNALS)
run = cls.run
def paused(self, *args, **kwargs):
    sys.stdin.readline()
    return run(self, *args, **kwargs)
cls.run = paused
from brandhalo.cli import main
sys.argv[0] = "brandhalo"
main()
"""


@pytest.mark.timeout(400)
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_analyze_logs_each_stage_when_it_is_done(
    base_ws: Path, tmp_path: Path, procs: list[Any], as_json: bool
) -> None:
    ws = copy_ws(base_ws, tmp_path / "ws")
    out, err = tmp_path / "out.log", tmp_path / "err.log"
    flags = ["--json"] if as_json else []
    with out.open("w") as fout, err.open("w") as ferr:  # a nightly job's `> out 2> err`
        job = subprocess.Popen(
            [sys.executable, "-c", PAUSED_ANALYZE, "analyze", "-p", str(ws), *flags],
            stdin=subprocess.PIPE,
            stdout=fout,
            stderr=ferr,
            text=True,
            env=cli_env(),
        )
    procs.append(job)
    # enrich and aggregate are done, signals waits: their lines are in the log already.
    # (Before, nothing was written until analyze returned.)
    lines = _wait_for_lines(err, ("enrich ", "aggregate "), job)
    assert job.poll() is None and out.read_text() == "", out.read_text()
    assert any("total" in line for line in lines if line.startswith("enrich ")), lines
    assert job.stdin is not None
    job.stdin.write("go\n")
    job.stdin.close()  # (its only pipe: closed)
    assert job.wait(timeout=300) == 0, err.read_text()
    logged = err.read_text().splitlines()
    assert [ln.split()[0] for ln in logged if ln[:1].isalpha() and ln.split()[0] in STAGES] == [
        "enrich",
        "aggregate",
        "signals",
    ], logged
    answer = out.read_text()
    if as_json:  # standard output stays one JSON object
        assert [s["name"] for s in json.loads(answer)["stages"]] == list(STAGES)
    else:
        assert [
            ln.split()[0]
            for ln in answer.splitlines()
            if ln.split()[:1] and ln.split()[0] in STAGES
        ] == list(STAGES)


STAGES = ("enrich", "aggregate", "signals")


def _wait_for_lines(path: Path, starts: tuple[str, ...], job: subprocess.Popen[str]) -> list[str]:
    """Poll the log until a line starting with each of `starts` is there (a hang guard)."""
    import time

    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        lines = path.read_text().splitlines()
        if all(any(line.startswith(s) for line in lines) for s in starts):
            return lines
        if job.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"the log never showed {starts}: {path.read_text()!r}")


def test_analyze_into_one_stream_prints_each_stage_once(base_ws: Path, tmp_path: Path) -> None:
    ws = copy_ws(base_ws, tmp_path / "ws")
    log = tmp_path / "all.log"
    with log.open("w") as f:  # `> log 2>&1`
        done = subprocess.run(
            cli("analyze", "-p", str(ws)),
            stdout=f,
            stderr=subprocess.STDOUT,
            env=cli_env(),
            timeout=300,
        )
    lines = log.read_text().splitlines()
    assert done.returncode == 0, lines
    assert [ln.split()[0] for ln in lines if ln.split()[:1] and ln.split()[0] in STAGES] == list(
        STAGES
    ), lines
