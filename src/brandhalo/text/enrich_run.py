"""Running enrichment over a workspace: incremental, chunked, parallel, resumable.

Posts that have no ``enriched`` row, or whose row was made under another config fingerprint,
are listed once (by ``rowid``), then read in chunks of rowid ranges, split into batches that worker processes enrich (Arrow IPC
in and out), and each chunk is written in one transaction by this process — DuckDB has one
writer. A stopped run resumes where it stopped: committed chunks carry the current
fingerprint and are skipped next time.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from brandhalo.engines import facts
from brandhalo.models import StageResult
from brandhalo.text.enrich import (
    POST_COLUMNS,
    EnrichContext,
    EnrichedBatch,
    enrich_table,
    rematch_table,
)
from brandhalo.text.neardup import cluster_enriched
from brandhalo.text.origin import apply_pending, note_clusters

if TYPE_CHECKING:
    import pyarrow as pa

    from brandhalo.workspace import Workspace

log = logging.getLogger("brandhalo.enrich")

#: Posts per store transaction (bounds memory) and per worker task.
CHUNK_ROWS = 200_000
BATCH_ROWS = 20_000
#: Below this many posts to do, worker start-up costs more than it saves.
PARALLEL_MIN = 40_000

_TABLES = ("enriched", "post_targets", "post_themes")


def _todo_sql(columns: str) -> str:
    return (
        f"SELECT {columns} FROM posts p LEFT JOIN enriched e ON e.post_id = p.post_id "
        "WHERE (e.post_id IS NULL OR e.config_hash IS DISTINCT FROM $hash)"
    )


def pending(ws: Workspace, ctx: EnrichContext | None = None) -> int:
    """How many posts the next run will enrich (new or stale)."""
    from brandhalo.text.enrich import config_hash

    h = ctx.config_hash if ctx else config_hash(ws.config)
    rows = ws.store.con.execute(_todo_sql("count(*)"), {"hash": h}).fetchall()
    return int(rows[0][0])


@dataclass
class _Plan:
    """The posts to do, by rowid (ascending), with what kind of work each needs."""

    rowid: np.ndarray
    stale: np.ndarray  # has an enriched row made under another config
    light: np.ndarray  # ... whose config core still matches: themes/segments only

    def chunks(self, rows: int) -> Iterator[slice]:
        for i in range(0, len(self.rowid), rows):
            yield slice(i, min(i + rows, len(self.rowid)))


def _plan(ws: Workspace, ctx: EnrichContext) -> _Plan:
    """One pass over posts x enriched decides the work; chunks then read posts by rowid."""
    flags = (
        "p.rowid AS rid, e.post_id IS NOT NULL AS stale, "
        "coalesce(split_part(e.config_hash, '.', 1) = $core, false) AS light"
    )
    params = {"hash": ctx.config_hash, "core": ctx.core_hash}
    res = ws.store.con.execute(_todo_sql(flags) + " ORDER BY rid", params).fetchnumpy()
    return _Plan(
        np.asarray(res["rid"], dtype=np.int64),
        np.asarray(res["stale"], dtype=bool),
        np.asarray(res["light"], dtype=bool),
    )


def _read_chunk(ws: Workspace, plan: _Plan, part: slice) -> pa.Table:
    """The chunk's posts (rowid range scan, pushed down by DuckDB) with ``_stale``/``_light``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rids = plan.rowid[part]
    cols = ", ".join(POST_COLUMNS)
    sql = f"SELECT rowid AS _rid, {cols} FROM posts WHERE rowid BETWEEN $lo AND $hi ORDER BY rowid"
    # A cursor: the DB-API result of an earlier execute() on `con` may still be open.
    cur = ws.store.cursor()
    try:
        table = cur.sql(sql, params={"lo": int(rids[0]), "hi": int(rids[-1])}).to_arrow_table()
    finally:
        cur.close()
    if table.num_rows != len(rids):  # posts in the range that are already up to date
        table = table.filter(pc.is_in(table.column("_rid"), value_set=pa.array(rids)))
    table = table.drop_columns(["_rid"])
    table = table.append_column("_stale", pa.array(plan.stale[part]))
    return table.append_column("_light", pa.array(plan.light[part]))


