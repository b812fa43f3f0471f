"""The cluster rule of the origin stage on the store: ``campaign_pending`` (the clusters a
run's posts joined), and the origin columns of ``enriched`` and ``post_facts`` it rewrites
(see :mod:`brandhalo.text.origin`).

Part of the data-access layer (issue 18). :func:`campaign_clusters_sql`,
:func:`own_evidence_sql` and :func:`cluster_evidence_sql` are engine-neutral SQL, run by
DuckDB here (:func:`mark_campaigns`) and by the Spark engine
(:mod:`brandhalo.engines.spark_origin`) alike. The enrich writer notes the clusters of each
batch (:func:`add_pending`, on a view it registers) in the chunk's transaction and applies the
rule once per run (:func:`count_pending`, :func:`mark_campaigns`, :func:`clear_pending`) in a
transaction of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

#: Store table of the clusters a run's posts joined, waiting for the cluster rule (0013).
PENDING = "campaign_pending"
#: Evidence names that make a cluster's copy promotional (see campaign_clusters_sql): promo
#: words, a call to action, an ``@`` of an official account beside them, and a disclosure (a
#: member labelled ``赞助`` or ``#品牌合作`` shows what its unlabelled copies are).
PROMO_SIGNALS = ("promo", "call_to_action", "official_mention", "disclosure")
#: The origins the cluster rule gives (``brandhalo.config.ORIGINS``' first two; the store
#: layer does not import config).
ORGANIC, CAMPAIGN = "organic", "campaign"
#: A template posted by this many times ``campaign_min_accounts`` distinct accounts in all is a
#: campaign whenever they posted it (see :func:`campaign_clusters_sql`).
LONG_RUN_FACTOR = 2
#: A burst of near-identical copy by this many times ``campaign_min_accounts`` distinct
#: accounts within ``campaign_window_hours`` is a campaign with only a few promotional members
#: (:data:`BURST_MIN_PROMO`, one in :data:`BURST_PROMO_SHARE`; see :func:`campaign_clusters_sql`).
BURST_FACTOR = 2
#: The fewest promotional posts, and the share (one in this many posts), a burst needs.
BURST_MIN_PROMO = 2
BURST_PROMO_SHARE = 10
#: Start of the evidence of a post the cluster rule made ``campaign``.
CLUSTER_EVIDENCE = '["cluster:'


def account_sql(
    origin: str = "e.origin",
    author_id: str = "e.author_id",
    cluster: str = "e.cluster_id",
    named: tuple[str, str] | None = None,
) -> str:
    """SQL (DuckDB and Spark): the account a cluster's post counts for when clusters count
    accounts (the cluster rule, ``brandhalo campaigns``, the report's clusters), over the
    rows of a query that holds every post of each cluster it reads.

    The official accounts' posts of a cluster (``origin = 'official'``) are one account, the
    lowest of their author ids: a brand posting its statement on 小红书 and 抖音 (two platform
    ids) is one account, not "copied by 2 accounts". With `named` (``(author_name, source)``
    columns, in a query that has the posts' screen names), the posts of a screen name that
    posts the cluster on two or more sources are one account, the lowest of their ids: a
    creator posting the same note on two platforms. Else the post's author id; NULL without
    one. An account is always one of the cluster's author ids, so merging only ever lowers a
    cluster's count of accounts (``COUNT(DISTINCT ...)``).

    Example:
        >>> "PARTITION BY c" in account_sql("o", "a", "c")
        True
    """
    first_official = f"MIN(CASE WHEN {origin} = 'official' THEN {author_id} END)"
    out = (
        f"CASE WHEN {author_id} IS NULL THEN NULL "
        f"WHEN {origin} = 'official' THEN {first_official} OVER (PARTITION BY {cluster}) "
    )
    if named is not None:
        name, source = named
        # min < max: two sources (a DISTINCT count over a window is none Spark runs)
        over = f"OVER (PARTITION BY {cluster}, {name})"
        out += (
            f"WHEN {name} IS NOT NULL AND {name} <> '' "
            f"AND MIN({source}) {over} < MAX({source}) {over} THEN MIN({author_id}) {over} "
        )
    return out + f"ELSE {author_id} END"


def campaign_clusters_sql(min_accounts: int, window_hours: float, clusters: str) -> str:
    """SQL: the clusters of table `clusters` (``cluster_id``) that are campaign templates.

    A cluster is a campaign when its posts (all of them, ``enriched``) are copy, not opinion,
    under a fifth of them negative (many accounts copying one *complaint* in a crisis is
    organic opinion, never a campaign), and either

    * at least half carry promotional copy (:data:`PROMO_SIGNALS`: promo words, a call to
      action, an ``@`` of an official account beside them, a disclosure) and many accounts
      posted it: at least `min_accounts` distinct authors within some `window_hours` (a burst,
      whenever it happens: the window slides over the posts' hours, ``enriched.hour``), or at
      least :data:`LONG_RUN_FACTOR` times `min_accounts` in all (a template that influencers
      post a few times a month for a year never bursts); or
    * a big burst: at least :data:`BURST_FACTOR` times `min_accounts` distinct authors within
      some `window_hours`, with promotional copy in some of its posts (at least
      :data:`BURST_MIN_PROMO`, and one in :data:`BURST_PROMO_SHARE`). A seeding wave whose
      creators each drop or reword the promo line is still one paid template; a copy-paste
      with no promotional word at all (``排队``, a quoted headline, a meme) stays organic
      however many accounts post it (``brandhalo campaigns --all`` lists it).

    Columns: cluster_id, accounts (distinct authors of all its posts; an official account's
    posts are one account, :func:`account_sql`), posts.

    Only clusters that may pass by a burst slide the window (a join of their distinct
    author-hours with themselves): half promotional with at least `min_accounts` authors and
    fewer than the long-run threshold, or a few promotional with at least the big burst's.
    """
    secs = int(window_hours * 3600)
    least, long_run = int(min_accounts), LONG_RUN_FACTOR * int(min_accounts)
    burst = BURST_FACTOR * int(min_accounts)
    promo = " OR ".join(f"e.origin_evidence LIKE '%\"{s}\"%'" for s in PROMO_SIGNALS)
    return f"""
WITH m AS (
  SELECT e.cluster_id, {account_sql()} AS author_id, e.hour,
         CASE WHEN {promo} THEN 1 ELSE 0 END AS promo,
         CASE WHEN e.label = -1 THEN 1 ELSE 0 END AS neg
  FROM enriched e WHERE e.cluster_id IN (SELECT cluster_id FROM {clusters})),
c AS (
  SELECT cluster_id, count(DISTINCT author_id) AS accounts, count(*) AS posts,
         sum(promo) AS promo, sum(neg) AS neg
  FROM m GROUP BY cluster_id),
t AS (
  SELECT cluster_id, accounts, posts,
         CASE WHEN 2 * promo >= posts THEN {least} ELSE {burst} END AS need,
         CASE WHEN 2 * promo >= posts THEN 1 ELSE 0 END AS half
  FROM c
  WHERE accounts >= {least} AND 5 * neg < posts
    AND (2 * promo >= posts OR (accounts >= {burst} AND promo >= {BURST_MIN_PROMO}
                                AND {BURST_PROMO_SHARE} * promo >= posts))),
a AS (
  SELECT DISTINCT m.cluster_id, m.author_id, m.hour, t.need
  FROM m JOIN t ON t.cluster_id = m.cluster_id
  WHERE (t.half = 0 OR t.accounts < {long_run}) AND m.author_id IS NOT NULL),
w AS (
  SELECT s.cluster_id
  FROM (SELECT DISTINCT cluster_id, hour FROM a) s
  JOIN a ON a.cluster_id = s.cluster_id AND a.hour >= s.hour
        AND a.hour <= s.hour + INTERVAL {secs} SECOND
  GROUP BY s.cluster_id, s.hour
  HAVING count(DISTINCT a.author_id) >= max(a.need))
SELECT cluster_id, accounts, posts FROM t
WHERE (half = 1 AND accounts >= {long_run}) OR cluster_id IN (SELECT cluster_id FROM w)""".strip()


def own_evidence_sql(evidence: str) -> str:
    """SQL (DuckDB and Spark): evidence column `evidence` without the cluster rule's entry.

    The rule writes ``["cluster:N accounts", <the post's own signals>]``; this gives back
    ``[<the post's own signals>]`` (unchanged for any other evidence), so the rule can be
    evaluated again on a cluster that grew.
    """
    ev = f"coalesce({evidence}, '[]')"
    rest = f"substr({ev}, instr({ev}, ' accounts\"') + 10)"  # ']' or ', "promo", ...]'
    return (
        f"CASE WHEN {ev} LIKE '{CLUSTER_EVIDENCE}%' THEN "
        f"CASE WHEN {rest} = ']' THEN '[]' ELSE '[' || substr({rest}, 3) END ELSE {ev} END"
    )


def cluster_evidence_sql(accounts: str, evidence: str) -> str:
    """SQL (DuckDB and Spark): ``["cluster:N accounts", <own signals>]`` of a campaign member.

    Args:
        accounts: the column with the cluster's accounts (N: distinct authors of its posts).
        evidence: the post's evidence column (its own signals, or an earlier cluster entry).
    """
    own = own_evidence_sql(evidence)
    return (
        f"'{CLUSTER_EVIDENCE}' || CAST({accounts} AS STRING) || ' accounts\"' || "
        f"CASE WHEN {own} = '[]' THEN ']' ELSE ', ' || substr({own}, 2) END"
    )


def mark_campaigns(con: Any, clusters: str, min_accounts: int, window_hours: float) -> int:
    """Apply the cluster rule, from scratch, to the clusters of table `clusters`.

    Members that are ``organic`` or were made ``campaign`` by the rule before get the rule's
    verdict on the cluster as the store holds it now: ``campaign`` with evidence
    ``["cluster:N accounts", <own signals>]`` when it is a campaign template, else ``organic``
    with their own signals (a cluster that stopped qualifying, e.g. after complaints copied
    its text). A rated review (``posts.rating`` set) stays ``organic``: a buyer's star rating
    is opinion, however alike its words (a disclosed one is ``campaign`` by the per-post
    rules). Posts the per-post rules classified are left alone. Idempotent: a second call
    changes nothing. Updates ``enriched`` (origin, evidence; ``enriched_at`` where the origin
    changed, so the aggregate stage redoes those days) and ``post_facts``.

    Returns:
        The number of posts whose origin changed.
    """
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _origin_camp AS "
        + campaign_clusters_sql(min_accounts, window_hours, clusters)
    )
    mine = (
        f"(e.origin = '{ORGANIC}' OR (e.origin = '{CAMPAIGN}' "
        f"AND e.origin_evidence LIKE '{CLUSTER_EVIDENCE}%'))"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _origin_chg AS
        SELECT post_id, old, origin, ev FROM (
            SELECT e.post_id, e.origin AS old, e.origin_evidence AS old_ev,
                   CASE WHEN c.cluster_id IS NULL OR r.post_id IS NOT NULL THEN '{ORGANIC}'
                        ELSE '{CAMPAIGN}' END AS origin,
                   CASE WHEN c.cluster_id IS NULL OR r.post_id IS NOT NULL
                        THEN {own_evidence_sql("e.origin_evidence")}
                        ELSE {cluster_evidence_sql("c.accounts", "e.origin_evidence")} END AS ev
            FROM enriched e LEFT JOIN _origin_camp c ON c.cluster_id = e.cluster_id
            LEFT JOIN (SELECT post_id FROM posts WHERE rating IS NOT NULL) r
                   ON r.post_id = e.post_id
            WHERE e.cluster_id IN (SELECT cluster_id FROM {clusters}) AND {mine})
        WHERE origin <> old OR ev IS DISTINCT FROM old_ev"""
    )
    n = int(con.execute("SELECT count(*) FROM _origin_chg WHERE origin <> old").fetchall()[0][0])
    con.execute(
        "UPDATE enriched SET origin = c.origin, origin_evidence = c.ev, enriched_at = CASE "
        "WHEN c.origin <> c.old THEN $now ELSE enriched.enriched_at END "
        "FROM _origin_chg c WHERE enriched.post_id = c.post_id",
        {"now": dt.datetime.now(dt.UTC).replace(tzinfo=None)},
    )
    if n:
        con.execute(
            "UPDATE post_facts SET origin = c.origin FROM _origin_chg c "
            "WHERE post_facts.post_id = c.post_id AND c.origin <> c.old"
        )
    con.execute("DROP TABLE IF EXISTS _origin_camp")
    con.execute("DROP TABLE IF EXISTS _origin_chg")
    return n


def add_pending(con: Any, joined: str) -> None:
    """Add the clusters of view `joined` (``cluster_id``, distinct) not waiting yet to
    ``campaign_pending``.

    An anti-join DuckDB builds on the batch's few clusters and probes with the waiting ones
    (``NOT IN`` built its hash table over all that wait, which grow over a run: a third more
    per batch at 600k waiting); no cluster id is NULL, so the rows are the same."""
    con.execute(
        f"INSERT INTO {PENDING} SELECT j.cluster_id FROM {joined} j "
        f"WHERE NOT EXISTS (SELECT 1 FROM {PENDING} p WHERE p.cluster_id = j.cluster_id)"
    )


def count_pending(con: Any) -> int:
    """How many clusters wait for the cluster rule."""
    return int(con.execute(f"SELECT count(*) FROM {PENDING}").fetchall()[0][0])


def clear_pending(con: Any) -> None:
    """Forget the waiting clusters (the rule has judged them)."""
    con.execute(f"DELETE FROM {PENDING}")
