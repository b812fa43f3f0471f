"""Ingest throughput and peak memory for simple generated posts, from CSV and Parquet.

    python benchmarks/ingest.py                      # quick: 200k posts
    python benchmarks/ingest.py --sizes 1000000,10000000

For each size the posts are generated once (vectorized, streamed to disk in 1M-row chunks) as
CSV and Parquet; each file is ingested into a fresh workspace in its own subprocess, which
reports wall time and its peak RSS. A plain DuckDB scan of the same file is timed as the floor.
Results go to benchmarks/results/ingest.json (merged by size and format).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTE = (
    "The machine is shared: wall times include waiting for CPU (see load_avg_1m_at_end). "
    "cpu_seconds counts every thread of the ingest process; rows_per_cpu_s_x2 (2 x rows / CPU "
    "second) estimates an otherwise idle 2-core machine. duckdb_scan_* is DuckDB alone "
    "scanning the file; duckdb_write_* is DuckDB alone copying it into a table of a database "
    "file and checkpointing it (the floor for writing; the posts table has 24 columns, the file "
    "8). peak_rss_mb is the ingest process's peak resident memory, checkpoint included."
)
RESULTS = HERE / "results" / "ingest.json"
CHUNK = 1_000_000
_WORDS = [
    "小米",
    "汽车",
    "SU7",
    "交付",
    "很好",
    "太贵了",
    "质量",
    "续航",
    "雷军",
    "发布会",
    "售后",
    "门店",
    "不错",
    "失望",
    "值得",
    "推荐",
    "great",
    "phone",
    "price",
    "camera",
    "battery",
    "love",
    "hate",
    "quality",
    "delivery",
    "wait",
    "😀",
    "🚗",
    "🔥",
    "！",
    "，",
    "。",
]


def _chunk(start: int, n: int, seed: int):  # -> pyarrow.Table
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed + start)
    words = np.array(_WORDS)
    picks = words[rng.integers(0, len(words), (n, 12))]
    text = picks[:, 0]
    for j in range(1, 12):
        text = np.char.add(np.char.add(text, " "), picks[:, j])
    secs = rng.integers(0, 500 * 86400, n) + 1_704_067_200  # 2024-01-01 onwards
    local = pa.array((secs + 8 * 3600).astype("datetime64[s]"))
    created = pc.binary_join_element_wise(pc.strftime(local, "%Y-%m-%dT%H:%M:%S"), "+08:00", "")
    ids = np.arange(start, start + n)
    return pa.table(
        {
            "id": pa.array(np.char.add("p", ids.astype(str))),
            "text": pa.array(text),
            "created_at": created,
            "author_id": pa.array(np.char.add("u", rng.integers(0, 200_000, n).astype(str))),
            "likes": pa.array(rng.integers(0, 500, n)),
            "reposts": pa.array(rng.integers(0, 50, n)),
            "comments": pa.array(rng.integers(0, 80, n)),
            "source": pa.array(rng.choice(["weibo", "douyin", "x"], n)),
        }
    )


def generate(out_dir: Path, n: int, seed: int = 7) -> dict[str, Path]:
    """Write n posts as posts_<n>.csv and posts_<n>.parquet, 1M rows at a time."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    paths = {"csv": out_dir / f"posts_{n}.csv", "parquet": out_dir / f"posts_{n}.parquet"}
    if all(p.exists() for p in paths.values()):
        return paths
    first = _chunk(0, min(CHUNK, n), seed)
    with (
        pq.ParquetWriter(paths["parquet"], first.schema) as pw,
        pcsv.CSVWriter(paths["csv"], first.schema) as cw,
    ):
        for start in range(0, n, CHUNK):
            t = first if start == 0 else _chunk(start, min(CHUNK, n - start), seed)
            pw.write_table(t, row_group_size=256_000)
            cw.write_table(t)
    return paths


