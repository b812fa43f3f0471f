"""Near-duplicate clusters and the campaign (cluster) rule on Spark, as the local path does them.

The per-post origin comes out of ``enrich_table`` on the workers; what needs the whole stream
is done here, with the same code as the local writer (:mod:`brandhalo.text.neardup`,
:mod:`brandhalo.text.origin`):

1. :func:`assign_clusters`: the workers' MinHash signatures (the packed rows' ``sig``), in
   the posts' input order (file, then row: the store's rowid order for an exported store),
   are fed to :class:`~brandhalo.text.neardup.ClusterIndex` on the driver in batches of the
   local path's ``BATCH_ROWS``, against an in-memory DuckDB cluster index. Signatures are
   streamed: the driver holds one batch and the index, which the 30-day horizon keeps bounded
   by recent volume (64 bytes a post are read, not the posts).
2. :func:`apply_campaigns`: the SAME SQL (:func:`~brandhalo.text.origin.campaign_clusters_sql`)
   finds the campaign templates among clusters of more than one post, and their organic
   members become ``campaign`` with the local path's evidence
   (:func:`~brandhalo.text.origin.cluster_evidence_sql`: ``["cluster:N accounts", <own
   signals>]``).

Both paths apply the rule once per run over all the posts of the clusters the run touched
(the local writer after its last chunk, :func:`~brandhalo.text.origin.apply_pending`), so a
template split across chunks, or across ingests that Spark reads from the store in one run,
gets the same verdict and evidence (``docs/scale.md``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from brandhalo.engines.spark_enrich import SIG_FIELD
from brandhalo.store import neardup

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from brandhalo.config import OriginSettings

log = logging.getLogger("brandhalo.engines.spark")

#: Columns of the cluster assignment a run writes (checkpoint ``_clusters``).
CLUSTER_COLUMNS = ("post_id", "cluster_id")
_ORDER = "_order"


def post_order(posts: DataFrame) -> DataFrame:
    """(post_id, _order) of the input posts: file path and row index, the local rowid order.

    `posts` is the DataFrame read from Parquet (before any repartition); a post id listed
    twice keeps its first place.
    """
    from pyspark.sql import functions as F

    order = F.struct(F.col("_metadata.file_path"), F.col("_metadata.row_index"))
    return (
        posts.select("post_id", order.alias(_ORDER))
        .groupBy("post_id")
        .agg(F.min(_ORDER).alias(_ORDER))
    )


def signatures_in_order(wide: DataFrame, order: DataFrame) -> DataFrame:
    """The packed rows' (post_id, hour, sig), sorted in input order."""
    return (
        wide.select("post_id", "hour", SIG_FIELD)
        .join(order, "post_id", "left")
        .orderBy(_ORDER, "post_id")
        .drop(_ORDER)
    )


def assign_clusters(
    spark: SparkSession,
    wide: DataFrame,
    order: DataFrame,
    batch_rows: int | None = None,
    index_dir: str | None = None,
    scratch: str | None = None,
) -> pa.Table:
    """Cluster id of every post (see module docs) as an Arrow table (post_id, cluster_id).

    With `index_dir` (a local folder), the driver's cluster index at the end is written there
    as Parquet (``neardup_bands``, ``neardup_clusters``) for the store load. With `scratch` (a
    local folder) the sorted signatures are written there and read back as Arrow batches (no
    per-row Python objects); else they are streamed row by row from the JVM.
    """
    import duckdb
    import pyarrow as pa

    from brandhalo.text.enrich_run import BATCH_ROWS
    from brandhalo.text.neardup import ClusterIndex

    rows = batch_rows or BATCH_ROWS
    con = duckdb.connect()
    neardup.create_index(con)
    index = ClusterIndex(con, memory=True)
    ids: list[str] = []
    clusters: list[str | None] = []
    batches = 0
    ordered = signatures_in_order(wide, order)
    if scratch is not None:
        ordered.write.mode("overwrite").parquet(scratch)
        batches_of = _parquet_batches(scratch, rows)
    else:
        batches_of = _batches(ordered, rows)
    for post_ids, sig, has, hours in batches_of:
        ids.extend(post_ids)
        clusters.extend(index.assign(post_ids, sig, has, hours))
        batches += 1
    index.flush()
    if index_dir is not None:
        neardup.save_index(con, index_dir)
    con.close()
    log.info("spark clusters: %d posts in %d batches on the driver", len(ids), batches)
    return pa.table(
        {"post_id": pa.array(ids, pa.string()), "cluster_id": pa.array(clusters, pa.string())}
    )


