"""The writer's near-duplicate lookups without numpy's hashing ``np.unique`` (issue 20).

At 10M posts the writer's cluster index holds about 470k clusters and each batch of 20k posts
finds about 240k (post, cluster) candidates in it; numpy 2.4's ``np.unique`` of values alone
hashes them (about 0.1 s a batch, more per value as they grow), which made the writer's cost
per post grow with the run. :func:`brandhalo.text.neardup.distinct` sorts instead, and the
stored pairs of a batch's keys are made distinct by one sort of packed numbers. Both must give
exactly what they replace; the clusters themselves are checked copy-against-store in
tests/text/test_text_neardup_memory.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from brandhalo.text.neardup import _known_pairs, distinct


@pytest.mark.parametrize("seed", range(6))
def test_distinct_is_np_unique(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 5000))
    high = int(rng.choice([3, 1000, 2**40]))
    values = rng.integers(-high, high, n, dtype=np.int64)
    got = distinct(values)
    want = np.unique(values)
    assert got.dtype == want.dtype
    assert got.tolist() == want.tolist()


def test_distinct_of_none_one_and_equal_values() -> None:
    for values in ([], [7], [5, 5, 5], [3, -1, 3, -1, 2**62]):
        arr = np.array(values, dtype=np.int64)
        assert distinct(arr).tolist() == np.unique(arr).tolist()


def _known_pairs_rule(
    keys: np.ndarray, known_key: np.ndarray, known_slot: np.ndarray, packing: tuple[int, int]
) -> tuple[list[int], list[int]]:
    """What ``_known_pairs`` gives, spelled out pair by pair."""
    low, bits = packing
    pairs = sorted(
        {
            (int(np.searchsorted(keys, k)), int(s))
            for k, s in zip(known_key.tolist(), known_slot.tolist(), strict=True)
            if k in set(keys.tolist())
        }
    )
    codes = [c for c, _ in pairs]
    packed = [(c << bits) | (s - low) for c, s in pairs if low <= s < low + (1 << bits)]
    return codes, packed


@pytest.mark.parametrize("seed", range(8))
def test_known_pairs_are_distinct_and_ordered_as_before(seed: int) -> None:
    rng = np.random.default_rng(seed)
    keys = np.unique(rng.integers(-50, 50, 40, dtype=np.int64))
    n = int(rng.integers(1, 400))
    # the batch's keys and some others, slots repeated (one pair per post that has the key)
    known_key = rng.choice(np.r_[keys, rng.integers(-80, 80, 10)], n).astype(np.int64)
    wide = seed % 4 == 3  # slots too wide to pack with the key numbers: the lexsort route
    span = 2**61 if wide else 60
    known_slot = rng.integers(-5 if seed % 2 else 0, span, n, dtype=np.int64)
    known_slot = rng.choice(known_slot[: max(1, n // 3)], n)  # repeats
    packing = (int(rng.integers(-3, 10)), 6)
    kcode, kpair = _known_pairs(keys, known_key, known_slot, packing)
    want_codes, want_packed = _known_pairs_rule(keys, known_key, known_slot, packing)
    assert kcode.tolist() == want_codes
    assert kpair.tolist() == want_packed
