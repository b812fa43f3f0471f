"""Bounded loopback load test of the JSON API: p50/p95 latency of the main endpoints.

Builds (or reuses) a demo workspace, starts `brandhalo serve` as a real server process on
127.0.0.1, sends a fixed number of requests from a few client threads, and writes
benchmarks/results/api_load.json. Goal (issue 6): p95 < 200 ms on the 1M-post demo.

    python benchmarks/api_load.py [--posts 1000000] [--requests 1000] [--clients 4]
                                  [--dir benchmarks/_work/api_load]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_workspace(directory: Path, posts: int) -> float:
    """Build the demo workspace unless one with the same size is there; seconds spent."""
    marker = directory / ".bench_posts"
    if marker.exists() and marker.read_text() == str(posts):
        return 0.0
    from brandhalo import pipeline

    t0 = time.perf_counter()
    pipeline.demo(directory, posts=posts, report=False, progress=lambda m: print("  " + m))
    marker.write_text(str(posts))
    return time.perf_counter() - t0


def make_token(directory: Path) -> str:
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    with Workspace.open(directory) as ws:
        return create_token(ws, "read", name="api_load benchmark")[1]


def start_server(directory: Path, port: int) -> subprocess.Popen[bytes]:
    code = "from brandhalo.cli import main; main()"
    args = ["serve", "-p", str(directory), "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def endpoints(brand: str) -> dict[str, str]:
    return {
        "overview": "/api/overview",
        "alerts": "/api/alerts",
        "metric_net_sentiment": f"/api/metrics/net_sentiment?brand={brand}",
        "metric_perception_index": f"/api/metrics/perception_index?brand={brand}",
        "posts_page": "/api/posts?page=3&page_size=20",
        "posts_page_uncached": "/api/posts?page={i}&page_size=20",
        "posts_query": "/api/posts?q=SU7%20AND%20(刹车%20OR%20crash)&page_size=20",
        "health": "/health",
    }


def run_load(base: str, token: str, paths: dict[str, str], total: int, clients: int) -> dict:
    import httpx

    names = list(paths)
    timings: dict[str, list[float]] = {n: [] for n in names}
    errors: dict[str, int] = {n: 0 for n in names}
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        with httpx.Client(
            base_url=base, headers={"authorization": f"Bearer {token}"}, timeout=60
        ) as client:
            for i in counter:
                name = names[i % len(names)]
                path = paths[name].replace("{i}", str(2 + i // len(names)))  # a new page each time
                t0 = time.perf_counter()
                resp = client.get(path)
                dt_ms = (time.perf_counter() - t0) * 1000
                with lock:
                    timings[name].append(dt_ms)
                    if resp.status_code != 200:
                        errors[name] += 1

    # Warm-up: one request each (first computation, then the cache), not counted.
    cold = {}
    with httpx.Client(
        base_url=base, headers={"authorization": f"Bearer {token}"}, timeout=120
    ) as client:
        for name, path in paths.items():
            t0 = time.perf_counter()
            client.get(path.replace("{i}", "1"))
            cold[name] = round((time.perf_counter() - t0) * 1000, 1)
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {
        "wall_s": round(wall, 2),
        "cold_ms": cold,
        "errors": errors,
        "per_endpoint": {n: summary(v) for n, v in timings.items()},
        "all": summary([x for v in timings.values() for x in v]),
    }


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {
        "n": len(values),
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "max_ms": round(max(values), 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--dir", type=Path, default=HERE / "_work" / "api_load")
    args = ap.parse_args()
    directory = args.dir.resolve()
    print(f"workspace {directory} ({args.posts:,} posts)")
    build_s = ensure_workspace(directory, args.posts)
    token = make_token(directory)
    port = free_port()
    proc = start_server(directory, port)
    try:
        from brandhalo.workspace import Workspace

        with Workspace.open(directory, read_only=True) as ws:
            brand = ws.config.own_brand.name
    except Exception:  # the server holds the write lock; read-only open may still fail
        brand = "Xiaomi"
    try:
        result = run_load(
            f"http://127.0.0.1:{port}", token, endpoints(brand), args.requests, args.clients
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    result.update(
        {
            "benchmark": "api_load",
            "posts": args.posts,
            "requests": args.requests,
            "clients": args.clients,
            "workspace_build_s": round(build_s, 1),
            "goal": "p95 < 200 ms per main endpoint",
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "note": "answers are cached by the server until the data changes; cold_ms is the first "
            "request of each endpoint",
        }
    )
    out = HERE / "results" / "api_load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result["per_endpoint"], indent=2))
    print(f"written {out}")


if __name__ == "__main__":
    main()
