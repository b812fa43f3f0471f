"""Speed of episode explanations (metric 15) and of the whole signals stage (issue 19).

    python benchmarks/explain_speed.py --workspace benchmarks/_work/e2e/ws-1000000 --label after \
        --dump /tmp/expl-after.json --compare /tmp/expl-before.json

The workspace (e.g. one left by ``benchmarks/e2e.py --posts 1m``: ingested, enriched and
aggregated) is copied to a temporary folder, its stored explanations are cleared, then:

1. the whole signals stage (``signals.run``, a full run: spikes, episodes, change points and
   an explanation for every episode) is timed, wall and CPU seconds of this process (all its
   threads);
2. each episode is explained again on its own, timed one by one (CPU seconds), and all of
   them again in one ``explain_all`` call (its rows read for all episodes at once, as the
   signals stage does since issue 19), when the code has it;
3. the ``alerts`` table and every explanation (``alerts.list_alerts`` ->
   ``explanation.model_dump()``) are dumped to JSON (``--dump``) and, with ``--compare``,
   checked equal to an earlier dump (floats within 1e-9): the outputs must not change.

The machine may be shared: the 1-minute load average is recorded before and after; compare
CPU seconds. Results merge into ``benchmarks/results/explain_speed.json`` by posts and label.
Skips cleanly (exit 0) when the workspace does not exist.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "explain_speed.json"


def dump(ws: Any) -> dict[str, Any]:
    """The alerts table (without clock columns) and every episode's explanation."""
    from brandhalo.analytics.episodes import list_alerts

    df = ws.store.query("SELECT * FROM alerts ORDER BY alert_id")
    df = df.drop(columns=[c for c in ("created_at", "updated_at") if c in df.columns])
    alerts = json.loads(df.to_json(orient="records", date_format="iso"))
    expl = {
        a.episode_id: (a.explanation.model_dump(mode="json") if a.explanation else None)
        for a in list_alerts(ws)
    }
    return {"alerts": alerts, "explanations": expl}


def diff(a: Any, b: Any, path: str = "") -> list[str]:
    """Paths where `a` and `b` differ (floats within 1e-9)."""
    if isinstance(a, float) or isinstance(b, float):
        num = isinstance(a, (int, float)) and isinstance(b, (int, float))
        if num and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
            return []
        return [f"{path}: {a!r} != {b!r}"]
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in diff(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} != {len(b)} items"]
        return [
            d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in diff(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def use_explain_from(rev: str) -> None:
    """Load ``analytics/explain.py`` as it was at git revision `rev` (the "before" code)."""
    import importlib.util
    import subprocess

    text = subprocess.run(
        ["git", "show", f"{rev}:src/brandhalo/analytics/explain.py"],
        cwd=HERE.parent,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp(prefix="explain_rev_")) / "explain.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("brandhalo.analytics.explain", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["brandhalo.analytics.explain"] = module
    spec.loader.exec_module(module)


def measure(ws_dir: Path, per_episode: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """Time the signals stage and each explanation on a copy of `ws_dir`."""
    import pandas as pd

    from brandhalo.analytics import signals
    from brandhalo.analytics.explain import explain
    from brandhalo.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="explain_speed_") as tmp:
        root = Path(tmp)
        for name in ("brandhalo.duckdb", "brandhalo.toml"):
            shutil.copy2(ws_dir / name, root / name)
        with Workspace.open(root) as ws:
            posts = ws.store.count("enriched")
            ws.store.con.execute("UPDATE episodes SET explanation = NULL")
            load0 = os.getloadavg()[0]
            w, c = time.perf_counter(), time.process_time()
            res = signals.run(ws)
            stage = {
                "wall_s": round(time.perf_counter() - w, 2),
                "cpu_s": round(time.process_time() - c, 2),
                "counts": res.counts,
            }
            eps: list[float] = []
            batch: dict[str, float] = {}
            if per_episode:
                rows = ws.store.con.execute(
                    "SELECT brand, start_at, end_at, kind FROM episodes ORDER BY episode_id"
                ).fetchall()
                windows = [
                    (brand, pd.Timestamp(start).date(),
                     (pd.Timestamp(end) - pd.Timedelta(microseconds=1)).date(), kind)
                    for brand, start, end, kind in rows
                ]  # fmt: skip
                for brand, first, last, kind in windows:
                    c = time.process_time()
                    explain(ws, brand, first, last, kind=kind)
                    eps.append(time.process_time() - c)
                batch = _time_batch(ws, windows)
            out = {
                "posts": posts,
                "signals_stage": stage,
                "episodes": len(eps) or res.counts.get("episodes"),
                "load_avg_1m": [round(load0, 2), round(os.getloadavg()[0], 2)],
            }
            if eps:
                out["per_episode_cpu_s"] = {
                    "mean": round(statistics.mean(eps), 3),
                    "median": round(statistics.median(eps), 3),
                    "max": round(max(eps), 3),
                    "total": round(sum(eps), 2),
                }
            if batch:
                out["explain_all"] = batch
            return out, dump(ws)


def _time_batch(ws: Any, windows: list[tuple[Any, ...]]) -> dict[str, float]:
    """All episodes through one ``explain_all`` call (wall and CPU s); {} when the explain
    code timed has no batch entry (older revisions)."""
    from brandhalo.analytics import explain as ex

    if not hasattr(ex, "explain_all"):
        return {}
    w, c = time.perf_counter(), time.process_time()
    ex.explain_all(ws, [ex.Window(*row) for row in windows])
    return {"wall_s": round(time.perf_counter() - w, 2), "cpu_s": round(time.process_time() - c, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workspace", type=Path, required=True, help="an analyzed workspace")
    ap.add_argument(
        "--label", default="after", help="key of this run in the results (before/after)"
    )
    ap.add_argument("--dump", type=Path, help="write the alerts and explanations here")
    ap.add_argument("--compare", type=Path, help="an earlier --dump that must be equal")
    ap.add_argument("--explain-rev", help="time explain.py of this git revision (e.g. before)")
    ap.add_argument("--no-per-episode", action="store_true", help="time the stage only")
    ap.add_argument(
        "--commit",
        help="name of the code timed (e.g. when PYTHONPATH points at "
        "an older checkout's src); default: this checkout's HEAD",
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    if not (args.workspace / "brandhalo.duckdb").exists():
        print(f"skip: no workspace at {args.workspace} (run benchmarks/e2e.py --posts 1m first)")
        return 0
    from scale import machine  # type: ignore[import-not-found]

    if args.explain_rev:
        use_explain_from(args.explain_rev)
    result, dumped = measure(args.workspace, not args.no_per_episode)
    if args.dump:
        args.dump.write_text(json.dumps(dumped, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.compare:
        diffs = diff(json.loads(args.compare.read_text(encoding="utf-8")), dumped)
        result["identical_to_before"] = not diffs
        print("\n".join(diffs[:20]) or "identical")
    result["commit"] = args.explain_rev or os.popen("git rev-parse --short HEAD").read().strip()
    if args.explain_rev is None and os.popen("git status --porcelain src").read().strip():
        result["commit"] += "+changes"
    result["commit"] = args.commit or result["commit"]
    data = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    data["machine"] = machine()
    data.setdefault("runs", {}).setdefault(str(result["posts"]), {})[args.label] = result
    args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
