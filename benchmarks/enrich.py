"""Enrichment speed and quality on simulated posts -> benchmarks/results/enrich.json.

Measures, on posts from the demo simulator (seeded, so reruns see the same posts):

- ``per_core``: posts/s (wall clock and CPU time) of ``enrich_table`` in one process (normalize + language + entities +
  themes + segments + sentiment + targeted sentiment), with the configured engine (lexicon)
  and with a no-op engine (the text work alone);
- ``run``: posts/s of the whole stage (``brandhalo.text.enrich.run``: read from DuckDB,
  worker processes, write back) on all cores, and the time that implies for 1M posts;
- ``quality``: agreement with the simulator's ground truth (themes precision/recall per
  canonical theme, language, segment, targets, per-target labels).

- ``real_length`` (issue 19): CPU seconds per 100k *real-length* posts (the e2e benchmark's
  CSV: simulator posts joined to ~150 characters, Chinese and English) of the sentiment step
  alone (lexicon and hybrid engines), of the lexicon pass alone and of ``enrich_table`` as a
  whole, each with the lexicon's batch path and with its per-text reference
  (:func:`brandhalo.text.sentiment.lexicon.analyze`, the code before the batch path), whether
  both give identical results on every post, and where the time of ``enrich_table`` goes
  (cProfile).
- ``real_length.targeted``: ``enrich_table`` CPU seconds per 100k real-length posts with
  targeted sentiment the old way (clauses cut by one regex match per boundary; each target's
  clauses scored by the engine's full ``score``: evidence, confidence) and the new way (numpy
  cut; ``polarity``: labels and scores only), alternated in one process, and whether the
  ``enriched`` and ``post_targets`` rows are identical.

Usage::

    python benchmarks/enrich.py [--posts 200000] [--workers 2] [--out benchmarks/results/enrich.json]
    python benchmarks/enrich.py --real-length 100000 --skip-simulated   # only real_length
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import functools
import json
import os
import platform
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from brandhalo.config import load_config
from brandhalo.text.default_themes import CANONICAL_THEMES
from brandhalo.text.enrich import EnrichContext, enrich_table, run
from brandhalo.text.sentiment._base import SentimentEngine, SentimentResult
from brandhalo.workspace import init_workspace

CANONICAL = CANONICAL_THEMES


class NullEngine(SentimentEngine):
    """Neutral for everything: isolates the cost of the text work."""

    name = "null"

    def score(self, texts: Any) -> SentimentResult:
        n = len(texts)
        z = np.zeros(n)
        return SentimentResult(z.astype(np.int8), z, z, [[] for _ in range(n)])


def posts_table(sim_dir: Path) -> pa.Table:
    """The simulator's posts file as rows of the store's ``posts`` table."""
    p = pq.read_table(sim_dir / "posts.parquet")
    ts = pc.strptime(p["created_at"], format="%Y-%m-%dT%H:%M:%S%z", unit="us")
    utc = ts.cast(pa.timestamp("us", "UTC")).cast(pa.timestamp("us"))
    rename = {"id": "post_id", "segment": "segment_hint"}
    p = p.rename_columns([rename.get(c, c) for c in p.column_names])
    p = p.set_column(p.column_names.index("created_at"), "created_at", utc)
    return p.append_column("is_repost", pc.is_valid(p["parent_id"]))


def per_core(table: pa.Table, ctx: EnrichContext, batch: int = 20_000) -> dict[str, float]:
    """Posts/s of ``enrich_table`` in this process: by wall clock and by CPU time.

    CPU time is what this process itself used, so it stays meaningful on a shared, busy
    machine where the wall clock also counts time spent waiting for a core.
    """
    enrich_table(table.slice(0, 200), ctx)  # warm up: tables, automata, lexicon
    n = min(table.num_rows, 100_000)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(0, n, batch):
        enrich_table(table.slice(i, batch), ctx)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"wall": round(n / wall), "cpu": round(n / cpu)}


def full_run(sim_dir: Path, table: pa.Table, workers: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(tmp) / "ws", config_text=(sim_dir / "brandhalo.toml").read_text())
        cols = [c for c in table.column_names if c in _POST_COLUMNS]
        ws.store.con.register("_sim", table.select(cols))
        ws.store.con.execute(
            f"INSERT INTO posts ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _sim"
        )
        t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
        result = run(ws, workers=workers)
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0 + _children_cpu() - k0
        ws.close()
    rate = table.num_rows / seconds
    n_workers = int(result.counts.get("workers", 1))
    return {
        "posts": table.num_rows,
        "workers": n_workers,
        "seconds": round(seconds, 2),
        "posts_per_s": round(rate),
        "million_posts_s": round(1_000_000 / rate, 1),
        # CPU seconds of this process and its workers: the cost without waiting for cores.
        "cpu_seconds": round(cpu, 2),
        "cpu_posts_per_s_per_core": round(table.num_rows / cpu),
        "million_posts_s_if_cores_free": round(1_000_000 * cpu / table.num_rows / n_workers, 1),
    }


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


_POST_COLUMNS = {
    "post_id",
    "source",
    "author_id",
    "author_name",
    "author_followers",
    "text",
    "created_at",
    "likes",
    "reposts",
    "comments",
    "url",
    "segment_hint",
    "parent_id",
    "is_repost",
    "simulated",
}


def quality(sim_dir: Path, table: pa.Table, ctx: EnrichContext) -> dict[str, Any]:
    """Agreement with the simulator's truth on original posts."""
    truth = {r["post_id"]: r for r in pq.read_table(sim_dir / "truth.parquet").to_pylist()}
    out = enrich_table(table.slice(0, 50_000), ctx)
    enriched = {r["post_id"]: r for r in out.enriched.to_pylist()}
    themes: dict[str, set[str]] = collections.defaultdict(set)
    for r in out.post_themes.to_pylist():
        themes[r["post_id"]].add(r["theme"])
    targets: dict[str, dict[str, int]] = collections.defaultdict(dict)
    for r in out.post_targets.to_pylist():
        targets[r["post_id"]][f"{r['target_type']}:{r['target']}"] = r["label"]
    ids = [k for k in enriched if k in truth and not truth[k]["is_repost"]]
    per_theme = {}
    for t in CANONICAL:
        tp = sum(t in truth[k]["themes"] and t in themes[k] for k in ids)
        fp = sum(t not in truth[k]["themes"] and t in themes[k] for k in ids)
        fn = sum(t in truth[k]["themes"] and t not in themes[k] for k in ids)
        per_theme[t] = {
            "precision": round(tp / max(tp + fp, 1), 3),
            "recall": round(tp / max(tp + fn, 1), 3),
            "n": tp + fn,
        }
    multi = [
        (targets[k].get(t), lab)
        for k in ids
        if len(truth[k]["targets"]) > 1
        for t, lab in zip(truth[k]["targets"], truth[k]["target_labels"], strict=True)
    ]

    def share(f: Any) -> float:
        return round(float(np.mean([f(k) for k in ids])), 4)

    return {
        "posts": len(ids),
        "themes": per_theme,
        "theme_macro_f1": round(
            float(np.mean([_f1(v["precision"], v["recall"]) for v in per_theme.values()])), 3
        ),
        "lang_accuracy": share(lambda k: enriched[k]["lang"] == truth[k]["lang"]),
        "segment_accuracy": share(lambda k: enriched[k]["segment"] == truth[k]["segment"]),
        "targets_exact": share(lambda k: set(targets[k]) == set(truth[k]["targets"])),
        "overall_label_accuracy": share(lambda k: enriched[k]["label"] == truth[k]["label"]),
        "multi_target_label_accuracy": round(float(np.mean([a == b for a, b in multi])), 4),
        "multi_target_rows": len(multi),
    }


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


