"""The report's small aggregate tables, written once as engine-neutral SQL (issue 19).

The co-mention and pain-point sections of the report grouped the per-post tables
(``enriched``, ``post_targets``, ``post_themes``) each time a report was built: seconds at 10M
posts. The aggregate stage now writes those groupings per local day, with origin and post type
as dimensions (readers filter on both, as they do on ``agg_daily``), and readers sum the days
of their window:

* ``agg_pairs`` (:func:`brandhalo.analytics.interplay.co_mentions_weekly`): original posts
  naming two brands or personas (a product counts as its brand, with that brand's type:
  :data:`brandhalo.store.enriched.NAMED_TARGETS_SQL`; two products of one brand are no pair),
  per day x pair (``source < target`` by name) x origin x post type: posts, positive,
  negative.
* ``agg_product_themes`` (:func:`brandhalo.analytics.painpoints.theme_points`): original posts
  naming a product that a theme matched, per day x product (and its brand) x segment x
  touchpoint x theme x label (the theme's own clauses' label, ``post_themes.label``, else the
  product target's, else the post's) x origin x post type: distinct posts.

* ``agg_brand_posts`` (:func:`brandhalo.analytics.opinion.controversy_load`,
  :func:`brandhalo.analytics.founder.persona_share`): original posts per day x brand x theme
  key (the post's theme/touchpoint pairs as one string, as in ``post_facts``) x label (the
  post's) x ``persona_only`` (names a persona of the brand and no product of it) x ``about``
  (names the brand, a competitor, a persona or a product of it) x origin x post type, summed from
  ``post_facts`` (one row per post and brand): a post counts once per brand, and which theme
  keys hold a controversy theme is decided by the reader (the themes are configuration).

* ``agg_clusters`` (:func:`brandhalo.analytics.campaigns.campaign_clusters` over all days):
  per near-duplicate cluster and brand named by its posts (``'*'``: all its posts), over all
  days: posts, distinct accounts (an official account's posts are one, and so is a screen
  name posting the cluster on two sources: :func:`brandhalo.store.origin.account_sql`),
  campaign or official posts, first and last ``created_at``,
  and ``template_id``: the post whose text the listing shows (:data:`TEMPLATE_RANK`: the
  cluster's first post, or for a brand whose posts do not include it, the brand's earliest
  post of the cluster, so a brand's listing never shows another brand's copy); only clusters
  posted by two accounts or more (the others are never listed).

A post has one local day, origin and post type, so the sum over a window's days equals the
grouping of the window's posts (distinct posts included). Cluster rows cover every day of
their cluster: a run replaces the rows of the clusters its touched days' posts belong to.
Both engines run :func:`report_sql`: DuckDB (:mod:`brandhalo.engines.local`) replaces the
rows of the days it re-aggregates, Spark writes every day and
:mod:`brandhalo.engines.spark_store` loads them.
Migrations ``0014_report_aggregates.sql``, ``0015_report_clusters.sql``,
``0016_report_brand_posts.sql``, ``0017_report_cluster_templates.sql``,
``0021_report_theme_labels.sql``, ``0022_report_product_pairs.sql`` and
``0029_report_cluster_accounts.sql`` build them for stores analyzed before they existed (or
before their cluster accounts counted an official account once).
Only constructs both engines share are used (see :mod:`brandhalo.engines.sql`).
"""

from __future__ import annotations

from brandhalo.engines.sql import day_filter
from brandhalo.store.enriched import NAMED_TARGETS_SQL
from brandhalo.store.origin import account_sql
from brandhalo.store.report_tables import TEMPLATE_RANK

