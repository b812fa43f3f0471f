"""``post_facts``: one row per post x brand it names, kept in step with the enrichment.

Part of the data-access layer (issue 18). :func:`facts_sql` is the SELECT of the facts from
``enriched``, ``post_targets`` and ``post_themes``, written once as engine-neutral SQL: the
DuckDB store keeps its rows in ``post_facts`` (:func:`refresh`, :func:`ensure`), the Spark
engine computes them as its first step (:mod:`brandhalo.engines.sql` aggregates them).

The enrich stage calls :func:`refresh` in the transaction that writes a batch's ``enriched``,
``post_targets`` and ``post_themes`` rows, so the aggregate stage groups one narrow table and
joins nothing per post. Loaders that write those tables another way (oracle truth, Spark
results, tests) call it too.
"""

from __future__ import annotations

from typing import Any, Literal

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

#: The theme key: a post's (theme, touchpoint) pairs, sorted, as one string.
THEME_KEY_AGG: dict[Dialect, str] = {
    "duckdb": "string_agg(h.theme || chr(31) || h.touchpoint, chr(30) "
    "ORDER BY h.theme, h.touchpoint)",
    "spark": "concat_ws(chr(30), sort_array(collect_list(concat(h.theme, chr(31), h.touchpoint))))",
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
    return f"""
SELECT e.post_id, x.brand, e.day, e.hour,
       COALESCE(e.segment, '(none)') AS segment,
       COALESCE(e.source, '(none)') AS source,
       COALESCE(e.lang, '(none)') AS lang,
       CAST(e.label AS INTEGER) AS label,
       COALESCE(e.weight, 1.0) AS weight,
       e.author_id,
       COALESCE(e.is_repost, FALSE) AS is_repost,
       COALESCE(k.theme_key, '') AS theme_key,
       {labels},
       COALESCE(e.origin, 'organic') AS origin,
       COALESCE(e.post_type, 'post') AS post_type
FROM {tables[0]} e
JOIN (SELECT t.post_id, t.brand,
             {per_type}
      FROM {tables[1]} t{where["t"]}
      GROUP BY t.post_id, t.brand) x ON x.post_id = e.post_id
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


def ensure(con: Any) -> bool:
    """Build the facts of a store enriched before ``post_facts`` existed; True if it did."""
    rows = con.execute(
        "SELECT (SELECT count(*) FROM post_facts), (SELECT count(*) FROM post_targets)"
    ).fetchall()
    if rows[0][0] == 0 and rows[0][1] > 0:
        refresh(con)
        return True
    return False
