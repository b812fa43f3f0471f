"""The Spark engine: enrich and aggregate posts on Apache Spark, with DuckDB's exact results.

``analyze_spark`` reads posts from Parquet (a file, folder, glob or object-store URI), enriches
them with the same ``enrich_table`` and config as the local path (an Arrow batch UDF), writes
``enriched``, ``post_targets`` and ``post_themes`` as Parquet, runs the SAME aggregation SQL as
DuckDB (:mod:`brandhalo.engines.sql`) with ``spark.sql``, writes ``agg_daily`` and
``agg_hourly``, and, given a workspace, loads everything into its store so the signals stage
reads it unchanged.

Each output folder is a checkpoint: a rerun with the same input and config skips the steps
whose output is complete (Spark writes ``_SUCCESS`` last), so an interrupted run resumes.

Example:
    >>> from brandhalo.engines.spark import analyze_spark
    >>> analyze_spark(ws, "posts/*.parquet", "out/", master="local[2]")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import shutil
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brandhalo.engines.spark_session import (
    check_input,
    check_output,
    default_log_path,
    has_scheme,
    map_arrow,
    parquet_columns,
    read_parquet,
    spark_reason,
    spark_session,
    stop_on_interrupt,
    write_parquet,
)
from brandhalo.engines.sql_report import REPORT_TABLES, report_sql
from brandhalo.errors import ConfigError, EngineError, InputError
from brandhalo.models import StageResult
from brandhalo.stages import Progress
from brandhalo.store import spark as store_spark

if TYPE_CHECKING:
    from pyspark import Accumulator
    from pyspark.sql import Column, DataFrame, SparkSession

    from brandhalo.config import Config
    from brandhalo.workspace import Workspace

log = logging.getLogger("brandhalo.engines.spark")

#: Enrichment outputs, in store order (0002_enrich.sql).
ENRICH_TABLES = ("enriched", "post_targets", "post_themes")
#: Aggregate tables and the grain of :func:`brandhalo.engines.sql.aggregate_sql` for each.
AGGREGATES = {"agg_daily": "day", "agg_hourly": "hour"}
#: Every checkpoint folder a run writes under its output, in step order.
STEP_FOLDERS = (
    "_input", "_wide", "_clusters", *ENRICH_TABLES, *AGGREGATES, *REPORT_TABLES, "_posts",
)  # fmt: skip

#: The store's ``posts`` columns as Spark types (0001_core.sql); missing ones become NULL.
POSTS_COLUMNS: dict[str, str] = {
    "post_id": "string",
    "source": "string",
    "author_id": "string",
    "author_name": "string",
    "author_followers": "bigint",
    "text": "string",
    "created_at": "timestamp_ntz",
    "tz_offset_min": "int",
    "likes": "bigint",
    "reposts": "bigint",
    "comments": "bigint",
    "url": "string",
    "lang_hint": "string",
    "brand_hint": "string",
    "product_hint": "string",
    "segment_hint": "string",
    "rating": "double",
    "parent_id": "string",
    "origin_id": "string",
    "is_repost": "boolean",
    "text_hash": "string",
    "simulated": "boolean",
    "post_type": "string",
    "reply_to": "string",
    "thread_id": "string",
}
REQUIRED_POSTS = ("post_id", "text", "created_at")
_DEFAULTS = {
    "likes": "0", "reposts": "0", "comments": "0", "is_repost": "false", "post_type": "'post'",
}  # fmt: skip


def conform_posts(df: DataFrame, location: str = "") -> DataFrame:
    """Select the store's posts columns with their types, one row per post id; absent
    optional ones become NULL, ``created_at`` becomes naive UTC (:func:`created_at_utc`)."""
    from pyspark.sql import functions as F

    present = set(df.columns)
    check_columns(df.columns, location)
    cols = []
    for name, typ in POSTS_COLUMNS.items():
        col = F.col(name) if name in present else F.lit(None)
        if name == "created_at":
            col = created_at_utc(df, location)
        if name in _DEFAULTS:
            col = F.coalesce(col.cast(typ), F.expr(_DEFAULTS[name]).cast(typ))
        cols.append(col.cast(typ).alias(name))
    # a post listed twice (overlapping exports) is one post, as the ingest stores it
    return (
        _select(df, cols, location).where(F.col("post_id").isNotNull()).dropDuplicates(["post_id"])
    )


def check_columns(names: list[str], location: str = "") -> list[str]:
    """The input's columns that are not posts columns (they are not read); an
    :class:`InputError` naming the file and the required columns it lacks, with the input's
    column of a near name (``postId``, ``Created_At``) when it has one."""
    missing = [c for c in REQUIRED_POSTS if c not in names]
    if missing:
        near = {_squash(n): n for n in names}
        hints = [f"{near[_squash(c)]!r} as {c}" for c in missing if _squash(c) in near]
        rename = f" (rename {', '.join(hints)})" if hints else ""
        shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
        raise InputError(
            f"posts Parquet lacks required column(s) {', '.join(missing)}{rename}; it has "
            f"{shown or 'no columns'}. It needs at least post_id, text and created_at (UTC): "
            "export posts with those columns and run again",
            file=location or None,
        )
    return [n for n in names if n not in POSTS_COLUMNS]


def _squash(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "").replace(" ", "")


def ignored_note(ignored: list[str]) -> str:
    """One line naming the input columns the run did not read (empty: none)."""
    if not ignored:
        return ""
    return (
        f"input column(s) {', '.join(ignored)} are not posts columns and were ignored "
        "(rename one to its posts name, e.g. author_name or likes, to use it)"
    )


def created_at_utc(df: DataFrame, location: str = "") -> Column:
    """``created_at`` as a naive UTC timestamp, from the types posts Parquet carries.

    Timestamps (zone-aware ones converted), dates, ISO 8601 strings (an offset such as
    ``+08:00`` converted to UTC; none: UTC) and epochs (seconds, or milliseconds from 1e11 on,
    as the ingest reads them). Raises :class:`InputError` for another type.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    kind = df.schema["created_at"].dataType
    if isinstance(kind, T.StringType):
        # the session zone is UTC: an offset is applied, a naive string is taken as UTC
        return F.expr("try_cast(trim(created_at) AS TIMESTAMP)").cast("timestamp_ntz")
    if isinstance(kind, T.NumericType) and not isinstance(kind, T.BooleanType):
        v = F.col("created_at").cast("double")
        millis = F.expr("timestamp_millis(CAST(created_at AS BIGINT))")
        return F.when(F.abs(v) >= 1e11, millis).otherwise(F.timestamp_seconds(v))
    if isinstance(kind, (T.TimestampType, T.TimestampNTZType, T.DateType)):
        return F.col("created_at")
    raise InputError(
        f"created_at is of type {kind.simpleString()}; it needs a timestamp (UTC), an ISO 8601 "
        "string or an epoch in seconds or milliseconds — convert the column and run again",
        file=location or None,
        column="created_at",
    )


