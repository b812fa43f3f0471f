"""Metric reads over the per-post enrichment (``enriched``, ``post_targets``,
``post_themes``, with the posts' ``created_at`` and ``text`` from ``posts``), where a post must
be counted once across its targets or themes, or its time or text is needed, and the
aggregates (:mod:`brandhalo.store.aggregates`, :mod:`brandhalo.store.report_tables`) cannot
answer.

Part of the data-access layer (issue 18). Condition fragments (SQL text starting with
`` AND `` over ``e.`` columns: a date range, the post types counted) come from the analytics
helpers, as in :mod:`brandhalo.store.aggregates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb

from brandhalo.store.origin import account_sql

if TYPE_CHECKING:
    import pandas as pd


#: One row per post and brand, competitor or persona it names (metric 18's co-mentions), a
#: product counted as its brand: ``target`` the brand, ``target_type`` the brand's (``brand``
#: where analysis stored that brand as the own one, else ``competitor``: the config's split,
#: as the brand's own rows carry it), so a post naming Xiaomi and the SU7 names Xiaomi once
#: and two products of one brand are no pair. ``{ids}``: a condition fragment on ``post_id``.
#: Engine-neutral (the aggregate stage's ``agg_pairs``, :mod:`brandhalo.engines.sql_report`).
NAMED_TARGETS_SQL = (
    "SELECT DISTINCT t.post_id, "
    "CASE WHEN t.target_type = 'product' THEN t.brand ELSE t.target END AS target, "
    "CASE WHEN t.target_type <> 'product' THEN t.target_type "
    "WHEN o.own IS NOT NULL THEN 'brand' ELSE 'competitor' END AS target_type, t.brand "
    "FROM post_targets t LEFT JOIN (SELECT DISTINCT target AS own FROM post_targets "
    "WHERE target_type = 'brand') o ON o.own = t.brand AND t.target_type = 'product' "
    "WHERE TRUE{ids}"
)


def co_mention_edges(
    con: duckdb.DuckDBPyConnection, where: str = "", brand: str | None = None
) -> pd.DataFrame:
    """Pairs of targets (brands, competitors, personas; a product counts as its brand:
    :data:`NAMED_TARGETS_SQL`) named by the same original post: source, source_type, target,
    target_type, posts, positive, negative; most posts first.

    Args:
        con: the store connection.
        where: a condition fragment over ``e.`` columns (range, post types).
        brand: only pairs where one side belongs to this brand (None: all).
    """
    named = NAMED_TARGETS_SQL.format(ids="")
    sql = f"""
        SELECT a.target AS source, a.target_type AS source_type, b.target AS target,
               b.target_type AS target_type, COUNT(*) AS posts,
               SUM(CASE WHEN e.label = 1 THEN 1 ELSE 0 END) AS positive,
               SUM(CASE WHEN e.label = -1 THEN 1 ELSE 0 END) AS negative
        FROM ({named}) a
        JOIN ({named}) b
          ON a.post_id = b.post_id AND a.target < b.target
        JOIN enriched e ON e.post_id = a.post_id
        WHERE e.is_repost = FALSE{where}
          {"AND (a.brand = ? OR b.brand = ?)" if brand else ""}
        GROUP BY 1, 2, 3, 4 ORDER BY posts DESC"""
    return con.execute(sql, [brand, brand] if brand else []).df()


def origins_of(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, str]:
    """The stored origin (``enriched.origin``) of each of `ids` that has one, by id
    (``enriched`` read by its key)."""
    if not ids:
        return {}
    rows = con.execute(
        "SELECT post_id, origin FROM enriched WHERE origin IS NOT NULL "
        "AND post_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(ids)],
    ).fetchall()
    return {str(i): str(o) for i, o in rows}


def campaign_clusters(
    con: duckdb.DuckDBPyConnection,
    where: str = "",
    brand: str | None = None,
    *,
    every: bool = False,
    limit: int = 20,
) -> pd.DataFrame:
    """Near-duplicate clusters posted by 2+ accounts (:func:`brandhalo.store.origin.
    account_sql`: an official account, or one screen name on two sources, is one account),
    from the posts: cluster_id, posts, accounts, campaign_posts (origin campaign or official), first_seen, last_seen (UTC
    ``created_at``), template (the text of the cluster's first post); most accounts first.

    Args:
        con: the store connection.
        where: a condition fragment over ``e.`` columns (a range of ``e.day``).
        brand: only posts naming this brand (None: all).
        every: also clusters with no campaign post.
        limit: how many clusters.
    """
    params: list[object] = []
    if brand is not None:
        where += " AND e.post_id IN (SELECT post_id FROM post_targets WHERE brand = ?)"
        params.append(brand)
    having = "" if every else " AND campaign_posts > 0"
    # an official account's posts are one account, and so is a screen name posting the
    # cluster on two sources (brandhalo.store.origin.account_sql)
    account = account_sql("e.origin", "e.author_id", "e.cluster_id", ("p.author_name", "p.source"))
    sql = f"""
        WITH m AS (
            SELECT e.cluster_id, e.post_id, {account} AS author_id, e.origin, p.created_at
            FROM enriched e JOIN posts p ON p.post_id = e.post_id
            WHERE e.cluster_id IS NOT NULL{where}
        ), c AS (
            SELECT cluster_id, count(*) AS posts, count(DISTINCT author_id) AS accounts,
                   count(*) FILTER (WHERE origin IN ('campaign', 'official')) AS campaign_posts,
                   min(created_at) AS first_seen, max(created_at) AS last_seen
            FROM m GROUP BY cluster_id
        )
        SELECT c.cluster_id, t.text AS template, c.posts, c.accounts, c.campaign_posts,
               c.first_seen, c.last_seen
        FROM c JOIN posts t ON t.post_id = c.cluster_id
        WHERE c.accounts >= 2{having}
        ORDER BY c.accounts DESC, c.posts DESC, c.cluster_id LIMIT {int(limit)}"""
    return con.execute(sql, params).df()


def count_authorless(
    con: duckdb.DuckDBPyConnection, where: str = "", brand: str | None = None
) -> int:
    """How many enriched posts (naming `brand`, if given) have no author id.

    Args:
        con: the store connection.
        where: a condition fragment over ``e.`` columns (a date range).
        brand: only posts that name this brand (None: all).
    """
    params: list[object] = []
    if brand is not None:
        where += " AND e.post_id IN (SELECT post_id FROM post_targets WHERE brand = ?)"
        params.append(brand)
    sql = f"SELECT count(*) FROM enriched e WHERE coalesce(e.author_id, '') = ''{where}"
    return int(con.execute(sql, params).fetchall()[0][0])
