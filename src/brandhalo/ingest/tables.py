"""The columns a staged batch of each input kind (sales, market, ...) is written with, as
SQL expressions over the stage row; the statements are in :mod:`brandhalo.store.ingest`."""

from __future__ import annotations

from typing import Any

from brandhalo.ingest import dedup
from brandhalo.ingest.schemas import KindSpec
from brandhalo.store import ingest as store_ingest
from brandhalo.store import inputs as store_inputs
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
        "stores",
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
        "revenue",
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
    counts: dict[str, int] | None = None,
) -> int:
    """Insert the good rows of a staged batch (`staged`, Arrow) of a kind other than posts
    into its table; how many (less the rows earlier batches of the ingest stored that this
    one shows to conflict). A row repeating another of its key (the same values) is a
    duplicate; rows of one key with other values (sales, market, financials, targets) are
    conflicting: none is stored, all are quarantined (:func:`_quarantine_conflicts`; a
    column the read left out, a channel or a region, tells them apart). With `filled`, a
    row whose key an earlier ingest stored fills that row's empty columns (never a stored
    value), and the counts of :func:`~brandhalo.store.ingest.fill_kind` are added to
    `filled`. With `replaced` (``--replace``), such a row's values replace the stored ones
    instead (:func:`~brandhalo.store.ingest.replace_kind`): ``replaced["rows"]`` counts the
    stored rows changed and ``replaced["example"]`` keeps the first one (key, old and new
    values). With `counts` (the file's ``valid`` and ``quarantined``), the conflicting rows
    move from ``valid`` to ``quarantined``; without it the caller's summary counts them as
    duplicates (the CLI moves them: ``brandhalo.cli.ingest._conflicts_checked``)."""
    cols = _KIND_COLUMNS[spec.name]
    exprs = {c: f"s.{c}" for c in cols}
    key_exprs = {k: exprs.get(k, f"s.{k}") for k in spec.key}
    if spec.name == "market":  # the ids rows had before the band rule read units (validate)
        key_exprs.update(price_low="s.id_price_low", price_high="s.id_price_high")
    id_col = "event_id" if spec.name == "events" else "row_id"
    id_expr = dedup.row_id(spec, key_exprs)
    values = [exprs[c] for c in cols]
    removed = 0
    if spec.name in CONFLICT_KINDS:
        good = staged.column("_bad").null_count
        staged, removed = _quarantine_conflicts(con, spec, ingest_id, staged, id_expr, exprs)
        if counts is not None:  # this batch's conflicting rows and those earlier ones stored
            moved = good - staged.column("_bad").null_count + removed
            counts["valid"] -= moved
            counts["quarantined"] += moved
        if not staged.num_rows:
            return -removed
    inserted = store_ingest.insert_kind(
        con, spec.table, id_col, id_expr, cols, values, ingest_id, staged
    )
    if inserted < staged.column("_bad").null_count:  # duplicates: rows of stored keys
        _fill_or_replace(con, spec, id_col, id_expr, exprs, ingest_id, staged, filled, replaced)
    return inserted - removed


def _fill_or_replace(
    con: Any,
    spec: KindSpec,
    id_col: str,
    id_expr: str,
    exprs: dict[str, str],
    ingest_id: int,
    staged: Any,
    filled: dict[str, int] | None,
    replaced: dict[str, Any] | None,
) -> None:
    """Rows of the batch whose key an earlier ingest stored fill its empty values
    (`filled`) or, with `replaced`, replace its values (:func:`insert_kind`)."""
    cols = list(exprs)
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


def reread_changes(con: Any, spec: KindSpec, ingest_id: int) -> dict[str, Any]:
    """How the rows ingest `ingest_id` stored differ from those of the earlier read of the
    same file it replaces (``--replace``; set aside by
    :func:`~brandhalo.store.ingest.set_aside`): :func:`~brandhalo.store.ingest.aside_changes`
    over the kind's value columns, rows named by their key."""
    cols = _KIND_COLUMNS[spec.name]
    rest = [c for c in cols if c not in spec.key]
    shown = [c for c in cols if c in spec.key and c != "cumulative"]
    id_col = "event_id" if spec.name == "events" else "row_id"
    return store_ingest.aside_changes(con, spec.table, id_col, ingest_id, rest, shown)


#: The kinds whose rows of one key that give other values are quarantined as conflicting
#: (events of a date, brand and title keep the first; a later label replaces the earlier).
CONFLICT_KINDS = ("sales", "market", "financials", "targets")


def _quarantine_conflicts(
    con: Any, spec: KindSpec, ingest_id: int, staged: Any, id_expr: str, exprs: dict[str, str]
) -> tuple[Any, int]:
    """Quarantine the rows of `staged` whose key other rows of the file share with other
    values (:func:`~brandhalo.store.inputs.conflicting_rows`): each with its line, the value
    columns that differ and why, the rows of those keys that earlier batches stored deleted
    and quarantined too (without a line). (`staged` without them, rows deleted)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = [c for c in exprs if c not in spec.key]
    rows = store_inputs.conflicting_rows(
        con, spec.table, "row_id", id_expr, exprs, values, ingest_id, staged
    )
    if not rows:
        return staged, 0
    quarantine = []
    for line, _id, n, differ, raw in rows:
        cols = ", ".join(differ)
        reason = _conflict_reason(spec, raw, n, cols)
        quarantine.append([ingest_id, spec.name, None, line, cols or None, reason, raw])
    ids = sorted({r[1] for r in rows})
    removed = store_inputs.set_conflicts_aside(
        con, spec.table, "row_id", ingest_id, ids, quarantine
    )
    lines = pa.array([r[0] for r in rows if r[0] is not None], pa.int64())
    keep = pc.invert(pc.is_in(pc.cast(staged.column("_line"), pa.int64()), value_set=lines))
    return staged.filter(keep), removed


def _conflict_reason(spec: KindSpec, raw: str, n: int, cols: str) -> str:
    """The quarantine reason of a conflicting row (`raw`: the row as JSON; `n` rows of its
    key; `cols`: the value columns that differ between them)."""
    import json

    row = json.loads(raw)
    shown = [
        f"{k.removesuffix('_start')} {row[k]}"
        for k in spec.key
        if k in row and row[k] not in (None, "", False) and k != "grain"
    ]
    differ = f"different {cols}" if cols else "other values (in an earlier part of the file)"
    return (
        f"{store_inputs.CONFLICTING}: {n:,} rows of this file share {', '.join(shown)} with "
        f"{differ}, so none was stored (not duplicates: a column not read, such as a channel "
        "or a region, tells them apart); map it and ingest the file again with --replace"
    )


def insert_labels(con: Any, spec: KindSpec, ingest_id: int, staged: Any) -> tuple[int, int]:
    """Insert a labels file's good rows (`staged`, Arrow, labels by name), the last row of a
    post winning and replacing its stored label; (rows inserted, stored labels replaced)."""
    id_expr = dedup.row_id(spec, {k: f"s.{k}" for k in spec.key})
    return store_sentiment.insert_ingested_labels(con, staged, id_expr, ingest_id)