def _select(df: DataFrame, cols: list[Column], location: str) -> DataFrame:
    """``df.select(*cols)``, or an :class:`InputError` naming a column whose type a cast
    cannot take (analysis is eager: it fails here, not in the middle of the job)."""
    from pyspark.errors import AnalysisException

    try:
        return df.select(*cols)
    except AnalysisException:
        for name, col in zip(POSTS_COLUMNS, cols, strict=True):
            try:
                df.select(col)
            except AnalysisException:
                have = df.schema[name].dataType.simpleString()
                raise InputError(
                    f"posts column is of type {have}, which cannot become "
                    f"{POSTS_COLUMNS[name]}; convert it (or drop it if it is optional) and run "
                    "again",
                    file=location or None,
                    column=name,
                ) from None
        raise


def check_created_at(posts: DataFrame, location: str = "") -> None:
    """Raise :class:`InputError` when a ``created_at`` string is not a time (one scan; only
    for string columns, whose values may not parse)."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if not isinstance(posts.schema["created_at"].dataType, T.StringType):
        return
    bad = F.col("created_at").isNotNull() & F.col("_parsed").isNull()
    row = (
        posts.select("created_at", created_at_utc(posts).alias("_parsed"))
        .agg(F.count_if(bad).alias("n"), F.min(F.when(bad, F.col("created_at"))).alias("x"))
        .collect()[0]
    )
    if row["n"]:
        raise InputError(
            f"{row['n']:,} created_at value(s) are not ISO 8601 times (e.g. {row['x']!r}); "
            "write them as 2025-05-21T10:00:00+08:00 (or UTC without an offset), or as "
            "timestamps or epochs, and run again (`brandhalo ingest posts` reads more forms)",
            file=location or None,
            column="created_at",
        )


def enrich_frame(
    posts: DataFrame, config: Config, root: Path | None = None, counter: Accumulator | None = None
) -> DataFrame:
    """Packed enrichment of every post (see :mod:`brandhalo.engines.spark_enrich`); `root`:
    the workspace folder (a relative ``[sentiment] model_path`` is taken from it); `counter`:
    an accumulator the posts of each enriched batch are added to (progress)."""
    from brandhalo.engines.spark_enrich import config_payload, enrich_packed, wide_schema

    fn = functools.partial(enrich_packed, config_payload(config, root))
    return map_arrow(posts, fn, wide_schema(), counter=counter)


def unpack(spark: SparkSession, wide: DataFrame) -> dict[str, DataFrame]:
    """The three enrichment tables from packed rows."""
    from brandhalo.engines.spark_enrich import unpack_sql

    wide.createOrReplaceTempView("_brandhalo_wide")
    return {name: spark.sql(sql) for name, sql in unpack_sql("_brandhalo_wide").items()}


def aggregate(
    spark: SparkSession, tables: Mapping[str, DataFrame], hourly_days: int | None = None
) -> dict[str, DataFrame]:
    """Run the engine-neutral aggregation SQL (:mod:`brandhalo.engines.sql`) on Spark.

    The input tables are registered as temp views under their store names; each staging step
    becomes a cached temp view under its name, exactly as DuckDB materializes it as a table.

    Args:
        spark: The session.
        tables: ``enriched``, ``post_targets`` and ``post_themes`` DataFrames, and ``posts``
            (their ``created_at`` for ``agg_clusters``; without it that table is left out).
        hourly_days: ``agg_hourly`` holds this many days back from the last enriched day
            (``[aggregate] hourly_days``, as the local engine keeps it); None: every day.

    Returns:
        ``agg_daily``, ``agg_hourly`` and the report tables (``agg_pairs``,
        ``agg_product_themes``, ``agg_clusters``: :mod:`brandhalo.engines.sql_report`) as
        DataFrames with the store's columns (lazy; the cached steps stay until
        :func:`release_steps`).
    """
    from brandhalo.engines.sql import (
        LAST_DAY_SQL,
        THEME_SET_COLUMNS,
        THEME_SETS,
        aggregate_sql,
        facts_sql,
        hourly_start,
        steps,
        theme_set_rows,
    )

    for name in (*ENRICH_TABLES, "posts"):
        if name in tables:
            tables[name].createOrReplaceTempView(name)
    start = None
    if hourly_days is not None:
        start = hourly_start(spark.sql(LAST_DAY_SQL).collect()[0][0], hourly_days)
    spark.sql(facts_sql("spark")).cache().createOrReplaceTempView("post_facts")
    hourly_from = start.isoformat() if start is not None else None
    for name, sql in steps(incremental=False, hourly_from=hourly_from):
        if name == THEME_SETS:
            keys = [r[0] for r in spark.sql(sql).collect()]
            schema = ", ".join(f"{c} {t}" for c, t in THEME_SET_COLUMNS)
            frame = spark.createDataFrame(theme_set_rows(keys), schema=schema)  # type: ignore[arg-type]
        else:
            frame = spark.sql(sql)
        frame.cache().createOrReplaceTempView(name)
    out = {
        table: spark.sql(aggregate_sql(grain))  # type: ignore[arg-type]
        for table, grain in AGGREGATES.items()
    }
    # the cluster table reads posts (created_at): only when they are given
    report = [t for t in REPORT_TABLES if t != "agg_clusters" or "posts" in tables]
    return out | {t: spark.sql(report_sql(t, incremental=False)) for t in report}


def release_steps(spark: SparkSession) -> None:
    """Drop the cached staging views of :func:`aggregate` (frees executor memory)."""
    from brandhalo.engines.sql import steps

    for name, _ in [("post_facts", ""), *steps(incremental=False)]:
        if spark.catalog.tableExists(name):
            spark.table(name).unpersist()
            spark.catalog.dropTempView(name)


def _split(ws_or_config: Workspace | Config) -> tuple[Workspace | None, Config]:
    from brandhalo.config import Config

    if isinstance(ws_or_config, Config):
        return None, ws_or_config
    return ws_or_config, ws_or_config.config


class _Checkpoints:
    """Output folders of one run; a folder with ``_SUCCESS`` and a matching manifest is done.

    The manifest holds a fingerprint of the input, the config and the SQL: any change there
    invalidates every checkpoint, so a resumed run never mixes results of two inputs.
    """

    def __init__(self, output: str, fingerprint: str, resume: bool):
        self.output = output.rstrip("/")
        self.local = not has_scheme(output)
        manifest = Path(self.output) / "_brandhalo_manifest.json"
        self.valid = resume and self.local and _read_manifest(manifest) == fingerprint
        if self.local:
            if not self.valid:
                # before the new manifest: a run stopped before it rewrote every step must not
                # leave the previous input's complete steps looking done for the new one
                self._invalidate()
            manifest.parent.mkdir(parents=True, exist_ok=True)
            manifest.write_text(json.dumps({"fingerprint": fingerprint}))

    def _invalidate(self) -> None:
        """Drop the ``_SUCCESS`` marker of every step folder (the data is overwritten later)."""
        for name in STEP_FOLDERS:
            (Path(self.path(name)) / "_SUCCESS").unlink(missing_ok=True)

    def path(self, name: str) -> str:
        return f"{self.output}/{name}"

    def done(self, name: str) -> bool:
        return self.valid and (Path(self.path(name)) / "_SUCCESS").exists()


def _read_manifest(path: Path) -> str | None:
    try:
        return str(json.loads(path.read_text())["fingerprint"])
    except (OSError, ValueError, KeyError):
        return None


class _Timer:
    """Seconds per step, logged as each finishes (benchmarks read the log records)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.current: str | None = None  # the step running now (for error messages)

    @contextlib.contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        t, self.current = time.perf_counter(), step
        yield
        self.seconds[step] = time.perf_counter() - t
        extra = {"step": step, "seconds": self.seconds[step]}
        log.info("spark step %s: %.2fs", step, self.seconds[step], extra=extra)

    def counts(self) -> dict[str, int]:
        return {f"{step}_ms": round(s * 1000) for step, s in self.seconds.items()}


