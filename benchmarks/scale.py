"""Scale benchmark: enrichment and aggregation cost vs. posts, DuckDB and Spark local mode.

For each size (simulated posts from ``brandhalo.demo.simulate``, converted once to the store's
``posts`` columns), each engine runs in a fresh child process:

- ``duckdb``: ``text.enrich.run`` (all cores) then ``engines.local.run`` on a copy of a
  workspace holding the posts — the embedded default path;
- ``spark1`` / ``spark2``: ``engines.spark.analyze_spark`` in Spark local mode with 1 or 2
  worker threads, Parquet in -> Parquet out (no store), timings per step.

Peak memory is measured, not assumed: the parent samples the resident set of the child's
whole process tree (driver, JVM, Python workers) every 0.2 s, and reads the largest single
process from ``os.wait4`` (getrusage of the child and its descendants).

``--interrupt`` also measures resumability at full size: ``brandhalo analyze`` (the CLI) is
killed with SIGKILL half-way through enrichment, rerun, and its aggregates are compared with
the uninterrupted DuckDB run.

Usage::

    python benchmarks/scale.py [--sizes 100k,1m,10m] [--engines duckdb,spark1,spark2]
        [--interrupt] [--workdir /tmp/brandhalo-scale] [--out benchmarks/results/scale.json]

Results are merged into the JSON by (engine, posts), so sizes can be run separately.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "scale.json"
ENGINES = ("duckdb", "spark1", "spark2")
MEMORY_GOAL_MB = 4096


def parse_size(text: str) -> int:
    """'100k' -> 100000, '1m' -> 1000000, '2500' -> 2500."""
    t = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


# ----------------------------------------------------------------------------- data
def prepare(workdir: Path, n: int) -> tuple[Path, Path]:
    """Simulated posts as store-column Parquet and a base workspace holding them (cached)."""
    from brandhalo.demo import simulate

    sim, posts, base = workdir / f"sim-{n}", workdir / f"posts-{n}", workdir / f"base-{n}"
    if not (sim / "planted.json").exists():
        simulate(sim, seed=7, posts=n)
    if not (posts / "_SUCCESS").exists():
        _convert_posts(sim / "posts.parquet", posts)
    if not (base / ".loaded").exists():
        _load_base(sim, posts, base)
    return posts, base


def _convert_posts(src: Path, folder: Path) -> None:
    """Stream the simulator's raw posts into the store's posts columns (UTC, post_id)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rename = {"id": "post_id", "segment": "segment_hint"}
    for i, batch in enumerate(pq.ParquetFile(src).iter_batches(batch_size=500_000)):
        t = pa.Table.from_batches([batch])
        t = t.rename_columns([rename.get(c, c) for c in t.column_names])
        ts = pc.strptime(t["created_at"], format="%Y-%m-%dT%H:%M:%S%z", unit="us")
        utc = ts.cast(pa.timestamp("us", "UTC")).cast(pa.timestamp("us"))
        t = t.set_column(t.column_names.index("created_at"), "created_at", utc)
        t = t.append_column("is_repost", pc.is_valid(t["parent_id"]))
        pq.write_table(t, folder / f"part-{i:05d}.parquet", row_group_size=50_000)
    (folder / "_SUCCESS").touch()


def _load_base(sim: Path, posts: Path, base: Path) -> None:
    from brandhalo.engines.spark import POSTS_COLUMNS
    from brandhalo.workspace import init_workspace

    shutil.rmtree(base, ignore_errors=True)
    ws = init_workspace(base, config_text=(sim / "brandhalo.toml").read_text(encoding="utf-8"))
    have = ws.store.con.execute(
        f"DESCRIBE SELECT * FROM read_parquet('{posts}/*.parquet')"
    ).fetchall()
    cols = ", ".join(c for c in POSTS_COLUMNS if c in {r[0] for r in have})
    ws.store.con.execute(
        f"INSERT INTO posts ({cols}) SELECT {cols} FROM read_parquet('{posts}/*.parquet')"
    ).fetchall()
    ws.close()
    (base / ".loaded").touch()


