"""The columns a staged batch of each input kind (sales, market, ...) is written with, as
SQL expressions over the stage row; the statements are in :mod:`brandhalo.store.ingest`."""

from __future__ import annotations

from typing import Any

from brandhalo.ingest import dedup
from brandhalo.ingest.schemas import KindSpec
from brandhalo.ingest.timestamps import lit
from brandhalo.store import ingest as store_ingest
from brandhalo.store import sentiment as store_sentiment

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


def insert_kind(con: Any, spec: KindSpec, ingest_id: int, staged: Any) -> int:
    """Insert the good rows of a staged batch (`staged`, Arrow) of a kind other than posts
    into its table (the first row with a key wins); how many."""
    cols = _KIND_COLUMNS[spec.name]
    exprs = {c: f"s.{c}" for c in cols}
    if spec.name == "market":
        low, high = _band_bounds()
        exprs["price_low"] = f"coalesce(s.price_low, {low})"
        exprs["price_high"] = f"coalesce(s.price_high, {high})"
    key_exprs = {k: exprs.get(k, f"s.{k}") for k in spec.key}
    id_col = "event_id" if spec.name == "events" else "row_id"
    id_expr = dedup.row_id(spec, key_exprs)
    values = [exprs[c] for c in cols]
    return store_ingest.insert_kind(
        con, spec.table, id_col, id_expr, cols, values, ingest_id, staged
    )


def insert_labels(con: Any, spec: KindSpec, ingest_id: int, staged: Any) -> tuple[int, int]:
    """Insert a labels file's good rows (`staged`, Arrow, labels by name), the last row of a
    post winning and replacing its stored label; (rows inserted, stored labels replaced)."""
    id_expr = dedup.row_id(spec, {k: f"s.{k}" for k in spec.key})
    return store_sentiment.insert_ingested_labels(con, staged, id_expr, ingest_id)
