"""``post_facts`` on the DuckDB store: one row per post x brand, kept in step with enrichment.

The enrich stage calls :func:`refresh` in the transaction that writes a batch's ``enriched``,
``post_targets`` and ``post_themes`` rows, so the aggregate stage groups one narrow table and
joins nothing per post (:mod:`brandhalo.engines.sql`). Loaders that write those tables another
way (oracle truth, Spark results, tests) call it too.
"""

from __future__ import annotations

from typing import Any

from brandhalo.engines.sql import FACT_COLUMNS, facts_sql


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
