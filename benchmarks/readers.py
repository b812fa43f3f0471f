"""Readers while a writer runs (issue 20): `brandhalo serve` answers the dashboard's reads
while `brandhalo ingest` of N posts and then `brandhalo analyze` run on the same workspace.

Clients poll the read endpoints; every answer must be a 200 and equal to the answer of one of
the published states (before the ingest, after it, after the analyze). Reports latency
percentiles overall and for requests made while a writer held the store, the answers that
matched no state, what each publish cost (bytes, seconds), and the machine's load.

    python benchmarks/readers.py [--posts 1000000] [--clients 4] [--interval 0.25]

Goal: p95 <= 1 s and max <= 2 s on read endpoints, 0 errors, 0 answers of another state.
Writes benchmarks/results/readers.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reliability"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx  # noqa: E402
from rel_helpers import cli, cli_env, free_port, run_cli, wait_health, write_posts_csv  # noqa: E402

from brandhalo.store import snapshot  # noqa: E402

READS = [
    "/api/metrics/net_sentiment",
    "/api/alerts",
    "/api/posts?q=author:user5&page_size=20",  # an author of the ingested posts (set by run)
    "/api/whoami",
]


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _writer_holds(ws: Path, pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        info = json.loads((ws / "brandhalo.lock.d" / f"{pid}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(info.get("mode") == "write")


class Poller(threading.Thread):
    """Polls every read endpoint in turn, recording latency, status and the answer's digest."""

    def __init__(
        self, url: str, token: str, interval: float, ws: Path, writer: list[int], t0: float
    ):
        super().__init__(daemon=True)
        self.url, self.token, self.interval, self.ws = url, token, interval, ws
        self.writer, self.t0 = writer, t0
        self.stop = threading.Event()
        self.samples: list[dict[str, Any]] = []

    def run(self) -> None:
        headers = {"authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=600) as c:
            while not self.stop.is_set():
                for path in READS:
                    pid = self.writer[-1] if self.writer else None
                    held = _writer_holds(self.ws, pid)
                    t0 = time.perf_counter()
                    gen = -1
                    try:
                        r = c.get(path)
                        status, digest = r.status_code, _digest(r.content)
                        gen = int(r.headers.get("x-brandhalo-snapshot", -1))
                    except httpx.HTTPError as exc:
                        status, digest = 0, repr(exc)
                    lat = time.perf_counter() - t0
                    held = held and _writer_holds(self.ws, pid)  # held for the whole request
                    self.samples.append(
                        {
                            "path": path,
                            "s": lat,
                            "status": status,
                            "digest": digest,
                            "held": held,
                            "at_s": round(t0 - self.t0, 2),
                            "generation": gen,
                        }
                    )
                self.stop.wait(self.interval)


def _answers(url: str, token: str, ws: Path) -> dict[str, str]:
    """The answers of the newest published state (waits until the server serves it)."""
    snap = snapshot.current(ws / "brandhalo.duckdb")
    want = snap.generation if snap else 0
    headers = {"authorization": f"Bearer {token}"}
    deadline = time.monotonic() + 600  # a hang guard: the server warms the new generation
    with httpx.Client(base_url=url, headers=headers, timeout=600) as c:
        while int(c.get("/api/whoami").headers.get("x-brandhalo-snapshot", 0)) < want:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server never served snapshot generation {want}")
            time.sleep(0.1)
        return {p: _digest(c.get(p).content) for p in READS}


class _LoadSampler(threading.Thread):
    """The machine's 1-minute load average every 30 s (the machine may be shared)."""

    def __init__(self, t0: float):
        super().__init__(daemon=True)
        self.t0, self.stop = t0, threading.Event()
        self.samples: list[list[float]] = []

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append([round(time.perf_counter() - self.t0), os.getloadavg()[0]])
            self.stop.wait(30)


def _commit() -> str:
    """The commit measured (and whether the tree had changes)."""
    r = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return r.stdout.strip() or "unknown"


def _stats(lat: list[float]) -> dict[str, Any]:
    if not lat:
        return {"n": 0}
    lat = sorted(lat)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return {
        "n": len(lat),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1),
    }


def _publish_info(ws: Path) -> dict[str, Any] | None:
    snap = snapshot.current(ws / "brandhalo.duckdb")
    if snap is None:
        return None
    return {"generation": snap.generation, "bytes": snap.bytes, "seconds": snap.seconds}


