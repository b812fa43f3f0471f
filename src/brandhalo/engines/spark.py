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

import functools
import json
import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brandhalo.engines.spark_session import (
    has_scheme,
    map_arrow,
    read_parquet,
    spark_session,
    write_parquet,
)
from brandhalo.errors import ConfigError, InputError
from brandhalo.models import StageResult

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from brandhalo.config import Config
    from brandhalo.workspace import Workspace

log = logging.getLogger("brandhalo.engines.spark")

#: Enrichment outputs, in store order (0002_enrich.sql).
ENRICH_TABLES = ("enriched", "post_targets", "post_themes")
#: Aggregate tables and the grain of :func:`brandhalo.engines.sql.aggregate_sql` for each.
AGGREGATES = {"agg_daily": "day", "agg_hourly": "hour"}

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
}
REQUIRED_POSTS = ("post_id", "text", "created_at")
_DEFAULTS = {"likes": "0", "reposts": "0", "comments": "0", "is_repost": "false"}


def conform_posts(df: DataFrame, location: str = "") -> DataFrame:
    """Select the store's posts columns with their types; absent optional ones become NULL."""
    from pyspark.sql import functions as F

    present = set(df.columns)
    missing = [c for c in REQUIRED_POSTS if c not in present]
    if missing:
        raise InputError(
            f"posts Parquet lacks required column(s) {', '.join(missing)}; it needs at least "
            "post_id, text and created_at (UTC) — export posts with those columns",
            file=location or None,
        )
    cols = []
    for name, typ in POSTS_COLUMNS.items():
        col = F.col(name) if name in present else F.lit(None)
        if name in _DEFAULTS:
            col = F.coalesce(col.cast(typ), F.expr(_DEFAULTS[name]).cast(typ))
        cols.append(col.cast(typ).alias(name))
    return df.select(*cols).where(F.col("post_id").isNotNull())


def enrich_frame(posts: DataFrame, config: Config) -> DataFrame:
    """Packed enrichment of every post (see :mod:`brandhalo.engines.spark_enrich`)."""
    from brandhalo.engines.spark_enrich import config_payload, enrich_packed, wide_schema

    fn = functools.partial(enrich_packed, config_payload(config))
    return map_arrow(posts, fn, wide_schema())


def unpack(spark: SparkSession, wide: DataFrame) -> dict[str, DataFrame]:
    """The three enrichment tables from packed rows."""
    from brandhalo.engines.spark_enrich import unpack_sql

    wide.createOrReplaceTempView("_brandhalo_wide")
    return {name: spark.sql(sql) for name, sql in unpack_sql("_brandhalo_wide").items()}


def aggregate(spark: SparkSession, tables: Mapping[str, DataFrame]) -> dict[str, DataFrame]:
    """Run the engine-neutral aggregation SQL (:mod:`brandhalo.engines.sql`) on Spark.

    The input tables are registered as temp views under their store names; each staging step
    becomes a cached temp view under its name, exactly as DuckDB materializes it as a table.

    Args:
        spark: The session.
        tables: ``enriched``, ``post_targets`` and ``post_themes`` DataFrames.

    Returns:
        ``agg_daily`` and ``agg_hourly`` DataFrames with the store's columns (lazy; the
        cached steps stay until :func:`release_steps`).
    """
    from brandhalo.engines.sql import aggregate_sql, steps

    for name in ENRICH_TABLES:
        tables[name].createOrReplaceTempView(name)
    for name, sql in steps(incremental=False):
        spark.sql(sql).cache().createOrReplaceTempView(name)
    return {
        table: spark.sql(aggregate_sql(grain))  # type: ignore[arg-type]
        for table, grain in AGGREGATES.items()
    }


def release_steps(spark: SparkSession) -> None:
    """Drop the cached staging views of :func:`aggregate` (frees executor memory)."""
    from brandhalo.engines.sql import steps

    for name, _ in steps(incremental=False):
        if spark.catalog.tableExists(name):
            spark.table(name).unpersist()
            spark.catalog.dropTempView(name)


def _split(ws_or_config: Workspace | Config) -> tuple[Workspace | None, Config]:
    from brandhalo.config import Config

    if isinstance(ws_or_config, Config):
        return None, ws_or_config
    return ws_or_config, ws_or_config.config


class _Checkpoints:
    """Output folders of one run; a folder with ``_SUCCESS`` and a matching manifest is done."""

    def __init__(self, output: str, fingerprint: str):
        self.output = output.rstrip("/")
        self.fingerprint = fingerprint
        self.local = not has_scheme(output)
        self.manifest = Path(self.output) / "_brandhalo_manifest.json"
        self.valid = self.local and self._read() == fingerprint

    def _read(self) -> str | None:
        try:
            return str(json.loads(self.manifest.read_text())["fingerprint"])
        except (OSError, ValueError, KeyError):
            return None

    def start(self) -> None:
        if self.local:
            Path(self.output).mkdir(parents=True, exist_ok=True)
            self.manifest.write_text(json.dumps({"fingerprint": self.fingerprint}))

    def path(self, name: str) -> str:
        return f"{self.output}/{name}"

    def done(self, name: str) -> bool:
        return self.valid and (Path(self.path(name)) / "_SUCCESS").exists()


