"""A template with two wordings in one batch gives two clusters, not one cluster and many
single posts (found by a PR lead: 33 of a 230-post paid flood, "支持禾悦！喝了十年了…" beside
"支持禾悦！从小喝到大…" with the same hashtag and link, were one-post clusters and read organic:
their band-key component's first post had the other wording, and a post not similar to that
first post started a cluster of its own)."""

from __future__ import annotations

from collections import Counter

import duckdb

from brandhalo.text.neardup import ClusterIndex, keys_of, leaders, signatures
from brandhalo.text.normalize import normalize_batch

A = "支持禾悦！从小喝到大，品质一直很放心👍 谣言止于智者 #禾悦气泡水# 限时优惠戳 http://t.cn/A6{n}"
B = "支持禾悦！喝了十年了，品质一直很放心👍 谣言止于智者 #禾悦气泡水# 限时优惠戳 http://t.cn/A6{n}"


def _index() -> ClusterIndex:
    con = duckdb.connect()
    con.execute("CREATE TABLE neardup_bands (key BIGINT NOT NULL, cluster_id VARCHAR NOT NULL)")
    con.execute("CREATE TABLE neardup_clusters (cluster_id VARCHAR, sig BLOB, last_hour TIMESTAMP)")
    return ClusterIndex(con)


def _batch() -> tuple[list[str], list[str]]:
    texts, ids = [], []
    for i in range(60):  # the wordings interleaved, the first post has wording A
        texts.append((A if i % 3 == 0 else B).format(n=100 + i))
        ids.append(f"p{i:02d}")
    return ids, texts


def test_two_wordings_of_one_template_are_two_clusters() -> None:
    ids, texts = _batch()
    sig, has = signatures(normalize_batch(texts))
    # the wordings are not similar enough to be one cluster, yet share a band key
    keys = keys_of(sig, has)
    assert len(set(keys[0]) & set(keys[1])) >= 1
    clusters = _index().assign(ids, sig, has)
    sizes = sorted(Counter(clusters).values())
    # one cluster per wording (a post of one wording may pass for the other: MinHash): no
    # post is left alone (before: p00's component left about 30 B posts as one-post clusters)
    assert len(sizes) <= 3 and sizes[0] >= 5, sizes
    assert clusters[0] == "p00"


def test_leaders_give_each_post_a_similar_leader() -> None:
    ids, texts = _batch()
    sig, has = signatures(normalize_batch(texts))
    leader, close = leaders(keys_of(sig, has), sig)
    assert close.all()
    assert len(set(leader.tolist())) <= 3 and leader[0] == 0
    sims = (sig == sig[leader]).mean(axis=1)
    assert (sims >= 0.6).all()
