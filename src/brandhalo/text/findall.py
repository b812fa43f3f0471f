"""Vectorized multi-string search over code-point arrays ("filter, then walk").

Finding a few hundred aliases and theme terms in a batch of posts is the hottest loop of
enrichment. A per-character automaton in C still costs about 150 ns per character from
Python; this finder does the same job with a handful of numpy passes:

1. a dense lookup table marks positions whose character starts some key;
   single-character keys are looked up directly there;
2. at those positions a hash of the first two characters drops most positions no longer key
   starts at; the rest reach the trie of the longer keys through a hash table of character
   pairs;
3. the positions still on a key's path walk down the trie one character column at a time
   (one hash-table lookup per depth for all of them), reporting the keys that end at each
   node they reach.

It returns every occurrence of every key, overlapping ones included — the same set an
Aho-Corasick automaton reports (the tests check this against pyahocorasick).
"""

from __future__ import annotations

import collections
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
        # per first character: _ANYWHERE if it starts a key anywhere, _AT_WORD if it starts
        # a key at word starts (one lookup per character finds both)
        self._first = np.zeros(_SIZE + 1, dtype=np.uint8)
        # int32: half the cache footprint of the lookup at every candidate position
        self._single_key = np.full(_SIZE + 1, -1, dtype=np.int32)
        self._astral_singles: dict[int, int] = {}
        longer = [i for i, c in enumerate(codes) if len(c) >= 2]
        for i, c in enumerate(codes):
            self._first[min(int(c[0]), _SIZE)] |= _AT_WORD if anchored[i] else _ANYWHERE
            if len(c) == 1:
                if c[0] < _SIZE:
                    self._single_key[c[0]] = i
                else:
                    self._astral_singles[int(c[0])] = i
        self._trie = _Trie([codes[i] for i in longer], longer) if longer else None

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
        top = int(codes.max())
        flags = self._first.take(codes, mode="clip")  # from _SIZE on: the last entry
        if word_start is not None:  # anchored keys only where a word starts
            allowed = np.asarray(word_start, dtype=bool).view(np.uint8) * np.uint8(_AT_WORD)
            allowed |= np.uint8(_ANYWHERE)
            flags &= allowed
        cand = np.flatnonzero(flags != 0)  # (nonzero of a bool array: several times faster)
        starts, keys = [], []
        if cand.size:
            s, k = self._singles(codes, cand)
            starts.append(s)
            keys.append(k)
            # values past Unicode (not from a str) all read as one character of no key
            s, k = self._multis(codes if top < _UNICODE else np.minimum(codes, _UNICODE), cand)
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
        """Keys of two or more characters: the two-character ones, then the longer ones; each
        part ordered by (position, key)."""
        if self._trie is None:
            e = np.zeros(0, dtype=np.int64)
            return e, e
        return self._trie.walk(codes, cand)


#: bits of :func:`_pair_hash` (a 1 MiB table)
_PAIR_BITS = 20
_UNICODE = 0x110000