#: Key columns of each table, in table order (the measures follow).
PAIR_KEYS = (
    "day", "source", "source_type", "source_brand", "target", "target_type", "target_brand",
    "origin", "post_type",
)  # fmt: skip
PRODUCT_THEME_KEYS = (
    "day", "product", "brand", "segment", "touchpoint", "theme", "label", "origin", "post_type",
)  # fmt: skip
BRAND_POST_KEYS = (
    "day", "brand", "theme_key", "label", "persona_only", "about", "origin", "post_type",
)  # fmt: skip
CLUSTER_KEYS = ("cluster_id", "brand")
#: table -> (keys, measures), in the order the aggregate stage writes them.
REPORT_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "agg_pairs": (PAIR_KEYS, ("posts", "positive", "negative")),
    "agg_product_themes": (PRODUCT_THEME_KEYS, ("posts",)),
    "agg_brand_posts": (BRAND_POST_KEYS, ("posts",)),
    "agg_clusters": (
        CLUSTER_KEYS,
        ("posts", "accounts", "campaign_posts", "first_seen", "last_seen", "template_id"),
    ),
}
#: The report tables keyed by day (the others are replaced per cluster).
DAILY_TABLES = ("agg_pairs", "agg_product_themes", "agg_brand_posts")
#: Brand value of a cluster's row over all its posts.
ANY_BRAND = "*"
#: The clusters whose rows an incremental run replaces (those of the touched days' posts).
TOUCHED_CLUSTERS_SQL = (
    "SELECT DISTINCT cluster_id FROM enriched WHERE cluster_id IS NOT NULL "
    "AND day IN (SELECT day FROM agg_touched_days)"
)

# one row per post and brand/persona it names, a product as its brand (named twice: once)
_NAMED = NAMED_TARGETS_SQL


def columns(table: str) -> tuple[str, ...]:
    """The columns of a report table in table order (keys, then measures)."""
    keys, measures = REPORT_TABLES[table]
    return (*keys, *measures)


def report_sql(
    table: str,
    *,
    incremental: bool,
    span: tuple[str, str] | None = None,
    span_exact: bool = False,
) -> str:
    """The SELECT of one report table's rows, columns in :func:`columns` order.

    Args:
        table: a key of :data:`REPORT_TABLES`.
        incremental: only the local days listed in ``agg_touched_days(day)``.
        span: first and last touched day (ISO), so the engine can skip row groups.
        span_exact: every day of `span` is touched: the range alone selects the rows.

    Example:
        >>> "agg_touched_days" in report_sql("agg_pairs", incremental=True)
        True
    """
    days = day_filter("e.", incremental, span, span_exact)
    if table == "agg_pairs":
        return _pairs_sql(days, incremental)
    if table == "agg_product_themes":
        return _product_themes_sql(days)
    if table == "agg_brand_posts":
        return _brand_posts_sql(day_filter("f.", incremental, span, span_exact))
    if table == "agg_clusters":
        return _clusters_sql(incremental)
    raise KeyError(f"no report table {table!r}; one of {', '.join(REPORT_TABLES)}")


def _pairs_sql(days: str, incremental: bool) -> str:
    # incremental: the targets of the touched days' originals only (no scan-wide self-join)
    ids = (
        f" AND post_id IN (SELECT e.post_id FROM enriched e WHERE e.is_repost = FALSE{days})"
        if incremental
        else ""
    )
    named = _NAMED.format(ids=ids.replace("\n", " "))
    # the named targets once, joined with themselves (a CTE: not computed per side)
    return f"""
WITH named AS ({named})
SELECT day, source, source_type, source_brand, target, target_type, target_brand, origin,
       post_type, COUNT(*) AS posts, CAST(SUM(positive) AS BIGINT) AS positive,
       CAST(SUM(negative) AS BIGINT) AS negative
FROM (SELECT e.day, a.target AS source, a.target_type AS source_type,
             a.brand AS source_brand, b.target AS target, b.target_type AS target_type,
             b.brand AS target_brand, COALESCE(e.origin, 'organic') AS origin,
             COALESCE(e.post_type, 'post') AS post_type,
             CASE WHEN e.label = 1 THEN 1 ELSE 0 END AS positive,
             CASE WHEN e.label = -1 THEN 1 ELSE 0 END AS negative
      FROM named a
      JOIN named b ON a.post_id = b.post_id AND a.target < b.target
      JOIN enriched e ON e.post_id = a.post_id
      WHERE e.is_repost = FALSE{days}) x
GROUP BY day, source, source_type, source_brand, target, target_type, target_brand, origin,
         post_type""".strip()


