"""The writer's band-pair ranking (:func:`brandhalo.text.neardup.capped_pairs`, issue 19) packs
(key, cluster, position) into one integer and sorts once: pinned here to the rule in plain
Python on the inputs where packing can go wrong (extreme keys, negative and huge cluster
numbers, stored pairs of other keys or of clusters outside the batch's range, full keys), and
to the multi-key-sort version it falls back to when the numbers do not fit."""

from __future__ import annotations

import numpy as np
import pytest
from tests.support.neardup_rule import capped_pairs_rule

from brandhalo.text.neardup import _capped_pairs_sorted, capped_pairs

EXTREME = np.array([-(2**63), -(2**62), -1, 0, 1, 2**62, 2**63 - 1], dtype=np.int64)


def _pairs(got: tuple[np.ndarray, np.ndarray]) -> list[tuple[int, int]]:
    assert got[0].dtype == np.int64 and got[1].dtype == np.int64
    return list(zip(got[0].tolist(), got[1].tolist(), strict=True))


def _check(key: np.ndarray, slot: np.ndarray, kk: np.ndarray, ks: np.ndarray, most: int) -> None:
    want = capped_pairs_rule(key, slot, kk, ks, most)
    assert _pairs(capped_pairs(key, slot, kk, ks, most)) == want
    assert _pairs(_capped_pairs_sorted(key, slot, kk, ks, most)) == want


def _i64(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


CASES = {
    "empty": ([], [], [], [], 3),
    "empty batch, stored pairs": ([], [], [5, 5], [1, 2], 1),
    "one pair": ([7], [0], [], [], 1),
    "extreme keys": (EXTREME.tolist(), [3] * 7, [-(2**63)], [3], 2),
    "one key, repeated clusters": ([9] * 8, [4, 4, 2, 4, 2, 1, 0, 1], [], [], 3),
    "full by stored pairs": ([9, 9, 8], [1, 2, 2], [9, 9, 9], [5, 6, 5], 2),
    "stored pair repeated, is the batch's": ([9, 9, 9], [1, 2, 3], [9, 9, 9], [2, 2, 7], 3),
    "stored keys not the batch's": ([1, 2], [0, 0], [3, 3, 4], [0, 1, 0], 1),
    "stored clusters beyond the batch's": ([1, 1, 1], [5, 6, 5], [1, 1], [4, 7], 3),
    "negative clusters": ([2, 2, 3, 2], [-4, -1, -4, -4], [2], [-1], 2),
    "huge clusters (no packing)": ([2, 2, 3, 2], [2**61, 0, 2**61, 7], [2], [0], 2),
    "cap of one": ([6, 6, 6, 5, 5], [3, 1, 3, 1, 2], [], [], 1),
}


@pytest.mark.parametrize("name", list(CASES))
def test_capped_pairs_follow_the_rule_on_tricky_inputs(name: str) -> None:
    key, slot, kk, ks, most = CASES[name]
    _check(_i64(key), _i64(slot), _i64(kk), _i64(ks), most)


@pytest.mark.parametrize("seed", range(12))
def test_capped_pairs_follow_the_rule_on_random_batches(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, distinct = int(rng.integers(1, 3000)), int(rng.integers(1, 400))
    most = int(rng.integers(1, 6))
    keys = np.r_[EXTREME, rng.integers(-(2**63), 2**63 - 1, distinct, dtype=np.int64)]
    key = rng.choice(keys, n)
    spread = [12, 2**20, 2**45][seed % 3]  # the last: too wide to pack, the sorted version
    slot = rng.integers(-3, spread, n).astype(np.int64)
    m = int(rng.integers(0, 600))
    pick = rng.integers(0, n, m)
    kk = np.r_[key[pick], rng.choice(keys, m // 3)]
    ks = np.r_[slot[pick], rng.integers(-5, spread + 5, m // 3)].astype(np.int64)
    _check(key, slot, kk, ks, most)


def test_capped_pairs_of_a_crowded_family_keep_the_first_claims() -> None:
    """A look-alike family: many clusters on a few keys, stored ones among them."""
    rng = np.random.default_rng(7)
    key = rng.choice(_i64([11, 12, 13]), 5000)
    slot = rng.integers(0, 200, 5000).astype(np.int64)
    kk, ks = _i64([11] * 30 + [12] * 40), rng.integers(0, 250, 70).astype(np.int64)
    _check(key, slot, kk, ks, 32)
