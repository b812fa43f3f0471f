"""Are the aggregates and alerts unchanged by this code? (issues 16 and 19: no option, no change)

Takes a workspace analyzed by other code (e.g. ``brandhalo demo`` run from the commit before
the post-type dimension and the hourly window, via ``git archive``), saves its ``agg_daily``,
``agg_hourly``, ``alerts`` and ``episodes``, copies it, opens the copy with this code (its
migrations run), rebuilds the aggregates and the signals in full, and compares: keys and integer
measures exactly, doubles within 1e-9 (parallel float sums). With a ``--hourly-days`` window
shorter than the data, ``agg_hourly`` is compared inside the window, and hourly alerts from the
window's first day + the spike baseline on (earlier ones are not scored any more, by design).
Writes ``benchmarks/results/aggregate_identity.json``.

Usage::

    git archive <commit-before> src | tar -x -C /tmp/before
    PYTHONPATH=/tmp/before/src brandhalo demo --dir /tmp/demo_before
    python benchmarks/aggregate_identity.py /tmp/demo_before --hourly-days 90
    python benchmarks/aggregate_identity.py /tmp/demo_before --hourly-days 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "results" / "aggregate_identity.json"
KEYS = {
    "agg_daily": ["day", "brand", "target_type", "touchpoint", "theme", "segment", "source",
                  "lang", "origin"],
    "agg_hourly": ["hour", "brand", "target_type", "touchpoint", "theme", "origin"],
    "alerts": ["alert_id"],
    "episodes": ["episode_id"],
}  # fmt: skip
SKIP = ("created_at", "updated_at", "explanation")


def save(src: Path, folder: Path) -> None:
    import duckdb

    con = duckdb.connect(str(src / "brandhalo.duckdb"), read_only=True)
    for table in KEYS:
        con.execute(f"COPY (SELECT * FROM {table}) TO '{folder / table}.parquet' (FORMAT parquet)")
    con.close()


def rebuild(src: Path, dst: Path, hourly_days: int) -> dict[str, Any]:
    """Copy the workspace, open it with this code and rebuild aggregates and signals."""
    from brandhalo.analytics import signals
    from brandhalo.engines import local
    from brandhalo.workspace import Workspace

    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("reports", "*.lock*"))
    if hourly_days != 90:  # 90 is the default: the workspace's config is left as it is
        toml = dst / "brandhalo.toml"
        toml.write_text(toml.read_text() + f"\n[aggregate]\nhourly_days = {hourly_days}\n")
    with Workspace.open(dst) as ws:
        t = time.perf_counter()
        agg = local.run(ws, full=True)
        seconds = time.perf_counter() - t
        ws.store.con.execute("DELETE FROM signals_days")
        sig = signals.run(ws)  # a full run: incremental=False is the default
        start = local.hourly_window(ws)
        baseline = ws.config.params.spike_baseline_days
    return {
        "aggregate_counts": agg.counts,
        "aggregate_s": round(seconds, 2),
        "signals_counts": sig.counts,
        "hourly_window_start": str(start) if start else None,
        "baseline_days": baseline,
    }


def compare(db: Path, folder: Path, table: str, where: str = "") -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    old = f"(SELECT * FROM '{folder / table}.parquet' {where})"
    new = f"(SELECT * FROM {table} {where})"
    cols = [(r[0], r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM {old}").fetchall()]
    keys = KEYS[table]
    on = " AND ".join(f"n.{k} IS NOT DISTINCT FROM o.{k}" for k in keys)
    bad = [
        f"abs(n.{c} - o.{c}) > 1e-9" if t == "DOUBLE" else f"n.{c} IS DISTINCT FROM o.{c}"
        for c, t in cols
        if c not in keys and c not in SKIP
    ]
    count = lambda q: con.execute(f"SELECT count(*) FROM {q}").fetchall()[0][0]  # noqa: E731
    unmatched = count(f"{new} n FULL JOIN {old} o ON {on} WHERE n.{keys[0]} IS NULL "
                      f"OR o.{keys[0]} IS NULL")  # fmt: skip
    differ = count(f"{new} n JOIN {old} o ON {on} WHERE {' OR '.join(bad)}")
    out = {"rows_new": count(new), "rows_before": count(old), "unmatched": unmatched}
    out["differing"] = differ
    out["identical"] = unmatched == 0 and differ == 0
    con.close()
    return out


def _first_day(folder: Path) -> dt.date:
    import duckdb

    rows = duckdb.sql(f"SELECT min(day) FROM '{folder / 'agg_daily'}.parquet'").fetchall()
    return rows[0][0]  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workspace", type=Path, help="a workspace analyzed by the other code")
    ap.add_argument("--hourly-days", type=int, default=90)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        save(args.workspace, folder)
        info = rebuild(args.workspace, folder / "ws", args.hourly_days)
        db = folder / "ws" / "brandhalo.duckdb"
        checks: dict[str, Any] = {"agg_daily": compare(db, folder, "agg_daily")}
        start = info["hourly_window_start"]
        before_start = _first_day(folder) < dt.date.fromisoformat(start) if start else False
        if before_start:
            first = dt.date.fromisoformat(start) + dt.timedelta(days=info["baseline_days"])
            checks["agg_hourly_in_window"] = compare(
                db, folder, "agg_hourly", f"WHERE day >= DATE '{start}'"
            )
            checks["alerts_daily"] = compare(db, folder, "alerts", "WHERE grain = 'day'")
            checks["alerts_hourly_scored_window"] = compare(
                db, folder, "alerts", f"WHERE grain = 'hour' AND period >= TIMESTAMP '{first}'"
            )
            checks["episodes (changes expected)"] = compare(db, folder, "episodes")
        else:
            for table in ("agg_hourly", "alerts", "episodes"):
                checks[table] = compare(db, folder, table)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    key = f"hourly_days={args.hourly_days}"
    results[key] = {"workspace": str(args.workspace), **info, "checks": checks}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(json.dumps(results[key], indent=1, default=str))


if __name__ == "__main__":
    main()