def _fingerprint(config: Config, source: str, identity: Any) -> str:
    import hashlib

    from brandhalo.engines.spark_enrich import SIG_FIELD
    from brandhalo.engines.sql import aggregate_sql, facts_sql, steps
    from brandhalo.store.threads import inherited_sql
    from brandhalo.text.enrich import config_hash
    from brandhalo.text.origin import campaign_clusters_sql

    parts = [facts_sql("spark")] + [sql for _, sql in steps(incremental=False)]
    parts += [report_sql(t, incremental=False) for t in REPORT_TABLES]
    # packed rows with signatures, and the cluster rule: older checkpoints are not reused
    parts += [SIG_FIELD, campaign_clusters_sql(0, 0, "_")]
    sql = "".join(parts + [aggregate_sql(g) for g in ("day", "hour")])  # type: ignore[arg-type]
    sql += f"hourly_days={config.aggregate.hourly_days}"  # the window of agg_hourly
    # the thread targets decide post_targets (config_hash leaves [analysis] out)
    sql += f"thread_targets={config.analysis.thread_targets}" + inherited_sql()
    # 2: stopped runs invalidate old steps, created_at conversions, one row per post id;
    # folders an older version left (possibly stale) are recomputed once
    sql += "checkpoints=2"
    digest = hashlib.sha256(sql.encode()).hexdigest()[:16]
    return json.dumps([config_hash(config), source, identity, digest], default=str)


