"""Long fuzz runs of the readers, the query language and the config loader.

Property-based (hypothesis, the same generators as tests/reliability/test_rel_fuzz.py, many
more examples) and coverage-guided (atheris, when installed) runs. Every input must work or
raise a BrandhaloError; counts, the slowest input and peak memory go to
benchmarks/results/fuzz.json.

    python benchmarks/fuzz.py [--examples 2000] [--atheris-runs 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from tests.reliability import fuzzing  # noqa: E402

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
    """Coverage-guided: atheris mutates bytes into queries and TOML configs."""
    try:
        import atheris  # type: ignore[import-not-found]
    except ImportError:
        return {"skipped": "atheris is not installed (pip install atheris)"}
    import tomllib

    tally = Tally()

    def target(data: bytes) -> None:
        fdp = atheris.FuzzedDataProvider(data)
        text = fdp.ConsumeUnicodeNoSurrogates(200)
        tally.run(fuzzing.query_one, text) if text.strip() else None
        with contextlib.suppress(tomllib.TOMLDecodeError, ValueError):
            tally.run(fuzzing.config_one, tomllib.loads(text))

    with atheris.instrument_imports():
        import brandhalo.config  # noqa: F401
        import brandhalo.text.query  # noqa: F401
    atheris.Setup(["fuzz", f"-runs={runs}", "-max_len=400"], target)
    with contextlib.suppress(SystemExit):
        atheris.Fuzz()
    out = tally.as_dict()
    out["runs"] = runs
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--examples", type=int, default=2000, help="hypothesis examples per target")
    ap.add_argument("--atheris-runs", type=int, default=20000)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/fuzz.json")
    args = ap.parse_args()
    t0 = time.perf_counter()
    results: dict[str, Any] = {
        "readers": fuzz_readers(max(50, args.examples // 4)),
        "query": fuzz_query(args.examples),
        "config": fuzz_config(args.examples),
    }
    # atheris runs last: it installs coverage hooks on the modules it fuzzes.
    results["atheris"] = fuzz_atheris(args.atheris_runs) if args.atheris_runs else {}
    results["total_inputs"] = sum(
        int(v.get("inputs", 0)) for v in results.values() if isinstance(v, dict)
    )
    results["seconds"] = round(time.perf_counter() - t0, 1)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