def run_one(path: str, ws_dir: str) -> None:
    """(Child process) ingest `path` into a fresh workspace; print seconds and peak RSS."""
    from brandhalo.ingest import ingest_files
    from brandhalo.workspace import init_workspace

    ws = init_workspace(ws_dir)
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = usage0.ru_utime + usage0.ru_stime
    t0 = time.perf_counter()
    report = ingest_files(ws, "posts", [path])
    seconds = time.perf_counter() - t0
    ws.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu0
    peak = usage.ru_maxrss * 1024
    print(
        json.dumps(
            {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_bytes": peak, **report.totals}
        )
    )


def scan_floor(path: Path, fmt: str) -> tuple[float, float]:
    """(wall, CPU) seconds for DuckDB alone to scan the file (the engine floor)."""
    import duckdb

    src = (
        f"read_parquet('{path}')" if fmt == "parquet" else f"read_csv('{path}', all_varchar = true)"
    )
    con = duckdb.connect()
    t0, c0 = time.perf_counter(), time.process_time()
    con.execute(f"SELECT count(*), sum(length(text)), count(DISTINCT id) FROM {src}").fetchall()
    return time.perf_counter() - t0, time.process_time() - c0


def write_floor(path: Path, fmt: str, work: Path) -> tuple[float, float]:
    """(wall, CPU) seconds for DuckDB alone to copy the file into a table of a database file
    and CHECKPOINT it (no validation, no normalization: the engine's floor for writing)."""
    import duckdb

    db = work / f"floor_{fmt}.duckdb"
    src = (
        f"read_parquet('{path}')" if fmt == "parquet" else f"read_csv('{path}', all_varchar = true)"
    )
    con = duckdb.connect(str(db))
    t0, c0 = time.perf_counter(), time.process_time()
    con.execute(f"CREATE TABLE t AS SELECT * FROM {src}")
    con.execute("CHECKPOINT")
    out = time.perf_counter() - t0, time.process_time() - c0
    con.close()
    db.unlink()
    return out


def measure(
    paths: dict[str, Path], n: int, work: Path, formats: list[str]
) -> list[dict[str, object]]:
    from brandhalo.ingest.writer import memory_budget

    rows = []
    for fmt, path in paths.items():
        if fmt not in formats:
            continue
        ws_dir = work / f"ws_{fmt}_{n}"
        out = subprocess.run(
            [sys.executable, __file__, "--run-one", str(path), str(ws_dir)],
            capture_output=True,
            text=True,
            check=True,
        )
        child = json.loads(out.stdout.strip().splitlines()[-1])
        floor, floor_cpu = scan_floor(path, fmt)
        write, write_cpu = write_floor(path, fmt, work)
        row = {
            "size": n,
            "format": fmt,
            "memory_cap": memory_budget(),
            "file_bytes": path.stat().st_size,
            "seconds": round(child["seconds"], 2),
            "rows_per_s": round(n / child["seconds"]),
            "cpu_seconds": round(child["cpu_seconds"], 2),
            # Throughput if the CPU work spread over 2 otherwise idle cores (an upper bound);
            # on a shared, loaded machine wall time says more about the neighbours.
            "rows_per_cpu_s_x2": round(2 * n / child["cpu_seconds"]),
            "peak_rss_mb": round(child["peak_rss_bytes"] / 2**20),
            "inserted": child["inserted"],
            "quarantined": child["quarantined"],
            "duckdb_scan_seconds": round(floor, 2),
            "duckdb_scan_cpu_seconds": round(floor_cpu, 2),
            "duckdb_write_seconds": round(write, 2),
            "duckdb_write_cpu_seconds": round(write_cpu, 2),
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def _key(run: dict) -> tuple:
    """A run's identity in the results file: size, format, DuckDB memory cap."""
    return run["size"], run["format"], str(run.get("memory_cap"))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="200000", help="comma-separated post counts")
    ap.add_argument("--formats", default="csv,parquet", help="csv, parquet or both")
    ap.add_argument("--dir", help="folder for generated files (default: a temp folder)")
    ap.add_argument("--run-one", nargs=2, metavar=("FILE", "WS"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run_one:
        run_one(*args.run_one)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="bh-bench-ingest-") as tmp:
        data = Path(args.dir) if args.dir else Path(tmp)
        data.mkdir(parents=True, exist_ok=True)
        results = []
        for n in sizes:
            results += measure(generate(data, n), n, Path(tmp), args.formats.split(","))
    old = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    new = {_key(r) for r in results}
    keep = [r for r in old.get("runs", []) if _key(r) not in new]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "ingest posts (validation, dedup, repost linking included)",
                "machine": {
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "python": platform.python_version(),
                    "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
                },
                "command": "python benchmarks/ingest.py --sizes " + args.sizes,
                "runs": sorted(keep + results, key=_key),
                "note": NOTE,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