def _input_identity(ws: Workspace | None, source: str | None) -> Any:
    """Cheap identity of the posts: store contents, or local files' names, sizes and times."""
    if source is None:
        assert ws is not None
        return store_spark.posts_identity(ws.store.con)
    if has_scheme(source):
        return None
    import glob as globlib

    files = sorted(p for g in globlib.glob(source) for p in _files_under(Path(g)))
    return [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files]


def _files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]


def analyze_spark(
    ws_or_config: Workspace | Config,
    input: str | Path | None = None,
    output: str | Path | None = None,
    master: str = "local[2]",
    *,
    spark: SparkSession | None = None,
    load: bool = True,
    resume: bool = True,
    progress: Progress | None = None,
) -> StageResult:
    """Enrich and aggregate posts on Spark; write Parquet; load the store when given one.

    Args:
        ws_or_config: A workspace (its config; its posts when `input` is None; its store is
            loaded with the results) or a bare :class:`~brandhalo.config.Config` (Parquet in,
            Parquet out, no store: the cluster case).
        input: Posts Parquet with the store's ``posts`` columns (at least post_id, text and
            created_at in UTC): a file, folder, glob or URI (``s3a://bucket/posts/*.parquet``).
            Default: the workspace's stored posts, exported to ``output/_input``.
        output: Folder or URI for the results; default ``<workspace>/spark``.
        master: Spark master URL (``local[N]``, ``spark://host:7077``, ``yarn``, ...).
        spark: An existing session to use instead of creating one.
        load: Load the results into the workspace store (ignored without a workspace).
        resume: Skip steps whose output is complete for the same input and config.
        progress: Hears ``advance(n)`` as Spark finishes enriching `n` more posts (counted
            per task, polled twice a second; a resumed run's enriched posts are not counted).

    Returns:
        A StageResult with counts of posts, enriched rows, targets, themes, aggregate rows
        and milliseconds per step (``enrich_ms``, ``aggregate_ms``, ...).
    """
    ws, config = _split(ws_or_config)
    out = _output_location(ws, output)
    if input is None and ws is None:
        raise ConfigError(
            "analyze_spark without a workspace needs input=; pass the posts Parquet path or glob"
        )
    t0, timer = time.perf_counter(), _Timer()
    # the user's mistakes first: the JVM takes seconds to start
    if input is not None:
        names = parquet_columns(check_input(str(input)))
        if names is not None:
            check_columns(names, str(input))
    check_output(out)
    with output_lock(out):  # one run per output folder: they share checkpoints
        log_file = Path(out) / "_spark.log" if not has_scheme(out) else default_log_path()
        spark = spark or spark_session(master, log_path=log_file)
        source = str(input) if input is not None else f"{out}/_input"
        identity = _input_identity(ws, None if input is None else source)
        cp = _Checkpoints(out, _fingerprint(config, source, identity), resume)
        if ws is not None and input is None and not cp.done("_input"):
            with timer("export"):
                _export_posts(ws, out)
        with _spark_errors(timer, log_file), stop_on_interrupt(spark):
            ignored = (
                check_columns(read_parquet(spark, source).columns, source)
                if input is not None
                else []
            )
            root = ws.root if ws is not None else None
            with enrich_progress(spark, progress) as counter:
                counts = _enrich_and_aggregate(spark, cp, source, config, timer, root, counter)
            if ws is not None and load and input is not None and cp.local:
                with timer("posts"):
                    _keep_posts(spark, cp, source)
        if ws is not None and load:
            from brandhalo.engines.spark_store import load_results

            # the conformed posts (`_posts`: UTC times, one row per id), not the raw files, whose
            # string or epoch times the store would misread
            posts_source = cp.path("_posts") if input is not None and cp.local else None
            with timer("load"):
                loaded = load_results(ws, out, posts_source=posts_source)
            counts["loaded_posts"] = loaded.get("posts", 0)
        note = f"spark {spark.sparkContext.master}: results in {out}"
        if not has_scheme(out) and log_file.exists():
            note += f" (Spark's log: {log_file})"
        note = "; ".join(n for n in (ignored_note(ignored), note) if n)
        log.info("%s in %.1fs", note, time.perf_counter() - t0)
        counts.update(timer.counts())
        return StageResult(name="spark", counts=counts, seconds=time.perf_counter() - t0, note=note)


