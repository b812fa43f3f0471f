"""Aggregate stage with the recent-window hourly table and the post-type dimension (issues 19, 16).

The synthetic enriched tables of ``signals_speed.py`` (N posts over one year, 20 brands, in time
order) are generated once per case, then :func:`brandhalo.engines.local.run` rebuilds
``agg_daily`` and ``agg_hourly`` from ``post_facts`` ``--repeat`` times (median wall and CPU
seconds, rows written). Cases:

* ``all_hours``: ``[aggregate] hourly_days`` larger than the data (every hour kept: what the
  stage wrote before issue 19), posts only;
* ``window_90``: the default 90-day hourly window, posts only;
* ``window_90_comments``: the same with 20 % comments and 10 % replies (``post_type``), the
  dimension's cost when a workspace holds comments.

With ``--code-root`` pointing at another checkout's ``src`` (e.g. the commit before these
changes, unpacked with ``git archive``), the same generation is timed with that code under the
case name ``before`` (no ``[aggregate]`` setting: every hour kept). Writes
``benchmarks/results/aggregate_window.json`` (merging cases of earlier runs of the same size).

Usage::

    python benchmarks/aggregate_window.py --posts 1000000
    git archive <commit> src | tar -x -C /tmp/before
    PYTHONPATH=/tmp/before/src python benchmarks/aggregate_window.py --posts 1000000 --before
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from signals_speed import CONFIG, generate

OUT = Path(__file__).parent / "results" / "aggregate_window.json"
CASES = {
    "all_hours": (100_000, 0.0),
    "window_90": (90, 0.0),
    "window_90_comments": (90, 0.3),
}


def _config(hourly_days: int | None) -> str:
    return CONFIG + (f"\n[aggregate]\nhourly_days = {hourly_days}\n" if hourly_days else "")


def run_case(
    n: int, hourly_days: int | None, comments: float, repeat: int, threads: int
) -> dict[str, Any]:
    """Generate, build the facts, then time ``repeat`` full aggregate runs."""
    import brandhalo
    from brandhalo.engines import local
    from brandhalo.store import facts
    from brandhalo.workspace import init_workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws", config_text=_config(hourly_days))
        con = ws.store.con
        con.execute(f"SET threads = {threads}")
        generate(con, n)
        if comments:
            reply = comments / 3
            con.execute(
                "UPDATE enriched SET post_type = CASE WHEN hash(post_id || 't') % 1000 < "
                f"{int(reply * 1000)} THEN 'reply' WHEN hash(post_id || 't') % 1000 < "
                f"{int(comments * 1000)} THEN 'comment' ELSE 'post' END"
            )
        facts.refresh(con)
        con.execute("CHECKPOINT")
        walls, cpus = [], []
        counts: dict[str, Any] = {}
        for _ in range(repeat):
            c, t = time.process_time(), time.perf_counter()
            counts = local.run(ws, full=True).counts
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        rows = {t: ws.store.count(t) for t in ("agg_daily", "agg_hourly")}
        ws.close()
    return {
        "code": str(Path(brandhalo.__file__).parent),
        "hourly_days": hourly_days,
        "comment_share": comments,
        "aggregate_full_s_median": round(statistics.median(walls), 2),
        "aggregate_full_cpu_s_median": round(statistics.median(cpus), 2),
        "aggregate_full_s_runs": [round(w, 2) for w in walls],
        "counts": counts,
        "rows": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--before", action="store_true", help="time the code on PYTHONPATH as 'before'")
    ap.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    old = json.loads(args.out.read_text()) if args.out.exists() else {}
    results = old.get("cases", {}) if old.get("posts") == args.posts else {}
    if args.before:
        results["before"] = run_case(args.posts, None, 0.0, args.repeat, args.threads)
    else:
        for name in args.cases.split(","):
            days, share = CASES[name]
            results[name] = run_case(args.posts, days, share, args.repeat, args.threads)
    out = {
        "benchmark": "aggregate stage: recent-window agg_hourly and post types (issues 19, 16)",
        "command": "python benchmarks/aggregate_window.py --posts N [--before with PYTHONPATH]",
        "machine": f"{platform.machine()} {os.cpu_count()} cpus, duckdb threads={args.threads}",
        "load_average_1_5_15": [round(x, 1) for x in os.getloadavg()],
        "posts": args.posts,
        "days": 365,
        "cases": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
