"""Campaign clusters: near-duplicate templates posted by many accounts (``brandhalo campaigns``).

Reads the clusters the enrich stage stored (``enriched.cluster_id``, :mod:`brandhalo.text.
neardup`) with their origin (:mod:`brandhalo.text.origin`): per cluster its template (the text
of its first post; for one brand, of its first post naming the brand, so a template reused by
two brands shows each brand its own copy), how many posts and accounts, when it was first and
last seen (UTC), and how many of its posts are campaign or official copy (for one brand: of
the posts naming it).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from brandhalo.analytics._common import check_brand, range_sql
from brandhalo.store import enriched, report_tables
from brandhalo.workspace import Workspace

COLUMNS = (
    "cluster_id", "template", "posts", "accounts", "campaign_posts", "first_seen", "last_seen",
)  # fmt: skip


def campaign_clusters(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    limit: int = 20,
    every: bool = False,
) -> pd.DataFrame:
    """The largest campaign clusters (most accounts first), optionally of one brand.

    Args:
        ws: the workspace (after ``brandhalo analyze``).
        brand: only posts naming this brand (its name or an alias).
        since, until: local days of the cluster's posts.
        limit: how many clusters.
        every: also clusters with no campaign post (organic copy-paste, 2+ accounts).
    """
    b = check_brand(ws, brand)
    if since is None and until is None and _aggregated(ws):  # the aggregate's totals (issue 19)
        return _all_days(ws, b, limit, every)
    df = enriched.campaign_clusters(
        ws.store.con, range_sql(since, until, "e.day"), b, every=every, limit=limit
    )
    if b is not None and len(df):  # the brand's own copy, as agg_clusters keeps it
        own = report_tables.brand_templates(ws.store.con, df["cluster_id"].tolist(), b)
        df["template"] = df["cluster_id"].map(own.set_index("cluster_id")["template"])
    return df[list(COLUMNS)].reset_index(drop=True)


def first_post_origins(ws: Workspace, cluster_ids: list[str]) -> dict[str, str]:
    """The stored origin (``enriched.origin``) of each cluster's first post (its id is the
    cluster id), by cluster id; ids without an enriched origin are left out. The report lists
    a cluster whose first post is the brand's official statement (an apology reposted by many
    accounts) apart from the campaign templates."""
    return enriched.origins_of(ws.store.con, list(dict.fromkeys(cluster_ids)))


def authorless_posts(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> int:
    """How many enriched posts (of one brand, in local days) have no author: their copies
    cannot be counted by account, so they are in no cluster :func:`campaign_clusters` lists."""
    from brandhalo.store.enriched import count_authorless

    b = check_brand(ws, brand)
    return count_authorless(ws.store.con, range_sql(since, until, "e.day"), b)


def _aggregated(ws: Workspace) -> bool:
    """Whether the aggregate stage has seen every enriched day as it is now (else, e.g. after
    ``enrich`` alone, ``agg_clusters`` may lag and the posts are read instead)."""
    from brandhalo.engines.sql import touched_days_sql

    rows = ws.store.con.execute(f"SELECT count(*) FROM ({touched_days_sql()})").fetchall()
    return not rows[0][0]


def _all_days(ws: Workspace, brand: str | None, limit: int, every: bool) -> pd.DataFrame:
    """:func:`campaign_clusters` over every day, from ``agg_clusters`` (one row per cluster
    posted by 2+ accounts and brand its posts name, ``'*'`` for all of them:
    :mod:`brandhalo.engines.sql_report`).

    A cluster is listed when its row's template post is stored (``template_id``: for a brand,
    its first post naming the brand): the templates of the first ``limit`` + 20 candidates
    are read by id, and every candidate is checked against ``posts`` only when too few of
    those have one.
    """
    con = ws.store.con
    cand = report_tables.cluster_candidates(con, brand or "*", every=every, limit=limit + 20)
    texts = report_tables.cluster_templates(con, cand["template_id"].tolist())
    df = cand.merge(texts, on="template_id", how="inner").head(limit)
    if len(df) < limit and len(cand) == limit + 20:  # missing templates, more candidates
        df = report_tables.clusters_with_templates(con, brand or "*", every=every, limit=limit)
    return df[list(COLUMNS)].reset_index(drop=True)


MIX_COLUMNS = ("brand", "period", "origin", "posts", "share", "ns")


def origin_mix(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str = "day",
) -> pd.DataFrame:
    """Posts per brand x period x origin (organic, campaign, news, official), every origin.

    ``share`` is the origin's part of the brand's posts in the period and ``ns`` its net
    sentiment (P - N) / n: campaign copy next to organic opinion, per brand over time.

    Args:
        ws: the workspace (after ``brandhalo analyze``).
        brand: one brand (name or alias); None: every tracked brand.
        since, until: local days.
        freq: day, week or month.
    """
    from brandhalo.analytics._common import brand_names
    from brandhalo.analytics.opinion import slices

    b = check_brand(ws, brand)
    df = slices(ws, brand=b, since=since, until=until, freq=freq, by=("origin",), origin="all")
    df = df[df["brand"].isin(set(brand_names(ws)))].copy()
    df["origin"] = df["origin"].fillna("organic")
    total = df.groupby(["brand", "period"])["posts"].transform("sum")
    df["share"] = (df["posts"] / total.where(total > 0)).astype(float)
    n = df["posts"].where(df["posts"] > 0)
    df["ns"] = ((df["positive"] - df["negative"]) / n).astype(float)
    return df[list(MIX_COLUMNS)].reset_index(drop=True)
