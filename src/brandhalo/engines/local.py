"""The aggregate stage on the embedded DuckDB store (the default engine).

Runs the engine-neutral steps of :mod:`brandhalo.engines.sql` as temporary tables and replaces
the aggregate rows of every local day whose enriched posts changed since the last run
(incremental by day: a day is re-aggregated when its post count or its latest ``enriched_at``
differs from what ``agg_days`` recorded).
"""

from __future__ import annotations

import bisect
import time
from typing import Any

from brandhalo.engines import facts
from brandhalo.engines.sql import (
    DAILY_KEYS,
    HOURLY_KEYS,
    MEASURES,
    THEME_SET_COLUMNS,
    THEME_SETS,
    aggregate_sql,
    facts_sql,
    steps,
    theme_set_rows,
)
from brandhalo.engines.sql import touched_days_sql as _touched_sql
from brandhalo.models import StageResult
from brandhalo.workspace import Workspace

#: Re-aggregate about this many enriched posts per statement batch (bounds hash-table size;
#: a batch holds whole days, so it can exceed this by less than a day).
BATCH_POSTS = 5_000_000


def run(ws: Workspace, *, full: bool = False, **_: Any) -> StageResult:
    """Aggregate enriched posts into ``agg_daily`` and ``agg_hourly`` (incremental by day).

    Args:
        ws: the workspace.
        full: re-aggregate every day instead of the changed ones.

    Returns:
        StageResult with counts ``days``, ``daily_rows``, ``hourly_rows``.
    """
    t0 = time.perf_counter()
    con = ws.store.con
    if full:
        con.execute("DELETE FROM agg_days")
    with ws.store.transaction() as tx:
        facts.ensure(tx)
    touched = con.execute(_touched_sql() + " ORDER BY e.day").fetchall()
    if not touched:
        return StageResult(name="aggregate", counts={"days": 0}, seconds=0.0, note="up to date")
    batches = _batches(touched, BATCH_POSTS)
    days = [r[0] for r in con.execute("SELECT DISTINCT day FROM enriched ORDER BY day").fetchall()]
    # one batch of every day: read the tables whole (no per-post filter joins)
    whole = len(batches) == 1 and len(touched) == len(days)
    daily = hourly = 0
    for batch in batches:
        exact = _covers(days, batch)
        d, h = _aggregate_batch(ws, batch, incremental=not whole, span_exact=exact)
        daily, hourly = daily + d, hourly + h
    return StageResult(
        name="aggregate",
        counts={"days": len(touched), "daily_rows": daily, "hourly_rows": hourly},
        seconds=time.perf_counter() - t0,
    )


