"""Running enrichment over a workspace: incremental, chunked, parallel, resumable.

Posts that have no ``enriched`` row, or whose row was made under another config fingerprint,
are read in chunks (by ``rowid``), split into batches that worker processes enrich (Arrow IPC
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
from typing import TYPE_CHECKING, Any

import numpy as np

from brandhalo.models import StageResult
from brandhalo.text.enrich import POST_COLUMNS, EnrichContext, EnrichedBatch, enrich_table

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


def _chunks(ws: Workspace, h: str, chunk_rows: int) -> Iterator[tuple[int, int]]:
    """Inclusive rowid ranges, each holding about `chunk_rows` posts to do."""
    rids = ws.store.con.execute(_todo_sql("p.rowid AS rid") + " ORDER BY rid", {"hash": h})
    arr = rids.fetchnumpy()["rid"]
    for i in range(0, len(arr), chunk_rows):
        yield int(arr[i]), int(arr[min(i + chunk_rows, len(arr)) - 1])


def _read_chunk(ws: Workspace, h: str, lo: int, hi: int) -> tuple[pa.Table, int]:
    cols = ", ".join(f"p.{c}" for c in POST_COLUMNS)
    sql = _todo_sql(f"{cols}, e.post_id IS NOT NULL AS _stale") + " AND p.rowid BETWEEN $lo AND $hi"
    # A cursor: the DB-API result of an earlier execute() on `con` may still be open.
    cur = ws.store.cursor()
    try:
        table = cur.sql(sql, params={"hash": h, "lo": lo, "hi": hi}).to_arrow_table()
    finally:
        cur.close()
    stale = int(np.count_nonzero(table.column("_stale").to_numpy(zero_copy_only=False)))
    return table.drop_columns(["_stale"]), stale


def _write(ws: Workspace, ids: pa.Table, parts: list[EnrichedBatch], stale: int) -> None:
    import pyarrow as pa

    with ws.store.transaction() as con:
        if stale:
            con.register("_enrich_ids", ids)
            for name in _TABLES:
                con.execute(
                    f"DELETE FROM {name} WHERE post_id IN (SELECT post_id FROM _enrich_ids)"
                )
            con.unregister("_enrich_ids")
        for name in _TABLES:
            table = pa.concat_tables([getattr(p, name) for p in parts])
            if table.num_rows:
                con.register("_enrich_rows", table)
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _enrich_rows")
                con.unregister("_enrich_rows")


# ----------------------------------------------------------------------------- workers
_WORKER: dict[str, EnrichContext] = {}


def _init_worker(ctx: EnrichContext) -> None:
    _WORKER["ctx"] = ctx


def _enrich_ipc(data: bytes) -> tuple[bytes, bytes, bytes]:
    out = enrich_table(_from_ipc(data), _WORKER["ctx"])
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
    table: pa.Table, ctx: EnrichContext, pool: Executor | None, batch_rows: int
) -> Callable[[], list[EnrichedBatch]]:
    """Start enriching a chunk; the returned function waits for (or computes) the result."""
    slices = [table.slice(i, batch_rows) for i in range(0, table.num_rows, batch_rows)]
    if pool is None:
        return lambda: [enrich_table(s, ctx) for s in slices]
    futures = [pool.submit(_enrich_ipc, _to_ipc(s)) for s in slices]
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
    todo = pending(ws, ctx)
    workers = workers or os.cpu_count() or 1
    use_pool = workers > 1 and todo >= PARALLEL_MIN
    pool = _pool(workers, ctx) if use_pool else None
    done = restaled = 0
    waiting: list[tuple[pa.Table, int, Callable[[], list[EnrichedBatch]]]] = []

    def write_oldest() -> None:
        nonlocal done, restaled, pool
        table, stale, result = waiting.pop(0)
        try:
            parts = result()
        except BrokenProcessPool:
            # A worker died (killed, or __main__ not importable under spawn): finish here.
            log.warning("enrichment workers stopped; continuing in this process")
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            pool = None
            waiting[:] = [(t, s, _enrich_chunk(t, ctx, None, batch_rows)) for t, s, _ in waiting]
            parts = _enrich_chunk(table, ctx, None, batch_rows)()
        _write(ws, table.select(["post_id"]), parts, stale)
        done, restaled = done + table.num_rows, restaled + stale
        if progress is not None:
            progress(table.num_rows)

    try:
        for lo, hi in list(_chunks(ws, ctx.config_hash, chunk_rows)):
            table, stale = _read_chunk(ws, ctx.config_hash, lo, hi)
            if table.num_rows:
                # Workers start on this chunk while the previous one is written.
                waiting.append((table, stale, _enrich_chunk(table, ctx, pool, batch_rows)))
            if len(waiting) > 1:
                write_oldest()
        while waiting:
            write_oldest()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    total = int(ws.store.con.execute("SELECT count(*) FROM enriched").fetchall()[0][0])
    return StageResult(
        name="enrich",
        counts={
            "enriched": done,
            "re_enriched": restaled,
            "total": total,
            "workers": workers if use_pool else 1,
        },
        seconds=time.perf_counter() - t0,
        note=None if done else "nothing new to enrich",
    )