#: The file under a local output folder a run holds (``flock``) while it writes there.
LOCK_FILE = "_brandhalo.lock"


@contextlib.contextmanager
def output_lock(out: str) -> Iterator[None]:
    """Hold the local output folder `out` for this run; an :class:`EngineError` naming the
    run that holds it (pid, start time) when another one does.

    Two runs on one folder (an hourly job still running when the next starts) would
    overwrite each other's steps and take each other's half-written ones as checkpoints.
    Object-store outputs are not locked (a cluster job is scheduled by its manager).
    """
    if has_scheme(out):
        yield
        return
    import fcntl
    import os

    with (Path(out) / LOCK_FILE).open("a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            raise EngineError(
                f"another brandhalo Spark run ({holder}) is writing to {out}; wait for it to "
                "finish (its results are then in the store), or pass another --output folder"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}")
        f.flush()
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@contextlib.contextmanager
def _spark_errors(timer: _Timer, log_file: Path) -> Iterator[None]:
    """A Spark failure as one :class:`EngineError` naming the step (no JVM stack trace)."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        yield
    except (PySparkException, Py4JError) as exc:
        raise EngineError(
            f"Spark failed in step {timer.current or 'start'!r}: {spark_reason(exc)}. Spark's "
            f"own messages are in {log_file}; fix the cause and run again (complete steps "
            "are kept), or add --debug for the full trace"
        ) from exc


def _enrich_and_aggregate(
    spark: SparkSession,
    cp: _Checkpoints,
    source: str,
    config: Config,
    timer: _Timer,
    root: Path | None,
    counter: Accumulator | None = None,
) -> dict[str, int]:
    raw = read_parquet(spark, source)
    posts = conform_posts(raw, source)
    if not cp.done("_wide"):
        check_created_at(raw, source)
    with timer("enrich"):
        if not cp.done("_wide"):
            frame = enrich_frame(spread(spark, posts, raw.count()), config, root, counter)
            write_parquet(frame, cp.path("_wide"))
        wide = read_parquet(spark, cp.path("_wide"))
    with timer("clusters"):
        frames = unpack(spark, wide)
        if not cp.done("post_targets"):
            frames["post_targets"] = with_threads(
                spark, frames["post_targets"], frames["enriched"], posts, config
            )
        if not cp.done("enriched"):
            frames["enriched"] = _with_origin(spark, cp, wide, raw, frames["enriched"], config)
    with timer("unpack"):
        for name, df in frames.items():
            if not cp.done(name):
                write_parquet(df, cp.path(name))
    tables = {name: read_parquet(spark, cp.path(name)) for name in ENRICH_TABLES}
    with timer("aggregate"):
        if not all(cp.done(name) for name in (*AGGREGATES, *REPORT_TABLES)):
            inputs = {**tables, "posts": posts}
            for name, df in aggregate(spark, inputs, config.aggregate.hourly_days).items():
                write_parquet(df, cp.path(name), partitions=_agg_partitions(spark))
            release_steps(spark)
    counts = {name: read_parquet(spark, cp.path(name)).count() for name in AGGREGATES}
    counts.update({name: tables[name].count() for name in ENRICH_TABLES})
    counts["posts"] = counts["enriched"]
    return counts


def with_threads(
    spark: SparkSession, targets: DataFrame, enriched: DataFrame, posts: DataFrame, config: Config
) -> DataFrame:
    """``post_targets`` with its ``method`` column: NULL on the rows posts name; with
    ``[analysis] thread_targets``, the rows comments and replies naming no target inherit
    (``'thread'``), by the local pass's SQL (:func:`brandhalo.store.threads.inherited_sql`)."""
    from pyspark.sql import functions as F

    from brandhalo.store.threads import THREAD, inherited_sql

    own = targets.withColumn("method", F.lit(None).cast("string"))
    if not config.analysis.thread_targets:
        return own
    targets.createOrReplaceTempView("_thread_own")
    enriched.createOrReplaceTempView("_thread_enriched")
    posts.createOrReplaceTempView("_thread_posts")
    rows = spark.sql(inherited_sql("_thread_own", "_thread_posts", "_thread_enriched"))
    return own.unionByName(rows.withColumn("method", F.lit(THREAD)))