# ----------------------------------------------------------------------------- real length
E2E_WORK = Path(__file__).parent / "_work" / "e2e"


def real_length_table(n: int, workdir: Path = E2E_WORK) -> pa.Table:
    """The e2e benchmark's `n`-post CSV (generated by its ``make_csv`` when not cached) as rows
    of the ``posts`` table."""
    import pyarrow.csv as pcsv

    csv = workdir / f"posts-{n}.csv"
    if not csv.exists():
        sys.path.insert(0, str(Path(__file__).parent))
        from e2e import make_csv

        csv, _ = make_csv(workdir, n)
    as_str = {c: pa.string() for c in ("id", "author_id", "author_name", "created_at", "text")}
    t = pcsv.read_csv(csv, convert_options=pcsv.ConvertOptions(column_types=as_str))
    ts = pc.strptime(t["created_at"], format="%Y-%m-%dT%H:%M:%S%z", unit="us")
    utc = ts.cast(pa.timestamp("us", "UTC")).cast(pa.timestamp("us"))
    t = t.set_column(t.column_names.index("created_at"), "created_at", utc)
    t = t.rename_columns(["post_id" if c == "id" else c for c in t.column_names])
    return t.append_column("is_repost", pa.array([False] * t.num_rows))


@contextmanager
def per_text_lexicon() -> Iterator[None]:
    """Engines score with the lexicon's per-text reference (the code before the batch path)."""
    from brandhalo.text.sentiment import hybrid, lexicon_batch
    from brandhalo.text.sentiment.lexicon import _automaton, analyze

    def per_text(extra: Any, items: Any, max_evidence: int = 5) -> tuple[np.ndarray, list]:
        auto = _automaton(extra)
        found = [analyze(auto, t, max_evidence) for t in items]
        return np.array([s for s, _ in found], dtype=np.float64), [e for _, e in found]

    saved = lexicon_batch.analyze_batch, hybrid.analyze_batch
    lexicon_batch.analyze_batch = hybrid.analyze_batch = per_text  # type: ignore[assignment]
    try:
        yield
    finally:
        lexicon_batch.analyze_batch, hybrid.analyze_batch = saved