def _batches(touched: list[tuple[Any, int, Any]], limit: int) -> list[list[tuple[Any, int, Any]]]:
    """Split (day, posts, last_enriched) rows into the fewest consecutive batches of about
    `limit` posts, of even size (10M posts in two batches of 5M, not two and a sliver)."""
    total = max(1, sum(row[1] for row in touched))
    n = -(-total // limit)
    out: list[list[tuple[Any, int, Any]]] = [[] for _ in range(n)]
    before = 0
    for row in touched:
        out[min(n - 1, before * n // total)].append(row)
        before += row[1]
    return [batch for batch in out if batch]


def _covers(days: list[Any], batch: list[tuple[Any, int, Any]]) -> bool:
    """True if `batch` holds every day of sorted `days` from its first day to its last."""
    lo, hi = batch[0][0], batch[-1][0]
    return bisect.bisect_right(days, hi) - bisect.bisect_left(days, lo) == len(batch)


def _aggregate_batch(
    ws: Workspace,
    batch: list[tuple[Any, int, Any]],
    *,
    incremental: bool = True,
    span_exact: bool = False,
) -> tuple[int, int]:
    """Replace the aggregates of the days in `batch` (in day order) in one transaction.

    ``incremental=False`` reads every enriched day: only for a batch that holds all of them.
    `span_exact`: the batch holds every enriched day from its first to its last (a full
    rebuild, new days at the end): the steps filter by that range alone.
    """
    import pandas as pd

    days = pd.DataFrame({"day": [r[0] for r in batch]})
    state = pd.DataFrame(
        {"day": days["day"], "posts": [r[1] for r in batch], "last": [r[2] for r in batch]}
    )
    with ws.store.transaction() as con:
        con.register("_touched", days)
        con.execute("CREATE OR REPLACE TEMP TABLE agg_touched_days AS SELECT day FROM _touched")
        con.unregister("_touched")
        span = (str(batch[0][0]), str(batch[-1][0]))
        stage(con, incremental=incremental, span=span, span_exact=span_exact)
        for table in ("agg_daily", "agg_hourly"):
            con.execute(f"DELETE FROM {table} WHERE day IN (SELECT day FROM agg_touched_days)")
        cols_d = ", ".join((*DAILY_KEYS, *MEASURES))
        cols_h = ", ".join((*HOURLY_KEYS, *MEASURES))
        con.execute(f"INSERT INTO agg_daily ({cols_d}) {aggregate_sql('day')}")
        con.execute(f"INSERT INTO agg_hourly ({cols_h}) {aggregate_sql('hour')}")
        d = _count(con, "agg_daily")
        h = _count(con, "agg_hourly")
        con.register("_state", state)
        con.execute(
            "INSERT OR REPLACE INTO agg_days (day, posts, last_enriched, aggregated_at) "
            "SELECT day, posts, last, current_timestamp FROM _state"
        )
        con.unregister("_state")
        for name, _ in steps(incremental=True):
            con.execute(f"DROP TABLE IF EXISTS {name}")
    return d, h


def stage(
    con: Any,
    *,
    incremental: bool,
    facts_view: bool = False,
    span: tuple[str, str] | None = None,
    span_exact: bool = False,
) -> None:
    """Materialize the aggregation's staging steps as temporary tables on `con`.

    Args:
        con: a DuckDB connection holding (tables or views) ``enriched`` and ``post_facts``,
            or, with `facts_view`, ``enriched``, ``post_targets`` and ``post_themes``.
        incremental: read only the days of ``agg_touched_days``.
        facts_view: compute ``post_facts`` from the enrichment tables first (as Spark does).
        span: first and last touched day (ISO), to let DuckDB skip row groups.
        span_exact: every day of `span` is touched: filter by the range alone.
    """
    if facts_view:
        con.execute(f"CREATE OR REPLACE TEMP TABLE post_facts AS {facts_sql('duckdb')}")
    for name, select in steps(incremental=incremental, span=span, span_exact=span_exact):
        if name == THEME_SETS:
            _stage_theme_sets(con, select)
        else:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}")


def _stage_theme_sets(con: Any, keys_sql: str) -> None:
    """The theme-set step: every theme key `keys_sql` lists, expanded (sql.theme_set_rows)."""
    import pyarrow as pa

    keys = [r[0] for r in con.execute(keys_sql).fetchall()]
    rows = list(zip(*theme_set_rows(keys), strict=True)) or [()] * len(THEME_SET_COLUMNS)
    sets = pa.table(
        [
            pa.array(c, pa.int32() if t == "int" else pa.type_for_alias(t))
            for c, (_, t) in zip(rows, THEME_SET_COLUMNS, strict=True)
        ],
        names=[name for name, _ in THEME_SET_COLUMNS],
    )
    con.register("_theme_sets", sets)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {THEME_SETS} AS SELECT * FROM _theme_sets")
    con.unregister("_theme_sets")


def _count(con: Any, table: str) -> int:
    rows = con.execute(
        f"SELECT count(*) FROM {table} WHERE day IN (SELECT day FROM agg_touched_days)"
    ).fetchall()
    return int(rows[0][0])
