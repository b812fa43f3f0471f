"""The writer's in-memory copy of the cluster index (issue 19) changes nothing it stores.

Enrichment used to look every batch up in the store's index (a scan of the whole index per
batch, so the writer's cost per post grew with the run). A run now keeps one
:class:`ClusterIndex` with an in-memory copy. Each test replays one stream of batches both
ways: a store-only index per batch (as before), and one index with the copy for the whole
run, flushed at every "commit". The cluster of every post and the stored index tables must
be the same. The stream covers what the copy has to model:

- template families, near-copies and one-off posts, over four months and partly out of time
  order, so that clusters are pruned and keys reach the per-key cap;
- re-enriched posts (the same ids again), whose old cluster is alive, pruned or
  pruned-and-flushed;
- an index that already holds clusters, and a band key that names a cluster with no
  signature row;
- a batch without hours, and a copy that grows past its size limit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import duckdb
import numpy as np
import pytest

from brandhalo.store.neardup import create_index
from brandhalo.text import neardup
from brandhalo.text.neardup import ClusterIndex, signatures
from brandhalo.text.normalize import normalize_batch

WORDS = [
    "小米",
    "SU7",
    "续航",
    "刹车",
    "智能座舱",
    "推背感",
    "试驾",
    "发布会",
    "价格",
    "门店",
    "交付",
    "充电",
    "异响",
    "客服",
    "外观",
    "内饰",
    "空间",
    "性价比",
    "订单",
    "车主",
    "体验",
    "升级",
    "系统",
    "高速",
    "城市",
    "辅助驾驶",
    "battery",
    "range",
    "delivery",
    "price",
    "service",
    "quality",
    "update",
]


@dataclass
class Batch:
    ids: list[str]
    texts: list[str]
    hours: np.ndarray | None


def _text(rng: np.random.Generator, n: int) -> str:
    return "".join(rng.choice(WORDS, size=n))


def _stream(seed: int = 7, new_text: float = 0.0, no_hours: int = -1) -> list[Batch]:
    """Batches of families, near-copies and one-offs; some ids come back later (with a new
    text at the rate `new_text`); batch `no_hours` has no hours."""
    rng = np.random.default_rng(seed)
    families = [_text(rng, 12) for _ in range(40)]
    start = np.datetime64("2025-01-01T00", "h")
    batches: list[Batch] = []
    seen: list[tuple[str, str]] = []
    for b in range(36):
        day = b * 4 if b % 7 else max(0, b * 4 - 45)  # every 7th batch goes back in time
        ids, texts = [], []
        for j in range(200 if 3 <= b < 9 else 120):
            kind = rng.random()
            if 3 <= b < 9 or 0.45 <= kind < 0.6:  # a look-alike family (shares wording)
                member = len(seen) + len(ids)  # numbered in order, as such families are
                text = f"小米 SU7 刹车 问题 第{member}条 quality rd{member}"
            elif kind < 0.45:
                text = families[rng.integers(len(families))] + "！" * int(rng.integers(3))
            elif kind < 0.62:
                text = "好看！"  # too short for a signature
            else:
                text = _text(rng, int(rng.integers(6, 16)))
            ids.append(f"p{b}-{j}")
            texts.append(text)
        if b >= 6:  # re-enriched posts: same id, same text or a new one
            # from any earlier batch (clusters pruned by now) and from the last two (alive)
            picks = [*rng.integers(len(seen), size=4), *(len(seen) - 1 - rng.integers(240, size=4))]
            for old_id, old_text in [seen[int(k)] for k in picks]:
                if old_id in ids:
                    continue
                ids.append(old_id)
                texts.append(_text(rng, 10) if rng.random() < new_text else old_text)
        seen.extend(zip(ids, texts, strict=True))
        offsets = rng.integers(0, 96, size=len(ids))
        hours = start + np.timedelta64(24 * day, "h") + offsets.astype("timedelta64[h]")
        batches.append(Batch(ids, texts, None if b == no_hours else hours.astype("datetime64[us]")))
    return batches


def _tables(con: duckdb.DuckDBPyConnection) -> tuple[list, list]:
    bands = con.execute("SELECT * FROM neardup_bands ORDER BY ALL").fetchall()
    clusters = con.execute("SELECT * FROM neardup_clusters ORDER BY ALL").fetchall()
    return bands, clusters


def _assign(index: ClusterIndex, batch: Batch) -> list[str | None]:
    return index.assign(batch.ids, *signatures(normalize_batch(batch.texts)), batch.hours)


def _replay(
    batches: list[Batch], memory: bool, con: duckdb.DuckDBPyConnection, commit_every: int = 3
) -> tuple[list[list[str | None]], ClusterIndex]:
    index = ClusterIndex(con, memory=memory)
    out = []
    for k, batch in enumerate(batches):
        if not memory:
            index = ClusterIndex(con)  # a store-only index per batch, as the writer had
        out.append(_assign(index, batch))
        if (k + 1) % commit_every == 0:
            index.flush()
    index.flush()
    return out, index


def _fresh() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    create_index(con)
    return con


def _both(
    batches: list[Batch], setup: int = 0
) -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection, ClusterIndex]:
    """Replay `batches` store-only and with the copy (after `setup` batches stored the same
    way in both); assert every batch's clusters agree; the two connections and the index
    that had the copy."""
    cons = (_fresh(), _fresh())
    for con in cons:
        _replay(batches[:setup], False, con)
    if setup:
        for con in cons:  # a key naming a cluster with no signature row
            con.execute("INSERT INTO neardup_bands VALUES (12345, 'ghost')")
    plain, _ = _replay(batches[setup:], False, cons[0])
    copied, index = _replay(batches[setup:], True, cons[1])
    for k, (a, b) in enumerate(zip(plain, copied, strict=True)):
        assert a == b, f"batch {setup + k}: clusters differ"
    return cons[0], cons[1], index


def test_the_copy_assigns_and_stores_what_store_lookups_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a cap the stream's look-alike family reaches (members similar to a nearer member join
    # it since session 23, so the family holds fewer clusters than the shipped cap)
    monkeypatch.setattr(neardup, "KEY_CLUSTERS", 16)
    batches = _stream()
    plain, copied, index = _both(batches)
    assert _tables(plain) == _tables(copied)
    assert index.memory is not None  # the copy answered every batch
    # the stream did exercise what the copy models: near-copies joined clusters, ...
    joined = plain.execute("SELECT count(*) FROM neardup_clusters").fetchall()[0][0]
    assert joined < sum(len(b.ids) for b in batches) // 2
    # ... a look-alike family reached the per-key cap, ...
    early = _fresh()
    _replay(batches[:10], False, early)
    per_key = early.execute(
        "SELECT max(n) FROM (SELECT count(*) AS n FROM neardup_bands GROUP BY key)"
    ).fetchall()[0][0]
    assert per_key == neardup.KEY_CLUSTERS
    # ... and old clusters were pruned
    first_day = plain.execute("SELECT min(last_hour) FROM neardup_clusters").fetchall()[0][0]
    assert first_day > datetime.datetime(2025, 2, 1)


def test_the_copy_loads_a_stored_index() -> None:
    plain, copied, index = _both(_stream(11), setup=12)
    assert _tables(plain) == _tables(copied)
    assert index.memory is not None
    ghost = copied.execute("SELECT count(*) FROM neardup_bands WHERE cluster_id = 'ghost'")
    assert ghost.fetchall()[0][0] == 1


def test_a_copy_past_its_size_limit_is_read_again_or_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(neardup, "MAX_CLUSTERS", 400)
    plain, copied, _ = _both(_stream(5))
    assert _tables(plain) == _tables(copied)


def test_changed_texts_stop_the_copy_and_keep_the_results() -> None:
    """Re-enriched posts with a new text whose id's cluster is alive: the store gets a second
    row of that id, which the copy does not model, so it stops and store lookups go on."""
    plain, copied, index = _both(_stream(3, new_text=0.5))
    assert _tables(plain) == _tables(copied)
    assert index.memory is None


def test_a_batch_without_hours_keeps_the_results() -> None:
    """Clusters of a batch without hours have no last hour (never pruned) until a later post
    joins them; the copy models that."""
    plain, copied, index = _both(_stream(3, no_hours=20))
    assert _tables(plain) == _tables(copied)
    assert index.memory is not None
    undated = copied.execute("SELECT count(*) FROM neardup_clusters WHERE last_hour IS NULL")
    assert undated.fetchall()[0][0] > 0


def test_one_id_with_two_clusters_drops_the_copy() -> None:
    """A re-enriched post whose text changed starts a second cluster of its own id (the store
    then has two rows for it): the copy stops, store lookups go on, results stay the same."""
    con = _fresh()
    index = ClusterIndex(con, memory=True)
    first = Batch(["a"], ["刚试驾完小米SU7加速推背感太强了智能座舱流畅到飞起"], None)
    again = Batch(["a"], ["完全不同的一条内容说的是手机续航和充电速度都很一般"], None)
    assert _assign(index, first) == ["a"]
    assert index.memory is not None
    assert _assign(index, again) == ["a"]
    assert index.memory is None
    rows = con.execute("SELECT count(*) FROM neardup_clusters WHERE cluster_id = 'a'")
    assert rows.fetchall()[0][0] == 2
