"""An official account's posts are one account when clusters count accounts (s28 w11).

The brand's statement, posted by 溪研官方旗舰号 on 小红书 and on 抖音 (two platform ids), was
"copied by 2 accounts": ``brandhalo campaigns`` listed it among the campaigns and the report
under 「被多个账号转发的官方帖子」. :func:`brandhalo.store.origin.account_sql` counts every
official post of a cluster as one account; the cluster rule counts so.
"""

from __future__ import annotations

import duckdb

from brandhalo.store.origin import campaign_clusters_sql

PROMO = '["promo", "call_to_action"]'


def _con(rows: list[tuple[str, str, str, str, str]]) -> duckdb.DuckDBPyConnection:
    """enriched (post_id, cluster_id, author_id, origin, origin_evidence), one hour, label 0."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE enriched (post_id VARCHAR, cluster_id VARCHAR, author_id VARCHAR, "
        "origin VARCHAR, origin_evidence VARCHAR, label TINYINT, hour TIMESTAMP)"
    )
    con.executemany(
        "INSERT INTO enriched VALUES (?, ?, ?, ?, ?, 0, TIMESTAMP '2025-03-10 10:00:00')", rows
    )
    con.execute("CREATE TABLE pending AS SELECT DISTINCT cluster_id FROM enriched")
    return con


def test_the_brand_posting_on_two_platforms_is_one_account() -> None:
    rows = [
        ("p0", "p0", "xhs:5f3a", "official", PROMO),  # the brand on 小红书
        ("p1", "p0", "dy:7781", "official", PROMO),  # and on 抖音
        *((f"p{k}", "p0", f"u{k}", "organic", PROMO) for k in range(2, 5)),  # three copies
    ]
    con = _con(rows)
    # 4 accounts, not 5: short of campaign_min_accounts = 5
    assert con.execute(campaign_clusters_sql(5, 72, "pending")).fetchall() == []
    # a fifth account copying it makes it a campaign of 5 accounts
    con.execute(
        "INSERT INTO enriched VALUES ('p5', 'p0', 'u5', 'organic', ?, 0, "
        "TIMESTAMP '2025-03-10 11:00:00')",
        [PROMO],
    )
    assert con.execute(campaign_clusters_sql(5, 72, "pending")).fetchall() == [("p0", 5, 6)]


def test_a_screen_name_on_two_sources_is_one_account() -> None:
    from brandhalo.store.origin import account_sql

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES "
        "('k', 'a2', '小鹿爱喝咖啡', 'xhs', 'organic'), ('k', 'a1', '小鹿爱喝咖啡', 'douyin', 'organic'),"
        "('k', 'a3', '奶茶姐姐', 'xhs', 'organic'), ('k', 'a4', '奶茶姐姐', 'xhs', 'organic'),"
        "('k', 'o2', '鹿角官方', 'xhs', 'official'), ('k', 'o1', '鹿角官方', 'douyin', 'official'),"
        "('k', NULL, NULL, 'xhs', 'organic')"
        ") v(cluster_id, author_id, author_name, source, origin)"
    )
    account = account_sql("origin", "author_id", "cluster_id", ("author_name", "source"))
    sql = f"SELECT author_id, {account} FROM t ORDER BY author_id NULLS LAST"
    got = con.execute(sql).fetchall()
    # one name on two sources: one account (its lowest id); two ids of one name on one source
    # stay two; the official account's two ids are one; no id, no account
    assert got == [("a1", "a1"), ("a2", "a1"), ("a3", "a3"), ("a4", "a4"), ("o1", "o1"),
                   ("o2", "o1"), (None, None)]  # fmt: skip
    counted = f"SELECT count(DISTINCT k) FROM (SELECT {account} AS k FROM t)"
    assert con.execute(counted).fetchall() == [(4,)]  # a1, a3, a4, o1