def _keep_posts(spark: SparkSession, cp: _Checkpoints, source: str) -> None:
    """The input posts as the store takes them (checkpoint ``_posts``): the input's columns,
    conformed (:func:`conform_posts`), for :func:`~brandhalo.engines.spark_store.load_results`."""
    if cp.done("_posts"):
        return
    raw = read_parquet(spark, source)
    given = [c for c in POSTS_COLUMNS if c in raw.columns]
    write_parquet(conform_posts(raw, source).select(*given), cp.path("_posts"))


def _with_origin(
    spark: SparkSession,
    cp: _Checkpoints,
    wide: DataFrame,
    raw: DataFrame,
    enriched: DataFrame,
    config: Config,
) -> DataFrame:
    """Near-duplicate clusters (driver, checkpoint ``_clusters``) and the campaign rule."""
    from brandhalo.engines import spark_origin

    if not cp.done("_clusters"):
        index = cp.path("_neardup") if cp.local else None
        order = spark_origin.post_order(raw)
        scratch = cp.path("_signatures") if cp.local else None
        table = spark_origin.assign_clusters(spark, wide, order, index_dir=index, scratch=scratch)
        schema = "post_id string, cluster_id string"
        frame = spark.createDataFrame(table, schema=schema)  # type: ignore[arg-type]
        write_parquet(frame, cp.path("_clusters"), partitions=_agg_partitions(spark))
    clusters = read_parquet(spark, cp.path("_clusters"))
    rated = None
    if "rating" in raw.columns:
        from pyspark.sql import functions as F

        rated = raw.where(F.col("rating").isNotNull()).select("post_id")
    return spark_origin.apply_campaigns(spark, enriched, clusters, config.origin, rated)


