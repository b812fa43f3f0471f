"""End to end: N posts of real-length social text from CSV to report, against DuckDB's floor.

    python benchmarks/e2e.py --posts 100k          # also 1m, 10m; comma lists run in turn

For each size a realistic CSV is generated once (cached in the work folder) by
:mod:`e2e_corpus`: the simulator's posts (its brand mix, dates, sources and authors), Chinese
and English about 70 / 30, one core post per row (two in a few comparisons, none in keyword
noise), padded with brand-free filler to real post length (~150 characters, long tail), with
hashtags, @mentions, emoji, links, comments, reposts and copy-paste templates. Then, each in its
own process on a fresh workspace with the simulator's config:

- ``brandhalo ingest posts FILE``, analyze (enrich, aggregate, signals: the CLI's stages, run
  by this script's ``--child analyze`` so that each stage's CPU seconds, its workers' included,
  are read from ``getrusage``), ``brandhalo report``;
- DuckDB's own floor on the same file: ``read_csv`` into a table of a database file, then one
  GROUP BY over six keys.

Each step records wall and CPU seconds (the process and its children), the peak resident
memory of its whole process tree and the machine's 1-minute load average before and after it
(the machine may be shared: a load above its core count means the wall times are inflated).
The corpus is described twice: from the CSV (length, language, comments, links) and from the
analyzed workspace (targets and brands per post, share naming none, near-duplicates,
campaigns). Results are merged by size into ``benchmarks/results/e2e.json`` with the ratio of
our total wall time to the floor's; runs of another corpus version are replaced.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from e2e_corpus import VERSION, describe_csv, make_csv  # noqa: E402
from scale import machine, measured, parse_size  # noqa: E402

RESULTS = HERE / "results" / "e2e.json"
FLOOR_SQL = """
SET memory_limit = '{cap}';
CREATE TABLE raw AS SELECT * FROM read_csv('{csv}', header = true);
CHECKPOINT;
SELECT count(*) FROM (
  SELECT CAST(created_at AS DATE) AS day, hour(CAST(created_at AS TIMESTAMP)) AS h, source,
         author_id, likes > 0 AS liked, lang, count(*) AS n, sum(comments) AS c
  FROM raw GROUP BY ALL
);
"""
#: What the analyzed workspace holds per post: how realistic the corpus was for the matcher.
SHAPE_SQL = """
SELECT (SELECT count(*) FROM post_targets) / count(*) AS targets_per_post,
       (SELECT count(*) FROM (SELECT DISTINCT post_id, brand FROM post_targets)) / count(*)
         AS brands_per_post,
       1 - (SELECT count(DISTINCT post_id) FROM post_targets) / count(*) AS share_naming_none,
       avg((lang = 'zh')::INT) AS zh_share_detected,
       avg(is_repost::INT) AS repost_share,
       avg((cluster_id IS NOT NULL AND cluster_id <> post_id)::INT) AS neardup_joined_share,
       avg((origin = 'campaign')::INT) AS campaign_share
FROM enriched
"""


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "brandhalo", *args]


def _step(cmd: list[str]) -> dict[str, Any]:
    load0 = os.getloadavg()[0]
    out = measured(cmd)
    if out["returncode"] != 0:
        raise SystemExit(f"e2e: {' '.join(cmd)} failed with {out['returncode']}")
    step = {k: round(out[k], 2) for k in ("wall_s", "cpu_s", "peak_rss_tree_mb")}
    if "stages" in out:
        step["stages"] = out["stages"]
    return {**step, "loadavg_1m": [round(load0, 2), round(os.getloadavg()[0], 2)]}


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (enrich's workers)."""
    import resource

    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child_analyze(ws_dir: Path) -> dict[str, Any]:
    """``brandhalo analyze``'s stages (the local engine) one by one: wall and CPU seconds each."""
    from brandhalo.pipeline import ANALYZE_STAGES, run_stages
    from brandhalo.workspace import Workspace

    stages: dict[str, Any] = {}
    with Workspace.open(ws_dir) as ws:
        for stage in ANALYZE_STAGES["local"]:
            cpu = _cpu_s()
            report = run_stages(ws, [stage])
            stages[stage.name] = {
                "wall_s": round(report.seconds, 2),
                "cpu_s": round(_cpu_s() - cpu, 2),
                "counts": report.stages[0].counts,
            }
    return {"stages": stages}


