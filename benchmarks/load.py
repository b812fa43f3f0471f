"""Full loopback load run: `brandhalo serve` under 20 concurrent clients (10k requests) while
an ingest of 1M posts runs on the same workspace (issue 8, item 5).

Reports request counts by status, p50/p95/max latency (requests wait while the ingest holds the
store for writing: see docs/concurrency.md), rows lost, and the server's memory over the run,
into benchmarks/results/load.json.

    python benchmarks/load.py [--requests 10000] [--clients 20] [--ingest-rows 1000000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

from rel_loadgen import run_load  # noqa: E402

from brandhalo.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--ingest-rows", type=int, default=1_000_000)
    ap.add_argument("--demo-posts", type=int, default=20_000, help="workspace size served")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/load.json")
    args = ap.parse_args()
    from brandhalo import pipeline
    from brandhalo.demo import build_demo_workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ws, _ = build_demo_workspace(root, seed=7, posts=args.demo_posts)
            pipeline.analyze(ws)
        ws.close()
        out = run_load(
            root,
            requests=args.requests,
            clients=args.clients,
            ingest_rows=args.ingest_rows,
            tmp=Path(tmp),
        )
        with Store(root / "brandhalo.duckdb", read_only=True) as st:
            got = st.con.execute(
                "SELECT count(DISTINCT post_id) FROM posts WHERE post_id LIKE 'load-%'"
            ).fetchone()
        out["rows_lost"] = args.ingest_rows - int(got[0] if got else 0)
        out["demo_posts"] = args.demo_posts
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