@dataclass
class _Job:
    """One part of a chunk: full enrichment or a themes/segments rematch."""

    light: bool
    table: pa.Table
    stale: int
    result: Callable[[], list[EnrichedBatch]]


def _split(table: pa.Table) -> list[tuple[bool, pa.Table, int]]:
    import pyarrow.compute as pc

    light = table.column("_light")
    parts = []
    for is_light, mask in ((False, pc.invert(light)), (True, light)):
        part = table.filter(mask)
        if part.num_rows:
            stale = int(pc.sum(part.column("_stale")).as_py() or 0)
            parts.append((is_light, part.drop_columns(["_stale", "_light"]), stale))
    return parts


def _write(ws: Workspace, jobs: list[tuple[_Job, list[EnrichedBatch]]]) -> None:
    """Write one chunk's results in one transaction."""
    with ws.store.transaction() as con:
        for job, parts in jobs:
            con.register("_enrich_ids", job.table.select(["post_id"]))
            if job.light:
                _write_light(con, parts)
                facts.refresh(con, "_enrich_ids")
            else:
                for part in parts:  # near-duplicate clusters, in chunk order
                    part.enriched = cluster_enriched(con, part.enriched)
                _write_full(con, parts, job.stale)
                note_clusters(con, [p.enriched for p in parts])  # rule: once per run
            con.unregister("_enrich_ids")


def _insert(con: Any, name: str, parts: list[pa.Table]) -> None:
    import pyarrow as pa

    table = pa.concat_tables(parts)
    if table.num_rows:
        con.register("_enrich_rows", table)
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _enrich_rows")
        con.unregister("_enrich_rows")


def _write_full(con: Any, parts: list[EnrichedBatch], stale: int) -> None:
    import pyarrow as pa

    if stale:
        for name in (*_TABLES, "post_facts"):
            con.execute(f"DELETE FROM {name} WHERE post_id IN (SELECT post_id FROM _enrich_ids)")
    for name in _TABLES:
        _insert(con, name, [getattr(p, name) for p in parts])
    # the facts of these posts, from the batch's own rows (no scan of the stored tables)
    views = tuple(f"_facts_{name}" for name in _TABLES)
    for name, view in zip(_TABLES, views, strict=True):
        con.register(view, pa.concat_tables([getattr(p, name) for p in parts]))
    facts.refresh(con, "_enrich_ids", rows=views, replace=False)  # type: ignore[arg-type]
    for view in views:
        con.unregister(view)


def _write_light(con: Any, parts: list[EnrichedBatch]) -> None:
    import pyarrow as pa

    con.execute("DELETE FROM post_themes WHERE post_id IN (SELECT post_id FROM _enrich_ids)")
    _insert(con, "post_themes", [p.post_themes for p in parts])
    con.register("_enrich_upd", pa.concat_tables([p.enriched for p in parts]))
    con.execute(
        "UPDATE enriched SET segment = u.segment, config_hash = u.config_hash "
        "FROM _enrich_upd u WHERE enriched.post_id = u.post_id"
    )
    con.unregister("_enrich_upd")


# ----------------------------------------------------------------------------- workers
_WORKER: dict[str, EnrichContext] = {}


def _init_worker(ctx: EnrichContext) -> None:
    _WORKER["ctx"] = ctx


def _enrich_ipc(data: bytes, light: bool = False) -> tuple[bytes, bytes, bytes]:
    work = rematch_table if light else enrich_table
    out = work(_from_ipc(data), _WORKER["ctx"])
    return _to_ipc(out.enriched), _to_ipc(out.post_targets), _to_ipc(out.post_themes)


def _to_ipc(table: pa.Table) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def _from_ipc(data: bytes) -> pa.Table:
    import pyarrow as pa

    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