def cpu_per_100k(fn: Callable[[Any], Any], rows: Any, batch: int = 20_000) -> float:
    """CPU seconds of this process per 100k rows of ``fn`` over `rows` in slices of `batch`."""
    fn(rows[:200])  # warm up: automata, models
    n = len(rows)
    c0 = time.process_time()
    for i in range(0, n, batch):
        fn(rows[i : i + batch])
    return round((time.process_time() - c0) * 100_000 / n, 2)


def real_length(config: Any, n: int) -> dict[str, Any]:
    """Sentiment, lexicon and whole-enrich CPU cost on real-length posts, batch vs reference."""
    from brandhalo.text.sentiment import get_engine
    from brandhalo.text.sentiment.lexicon_batch import analyze_batch

    table = real_length_table(n)
    texts = table["text"].to_pylist()
    engines = {"lexicon": get_engine("lexicon"), "hybrid": get_engine("hybrid")}
    out: dict[str, Any] = {
        "posts": len(texts),
        "mean_chars": round(float(np.mean([len(t) for t in texts])), 1),
        "unit": "CPU seconds per 100k posts, one process",
    }
    paths: dict[str, dict[str, float]] = {"batch": {}, "reference": {}}
    identical: dict[str, bool] = {}
    for path in ("reference", "batch"):
        ctx_mgr = per_text_lexicon() if path == "reference" else _nothing()
        with ctx_mgr:
            from brandhalo.text.sentiment import lexicon_batch

            paths[path]["lexicon_pass"] = cpu_per_100k(
                lambda xs: lexicon_batch.analyze_batch((), xs), texts
            )
            for name, engine in engines.items():
                paths[path][f"sentiment_{name}"] = cpu_per_100k(engine.score, texts)
            ctx = EnrichContext.from_config(config)
            paths[path]["enrich_table"] = cpu_per_100k(functools.partial(_enrich, ctx), table)
    for name, engine in engines.items():
        got = engine.score(texts)
        with per_text_lexicon():
            want = engine.score(texts)
        identical[name] = bool(
            np.array_equal(got.labels, want.labels)
            and np.array_equal(got.scores, want.scores)
            and np.array_equal(got.confidence, want.confidence)
            and got.evidence == want.evidence
        )
    sums, _ = analyze_batch((), texts[:1000])
    out.update(
        {
            "engine_of_enrich_table": EnrichContext.from_config(config).engine_name,
            "batch": paths["batch"],
            "reference": paths["reference"],
            "speedup": {
                k: round(paths["reference"][k] / max(paths["batch"][k], 1e-9), 2)
                for k in paths["batch"]
            },
            "identical_to_reference": identical,
            "where_enrich_time_goes": profile_enrich(table.slice(0, 20_000), config),
            "targeted": targeted_before_after(table, config),
            "lexicon_hit_share": round(float(np.mean(sums != 0)), 3),
        }
    )
    return out


@contextmanager
def _nothing() -> Iterator[None]:
    yield


