"""Report build speed at scale (issue 19: the report under 5 s at 10M posts).

For each size N a simulated demo workspace (``pipeline.demo(dir, posts=N, report=False)``,
reused when it exists under ``--dir``) is measured in fresh processes, so imports and a cold
store count as they do for a user:

* ``model``: :func:`brandhalo.report.sections.build` (en) with wall and CPU seconds per
  section (CPU = the process's, DuckDB's threads included), the scorecard, and the rest
  (findings, alerts, notes);
* ``cli``: the whole ``brandhalo report`` command (HTML written), wall and CPU of the child;
* ``migrate``: the first open of the workspace by this code (pending store migrations, e.g.
  ``0014_report_aggregates`` building the report tables of a store analyzed before), timed
  separately so that ``model`` and ``cli`` are the steady state.

The machine's load average is recorded before and after each size: on a shared machine the
wall seconds carry other people's work, the CPU seconds much less so. With ``--before SRC``
(a ``src`` folder of an older checkout, e.g. ``git archive <commit> src | tar -x -C /tmp/b``)
the model build is also timed with that code, as case ``before`` (first: an older brandhalo
refuses a store that newer code has migrated).

Usage::

    python benchmarks/report_speed.py --posts 200000 1000000 --dir /tmp/rs
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "report_speed.json"

_PROBE = r"""
import json, sys, time
t0, c0 = time.perf_counter(), time.process_time()
import datetime as dt
from brandhalo.report import charts as C
from brandhalo.report import sections as S
from brandhalo.workspace import Workspace
imports = (time.perf_counter() - t0, time.process_time() - c0)
parts = {}

def timed(key, fn):
    def run(*a, **k):
        w, c = time.perf_counter(), time.process_time()
        try:
            return fn(*a, **k)
        finally:
            old = parts.get(key, (0.0, 0.0))
            parts[key] = (old[0] + time.perf_counter() - w, old[1] + time.process_time() - c)
    return run

C.SECTION_BUILDERS[:] = [(k, timed(k, b)) for k, b in C.SECTION_BUILDERS]
C.scorecard = timed("scorecard", C.scorecard)
with Workspace.open(sys.argv[1]) as ws:
    w, c = time.perf_counter(), time.process_time()
    S.build(ws, lang="en")
    total = (time.perf_counter() - w, time.process_time() - c)
known = sum(v[0] for v in parts.values()), sum(v[1] for v in parts.values())
parts["other (findings, alerts, checks)"] = (total[0] - known[0], total[1] - known[1])
print("RESULT " + json.dumps({"imports": imports, "build": total, "parts": parts}))
"""


def _r(x: float) -> float:
    return round(x, 3)


def _result(stdout: str) -> str:
    """The text after the last ``RESULT `` (DuckDB's progress bar may share its line)."""
    return stdout[stdout.rindex("RESULT ") + len("RESULT ") :].splitlines()[0]


def model_times(ws: Path, pythonpath: str | None = None) -> dict[str, Any]:
    """One cold build of the report model in a fresh interpreter."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    done = subprocess.run([sys.executable, "-c", _PROBE, str(ws)], env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    got = json.loads(_result(done.stdout))
    return {
        "build_wall_s": _r(got["build"][0]),
        "build_cpu_s": _r(got["build"][1]),
        "imports_wall_s": _r(got["imports"][0]),
        "imports_cpu_s": _r(got["imports"][1]),
        "sections": {k: {"wall_s": _r(v[0]), "cpu_s": _r(v[1])} for k, v in got["parts"].items()},
    }


_OPEN = r"""
import sys, time
t0, c0 = time.perf_counter(), time.process_time()
from brandhalo.workspace import Workspace
with Workspace.open(sys.argv[1]) as ws:
    version = ws.store.schema_version
print("RESULT", time.perf_counter() - t0, time.process_time() - c0, version)
"""


def migrate_times(ws: Path) -> dict[str, float]:
    """Open the workspace once with this code (applies pending migrations): wall, CPU, the
    schema version after."""
    done = subprocess.run([sys.executable, "-c", _OPEN, str(ws)], check=True,
                          capture_output=True, text=True)  # fmt: skip
    line = ["RESULT", *_result(done.stdout).split()]
    return {"wall_s": _r(float(line[1])), "cpu_s": _r(float(line[2])), "schema": int(line[3])}


def cli_times(ws: Path, out: Path) -> dict[str, float]:
    """The whole ``brandhalo report`` command: wall and CPU seconds of the child process."""
    exe = Path(sys.executable).parent / "brandhalo"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run([str(exe), "report", "-p", str(ws), "--out", str(out), "--lang", "en"],
                   check=True, capture_output=True)  # fmt: skip
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": _r(wall), "cpu_s": _r(cpu)}


def workspace(base: Path, posts: int) -> Path:
    """The demo workspace of `posts` posts under `base` (built when missing)."""
    ws = base / f"demo_{posts}"
    if not (ws / "brandhalo.duckdb").exists():
        from brandhalo import pipeline

        pipeline.demo(ws, posts=posts, report=False)
    return ws


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, nargs="+", default=[200_000, 1_000_000])
    ap.add_argument("--dir", type=Path, default=Path("/tmp/brandhalo_report_speed"))
    ap.add_argument("--before", help="src folder of older code: also time its model build")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = json.loads(args.out.read_text()) if args.out.exists() else {}
    runs = results.setdefault("runs", {})
    for n in args.posts:
        ws = workspace(args.dir, n)
        load_before = os.getloadavg()
        row: dict[str, Any] = {}
        if args.before:
            row["before"] = model_times(ws, args.before)
        row["migrate"] = migrate_times(ws)
        row["model"] = model_times(ws)
        row["cli"] = cli_times(ws, args.dir / f"report_{n}.html")
        row["load_average_before"] = [round(x, 2) for x in load_before]
        row["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        row["measured_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
        runs[str(n)] = row
        print(n, json.dumps(row, indent=1), flush=True)
        _write(args.out, results)


def _write(out: Path, results: dict[str, Any]) -> None:
    """Write the results file (after every size, so a long run keeps what it measured)."""
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "note": "shared machine: several engineers ran builds and tests at the same time "
        "(see the load averages); CPU seconds are the comparable figures",
    }
    results["command"] = "python benchmarks/report_speed.py " + " ".join(sys.argv[1:])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