def _fingerprint(config: Config, source: str) -> str:
    from brandhalo.engines.sql import aggregate_sql

    import hashlib

    from brandhalo.engines.sql import steps

    parts = [sql for _, sql in steps(incremental=False)]
    sql = "".join(parts + [aggregate_sql(g) for g in AGGREGATES.values()])  # type: ignore[arg-type]
    digest = hashlib.sha256(sql.encode()).hexdigest()[:16]
    return json.dumps([config.fingerprint(), source, digest])


def analyze_spark(
    ws_or_config: Workspace | Config,
    input: str | Path | None = None,
    output: str | Path | None = None,
    master: str = "local[2]",
    *,
    spark: SparkSession | None = None,
    load: bool = True,
    resume: bool = True,
) -> StageResult:
    """Enrich and aggregate posts on Spark; write Parquet; load the store when given one.

    Args:
        ws_or_config: A workspace (its config; its posts when `input` is None; its store is
            loaded with the results) or a bare :class:`~brandhalo.config.Config` (Parquet in,
            Parquet out, no store: the cluster case).
        input: Posts Parquet: file, folder, glob or URI (``s3a://bucket/posts/*.parquet``).
            Default: the workspace's stored posts, exported to ``output/_input``.
        output: Folder or URI for the results; default ``<workspace>/spark``.
        master: Spark master URL (``local[N]``, ``spark://host:7077``, ``yarn``, ...).
        spark: An existing session to use instead of creating one.
        load: Load the results into the workspace store (ignored without a workspace).
        resume: Skip steps whose output is complete for the same input and config.

    Returns:
        A StageResult with counts of posts, enriched rows, targets, themes and aggregate rows.
    """
    ws, config = _split(ws_or_config)
    out = _output_location(ws, output)
    spark = spark or spark_session(master)
    t0 = time.perf_counter()
    source = str(input) if input is not None else _export_posts(ws, out)
    cp = _Checkpoints(out, _fingerprint(config, source))
    if not (resume and cp.valid):
        cp.valid = False
    cp.start()
    counts = _enrich_step(spark, cp, source, config)
    tables = {name: read_parquet(spark, cp.path(name)) for name in ENRICH_TABLES}
    if not all(cp.done(name) for name in AGGREGATES):
        for name, df in aggregate(spark, tables).items():
            write_parquet(df, cp.path(name), partitions=_agg_partitions(spark))
        release_steps(spark)
    agg = {name: read_parquet(spark, cp.path(name)).count() for name in AGGREGATES}
    counts.update({name: tables[name].count() for name in ENRICH_TABLES}, **agg)
    if ws is not None and load:
        from brandhalo.engines.spark_store import load_results

        # DuckDB cannot read object stores without extensions: such posts stay where they are.
        posts_source = None if input is None or has_scheme(str(input)) else str(input)
        load_results(ws, out, posts_source=posts_source)
    note = f"spark {spark.sparkContext.master}: results in {out}"
    log.info("%s in %.1fs", note, time.perf_counter() - t0)
    return StageResult(name="spark", counts=counts, seconds=time.perf_counter() - t0, note=note)


def _agg_partitions(spark: SparkSession) -> int:
    # Aggregates are small next to posts: a few files keep the store load fast.
    return max(1, min(4, int(spark.conf.get("spark.sql.shuffle.partitions") or 4)))


def _enrich_step(spark: SparkSession, cp: _Checkpoints, source: str, config: Config) -> dict:
    posts = conform_posts(read_parquet(spark, source), source)
    if not cp.done("_wide"):
        write_parquet(enrich_frame(posts, config), cp.path("_wide"))
    wide = read_parquet(spark, cp.path("_wide"))
    for name, df in unpack(spark, wide).items():
        if not cp.done(name):
            write_parquet(df, cp.path(name))
    return {"posts": posts.count()}


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


def _export_posts(ws: Workspace | None, out: str) -> str:
    """The workspace's posts as Parquet under `out`, for Spark to read."""
    if ws is None:
        raise ConfigError(
            "analyze_spark without a workspace needs input=; pass the posts Parquet path or glob"
        )
    if has_scheme(out):
        raise ConfigError(
            "exporting stored posts to an object store is not supported; pass --input with "
            "the posts already in Parquet there, or a local --output folder"
        )
    target = Path(out) / "_input" / "posts.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    cols = ", ".join(POSTS_COLUMNS)
    ws.store.con.execute(
        f"COPY (SELECT {cols} FROM posts ORDER BY created_at, post_id) TO '{target}' "
        "(FORMAT parquet, ROW_GROUP_SIZE 100000)"
    )
    return str(target)


def run(
    ws: Workspace,
    *,
    master: str = "local[2]",
    input: str | Path | None = None,
    output: str | Path | None = None,
    **_: Any,
) -> StageResult:
    """Pipeline stage: enrich + aggregate on Spark and load the store (replaces both stages)."""
    return analyze_spark(ws, input, output, master)
