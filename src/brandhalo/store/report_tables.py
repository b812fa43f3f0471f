"""Reads of the report's small aggregate tables, which the aggregate stage writes with the
engine-neutral SQL of :mod:`brandhalo.engines.sql_report`: ``agg_pairs`` (daily co-mentions
per pair of brands/personas), ``agg_product_themes`` (daily posts per product x segment x
touchpoint x theme x label) and ``agg_clusters`` (one row per campaign cluster and brand), with
the rows' templates (the text of their ``template_id`` post in ``posts``: a brand's row shows
a post naming that brand).

Part of the data-access layer (issue 18): the interplay, pain-point and campaign metrics
(``analytics.interplay``, ``analytics.painpoints``, ``analytics.campaigns``) read them here.
Filters that depend on the question (a date range, the post types counted, the origin) arrive
as *condition fragments*: SQL text starting with `` AND `` over the table's own columns, made
by the analytics helpers, as in :mod:`brandhalo.store.aggregates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pandas as pd

#: The order of the campaign listing: most accounts, then most posts, then the cluster id.
_CLUSTER_ORDER = "ORDER BY accounts DESC, posts DESC, cluster_id"
#: Rank of a post among the posts of one cluster row (`posts`: an alias with ``cluster_id``,
#: ``post_id`` and ``brand``; `created`: one with ``created_at``), engine-neutral SQL: the
#: first is the row's template, the cluster's own first post when the row holds it, else its
#: earliest post (then the lowest id). A brand's row holds only the posts naming the brand,
#: so its template names it (``agg_clusters.template_id``, :mod:`brandhalo.engines.sql_report`).
TEMPLATE_RANK = (
    "ROW_NUMBER() OVER (PARTITION BY {posts}.cluster_id, {posts}.brand ORDER BY CASE WHEN "
    "{posts}.post_id = {posts}.cluster_id THEN 0 ELSE 1 END, {created}.created_at, "
    "{posts}.post_id)"
)
#: A cluster row's template post (rows written before 0017 may lack template_id).
_TEMPLATE_ID = "COALESCE(template_id, cluster_id)"


def _campaign_having(every: bool) -> str:
    return "" if every else " AND campaign_posts > 0"


def _in(ids: Sequence[str]) -> str:
    return f"({', '.join('?' for _ in ids) or 'NULL'})"


def cluster_candidates(
    con: duckdb.DuckDBPyConnection, brand: str, *, every: bool, limit: int
) -> pd.DataFrame:
    """The first `limit` rows of ``agg_clusters`` (every column; ``template_id`` filled) for
    `brand` (``'*'``: all brands), in the listing's order; with `every` also clusters
    without a campaign post."""
    return con.execute(
        f"SELECT * REPLACE ({_TEMPLATE_ID} AS template_id) FROM agg_clusters "
        f"WHERE brand = ?{_campaign_having(every)} {_CLUSTER_ORDER} LIMIT {int(limit)}",
        [brand],
    ).df()


def cluster_templates(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> pd.DataFrame:
    """template_id, template: the stored text of each template post id (ids without a stored
    post are left out; unordered).

    A lookup: ``posts`` has no index on ``post_id``, so its ids are scanned, but only the
    matching rows' text is read, by ``rowid`` (filtered by id alone, DuckDB read the text of
    every post).
    """
    return con.execute(
        "SELECT post_id AS template_id, text AS template FROM posts WHERE rowid IN "
        f"(SELECT rowid FROM posts WHERE post_id IN {_in(ids)})",
        list(ids),
    ).df()


def brand_templates(con: duckdb.DuckDBPyConnection, ids: Sequence[str], brand: str) -> pd.DataFrame:
    """cluster_id, template: for each cluster id, the text of its first post naming `brand`
    (:data:`TEMPLATE_RANK`, over every day: the template ``agg_clusters`` keeps for the
    brand's row); clusters without a stored post naming it are left out."""
    rank = TEMPLATE_RANK.format(posts="m", created="p")
    return con.execute(
        f"""
            SELECT cluster_id, template FROM (
                SELECT m.cluster_id, p.text AS template, {rank} AS pos
                FROM (SELECT e.cluster_id, e.post_id, t.brand
                      FROM enriched e
                      JOIN (SELECT DISTINCT post_id, brand FROM post_targets WHERE brand = ?) t
                        ON t.post_id = e.post_id
                      WHERE e.cluster_id IN {_in(ids)}) m
                JOIN posts p ON p.post_id = m.post_id) x
            WHERE pos = 1""",
        [brand, *ids],
    ).df()


def clusters_with_templates(
    con: duckdb.DuckDBPyConnection, brand: str, *, every: bool, limit: int
) -> pd.DataFrame:
    """As :func:`cluster_candidates`, only clusters whose template post is stored, each with
    its text as ``template``."""
    return con.execute(
        f"""
            SELECT c.*, t.text AS template
            FROM (SELECT * REPLACE ({_TEMPLATE_ID} AS template_id) FROM agg_clusters
                  WHERE brand = ?{_campaign_having(every)}
                  AND {_TEMPLATE_ID} IN (SELECT post_id FROM posts)) c
            JOIN posts t ON t.post_id = c.template_id
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


def persona_top_post(
    con: duckdb.DuckDBPyConnection, brand: str, where: str = ""
) -> dict[str, Any] | None:
    """The original post naming a persona of `brand` and no product of it (a "persona only"
    post of the persona share of voice, ``agg_brand_posts.persona_only``) with the most
    engagement (likes + reposts + comments; of equal ones the earliest, then the lowest id):
    ``post_id``, ``text``, ``author`` (its name, else its id), ``created_at`` (naive UTC, as
    stored), ``url`` and ``engagement``; None when there is none.

    Args:
        con: the store connection.
        brand: the configured brand whose personas count.
        where: a condition fragment over ``e.`` columns of ``enriched`` (range, origin, post
            types).
    """
    row = con.execute(
        f"""
        WITH named AS (
            SELECT DISTINCT t.post_id FROM post_targets t
            WHERE t.target_type = 'persona' AND t.brand = $brand
              AND NOT EXISTS (SELECT 1 FROM post_targets q WHERE q.post_id = t.post_id
                              AND q.target_type = 'product' AND q.brand = $brand)),
        kept AS (
            SELECT DISTINCT e.post_id FROM enriched e JOIN named n ON n.post_id = e.post_id
            WHERE e.is_repost = FALSE{where})
        SELECT p.post_id, p.text, COALESCE(NULLIF(p.author_name, ''), p.author_id) AS author,
               p.created_at, p.url,
               COALESCE(p.likes, 0) + COALESCE(p.reposts, 0) + COALESCE(p.comments, 0)
                   AS engagement
        FROM posts p JOIN kept k ON k.post_id = p.post_id
        ORDER BY engagement DESC, p.created_at, p.post_id
        LIMIT 1""",
        {"brand": brand},
    ).fetchone()
    if row is None:
        return None
    keys = ("post_id", "text", "author", "created_at", "url", "engagement")
    return dict(zip(keys, row, strict=True))


#: Candidates per product that :func:`product_texts` filters, as a multiple of its `limit`.
CANDIDATES = 3


def product_texts(
    con: duckdb.DuckDBPyConnection,
    products: Sequence[str],
    segment: str | None = None,
    where: str = "",
    *,
    limit: int = 3000,
    labels: Sequence[int] | None = None,
) -> pd.DataFrame:
    """product, text, label (the post's label for the product, else its overall label) of up
    to `limit` original posts naming each of `products`: per product the posts with the
    smallest (hash of the id, id), in that order (a fixed pseudo-random sample).

    The pain terms' read (``analytics.painpoints``). The posts are picked from the ids alone,
    by a top-N aggregate (DuckDB's ``min(x, n)``), and only the picked posts' text is read.
    The pick starts from ``post_targets`` alone: per product its ``CANDIDATES * limit``
    smallest (hash, id) rows, of which the filters (original post, segment, `where`) keep
    some; the first `limit` kept are the product's sample, as every other row sorts after
    them. A product whose candidates leave fewer than `limit` posts while it has more rows
    (a short range, a rare segment) is picked from all its rows, joined with ``enriched``
    (at 10M posts joining every product row cost 0.6 CPU-s more than the candidates).

    Args:
        con: the store connection.
        products: the product targets.
        segment: only posts of this segment (None: all).
        where: a condition fragment over ``e.`` columns (range, origin, post types).
        limit: how many posts at most per product.
        labels: only the picked posts with one of these labels are returned (None: all);
            the pick is the same.
    """
    n, cand = int(limit), int(limit) * CANDIDATES
    filters = f"e.is_repost = FALSE {'AND e.segment = ?' if segment else ''}{where}"
    seg: list[object] = [segment] if segment else []
    picks = con.execute(
        f"""
        WITH c AS (
            SELECT t.target AS product, count(*) AS n_all,
                   min({{'h': hash(t.post_id), 'id': t.post_id, 'label': t.label}}, {cand}) AS keys
            FROM post_targets t
            WHERE t.target_type = 'product' AND list_contains(?, t.target)
            GROUP BY t.target
        ), cs AS (SELECT product, n_all, unnest(keys, recursive := true) FROM c)
        SELECT cs.product, any_value(cs.n_all) AS n_all, count(e.post_id) AS kept,
               min({{'h': cs.h, 'id': cs.id, 'label': COALESCE(cs.label, e.label)}}, {n})
                   FILTER (WHERE e.post_id IS NOT NULL) AS keys
        FROM cs LEFT JOIN enriched e ON e.post_id = cs.id AND {filters}
        GROUP BY cs.product""",
        [list(products), *seg],
    ).fetchall()
    keys = {p: k or [] for p, n_all, kept, k in picks if n_all <= cand or kept >= n}
    slow = sorted({p for p, *_ in picks} - keys.keys())
    if slow:
        keys.update(con.execute(
            f"""
            SELECT t.target AS product,
                   min({{'h': hash(e.post_id), 'id': e.post_id,
                         'label': COALESCE(t.label, e.label)}}, {n}) AS keys
            FROM post_targets t JOIN enriched e ON e.post_id = t.post_id
            WHERE t.target_type = 'product' AND list_contains(?, t.target) AND {filters}
            GROUP BY t.target""",
            [slow, *seg],
        ).fetchall())  # fmt: skip
    wanted = None if labels is None else set(labels)
    rows = [(p, k["id"], k["label"]) for p in sorted(keys) for k in keys[p]
            if wanted is None or k["label"] in wanted]  # fmt: skip
    return con.execute(
        """
        WITH s AS (SELECT unnest(?) AS product, unnest(?) AS id,
                          CAST(unnest(?) AS TINYINT) AS label, unnest(range(?)) AS pos)
        SELECT s.product, p.text, s.label
        FROM s JOIN posts p ON p.post_id = s.id
        ORDER BY s.pos""",
        [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], len(rows)],
    ).df()
