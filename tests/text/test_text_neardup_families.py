"""Look-alike families (``第N条``-style templates) keep the cluster index's lookups bounded.

Thousands of posts that share most of their wording but differ in a number each are not
near-duplicates of one another, yet they share band keys. Without a cap every new post was
compared with every cluster holding such a key (a 1M-post stream of them took 20 minutes of
one core in the writer); a key now holds at most ``KEY_CLUSTERS`` clusters.
"""

from __future__ import annotations

import duckdb

from brandhalo.text.neardup import KEY_CLUSTERS, ClusterIndex, signatures
from brandhalo.text.normalize import normalize_batch


def _index() -> tuple[duckdb.DuckDBPyConnection, ClusterIndex]:
    con = duckdb.connect()
    con.execute("CREATE TABLE neardup_bands (key BIGINT NOT NULL, cluster_id VARCHAR NOT NULL)")
    con.execute("CREATE TABLE neardup_clusters (cluster_id VARCHAR, sig BLOB, last_hour TIMESTAMP)")
    return con, ClusterIndex(con)


def _family(start: int, n: int) -> list[str]:
    ms = [i * 7919 % 99991 for i in range(start, start + n)]  # scattered: no two alike
    return [f"小米 SU7 刹车 问题 第{m}条 quality rd{m * 13 % 99989}" for m in ms]


def test_a_look_alike_family_caps_the_clusters_per_band_key() -> None:
    con, index = _index()
    for start in range(0, 1200, 200):
        texts = _family(start, 200)
        index.assign(
            [f"f{i}" for i in range(start, start + 200)], *signatures(normalize_batch(texts))
        )
    per_key = con.execute(
        "SELECT max(n), count(*) FROM (SELECT key, count(DISTINCT cluster_id) AS n "
        "FROM neardup_bands GROUP BY key)"
    ).fetchall()[0]
    assert per_key[0] == KEY_CLUSTERS  # the family did saturate keys, and no key went past
    # a true copy of an early member still finds its cluster through the capped keys
    copy = _family(3, 1)[0] + "！！"
    assert index.assign(["c1"], *signatures(normalize_batch([copy]))) == ["f3"]


def test_keys_below_the_cap_are_stored_as_before() -> None:
    con, index = _index()
    t = "刚试驾完小米SU7，加速推背感太强了，智能座舱流畅到飞起，这个价位闭眼入！"
    other = "别的内容完全不一样的帖子，说的是手机续航和充电速度"
    index.assign(["a1", "a2"], *signatures(normalize_batch([t, other])))
    index.assign(["b1"], *signatures(normalize_batch([t + "！"])))
    rows = con.execute(
        "SELECT cluster_id, count(*) FROM neardup_bands GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert rows == [("a1", 3), ("a2", 3)]  # every band of both clusters, no pair twice
