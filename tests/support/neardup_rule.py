"""The near-duplicate index's cap in plain Python: what ``text.neardup.capped_pairs`` must
keep, for the tests that pin its fast paths."""

from __future__ import annotations

import numpy as np


def capped_pairs_rule(
    key: np.ndarray, slot: np.ndarray, known_key: np.ndarray, known_slot: np.ndarray, most: int
) -> list[tuple[int, int]]:
    """In post order, a new (key, cluster) pair is kept while its key has fewer than `most`
    clusters, the stored ones included."""
    held: dict[int, set[int]] = {}
    for k, s in zip(known_key.tolist(), known_slot.tolist(), strict=True):
        held.setdefault(k, set()).add(s)
    out = []
    for k, s in zip(key.tolist(), slot.tolist(), strict=True):
        have = held.setdefault(k, set())
        if s not in have and len(have) < most:
            have.add(s)
            out.append((k, s))
    return out