def _product_themes_sql(days: str) -> str:
    return f"""
SELECT day, product, brand, segment, touchpoint, theme, label, origin, post_type,
       COUNT(DISTINCT post_id) AS posts
FROM (SELECT e.day, t.target AS product, t.brand, COALESCE(e.segment, '(none)') AS segment,
             h.touchpoint, h.theme,
             CAST(COALESCE(h.label, t.label, e.label) AS INTEGER) AS label,
             COALESCE(e.origin, 'organic') AS origin,
             COALESCE(e.post_type, 'post') AS post_type, e.post_id
      FROM post_targets t
      JOIN enriched e ON e.post_id = t.post_id
      JOIN post_themes h ON h.post_id = e.post_id
      WHERE t.target_type = 'product' AND e.is_repost = FALSE{days}) x
GROUP BY day, product, brand, segment, touchpoint, theme, label, origin, post_type""".strip()


def _brand_posts_sql(days: str) -> str:
    return f"""
SELECT day, brand, theme_key, label, persona_only, about, origin, post_type,
       COUNT(*) AS posts
FROM (SELECT f.day, f.brand, f.theme_key, f.label,
             CASE WHEN f.l_persona IS NOT NULL AND f.l_product IS NULL THEN 1 ELSE 0 END
               AS persona_only,
             CASE WHEN f.l_brand IS NOT NULL OR f.l_competitor IS NOT NULL
                  OR f.l_persona IS NOT NULL OR f.l_product IS NOT NULL THEN 1 ELSE 0 END
               AS about,
             f.origin, f.post_type
      FROM post_facts f
      WHERE f.is_repost = FALSE{days}) x
GROUP BY day, brand, theme_key, label, persona_only, about, origin, post_type""".strip()


def _clusters_sql(incremental: bool) -> str:
    # incremental: every post of the clusters in agg_touched_clusters (any day)
    touched = (
        " AND c.cluster_id IN (SELECT cluster_id FROM agg_touched_clusters)" if incremental else ""
    )
    # only clusters posted by two accounts or more can pass the HAVING below (a brand's posts
    # are some of its cluster's): most clusters are one post, left out before the join and the
    # ranking. MIN < MAX: two distinct non-null authors, as COUNT(DISTINCT) >= 2 counts them.
    only = (
        " AND e.cluster_id IN (SELECT c.cluster_id FROM enriched c WHERE c.cluster_id IS NOT "
        f"NULL{touched} GROUP BY c.cluster_id HAVING MIN(c.author_id) < MAX(c.author_id))"
    )
    # each post's account over all the cluster's posts (an official account's posts are one
    # account, and so is a screen name posting the cluster on two sources: account_sql)
    account = account_sql("e.origin", "e.author_id", "e.cluster_id", ("p.author_name", "p.source"))
    return f"""
WITH a AS (SELECT e.cluster_id, e.post_id, {account} AS author_id, e.origin, p.created_at
           FROM enriched e JOIN posts p ON p.post_id = e.post_id
           WHERE e.cluster_id IS NOT NULL{only})
SELECT cluster_id, brand, COUNT(*) AS posts, COUNT(DISTINCT author_id) AS accounts,
       CAST(SUM(CASE WHEN origin IN ('campaign', 'official') THEN 1 ELSE 0 END) AS BIGINT)
         AS campaign_posts,
       MIN(created_at) AS first_seen, MAX(created_at) AS last_seen,
       MAX(CASE WHEN pos = 1 THEN post_id END) AS template_id
FROM (SELECT m.cluster_id, m.post_id, m.author_id, m.origin, m.brand, m.created_at,
             {TEMPLATE_RANK.format(posts="m", created="m")} AS pos
      FROM (SELECT DISTINCT a.cluster_id, a.post_id, a.author_id, a.origin, a.created_at,
                   t.brand
            FROM a JOIN post_targets t ON t.post_id = a.post_id
            UNION ALL
            SELECT a.cluster_id, a.post_id, a.author_id, a.origin, a.created_at,
                   '{ANY_BRAND}' AS brand
            FROM a) m) x
GROUP BY cluster_id, brand
HAVING COUNT(DISTINCT author_id) >= 2""".strip()
