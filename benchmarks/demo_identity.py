"""Are two analyzed workspaces' outputs the same? (refactors keep outputs identical, issue 18)

Compares ``agg_daily``, ``agg_hourly``, ``alerts`` and ``episodes`` of workspace A (e.g. a demo
built by the code before a change, via ``git archive``) and workspace B (the code after it),
row for row: rows are matched on the table's keys (``aggregate_identity.KEYS``); every other
column must be equal, doubles within 1e-9 relative (DuckDB's parallel float sums differ in the
last bits from run to run); columns holding wall-clock times are left out. Also counts the
cells that differ at all (``exact_differing``). Writes ``benchmarks/results/demo_identity.json``
and exits 1 when a table differs.

Usage::

    git archive <commit-before> src | tar -x -C /tmp/before
    git archive <commit-after> src | tar -x -C /tmp/after
    PYTHONPATH=/tmp/before/src python -c "from brandhalo import pipeline; \\
        pipeline.demo('/tmp/demo_a', posts=20000, report=False)"
    PYTHONPATH=/tmp/after/src python -c "...same with /tmp/demo_b..."
    python benchmarks/demo_identity.py /tmp/demo_a /tmp/demo_b --label stage-contract
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from aggregate_identity import KEYS  # noqa: E402

OUT = HERE / "results" / "demo_identity.json"
#: Columns that hold when a row was written, not what it says.
VOLATILE = ("created_at", "updated_at")


def compare(con: Any, table: str) -> dict[str, Any]:
    """Rows of `table` in ``a`` and ``b`` matched on its keys; unmatched and differing counts."""
    cols = [(r[0], r[1]) for r in con.execute(f"DESCRIBE a.{table}").fetchall()]
    keys = KEYS[table]
    on = " AND ".join(f"x.{k} IS NOT DISTINCT FROM y.{k}" for k in keys)
    values = [(c, t) for c, t in cols if c not in keys and c not in VOLATILE]
    loose = [
        f"abs(x.{c} - y.{c}) > 1e-9 * greatest(abs(x.{c}), abs(y.{c}), 1)"
        if t == "DOUBLE"
        else f"x.{c} IS DISTINCT FROM y.{c}"
        for c, t in values
    ]
    exact = [f"x.{c} IS DISTINCT FROM y.{c}" for c, _ in values]

    def count(sql: str) -> int:
        return int(con.execute(f"SELECT count(*) FROM {sql}").fetchall()[0][0])

    joined = f"a.{table} x JOIN b.{table} y ON {on}"
    out = {
        "rows_a": count(f"a.{table}"),
        "rows_b": count(f"b.{table}"),
        "unmatched": count(
            f"a.{table} x FULL JOIN b.{table} y ON {on} "
            f"WHERE x.{keys[0]} IS NULL OR y.{keys[0]} IS NULL"
        ),
        "differing": count(f"{joined} WHERE {' OR '.join(loose)}") if loose else 0,
        "exact_differing": count(f"{joined} WHERE {' OR '.join(exact)}") if exact else 0,
        "columns_compared": len(values),
    }
    out["identical"] = out["unmatched"] == 0 and out["differing"] == 0
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path, help="workspace analyzed by the code before")
    ap.add_argument("b", type=Path, help="workspace analyzed by the code after")
    ap.add_argument("--label", default="latest", help="key of this comparison in the JSON")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    import duckdb

    con = duckdb.connect()
    for alias, ws in (("a", args.a), ("b", args.b)):
        con.execute(f"ATTACH '{ws / 'brandhalo.duckdb'}' AS {alias} (READ_ONLY)")
    checks = {table: compare(con, table) for table in KEYS}
    con.close()
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results[args.label] = {"a": str(args.a), "b": str(args.b), "checks": checks}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(json.dumps(results[args.label], indent=1))
    raise SystemExit(0 if all(c["identical"] for c in checks.values()) else 1)


if __name__ == "__main__":
    main()
