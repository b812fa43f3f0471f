"""Thread targets: a comment or reply that names no target counts for its thread's.

Comments rarely name what they are about ("退订了", "这还敢买？"): on a real MediaCrawler crawl
none of 830 comments named a brand, so none counted, though every table says it counts
comments. With ``analysis.thread_targets`` on (the default), a comment or reply
(``posts.post_type``) whose own ``post_targets`` are empty gets the brand, competitor, persona
and product targets of the post it answers (``reply_to``) when that post names targets, else
of its thread's root post (``thread_id``), provided the post it takes them from names exactly
one brand (its products and personas count as that brand); each with the comment's own sentiment
(``enriched.label``, ``score``) as label and ``method = 'thread'`` (migration 0019), so export
and evidence show it was inherited (a spike explanation's posts carry the post they took it
from: ``brandhalo.store.explain.thread_sources``).

A post that names several brands passes none on: under a comparison video (``【盲测】9块9的快杯
vs 32块的鹿角咖啡``) a comment naming neither (``贵的确实香一点，但不值三倍价格``) is about one
of them, or about the comparison, and which one its words alone cannot say; inheriting both
gave the comment's sentiment to each (a false 快杯 price spike from 13 comments aimed at 鹿角).
Such a comment counts for no brand (as it did before thread targets, and as it does with the
option off); a comment or reply that names a brand counts for it as always. Documented in
docs/metrics.md (thread targets).

:func:`inherit` runs once per enrich run, after the last chunk is written (as the campaign rule
does, :func:`brandhalo.text.origin.apply_pending`), in one set-based transaction over the whole
store: a root post that arrives in a later ingest than its comments, a root re-enriched under
another config, a comment re-enriched (its inherited rows deleted with its other rows), or
the setting turned off are all caught by comparing the rows each comment should have with the
rows it has; only the comments that differ are rewritten, their ``post_facts`` rebuilt and
their ``enriched_at`` set to now so the aggregate stage re-counts their days. Running it
again changes nothing, so a run stopped before it, or repeated, gives the same tables.
"""

from __future__ import annotations

from typing import Any

#: ``post_targets.method`` of an inherited row (NULL: the post names the target).
THREAD = "thread"
#: The post types that inherit (a ``post`` stands on its own text).
INHERITING = ("comment", "reply")


def inherited_sql(
    own: str = "_thread_own", posts: str = "posts", enriched: str = "enriched"
) -> str:
    """The SELECT of the inherited rows (``post_id, target_type, target, brand, label,
    score``), engine-neutral (DuckDB and Spark SQL run it as written).

    Args:
        own: a table/view of the targets posts name themselves (``post_id, target_type,
            target, brand``; no ``'thread'`` rows).
        posts: ``posts`` (``post_id, post_type, reply_to, thread_id``).
        enriched: ``enriched`` (``post_id, label, score``).
    """
    kinds = ", ".join(f"'{k}'" for k in INHERITING)
    # a source naming several brands passes none on (see the module); `named` keeps every
    # post naming a target, so the choice of source (reply_to when it names one) is unchanged
    return f"""
WITH named AS (SELECT post_id, COUNT(DISTINCT brand) AS brands FROM {own} GROUP BY post_id),
cand AS (
    SELECT p.post_id,
           CASE WHEN r.post_id IS NOT NULL THEN p.reply_to ELSE p.thread_id END AS src,
           e.label, e.score
    FROM {posts} p
    JOIN {enriched} e ON e.post_id = p.post_id
    LEFT JOIN named r ON r.post_id = p.reply_to
    LEFT JOIN named o ON o.post_id = p.post_id
    WHERE p.post_type IN ({kinds}) AND o.post_id IS NULL
      AND (p.thread_id IS NOT NULL OR p.reply_to IS NOT NULL)
)
SELECT DISTINCT c.post_id, t.target_type, t.target, t.brand, c.label, c.score
FROM cand c JOIN {own} t ON t.post_id = c.src
JOIN named s ON s.post_id = c.src AND s.brands = 1
WHERE c.src <> c.post_id"""


_OWN = (
    "CREATE TEMP VIEW _thread_own AS SELECT post_id, target_type, target, brand "
    "FROM post_targets WHERE method IS NULL"
)
_WANT = f"CREATE TEMP TABLE _thread_want AS {inherited_sql()}"
_HAVE = (
    "SELECT post_id, target_type, target, brand, label, score FROM post_targets "
    f"WHERE method = '{THREAD}'"
)
_EMPTY_WANT = f"CREATE TEMP TABLE _thread_want AS {_HAVE} LIMIT 0"
_CHANGED = f"""
CREATE TEMP TABLE _thread_ids AS
SELECT DISTINCT post_id FROM (
    (SELECT * FROM _thread_want EXCEPT {_HAVE})
    UNION ALL
    ({_HAVE} EXCEPT SELECT * FROM _thread_want)
)
"""


def inherit(con: Any, enabled: bool) -> int:
    """Bring the ``'thread'`` rows of ``post_targets`` in line with the store (see the
    module); `enabled`: ``analysis.thread_targets`` (False removes any there are). Runs
    inside the caller's transaction. Returns the number of comments whose targets changed."""
    from brandhalo.store import facts
    from brandhalo.store.enrich import _utc_now as utc_now

    if not enabled:
        rows = con.execute(f"SELECT count(*) FROM post_targets WHERE method = '{THREAD}'")
        if not rows.fetchall()[0][0]:
            return 0
    _drop(con)
    try:
        if enabled:
            con.execute(_OWN)
            con.execute(_WANT)
        else:
            con.execute(_EMPTY_WANT)
        con.execute(_CHANGED)
        n = int(con.execute("SELECT count(*) FROM _thread_ids").fetchall()[0][0])
        if n:
            con.execute(
                f"DELETE FROM post_targets WHERE method = '{THREAD}' "
                "AND post_id IN (SELECT post_id FROM _thread_ids)"
            )
            con.execute(
                "INSERT INTO post_targets BY NAME SELECT w.*, $m AS method FROM _thread_want w "
                "WHERE w.post_id IN (SELECT post_id FROM _thread_ids)",
                {"m": THREAD},
            )
            facts.refresh(con, "_thread_ids")
            con.execute(
                "UPDATE enriched SET enriched_at = $now "
                "WHERE post_id IN (SELECT post_id FROM _thread_ids)",
                {"now": utc_now()},
            )
        return n
    finally:
        _drop(con)


def _drop(con: Any) -> None:
    con.execute("DROP TABLE IF EXISTS _thread_want")
    con.execute("DROP TABLE IF EXISTS _thread_ids")
    con.execute("DROP VIEW IF EXISTS _thread_own")
