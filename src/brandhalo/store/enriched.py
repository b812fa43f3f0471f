"""Metric reads over the per-post enrichment (``enriched``, ``post_targets``,
``post_themes``), where a post must be counted once across its targets or themes and the
aggregates (:mod:`brandhalo.store.aggregates`) cannot answer.

Part of the data-access layer (issue 18). Condition fragments (SQL text starting with
`` AND `` over ``e.`` columns: a date range, the post types counted) come from the analytics
helpers, as in :mod:`brandhalo.store.aggregates`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd


def negative_by_theme(
    con: duckdb.DuckDBPyConnection,
    themes: Sequence[str],
    since: dt.date,
    until: dt.date,
    types: str = "",
) -> pd.DataFrame:
    """Per brand: original negative posts on days `since`..`until` (``negative``) and those
    of them matched by one of `themes` (``controversial``), each post counted once.

    `types`: a condition fragment over ``e.post_type``. Ordered by brand.
    """
    tl = ", ".join(f"'{t}'" for t in themes) or "NULL"
    sql = f"""
        SELECT t.brand, COUNT(DISTINCT e.post_id) AS negative,
               COUNT(DISTINCT CASE WHEN h.post_id IS NOT NULL THEN e.post_id END) AS controversial
        FROM enriched e JOIN (SELECT DISTINCT post_id, brand FROM post_targets) t
             ON t.post_id = e.post_id
        LEFT JOIN (SELECT DISTINCT post_id FROM post_themes WHERE theme IN ({tl})) h
             ON h.post_id = e.post_id
        WHERE e.is_repost = FALSE AND e.label = -1 AND e.day BETWEEN ? AND ?{types}
        GROUP BY t.brand ORDER BY t.brand"""
    return con.execute(sql, [since, until]).df()


def co_mention_edges(
    con: duckdb.DuckDBPyConnection, where: str = "", brand: str | None = None
) -> pd.DataFrame:
    """Pairs of targets (brands, competitors, personas; not products) named by the same
    original post: source, source_type, target, target_type, posts, positive, negative; most
    posts first.

    Args:
        con: the store connection.
        where: a condition fragment over ``e.`` columns (range, post types).
        brand: only pairs where one side belongs to this brand (None: all).
    """
    sql = f"""
        SELECT a.target AS source, a.target_type AS source_type, b.target AS target,
               b.target_type AS target_type, COUNT(*) AS posts,
               SUM(CASE WHEN e.label = 1 THEN 1 ELSE 0 END) AS positive,
               SUM(CASE WHEN e.label = -1 THEN 1 ELSE 0 END) AS negative
        FROM (SELECT DISTINCT post_id, target, target_type, brand FROM post_targets
              WHERE target_type <> 'product') a
        JOIN (SELECT DISTINCT post_id, target, target_type, brand FROM post_targets
              WHERE target_type <> 'product') b
          ON a.post_id = b.post_id AND a.target < b.target
        JOIN enriched e ON e.post_id = a.post_id
        WHERE e.is_repost = FALSE{where}
          {"AND (a.brand = ? OR b.brand = ?)" if brand else ""}
        GROUP BY 1, 2, 3, 4 ORDER BY posts DESC"""
    return con.execute(sql, [brand, brand] if brand else []).df()
