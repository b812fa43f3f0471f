"""Enrichment as an Arrow batch function for Spark, around TEXT's pure ``enrich_table``.

Spark's ``mapInArrow`` returns one table per batch, while enrichment yields three
(``enriched``, ``post_targets``, ``post_themes``). :func:`pack` folds the two child tables into
list-of-struct columns of the enriched rows (one "wide" row per post), so each post is
enriched exactly once; :func:`unpack_sql` gives the Spark SQL that explodes them back out.
Everything here is plain pyarrow and testable without Spark.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from brandhalo.config import Config

#: Columns of the store's ``post_targets`` and ``post_themes`` besides ``post_id`` (0002).
TARGET_FIELDS = (
    ("target_type", "string"),
    ("target", "string"),
    ("brand", "string"),
    ("label", "int8"),
    ("score", "float64"),
)
#: (``post_themes.label``: the theme's own clauses' sentiment, NULL: the post's stands; 0020)
THEME_FIELDS = (("theme", "string"), ("touchpoint", "string"), ("label", "int8"))
#: The packed row's MinHash signature (NULL: too short to cluster); never stored, the driver
#: clusters by it (:mod:`brandhalo.engines.spark_origin`).
SIG_FIELD = "sig"

#: Columns of the store's ``enriched`` table (0002_enrich.sql), in table order.
ENRICHED_FIELDS = (
    ("post_id", "string"),
    ("day", "date32"),
    ("hour", "timestamp[us]"),
    ("source", "string"),
    ("lang", "string"),
    ("segment", "string"),
    ("label", "int8"),
    ("score", "float64"),
    ("confidence", "float64"),
    ("weight", "float64"),
    ("author_id", "string"),
    ("is_repost", "bool"),
    ("evidence", "string"),
    ("engine", "string"),
    ("config_hash", "string"),
    ("enriched_at", "timestamp[us]"),
    ("origin", "string"),
    ("origin_evidence", "string"),
    ("cluster_id", "string"),
    ("post_type", "string"),
)


def _type(name: str) -> pa.DataType:
    import pyarrow as pa

    if name == "timestamp[us]":
        return pa.timestamp("us")
    return pa.type_for_alias(name)


def _struct(fields: tuple[tuple[str, str], ...]) -> pa.StructType:
    import pyarrow as pa

    return pa.struct([pa.field(n, _type(t)) for n, t in fields])


def table_schema(fields: tuple[tuple[str, str], ...], *, post_id: bool = False) -> pa.Schema:
    """Arrow schema for one of the field tuples above (optionally led by ``post_id``)."""
    import pyarrow as pa

    lead = [pa.field("post_id", pa.string())] if post_id else []
    return pa.schema(lead + [pa.field(n, _type(t)) for n, t in fields])


def wide_schema() -> pa.Schema:
    """Schema of one packed row: the enriched columns, ``targets`` and ``themes`` lists and
    the MinHash signature ``sig``."""
    import pyarrow as pa

    base = table_schema(ENRICHED_FIELDS)
    return (
        base.append(pa.field("targets", pa.list_(_struct(TARGET_FIELDS))))
        .append(pa.field("themes", pa.list_(_struct(THEME_FIELDS))))
        .append(pa.field(SIG_FIELD, pa.binary()))
    )


def nest(children: pa.Table, parent_ids: pa.Array, fields: tuple[tuple[str, str], ...]) -> Any:
    """Group child rows under their parent post as a list column aligned with `parent_ids`.

    Children whose post is not among the parents are dropped (enrich never makes such rows);
    a field the children lack is NULL (``post_themes.label`` of a producer before it).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    struct_type = _struct(fields)
    n = len(parent_ids)
    if children.num_rows == 0:
        offsets = pa.array(np.zeros(n + 1, dtype=np.int32))
        empty = pa.StructArray.from_arrays(
            [pa.array([], f.type) for f in struct_type], fields=list(struct_type)
        )
        return pa.ListArray.from_arrays(offsets, empty)
    idx = pc.index_in(children.column("post_id"), value_set=parent_ids)
    keep = pc.is_valid(idx)
    children, idx = children.filter(keep), idx.filter(keep)
    order = pc.sort_indices(idx)  # stable: children keep their order within a post
    children = children.take(order)
    counts = np.bincount(idx.take(order).to_numpy(), minlength=n)
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]).astype(np.int32))
    values = pa.StructArray.from_arrays(
        [
            children.column(name).cast(f.type).combine_chunks()
            if name in children.column_names
            else pa.nulls(children.num_rows, f.type)  # a column newer than the producer
            for name, f in zip((f[0] for f in fields), struct_type, strict=True)
        ],
        fields=list(struct_type),
    )
    return pa.ListArray.from_arrays(offsets, values)