def run(workdir: Path, n: int, cap: str) -> dict[str, Any]:
    """Generate (or reuse) the CSV, then time every step on a fresh workspace."""
    from brandhalo.workspace import init_workspace

    load_at_start = [round(x, 2) for x in os.getloadavg()]
    t = time.perf_counter()
    csv, config = make_csv(workdir, n)
    generate_s = time.perf_counter() - t
    ws = workdir / f"ws-{n}"
    shutil.rmtree(ws, ignore_errors=True)
    init_workspace(ws, config_text=config.read_text(encoding="utf-8")).close()
    steps = {
        "ingest": _step(_cli("ingest", "posts", str(csv), "-p", str(ws))),
        "analyze": _step([sys.executable, __file__, "--child", "analyze", "--workdir", str(ws)]),
        "report": _step(_cli("report", "-p", str(ws), "--out", str(workdir / f"r-{n}.html"))),
    }
    floor_db = workdir / f"floor-{n}.duckdb"
    floor_db.unlink(missing_ok=True)
    script = f"import duckdb; duckdb.connect({str(floor_db)!r}).execute({FLOOR_SQL.format(csv=csv, cap=cap)!r})"
    floor = _step([sys.executable, "-c", script])
    floor_db.unlink(missing_ok=True)
    total = {k: round(sum(s[k] for s in steps.values()), 2) for k in ("wall_s", "cpu_s")}
    enriched = steps["analyze"]["stages"]["enrich"]
    return {
        "posts": n,
        "corpus_version": VERSION,
        "csv_mb": round(csv.stat().st_size / 2**20, 1),
        **describe_csv(csv),
        **workspace_shape(ws),
        "generate_s": round(generate_s, 1),
        "steps": steps,
        "total": {**total, "peak_rss_tree_mb": max(s["peak_rss_tree_mb"] for s in steps.values())},
        "duckdb_floor": floor,
        "ratio_to_floor": round(total["wall_s"] / floor["wall_s"], 2),
        "cpu_ratio_to_floor": round(total["cpu_s"] / floor["cpu_s"], 2),
        "ingest_rows_per_s": round(n / steps["ingest"]["wall_s"]),
        "enrich_posts_per_s": round(n / enriched["wall_s"]) if enriched["wall_s"] else None,
        "enrich_posts_per_cpu_s": round(n / enriched["cpu_s"]) if enriched["cpu_s"] else None,
        "memory_cap_mb": memory_cap_mb(),
        "loadavg_1m_5m_15m_at_start": load_at_start,
        "loadavg_1m_5m_15m_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def workspace_shape(ws: Path) -> dict[str, float]:
    """Targets, brands and near-duplicates per post in the analyzed workspace `ws`."""
    import duckdb

    con = duckdb.connect(str(ws / "brandhalo.duckdb"), read_only=True)
    try:
        res = con.execute(SHAPE_SQL)
        names = [d[0] for d in res.description]
        row = res.fetchall()[0]
    finally:
        con.close()
    return {k: round(float(v), 3) for k, v in zip(names, row, strict=True)}


def memory_cap_mb() -> int:
    """The issue's memory cap: min(4 GB, RAM / 2)."""
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return int(min(4 << 30, ram // 2) >> 20)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", default="100k", help="comma list of sizes, e.g. 100k,1m,10m")
    ap.add_argument("--workdir", type=Path, default=HERE / "_work" / "e2e")
    ap.add_argument("--floor-memory", default="4GB", help="DuckDB memory_limit for the floor")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--child", choices=["analyze"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:  # the workspace comes as --workdir
        print("RESULT " + json.dumps(child_analyze(args.workdir)), flush=True)
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    old = json.loads(args.out.read_text()) if args.out.exists() else {}
    runs = {str(r["posts"]): r for r in old.get("runs", []) if r.get("corpus_version") == VERSION}
    for size in args.posts.split(","):
        result = run(args.workdir, parse_size(size), args.floor_memory)
        print(json.dumps(result, indent=1))
        runs[str(result["posts"])] = result
    report = {
        "machine": machine(),
        "note": "wall and CPU seconds per step in fresh processes (analyze: per stage too); "
        "peak RSS of the process tree; the floor is DuckDB alone loading the same CSV into a "
        "database file and running one 6-key GROUP BY. The machine may be shared: loadavg_1m "
        "is the 1-minute load average before and after each step (above the core count, wall "
        "times are inflated by other work).",
        "runs": sorted(runs.values(), key=lambda r: r["posts"]),
    }
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
