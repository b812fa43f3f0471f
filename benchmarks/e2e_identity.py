"""Speed work must not change results: snapshot a fixed run's tables, compare later runs to it.

    python benchmarks/e2e_identity.py --save      # before an optimisation: the reference
    python benchmarks/e2e_identity.py             # after it: compare (exit 1 on a difference)

The run: the e2e benchmark's generated CSV of ``--posts`` (default 50k) real-length posts
(:mod:`e2e_corpus`; workspaces and snapshots are named by corpus version), ``brandhalo ingest
posts`` and ``brandhalo analyze`` (CLI, fresh workspace, the simulator's config). The tables
``posts``, ``enriched``, ``post_targets``, ``post_themes`` and ``agg_daily`` are written to
Parquet, sorted, without the columns that hold wall-clock times (``enriched_at``). Tables are
compared on the reference's columns that both runs have (another change may add a column), row
by row: rows are matched on their other columns and their doubles must agree to 1e-9
(relative; parallel sums differ in the last bits from run to run).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from e2e_corpus import VERSION, make_csv  # noqa: E402

#: table -> ORDER BY of its snapshot.
TABLES = {
    "posts": "post_id",
    "enriched": "post_id",
    "post_targets": "post_id, target_type, target, brand",
    "post_themes": "post_id, theme, touchpoint",
    "agg_daily": "ALL",
}
VOLATILE = {"enriched_at"}


def build(workdir: Path, n: int) -> tuple[Path, dict[str, float]]:
    """A fresh workspace of the size-`n` CSV, ingested and analyzed by the CLI."""
    from brandhalo.workspace import init_workspace

    csv, config = make_csv(workdir, n)
    ws = workdir / f"identity-v{VERSION}-{n}"
    shutil.rmtree(ws, ignore_errors=True)
    init_workspace(ws, config_text=config.read_text(encoding="utf-8")).close()
    times = {}
    for name, args in (("ingest", ["ingest", "posts", str(csv)]), ("analyze", ["analyze"])):
        t = time.perf_counter()
        cmd = [sys.executable, "-m", "brandhalo", *args, "-p", str(ws)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times[name] = round(time.perf_counter() - t, 2)
    return ws, times


def snapshot(ws: Path, out: Path) -> None:
    """Write the compared tables of workspace `ws` to `out`/<table>.parquet."""
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(ws / "brandhalo.duckdb"), read_only=True)
    try:
        for table, order in TABLES.items():
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            keep = ", ".join(f'"{c}"' for c in cols if c not in VOLATILE)
            dest = out / f"{table}.parquet"
            con.execute(f"COPY (SELECT {keep} FROM {table} ORDER BY {order}) TO '{dest}'")
    finally:
        con.close()


def compare(ref: Path, new: Path) -> list[str]:
    """Differences between two snapshots, one line per table that differs."""
    import duckdb

    con = duckdb.connect()
    problems = []
    for table in TABLES:
        a, b = ref / f"{table}.parquet", new / f"{table}.parquet"
        types = dict(
            con.execute(f"SELECT column_name, column_type FROM (DESCRIBE '{a}')").fetchall()
        )
        cols_b = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{b}'").fetchall()}
        missing = [c for c in types if c not in cols_b]
        if missing:
            problems.append(f"{table}: columns gone: {missing}")
        keys = [c for c in types if c in cols_b and types[c] != "DOUBLE"]
        doubles = [c for c in types if c in cols_b and types[c] == "DOUBLE"]
        on = " AND ".join(f'x."{c}" IS NOT DISTINCT FROM y."{c}"' for c in keys)
        # sums of doubles differ in the last bits with DuckDB's parallel aggregation order
        off = " OR ".join(
            f'abs(x."{c}" - y."{c}") > 1e-9 * greatest(1, abs(x."{c}")) '
            f'OR (x."{c}" IS NULL) <> (y."{c}" IS NULL)'
            for c in doubles
        )
        only_a, only_b, unequal, n_a, n_b = con.execute(f"""
            SELECT (SELECT count(*) FROM '{a}' x ANTI JOIN '{b}' y ON {on}),
                   (SELECT count(*) FROM '{b}' x ANTI JOIN '{a}' y ON {on}),
                   (SELECT count(*) FROM '{a}' x JOIN '{b}' y ON {on} WHERE {off or "false"}),
                   (SELECT count(*) FROM '{a}'), (SELECT count(*) FROM '{b}')""").fetchall()[0]
        bad = only_a or only_b or unequal
        print(
            f"{table:13} {'DIFFERENT' if bad else 'same'}: {n_a} vs {n_b} rows; {only_a} only "
            f"in the reference, {only_b} only now, {unequal} with other values"
        )
        if bad:
            problems.append(f"{table}: {only_a} / {only_b} / {unequal} rows differ")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, default=50_000)
    ap.add_argument("--workdir", type=Path, default=HERE / "_work" / "e2e")
    ap.add_argument("--save", action="store_true", help="write the reference instead")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    ws, times = build(args.workdir, args.posts)
    print(f"built {ws}: {times}")
    ref = args.workdir / f"identity-ref-v{VERSION}-{args.posts}"
    if args.save:
        shutil.rmtree(ref, ignore_errors=True)
        snapshot(ws, ref)
        print(f"reference written to {ref}")
        return 0
    if not ref.exists():
        raise SystemExit(f"no reference in {ref}: run with --save first (before the change)")
    new = args.workdir / f"identity-new-v{VERSION}-{args.posts}"
    shutil.rmtree(new, ignore_errors=True)
    snapshot(ws, new)
    problems = compare(ref, new)
    print("identical" if not problems else "\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