def pack(enriched: pa.Table, post_targets: pa.Table, post_themes: pa.Table) -> pa.Table:
    """One wide row per enriched post, its targets and themes nested as lists, and its
    near-duplicate signature (from ``enrich_table``'s ``_lsh`` columns; NULL without one)."""
    import datetime as dt

    import pyarrow as pa

    if "enriched_at" not in enriched.column_names:
        # The store fills it by default; Parquet output needs it explicit (naive UTC).
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        stamp = pa.array([now] * enriched.num_rows, pa.timestamp("us"))
        enriched = enriched.append_column("enriched_at", stamp)
    for name, kind in ENRICHED_FIELDS:  # columns newer than the batch's producer: NULL
        if name not in enriched.column_names:
            enriched = enriched.append_column(name, pa.nulls(enriched.num_rows, _type(kind)))
    base = enriched.select([n for n, _ in ENRICHED_FIELDS]).cast(table_schema(ENRICHED_FIELDS))
    ids = base.column("post_id").combine_chunks()
    base = base.append_column("targets", nest(post_targets, ids, TARGET_FIELDS))
    base = base.append_column("themes", nest(post_themes, ids, THEME_FIELDS))
    return base.append_column(SIG_FIELD, _sig_or_null(enriched))


def _sig_or_null(enriched: pa.Table) -> pa.Array:
    """The batch's signatures as binary, NULL where a post has none (or the batch lacks them)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from brandhalo.text.neardup import HAS_COLUMN, SIG_COLUMN

    if SIG_COLUMN not in enriched.column_names:
        return pa.nulls(enriched.num_rows, pa.binary())
    sig = enriched.column(SIG_COLUMN).combine_chunks().cast(pa.binary())
    has = enriched.column(HAS_COLUMN).combine_chunks()
    return pc.if_else(has, sig, pa.scalar(None, pa.binary()))


def unpack_sql(view: str) -> dict[str, str]:
    """Spark SQL that rebuilds the three store tables from a view of packed rows."""
    enriched_cols = ", ".join(n for n, _ in ENRICHED_FIELDS)
    tcols = ", ".join(f"t.{n}" for n, _ in TARGET_FIELDS)
    hcols = ", ".join(f"h.{n}" for n, _ in THEME_FIELDS)
    return {
        "enriched": f"SELECT {enriched_cols} FROM {view}",
        "post_targets": f"SELECT post_id, {tcols} FROM {view} LATERAL VIEW explode(targets) x AS t",
        "post_themes": f"SELECT post_id, {hcols} FROM {view} LATERAL VIEW explode(themes) y AS h",
    }


def config_payload(config: Config, root: str | Path | None = None) -> str:
    """The config as JSON text: cheap to ship to workers, rebuilt into a context there.

    `root`: the workspace folder, which a relative ``[sentiment] model_path`` (the one
    ``brandhalo train`` sets) is taken from, as the local path does; None: the workers' own
    working folder.
    """
    data = {"config": config.model_dump(mode="json"), "root": str(root) if root else None}
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@functools.lru_cache(maxsize=4)
def _context(payload: str) -> Any:
    # Built once per Python worker process (Spark reuses workers), not once per batch.
    from brandhalo.config import parse_config
    from brandhalo.text.enrich import EnrichContext

    data = json.loads(payload)
    root = Path(data["root"]) if data["root"] else None
    return EnrichContext.from_config(parse_config(data["config"]), root=root)


def enrich_packed(payload: str, posts: pa.Table) -> pa.Table:
    """Enrich one batch of posts with TEXT's ``enrich_table`` and pack the result.

    Args:
        payload: :func:`config_payload` of the workspace config.
        posts: A batch with the store's ``posts`` columns (naive UTC ``created_at``).
    """
    from brandhalo.text.enrich import enrich_table

    batch = enrich_table(posts, _context(payload))
    return pack(batch.enriched, batch.post_targets, batch.post_themes)