def _posts_csv(args: argparse.Namespace, tmp: Path) -> Path:
    """The CSV the ingest adds: real-length text (the e2e corpus) or the short test rows.

    Sets the author search of :data:`READS` to an author of those posts.
    """
    if args.text == "short":
        return write_posts_csv(tmp / "posts.csv", 0, args.posts, prefix="rd")
    import duckdb
    from e2e_corpus import make_csv

    csv = args.csv or make_csv(ROOT / "benchmarks" / "_work" / "e2e", args.posts)[0]
    rows = duckdb.sql(
        f"SELECT author_name FROM read_csv('{csv}', header = true) "
        "WHERE author_name IS NOT NULL AND NOT contains(author_name, ' ') "
        "GROUP BY ALL ORDER BY count(*) DESC, author_name LIMIT 1"
    ).fetchall()
    if rows:
        READS[2] = f"/api/posts?q=author:{rows[0][0]}&page_size=20"
    return csv


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    from brandhalo import pipeline
    from brandhalo.demo import build_demo_workspace

    ws = tmp / "ws"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        built, _ = build_demo_workspace(ws, seed=7, posts=args.demo_posts)
        pipeline.analyze(built)
    built.close()
    csv = _posts_csv(args, tmp)
    token = json.loads(run_cli("token", "create", "--role", "read", "--json", "-p", str(ws)).stdout)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            cli("serve", "-p", str(ws), "--port", str(port)),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=cli_env(),
        )
    writer: list[int] = []
    pollers: list[Poller] = []
    try:
        wait_health(url, server, log=log)
        states = [_answers(url, token["token"], ws)]
        writes: list[dict[str, Any]] = []
        t_start = time.perf_counter()
        pollers = [
            Poller(url, token["token"], args.interval, ws, writer, t_start)
            for _ in range(args.clients)
        ]
        load_start = os.getloadavg()
        loads = _LoadSampler(t_start)
        loads.start()
        for p in pollers:
            p.start()
        for step in (("ingest", "posts", str(csv)), ("analyze",)):
            t0 = time.perf_counter()
            started_at = round(t0 - t_start, 2)
            proc = subprocess.Popen(
                cli(*step, "-p", str(ws)),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                env=cli_env(),
            )
            writer.append(proc.pid)
            _, err = proc.communicate(timeout=7200)
            writes.append(
                {
                    "command": step[0],
                    "rc": proc.returncode,
                    "seconds": round(time.perf_counter() - t0, 1),
                    "started_at_s": started_at,
                    "ended_at_s": round(time.perf_counter() - t_start, 2),
                    "stderr_tail": err[-300:],
                    "published": _publish_info(ws),
                }
            )
            t1 = time.perf_counter()
            states.append(_answers(url, token["token"], ws))  # the state it published
            writes[-1]["served_after_s"] = round(time.perf_counter() - t1, 1)
        for p in pollers:
            p.stop.set()
        for p in pollers:
            p.join(timeout=600)
        load_end = os.getloadavg()
    finally:
        for p in pollers:
            p.stop.set()
        if "loads" in locals():
            loads.stop.set()
        server.terminate()
        server.wait(timeout=120)
    samples = [s for p in pollers for s in p.samples]
    allowed = {path: {st[path] for st in states} for path in READS}
    other = [s for s in samples if s["status"] == 200 and s["digest"] not in allowed[s["path"]]]
    errors = [s for s in samples if s["status"] != 200]
    per_path = {path: _stats([s["s"] for s in samples if s["path"] == path]) for path in READS}
    return {
        "posts": args.posts,
        "demo_posts": args.demo_posts,
        "text": str(args.csv) if args.csv else args.text,
        "reads": list(READS),
        "clients": args.clients,
        "interval_s": args.interval,
        "writes": writes,
        "requests": len(samples),
        "errors": len(errors),
        "error_examples": [f"{s['path']}: {s['status']} {s['digest'][:200]}" for s in errors[:3]],
        "answers_of_no_published_state": len(other),
        "states_seen_per_path": {
            path: len({s["digest"] for s in samples if s["path"] == path and s["status"] == 200})
            for path in READS
        },
        "all": _stats([s["s"] for s in samples]),
        "while_a_writer_held_the_store": _stats([s["s"] for s in samples if s["held"]]),
        "per_path": per_path,
        "slowest": [
            {k: s[k] for k in ("path", "at_s", "generation", "held", "status")}
            | {"ms": round(s["s"] * 1000, 1)}
            for s in sorted(samples, key=lambda s: -s["s"])[:12]
        ],
        "store_mb": round((ws / "brandhalo.duckdb").stat().st_size / 1e6, 1),
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_start": [round(x, 2) for x in load_start],
            "loadavg_end": [round(x, 2) for x in load_end],
            "loadavg_1min_every_30s": loads.samples,
        },
        "code": _commit(),
        "goal_met": bool(
            samples
            and not errors
            and not other
            and _stats([s["s"] for s in samples])["p95_ms"] <= 1000
            and _stats([s["s"] for s in samples])["max_ms"] <= 2000
        ),
    }


