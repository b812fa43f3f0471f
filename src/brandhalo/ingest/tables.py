"""SQL that writes a staged batch into its kind's table (posts, sales, ...)."""

from __future__ import annotations

from brandhalo.ingest import dedup
from brandhalo.ingest.schemas import KindSpec
from brandhalo.ingest.timestamps import lit

_POST_COLUMNS = (
    "post_id, source, author_id, author_name, author_followers, text, created_at, tz_offset_min, "
    "likes, reposts, comments, url, lang_hint, brand_hint, product_hint, segment_hint, rating, "
    "parent_id, origin_id, is_repost, text_hash, simulated, ingest_id, line, post_type, reply_to, "
    "thread_id"
)
_KIND_COLUMNS = {
    "sales": (
        "period_start",
        "period_end",
        "grain",
        "brand",
        "product",
        "units",
        "cumulative",
        "price",
        "revenue",
        "region",
        "category",
        "channel",
    ),
    "market": (
        "period_start",
        "period_end",
        "grain",
        "category",
        "price_band",
        "price_low",
        "price_high",
        "units",
        "region",
    ),
    "financials": (
        "period_start",
        "period_end",
        "grain",
        "brand",
        "line",
        "revenue",
        "gross_margin",
        "cost",
    ),
    "events": ("date", "brand", "title", "kind", "url", "notes"),
    "targets": ("brand", "product", "year", "units"),
    "labels": ("text", "post_id", "label", "aspect"),
}
_BAND_NUM = r"(\d+(?:\.\d+)?)"


def insert_posts_sql(ingest_id: int, stage_sql: str) -> str:
    """SQL: insert the good rows of one staged batch (`stage_sql`, a SELECT) into posts.

    Rows go in as they come: the origin is the given parent (pointer jumping resolves it
    later) or the post itself. Duplicate ids and repost roots are settled once per file
    afterwards (:func:`brandhalo.ingest.dedup.duplicate_sql`, :func:`~brandhalo.ingest.dedup.roots_sql`),
    so no batch joins the store.
    """
    return (
        f"INSERT INTO posts ({_POST_COLUMNS}) "
        "SELECT s.post_id, s.source, s.author_id, "
        "s.author_name, s.author_followers, s.text, s.created_at, s.created_at_off, s.likes, "
        "s.reposts, s.comments, s.url, s.lang, s.brand, s.product, s.segment, s.rating, "
        "s.parent_id, coalesce(s.parent_id, s.post_id), (s.parent_id IS NOT NULL OR s._marker), "
        f"s.text_hash, s.simulated, {ingest_id}, s._line, s.post_type, s.reply_to, s.thread_id "
        f"FROM ({stage_sql}) s WHERE s._bad IS NULL"
    )


def _band_bounds() -> tuple[str, str]:
    """SQL for price_low / price_high parsed from a band label like 3000-3999, <1000, 6000+."""
    b = "replace(s.price_band, ',', '')"
    rng = lit(rf"^\D*{_BAND_NUM}\s*[-~–—至到]\s*{_BAND_NUM}\D*$")
    below = lit(rf"^\s*(?:<|≤|<=|under|below|低于)\s*{_BAND_NUM}\D*$")
    above = lit(
        rf"^\s*(?:>|≥|>=|over|above|高于)?\s*{_BAND_NUM}\s*(?:\+|以上|及以上|and above)\s*$"
    )
    low = (
        f"(CASE WHEN regexp_full_match({b}, {rng}) THEN CAST(regexp_extract({b}, {rng}, 1) AS DOUBLE) "
        f"WHEN regexp_full_match({b}, {above}) THEN CAST(regexp_extract({b}, {above}, 1) AS DOUBLE) "
        f"WHEN regexp_full_match({b}, {below}) THEN 0 END)"
    )
    high = (
        f"(CASE WHEN regexp_full_match({b}, {rng}) THEN CAST(regexp_extract({b}, {rng}, 2) AS DOUBLE) "
        f"WHEN regexp_full_match({b}, {below}) THEN CAST(regexp_extract({b}, {below}, 1) AS DOUBLE) END)"
    )
    return low, high


def insert_kind_sql(spec: KindSpec, ingest_id: int) -> str:
    cols = _KIND_COLUMNS[spec.name]
    exprs = {c: f"s.{c}" for c in cols}
    if spec.name == "market":
        low, high = _band_bounds()
        exprs["price_low"] = f"coalesce(s.price_low, {low})"
        exprs["price_high"] = f"coalesce(s.price_high, {high})"
    key_exprs = {k: exprs.get(k, f"s.{k}") for k in spec.key}
    id_col = "event_id" if spec.name == "events" else "row_id"
    return (
        f"INSERT OR IGNORE INTO {spec.table} ({id_col}, {', '.join(cols)}, ingest_id) "
        f"SELECT {dedup.row_id(spec, key_exprs)}, {', '.join(exprs[c] for c in cols)}, "
        f"{ingest_id} FROM _bh_stage s WHERE s._bad IS NULL"
    )
