"""Whether the workspace holds what a page or a report section needs: a post by id, simulated
posts, a brand's analyzed posts in a window (``posts``, ``post_facts``).

Part of the data-access layer (issue 18): the report's input checks (``report.sections``: an
empty section says which input is missing) and the labelling page (``web.labelling``) ask
here. Whole-table row counts are ``Store.count``; the comments and replies stored are
:func:`brandhalo.store.posts.count_replies`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb


def post_exists(con: duckdb.DuckDBPyConnection, post_id: str) -> bool:
    """Whether ``posts`` holds a post with this id."""
    rows = con.execute("SELECT count(*) FROM posts WHERE post_id = ?", [post_id]).fetchall()
    return bool(rows[0][0])


def any_simulated(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any stored post is simulated (the demo's); False when there are none."""
    row = con.execute("SELECT coalesce(bool_or(simulated), false) FROM posts").fetchone()
    return bool(row and row[0])


def own_posts(con: duckdb.DuckDBPyConnection) -> int:
    """How many stored posts are not simulated (a user's own, even beside the demo's)."""
    row = con.execute("SELECT count(*) FROM posts WHERE NOT coalesce(simulated, false)").fetchone()
    return int(row[0]) if row else 0


def brand_posts(
    con: duckdb.DuckDBPyConnection,
    brand: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    with_persona: bool = False,
) -> int:
    """Analyzed posts naming `brand` (its ``post_facts`` rows) with a local day in
    [`since`, `until`] (None: open); `with_persona`: only those naming a persona of it."""
    sql = "SELECT count(*) FROM post_facts WHERE brand = ? "
    sql += "AND l_persona IS NOT NULL" if with_persona else ""  # NULL: no persona of it named
    params: list[Any] = [brand]
    if since is not None:
        sql, params = f"{sql} AND day >= ?", [*params, since]
    if until is not None:
        sql, params = f"{sql} AND day <= ?", [*params, until]
    row = con.execute(sql, params).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