# ----------------------------------------------------------------------------- children
def child_duckdb(base: Path, run_dir: Path) -> dict[str, Any]:
    from brandhalo.engines import local
    from brandhalo.text import enrich
    from brandhalo.workspace import Workspace

    with Workspace.open(run_dir) as ws:
        e = enrich.run(ws)
        a = local.run(ws)
    n = e.counts.get("enriched", 0)
    return {
        "enrich_s": e.seconds,
        "enrich_posts_per_s": n / e.seconds if e.seconds else None,
        "aggregate_s": a.seconds,
        "enriched": n,
        "agg_daily_rows": a.counts.get("daily_rows"),
        "workers": e.counts.get("workers"),
    }


def child_spark(posts: Path, run_dir: Path, workers: int, config_dir: Path) -> dict[str, Any]:
    from brandhalo.config import load_config
    from brandhalo.engines.spark import analyze_spark
    from brandhalo.engines.spark_session import spark_session

    t = time.perf_counter()
    spark = spark_session(f"local[{workers}]", driver_memory="2g")
    start_s = time.perf_counter() - t
    r = analyze_spark(load_config(config_dir), str(posts), str(run_dir), spark=spark, resume=False)
    enrich_s = r.counts["enrich_ms"] / 1000
    return {
        "spark_start_s": start_s,
        "enrich_s": enrich_s,
        "enrich_posts_per_s": r.counts["posts"] / enrich_s if enrich_s else None,
        "aggregate_s": r.counts["aggregate_ms"] / 1000,
        "enriched": r.counts["posts"],
        "agg_daily_rows": r.counts["agg_daily"],
        "workers": workers,
    }


def child_main(args: argparse.Namespace) -> None:
    posts, base, run_dir = Path(args.posts), Path(args.base), Path(args.run_dir)
    if args.child == "duckdb":
        out = child_duckdb(base, run_dir)
    else:
        out = child_spark(posts, run_dir, int(args.child[-1]), base)
    print("RESULT " + json.dumps(out), flush=True)


# ----------------------------------------------------------------------------- measuring
def _tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier.extend(kids)
    return sum(rss.get(p, 0) for p in tree) / 2**20


