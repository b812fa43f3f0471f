"""Running enrichment over a workspace: incremental, chunked, parallel, resumable.

Posts that have no ``enriched`` row, or whose row was made under another config fingerprint,
are listed once (by ``rowid``), then read in chunks of rowid ranges, split into batches that
worker processes enrich (Arrow IPC in and out). Each chunk is written in one transaction by
this process (DuckDB has one writer), batch by batch as results arrive: the writer stores a
chunk's first batches while the workers compute its later ones and the next chunk, so both
cores stay busy even when the whole run is one chunk; at most two chunks are in flight. A
stopped run resumes where it stopped: committed chunks carry the current fingerprint and are
skipped next time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from brandhalo.store import enrich as enrich_store
from brandhalo.store import facts, threads
from brandhalo.store.enrich import ENRICH_TABLES as _TABLES
from brandhalo.text.enrich import (
    POST_COLUMNS,
    RATING_TOP,
    EnrichContext,
    EnrichedBatch,
    changed_parts,
    config_part_digests,
    enrich_table,
    rematch_table,
)
from brandhalo.text.neardup import ClusterIndex, cluster_enriched
from brandhalo.text.origin import apply_pending, note_clusters

if TYPE_CHECKING:
    import pyarrow as pa

    from brandhalo.models import StageResult
    from brandhalo.workspace import Workspace

log = logging.getLogger("brandhalo.enrich")

#: Posts per store transaction (bounds memory) and per batch the writer clusters and stores.
CHUNK_ROWS = 200_000
BATCH_ROWS = 20_000
#: Posts whose full-enrichment rows the writer gathers (a chunk's batches, in order) before it
#: inserts them: one INSERT per table per 100,000 posts instead of per batch. Each INSERT has a
#: fixed cost whatever its size (binding, the Arrow scan, the table's append state): at 1M
#: real-length posts, 200 INSERTs of 20,000 posts cost about 0.5 CPU-s more than 40 of
#: 100,000. The rows wait in the chunk's transaction, so a kill still leaves the chunk unwritten.
INSERT_ROWS = 100_000
#: Posts per worker task at most (a batch is split into tasks; their results are joined).
#: Each ``enrich_table`` call has a fixed cost (about 7.5 ms on the e2e config, most of it
#: the theme and segment queries, evaluated once per call whatever its size): tasks of 10,000
#: real-length posts cost about 1.4 CPU-us a post less than tasks of 5,000. A 20,000-post
#: batch is two tasks: the workers of a 2-core run still take one each and end together.
TASK_ROWS = 10_000
#: Below this many posts to do, worker start-up costs more than it saves: a worker spends
#: about a CPU-second starting (imports, the compiled context, the lexicon's tables) and then
#: saves the in-process text work of its share (about 45 us a simulated e2e post, more for a
#: real-length one); on 2 cores the pool's wall time draws level near 40-50k posts (and
#: loses while another program keeps a core busy).
PARALLEL_MIN = 40_000


def usable_cpus() -> int:
    """The cores this process may run on (its CPU affinity where the system has one; a
    container pinned to 2 of a host's 64 cores gets 2 workers, not 64)."""
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return max(1, len(affinity(0)))
    return os.cpu_count() or 1


def pool_size(workers: int, todo: int) -> int:
    """Processes to enrich `todo` posts with, of `workers` at most: 1 (this process) below
    :data:`PARALLEL_MIN` posts, else as many as have half of it each to do (each worker's
    start costs the same, however few posts it gets: 50k posts on 16 cores get 2 workers)."""
    if workers < 2 or todo < PARALLEL_MIN:
        return 1
    share = PARALLEL_MIN // 2
    return min(workers, max(2, todo // share)) if share else workers


def pending(ws: Workspace, ctx: EnrichContext | None = None) -> int:
    """How many posts the next run will enrich (new or stale)."""
    from brandhalo.text.enrich import config_hash

    h = ctx.config_hash if ctx else config_hash(ws.config)
    return enrich_store.count_todo(ws.store.con, h)


def _why_again(ws: Workspace, ctx: EnrichContext, now: dict[str, str]) -> dict[str, str]:
    """Why this run enriches or rematches posts enriched before, by count (``re_enriched``,
    ``rematched``): the parts of the config that changed since (:func:`~brandhalo.text.enrich.
    changed_parts`), a count left out when some of its posts were enriched before their
    configs were kept (`now`: this run's :func:`~brandhalo.text.enrich.config_part_digests`)."""
    said: dict[str, dict[str, None]] = {"re_enriched": {}, "rematched": {}}
    unknown: set[str] = set()
    for h, _n, parts in enrich_store.stale_configs(ws.store.con, ctx.config_hash):
        key = "rematched" if h.split(".")[0] == ctx.core_hash else "re_enriched"
        if parts is None:
            unknown.add(key)
        else:
            said[key][changed_parts(parts, now)] = None
    return {k: "; ".join(v) for k, v in said.items() if v and k not in unknown}


@dataclass
class _Plan:
    """The posts to do, by rowid (ascending), with what kind of work each needs."""

    rowid: np.ndarray
    stale: np.ndarray  # has an enriched row made under another config
    light: np.ndarray  # ... whose config core still matches: themes/segments only
    #: the highest rating the workspace stores (its scale: stars up to 5, else a 10- or
    #: 100-point one; None: no rating), read once a run and put on every chunk's rows
    rating_top: float | None = None

    def chunks(self, rows: int) -> Iterator[slice]:
        for i in range(0, len(self.rowid), rows):
            yield slice(i, min(i + rows, len(self.rowid)))


def _plan(ws: Workspace, ctx: EnrichContext) -> _Plan:
    """One pass over posts x enriched decides the work; chunks then read posts by rowid."""
    from brandhalo.store.posts import rating_span

    res = enrich_store.todo_rows(ws.store.con, ctx.config_hash, ctx.core_hash)
    span = rating_span(ws.store.con)
    return _Plan(
        np.asarray(res["rid"], dtype=np.int64),
        np.asarray(res["stale"], dtype=bool),
        np.asarray(res["light"], dtype=bool),
        None if span is None else span[1],
    )


def _read_chunk(ws: Workspace, plan: _Plan, part: slice) -> pa.Table:
    """The chunk's posts (rowid range scan, pushed down by DuckDB) with ``_stale``/``_light``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rids = plan.rowid[part]
    # A cursor: the DB-API result of an earlier execute() on `con` may still be open.
    cur = ws.store.cursor()
    try:
        table = enrich_store.read_posts(cur, POST_COLUMNS, int(rids[0]), int(rids[-1]))
    finally:
        cur.close()
    if table.num_rows != len(rids):  # posts in the range that are already up to date
        table = table.filter(pc.is_in(table.column("_rid"), value_set=pa.array(rids)))
    table = table.drop_columns(["_rid"])
    top = pa.array([plan.rating_top] * table.num_rows, pa.float64())
    table = table.append_column(RATING_TOP, top)  # the scale post_stars reads the stars on
    table = table.append_column("_stale", pa.array(plan.stale[part]))
    return table.append_column("_light", pa.array(plan.light[part]))


@dataclass
class _Job:
    """One part of a chunk: full enrichment or a themes/segments rematch.

    ``batches`` yields the part's enriched batches in order, each as soon as it is done, so
    the writer stores the first ones while workers still compute the rest.
    """

    light: bool
    table: pa.Table
    stale: int
    batches: Iterator[EnrichedBatch]
    #: where a full part's rows wait for their INSERTs (None: inserted batch by batch)
    rows: _Rows | None = None
    #: posts of the part in a language the engine does not read (evidence ``~lang:<lang>``)
    unread: int = 0


@dataclass
class _Rows:
    """Full-enrichment rows of a chunk's batches waiting for their INSERTs, in batch order
    (the stored order is the one inserting batch by batch gives)."""

    parts: list[EnrichedBatch] = field(default_factory=list)
    facts: list[pa.Table] = field(default_factory=list)
    posts: int = 0

    def add(self, part: EnrichedBatch, fact_rows: pa.Table) -> None:
        self.parts.append(part)
        self.facts.append(fact_rows)
        self.posts += part.enriched.num_rows

    def flush(self, con: Any) -> None:
        """Insert the waiting rows (one INSERT per table) and forget them."""
        if not self.parts:
            return
        for name in _TABLES:
            _insert(con, name, [getattr(p, name) for p in self.parts])
        facts.insert_rows(con, self.facts)
        self.parts, self.facts, self.posts = [], [], 0


def _split(table: pa.Table) -> list[tuple[bool, pa.Table, int]]:
    """The chunk's full-enrichment posts, then its rematches: (light, posts, stale posts).
    A chunk of one kind (a first run: all full) is not copied."""
    import pyarrow.compute as pc

    light = table.column("_light")
    n_light = int(pc.sum(light).as_py() or 0)
    parts = []
    for is_light, rows in ((False, table.num_rows - n_light), (True, n_light)):
        if not rows:
            continue
        part = table
        if rows < table.num_rows:
            part = table.filter(light if is_light else pc.invert(light))
        stale = int(pc.sum(part.column("_stale")).as_py() or 0)
        parts.append((is_light, part.drop_columns(["_stale", "_light"]), stale))
    return parts


def _write(
    ws: Workspace, jobs: list[tuple[_Job, Iterable[EnrichedBatch]]], index: ClusterIndex
) -> None:
    """Write one chunk's results in one transaction, batch by batch as they arrive (`index`:
    the run's near-duplicate cluster index, flushed before the commit). Full-enrichment rows
    are inserted :data:`INSERT_ROWS` posts at a time, the last ones before the commit."""
    with ws.store.transaction() as con:
        rows = _Rows()
        for job, batches in jobs:
            job.rows = rows
            for part in batches:  # in chunk order: near-duplicate clusters depend on it
                _write_batch(con, job, part, index)
        rows.flush(con)
        index.flush()


def _write_batch(con: Any, job: _Job, part: EnrichedBatch, index: ClusterIndex) -> None:
    """Store one batch of a chunk part (inside the chunk's transaction)."""
    con.register("_enrich_ids", part.enriched.select(["post_id"]))
    try:
        if job.light:
            _write_light(con, [part])
            facts.refresh(con, "_enrich_ids")
        else:
            part.enriched = cluster_enriched(con, part.enriched, index)
            job.unread += count_unread(part.enriched)
            _write_full(con, part, job.stale, job.rows)
            note_clusters(con, [part.enriched])  # rule: once per run
    finally:
        con.unregister("_enrich_ids")


#: The start of the stored evidence (a JSON list) of a post the engine does not read.
UNREAD_EVIDENCE = '["~lang:'


def count_unread(enriched: pa.Table) -> int:
    """How many posts of an enriched batch are in a language the engine does not read: their
    evidence starts with ``~lang:<lang>`` (:func:`brandhalo.text.enrich.score_read`)."""
    import pyarrow.compute as pc

    if "evidence" not in enriched.column_names or not enriched.num_rows:
        return 0
    hit = pc.starts_with(enriched.column("evidence"), UNREAD_EVIDENCE)
    return int(pc.sum(hit).as_py() or 0)


def unread_note(unread: int, enriched: int) -> str | None:
    """The analyze note on the posts counted neutral because the engine does not read their
    language (`unread` of the `enriched` posts of this run); None when there are none. They
    still count in buzz and in the denominator of net sentiment, which a reader should know
    (docs/sentiment.md, "Posts in other languages")."""
    if not unread:
        return None
    share = unread / enriched if enriched else 0.0
    pct = f"{share:.0%}" if share >= 0.01 or not share else "<1%"
    posts, were, they = (
        ("posts", "were", "they count") if unread > 1 else ("post", "was", "it counts")
    )
    return (
        f"{unread:,} {posts} ({pct}) in languages the engine does not read {were} counted as "
        f"neutral: {they} in buzz and in the denominator of net sentiment. To score them, "
        'use an engine that reads their language ([sentiment] engine = "transformers" with a '
        "multilingual model; docs/sentiment.md)"
    )


def _insert(con: Any, name: str, parts: list[pa.Table]) -> None:
    import pyarrow as pa

    table = pa.concat_tables(parts)
    if table.num_rows:
        con.register("_enrich_rows", table)
        enrich_store.insert_rows(con, name, "_enrich_rows")
        con.unregister("_enrich_rows")


def _write_full(con: Any, part: EnrichedBatch, stale: int, rows: _Rows | None = None) -> None:
    """Store a batch's full enrichment rows (view ``_enrich_ids``: its posts): the stale
    posts' old rows are deleted now, the new rows and their facts (computed from the same
    Arrow tables, no scan of the stored tables) go to `rows` to be inserted with the next
    batches' (None: inserted now)."""
    if stale:
        enrich_store.delete_rows(con, "_enrich_ids")
    pending = rows if rows is not None else _Rows()
    pending.add(part, facts.facts_table(part.enriched, part.post_targets, part.post_themes))
    if rows is None or pending.posts >= INSERT_ROWS:
        pending.flush(con)


def _write_light(con: Any, parts: list[EnrichedBatch]) -> None:
    import pyarrow as pa

    enrich_store.delete_themes(con, "_enrich_ids")
    _insert(con, "post_themes", [p.post_themes for p in parts])
    con.register("_enrich_upd", pa.concat_tables([p.enriched for p in parts]))
    enrich_store.update_segments(con, "_enrich_upd")
    con.unregister("_enrich_upd")


# ----------------------------------------------------------------------------- workers
_WORKER: dict[str, Any] = {}


def _init_worker(ctx: EnrichContext, spool: str | None = None) -> None:
    keep_freed_memory()
    _WORKER["ctx"] = ctx
    _WORKER["spool"] = spool


#: glibc ``mallopt`` parameters (malloc.h) and what the workers set them to: blocks up to
#: 256 MiB come from the heap, and the heap keeps up to 512 MiB of freed memory.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_HEAP_BLOCK = 256 << 20


def keep_freed_memory() -> bool:
    """Let this process's allocator keep freed memory for reuse (glibc; elsewhere nothing
    changes): a batch's arrays (tens of MB per character-level array) are otherwise mapped
    fresh from the system for every batch and each of their pages faulted in again, about a
    fifth of the text work's CPU time. A worker's memory stays at its peak over a batch.
    Returns whether the allocator took the settings."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    took = mallopt(_M_MMAP_THRESHOLD, _HEAP_BLOCK) == 1
    return mallopt(_M_TRIM_THRESHOLD, 2 * _HEAP_BLOCK) == 1 and took


def _enrich_ipc(data: bytes | str, light: bool = False) -> tuple[bytes | str, ...]:
    work = rematch_table if light else enrich_table
    out = work(_unpack(data), _WORKER["ctx"])
    spool = _WORKER.get("spool")
    return tuple(_pack(getattr(out, name), spool) for name in _TABLES)


def _to_ipc(table: pa.Table) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def _from_ipc(data: bytes) -> pa.Table:
    import pyarrow as pa

    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


#: Where a run's tasks and results travel between this process and its workers: files in a
#: RAM-backed folder, each mapped by its reader (no copy) and unlinked at once. Through the
#: pool's pipes a task's posts and results (about 8.5 MB per 10,000 real-length posts) are
#: copied about six times and cut into 64 KB pipe writes: about 20 CPU-ms per 10,000 posts,
#: twice what the files cost (a CPU-second per million posts). Without the folder (or with too
#: little room in it) they go through the pipes.
SPOOL_ROOT = "/dev/shm"
#: Free room the spool folder must have (the run keeps at most two chunks' tasks and results
#: in flight: about 350 MB at 200,000 real-length posts a chunk).
SPOOL_MIN_FREE = 1 << 30
_SPOOL_PREFIX = "brandhalo-enrich-"
#: A spool folder untouched this long whose run's process is gone is a killed run's: a live
#: run adds files every second or so (the age also spares the folder of a run in another
#: PID namespace sharing the folder, whose process this one cannot see).
SPOOL_STALE_S = 600


def _pack(table: pa.Table, spool: str | None) -> bytes | str:
    """`table` as a message to the other side: the path of a file in `spool` holding its IPC
    stream, or the stream itself (no spool, or the file could not be written)."""
    import pyarrow as pa

    if spool is None:
        return _to_ipc(table)
    import uuid

    path = os.path.join(spool, f"{uuid.uuid4().hex}.arrow")
    try:
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
    except OSError:  # the folder is full or gone: through the pipe
        with contextlib.suppress(OSError):
            os.unlink(path)
        return _to_ipc(table)
    return path


def _unpack(message: bytes | str) -> pa.Table:
    """The table of a :func:`_pack` message; a file is mapped (its pages are the table's) and
    unlinked at once: the mapping lives as long as the table does."""
    import pyarrow as pa

    if not isinstance(message, str):
        return _from_ipc(message)
    with pa.memory_map(message) as source:
        table = pa.ipc.open_stream(source).read_all()
    os.unlink(message)
    return table


def _open_spool() -> str | None:
    """A fresh spool folder of this process under :data:`SPOOL_ROOT` (None: it is missing,
    not writable or has less than :data:`SPOOL_MIN_FREE` free). Folders left by runs whose
    process is gone (killed before it could remove its own) are removed first."""
    import tempfile

    root = SPOOL_ROOT
    try:
        if not os.path.isdir(root):
            return None
        _sweep_spools(root)
        room = os.statvfs(root)
        if room.f_bavail * room.f_frsize < SPOOL_MIN_FREE:
            return None
        return tempfile.mkdtemp(prefix=f"{_SPOOL_PREFIX}{os.getpid()}-", dir=root)
    except OSError:
        return None


def _sweep_spools(root: str) -> None:
    """Remove the spool folders under `root` whose run's process no longer exists and that
    nothing has written to for :data:`SPOOL_STALE_S`."""
    import shutil

    now = time.time()
    for name in os.listdir(root):
        if not name.startswith(_SPOOL_PREFIX):
            continue
        pid = name[len(_SPOOL_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        path = os.path.join(root, name)
        with contextlib.suppress(OSError):
            if now - os.stat(path).st_mtime >= SPOOL_STALE_S:
                shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process (EPERM): alive
        return True
    return True


def _pool(workers: int, ctx: EnrichContext, spool: str | None = None) -> Executor:
    import multiprocessing as mp

    # spawn: the parent holds a DuckDB connection and threads that must not be forked.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=mp.get_context("spawn"),
        initializer=_init_worker,
        initargs=(ctx, spool),
    )


def _slices(table: pa.Table, rows: int) -> list[pa.Table]:
    return [table.slice(i, rows) for i in range(0, table.num_rows, rows)]


def _joined(parts: list[EnrichedBatch]) -> EnrichedBatch:
    """One batch of the tasks' results, in order (as one task over the batch would give)."""
    import pyarrow as pa

    if len(parts) == 1:
        return parts[0]
    # the tasks' record batches as they came (no copy: the writer reads them chunk by chunk)
    return EnrichedBatch(*(pa.concat_tables([getattr(p, f) for p in parts]) for f in _TABLES))


class _Workers:
    """Worker processes (or this process) enriching chunk parts in batches of `batch_rows`.

    :meth:`start` submits a part's batches at once and returns an iterator over their results
    in order. A worker task is a slice of :data:`TASK_ROWS` posts at most, its results joined
    back into the batch: small last tasks keep both workers busy to the end of a run, while
    the writer still clusters and stores whole batches (near-duplicate clusters are assigned
    per batch, so the batch, not the task, fixes the results). When a worker dies (killed, or
    ``__main__`` not importable under spawn) the pool is dropped and the remaining batches,
    this part's and later ones, are computed here.
    """

    def __init__(self, ctx: EnrichContext, workers: int, batch_rows: int):
        self.ctx, self.batch_rows = ctx, batch_rows
        self.spool = _open_spool() if workers > 1 else None
        self.pool: Executor | None = _pool(workers, ctx, self.spool) if workers > 1 else None
        if self.pool is not None:  # start them now: their imports overlap the first read
            for _ in range(workers):
                self.pool.submit(int)

    def start(self, table: pa.Table, light: bool) -> Iterator[EnrichedBatch]:
        slices = _slices(table, self.batch_rows)
        tasks = self._submit(slices, light)
        if tasks is None:
            return (self._here(s, light) for s in slices)
        return (self._result(s, f, light) for s, f in zip(slices, tasks, strict=True))

    def _submit(self, slices: list[pa.Table], light: bool) -> list[list[Future[Any]]] | None:
        """The batches' worker tasks (None: no pool, or it stopped before taking them)."""
        if self.pool is None:
            return None
        pool, task_rows = self.pool, min(TASK_ROWS, self.batch_rows)
        try:
            return [
                [
                    pool.submit(_enrich_ipc, _pack(t, self.spool), light)
                    for t in _slices(s, task_rows)
                ]
                for s in slices
            ]
        except BrokenProcessPool:
            log.warning("enrichment workers stopped; continuing in this process")
            self.close()
            return None

    def _here(self, table: pa.Table, light: bool) -> EnrichedBatch:
        return (rematch_table if light else enrich_table)(table, self.ctx)

    def _result(self, table: pa.Table, tasks: list[Future[Any]], light: bool) -> EnrichedBatch:
        if self.pool is not None:
            try:
                return _joined([EnrichedBatch(*map(_unpack, f.result())) for f in tasks])
            except BrokenProcessPool:
                log.warning("enrichment workers stopped; continuing in this process")
                self.close()
        return self._here(table, light)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        if self.spool is not None:  # the files of tasks no worker took, results not read
            import shutil

            shutil.rmtree(self.spool, ignore_errors=True)
            self.spool = None


@dataclass
class _WriterClock:
    """Where the writer's time goes: storing results, or waiting for (computing) them."""

    busy: float = 0.0  # seconds inside _write, waits included
    wait: float = 0.0

    def waiting(self, batches: Iterator[EnrichedBatch]) -> Iterator[EnrichedBatch]:
        """`batches`, counting the time spent waiting for each."""
        while True:
            t = time.perf_counter()
            part = next(batches, None)
            self.wait += time.perf_counter() - t
            if part is None:
                return
            yield part

    def counts(self) -> dict[str, int]:
        """``writer_ms`` (storing) and ``writer_wait_ms`` (waiting for workers, or computing
        in this process without them)."""
        return {
            "writer_ms": round(1000 * (self.busy - self.wait)),
            "writer_wait_ms": round(1000 * self.wait),
        }


@contextlib.contextmanager
def _store_threads(con: Any, threads: int | None) -> Iterator[None]:
    """DuckDB's threads set to `threads` while the block runs (None: left as they are), then
    set back. While worker processes keep the cores busy, more store threads than the cores
    they leave free only compete with them: on 2 cores with 2 workers, the writer's inserts
    and commits cost about an eighth more CPU with DuckDB's default of one thread per core."""
    if threads is None:
        yield
        return
    rows = con.execute("SELECT current_setting('threads')").fetchall()
    before = int(rows[0][0])
    con.execute(f"SET threads TO {int(threads)}")
    try:
        yield
    finally:
        con.execute(f"SET threads TO {before}")


def run_enrich(
    ws: Workspace,
    progress: Callable[[int], None] | None = None,
    *,
    workers: int | None = None,
    ctx: EnrichContext | None = None,
    chunk_rows: int = CHUNK_ROWS,
    batch_rows: int = BATCH_ROWS,
) -> StageResult:
    """Enrich every new or stale post of `ws`; `progress(n)` is called as posts are done.

    Args:
        ws: the workspace.
        progress: called with the number of posts finished after each chunk.
        workers: processes at most (default: the cores this process may use; 1 = in this
            process); a run of few posts uses fewer (:func:`pool_size`).
        ctx: a prebuilt context (tests pass one with a chosen sentiment engine).
        chunk_rows: posts per transaction; batch_rows: posts per worker task.
    """
    t0 = time.perf_counter()
    ctx = ctx or EnrichContext.from_config(ws.config, root=ws.root)
    plan = _plan(ws, ctx)
    parts = config_part_digests(ctx.config)  # this run's config, by part
    reasons = _why_again(ws, ctx, parts) if plan.stale.any() else {}
    todo = len(plan.rowid)
    if todo:  # the config its rows carry, for a later run to say what changed since
        with ws.store.transaction() as con:
            enrich_store.record_config(con, ctx.config_hash, parts)
    workers = pool_size(workers or usable_cpus(), todo)
    use_pool = workers > 1
    crew = _Workers(ctx, workers, batch_rows)
    counts = {"enriched": 0, "re_enriched": 0, "rematched": 0}
    unread = 0
    waiting: list[list[_Job]] = []
    clock = _WriterClock()
    # one cluster index for the run: its in-memory copy is read once, not scanned per batch
    index = ClusterIndex(ws.store.con, memory=True)

    def write_oldest() -> None:
        nonlocal unread
        jobs = waiting.pop(0)
        t = time.perf_counter()
        _write(ws, [(job, clock.waiting(job.batches)) for job in jobs], index)
        clock.busy += time.perf_counter() - t
        for job in jobs:
            n = job.table.num_rows
            counts["rematched" if job.light else "enriched"] += n
            counts["re_enriched"] += 0 if job.light else job.stale
            unread += job.unread
            if progress is not None:
                progress(n)

    free = max(1, usable_cpus() - workers) if use_pool else None
    try:
        with _store_threads(ws.store.con, free):
            for part in plan.chunks(chunk_rows):
                table = _read_chunk(ws, plan, part)
                # Workers start on this chunk while the previous one is written; that one is
                # written batch by batch as its results arrive (a single chunk overlaps too).
                jobs = [
                    _Job(light, t, stale, crew.start(t, light)) for light, t, stale in _split(table)
                ]
                if jobs:
                    waiting.append(jobs)
                if len(waiting) > 1:
                    write_oldest()
            while waiting:
                write_oldest()
    finally:
        crew.close()
    from brandhalo.models import StageResult

    # the campaign (cluster) rule, once over the clusters this run (or a stopped one) joined
    origin = ws.config.origin
    apply_pending(ws.store, origin.campaign_min_accounts, origin.campaign_window_hours)
    # comments naming no target count for their thread's targets (analysis.thread_targets),
    # once over the whole store: a root post ingested after its comments is joined here too
    with ws.store.transaction() as con:
        threads.inherit(con, ws.config.analysis.thread_targets)
    total = ws.store.count("enriched")
    return StageResult(
        name="enrich",
        counts={
            **counts,
            "total": total,
            "workers": workers,
            **clock.counts(),
        },
        reasons={k: why for k, why in reasons.items() if counts.get(k)},
        seconds=time.perf_counter() - t0,
        note=(
            unread_note(unread, counts["enriched"])
            if sum(counts.values())
            else "nothing new to enrich"
        ),
    )
