"""The aggregate stage on the embedded DuckDB store (the default engine).

Runs the engine-neutral steps of :mod:`brandhalo.engines.sql` as temporary tables and replaces
the aggregate rows of every local day whose enriched posts changed since the last run
(incremental by day: a day is re-aggregated when its post count or its latest ``enriched_at``
differs from what ``agg_days`` recorded).
"""

from __future__ import annotations

import bisect
import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from brandhalo.engines.sql import (
    DAILY_KEYS,
    HOURLY_KEYS,
    LAST_DAY_SQL,
    MEASURES,
    THEME_SET_COLUMNS,
    THEME_SETS,
    aggregate_sql,
    facts_sql,
    hourly_start,
    steps,
    theme_set_rows,
)
from brandhalo.engines.sql import touched_days_sql as _touched_sql
from brandhalo.engines.sql_report import DAILY_TABLES, TOUCHED_CLUSTERS_SQL, columns, report_sql
from brandhalo.models import StageResult
from brandhalo.stages import Progress
from brandhalo.store import aggregates, facts
from brandhalo.workspace import Workspace

#: Re-aggregate about this many enriched posts per statement batch (bounds hash-table size;
#: a batch holds whole days, so it can exceed this by less than a day).
BATCH_POSTS = 5_000_000


def run(ws: Workspace, *, full: bool = False) -> StageResult:
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
        aggregates.forget_days(con)
    with ws.store.transaction() as tx:
        facts.ensure(tx)
    start = hourly_window(ws)
    with ws.store.transaction() as tx:
        pruned = prune_hourly(tx, start)
    touched = con.execute(_touched_sql(_iso(start)) + " ORDER BY e.day").fetchall()
    if not touched:
        note = "up to date" + (f"; hourly rows before {start} dropped" if pruned else "")
        return StageResult(name="aggregate", counts={"days": 0}, seconds=0.0, note=note)
    batches = _batches(touched, BATCH_POSTS)
    days = aggregates.enriched_days(con)
    # one batch of every day: read the tables whole (no per-post filter joins)
    whole = len(batches) == 1 and len(touched) == len(days)
    daily = hourly = 0
    for batch in batches:
        exact = _covers(days, batch)
        d, h = _aggregate_batch(
            ws, batch, incremental=not whole, span_exact=exact, hourly_from=start
        )
        daily, hourly = daily + d, hourly + h
    return StageResult(
        name="aggregate",
        counts={"days": len(touched), "daily_rows": daily, "hourly_rows": hourly},
        seconds=time.perf_counter() - t0,
    )


@dataclass(frozen=True)
class AggregateOptions:
    """Options of the aggregate stage (see :func:`run`)."""

    full: bool = False


class AggregateStage:
    """The local engine's aggregate stage: :func:`run` as a :class:`~brandhalo.stages.Stage`."""

    name = "aggregate"
    Options = AggregateOptions

    def total(self, ws: Workspace) -> int | None:
        """No countable units: the bar shows time."""
        return None

    def run(
        self, ws: Workspace, options: AggregateOptions, progress: Progress | None = None
    ) -> StageResult:
        """Aggregate what changed (everything with ``full``)."""
        return run(ws, full=options.full)


#: The aggregate stage, as ``pipeline.ANALYZE_STAGES`` lists it.
AGGREGATE = AggregateStage()


def hourly_window(ws: Workspace) -> dt.date | None:
    """First local day whose hourly aggregates are stored (``[aggregate] hourly_days`` back
    from the last enriched day); None without data."""
    rows = ws.store.con.execute(LAST_DAY_SQL).fetchall()
    return hourly_start(rows[0][0] if rows else None, ws.config.aggregate.hourly_days)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def prune_hourly(con: Any, start: dt.date | None) -> int:
    """Drop the hourly rows of days before `start` (the window moved on), inside the caller's
    transaction, and record those days as without hourly rows; returns the rows dropped."""
    if start is None:
        return 0
    return aggregates.prune_hourly(con, start)


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
    hourly_from: dt.date | None = None,
) -> tuple[int, int]:
    """Replace the aggregates of the days in `batch` (in day order) in one transaction.

    ``incremental=False`` reads every enriched day: only for a batch that holds all of them.
    `span_exact`: the batch holds every enriched day from its first to its last (a full
    rebuild, new days at the end): the steps filter by that range alone. `hourly_from`: the
    hourly rows of days before it are not written (``agg_days.hourly`` records which are).
    """
    import pandas as pd

    days = pd.DataFrame({"day": [r[0] for r in batch]})
    state = pd.DataFrame(
        {"day": days["day"], "posts": [r[1] for r in batch], "last": [r[2] for r in batch]}
    )
    with ws.store.transaction() as con:
        aggregates.touch_days(con, days)
        span = (str(batch[0][0]), str(batch[-1][0]))
        stage(
            con,
            incremental=incremental,
            span=span,
            span_exact=span_exact,
            hourly_from=_iso(hourly_from),
        )
        d, h = aggregates.replace_touched(
            con,
            daily=((*DAILY_KEYS, *MEASURES), aggregate_sql("day")),
            hourly=((*HOURLY_KEYS, *MEASURES), aggregate_sql("hour")),
        )
        write_report_tables(con, incremental=incremental, span=span, span_exact=span_exact)
        aggregates.record_days(con, state, hourly_from)
        for name, _ in steps(incremental=True):
            con.execute(f"DROP TABLE IF EXISTS {name}")
    return d, h