def measured(cmd: list[str], *, kill_after: float | None = None) -> dict[str, Any]:
    """Run `cmd`, sampling its process tree's memory; optionally SIGKILL it after N seconds."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if kill_after is not None:
        threading.Timer(kill_after, lambda: os.killpg(proc.pid, signal.SIGKILL)).start()
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    sampler.join()
    result = next(
        (json.loads(line[7:]) for line in output.splitlines() if line.startswith("RESULT ")), {}
    )
    return {
        **result,
        "returncode": proc.returncode,
        "wall_s": time.perf_counter() - t0,
        "peak_rss_tree_mb": round(peak[0], 1),
        "peak_rss_max_process_mb": round(usage.ru_maxrss / 1024, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
    }


def run_engine(engine: str, n: int, posts: Path, base: Path, workdir: Path) -> dict[str, Any]:
    run_dir = workdir / f"run-{engine}-{n}"
    shutil.rmtree(run_dir, ignore_errors=True)
    if engine == "duckdb":
        shutil.copytree(base, run_dir)
    cmd = [sys.executable, __file__, "--child", engine, "--posts", str(posts)]
    cmd += ["--base", str(base), "--run-dir", str(run_dir)]
    code = code_hash()
    out = measured(cmd)
    out.update(engine=engine, posts=n, loadavg=os.getloadavg()[0], code=code)
    out["under_memory_goal"] = out["peak_rss_tree_mb"] <= MEMORY_GOAL_MB
    return out


_COMPARED = {
    "agg_daily": "day, brand, target_type, touchpoint, theme, segment, source, lang",
    "agg_hourly": "hour, day, brand, target_type, touchpoint, theme",
    "post_targets": "post_id, target_type, target",
    "post_themes": "post_id, theme",
}


def differing_rows(con: Any, table: str, keys: str) -> int:
    """Rows of `table` that differ from `ref.table`: missing on either side, or any value off
    (floats by more than 1e-9 relative: DuckDB's parallel sums are not bit-reproducible)."""
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    key_list = [k.strip() for k in keys.split(",")]
    conds = [f"a.{k} IS NULL OR b.{k} IS NULL" for k in key_list[:1]]
    for c in cols:
        if c in key_list:
            continue
        if c in ("engagement", "positive_w", "negative_w", "score"):
            conds.append(
                f"abs(a.{c} - b.{c}) > 1e-9 * greatest(1, abs(a.{c}), abs(b.{c})) "
                f"OR (a.{c} IS NULL) <> (b.{c} IS NULL)"
            )
        else:
            conds.append(f"a.{c} IS DISTINCT FROM b.{c}")
    on = " AND ".join(f"a.{k} IS NOT DISTINCT FROM b.{k}" for k in key_list)
    sql = f"SELECT count(*) FROM {table} a FULL JOIN ref.{table} b ON {on} WHERE " + " OR ".join(
        f"({c})" for c in conds
    )
    return int(con.execute(sql).fetchall()[0][0])


def code_hash() -> str:
    """Hash of brandhalo's sources: runs compared for equality must share it."""
    import hashlib

    h = hashlib.sha256()
    for p in sorted((ROOT / "src" / "brandhalo").rglob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def interrupted(n: int, base: Path, workdir: Path, ref: dict[str, Any]) -> dict[str, Any]:
    """Kill `brandhalo analyze` half-way through enrichment, rerun, compare with duckdb run."""
    import duckdb

    enrich_s = ref["enrich_s"]
    run_dir = workdir / f"run-interrupt-{n}"
    shutil.rmtree(run_dir, ignore_errors=True)
    shutil.copytree(base, run_dir)
    cli = [shutil.which("brandhalo") or "brandhalo", "analyze", "--project", str(run_dir)]
    first = measured(cli, kill_after=max(5.0, enrich_s / 2))
    con = duckdb.connect(str(run_dir / "brandhalo.duckdb"))
    committed = con.execute("SELECT count(*) FROM enriched").fetchall()[0][0]
    con.close()
    second = measured(cli)
    if code_hash() != ref.get("code"):
        # The sources changed since the reference run: redo it so both ran the same code.
        ref.update(run_engine("duckdb", n, workdir / f"posts-{n}", base, workdir))
    con = duckdb.connect(str(run_dir / "brandhalo.duckdb"), read_only=True)
    con.execute(f"ATTACH '{workdir / f'run-duckdb-{n}' / 'brandhalo.duckdb'}' AS ref (READ_ONLY)")
    diff = {t: differing_rows(con, t, keys) for t, keys in _COMPARED.items()}
    total = con.execute("SELECT count(*) FROM enriched").fetchall()[0][0]
    con.close()
    return {
        "posts": n,
        "killed_after_s": round(max(5.0, enrich_s / 2), 1),
        "killed_returncode": first["returncode"],
        "enriched_before_kill": committed,
        "enriched_after_rerun": total,
        "rerun_wall_s": second["wall_s"],
        "rerun_returncode": second["returncode"],
        "rerun_peak_rss_tree_mb": second["peak_rss_tree_mb"],
        "rows_differing_from_uninterrupted": diff,
        "equal_to_uninterrupted": all(v == 0 for v in diff.values()),
    }


# ----------------------------------------------------------------------------- report
def slopes(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Least-squares seconds = a + b * posts per engine (b shown per million posts)."""
    import numpy as np

    out: dict[str, Any] = {}
    for engine in ENGINES:
        rs = sorted(
            (r for r in runs if r["engine"] == engine and r.get("returncode") == 0),
            key=lambda r: r["posts"],
        )
        if len({r["posts"] for r in rs}) < 2:
            continue
        x = np.array([r["posts"] for r in rs], dtype=float) / 1e6
        fit: dict[str, Any] = {"sizes": [r["posts"] for r in rs]}
        for key in ("enrich_s", "aggregate_s"):
            b, a = np.polyfit(x, np.array([r[key] for r in rs]), 1)
            fit[f"{key}_per_million"], fit[f"{key}_intercept"] = round(b, 3), round(a, 3)
        out[engine] = fit
    return out


def machine() -> dict[str, Any]:
    import duckdb

    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "platform": platform.platform(),
    }
    try:
        import pyspark

        info["pyspark"] = pyspark.__version__
    except ImportError:
        info["pyspark"] = None
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100k", help="comma list, e.g. 100k,1m,10m")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--interrupt", action="store_true", help="also measure kill -9 + resume")
    ap.add_argument("--workdir", default="/tmp/brandhalo-scale")
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--markdown", action="store_true", help="print the JSON's results as a table")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--posts", help=argparse.SUPPRESS)
    ap.add_argument("--base", help=argparse.SUPPRESS)
    ap.add_argument("--run-dir", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child_main(args)
        return 0
    if args.markdown:
        print(markdown(json.loads(Path(args.out).read_text())))
        return 0
    from brandhalo.engines.spark_session import spark_available

    workdir, out_path = Path(args.workdir), Path(args.out)
    workdir.mkdir(parents=True, exist_ok=True)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    why = spark_available()
    if why and any(e.startswith("spark") for e in engines):
        print(f"skipping Spark engines: {why}", file=sys.stderr)
        engines = [e for e in engines if not e.startswith("spark")]
    report = json.loads(out_path.read_text()) if out_path.exists() else {}
    runs = {(r["engine"], r["posts"]): r for r in report.get("runs", [])}
    resumes = {r["posts"]: r for r in report.get("resume", [])}
    for n in (parse_size(s) for s in args.sizes.split(",")):
        t = time.perf_counter()
        posts, base = prepare(workdir, n)
        print(f"{n:,} posts ready in {time.perf_counter() - t:.0f}s", file=sys.stderr)
        for engine in engines:
            r = run_engine(engine, n, posts, base, workdir)
            runs[(engine, n)] = r
            print(json.dumps(r), file=sys.stderr)
        if args.interrupt and ("duckdb", n) in runs:
            resumes[n] = interrupted(n, base, workdir, runs[("duckdb", n)])
            print(json.dumps(resumes[n]), file=sys.stderr)
        _write(out_path, runs, resumes)
    return 0


def markdown(report: dict[str, Any]) -> str:
    """The runs, slopes and resume checks of a scale.json as Markdown tables."""
    lines = [
        "| engine | posts | enrich posts/s | enrich s | aggregate s | peak RSS tree MB "
        "| largest process MB | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["runs"]:
        lines.append(
            f"| {r['engine']} | {r['posts']:,} | {r.get('enrich_posts_per_s') or 0:,.0f} "
            f"| {r.get('enrich_s', 0):.1f} | {r.get('aggregate_s', 0):.1f} "
            f"| {r['peak_rss_tree_mb']:,.0f} | {r['peak_rss_max_process_mb']:,.0f} "
            f"| {r.get('loadavg', 0):.1f} |"
        )
    if report.get("slope"):
        lines += [
            "",
            "| engine | sizes | enrich s per 1M posts | aggregate s per 1M posts |",
            "|---|---|---:|---:|",
        ]
        for engine, f in report["slope"].items():
            sizes = ", ".join(f"{n:,}" for n in f["sizes"])
            lines.append(
                f"| {engine} | {sizes} | {f['enrich_s_per_million']} "
                f"| {f['aggregate_s_per_million']} |"
            )
    for r in report.get("resume", []):
        lines.append(
            f"\nResume at {r['posts']:,} posts: killed after {r['killed_after_s']} s with "
            f"{r['enriched_before_kill']:,} posts enriched; the rerun finished "
            f"{r['enriched_after_rerun']:,} posts in {r['rerun_wall_s']:.0f} s, equal to the "
            f"uninterrupted run: {r['equal_to_uninterrupted']}."
        )
    return "\n".join(lines)


def _write(path: Path, runs: dict[Any, Any], resumes: dict[int, Any]) -> None:
    ordered = sorted(runs.values(), key=lambda r: (r["posts"], r["engine"]))
    report = {
        "benchmark": "scale",
        "what": "enrichment posts/s and aggregation seconds vs posts; peak RSS of the "
        "whole process tree (sampled) and of the largest process (getrusage)",
        "memory_goal_mb": MEMORY_GOAL_MB,
        "machine": machine(),
        "runs": ordered,
        "slope": slopes(ordered),
        "resume": sorted(resumes.values(), key=lambda r: r["posts"]),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
