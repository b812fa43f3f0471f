"""The columns a staged batch of each input kind (sales, market, ...) is written with, as
SQL expressions over the stage row; the statements are in :mod:`brandhalo.store.ingest`."""

from __future__ import annotations

from typing import Any

from brandhalo.ingest import dedup
from brandhalo.ingest.schemas import KindSpec
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
        "price_band",
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


def insert_kind(
    con: Any,
    spec: KindSpec,
    ingest_id: int,
    staged: Any,
    filled: dict[str, int] | None = None,
    replaced: dict[str, Any] | None = None,
) -> int:
    """Insert the good rows of a staged batch (`staged`, Arrow) of a kind other than posts
    into its table (the first row with a key wins); how many. With `filled`, a row whose key
    an earlier ingest stored fills that row's empty columns (never a stored value), and the
    counts of :func:`~brandhalo.store.ingest.fill_kind` are added to `filled`. With
    `replaced` (``--replace``), such a row's values replace the stored ones instead
    (:func:`~brandhalo.store.ingest.replace_kind`): ``replaced["rows"]`` counts the stored
    rows changed and ``replaced["example"]`` keeps the first one (key, old and new values)."""
    cols = _KIND_COLUMNS[spec.name]
    exprs = {c: f"s.{c}" for c in cols}
    key_exprs = {k: exprs.get(k, f"s.{k}") for k in spec.key}
    if spec.name == "market":  # the ids rows had before the band rule read units (validate)
        key_exprs.update(price_low="s.id_price_low", price_high="s.id_price_high")
    id_col = "event_id" if spec.name == "events" else "row_id"
    id_expr = dedup.row_id(spec, key_exprs)
    values = [exprs[c] for c in cols]
    inserted = store_ingest.insert_kind(
        con, spec.table, id_col, id_expr, cols, values, ingest_id, staged
    )
    if inserted == staged.column("_bad").null_count:  # no duplicates
        return inserted
    rest = [c for c in cols if c not in spec.key]
    if replaced is not None:
        shown = [c for c in cols if c in spec.key and c != "cumulative"]
        n, example = store_ingest.replace_kind(
            con, spec.table, id_col, id_expr, rest, [exprs[c] for c in rest], ingest_id,
            staged, shown,
        )  # fmt: skip
        replaced["rows"] = replaced.get("rows", 0) + n
        if example is not None and "example" not in replaced:
            replaced["example"] = example
    elif filled is not None:
        got = store_ingest.fill_kind(
            con, spec.table, id_col, id_expr, rest, [exprs[c] for c in rest], ingest_id, staged
        )
        for k, v in got.items():
            filled[k] = filled.get(k, 0) + v
    return inserted


def insert_labels(con: Any, spec: KindSpec, ingest_id: int, staged: Any) -> tuple[int, int]:
    """Insert a labels file's good rows (`staged`, Arrow, labels by name), the last row of a
    post winning and replacing its stored label; (rows inserted, stored labels replaced)."""
    id_expr = dedup.row_id(spec, {k: f"s.{k}" for k in spec.key})
    return store_sentiment.insert_ingested_labels(con, staged, id_expr, ingest_id)