#: Posts per enrichment task at most: a task's posts count towards progress as it ends.
TASK_POSTS = 20_000


def spread(spark: SparkSession, posts: DataFrame, rows: int | None = None) -> DataFrame:
    """Posts in at least one partition per worker slot, so every core enriches, and (given
    the input's `rows`) at most about :data:`TASK_POSTS` posts a partition, so progress moves.

    A small Parquet file is a single split; enrichment costs far more than this shuffle.
    """
    want = max(spark.sparkContext.defaultParallelism, -(-(rows or 0) // TASK_POSTS))
    if posts.rdd.getNumPartitions() < want:
        return posts.repartition(want)
    return posts


@contextlib.contextmanager
def enrich_progress(
    spark: SparkSession, progress: Progress | None, every_s: float = 0.5
) -> Iterator[Accumulator | None]:
    """An accumulator for the posts enriched, and a thread handing what it gained to
    `progress` every `every_s` seconds (Spark adds a task's count when the task ends);
    None without `progress`."""
    import threading

    if progress is None:
        yield None
        return
    counter = spark.sparkContext.accumulator(0)
    stop = threading.Event()

    def poll() -> None:
        seen = 0
        while True:
            stopped = stop.wait(every_s)
            now = int(counter.value)
            if now > seen:
                progress(now - seen)
                seen = now
            if stopped:
                return

    thread = threading.Thread(target=poll, name="brandhalo-spark-progress", daemon=True)
    thread.start()
    try:
        yield counter
    finally:
        stop.set()
        thread.join()


def _agg_partitions(spark: SparkSession) -> int:
    # Aggregates are small next to posts: a few files keep the store load fast.
    return max(1, min(4, int(spark.conf.get("spark.sql.shuffle.partitions") or 4)))


def _output_location(ws: Workspace | None, output: str | Path | None) -> str:
    if output is not None:
        loc = str(output)
        return loc if has_scheme(loc) else str(Path(loc).resolve())
    if ws is None:
        raise ConfigError(
            "analyze_spark without a workspace needs an output location; pass output= "
            "(a folder or an object-store URI)"
        )
    return str(ws.path("spark"))


def _export_posts(ws: Workspace, out: str) -> str:
    """The workspace's posts as a Parquet folder ``out/_input`` (``_SUCCESS`` written last)."""
    if has_scheme(out):
        raise ConfigError(
            "exporting stored posts to an object store is not supported; pass --input with "
            "the posts already in Parquet there, or a local --output folder"
        )
    folder = Path(out) / "_input"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store_spark.export_posts(ws.store.con, POSTS_COLUMNS, str(folder / "posts.parquet"))
    (folder / "_SUCCESS").touch()
    return str(folder)


def run(
    ws: Workspace,
    progress: Progress | None = None,
    *,
    master: str = "local[2]",
    input: str | Path | None = None,
    output: str | Path | None = None,
) -> StageResult:
    """Pipeline stage: enrich + aggregate on Spark and load the store (replaces both stages)."""
    return analyze_spark(ws, input, output, master, progress=progress)


@dataclass(frozen=True)
class SparkOptions:
    """Options of the Spark enrich+aggregate stage (see :func:`analyze_spark`)."""

    master: str = "local[2]"
    input: str | Path | None = None
    output: str | Path | None = None


class SparkEnrichAggregateStage:
    """Enrich and aggregate in one Spark job, loaded into the store: the Spark engine's stage."""

    name = "enrich+aggregate"
    Options = SparkOptions

    def total(self, ws: Workspace) -> int | None:
        """The posts count only once Spark has read its input: the bar has no end."""
        return None

    def run(
        self, ws: Workspace, options: SparkOptions, progress: Progress | None = None
    ) -> StageResult:
        """Run the Spark job on `ws`'s posts (or ``options.input``) and load the results;
        `progress` counts the posts enriched."""
        opts = options
        return run(ws, progress, master=opts.master, input=opts.input, output=opts.output)


#: The Spark engine's enrich+aggregate stage, as ``pipeline.ANALYZE_STAGES`` lists it.
SPARK_ENRICH_AGGREGATE = SparkEnrichAggregateStage()
