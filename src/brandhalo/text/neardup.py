"""Near-duplicate clusters: MinHash over character shingles, banded LSH, incremental.

A post's *signature* is computed from its normalized text (:mod:`brandhalo.text.normalize`;
of a Weibo repost with a comment of its own, ``comment//@user: ...``, the comment only: see
:func:`repost_comment`) with everything but letters, digits and Han characters removed, so one extra "！", changed
spacing, an emoji or a full-width comma does not change it. Its character 3-grams are hashed
and :data:`HASHES` MinHash values are taken per post, vectorized over the whole batch with
numpy (no per-post Python). The signature is cut into :data:`BANDS` bands of :data:`ROWS`
values; two posts sharing a band key are candidates (per pair, Jaccard 0.9: found 93 %, 0.8:
70 %, 0.6: 22 %, 0.4: 3 %) and a cluster is a connected component of candidates.

Clustering is incremental and bounded: :class:`ClusterIndex` keeps one row per band key
ever seen (``neardup_bands``: key -> cluster id) in the store, not in memory; a new batch
joins its band keys against it, links its own posts among themselves, and claims the keys not
seen before. A cluster's id is the id of its first post (so its template text is one lookup
away). Posts with fewer than :data:`MIN_CHARS` letters are never clustered (``好看!`` from
many accounts is not a template).

Example:
    >>> from brandhalo.text.normalize import normalize_batch
    >>> keys = band_keys(normalize_batch(["@品牌官方 #新车上市限时价15万起# 冲！", "@品牌官方 #新车上市限时价15万起#  冲！！"]))
    >>> bool((keys[0] == keys[1]).all())
    True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from brandhalo.store import neardup as index_store
from brandhalo.text.arrays import distinct
from brandhalo.text.neardup_memory import MAX_CLUSTERS, MemoryIndex
from brandhalo.text.normalize import (
    DIGIT,
    HAN,
    HANGUL,
    KANA,
    LATIN,
    OTHER_LETTER,
    NormBatch,
    running_count,
)

#: MinHash values per post, and their split into LSH bands of ROWS values.
HASHES, BANDS, ROWS = 16, 3, 5  # the 16th value is not banded
#: Characters per shingle.
SHINGLE = 3
#: Posts with fewer kept characters get no signature (no cluster).
MIN_CHARS = 10
#: Band key of a post without a signature.
NO_KEY = 0
#: A Weibo repost whose own comment (before ``//@``) has fewer kept characters than this is a
#: bare forward, judged (and clustered) by what it forwards; a longer comment is an opinion of
#: its own, judged and clustered on its own.
OWN_COMMENT_MIN = 8
#: Prefix of the enrich batch columns the writer clusters by (never stored).
LSH_PREFIX = "_lsh"
SIG_COLUMN, HAS_COLUMN = f"{LSH_PREFIX}_sig", f"{LSH_PREFIX}_has"
#: A post joins a cluster when this share of its MinHash values equals its first post's.
SIM_MIN = 0.6
#: Clusters one band key may point to: a key shared by more is a look-alike family's wording
#: (e.g. ``第N条`` templates) and stops taking clusters, so lookups stay bounded per post.
KEY_CLUSTERS = 32
#: Clusters with no post for this many days leave the index (keeps it, and each batch's
#: lookup, bounded by recent volume): a copy posted later starts a new cluster.
HORIZON_DAYS = 30
_KEEP = LATIN | DIGIT | HAN | KANA | HANGUL | OTHER_LETTER
_BIN_BITS = 4  # log2(HASHES)
_MIX = (np.uint32(0x9E3779B1), np.uint32(0x85EBCA77), np.uint32(0xC2B2AE3D))
_MIX64 = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
)


def _shingles(batch: NormBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(32-bit hashes of the runs of :data:`SHINGLE` consecutive kept characters, post of each
    run's first character, whether each run lies in one post, kept characters per post)."""
    keep = (batch.classes & _KEEP) > 0
    kept = batch.count_from_running(_kept_running(batch))
    end, _ = repost_comment(batch)
    cut = np.flatnonzero(end != batch.ends)
    if cut.size:  # a repost with a comment of its own: the comment only
        start, stop = end[cut], batch.ends[cut]  # its forwarded part, after the comment
        keep[_ranges(start, stop)] = False
        running = _kept_running(batch)
        kept[cut] -= running[stop - 1] - running[start - 1]
    codes = batch.codes[keep]
    # the post of each kept character (they come post by post)
    post = np.repeat(np.arange(len(batch), dtype=_post_dtype(len(batch))), kept)
    if len(codes) < SHINGLE:
        return np.zeros(0, dtype=np.uint32), post[:0], np.zeros(0, dtype=bool), kept
    m = len(codes) - SHINGLE + 1
    h = codes[:m] * _MIX[0]
    with np.errstate(over="ignore"):
        for j in range(1, SHINGLE):
            h ^= codes[j : j + m]
            h *= _MIX[j]
        h ^= h >> np.uint32(15)
    return h, post[:m], post[:m] == post[SHINGLE - 1 :], kept