@contextmanager
def old_targeted_path() -> Iterator[None]:
    """Targeted sentiment as before issue 19's fast path: clauses cut from one regex match
    object per boundary, each target's clauses scored with the engine's full ``score``
    (evidence and confidence built, then dropped)."""
    import itertools
    import re

    from brandhalo.text import targeted

    def full_score(engine: Any, texts: Any) -> tuple[np.ndarray, np.ndarray]:
        res = targeted.score_distinct(engine, texts)
        return res.labels, res.scores

    def regex_cut(joined: str) -> tuple[np.ndarray, np.ndarray]:
        spans = itertools.chain.from_iterable(
            map(re.Match.span, targeted._BOUNDARY.finditer(joined))
        )
        found = np.fromiter(spans, np.int64).reshape(-1, 2)
        nul = np.flatnonzero(np.frombuffer(joined.encode("utf-32-le"), np.uint32) == 0)
        cuts = np.concatenate((found, np.stack((nul, nul + 1), axis=1)))
        cuts = cuts[np.lexsort((cuts[:, 1], cuts[:, 0]))]
        prev_end = np.maximum.accumulate(np.r_[0, cuts[:, 1]])
        starts, stops = prev_end, np.r_[cuts[:, 0], len(joined)]
        gap = stops > starts
        return starts[gap], stops[gap]

    def regex_cut_codes(cp: np.ndarray, text: str, place: Any) -> tuple[np.ndarray, np.ndarray]:
        return regex_cut(cp.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass"))

    saved = targeted.polarity_distinct, targeted._cut, targeted._cut_codes
    targeted.polarity_distinct = full_score  # type: ignore[assignment]
    targeted._cut = regex_cut
    targeted._cut_codes = regex_cut_codes
    try:
        yield
    finally:
        targeted.polarity_distinct, targeted._cut, targeted._cut_codes = saved  # type: ignore[assignment]


def targeted_before_after(table: pa.Table, config: Any, rounds: int = 2) -> dict[str, Any]:
    """``enrich_table`` CPU s per 100k posts, old vs new per-target clause scoring (alternated
    `rounds` times in this process: the machine is shared), and whether the rows are equal."""
    ctx = EnrichContext.from_config(config)
    run = functools.partial(_enrich, ctx)
    cpu: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(rounds):
        for name in ("before", "after"):
            with old_targeted_path() if name == "before" else _nothing():
                cpu[name].append(cpu_per_100k(run, table))
    rows = {}
    for name in ("before", "after"):
        with old_targeted_path() if name == "before" else _nothing():
            got = [run(table.slice(i, 20_000)) for i in range(0, table.num_rows, 20_000)]
        rows[name] = [(b.post_targets, b.enriched.drop_columns(["enriched_at"])) for b in got]
    same = all(
        a[0].equals(b[0]) and a[1].equals(b[1])
        for a, b in zip(rows["before"], rows["after"], strict=True)
    )
    best = {k: min(v) for k, v in cpu.items()}
    return {
        "enrich_table_before": cpu["before"],
        "enrich_table_after": cpu["after"],
        "best_before": best["before"],
        "best_after": best["after"],
        "saved_share": round(1 - best["after"] / best["before"], 3),
        "post_targets_and_enriched_identical": same,
        "unit": "CPU seconds per 100k real-length posts, one process",
    }


def _enrich(ctx: EnrichContext, table: pa.Table) -> Any:
    return enrich_table(table, ctx)


def profile_enrich(table: pa.Table, config: Any, top: int = 14) -> dict[str, float]:
    """Share of ``enrich_table``'s time (cProfile, cumulative) per brandhalo function."""
    ctx = EnrichContext.from_config(config)
    enrich_table(table.slice(0, 200), ctx)
    prof = cProfile.Profile()
    prof.enable()
    enrich_table(table, ctx)
    prof.disable()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    total = max(v[3] for v in stats.values())
    rows = [
        (f"{Path(file).stem}.{func}", v[3])
        for (file, _line, func), v in stats.items()
        if "brandhalo" in file and "benchmarks" not in file
    ]
    rows.sort(key=lambda r: -r[1])
    return {name: round(cum / total, 3) for name, cum in rows[:top]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=200_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--real-length",
        type=int,
        default=100_000,
        help="posts of the e2e benchmark's real-length CSV for the real_length block (0: skip)",
    )
    ap.add_argument(
        "--skip-simulated",
        action="store_true",
        help="only the real_length block; the other fields are kept from the existing --out",
    )
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "enrich.json")
    args = ap.parse_args()
    from brandhalo.demo import simulate

    load_before = os.getloadavg()
    old = json.loads(args.out.read_text()) if args.out.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        sim_dir = Path(tmp) / "sim"
        simulate(sim_dir, seed=args.seed, posts=2_000 if args.skip_simulated else args.posts)
        config = load_config(sim_dir)
        if args.skip_simulated:
            result = {k: v for k, v in old.items() if k not in ("real_length",)}
        else:
            table = posts_table(sim_dir)
            ctx = EnrichContext.from_config(config)
            null_ctx = EnrichContext.from_config(config, engine=NullEngine())
            result = {
                "benchmark": "enrich",
                "engine": ctx.engine_name,
                "posts_simulated": table.num_rows,
                "per_core_posts_per_s": per_core(table, ctx),
                "per_core_text_only_posts_per_s": per_core(table, null_ctx),
                "run": full_run(sim_dir, table, args.workers),
                "quality": quality(sim_dir, table, ctx),
            }
            result["machine"] = _machine(load_before)
            result["command"] = (
                f"python benchmarks/enrich.py --posts {args.posts} --workers {args.workers}"
            )
        if args.real_length:
            block = real_length(config, args.real_length)
            block["machine"] = _machine(load_before)
            block["command"] = (
                f"python benchmarks/enrich.py --real-length {args.real_length} --skip-simulated"
            )
            result["real_length"] = block
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


def _machine(load_before: tuple[float, float, float]) -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    main()
