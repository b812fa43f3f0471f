"""``agg_clusters`` keeps only clusters posted by two accounts or more, and its SELECT leaves
the others out before the join and the template ranking (most clusters are a single post).
These tests pin that SELECT to the plain grouping (every cluster grouped, then the HAVING) on
the edge cases of the pre-filter: single posts, one author, NULL authors, a brand with one
author in a cluster of two, ties of ``created_at`` and a brand without the cluster's first
post; full and incremental."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from brandhalo.engines.sql_report import ANY_BRAND, report_sql
from brandhalo.store.origin import account_sql
from brandhalo.store.report_tables import TEMPLATE_RANK

# the plain grouping: every cluster's posts ranked and grouped, the HAVING alone filters;
# authors as clusters count accounts (an official account once, a name on two sources once)
_ACCOUNT = account_sql("e.origin", "e.author_id", "e.cluster_id", ("p.author_name", "p.source"))
_PLAIN = f"""
WITH a AS (SELECT e.cluster_id, e.post_id, {_ACCOUNT} AS author_id, e.origin
           FROM enriched e JOIN posts p ON p.post_id = e.post_id
           WHERE e.cluster_id IS NOT NULL{{only}})
SELECT cluster_id, brand, COUNT(*) AS posts, COUNT(DISTINCT author_id) AS accounts,
       CAST(SUM(CASE WHEN origin IN ('campaign', 'official') THEN 1 ELSE 0 END) AS BIGINT)
         AS campaign_posts,
       MIN(created_at) AS first_seen, MAX(created_at) AS last_seen,
       MAX(CASE WHEN pos = 1 THEN post_id END) AS template_id
FROM (SELECT m.cluster_id, m.post_id, m.author_id, m.origin, m.brand, p.created_at,
             {TEMPLATE_RANK.format(posts="m", created="p")} AS pos
      FROM (SELECT a.cluster_id, a.post_id, a.author_id, a.origin, t.brand
            FROM a JOIN (SELECT DISTINCT post_id, brand FROM post_targets) t
              ON t.post_id = a.post_id
            UNION ALL
            SELECT a.cluster_id, a.post_id, a.author_id, a.origin, '{ANY_BRAND}' AS brand
            FROM a) m
      JOIN posts p ON p.post_id = m.post_id) x
GROUP BY cluster_id, brand
HAVING COUNT(DISTINCT author_id) >= 2"""

T0 = dt.datetime(2025, 3, 1, 8)


def _con() -> duckdb.DuckDBPyConnection:
    # post, cluster, author, origin, minutes after T0, brands named
    rows: list[tuple[str, str | None, str | None, str | None, int, tuple[str, ...]]] = [
        ("s1", "s1", "a", "organic", 0, ("X",)),  # a single post
        ("u1", "u1", "a", "organic", 0, ("X",)),  # two posts, one author
        ("u2", "u1", "a", "campaign", 5, ("X", "Y")),
        ("n1", "n1", None, "organic", 0, ("X",)),  # NULL authors only
        ("n2", "n1", None, "organic", 1, ("X",)),
        ("h1", "h1", "a", "organic", 0, ("X",)),  # one author and a NULL one: one account
        ("h2", "h1", None, "organic", 1, ("X",)),
        ("c1", "c1", "a", "official", 3, ("X",)),  # two accounts; Y names only one of them
        ("c2", "c1", "b", "campaign", 3, ("X", "Y")),
        ("c3", "c1", "b", None, 3, ("Y",)),
        ("t1", "t1", "z", "organic", 9, ("Y",)),  # ties of created_at: the template by id
        ("t3", "t1", "b", "organic", 2, ("X",)),
        ("t2", "t1", "c", "organic", 2, ("X",)),
        ("t4", "t1", "d", "organic", 2, ("X", "Y")),
        ("e1", "e9", "a", "organic", 4, ("X",)),  # the cluster's first post is not stored
        ("e2", "e9", "b", "organic", 4, ("X",)),
        ("o1", None, "a", "organic", 0, ("X",)),  # no cluster
        ("o2", None, "b", "organic", 0, ("X",)),
        ("g1", "g1", "g", "organic", 0, ("X",)),  # one name on two sources: one account
        ("g2", "g1", "g2", "organic", 1, ("X",)),
        ("f1", "f1", "f", "official", 0, ("X",)),  # the brand under two ids: one account
        ("f2", "f1", "f2", "official", 1, ("X",)),
        ("f3", "f1", "b", "organic", 2, ("X",)),
    ]
    #: screen name and source of the posts that have one (g*: one name on two sources)
    names = {"g1": ("小鹿", "xhs"), "g2": ("小鹿", "douyin"), "t3": ("小鹿", "xhs"),
             "t2": ("小鹿", "xhs")}  # fmt: skip
    con = duckdb.connect()
    con.register(
        "enriched",
        pa.table(
            {
                "post_id": [r[0] for r in rows],
                "cluster_id": [r[1] for r in rows],
                "author_id": [r[2] for r in rows],
                "origin": [r[3] for r in rows],
            }
        ),
    )
    named = [(r[0], b) for r in rows for b in r[5]] + [("c2", "X")]  # X named twice by c2
    con.register(
        "post_targets",
        pa.table({"post_id": [p for p, _ in named], "brand": [b for _, b in named]}),
    )
    con.register(
        "posts",
        pa.table(
            {
                "post_id": [r[0] for r in rows],
                "created_at": [T0 + dt.timedelta(minutes=r[4]) for r in rows],
                "author_name": [names.get(r[0], (None, None))[0] for r in rows],
                "source": [names.get(r[0], (None, "weibo"))[1] for r in rows],
            }
        ),
    )
    return con


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return sorted(con.execute(sql).fetchall(), key=repr)


def test_full_select_equals_the_plain_grouping() -> None:
    con = _con()
    got = _rows(con, report_sql("agg_clusters", incremental=False))
    assert got == _rows(con, _PLAIN.format(only=""))
    # what the edge cases give: c1 for '*' and X (Y names one account of it), t1 for every
    # brand (template t2: the earliest, ties by id), e9 without its own post
    # (t2 and t3 share a name on one source: two accounts); g1 is one account (a name on two
    # sources), f1 two (the brand under two ids is one)
    assert [(r[0], r[1], r[2], r[3], r[7]) for r in got] == sorted([
        ("c1", "*", 3, 2, "c1"), ("c1", "X", 2, 2, "c1"),
        ("e9", "*", 2, 2, "e1"), ("e9", "X", 2, 2, "e1"),
        ("f1", "*", 3, 2, "f1"), ("f1", "X", 3, 2, "f1"),
        ("t1", "*", 4, 4, "t1"), ("t1", "X", 3, 3, "t2"), ("t1", "Y", 2, 2, "t1"),
    ], key=repr)  # fmt: skip


@pytest.mark.parametrize(
    "touched", [["c1", "u1", "s1"], ["h1", "n1", "t1", "e9"], ["g1", "f1"], ["zz"]]
)
def test_incremental_select_equals_the_plain_grouping(touched: list[str]) -> None:
    con = _con()
    con.register("agg_touched_clusters", pa.table({"cluster_id": touched}))
    only = " AND e.cluster_id IN (SELECT cluster_id FROM agg_touched_clusters)"
    got = _rows(con, report_sql("agg_clusters", incremental=True))
    assert got == _rows(con, _PLAIN.format(only=only))
    assert {r[0] for r in got} == {"c1", "t1", "e9", "f1"} & set(touched)