def _pool(workers: int, ctx: EnrichContext) -> Executor:
    import multiprocessing as mp

    # spawn: the parent holds a DuckDB connection and threads that must not be forked.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=mp.get_context("spawn"),
        initializer=_init_worker,
        initargs=(ctx,),
    )


def _enrich_chunk(
    table: pa.Table, ctx: EnrichContext, pool: Executor | None, batch_rows: int, light: bool
) -> Callable[[], list[EnrichedBatch]]:
    """Start work on a chunk part; the returned function waits for (or computes) the result."""
    slices = [table.slice(i, batch_rows) for i in range(0, table.num_rows, batch_rows)]
    work = rematch_table if light else enrich_table
    if pool is None:
        return lambda: [work(s, ctx) for s in slices]
    futures = [pool.submit(_enrich_ipc, _to_ipc(s), light) for s in slices]
    return lambda: [EnrichedBatch(*(_from_ipc(b) for b in f.result())) for f in futures]


def run_enrich(
    ws: Workspace,
    progress: Callable[[int], None] | None = None,
    *,
    workers: int | None = None,
    ctx: EnrichContext | None = None,
    chunk_rows: int = CHUNK_ROWS,
    batch_rows: int = BATCH_ROWS,
    **_: Any,
) -> StageResult:
    """Enrich every new or stale post of `ws`; `progress(n)` is called as posts are done.

    Args:
        ws: the workspace.
        progress: called with the number of posts finished after each chunk.
        workers: processes (default: all cores; 1 = in this process).
        ctx: a prebuilt context (tests pass one with a chosen sentiment engine).
        chunk_rows: posts per transaction; batch_rows: posts per worker task.
    """
    t0 = time.perf_counter()
    ctx = ctx or EnrichContext.from_config(ws.config, root=ws.root)
    plan = _plan(ws, ctx)
    todo = len(plan.rowid)
    workers = workers or os.cpu_count() or 1
    use_pool = workers > 1 and todo >= PARALLEL_MIN
    pool = _pool(workers, ctx) if use_pool else None
    counts = {"enriched": 0, "re_enriched": 0, "rematched": 0}
    waiting: list[list[_Job]] = []

    def start(light: bool, table: pa.Table, stale: int) -> _Job:
        return _Job(light, table, stale, _enrich_chunk(table, ctx, pool, batch_rows, light))

    def results(job: _Job) -> list[EnrichedBatch]:
        nonlocal pool
        try:
            return job.result()
        except BrokenProcessPool:
            # A worker died (killed, or __main__ not importable under spawn): finish here.
            log.warning("enrichment workers stopped; continuing in this process")
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            pool = None
            return _enrich_chunk(job.table, ctx, None, batch_rows, job.light)()

    def write_oldest() -> None:
        jobs = waiting.pop(0)
        _write(ws, [(job, results(job)) for job in jobs])
        for job in jobs:
            n = job.table.num_rows
            counts["rematched" if job.light else "enriched"] += n
            counts["re_enriched"] += 0 if job.light else job.stale
            if progress is not None:
                progress(n)

    try:
        for part in plan.chunks(chunk_rows):
            table = _read_chunk(ws, plan, part)
            # Workers start on this chunk while the previous one is written.
            jobs = [start(*part) for part in _split(table)]
            if jobs:
                waiting.append(jobs)
            if len(waiting) > 1:
                write_oldest()
        while waiting:
            write_oldest()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    # the campaign (cluster) rule, once over the clusters this run (or a stopped one) joined
    origin = ws.config.origin
    apply_pending(ws.store, origin.campaign_min_accounts, origin.campaign_window_hours)
    total = int(ws.store.con.execute("SELECT count(*) FROM enriched").fetchall()[0][0])
    return StageResult(
        name="enrich",
        counts={**counts, "total": total, "workers": workers if use_pool else 1},
        seconds=time.perf_counter() - t0,
        note=None if sum(counts.values()) else "nothing new to enrich",
    )