def write_report_tables(
    con: Any, *, incremental: bool, span: tuple[str, str], span_exact: bool
) -> None:
    """Replace the report tables' rows of the days in ``agg_touched_days`` and of the
    clusters their posts belong to (issue 19; :mod:`brandhalo.engines.sql_report`), inside
    the caller's transaction."""
    for table in DAILY_TABLES:
        select = report_sql(table, incremental=incremental, span=span, span_exact=span_exact)
        aggregates.replace_touched_report_days(con, table, columns(table), select)
    cols = columns("agg_clusters")
    if not incremental:
        aggregates.replace_clusters(con, cols, report_sql("agg_clusters", incremental=False))
        return
    select = report_sql("agg_clusters", incremental=True)
    aggregates.replace_touched_clusters(con, cols, TOUCHED_CLUSTERS_SQL, select)


def stage(
    con: Any,
    *,
    incremental: bool,
    facts_view: bool = False,
    span: tuple[str, str] | None = None,
    span_exact: bool = False,
    hourly_from: str | None = None,
) -> None:
    """Materialize the aggregation's staging steps as temporary tables on `con`.

    Args:
        con: a DuckDB connection holding (tables or views) ``enriched`` and ``post_facts``,
            or, with `facts_view`, ``enriched``, ``post_targets`` and ``post_themes``.
        incremental: read only the days of ``agg_touched_days``.
        facts_view: compute ``post_facts`` from the enrichment tables first (as Spark does).
        span: first and last touched day (ISO), to let DuckDB skip row groups.
        span_exact: every day of `span` is touched: filter by the range alone.
        hourly_from: first day (ISO) of the hourly window (None: every day).
    """
    if facts_view:
        con.execute(f"CREATE OR REPLACE TEMP TABLE post_facts AS {facts_sql('duckdb')}")
    for name, select in steps(
        incremental=incremental, span=span, span_exact=span_exact, hourly_from=hourly_from
    ):
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


#: The staging steps an hourly question needs (the daily groupings are left out).
_HOURLY_STEPS = ("agg_multi", "agg_mf", "agg_w_hour", "agg_m_hour", THEME_SETS)


def hourly(ws: Workspace, since: dt.date | None = None, until: dt.date | None = None) -> Any:
    """``agg_hourly`` rows of the local days `since`..`until` (inclusive; None: open end).

    Days inside the hourly window (``[aggregate] hourly_days``) are read from ``agg_hourly``;
    older days are computed on demand from ``post_facts`` with the same SQL, so the numbers
    are those the table would hold. Rows are sorted by the hourly keys.

    Returns:
        A DataFrame with the columns of ``agg_hourly`` (:data:`HOURLY_KEYS`, :data:`MEASURES`).
    """
    import pandas as pd

    start = hourly_window(ws)
    parts = []
    lo = max(since, start) if since is not None and start is not None else (start or since)
    if until is None or lo is None or lo <= until:
        parts.append(aggregates.hourly_rows(ws.store.con, (*HOURLY_KEYS, *MEASURES), lo, until))
    if start is not None and (since is None or since < start):
        old_until = start - dt.timedelta(days=1)
        parts.append(hourly_from_facts(ws, since, min(until, old_until) if until else old_until))
    frame = pd.concat([p for p in parts if not p.empty] or parts[:1], ignore_index=True)
    return frame.sort_values(list(HOURLY_KEYS), kind="mergesort").reset_index(drop=True)


def hourly_from_facts(ws: Workspace, since: dt.date | None, until: dt.date) -> Any:
    """The hourly aggregate rows of local days `since`..`until`, computed from ``post_facts``
    on a private cursor (temporary tables; the store is not written)."""
    cur = ws.store.cursor()
    names = [name for name, _ in steps(incremental=True)]
    try:
        aggregates.touch_fact_days(cur, since, until)
        for name, select in steps(incremental=True):
            if name == THEME_SETS:
                _stage_theme_sets(cur, "SELECT DISTINCT theme_key FROM agg_w_hour")
            elif name in _HOURLY_STEPS:
                cur.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}")
        cols = ", ".join((*HOURLY_KEYS, *MEASURES))
        return cur.execute(f"SELECT {cols} FROM ({aggregate_sql('hour')})").df()
    finally:
        for name in ("agg_touched_days", *names):
            cur.execute(f"DROP TABLE IF EXISTS {name}")
        cur.close()
