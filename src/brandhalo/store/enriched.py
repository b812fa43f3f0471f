"""Metric reads over the per-post enrichment (``enriched``, ``post_targets``,
``post_themes``), where a post must be counted once across its targets or themes and the
aggregates (:mod:`brandhalo.store.aggregates`) cannot answer.

Part of the data-access layer (issue 18). Condition fragments (SQL text starting with
`` AND `` over ``e.`` columns: a date range, the post types counted) come from the analytics
helpers, as in :mod:`brandhalo.store.aggregates`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd


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