def _kept_running(batch: NormBatch) -> np.ndarray:
    """Running count of the characters signatures keep (letters, digits, CJK), once per
    batch: the repost comments and the signatures both read it (read-only)."""

    def compute(b: NormBatch) -> np.ndarray:
        out = running_count((b.classes & _KEEP) > 0)
        out.setflags(write=False)
        return out

    return batch.derived("kept_running", compute)


def _ranges(start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """The positions of the ranges ``[start[i], stop[i])``, one after another."""
    lengths = stop - start
    before = np.cumsum(lengths) - lengths  # positions of the ranges before each one
    return np.arange(int(lengths.sum())) + np.repeat(start - before, lengths)


def _post_dtype(n: int) -> type[np.signedinteger[Any]]:
    """The integer type of post numbers and of the (post, bin) slots of :func:`signatures`:
    int32 while the slots (and one spare) fit (half the memory traffic)."""
    return np.int32 if n * HASHES < 2**31 - 1 else np.int64


def signatures(batch: NormBatch) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (posts x :data:`HASHES`, uint32) and which posts have one.

    One-permutation MinHash: the top bits of a shingle's hash pick its bin, the minimum of
    the rest per (post, bin) is the value (one pass instead of one per hash function); an
    empty bin borrows the value of the next non-empty bin to its right (densification).
    """
    n = len(batch)
    h, post, one_post, kept = _shingles(batch)
    ok = kept >= MIN_CHARS
    if (~ok & (kept >= SHINGLE)).any():  # short posts that have shingles: drop them
        one_post &= ok[post]
    empty = np.iinfo(np.uint32).max
    # one slot per (post, bin), and a last one for the runs no post keeps
    flat = np.full(n * HASHES + 1, empty, dtype=np.uint32)
    sig = flat[:-1].reshape(n, HASHES)
    if not one_post.any():
        return sig, np.zeros(n, dtype=bool)
    slot = post * HASHES
    slot += (h >> np.uint32(32 - _BIN_BITS)).astype(post.dtype)
    slot[~one_post] = n * HASHES
    with np.errstate(over="ignore"):
        value = h * _MIX[2]
    value &= np.uint32(0xFFFFFFFE)  # even: a borrowed value is odd-marked
    np.minimum.at(flat, slot, value)
    # a post with SHINGLE kept characters has a shingle (they are consecutive in `codes`)
    has = ok & (kept >= SHINGLE)
    missing = sig == empty
    rows = np.flatnonzero(missing.any(axis=1) & has)  # the others have all or no values
    if len(rows):
        sig[rows] = _densified(sig[rows], missing[rows], empty)
    return sig, has


def _densified(sig: np.ndarray, missing: np.ndarray, empty: int) -> np.ndarray:
    """`sig` with each `missing` value borrowed from the next non-empty bin to its right
    (odd-marked)."""
    for shift in range(1, HASHES):
        if not missing.any():
            break
        donor = np.roll(sig, -shift, axis=1)
        fill = missing & (donor != empty)
        sig[fill] = donor[fill] | np.uint32(1)  # borrowed values never equal real ones
        missing &= ~fill
    return sig


def keys_of(sig: np.ndarray, has: np.ndarray) -> np.ndarray:
    """LSH band keys (posts x :data:`BANDS`, int64) of signatures; :data:`NO_KEY` without one."""
    s = sig.astype(np.uint64)
    n = len(sig)
    keys = np.zeros((n, BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for b in range(BANDS):
            k = np.full(n, np.uint64(b + 1) * _MIX64[2], dtype=np.uint64)
            for r in range(ROWS):
                k = (k ^ s[:, b * ROWS + r]) * _MIX64[r % 2]
            keys[:, b] = k ^ (k >> np.uint64(31))
    out = keys.view(np.int64)
    out[out == NO_KEY] = 1  # keep NO_KEY free for "no signature"
    out[~has] = NO_KEY
    return out


def band_keys(batch: NormBatch) -> np.ndarray:
    """LSH band keys of a batch's posts (see :func:`keys_of`)."""
    return keys_of(*signatures(batch))


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity: the share of equal MinHash values (row by row).

    Counted, then divided (the same float64 as ``(a == b).mean(axis=-1)``, whose float sum
    of booleans costs about three times the count)."""
    equal = np.count_nonzero(a == b, axis=-1)
    return np.asarray(equal / np.shape(a)[-1], dtype=np.float64)


def sig_column(sig: np.ndarray) -> Any:
    """Signatures as an Arrow fixed-size binary column (the enrich batch's ``_sig``)."""
    import pyarrow as pa

    sig = np.ascontiguousarray(sig, dtype=np.uint32)
    width = HASHES * 4
    return pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), len(sig), [None, pa.py_buffer(sig.tobytes())]
    )