def _parquet_batches(
    folder: str, rows: int
) -> Iterator[tuple[list[str], np.ndarray, np.ndarray, np.ndarray]]:
    """Like :func:`_batches`, from the sorted Parquet parts (named in sort order)."""
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer: list[pa.RecordBatch] = []
    held = 0
    for part in sorted(Path(folder).glob("part-*.parquet")):
        for batch in pq.ParquetFile(part).iter_batches(batch_size=rows):
            buffer.append(batch)
            held += batch.num_rows
            while held >= rows:
                table = pa.Table.from_batches(buffer)
                yield _columns(table.slice(0, rows))
                rest = table.slice(rows)
                buffer, held = rest.to_batches(), rest.num_rows
    if held:
        yield _columns(pa.Table.from_batches(buffer))


def _columns(table: pa.Table) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    return _arrays(
        table.column("post_id").to_pylist(),
        table.column(SIG_FIELD).to_pylist(),
        table.column("hour").to_numpy(),
    )


def _batches(
    frame: DataFrame, rows: int
) -> Iterator[tuple[list[str], np.ndarray, np.ndarray, np.ndarray]]:
    """(post ids, signatures, has-signature, hours) per `rows` posts, streamed in order."""
    ids: list[str] = []
    sigs: list[bytes | None] = []
    hours: list[Any] = []
    for row in frame.toLocalIterator(prefetchPartitions=True):
        ids.append(row[0])
        hours.append(row[1])
        sigs.append(row[2])
        if len(ids) == rows:
            yield _arrays(ids, sigs, hours)
            ids, sigs, hours = [], [], []
    if ids:
        yield _arrays(ids, sigs, hours)


def _arrays(
    ids: list[str], sigs: list[bytes | None], hours: Any
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    import numpy as np

    from brandhalo.text.neardup import HASHES

    has = np.array([s is not None for s in sigs], dtype=bool)
    empty = bytes(HASHES * 4)
    flat = b"".join(bytes(s) if s is not None else empty for s in sigs)
    sig = np.frombuffer(flat, dtype=np.uint32).reshape(-1, HASHES).copy()
    return ids, sig, has, np.asarray(hours).astype("datetime64[us]")


def apply_campaigns(
    spark: SparkSession,
    enriched: DataFrame,
    clusters: DataFrame,
    settings: OriginSettings,
    rated: DataFrame | None = None,
) -> DataFrame:
    """`enriched` with its ``cluster_id`` filled and campaign templates' organic posts marked.

    Args:
        spark: The session.
        enriched: The unpacked ``enriched`` rows (``cluster_id`` empty).
        clusters: (post_id, cluster_id) from :func:`assign_clusters`.
        settings: ``[origin]`` (campaign_min_accounts, campaign_window_hours).
        rated: (post_id) of the posts with a star rating: they stay organic, as the local
            rule does (:func:`brandhalo.store.origin.mark_campaigns`: a buyer's rating is
            opinion, however alike its words).
    """
    from pyspark.sql import functions as F

    from brandhalo.text.origin import campaign_clusters_sql, cluster_evidence_sql

    cols = enriched.columns
    joined = enriched.drop("cluster_id").join(clusters, "post_id", "left").select(*cols)
    joined.createOrReplaceTempView("enriched")
    grown = joined.where(F.col("cluster_id") != F.col("post_id")).select("cluster_id").distinct()
    grown.createOrReplaceTempView("_spark_grown_clusters")
    sql = campaign_clusters_sql(
        settings.campaign_min_accounts, settings.campaign_window_hours, "_spark_grown_clusters"
    )
    camp = spark.sql(sql).select("cluster_id", F.col("accounts").alias("_accounts"))
    out = joined.join(F.broadcast(camp), "cluster_id", "left")
    mark = F.col("_accounts").isNotNull() & (F.col("origin") == "organic")
    if rated is not None:
        out = out.join(rated.select("post_id", F.lit(True).alias("_rated")).distinct(),
                       "post_id", "left")  # fmt: skip
        mark = mark & F.col("_rated").isNull()
    evidence = F.expr(cluster_evidence_sql("_accounts", "origin_evidence"))
    out = out.withColumn(
        "origin_evidence", F.when(mark, evidence).otherwise(F.col("origin_evidence"))
    )
    out = out.withColumn("origin", F.when(mark, F.lit("campaign")).otherwise(F.col("origin")))
    return out.select(*cols)
