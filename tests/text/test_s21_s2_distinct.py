"""The worker-side ``np.unique(values)`` calls use :func:`brandhalo.text.arrays.distinct` (a sort
instead of numpy 2's hashing); it must give exactly what ``np.unique`` gives."""

from __future__ import annotations

import numpy as np
import pytest

from brandhalo.text import neardup
from brandhalo.text.arrays import distinct


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint32, np.int8, np.intp])
def test_distinct_is_np_unique(dtype: type) -> None:
    rng = np.random.default_rng(21)
    cases = [
        np.zeros(0, dtype=dtype),
        np.array([7], dtype=dtype),
        np.array([3, 3, 3], dtype=dtype),
        np.array([5, 1, 5, 0, 1, 2], dtype=dtype),
        rng.integers(0, 50, 1000).astype(dtype),  # many repeats
        rng.integers(0, 100, 37).astype(dtype),
        np.arange(20, 0, -1).astype(dtype),  # no repeats, descending
    ]
    for values in cases:
        got, want = distinct(values), np.unique(values)
        assert got.dtype == want.dtype
        assert got.tolist() == want.tolist()


def test_large_keys_and_negatives() -> None:
    rng = np.random.default_rng(5)
    values = rng.integers(-(2**40), 2**40, 5000)
    values = np.concatenate([values, values[::3]])  # a third repeated
    assert distinct(values).tolist() == np.unique(values).tolist()
    assert len(distinct(values)) == 5000


def test_input_left_alone() -> None:
    values = np.array([4, 2, 4, 1])
    distinct(values)
    assert values.tolist() == [4, 2, 4, 1]


def test_neardup_uses_the_shared_helper() -> None:
    assert neardup.distinct is distinct
