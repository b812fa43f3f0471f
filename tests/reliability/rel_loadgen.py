"""A bounded loopback load run: `brandhalo serve` answering concurrent clients while an
`ingest` runs on the same workspace. Used by the CI test (small) and benchmarks/load.py."""

from __future__ import annotations

import json
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from rel_helpers import cli, cli_env, free_port, run_cli, wait_health, write_posts_csv

PATHS = (
    "/api/whoami",
    "/api/metrics",
    "/api/alerts",
    "/api/posts?q=刹车&page_size=10",
    "/api/posts?q=SU7 AND 问题&page=2",
    "/api/overview",
)


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run_load(
    ws: Path, *, requests: int, clients: int, ingest_rows: int, tmp: Path
) -> dict[str, Any]:
    """Serve `ws`, send `requests` GETs from `clients` threads while ingesting `ingest_rows`
    posts with the CLI; return counts, latency percentiles and the server's memory samples."""
    token = json.loads(run_cli("token", "create", "--role", "read", "--json", "-p", str(ws)).stdout)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp / "serve.log").open("w")
    server = subprocess.Popen(
        cli("serve", "-p", str(ws), "--port", str(port)),
        stdout=log,
        stderr=subprocess.STDOUT,
        env=cli_env(),
    )
    log.close()
    try:
        wait_health(url, server)
        batch = write_posts_csv(tmp / "load.csv", 0, ingest_rows, prefix="load")
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        rss: list[int] = [_rss_kb(server.pid)]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.5):
                rss.append(_rss_kb(server.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        headers = {"authorization": f"Bearer {token['token']}"}
        local = threading.local()
        opened: list[httpx.Client] = []

        def one(i: int) -> None:
            client = getattr(local, "c", None)
            if client is None:
                client = local.c = httpx.Client(base_url=url, headers=headers, timeout=600)
                opened.append(client)
            t0 = time.perf_counter()
            r = client.get(PATHS[i % len(PATHS)])
            latencies.append(time.perf_counter() - t0)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        t0 = time.perf_counter()
        ingest = subprocess.Popen(
            cli("ingest", "posts", str(batch), "-p", str(ws)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(one, range(requests)))
        for c in opened:
            c.close()
        _, ingest_err = ingest.communicate(timeout=900)
        wall = time.perf_counter() - t0
        stop.set()
        sampler.join()
        rss.append(_rss_kb(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=60)
    lat = sorted(latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return {
        "requests": len(lat),
        "clients": clients,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": sum(v for k, v in statuses.items() if k >= 400),
        "ingest_rows": ingest_rows,
        "ingest_rc": ingest.returncode,
        "ingest_stderr_tail": ingest_err[-500:],
        "wall_s": round(wall, 2),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1),
        "serve_rss_mb": {
            "start": round(rss[0] / 1024, 1),
            "max": round(max(rss) / 1024, 1),
            "end": round(rss[-1] / 1024, 1),
            "samples": len(rss),
        },
    }
