"""Long fuzz runs of the readers, the query language and the config loader.

Property-based (hypothesis, the same generators as tests/reliability/test_rel_fuzz.py, many
more examples) and coverage-guided (atheris, when installed) runs. Every input must work or
raise a BrandhaloError; counts, the slowest input and peak memory go to
benchmarks/results/fuzz.json.

    python benchmarks/fuzz.py [--examples 2000] [--atheris-runs 20000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

import rel_fuzzing as fuzzing  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

from brandhalo.errors import BrandhaloError  # noqa: E402


class Tally:
    def __init__(self) -> None:
        self.ok = self.documented = 0
        self.slowest = 0.0
        self.errors: dict[str, int] = {}

    def run(self, fn: Any, *args: Any) -> None:
        t0 = time.perf_counter()
        try:
            fn(*args)
            self.ok += 1
        except BrandhaloError as exc:
            self.documented += 1
            name = type(exc).__name__
            self.errors[name] = self.errors.get(name, 0) + 1
        finally:
            self.slowest = max(self.slowest, time.perf_counter() - t0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.ok + self.documented,
            "ok": self.ok,
            "documented_errors": self.errors,
            "undocumented_errors": 0,  # any would have stopped the run with its traceback
            "slowest_input_s": round(self.slowest, 3),
        }


def _settings(n: int) -> Any:
    return settings(
        max_examples=n,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )


def fuzz_readers(n: int) -> dict[str, Any]:
    from brandhalo.workspace import init_workspace

    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws")
        counter = itertools.count()

        @_settings(n)
        @given(fuzzing.reader_inputs())
        def one(inp: tuple[str, bytes]) -> None:
            tally.run(fuzzing.ingest_one, ws, Path(tmp), next(counter), *inp)

        one()
        row = ws.store.con.execute("SELECT count(*), count(DISTINCT post_id) FROM posts").fetchone()
        ws.close()
    out = tally.as_dict()
    out["posts_stored"], out["duplicate_rows"] = row[0], row[0] - row[1]
    return out


def fuzz_query(n: int) -> dict[str, Any]:
    tally = Tally()

    @_settings(n)
    @given(fuzzing.queries)
    def one(q: str) -> None:
        tally.run(fuzzing.query_one, q)

    one()
    return tally.as_dict()


def fuzz_config(n: int) -> dict[str, Any]:
    from brandhalo.config import load_config
    from brandhalo.workspace import template_text

    tally = Tally()

    @_settings(n)
    @given(fuzzing.config_dicts)
    def one(data: dict[str, Any]) -> None:
        tally.run(fuzzing.config_one, data)

    one()
    with tempfile.TemporaryDirectory() as tmp:

        @_settings(n)
        @given(fuzzing.toml_texts(template_text()))
        def two(text: str) -> None:
            (Path(tmp) / "brandhalo.toml").write_text(text, "utf-8", errors="surrogatepass")
            tally.run(load_config, Path(tmp))

        two()
    return tally.as_dict()


def fuzz_atheris(runs: int) -> dict[str, Any]:
    """Coverage-guided: atheris mutates bytes into queries and TOML configs.

    Runs in a child process: libFuzzer ends its process when done, and the modules must be
    instrumented before anything imports them.
    """
    import subprocess

    try:
        import atheris  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return {"skipped": "atheris is not installed (pip install atheris)"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "atheris.json"
        proc = subprocess.run(
            [sys.executable, __file__, "--atheris-child", str(out), "--atheris-runs", str(runs)],
            capture_output=True,
            text=True,
        )
        if not out.exists():
            return {"failed": proc.stderr[-2000:]}
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        result["exit_code"] = proc.returncode  # libFuzzer: 0 done, else a crash was found
        result["crash"] = proc.stderr[-2000:] if proc.returncode else None
        return result


def atheris_child(out: Path, runs: int) -> None:
    import tomllib

    import atheris

    with atheris.instrument_imports():
        import brandhalo.config
        import brandhalo.text.query  # noqa: F401
    tally = Tally()

    calls = [0]

    def target(data: bytes) -> None:
        calls[0] += 1
        if calls[0] % 200 == 0 or calls[0] >= runs - 1:  # libFuzzer exits without notice
            out.write_text(json.dumps({**tally.as_dict(), "runs": calls[0]}), encoding="utf-8")
        fdp = atheris.FuzzedDataProvider(data)
        text = fdp.ConsumeUnicodeNoSurrogates(300)
        if text.strip():
            tally.run(fuzzing.query_one, text)
        try:
            parsed = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError):
            return
        tally.run(brandhalo.config.parse_config, parsed)

    atheris.Setup(["fuzz", f"-runs={runs}", "-max_len=400"], target)
    try:
        atheris.Fuzz()
    finally:
        out.write_text(json.dumps({**tally.as_dict(), "runs": runs}), encoding="utf-8")


def kill9_ingest(kills: int, rows: int = 100_000, seed: int = 8) -> dict[str, Any]:
    """kill -9 `brandhalo ingest` at `kills` random points; after each kill the file must be in
    whole or not at all; a final rerun must load it exactly once."""
    import random
    import signal
    import subprocess

    from rel_helpers import cli, cli_env, run_cli, write_posts_csv

    from brandhalo.store import Store
    from brandhalo.workspace import init_workspace

    rng = random.Random(seed)
    killed = partial = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        init_workspace(root).close()
        big = write_posts_csv(Path(tmp) / "big.csv", 0, rows, prefix="k")

        def state() -> tuple[int, int]:
            with Store(root / "brandhalo.duckdb", read_only=True) as st:
                row = st.con.execute(
                    "SELECT count(*), count(DISTINCT post_id) FROM posts"
                ).fetchone()
            return (int(row[0]), int(row[1])) if row else (0, 0)

        for _ in range(kills):
            proc = subprocess.Popen(
                cli("ingest", "posts", str(big), "-p", str(root)),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=cli_env(),
            )
            try:
                proc.wait(timeout=rng.uniform(0.5, 8.0))
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                killed += 1
            n, distinct = state()
            partial += n not in (0, rows) or n != distinct
            if n == rows:  # loaded before the kill: start over on a fresh store
                for f in root.glob("brandhalo.duckdb*"):
                    f.unlink()
                init_workspace(root, force=True).close()
        run_cli("ingest", "posts", str(big), "-p", str(root), timeout=900)
        n, distinct = state()
    return {
        "faults_injected": killed,
        "attempts": kills,
        "partial_or_duplicate_states": partial,
        "rows_lost": rows - distinct,
        "duplicate_rows": n - distinct,
    }


SECTIONS = ("readers", "query", "config", "atheris", "faults")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--examples", type=int, default=2000, help="hypothesis examples per target")
    ap.add_argument("--atheris-runs", type=int, default=20000)
    ap.add_argument("--kills", type=int, default=10, help="kill -9 faults injected into ingest")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/fuzz.json")
    ap.add_argument("--only", help="comma-separated sections to (re)run: " + ",".join(SECTIONS))
    ap.add_argument("--atheris-child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.atheris_child:
        atheris_child(args.atheris_child, args.atheris_runs)
        return
    t0 = time.perf_counter()
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    results: dict[str, Any] = {}
    if args.only and args.out.exists():  # update some sections of an earlier run
        results = json.loads(args.out.read_text(encoding="utf-8"))
    runs = {
        "readers": lambda: fuzz_readers(max(50, args.examples // 4)),
        "query": lambda: fuzz_query(args.examples),
        "config": lambda: fuzz_config(args.examples),
        # atheris runs in a child: it installs coverage hooks on the modules it fuzzes.
        "atheris": lambda: fuzz_atheris(args.atheris_runs),
        "faults": lambda: kill9_ingest(args.kills),
    }
    for name in SECTIONS:
        if name in only:
            results[name] = runs[name]()
    results["total_inputs"] = sum(
        int(v.get("inputs", 0)) for v in results.values() if isinstance(v, dict)
    )
    results["seconds_last_run"] = round(time.perf_counter() - t0, 1)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