def publish_cost(ws: Path, writes: int) -> dict[str, Any]:
    """What publishing `writes` small writes costs on the workspace `ws` (a copy is used).

    Before (one publish per write, as the server did): each write is followed by a publish.
    After (batched): the same writes through the server's state (``AppState.run``, which
    hands them to the publisher thread), as fast as they come, until all are published and
    served.
    """
    import shutil

    from brandhalo.store import Store
    from brandhalo.web.state import AppState
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    def write(con: Any, i: int) -> None:
        con.execute("UPDATE tokens SET name = ? WHERE name LIKE 'bench%'", [f"bench{i}"])

    work = ws.with_name(ws.name + "-publish")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ws, work, ignore=shutil.ignore_patterns("brandhalo.lock*"))
    store_path = work / "brandhalo.duckdb"
    snapshot.enable(store_path)
    with Workspace.open(work) as w:
        create_token(w, "admin", name="bench")
        w.store.publish()
    before: list[dict[str, Any]] = []
    with Store(store_path) as st:
        for i in range(writes):
            with st.transaction() as con:
                write(con, i)
            snap = st.publish()
            before.append({"bytes": snap.bytes, "seconds": snap.seconds})
    state = AppState(work)
    gen0 = snapshot.current(store_path)
    t0 = time.perf_counter()
    for i in range(writes):

        def one(w: Any, i: int = i) -> None:
            with w.store.transaction() as con:
                write(con, i)

        state.run(one)
    written_s = time.perf_counter() - t0
    assert state.wait_published(timeout=600)
    served_s = time.perf_counter() - t0
    after = snapshot.current(store_path)
    state.close()
    assert gen0 is not None and after is not None
    size = store_path.stat().st_size
    shutil.rmtree(work, ignore_errors=True)
    return {
        "store_mb": round(size / 1e6, 1),
        "writes": writes,
        "before_one_publish_per_write": {
            "publishes": len(before),
            "bytes_each": before[-1]["bytes"],
            "seconds_each": [b["seconds"] for b in before],
            "seconds_total": round(sum(b["seconds"] for b in before), 2),
        },
        "after_batched": {
            "publishes": state.publishes,
            "generations": after.generation - gen0.generation,
            "bytes_each": after.bytes,
            "seconds_of_last": after.seconds,
            "writes_done_after_s": round(written_s, 2),
            "all_published_and_served_after_s": round(served_s, 2),
        },
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--posts", type=int, default=1_000_000, help="posts the ingest adds")
    ap.add_argument("--demo-posts", type=int, default=20_000, help="workspace size before it")
    ap.add_argument(
        "--text",
        choices=("realistic", "short"),
        default="realistic",
        help="realistic: the e2e corpus (real-length zh/en posts, benchmarks/e2e_corpus.py); "
        "short: one-line test rows that all look alike",
    )
    ap.add_argument(
        "--csv", type=Path, default=None, help="ingest this CSV instead (e.g. an e2e corpus file)"
    )
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--interval", type=float, default=0.25, help="pause between a client's rounds")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/readers.json")
    ap.add_argument("--keep", type=Path, default=None, help="work in (and keep) this folder")
    ap.add_argument(
        "--publish-cost",
        type=Path,
        default=None,
        metavar="WORKSPACE",
        help="only measure what publishing 20 small writes costs on this workspace (a copy)",
    )
    args = ap.parse_args()
    if args.publish_cost is not None:
        cost = publish_cost(args.publish_cost, 20)
        print(json.dumps(cost, indent=2))
        if args.out.exists():  # added to the last readers run's results
            data = json.loads(args.out.read_text(encoding="utf-8"))
            data["publish_cost"] = cost
            args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        return
    if args.keep is not None:  # keep the workspace (e.g. to measure publishing on it)
        args.keep.mkdir(parents=True, exist_ok=True)
        out = run(args, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = run(args, Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
