"""The writer's in-memory cluster lookups per found pair (issue 19, session 24).

Over a long run the index holds more clusters, and each batch finds more stored (key, cluster)
pairs through its band keys (a look-alike family's wording is found once per post that has
it): the writer's cost per post grew with the run. The copy now skips what only repeats:
similarity is counted, not averaged in floats; a (post, cluster) found through several
bands is not made distinct before the similarity test (a repeat has the same similarity and
id); the stored pairs of the batch's keys are taken once per distinct key. Clusters and
stored index must stay those of store lookups.
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.text.test_text_neardup_memory import Batch, _both, _fresh, _replay, _tables

from brandhalo.text import neardup
from brandhalo.text.neardup import ClusterIndex, keys_of, signatures, similarity
from brandhalo.text.normalize import normalize_batch


def test_similarity_is_the_share_of_equal_values() -> None:
    rng = np.random.default_rng(3)
    a = rng.integers(0, 3, size=(500, 16)).astype(np.uint32)
    b = rng.integers(0, 3, size=(500, 16)).astype(np.uint32)
    want = np.asarray((a == b).mean(axis=-1), dtype=np.float64)
    got = similarity(a, b)
    assert got.dtype == np.float64
    assert np.array_equal(got, want)  # the same floats, not just close
    assert float(similarity(a[0], a[0])) == 1.0
    assert similarity(a[:0], b[:0]).shape == (0,)


def _family_stream() -> list[Batch]:
    """Batches where most posts share one look-alike wording (its band keys are found by
    every post that has it) and near-copies of earlier posts (found through several bands)."""
    rng = np.random.default_rng(5)
    start = np.datetime64("2025-03-01T00", "h")
    batches = []
    for b in range(8):
        ids, texts = [], []
        for j in range(150):
            n = b * 150 + j
            if j % 3:
                text = f"小米 SU7 刹车 问题 第{n}条 quality rd{n}"
            else:
                text = f"续航 充电 交付 门店 体验 升级 系统 高速 城市 {n % 9}" + "！" * (j % 2)
            ids.append(f"f{b}-{j}")
            texts.append(text)
        offsets = rng.integers(0, 48, size=len(ids)).astype("timedelta64[h]")
        hours = (start + np.timedelta64(24 * b, "h") + offsets).astype("datetime64[us]")
        batches.append(Batch(ids, texts, hours))
    return batches


def test_repeated_finds_give_the_clusters_of_store_lookups(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(neardup, "KEY_CLUSTERS", 8)
    batches = _family_stream()
    plain, copied, index = _both(batches, setup=2)
    assert _tables(plain) == _tables(copied)
    assert index.memory is not None
    # the stream has what the fast path skips: keys found by many posts of a batch, and
    # posts that find the same cluster through more than one band
    last = batches[-1]
    sig, has = signatures(normalize_batch(last.texts))
    keys = keys_of(sig, has)
    post, key, slot, first = index.memory.matches(keys, neardup.NO_KEY)
    assert post.size > 2 * int(first.sum())  # pairs found again and again
    pair = post * index.memory.size + slot
    assert np.unique(pair).size < pair.size  # a post finding one cluster twice


def test_known_pairs_are_each_stored_pair_once() -> None:
    batches = _family_stream()
    con = _fresh()
    _, index = _replay(batches[:4], True, con, commit_every=1)
    mem = index.memory
    assert mem is not None
    sig, has = signatures(normalize_batch(batches[4].texts))
    keys = keys_of(sig, has)
    index._found_in_copy(mem, keys)
    key, slot = index._known_pairs
    pairs = list(zip(key.tolist(), mem.ids[slot].tolist(), strict=True))
    assert len(pairs) == len(set(pairs)) > 0
    wanted = {int(k) for k in keys.reshape(-1) if k != neardup.NO_KEY}
    stored = {
        (int(k), str(c))
        for k, c in con.execute("SELECT key, cluster_id FROM neardup_bands").fetchall()
        if int(k) in wanted
    }
    assert set(pairs) == stored


def test_a_fresh_index_per_batch_still_works() -> None:
    batches = _family_stream()[:3]
    con = _fresh()
    out = [
        ClusterIndex(con).assign(b.ids, *signatures(normalize_batch(b.texts)), b.hours)
        for b in batches
    ]
    assert any(
        c is not None and c != i
        for b, o in zip(batches, out, strict=True)
        for c, i in zip(o, b.ids, strict=True)
    )
