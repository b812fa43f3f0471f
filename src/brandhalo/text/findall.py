"""Vectorized multi-string search over code-point arrays ("filter, then verify").

Finding a few hundred aliases and theme terms in a batch of posts is the hottest loop of
enrichment. A per-character automaton in C still costs about 150 ns per character from
Python; this finder does the same job with a handful of numpy passes:

1. a dense lookup table marks positions whose character starts some key;
2. at those positions the first two characters are looked up among the two-character keys,
   the first three among the prefixes of longer keys (sorted arrays and ``searchsorted``);
   single-character keys are looked up directly;
3. each surviving (position, longer key) candidate is verified against the rest of the key,
   one character column at a time.

It returns every occurrence of every key, overlapping ones included — the same set an
Aho-Corasick automaton reports (the tests check this against pyahocorasick).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_SIZE = 0x30000  # code points beyond share one "maybe" slot of the first-character table
_SHIFT = np.uint64(21)
_ANYWHERE, _AT_WORD = 1, 2  # flags of KeyFinder's first-character table


class KeyFinder:
    """All occurrences of `keys` (non-empty strings) in an array of code points."""

    def __init__(self, keys: Sequence[str], word_start: Sequence[bool] | None = None):
        """`word_start[i]`: key i can only match where a word starts (Latin keys with a left
        word boundary), which lets :meth:`find` skip most Latin positions."""
        self.keys = list(keys)
        anchored = list(word_start) if word_start is not None else [False] * len(self.keys)
        codes = [np.array([ord(c) for c in k], dtype=np.uint32) for k in self.keys]
        self._len = np.array([len(c) for c in codes], dtype=np.int64)
        width = max((len(c) for c in codes), default=1)
        self._mat = np.zeros((len(codes), width), dtype=np.uint32)
        for i, c in enumerate(codes):
            self._mat[i, : len(c)] = c
        # per first character: _ANYWHERE if it starts a key anywhere, _AT_WORD if it starts
        # a key at word starts (one lookup per character finds both)
        self._first = np.zeros(_SIZE + 1, dtype=np.uint8)
        # int32: half the cache footprint of the lookup at every candidate position
        self._single_key = np.full(_SIZE + 1, -1, dtype=np.int32)
        self._astral_singles: dict[int, int] = {}
        groups: dict[int, dict[int, list[int]]] = {2: {}, 3: {}}
        for i, c in enumerate(codes):
            self._first[min(int(c[0]), _SIZE)] |= _AT_WORD if anchored[i] else _ANYWHERE
            if len(c) == 1:
                if c[0] < _SIZE:
                    self._single_key[c[0]] = i
                else:
                    self._astral_singles[int(c[0])] = i
            else:
                w = min(len(c), 3)  # two-character keys by their pair, longer by a triple
                groups[w].setdefault(_prefix_id(c[:w]), []).append(i)
        self._groups = {w: _Group(g, w) for w, g in groups.items() if g}

    def find(
        self, codes: np.ndarray, word_start: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(start positions, key ids) of every occurrence, unordered.

        Args:
            codes: code points to search.
            word_start: boolean mask of positions where a word starts; without it, anchored
                keys are searched everywhere (the caller then checks boundaries itself).
        """
        if not self.keys or not len(codes):
            e = np.zeros(0, dtype=np.int64)
            return e, e
        clipped = codes if int(codes.max()) < _SIZE else np.minimum(codes, _SIZE)
        flags = self._first[clipped]
        if word_start is not None:  # anchored keys only where a word starts
            allowed = np.asarray(word_start, dtype=bool).view(np.uint8) * np.uint8(_AT_WORD)
            allowed |= np.uint8(_ANYWHERE)
            flags &= allowed
        cand = np.flatnonzero(flags)
        starts, keys = [], []
        if cand.size:
            s, k = self._singles(codes, cand)
            starts.append(s)
            keys.append(k)
            s, k = self._multis(codes, cand)
            starts.append(s)
            keys.append(k)
        if not starts:
            e = np.zeros(0, dtype=np.int64)
            return e, e
        return np.concatenate(starts), np.concatenate(keys)

    def _singles(self, codes: np.ndarray, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c = codes[cand]
        key = self._single_key[np.minimum(c, _SIZE)]
        if self._astral_singles:
            big = np.flatnonzero(c >= _SIZE)
            key[big] = [self._astral_singles.get(int(x), -1) for x in c[big]]
        ok = key >= 0
        return cand[ok], key[ok].astype(np.int64)

    def _multis(self, codes: np.ndarray, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        starts, keys = [], []
        cand = cand[cand + 2 <= len(codes)]
        pair = _pair_hash(codes[cand], codes[cand + 1])
        for width, group in self._groups.items():
            c = cand[group.pairs[pair]]  # drops most positions no key of the group starts at
            c = c[c + width <= len(codes)]
            prefix = codes[c].astype(np.uint64)
            for j in range(1, width):
                prefix = (prefix << _SHIFT) | codes[c + j].astype(np.uint64)
            pos, key = group.lookup(c, prefix)
            if width == 3:
                pos, key = self._verify(codes, pos, key)
            starts.append(pos)
            keys.append(key)
        if not starts:
            e = np.zeros(0, dtype=np.int64)
            return e, e
        return np.concatenate(starts), np.concatenate(keys)

    def _verify(
        self, codes: np.ndarray, pos: np.ndarray, key: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        lengths = self._len[key]
        ok = pos + lengths <= len(codes)
        # The triple lookup matched characters 0-2; check the rest one column at a time,
        # dropping candidates as soon as they fail.
        idx = np.flatnonzero(ok & (lengths > 3))
        j = 3
        while idx.size:
            match = codes[pos[idx] + j] == self._mat[key[idx], j]
            ok[idx[~match]] = False
            idx = idx[match]
            j += 1
            idx = idx[lengths[idx] > j]
        return pos[ok], key[ok]


#: bits of :func:`_pair_hash` (a 1 MiB table per group)
_PAIR_BITS = 20


def _pair_hash(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A hash in ``[0, 2**_PAIR_BITS)`` of each pair of code points."""
    with np.errstate(over="ignore"):
        h = first.astype(np.uint32) * np.uint32(0x9E3779B1)
        h ^= second.astype(np.uint32) * np.uint32(0x85EBCA77)
    return h >> np.uint32(32 - _PAIR_BITS)


def _prefix_id(chars: np.ndarray) -> int:
    out = 0
    for c in chars.tolist():
        out = (out << 21) | int(c)
    return out


class _Group:
    """Keys grouped by their first two or three characters (a sorted array of prefix ids)."""

    def __init__(self, groups: dict[int, list[int]], width: int):
        self.ids = np.array(sorted(groups), dtype=np.uint64)
        lists = [groups[int(p)] for p in self.ids]
        self.ptr = np.concatenate(([0], np.cumsum([len(x) for x in lists]))).astype(np.int64)
        self.keys = np.array([k for x in lists for k in x], dtype=np.int64)
        # Which hashes (:func:`_pair_hash`) of a prefix's first two characters occur: a
        # position whose pair hash is not among them starts no key of the group.
        shift = _SHIFT * np.uint64(width - 2)
        mask = np.uint64((1 << 21) - 1)
        first = (self.ids >> (shift + _SHIFT)) & mask
        second = (self.ids >> shift) & mask
        self.pairs = np.zeros(1 << _PAIR_BITS, dtype=bool)
        self.pairs[_pair_hash(first, second)] = True

    def lookup(self, pos: np.ndarray, prefix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position, key) for every key whose prefix matches at each position."""
        idx = np.searchsorted(self.ids, prefix)
        idx[idx >= len(self.ids)] = 0
        ok = self.ids[idx] == prefix
        pos, grp = pos[ok], idx[ok]
        reps = self.ptr[grp + 1] - self.ptr[grp]
        pos = np.repeat(pos, reps)
        offs = np.arange(len(pos)) - np.repeat(np.cumsum(reps) - reps, reps)
        return pos, self.keys[np.repeat(self.ptr[grp], reps) + offs]