def sig_array(column: Any) -> np.ndarray:
    """Back from :func:`sig_column` (or a list of bytes) to posts x :data:`HASHES` uint32."""
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if isinstance(column, pa.FixedSizeBinaryArray):
        raw = np.frombuffer(column.buffers()[1], dtype=np.uint32)
        start = column.offset * HASHES
        return raw[start : start + len(column) * HASHES].reshape(-1, HASHES)
    data = b"".join(column)
    return np.frombuffer(data, dtype=np.uint32).reshape(-1, HASHES)


def components(keys: np.ndarray) -> np.ndarray:
    """For posts x bands keys, the index of each post's component leader (its first post).

    Posts sharing a non-:data:`NO_KEY` band key are linked; label propagation to the smallest
    index converges in a few rounds (clusters are small and star-shaped). Each band's posts
    are grouped by key once (one sort); keys of one post link nothing and are left out, and a
    round takes each group's smallest label with one ``minimum.reduceat``.
    """
    n = keys.shape[0]
    label = np.arange(n, dtype=np.int64)
    groups: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (members, starts, sizes)
    for b in range(keys.shape[1]):
        col = keys[:, b]
        valid = np.flatnonzero(col != NO_KEY)
        if valid.size < 2:
            continue
        order = valid[np.argsort(col[valid])]
        k = col[order]
        start = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
        size = np.diff(np.r_[start, k.size])
        shared = size > 1
        if not shared.any():
            continue
        members = order[np.repeat(shared, size)]
        size = size[shared]
        groups.append((members, np.cumsum(size) - size, size))
    while True:
        before = label.copy()
        for members, start, size in groups:
            low = np.minimum.reduceat(label[members], start)
            label[members] = np.minimum(label[members], np.repeat(low, size))
        label = label[label]  # pointer jumping
        if np.array_equal(label, before):
            return label


#: Rounds of :func:`leaders`: posts still apart after them start clusters of their own.
LEADER_ROUNDS = 8


