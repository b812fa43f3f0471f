"""Reads of the report's small aggregate tables, which the aggregate stage writes with the
engine-neutral SQL of :mod:`brandhalo.engines.sql_report`: ``agg_pairs`` (daily co-mentions
per pair of brands/personas), ``agg_product_themes`` (daily posts per product x segment x
touchpoint x theme x label) and ``agg_clusters`` (one row per campaign cluster and brand), with
the clusters' templates (the text of their first post in ``posts``).

Part of the data-access layer (issue 18): the interplay, pain-point and campaign metrics
(``analytics.interplay``, ``analytics.painpoints``, ``analytics.campaigns``) read them here.
Filters that depend on the question (a date range, the post types counted, the origin) arrive
as *condition fragments*: SQL text starting with `` AND `` over the table's own columns, made
by the analytics helpers, as in :mod:`brandhalo.store.aggregates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

#: The order of the campaign listing: most accounts, then most posts, then the cluster id.
_CLUSTER_ORDER = "ORDER BY accounts DESC, posts DESC, cluster_id"


def _campaign_having(every: bool) -> str:
    return "" if every else " AND campaign_posts > 0"


def cluster_candidates(
    con: duckdb.DuckDBPyConnection, brand: str, *, every: bool, limit: int
) -> pd.DataFrame:
    """The first `limit` rows of ``agg_clusters`` (every column) for `brand` (``'*'``: all
    brands), in the listing's order; with `every` also clusters without a campaign post."""
    return con.execute(
        f"SELECT * FROM agg_clusters WHERE brand = ?{_campaign_having(every)} "
        f"{_CLUSTER_ORDER} LIMIT {int(limit)}",
        [brand],
    ).df()


def cluster_templates(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> pd.DataFrame:
    """cluster_id, template: the stored text of each cluster id's first post (ids without a
    stored post are left out)."""
    return con.execute(
        "SELECT post_id AS cluster_id, text AS template FROM posts WHERE post_id IN "
        f"({', '.join('?' for _ in ids) or 'NULL'})",
        list(ids),
    ).df()


def clusters_with_templates(
    con: duckdb.DuckDBPyConnection, brand: str, *, every: bool, limit: int
) -> pd.DataFrame:
    """As :func:`cluster_candidates`, only clusters whose first post is stored, each with its
    text as ``template``."""
    return con.execute(
        f"""
            SELECT c.*, t.text AS template
            FROM (SELECT * FROM agg_clusters WHERE brand = ?{_campaign_having(every)}
                  AND cluster_id IN (SELECT post_id FROM posts)) c
            JOIN posts t ON t.post_id = c.cluster_id
            {_CLUSTER_ORDER.replace("BY ", "BY c.").replace(", ", ", c.")} LIMIT {int(limit)}""",
        [brand],
    ).df()


def pair_weeks(con: duckdb.DuckDBPyConnection, where: str = "") -> pd.DataFrame:
    """Co-mentions per Monday-first week and pair, summed from ``agg_pairs``: week, source,
    source_type, source_brand, target, target_type, target_brand, posts, positive, negative
    (in no set order).

    Args:
        con: the store connection.
        where: a condition fragment over ``agg_pairs`` columns (origin, range, post types).
    """
    sql = f"""
        SELECT CAST(date_trunc('week', day) AS DATE) AS week, source, source_type,
               source_brand, target, target_type, target_brand,
               CAST(SUM(posts) AS BIGINT) AS posts, CAST(SUM(positive) AS BIGINT) AS positive,
               CAST(SUM(negative) AS BIGINT) AS negative
        FROM agg_pairs
        WHERE TRUE{where}
        GROUP BY ALL"""
    return con.execute(sql).df()


def product_theme_counts(
    con: duckdb.DuckDBPyConnection, where: str = "", brand: str | None = None
) -> pd.DataFrame:
    """Posts per product, brand, segment, touchpoint, theme and label, summed from
    ``agg_product_themes`` (in no set order).

    Args:
        con: the store connection.
        where: a condition fragment over ``agg_product_themes`` columns (range, origin, post
            types).
        brand: only this brand's products (None: all).
    """
    sql = f"""
        SELECT product, brand, segment, touchpoint, theme, label,
               CAST(SUM(posts) AS BIGINT) AS posts
        FROM agg_product_themes
        WHERE TRUE{where}
          {"AND brand = ?" if brand else ""}
        GROUP BY ALL"""
    return con.execute(sql, [brand] if brand else []).df()
