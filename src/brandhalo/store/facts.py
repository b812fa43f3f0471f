"""``post_facts``: one row per post x brand it names, kept in step with the enrichment.

Part of the data-access layer (issue 18). :func:`facts_sql` is the SELECT of the facts from
``enriched``, ``post_targets`` and ``post_themes``, written once as engine-neutral SQL: the
DuckDB store keeps its rows in ``post_facts`` (:func:`refresh`, :func:`ensure`), the Spark
engine computes them as its first step (:mod:`brandhalo.engines.sql` aggregates them).

The enrich stage stores a batch's facts in the transaction that writes its ``enriched``,
``post_targets`` and ``post_themes`` rows (:func:`insert_batch`: the same rows as
:func:`facts_sql` over them, computed from the batch's Arrow tables), so the aggregate stage
groups one narrow table and joins nothing per post. Loaders that write those tables another
way (oracle truth, Spark results, re-enriched themes, tests) call :func:`refresh`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pyarrow as pa

Dialect = Literal["duckdb", "spark"]

#: Target types a post_targets row can have (brandhalo.text.matcher.TARGET_TYPES).
TARGET_TYPES = ("brand", "competitor", "persona", "product")
#: Label of a target row whose own label and the post's label are both unknown: counted in
#: ``posts`` but as none of positive/neutral/negative.
UNKNOWN_LABEL = 9
#: Columns of ``post_facts`` in table order.
FACT_COLUMNS = (
    "post_id", "brand", "day", "hour", "segment", "source", "lang", "label", "weight",
    "author_id", "is_repost", "theme_key", *(f"l_{t}" for t in TARGET_TYPES), "origin",
    "post_type",
)  # fmt: skip

#: Label of a brand's ``*`` row (``post_facts.label``, the brand's own series: spikes, NS,
#: alerts). A post naming several brands (``x.n_brands`` > 1) counts for each by the vote of
#: that brand's targeted labels (every ``post_targets`` row of the brand: itself, as ``brand``
#: or ``competitor``, its products and personas; sum > 0 positive, < 0 negative, 0 neutral),
#: so "澄果冰茶太甜了，不如北冰熊" is not a negative 北冰熊 post; a brand with no targeted
#: label there, and every post naming one brand, keeps the post's overall label (NULL: none).
BRAND_LABEL_SQL = (
    "CAST(CASE WHEN x.n_brands > 1 AND x.s_all > 0 THEN 1 "
    "WHEN x.n_brands > 1 AND x.s_all < 0 THEN -1 WHEN x.n_brands > 1 AND x.c_all > 0 THEN 0 "
    "ELSE CAST(e.label AS INTEGER) END AS INTEGER)"
)

#: The theme key: a post's (theme, touchpoint) pairs, sorted, as one string; a theme whose
#: own clauses carry a label (``post_themes.label``, -1/0/1) has it as a third part
#: (``theme chr(31) touchpoint chr(31) label``), so the aggregates count the mention by it
#: (:func:`brandhalo.engines.sql.theme_set_rows`). A theme without one keeps the two-part form
#: of stores enriched before the label existed.
THEME_KEY_AGG: dict[Dialect, str] = {
    "duckdb": "string_agg(h.theme || chr(31) || h.touchpoint"
    " || COALESCE(chr(31) || CAST(CAST(h.label AS INTEGER) AS VARCHAR), ''), chr(30) "
    "ORDER BY h.theme, h.touchpoint, h.theme || chr(31) || h.touchpoint"
    " || COALESCE(chr(31) || CAST(CAST(h.label AS INTEGER) AS VARCHAR), ''))",
    "spark": "concat_ws(chr(30), sort_array(collect_list(concat(h.theme, chr(31), h.touchpoint, "
    "COALESCE(concat(chr(31), CAST(CAST(h.label AS INT) AS STRING)), '')))))",
}


def facts_sql(
    dialect: Dialect = "duckdb",
    *,
    ids: str | None = None,
    tables: tuple[str, str, str] = ("enriched", "post_targets", "post_themes"),
) -> str:
    """The SELECT of ``post_facts`` rows from ``enriched``, ``post_targets``, ``post_themes``.

    Args:
        dialect: spelling of the theme-key aggregation.
        ids: a table/view with a ``post_id`` column: only these posts (None: all).
        tables: the names to read the three enrichment tables from (e.g. one batch's rows).

    Returns:
        One SELECT whose columns are :data:`FACT_COLUMNS`.
    """
    where = {
        a: f"\n      WHERE {a}.post_id IN (SELECT post_id FROM {ids})" if ids else "" for a in "eth"
    }
    per_type = ",\n             ".join(
        f"SUM(CASE WHEN t.target_type = '{t}' THEN 1 ELSE 0 END) AS n_{t}, "
        f"SUM(CASE WHEN t.target_type = '{t}' THEN t.label END) AS s_{t}, "
        f"COUNT(CASE WHEN t.target_type = '{t}' THEN t.label END) AS c_{t}"
        for t in TARGET_TYPES
    )
    # several targets of one type vote by label sum; no label: the post's overall label
    labels = ",\n       ".join(
        f"CAST(CASE WHEN x.n_{t} = 0 THEN NULL WHEN x.s_{t} > 0 THEN 1 WHEN x.s_{t} < 0 THEN -1 "
        f"WHEN x.c_{t} > 0 THEN 0 ELSE COALESCE(CAST(e.label AS INTEGER), {UNKNOWN_LABEL}) END "
        f"AS INTEGER) AS l_{t}"
        for t in TARGET_TYPES
    )
    # the brand's `*` row: in a post naming several brands, the vote of all its targets of
    # this brand (BRAND_LABEL_SQL); a post naming one brand keeps the post's overall label
    return f"""
SELECT e.post_id, x.brand, e.day, e.hour,
       COALESCE(e.segment, '(none)') AS segment,
       COALESCE(e.source, '(none)') AS source,
       COALESCE(e.lang, '(none)') AS lang,
       {BRAND_LABEL_SQL} AS label,
       COALESCE(e.weight, 1.0) AS weight,
       e.author_id,
       COALESCE(e.is_repost, FALSE) AS is_repost,
       COALESCE(k.theme_key, '') AS theme_key,
       {labels},
       COALESCE(e.origin, 'organic') AS origin,
       COALESCE(e.post_type, 'post') AS post_type
FROM {tables[0]} e
JOIN (SELECT g.*, COUNT(*) OVER (PARTITION BY g.post_id) AS n_brands
      FROM (SELECT t.post_id, t.brand,
                   {per_type},
                   SUM(t.label) AS s_all, COUNT(t.label) AS c_all
            FROM {tables[1]} t{where["t"]}
            GROUP BY t.post_id, t.brand) g) x ON x.post_id = e.post_id
LEFT JOIN (SELECT h.post_id, {THEME_KEY_AGG[dialect]} AS theme_key
           FROM {tables[2]} h{where["h"]}
           GROUP BY h.post_id) k ON k.post_id = e.post_id{where["e"]}""".strip()


def refresh(
    con: Any,
    ids: str | None = None,
    *,
    rows: tuple[str, str, str] | None = None,
    replace: bool = True,
) -> None:
    """Rebuild the facts of the posts listed in table `ids` (``post_id`` column; None: all).

    Args:
        con: an open DuckDB connection, inside the caller's transaction.
        ids: name of a table or registered view of post ids.
        rows: names of (enriched, post_targets, post_themes) views holding exactly these
            posts' new rows (a batch being written): read instead of the stored tables.
        replace: delete these posts' old facts first (False: they are new posts).
    """
    cols = ", ".join(FACT_COLUMNS)
    if ids is None:
        con.execute("DELETE FROM post_facts")
    elif replace:
        con.execute(f"DELETE FROM post_facts WHERE post_id IN (SELECT post_id FROM {ids})")
    select = facts_sql("duckdb", tables=rows) if rows else facts_sql("duckdb", ids=ids)
    con.execute(f"INSERT INTO post_facts ({cols}) {select}")


def insert_batch(con: Any, enriched: pa.Table, targets: pa.Table, themes: pa.Table) -> int:
    """Store the facts of a batch of new posts (no facts stored yet) from its Arrow rows of
    ``enriched``, ``post_targets`` and ``post_themes``: the rows :func:`facts_sql` gives
    over them, without a join and two grouped aggregations in SQL per batch. Returns the rows
    stored."""
    return insert_rows(con, [facts_table(enriched, targets, themes)])


def insert_rows(con: Any, parts: list[pa.Table]) -> int:
    """Store ``post_facts`` rows (:func:`facts_table`'s, of posts with no facts stored yet),
    `parts` in order, in one INSERT. Returns the rows stored."""
    import pyarrow as pa

    rows = pa.concat_tables(parts)
    if rows.num_rows:
        con.register("_facts_rows", rows)
        try:
            cols = ", ".join(FACT_COLUMNS)
            con.execute(f"INSERT INTO post_facts ({cols}) SELECT {cols} FROM _facts_rows")
        finally:
            con.unregister("_facts_rows")
    return int(rows.num_rows)


def facts_table(enriched: pa.Table, targets: pa.Table, themes: pa.Table) -> pa.Table:
    """The ``post_facts`` rows (:data:`FACT_COLUMNS`) of these posts' rows, as Arrow: one per
    post x brand of `targets` whose post has an `enriched` row (one per post), in post and
    brand order. Equal, row for row, to :func:`facts_sql` over the same three tables."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    post = _post_numbers(targets.column("post_id"), enriched.column("post_id"))
    brand = pc.dictionary_encode(targets.column("brand")).combine_chunks()
    n_brands = len(brand.dictionary) + 1  # the last code: no brand
    group_of = post * n_brands + _codes(brand, n_brands - 1)
    found = np.flatnonzero(post >= 0)  # targets of a post with no enriched row: no fact
    groups, inv = np.unique(group_of[found], return_inverse=True)
    n = len(groups)
    e_row, b_code = groups // n_brands, groups % n_brands
    kind = _codes(pc.index_in(targets.column("target_type"), pa.array(TARGET_TYPES)), -1)[found]
    label = targets.column("label")
    has_label = pc.is_valid(label).to_numpy(zero_copy_only=False)[found]
    value = pc.fill_null(label, 0).to_numpy(zero_copy_only=False).astype(np.int64)[found]
    post_label = enriched.column("label").take(pa.array(e_row, pa.int64()))
    unknown = pc.fill_null(pc.cast(post_label, pa.int32()), UNKNOWN_LABEL).to_numpy()
    cols: dict[str, Any] = {
        "post_id": enriched.column("post_id").take(pa.array(e_row, pa.int64())),
        "brand": brand.dictionary.take(pa.array(b_code, pa.int64(), mask=b_code == n_brands - 1)),
    }
    e = enriched.select(["day", "hour", "segment", "source", "lang", "weight", "author_id",
                         "is_repost", "origin", "post_type"]).take(pa.array(e_row, pa.int64()))  # fmt: skip
    cols["day"], cols["hour"] = e.column("day"), e.column("hour")
    for name in ("segment", "source", "lang"):
        cols[name] = pc.fill_null(e.column(name), "(none)")
    # the brand's `*` label (BRAND_LABEL_SQL): in a post naming several brands, the vote of
    # its targets of this brand; else (and with no targeted label) the post's label
    several = np.bincount(e_row)[e_row] > 1  # the post names another brand too
    s_all = np.bincount(inv, weights=value, minlength=n)
    voted = several & (np.bincount(inv[has_label], minlength=n) > 0)
    own = np.where(s_all > 0, 1, np.where(s_all < 0, -1, 0))
    is_null = pc.is_null(post_label).to_numpy(zero_copy_only=False)
    brand_label = np.where(voted, own, pc.fill_null(pc.cast(post_label, pa.int32()), 0).to_numpy())
    cols["label"] = pa.array(brand_label.astype(np.int32), pa.int32(), mask=is_null & ~voted)
    cols["weight"] = pc.fill_null(pc.cast(e.column("weight"), pa.float64()), 1.0)
    cols["author_id"] = e.column("author_id")
    cols["is_repost"] = pc.fill_null(e.column("is_repost"), False)
    cols["theme_key"] = _theme_keys(themes, enriched.column("post_id")).take(
        pa.array(e_row, pa.int64())
    )
    for k, t in enumerate(TARGET_TYPES):
        mine = kind == k
        named = np.bincount(inv, weights=mine, minlength=n) > 0
        total = np.bincount(inv[mine], weights=value[mine], minlength=n)
        labelled = np.bincount(inv[mine & has_label], minlength=n) > 0
        vote = np.where(total > 0, 1, np.where(total < 0, -1, np.where(labelled, 0, unknown)))
        cols[f"l_{t}"] = pa.array(vote.astype(np.int32), pa.int32(), mask=~named)
    cols["origin"] = pc.fill_null(e.column("origin"), "organic")
    cols["post_type"] = pc.fill_null(e.column("post_type"), "post")
    return pa.table({c: cols[c] for c in FACT_COLUMNS})


def _codes(array: Any, null: int) -> Any:
    """Integer codes of an Arrow array (or a dictionary array's indices), `null` for nulls."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(array, pa.DictionaryArray):
        array = array.indices
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    out = pc.fill_null(array, null).to_numpy(zero_copy_only=False)
    return np.asarray(out, dtype=np.int64)


def _post_numbers(ids: Any, posts: Any) -> Any:
    """Per id of `ids`, its row in `posts` (distinct post ids); -1 where it has none."""
    import pyarrow.compute as pc

    return _codes(pc.index_in(ids, value_set=posts), -1)


def _theme_keys(themes: pa.Table, posts: Any) -> pa.Array:
    """Per post of `posts`: its theme key (:data:`THEME_KEY_AGG`: its ``theme`` chr(31)
    ``touchpoint`` [chr(31) ``label``] pairs by theme, then touchpoint, joined by chr(30); ''
    when it has none)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    pair = pc.binary_join_element_wise(
        themes.column("theme"), themes.column("touchpoint"), "\x1f", null_handling="emit_null"
    )
    if "label" in themes.column_names:  # a labelled theme: "\x1f<label>" after its touchpoint
        label = pc.cast(pc.cast(themes.column("label"), pa.int32()), pa.string())
        suffix = pc.fill_null(pc.binary_join_element_wise("", label, "\x1f"), "")
        pair = pc.binary_join_element_wise(pair, suffix, "")
    rows = pa.table(
        {
            "post": _post_numbers(themes.column("post_id"), posts),
            "theme": themes.column("theme"),
            "touchpoint": themes.column("touchpoint"),
            "pair": pair,
        }
    )
    rows = rows.filter(pc.and_(pc.greater_equal(rows["post"], 0), pc.is_valid(rows["pair"])))
    if not rows.num_rows:
        return pc.fill_null(pa.nulls(len(posts), pa.string()), "")
    # ties (one theme and touchpoint twice, with other labels) by the whole pair, as the SQL
    order = pc.sort_indices(
        rows,
        [("post", "ascending"), ("theme", "ascending"), ("touchpoint", "ascending"),
         ("pair", "ascending")],
    )  # fmt: skip
    rows = rows.take(order)
    post = rows.column("post").to_numpy()
    first = np.flatnonzero(np.r_[True, post[1:] != post[:-1]])
    offsets = np.r_[first, len(post)].astype(np.int32)
    lists = pa.ListArray.from_arrays(pa.array(offsets), rows.column("pair").combine_chunks())
    joined = pc.binary_join(lists, "\x1e")
    at = np.full(len(posts), -1, dtype=np.int64)
    at[post[first]] = np.arange(len(first), dtype=np.int64)
    return pc.fill_null(joined.take(pa.array(at, pa.int64(), mask=at < 0)), "")


def ensure(con: Any) -> bool:
    """Build the facts of a store enriched before ``post_facts`` existed; True if it did."""
    rows = con.execute(
        "SELECT (SELECT count(*) FROM post_facts), (SELECT count(*) FROM post_targets)"
    ).fetchall()
    if rows[0][0] == 0 and rows[0][1] > 0:
        refresh(con)
        return True
    return False