def leaders(keys: np.ndarray, sig: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per post of a batch, its leader (the post whose cluster it joins) and whether it has one
    (a leader leads itself).

    The first round takes each band-key component's first post (:func:`components`) and the
    posts similar to it (:data:`SIM_MIN`); the posts left form components among themselves
    and take their first posts the same way, for :data:`LEADER_ROUNDS` rounds. One round left
    a second wording of a template ("喝了十年了" beside "从小喝到大", both with the same link
    and hashtag: one band key in common) as one-post clusters whenever the component's first
    post had the other wording: 33 of a 230-post paid flood read organic.
    """
    n = keys.shape[0]
    leader = np.arange(n, dtype=np.int64)
    close = np.zeros(n, dtype=bool)
    todo = np.arange(n, dtype=np.int64)
    for _ in range(LEADER_ROUNDS):
        if not len(todo):
            break
        lead = todo[components(keys[todo])]
        near = similarity(sig[todo], sig[lead]) >= SIM_MIN  # a leader is near itself
        leader[todo[near]], close[todo[near]] = lead[near], True
        todo = todo[~near]
    return leader, close


class ClusterIndex:
    """Cluster assignment against the store's cluster index.

    ``neardup_bands`` maps band keys to the clusters whose posts carry them and
    ``neardup_clusters`` holds each cluster's first post's signature: a candidate found by a
    band key joins only when its signature agrees with that first post's on at least
    :data:`SIM_MIN` of the values, so look-alike short texts do not chain into one cluster.
    The index's statements are in :mod:`brandhalo.store.neardup`.

    With `memory`, the lookups are answered by a copy of the index read once
    (:class:`~brandhalo.text.neardup_memory.MemoryIndex`: binary searches instead of a scan of
    the index per batch); the store receives the copy's changes when :meth:`flush` is called,
    which the owner does before its transaction commits (clusters created and pruned in
    between are never written). Clusters and stored index are the same either way.

    Args:
        con: a DuckDB connection inside the writer's transaction.
        memory: keep the copy (for a run of batches; one batch gains nothing).
    """

    def __init__(self, con: Any, *, memory: bool = False):
        self.con = con
        self.memory: MemoryIndex | None = None
        self._load = memory  # the copy is still to be read
        # the copy's stored (key, slot) pairs of the batch's keys (of the last lookup)
        self._known_pairs = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        self._known_ids: np.ndarray | None = None  # the copy's cluster ids by slot, for them

    def assign(
        self,
        post_ids: list[str],
        sig: np.ndarray,
        has: np.ndarray,
        hours: np.ndarray | None = None,
    ) -> list[str | None]:
        """Cluster id of each post (None: no signature); records new clusters and keys.

        A post joins the most similar stored cluster that shares a band key with it, when
        similar enough to that cluster's first post; else it joins its batch component's first
        post's cluster, when similar enough to that post; else it starts a cluster of its own
        (named after itself). All vectorized: no Python loop over posts. `hours` (local post
        hours, datetime64) keep each cluster's last activity; clusters idle for
        :data:`HORIZON_DAYS` before this batch's latest hour are dropped from the index.
        """
        mem = self._copy()
        if mem is not None and hours is not None and np.isnat(hours).any():
            self._drop()  # (a NULL hour: the copy does not model it)
            mem = None
        if hours is not None and len(hours):
            cut = (np.max(hours) - np.timedelta64(HORIZON_DAYS, "D")).astype("datetime64[s]")
            if mem is not None:
                mem.prune(int(cut.astype("datetime64[us]").astype(np.int64)))
            else:
                self._prune(cut)
        keys = keys_of(sig, has)
        ids = np.array(post_ids, dtype=object)
        best, known, best_slot = self._best_stored(keys, sig)  # cluster id or None per post
        matched = np.array([b is not None for b in best], dtype=bool)
        leader, close = leaders(keys, sig)
        # a component's cluster: its first post's stored match, else its first post
        lead_cluster = np.where(matched[leader], best[leader], ids[leader])
        cluster = np.where(matched, best, np.where(close, lead_cluster, ids))
        cluster[~has] = None
        new_leaders = np.flatnonzero(has & ~matched & (cluster == ids))
        slots = self._copy_slots(
            post_ids, sig, hours, (new_leaders, matched, best_slot, leader, close)
        )
        self._record(post_ids, sig, keys, (cluster, ids, has), new_leaders, hours, known, slots)
        return cluster.tolist()  # type: ignore[no-any-return]

    def _copy(self) -> MemoryIndex | None:
        """The in-memory copy (read on first use), or None."""
        if self.memory is not None and self.memory.size > MAX_CLUSTERS:
            # slots of pruned clusters pile up (a slot is handed back once half are free):
            # once the store has the copy's changes, hand back all of them; only live
            # clusters beyond the limit send it back to the store (read afresh, if small)
            self.flush()
            self.memory.shrink()
            if self.memory.size > MAX_CLUSTERS:
                self.memory, self._load = None, True
        if self._load:
            self._load = False
            tables = index_store.read_index(self.con, MAX_CLUSTERS // 2)
            self.memory = MemoryIndex.load(HASHES, *tables) if tables else None
        return self.memory

    def flush(self) -> None:
        """Send what the copy holds back to the store: clusters it pruned, last hours it
        moved. The owner calls it before committing (the store then equals the copy)."""
        import pyarrow as pa

        mem = self.memory
        if mem is None:
            return
        new_ids, new_sig, new_last, new_dated = mem.unsent_clusters()
        pair_keys, pair_ids = mem.unsent_pairs()
        gone, moved, last = mem.pending()
        if gone:
            with self._view("_nd_gone", pa.table({"cluster_id": pa.array(gone, pa.string())})):
                index_store.delete_clusters(self.con, "_nd_gone")
        if new_ids:
            leaders = pa.table(
                {
                    "cluster_id": pa.array(new_ids, pa.string()),
                    "sig": sig_column(new_sig),
                    "last_hour": pa.array(new_last, pa.int64(), mask=~new_dated).cast(
                        pa.timestamp("us")
                    ),
                }
            )
            with self._view("_nd_leaders", leaders):
                index_store.insert_clusters(self.con, "_nd_leaders")
        if pair_ids:
            pairs = pa.table(
                {
                    "key": pa.array(pair_keys, pa.int64()),
                    "cluster_id": pa.array(pair_ids, pa.string()),
                }
            )
            with self._view("_nd_ranked", pairs):
                index_store.insert_pairs(self.con, "_nd_ranked")
        if moved:
            hours = pa.table(
                {
                    "cluster_id": pa.array(moved, pa.string()),
                    "last_hour": pa.array(last, pa.int64()).cast(pa.timestamp("us")),
                }
            )
            with self._view("_nd_hours", hours):
                index_store.set_last_hours(self.con, "_nd_hours")
        mem.compact()

    def _drop(self) -> None:
        """Flush the copy and stop using it (lookups go to the store from now on)."""
        self.flush()
        self.memory, self._load = None, False

    def _prune(self, cut: np.datetime64) -> None:
        """Drop clusters last active before `cut` (seconds), and their band keys."""
        import pyarrow as pa

        cut_s = str(np.datetime_as_string(cut))
        gone = index_store.prune(self.con, cut_s)
        if gone:  # their keys
            ids = pa.table({"cluster_id": pa.array(gone, pa.string())})
            with self._view("_nd_gone", ids):
                index_store.delete_bands(self.con, "_nd_gone")

    def _best_stored(self, keys: np.ndarray, sig: np.ndarray) -> tuple[np.ndarray, Any, np.ndarray]:
        """Per post: the most similar stored cluster sharing a band key with it (>= SIM_MIN);
        the stored (key, cluster_id) pairs of the batch's keys (Arrow); per post the copy's
        slot of that cluster (-1: none, or no copy)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        n = len(keys)
        out = np.full(n, None, dtype=object)
        out_slot = np.full(n, -1, dtype=np.int64)
        cids: np.ndarray | None = None  # per candidate its cluster id (the copy: by slot)
        if self.memory is not None:
            known, i, stored, slots = self._found_in_copy(self.memory, keys)
            names = self.memory.ids
        else:
            flat = pa.table(
                {"i": pa.array(np.repeat(np.arange(n), keys.shape[1])), "key": keys.reshape(-1)}
            )
            flat = flat.filter(pc.not_equal(flat["key"], NO_KEY))
            with self._view("_nd_keys", flat):
                pairs = index_store.band_matches(self.con, "_nd_keys")
                with self._view("_nd_pairs", pairs):
                    found = index_store.cluster_signatures(self.con, "_nd_pairs")
            known = pairs.select(["key", "cluster_id"])
            i = found["i"].to_numpy()
            stored = np.frombuffer(b"".join(found["sig"].to_pylist()), dtype=np.uint32)
            stored = stored.reshape(-1, HASHES)
            cids = np.array(found["cluster_id"].to_pylist(), dtype=object)
            slots = np.full(len(i), -1, dtype=np.int64)
        if not i.size:
            return out, known, out_slot
        sims = similarity(sig[i], stored)
        ok = sims >= SIM_MIN
        i, sims, slots = i[ok], sims[ok], slots[ok]
        if not i.size:  # band keys shared, but no stored cluster similar enough
            return out, known, out_slot
        # (from the copy, the ids of the similar ones only: most candidates are not)
        cids = names[slots] if cids is None else cids[ok]
        order = np.lexsort((cids.astype(str), -sims, i))  # per post: most similar, then id
        i, cids, slots = i[order], cids[order], slots[order]
        first = np.r_[True, i[1:] != i[:-1]]
        out[i[first]] = cids[first]
        out_slot[i[first]] = slots[first]
        return out, known, out_slot

    def _found_in_copy(
        self, mem: MemoryIndex, keys: np.ndarray
    ) -> tuple[None, np.ndarray, np.ndarray, np.ndarray]:
        """What :func:`index_store.band_matches` and :func:`index_store.cluster_signatures`
        give, from the copy: the stored pairs of the batch's keys (kept as numbers, see
        :meth:`_known_table`; None stands for them; each distinct pair once), and per (post,
        cluster with a signature) found the post, the signature and the cluster's slot."""
        i, key, slot, first = mem.matches(keys, NO_KEY)
        self._known_pairs, self._known_ids = (key[first], slot[first]), mem.ids
        signed = np.flatnonzero(mem.signed[slot])
        # (post, cluster) pairs found through several bands stay repeated: a repeat has the
        # same similarity and id, so the caller's pick per post is the same
        i, slot = i[signed], slot[signed]
        return None, i, mem.sig[slot], slot

    def _known_table(self) -> Any:
        """The stored pairs of the batch's keys of the last lookup in the copy, as the store
        lookup gives them (Arrow ``key, cluster_id``): only a batch the copy stopped for
        needs them so (the copy ranks new pairs by number, :func:`capped_pairs`)."""
        import pyarrow as pa

        key, slot = self._known_pairs
        ids = self._known_ids if self._known_ids is not None else np.zeros(0, object)
        return pa.table(
            {"key": pa.array(key, pa.int64()), "cluster_id": pa.array(ids[slot], pa.string())}
        )

    @contextlib.contextmanager
    def _view(self, name: str, table: Any) -> Iterator[None]:
        """`table` (Arrow) visible to SQL as `name` while the block runs, then gone."""
        self.con.register(name, table)
        try:
            yield
        finally:
            self.con.unregister(name)

    def _copy_slots(
        self,
        post_ids: list[str],
        sig: np.ndarray,
        hours: np.ndarray | None,
        found: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    ) -> np.ndarray | None:
        """Give the batch's new clusters slots in the copy; per post the slot of its cluster
        (None: there is no copy, or it had to stop)."""
        mem = self.memory
        if mem is None:
            return None
        new_leaders, matched, best_slot, leader, close = found
        names = [post_ids[i] for i in new_leaders.tolist()]
        clash = mem.clash(names)
        if clash == "alive":  # an id that has a cluster already: two rows, not modelled
            self._drop()
            return None
        if clash == "flush":  # the store deletes the pruned namesakes first
            self.flush()
        micros = (
            (hours[new_leaders].astype("datetime64[us]").astype(np.int64), True)
            if hours is not None
            else (0, False)
        )
        own = np.full(len(post_ids), -1, dtype=np.int64)
        own[new_leaders] = mem.add_clusters(names, sig[new_leaders], micros)
        lead = np.where(matched[leader], best_slot[leader], own[leader])
        return np.where(matched, best_slot, np.where(close, lead, own))

    def _record(
        self,
        post_ids: list[str],
        sig: np.ndarray,
        keys: np.ndarray,
        clustered: tuple[np.ndarray, np.ndarray, np.ndarray],
        new_leaders: np.ndarray,
        hours: np.ndarray | None,
        known: Any,
        slots: np.ndarray | None,
    ) -> None:
        """Store new clusters (signature, last hour), the (key, cluster) pairs not yet stored
        (`known`: the stored pairs of this batch's keys), and the last hour of the clusters
        posts joined (`slots`: per post its cluster's slot in the copy, None: no copy).
        `clustered`: per post its cluster id, its own id (object arrays) and whether it has a
        signature (a cluster)."""
        import pyarrow as pa

        cluster, ids, has = clustered
        hour = pa.array(hours, pa.timestamp("us")) if hours is not None else None
        mem = self.memory if slots is not None else None
        if new_leaders.size and mem is None:  # (the copy sends its new clusters when flushed)
            leaders = pa.table(
                {
                    "cluster_id": pa.array(ids[new_leaders], pa.string()),
                    "sig": sig_column(sig[new_leaders]),
                    "last_hour": hour.take(pa.array(new_leaders, pa.int64()))
                    if hour is not None
                    else pa.nulls(len(new_leaders), pa.timestamp("us")),
                }
            )
            with self._view("_nd_leaders", leaders):
                index_store.insert_clusters(self.con, "_nd_leaders")
        rows = np.flatnonzero(has)  # (the posts with a cluster)
        if not rows.size:
            return
        joined = rows[cluster[rows] != ids[rows]]
        if joined.size and hours is not None and mem is not None and slots is not None:
            mem.touch(slots[joined], hours[joined].astype("datetime64[us]").astype(np.int64))
        elif joined.size and hour is not None:
            seen = pa.table(
                {
                    "cluster_id": pa.array(cluster[joined], pa.string()),
                    "h": hour.take(pa.array(joined, pa.int64())),
                }
            )
            with self._view("_nd_seen", seen):
                index_store.touch_clusters(self.con, "_nd_seen")
        if mem is not None and slots is not None:
            self._insert_copy_bands(mem, keys[rows].reshape(-1), np.repeat(slots[rows], BANDS))
            return
        pairs = pa.table(
            {
                "key": keys[rows].reshape(-1),
                "cluster_id": pa.array(np.repeat(cluster[rows], keys.shape[1]), pa.string()),
                "slot": np.full(len(rows) * keys.shape[1], -1, dtype=np.int64),
                # post order, numbered before the join (whose output order varies run to run)
                "pos": pa.array(np.arange(len(rows) * keys.shape[1]), pa.int64()),
            }
        )
        if known is None:  # found in the copy, which stopped since
            known = self._known_table()
        if known.num_rows:  # drop the stored pairs (no anti-join with the whole index)
            pairs = pairs.join(known, ["key", "cluster_id"], join_type="left anti")
        self._insert_capped(pairs, known)

    def _insert_copy_bands(self, mem: MemoryIndex, key: np.ndarray, slot: np.ndarray) -> None:
        """What :meth:`_insert_capped` stores, with the copy: the batch's (key, cluster) pairs
        in post order (a cluster by its slot: one slot per live cluster id) ranked per key in
        numpy against the copy's stored pairs of those keys; the kept ones go to the copy at
        once and to the store when flushed."""
        known_key, known_slot = self._known_pairs
        stored_key, stored_slot = capped_pairs(key, slot, known_key, known_slot, KEY_CLUSTERS)
        if not stored_key.size:
            return
        mem.add_bands(stored_key, stored_slot)
        mem.add_unsent(stored_key, stored_slot)  # (the store receives them when flushed)

    def _insert_capped(self, pairs: Any, known: Any) -> None:
        """Store new (key, cluster) pairs, at most :data:`KEY_CLUSTERS` clusters per key.

        `known` holds the stored pairs of the batch's keys. A key already held by that many
        clusters is a look-alike family's shared wording (``第N条``-style templates,
        boilerplate): more clusters on it would only make every later lookup compare with all
        of them (quadratic in the family's size); its posts still meet through their other
        bands. The first clusters to claim a key keep it.
        """
        mem = self.memory
        with self._view("_nd_new", pairs), self._view("_nd_known", known):
            stored = index_store.insert_bands(
                self.con, "_nd_new", "_nd_known", KEY_CLUSTERS, returning=mem is not None
            )
        if mem is not None and stored is not None and stored.num_rows:
            mem.add_bands(stored["key"].to_numpy(), stored["slot"].to_numpy())


def capped_pairs(
    key: np.ndarray, slot: np.ndarray, known_key: np.ndarray, known_slot: np.ndarray, most: int
) -> tuple[np.ndarray, np.ndarray]:
    """The (key, cluster) pairs :func:`brandhalo.store.neardup.insert_bands` stores, clusters
    by number: of the pairs `key`/`slot` (in post order), the distinct ones not among the
    stored pairs `known_key`/`known_slot`, at most `most` clusters per key counting the stored
    ones, the first to claim a key keeping it. In the order of their first claim.

    The batch's keys are numbered densely (one sort), so that (key, cluster, position) packs
    into one integer and a second plain sort finds each pair's first claim; a key is ranked
    only when it has more than `most` clusters (rare: look-alike families). The multi-key
    ``lexsort`` version (about five times the CPU) is left for numbers too wide to pack."""
    n = key.size
    if not n:
        return key[:0].astype(np.int64), slot[:0].astype(np.int64)
    order = np.argsort(key)
    ks = key[order]
    starts = np.r_[True, ks[1:] != ks[:-1]]
    code = np.empty(n, dtype=np.int64)
    code[order] = np.cumsum(starts) - 1  # keys numbered in key order
    low = int(slot.min())
    widths = (int(code[order[-1]]).bit_length(), (int(slot.max()) - low).bit_length())
    pos_bits = (n - 1).bit_length()
    if sum(widths) + pos_bits > 62:
        return _capped_pairs_sorted(key, slot, known_key, known_slot, most)
    pair = (code << widths[1]) | (slot.astype(np.int64) - low)  # (key, cluster) as one number
    packed = np.sort((pair << pos_bits) | np.arange(n, dtype=np.int64))
    head = packed >> pos_bits
    first = np.zeros(n, dtype=bool)  # per position: the first claim of its pair
    first[packed[np.r_[True, head[1:] != head[:-1]]] & ((1 << pos_bits) - 1)] = True
    held = np.zeros(int(code[order[-1]]) + 1, dtype=np.int64)  # stored clusters per key
    if known_key.size:
        kcode, kpair = _known_pairs(ks[starts], known_key, known_slot, (low, widths[1]))
        np.add.at(held, kcode, 1)
        if kpair.size:  # (sorted) drop the stored pairs
            claim = np.flatnonzero(first & (held[code] > 0))
            at = np.minimum(np.searchsorted(kpair, pair[claim]), kpair.size - 1)
            first[claim[kpair[at] == pair[claim]]] = False
    count = held + np.bincount(code[first], minlength=held.size)
    if count.max() > most:  # some keys are full: the first claims keep them
        crowded = np.flatnonzero(first & (count[code] > most))  # in post order
        by_key = crowded[np.argsort(code[crowded], kind="stable")]
        ck = code[by_key]
        run = np.r_[0, np.flatnonzero(ck[1:] != ck[:-1]) + 1]
        rank = np.arange(ck.size) - np.repeat(run, np.diff(np.r_[run, ck.size])) + 1
        first[by_key[rank + held[ck] > most]] = False
    return key[first].astype(np.int64), slot[first].astype(np.int64)


def _known_pairs(
    keys: np.ndarray, known_key: np.ndarray, known_slot: np.ndarray, packing: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Of the stored pairs, distinct: the number (in sorted distinct batch keys `keys`) of the
    key of each whose key is the batch's, and those of them that can equal a batch pair packed
    as :func:`capped_pairs` packs them, ascending (`packing`: lowest batch slot, slot bits)."""
    at = np.minimum(np.searchsorted(keys, known_key), keys.size - 1)
    mine = keys[at] == known_key  # other keys' pairs neither rank nor match a batch pair
    kcode, kslot = at[mine].astype(np.int64), known_slot[mine].astype(np.int64)
    if not kcode.size:
        return kcode, kcode
    low, bits = packing
    least = int(kslot.min())
    width = (int(kslot.max()) - least).bit_length()
    if int(kcode.max()).bit_length() + width <= 62:  # (code, slot) as one number: one sort
        both = distinct((kcode << width) | (kslot - least))
        kcode, kslot = both >> width, (both & ((1 << width) - 1)) + least
    else:
        order = np.lexsort((kslot, kcode))
        kcode, kslot = kcode[order], kslot[order]
        first = np.r_[True, (kcode[1:] != kcode[:-1]) | (kslot[1:] != kslot[:-1])]
        kcode, kslot = kcode[first], kslot[first]
    fits = (kslot >= low) & (kslot - low < (1 << bits))
    return kcode, (kcode[fits] << bits) | (kslot[fits] - low)


def _capped_pairs_sorted(
    key: np.ndarray, slot: np.ndarray, known_key: np.ndarray, known_slot: np.ndarray, most: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`capped_pairs` with multi-key sorts (numbers too wide to pack in one)."""
    pos = np.arange(key.size, dtype=np.int64)
    order = np.lexsort((pos, slot, key))
    k, s = key[order], slot[order]
    first = np.r_[True, (k[1:] != k[:-1]) | (s[1:] != s[:-1])] if k.size else k.astype(bool)
    k, s, p = k[first], s[first], order[first]  # distinct pairs, first claim each
    korder = np.lexsort((known_slot, known_key))
    kk, ks = known_key[korder], known_slot[korder]
    if kk.size:
        kfirst = np.r_[True, (kk[1:] != kk[:-1]) | (ks[1:] != ks[:-1])]
        kk, ks = kk[kfirst], ks[kfirst]
        ak, a_s = np.r_[kk, k], np.r_[ks, s]
        both = np.lexsort((np.r_[np.zeros(kk.size, bool), np.ones(k.size, bool)], a_s, ak))
        bk, bs = ak[both], a_s[both]
        again = np.flatnonzero((bk[1:] == bk[:-1]) & (bs[1:] == bs[:-1])) + 1
        stored = np.zeros(k.size, dtype=bool)
        stored[both[again] - kk.size] = True  # a new pair right after the same stored one
        k, s, p = k[~stored], s[~stored], p[~stored]
    order = np.lexsort((p, k))
    k, s, p = k[order], s[order], p[order]
    start = np.r_[0, np.flatnonzero(k[1:] != k[:-1]) + 1] if k.size else np.zeros(0, np.int64)
    length = np.diff(np.r_[start, k.size])
    rank = np.arange(k.size) - np.repeat(start, length) + 1
    rank += np.searchsorted(kk, k, side="right") - np.searchsorted(kk, k, side="left")
    keep = rank <= most
    k, s, p = k[keep], s[keep], p[keep]
    order = np.argsort(p, kind="stable")
    return k[order], s[order]


def cluster_enriched(con: Any, table: Any, index: ClusterIndex | None = None) -> Any:
    """Fill ``cluster_id`` of a batch of ``enriched`` rows and drop its signature columns.

    Args:
        con: the writer's DuckDB connection (inside its transaction).
        table: enriched rows with the ``_sig`` and ``_has_sig`` columns of ``enrich_table``.
        index: the writer's index for a run of batches (default: a store-only one on `con`).
    """
    import pyarrow as pa

    cols = [c for c in table.column_names if c.startswith(LSH_PREFIX)]
    if not cols:
        return table
    sig = sig_array(table.column(SIG_COLUMN))
    has = table.column(HAS_COLUMN).to_numpy(zero_copy_only=False).astype(bool)
    hours = _hours(table.column("hour")) if "hour" in table.column_names else None
    clusters = (index or ClusterIndex(con)).assign(
        table.column("post_id").to_pylist(), sig, has, hours
    )
    table = table.drop_columns(cols)
    at = table.schema.get_field_index("cluster_id")
    return table.set_column(at, "cluster_id", pa.array(clusters, pa.string()))


def _hours(column: Any) -> np.ndarray:
    """An Arrow timestamp column as datetime64[us] (NULL: NaT); a microsecond one without
    pyarrow's own conversion, which imports pandas (about a second, once per run)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if column.type != pa.timestamp("us"):
        return np.asarray(column.to_numpy().astype("datetime64[us]"))
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    micros = pc.fill_null(column.cast(pa.int64()), np.iinfo(np.int64).min)
    return np.asarray(micros.to_numpy(zero_copy_only=False)).view("datetime64[us]")


def signature_columns(batch: NormBatch) -> dict[str, Any]:
    """The enrich batch's columns the writer clusters by (``_sig``, ``_has_sig``)."""
    import pyarrow as pa

    sig, has = signatures(batch)
    return {SIG_COLUMN: sig_column(sig), HAS_COLUMN: pa.array(has, pa.bool_())}


def chain_marks(batch: NormBatch) -> np.ndarray:
    """Per character: part of a ``//@`` repost-chain marker (its slashes are no link, its
    ``@`` no mention). Computed once per batch (read-only)."""
    return batch.derived("chain_marks", _chain_marks)


def _chain_marks(batch: NormBatch) -> np.ndarray:
    codes = batch.codes
    out = np.zeros(len(codes), dtype=bool)
    if len(codes) >= 3:
        at = np.flatnonzero(
            (codes[:-2] == ord("/")) & (codes[1:-1] == ord("/")) & (codes[2:] == ord("@"))
        )
        out[at] = True
        out[at + 1] = True
        out[at + 2] = True
    out.setflags(write=False)
    return out


def repost_comment(batch: NormBatch) -> tuple[np.ndarray, np.ndarray]:
    """(end of the text each post is judged on, bare forward) for Weibo repost chains.

    A repost ``comment//@user: forwarded text`` is judged on its own comment when the comment
    has at least :data:`OWN_COMMENT_MIN` letters (an opinion of its own), and on the whole
    text when it is a bare forward (``转发微博``, ``冲``): what it forwards is what it says.
    Computed once per batch (near-duplicate signatures and origin both read it; read-only).
    """
    return batch.derived("repost_comment", _repost_comment)


def _repost_comment(batch: NormBatch) -> tuple[np.ndarray, np.ndarray]:
    n = len(batch)
    end = batch.ends.copy()
    bare = np.zeros(n, dtype=bool)
    marks = chain_marks(batch)
    if marks.any():
        at = np.flatnonzero(marks & np.r_[True, ~marks[:-1]])  # each marker's first slash
        post = batch.post_of(at)
        first = np.r_[True, post[1:] != post[:-1]]
        chain_post, chain_at = post[first], at[first]  # each chained post's first marker
        # letters of its own: kept characters from the post's start to its first marker
        kept = _kept_running(batch)
        start = batch.starts[chain_post]
        own = np.where(chain_at > 0, kept[np.maximum(chain_at - 1, 0)], 0) - np.where(
            start > 0, kept[np.maximum(start - 1, 0)], 0
        )
        is_bare = own < OWN_COMMENT_MIN
        bare[chain_post] = is_bare
        end[chain_post[~is_bare]] = chain_at[~is_bare]
    end.setflags(write=False)
    bare.setflags(write=False)
    return end, bare
