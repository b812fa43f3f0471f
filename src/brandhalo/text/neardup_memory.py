"""The near-duplicate cluster index held in memory by one writer for a run of batches.

:class:`brandhalo.text.neardup.ClusterIndex` looks every batch's band keys up in the store's
index (``neardup_bands``, ``neardup_clusters``). Each lookup is a join that scans the whole
index, and the index grows with the posts of the last :data:`~brandhalo.text.neardup.HORIZON_DAYS`
days, so over a large run the writer's cost per post grew with the run's size (1M posts:
0.9 us per post in the two lookups; 3M: 2.8 us). :class:`MemoryIndex` is a copy of the index,
read once, that answers the lookups with binary searches over sorted keys and decides pruning
itself; the store receives its changes when the writer flushes, before its transaction
commits: the new clusters and keys still live then (most clusters are one-off posts pruned
within the same chunk: they are never written, instead of written and deleted again), the
pruned clusters the store holds, and new last hours. So what is stored at each commit, and
every cluster assigned, is the same as without the copy.

The copy is exact only while each cluster id has one row; the owner drops it (and goes back to
store lookups) when that would break, or when the index outgrows :data:`MAX_CLUSTERS`.

Its costs per batch do not grow with the run: the stored pairs are a large sorted run and a
small one that takes each batch's new pairs (merged into the large one when it reaches a
:data:`TAIL_SHARE` of it, instead of inserting into the whole index every batch), and the slots
of clusters that are pruned and flushed are handed back (:meth:`MemoryIndex.prune` renumbers
the rest when they are half of all), so a long run is not read from the store again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress
from typing import Any

import numpy as np

#: Clusters (and signature-less ids that band keys name) the copy holds at most: about 200 bytes
#: each, band keys included, so 1M is about 200 MB of the writer's memory.
MAX_CLUSTERS = 1_000_000
#: The small sorted run of (key, cluster) pairs is merged into the large one when it holds
#: this share of it (each batch's pairs then move about 1/TAIL_SHARE of the index, not all).
TAIL_SHARE = 4
#: ... or when it reaches this many pairs while the large run is smaller.
TAIL_MIN = 1 << 16
#: Slots are renumbered when at least this many are free (pruned and flushed), half of all.
RENUMBER_MIN = 1 << 16


def _grown(a: np.ndarray, size: int) -> np.ndarray:
    """`a` with room for `size` rows (doubling), contents kept."""
    if size <= a.shape[0]:
        return a
    out = np.zeros((max(size, 2 * a.shape[0]), *a.shape[1:]), dtype=a.dtype)
    out[: a.shape[0]] = a
    return out


@dataclass
class MemoryIndex:
    """The index by slot: one slot per cluster id, its signature, last hour and state.

    ``bkey`` (sorted) and ``bslot`` are the stored (band key, cluster) pairs, ``tkey`` and
    ``tslot`` (sorted) the ones added since they were last merged in; the pairs of a pruned
    cluster stay until :meth:`compact` (lookups skip slots that are not alive).
    """

    hashes: int
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, object))  # slot -> cluster id
    size: int = 0  # slots in use
    sig: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.uint32))
    last: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # us since epoch
    dated: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # last is not NULL
    alive: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    signed: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # a clusters row
    dirty: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # last hour moved
    fresh: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # not yet in the store
    bkey: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    bslot: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    tkey: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    tslot: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    slot_of: dict[str, int] = field(default_factory=dict)  # cluster id -> its latest slot
    gone: list[int] = field(default_factory=list)  # pruned, not yet deleted in the store
    # (key, slot) pairs not yet in the store, batch by batch
    unsent: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)

    @classmethod
    def load(cls, hashes: int, clusters: Any, bands: Any) -> MemoryIndex | None:
        """The copy of stored index tables (Arrow: ``cluster_id, sig, last_hour`` and
        ``key, cluster_id``); None when a cluster id has several rows (not representable)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        ids = clusters.column("cluster_id").to_pylist()
        if len(set(ids)) != len(ids):
            return None
        index = cls(hashes=hashes, sig=np.zeros((0, hashes), np.uint32))
        raw = b"".join(clusters.column("sig").to_pylist())
        sig = np.frombuffer(raw, dtype=np.uint32).reshape(-1, hashes)
        hours = clusters.column("last_hour").cast(pa.timestamp("us"))
        index._add(ids, sig, _micros(hours), signed=True)
        band_ids = bands.column("cluster_id")
        at = pc.index_in(band_ids, value_set=clusters.column("cluster_id"))
        unsigned = pc.is_null(at).to_numpy(zero_copy_only=False)
        slots = pc.fill_null(at, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        if unsigned.any():  # keys of ids with no clusters row: slots of their own
            named = pc.filter(band_ids, pa.array(unsigned))
            extra = pc.unique(named)
            first = index._add(extra.to_pylist(), None, None, signed=False)[0] if len(extra) else 0
            slots[unsigned] = first + pc.index_in(named, value_set=extra).to_numpy()
        keys = bands.column("key").to_numpy()
        order = np.lexsort((slots, keys))
        index.bkey, index.bslot = keys[order], slots[order]
        same = (index.bkey[1:] == index.bkey[:-1]) & (index.bslot[1:] == index.bslot[:-1])
        return None if same.any() else index  # a pair stored twice: not modelled

    def _add(
        self,
        ids: list[str],
        sig: np.ndarray | None,
        micros: tuple[np.ndarray, np.ndarray] | None,
        *,
        signed: bool,
        fresh: bool = False,
    ) -> np.ndarray:
        """New slots for `ids`; their slot numbers (`fresh`: not yet in the store)."""
        lo, n = self.size, len(ids)
        hi = lo + n
        for name in ("ids", "sig", "last", "dated", "alive", "signed", "dirty", "fresh"):
            setattr(self, name, _grown(getattr(self, name), hi))
        if sig is not None:
            self.sig[lo:hi] = sig
        if micros is not None:
            self.last[lo:hi], self.dated[lo:hi] = micros
        self.alive[lo:hi] = True
        self.signed[lo:hi] = signed
        self.fresh[lo:hi] = fresh
        self.ids[lo:hi] = ids
        self.size = hi
        self.slot_of.update(zip(ids, range(lo, hi), strict=True))  # later slots win
        return np.arange(lo, hi, dtype=np.int64)

    def find(self, ids: list[str]) -> np.ndarray:
        """The latest slot named by each of `ids` (-1: none)."""
        get = self.slot_of.get
        return np.fromiter((get(i, -1) for i in ids), dtype=np.int64, count=len(ids))

    # ------------------------------------------------------------------ what the store does
    def prune(self, cut_us: int) -> None:
        """Prune clusters last active before `cut_us` (their keys go with them)."""
        n = self.size
        gone = np.flatnonzero(
            self.alive[:n] & self.signed[:n] & self.dated[:n] & (self.last[:n] < cut_us)
        )
        if gone.size:
            self.alive[gone] = False
            self.gone.extend(gone.tolist())
        self._renumber()

    def _renumber(self, force: bool = False) -> None:
        """Hand back the slots of clusters pruned and flushed (the store no longer holds them)
        when they are half of all (`force`: whenever there are any): the rest keep their order,
        their pairs their slots' new numbers (a pair of a freed slot goes). Called between
        batches only (no caller holds slot numbers then)."""
        n = self.size
        free = n - int(np.count_nonzero(self.alive[:n])) - len(self.gone)  # (gone: not alive)
        if not free or (not force and (free < RENUMBER_MIN or 2 * free < n)):
            return
        keep = self.alive[:n].copy()
        keep[self.gone] = True  # pruned, the store still to be told: still named by slot
        new = np.full(n, -1, dtype=np.int64)
        kept = np.flatnonzero(keep)
        new[kept] = np.arange(kept.size, dtype=np.int64)
        for name in ("ids", "sig", "last", "dated", "alive", "signed", "dirty", "fresh"):
            a = getattr(self, name)  # in place: the room stays for the next batches
            a[: kept.size] = a[kept]
            a[kept.size : n] = 0  # free again, as fresh room is
        self.size = kept.size
        self.gone = new[self.gone].tolist()
        # an id's latest slot is freed only with its older ones (they are all pruned)
        names = list(self.slot_of)
        old = np.fromiter(self.slot_of.values(), dtype=np.int64, count=len(names))
        held = keep[old]
        self.slot_of = dict(zip(compress(names, held), new[old[held]].tolist(), strict=True))
        for k in ("b", "t"):
            key, slot = getattr(self, f"{k}key"), getattr(self, f"{k}slot")
            at = new[slot]
            ok = at >= 0
            setattr(self, f"{k}key", key[ok])
            setattr(self, f"{k}slot", at[ok])
        self.unsent = [(key, new[slot]) for key, slot in self.unsent]  # (all kept: see add_unsent)

    def shrink(self) -> None:
        """Hand back every freed slot now (between batches, after a flush): the slots then
        hold the live clusters and those pruned but not yet deleted in the store only."""
        self._renumber(force=True)

    def matches(
        self, keys: np.ndarray, none: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The distinct (post, key, slot) of the stored pairs of posts x bands `keys` (`none`:
        the no-key value), alive clusters only (in no particular order), and a mask of them
        that holds each distinct (key, slot) once (many posts of a batch share a look-alike
        family's key: its stored pairs are found once per post, and wanted once)."""
        ranked = np.sort(keys, axis=1)
        if ((ranked[:, 1:] == ranked[:, :-1]) & (ranked[:, 1:] != none)).any():
            keys = keys.copy()  # a post's repeated key counts once
            dup = np.zeros(keys.shape, dtype=bool)
            for b in range(1, keys.shape[1]):
                dup[:, b] = (keys[:, :b] == keys[:, b : b + 1]).any(axis=1)
            keys[dup] = none
        flat = keys.reshape(-1)
        post = np.repeat(np.arange(keys.shape[0], dtype=np.int64), keys.shape[1])
        valid = np.flatnonzero(flat != none)
        # sorted needles search fast (ties in any order: the caller treats what is found
        # as a set, see ClusterIndex._found_in_copy)
        order = valid[np.argsort(flat[valid])]
        flat, post = flat[order], post[order]
        found = [
            _hits(k, s, flat, post) for k, s in ((self.bkey, self.bslot), (self.tkey, self.tslot))
        ]
        post, key, slot, first = (np.concatenate(cols) for cols in zip(*found, strict=True))
        keep = self.alive[slot]
        return post[keep], key[keep], slot[keep], first[keep]

    def clash(self, ids: list[str]) -> str | None:
        """Whether new clusters named `ids` can get slots: None (no id has one), ``"flush"``
        (some were pruned and the store still holds them: flush first) or ``"alive"`` (an id
        has a live cluster: one id would have two rows, which the copy does not model)."""
        named = self.slot_of.keys() & ids  # (a set of the few that have a slot)
        if not named:
            return None
        slots = np.fromiter(map(self.slot_of.__getitem__, named), np.int64, len(named))
        if self.alive[slots].any():
            return "alive"
        return "flush" if set(slots.tolist()) & set(self.gone) else None

    def add_clusters(self, ids: list[str], sig: np.ndarray, micros: Any) -> np.ndarray:
        """Slots for new clusters (see :meth:`clash` first); the store receives them when
        flushed (:meth:`unsent_clusters`), unless they are pruned before."""
        return self._add(ids, sig, micros, signed=True, fresh=True)

    def touch(self, slots: np.ndarray, hours_us: np.ndarray) -> None:
        """Move the clusters' last hours up to the latest of `hours_us` per slot."""
        if not slots.size:
            return
        undated = slots[~self.dated[slots]]
        self.last[undated] = np.iinfo(np.int64).min
        self.dated[slots] = True
        np.maximum.at(self.last, slots, hours_us)
        self.dirty[slots] = True

    def add_bands(self, keys: np.ndarray, slots: np.ndarray) -> None:
        """Stored (key, cluster) pairs: merged into the small sorted run, that one into the
        large run when it reaches a :data:`TAIL_SHARE` of it."""
        self.tkey, self.tslot = _merged(self.tkey, self.tslot, keys, slots)
        if self.tkey.size * TAIL_SHARE >= max(self.bkey.size, TAIL_MIN * TAIL_SHARE):
            self._merge_tail()

    def add_unsent(self, keys: np.ndarray, slots: np.ndarray) -> None:
        """Pairs (of live clusters) the store receives when flushed (:meth:`unsent_pairs`),
        unless their cluster is pruned before."""
        if keys.size:
            self.unsent.append((keys, slots))

    def _merge_tail(self) -> None:
        self.bkey, self.bslot = _merged(self.bkey, self.bslot, self.tkey, self.tslot)
        self.tkey, self.tslot = self.tkey[:0], self.tslot[:0]

    def compact(self) -> None:
        """Drop the keys of pruned clusters when they are half of all."""
        big, small = self.alive[self.bslot], self.alive[self.tslot]
        total = big.size + small.size
        if total and 2 * (total - int(big.sum()) - int(small.sum())) >= total:
            self.bkey, self.bslot = self.bkey[big], self.bslot[big]
            self.tkey, self.tslot = self.tkey[small], self.tslot[small]

    def live(self) -> int:
        """Slots in use (alive)."""
        return int(self.alive[: self.size].sum())

    def unsent_clusters(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """The live clusters the store has not received yet, in the order they were added:
        (ids, signatures, last hours in us, whether each is not NULL). Call before
        :meth:`pending`, which forgets them."""
        n = self.size
        new = np.flatnonzero(self.fresh[:n] & self.alive[:n])
        return self.ids[new].tolist(), self.sig[new], self.last[new], self.dated[new]

    def unsent_pairs(self) -> tuple[np.ndarray, list[str]]:
        """The (key, cluster id) pairs of live clusters the store has not received yet, in
        the order they were added. Call before :meth:`pending`, which forgets them."""
        if not self.unsent:
            return np.zeros(0, np.int64), []
        keys = np.concatenate([k for k, _ in self.unsent])
        slots = np.concatenate([s for _, s in self.unsent])
        live = self.alive[slots]
        return keys[live], self.ids[slots[live]].tolist()

    def pending(self) -> tuple[list[str], list[str], np.ndarray]:
        """What the store has not received yet, and forget it: (pruned ids the store holds,
        ids whose last hour moved, those last hours in us), pruned ones not among the moved.
        Clusters and pairs never sent (:meth:`unsent_clusters`, :meth:`unsent_pairs`) are
        forgotten too: the caller has sent the live ones, and the pruned ones need nothing."""
        n = self.size
        pruned = np.array(self.gone, dtype=np.int64)
        gone = self.ids[pruned[~self.fresh[pruned]]].tolist()
        moved = np.flatnonzero(self.dirty[:n] & self.alive[:n] & self.signed[:n] & ~self.fresh[:n])
        self.gone = []
        self.dirty[:n] = False
        self.fresh[:n] = False
        self.unsent = []
        return gone, self.ids[moved].tolist(), self.last[moved]


def _hits(
    bkey: np.ndarray, bslot: np.ndarray, flat: np.ndarray, post: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(post, key, slot) of each stored pair of sorted run `bkey`/`bslot` whose key is one of
    the sorted needles `flat` (of posts `post`), and per found pair whether its needle is the
    first of its key (the run's pairs are distinct: those found for that needle are each
    distinct (key, slot) once)."""
    lo = np.searchsorted(bkey, flat, side="left")
    hi = np.searchsorted(bkey, flat, side="right")
    count = hi - lo
    total = int(count.sum())
    if not total:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, np.zeros(0, bool)
    starts = np.repeat(lo - (np.cumsum(count) - count), count)
    slot = bslot[starts + np.arange(total, dtype=np.int64)]
    first = np.repeat(np.r_[True, flat[1:] != flat[:-1]], count)
    return np.repeat(post, count), np.repeat(flat, count), slot, first


def _merged(
    keys: np.ndarray, vals: np.ndarray, new_keys: np.ndarray, new_vals: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted `keys` (and their `vals`) with the new pairs merged in, after equal keys."""
    if not new_keys.size:
        return keys, vals
    order = np.argsort(new_keys, kind="stable")
    new_keys, new_vals = new_keys[order], new_vals[order]
    at = np.searchsorted(keys, new_keys, side="right")
    return np.insert(keys, at, new_keys), np.insert(vals, at, new_vals)


def _micros(hours: Any) -> tuple[np.ndarray, np.ndarray]:
    """(us since epoch, not NULL) of an Arrow timestamp[us] array or column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(hours, pa.ChunkedArray):
        hours = hours.combine_chunks()
    valid = pc.is_valid(hours).to_numpy(zero_copy_only=False)
    us = pc.fill_null(hours.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
    return us.astype(np.int64), valid.astype(bool)
