"""Speed of the aggregate stage and of the signals stage (issue 5 goals).

1. Aggregation: a synthetic enriched table of N posts (default 10M; 20 brands, one year, in
   time order like a real stream; ~1.3 targets and ~0.5 themes per post, 10 % reposts) is
   generated directly in DuckDB SQL, then :func:`brandhalo.engines.local.run` builds
   ``agg_daily`` and ``agg_hourly`` from scratch. Goal: < 3 s on 2 cores for 10M. The bare
   post_id hash join of enriched with post_targets is timed alongside, and so is writing the
   output rows alone (a copy of both tables + CHECKPOINT): a floor under the aggregation.
2. Signals from the stored aggregates, 1 year x 20 brands: spikes (daily + hourly), episodes and
   change points (``signals.run(explain=False)``), plus net sentiment, perception index and
   buzz for every brand. Goal: < 5 s on 2 cores. Explanations read posts, not aggregates, and
   are timed per episode on the demo instead (see docs/metrics.md).

Writes ``benchmarks/results/signals_speed.json``. Usage::

    python benchmarks/signals_speed.py --posts 10000000 --threads 2
    # keep the generated + aggregated workspace and, on later runs, time only the signals
    # (written to benchmarks/results/signals_speed_signals_only.json)
    python benchmarks/signals_speed.py --workspace /tmp/speed_ws --signals-only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "results" / "signals_speed.json"
#: --signals-only writes here (the aggregation numbers of OUT stay as the full run left them)
OUT_SIGNALS = Path(__file__).parent / "results" / "signals_speed_signals_only.json"
BRANDS = 20
THEMES = (
    ("safety", "product"), ("quality", "product"), ("design_originality", "product"),
    ("price_value", "product"), ("delivery", "service"), ("after_sales", "service"),
    ("stores", "channel"), ("marketing", "communication"),
)  # fmt: skip

CONFIG = "\n".join(
    ["[workspace]", 'name = "speed"']
    + [f'[[brands]]\nname = "B{i}"\n' for i in range(BRANDS)]
    + [f'[[personas]]\nname = "P{i}"\nbrand = "B{i}"\n' for i in range(BRANDS)]
)


def generate(con: Any, n: int) -> None:
    """Synthetic enriched / post_targets / post_themes rows, in day order, in SQL."""
    theme_list = ", ".join(f"'{t}'" for t, _ in THEMES)
    tp_list = ", ".join(f"'{p}'" for _, p in THEMES)
    k = len(THEMES)
    con.execute(
        f"""
        INSERT INTO enriched (post_id, day, hour, source, lang, segment, label, score,
                              confidence, weight, author_id, is_repost)
        SELECT 'p' || i, DATE '2025-01-01' + CAST(i * 365 // {n} AS INTEGER),
               CAST(DATE '2025-01-01' + CAST(i * 365 // {n} AS INTEGER) AS TIMESTAMP)
                 + INTERVAL 1 HOUR * CAST(hash(i) % 24 AS INTEGER),
               ['weibo', 'douyin', 'news', 'forum'][1 + CAST(hash(i + 1) % 4 AS INTEGER)],
               ['zh', 'zh', 'zh', 'en'][1 + CAST(hash(i + 2) % 4 AS INTEGER)],
               ['enthusiast', 'mass', 'premium', NULL][1 + CAST(hash(i + 3) % 4 AS INTEGER)],
               CAST(CAST(hash(i + 4) % 3 AS INTEGER) - 1 AS TINYINT), 0.0, 1.0,
               1 + ln(1 + CAST(hash(i + 5) % 100 AS DOUBLE)),
               'a' || CAST(hash(i + 6) % 500000 AS VARCHAR), hash(i + 7) % 10 = 0
        FROM range({n}) t(i)
        """
    )
    con.execute(
        f"""
        INSERT INTO post_targets (post_id, target_type, target, brand, label, score)
        SELECT 'p' || i, 'brand', 'B' || b, 'B' || b, NULL, 0.0
        FROM (SELECT i, CAST(hash(i + 8) % {BRANDS} AS INTEGER) AS b FROM range({n}) t(i))
        UNION ALL
        SELECT 'p' || i, 'persona', 'P' || b, 'B' || b, CAST(hash(i + 9) % 3 AS INTEGER) - 1, 0.0
        FROM (SELECT i, CAST(hash(i + 8) % {BRANDS} AS INTEGER) AS b FROM range({n}) t(i))
        WHERE hash(i + 10) % 10 < 3
        """
    )
    con.execute(
        f"""
        INSERT INTO post_themes
        SELECT 'p' || i, [{theme_list}][1 + j], [{tp_list}][1 + j]
        FROM (SELECT i, CAST(hash(i + 11) % {k} AS INTEGER) AS j FROM range({n}) t(i))
        WHERE hash(i + 12) % 2 = 0
        """
    )


def write_floor(con: Any) -> int:
    """Copy the aggregate rows into new tables and checkpoint: the cost of writing the output
    alone, a floor under any aggregation that stores these rows. Returns the rows written."""
    n = 0
    for table in ("agg_daily", "agg_hourly"):
        con.execute(f"CREATE TABLE _floor_{table} AS SELECT * FROM {table}")
        n += con.execute(f"SELECT count(*) FROM _floor_{table}").fetchall()[0][0]
    con.execute("CHECKPOINT")
    for table in ("agg_daily", "agg_hourly"):
        con.execute(f"DROP TABLE _floor_{table}")
    con.execute("CHECKPOINT")
    return n


CPU: dict[int, float] = {}


def timed(fn: Any) -> tuple[float, Any]:
    """Wall seconds and result of fn(); its process CPU seconds go to CPU[id(out)]."""
    c, t = time.process_time(), time.perf_counter()
    out = fn()
    CPU[id(out)] = time.process_time() - c
    return time.perf_counter() - t, out


def _r(x: float, digits: int) -> float | None:
    return None if x != x else round(x, digits)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=10_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None, help=f"default {OUT.name}")
    ap.add_argument(
        "--workspace", type=Path, default=None,
        help="keep the workspace here (built on the first run, reused after)",
    )  # fmt: skip
    ap.add_argument(
        "--signals-only", action="store_true",
        help="with --workspace: skip generate/aggregate when the workspace is built",
    )  # fmt: skip
    ap.add_argument("--profile", type=Path, default=None, help="cProfile the signals run here")
    args = ap.parse_args()
    args.out = args.out or (OUT_SIGNALS if args.signals_only else OUT)
    from brandhalo.analytics import opinion, signals
    from brandhalo.engines import local
    from brandhalo.store import facts
    from brandhalo.workspace import Workspace, init_workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = args.workspace or Path(tmp) / "ws"
        reuse = args.signals_only and (root / "brandhalo.toml").exists()
        ws = Workspace.open(root) if reuse else init_workspace(root, config_text=CONFIG)
        con = ws.store.con
        con.execute(f"SET threads = {args.threads}")
        gen_s = facts_s = join_s = agg_s = inc_s = floor_s = float("nan")
        agg: Any = None
        floor: Any = None
        if not reuse:
            gen_s, _ = timed(lambda: generate(con, args.posts))
            # post_facts is written by the enrich stage with each batch (store/facts.py);
            # here it is built in one go from the generated tables and timed apart
            facts_s, _ = timed(lambda: facts.refresh(con))
            join_s, _ = timed(
                lambda: con.execute(
                    "SELECT count(*) FROM enriched e JOIN post_targets t ON t.post_id = e.post_id"
                ).fetchall()
            )
            agg_s, agg = timed(lambda: local.run(ws))
            inc_s, inc = timed(lambda: local.run(ws))
            con.execute("CHECKPOINT")  # the floor below times its own writes only
            floor_s, floor = timed(lambda: write_floor(con))
        prof = None
        if args.profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        sig_s, sig = timed(lambda: signals.run(ws, explain=False))
        if prof is not None:
            prof.disable()
            prof.dump_stats(str(args.profile))
        met_s, met = timed(
            lambda: (
                opinion.net_sentiment(ws, freq="day"),
                opinion.daily_pi(ws),
                opinion.buzz(ws, freq="week"),
            )
        )
        rows = {t: ws.store.count(t) for t in ("agg_daily", "agg_hourly", "post_targets")}
        posts = ws.store.count("enriched")
        ws.close()
    out = {
        "benchmark": "aggregate and signals speed (issue 5)",
        "machine": f"{platform.machine()} {os.cpu_count()} cpus, duckdb threads={args.threads}",
        "load_average_1_5_15": [round(x, 1) for x in os.getloadavg()],
        "posts": posts,
        "reused_workspace": reuse,
        "brands": BRANDS,
        "days": 365,
        "generate_s": _r(gen_s, 2),
        "facts_build_s": _r(facts_s, 2),
        "bare_post_id_join_s": _r(join_s, 2),
        "aggregate_full_s": _r(agg_s, 2),
        # CPU seconds of this process (all DuckDB threads): robust to a loaded machine
        "aggregate_full_cpu_s": _r(CPU[id(agg)], 2) if agg is not None else None,
        "aggregate_counts": agg.counts if agg is not None else None,
        "aggregate_noop_s": _r(inc_s, 3),
        # writing the output rows alone (CREATE TABLE AS + CHECKPOINT): no aggregation of
        # them can finish faster on this machine
        "output_write_floor_s": _r(floor_s, 2),
        "output_write_floor_cpu_s": _r(CPU[id(floor)], 2) if floor is not None else None,
        "signals_s": round(sig_s, 2),
        "signals_cpu_s": round(CPU[id(sig)], 2),
        "signals_counts": sig.counts,
        "opinion_metrics_s": round(met_s, 2),
        "opinion_metrics_cpu_s": round(CPU[id(met)], 2),
        "signals_total_s": round(sig_s + met_s, 2),
        "rows": rows,
        "goals": {"aggregate_10M_s": 3.0, "signals_1y_20_brands_s": 5.0},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