def _pair_hash(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A hash in ``[0, 2**_PAIR_BITS)`` of each pair of code points."""
    with np.errstate(over="ignore"):
        h = first.astype(np.uint32, copy=False) * np.uint32(0x9E3779B1)
        h ^= second.astype(np.uint32, copy=False) * np.uint32(0x85EBCA77)
    h >>= np.uint32(32 - _PAIR_BITS)
    return h


class _Trie:
    """The keys of two or more characters as a trie, walked one character column at a time.

    The trie is a double array: the child of node ``s`` by character ``c`` is the slot
    ``base[s] + symbol[c]``, and it exists when ``check`` of that slot is ``s`` — one lookup
    per character, no probing. A hash of a position's first two characters first drops most
    positions no key of two or more characters starts at. Only the positions still on the
    path of some key are read at each depth, so a prefix shared by many keys (the ``xiao`` of
    33 ``xiaomi ...`` keys) is read once, not once per key.
    """

    def __init__(self, codes: Sequence[np.ndarray], ids: Sequence[int]):
        """`codes[i]`: the code points of key `ids[i]` (two or more of them)."""
        alphabet = sorted({c for chars in codes for c in chars.tolist()})
        # symbol 0: a character of no key (it leads nowhere)
        self._symbol = np.zeros(_UNICODE + 1, dtype=np.int32)
        self._symbol[alphabet] = np.arange(1, len(alphabet) + 1, dtype=np.int32)
        children: list[dict[int, int]] = [{}]  # per node (0: the root): symbol -> child
        ending: list[list[int]] = [[]]  # per node, the keys that end there
        symbols = self._symbol[np.concatenate(codes)].tolist()
        at = 0
        for key, chars in zip(ids, codes, strict=True):
            node = 0
            for sym in symbols[at : at + len(chars)]:
                child = children[node].get(sym)
                if child is None:
                    child = children[node][sym] = len(ending)
                    children.append({})
                    ending.append([])
                node = child
            at += len(chars)
            ending[node].append(key)
        self._base, self._check, slot_of = _double_array(children, len(alphabet))
        counts = np.zeros(len(self._check), dtype=np.int64)
        ends: dict[int, list[int]] = {}
        for node, keys in enumerate(ending):
            if keys:
                counts[slot_of[node]] = len(keys)
                ends[slot_of[node]] = keys
        self._ptr = np.concatenate(([0], np.cumsum(counts)))
        self._ends = np.array([k for s in sorted(ends) for k in ends[s]], dtype=np.int64)
        self._ending = counts > 0
        self._fanout = bool((counts > 1).any())  # a key given twice
        first = np.array([c[0] for c in codes], dtype=np.uint32)
        second = np.array([c[1] for c in codes], dtype=np.uint32)
        self._pair_seen = np.zeros(1 << _PAIR_BITS, dtype=bool)
        self._pair_seen[_pair_hash(first, second)] = True

    def walk(self, codes: np.ndarray, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions, keys) of every key found at the candidate positions `cand` (ascending)
        of `codes` (at most ``_UNICODE``): the two-character keys, then the longer ones, each
        part by (position, key)."""
        n = len(codes)
        pos = cand[: np.searchsorted(cand, n - 1)]  # a second character follows
        pos = pos[self._pair_seen[_pair_hash(codes[pos], codes[1:][pos])]]
        base, check, symbol = self._base, self._check, self._symbol
        one = base[0] + symbol[codes[pos]]
        two = base[one] + symbol[codes[1:][pos]]
        found = (check[one] == 0) & (check[two] == one)
        pos, node = pos[found], two[found]
        short = self._keys_at(pos, node)
        longer: list[tuple[np.ndarray, np.ndarray]] = []
        depth = 2
        while len(pos):
            live = int(np.searchsorted(pos, n - depth))  # a character follows at `depth`
            if live < len(pos):
                pos, node = pos[:live], node[:live]
            nxt = base[node] + symbol[codes[depth:][pos]]
            found = check[nxt] == node
            pos, node = pos[found], nxt[found]
            depth += 1
            longer.append(self._keys_at(pos, node))
        return _concat([short, _by_position_and_key(longer)])

    def _keys_at(self, pos: np.ndarray, node: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position, key) of each key ending at `node[i]`, at `pos[i]`."""
        end = self._ending[node]
        pos, node = pos[end], node[end]
        if not self._fanout:
            return pos, self._ends[self._ptr[node]]
        reps = self._ptr[node + 1] - self._ptr[node]
        offs = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        return np.repeat(pos, reps), self._ends[np.repeat(self._ptr[node], reps) + offs]


def _double_array(
    children: list[dict[int, int]], symbols: int
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(base, check, slot of each node) of a trie given as each node's children by symbol
    (1 to `symbols`; node 0 is the root, put in slot 0).

    Each node's children go to the first free slots ``b + symbol`` (``b >= 0``, breadth
    first); ``check`` holds each slot's parent slot, -1 where none (the root's included).
    """
    used = bytearray(2 * symbols + 2)
    used[0] = 1
    top = 0  # the highest used slot
    base = [0] * len(children)  # per node
    parent = {0: -1}  # per used slot
    slot_of = [0] * len(children)
    free = 1  # every slot below is used
    queue = collections.deque([0])
    while queue:
        node = queue.popleft()
        syms = sorted(children[node])
        if not syms:
            continue
        # children fit with the first one at top + 1 at the latest, so all below top + symbols
        if len(used) < top + symbols + 2:
            used.extend(bytes(top + symbols + 2 - len(used)))
        first = used.find(0, max(free, syms[0]))  # the first child's slot
        while any(used[first - syms[0] + s] for s in syms[1:]):
            first = used.find(0, first + 1)
        b = base[node] = first - syms[0]
        for s in syms:
            child = children[node][s]
            used[b + s] = 1
            slot_of[child] = b + s
            parent[b + s] = slot_of[node]
            queue.append(child)
        free = used.find(0, free)
        top = max(top, b + syms[-1])
    size = max(len(used), max(base) + symbols + 1)
    base_arr = np.zeros(size, dtype=np.int32)
    base_arr[slot_of] = base
    check = np.full(size, -1, dtype=np.int32)
    check[list(parent)] = list(parent.values())
    return base_arr, check, slot_of


def _by_position_and_key(
    parts: list[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray]:
    """Parts each ordered by (position, key) merged into one ordered the same way."""
    parts = [p for p in parts if len(p[0])]
    if len(parts) <= 1:
        return _concat(parts)
    pos, key = _concat(parts)
    bits = max(int(key.max()).bit_length(), 1)
    # sorted runs, one per part: the stable sort (timsort) merges them
    merged = np.sort(pos << bits | key, kind="stable")
    return merged >> bits, merged & ((1 << bits) - 1)


def _concat(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    if not parts:
        e = np.zeros(0, dtype=np.int64)
        return e, e
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([p for p, _ in parts]), np.concatenate([k for _, k in parts])
