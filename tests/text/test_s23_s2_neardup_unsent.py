"""The writer's copy of the cluster index sends its new clusters and keys when flushed.

The copy used to insert every batch's new clusters and (key, cluster) pairs into the store at
once, and to delete the pruned ones at the flush before the commit: over a run most clusters
are one-offs pruned within the same chunk, so most rows were inserted only to be deleted
again. Now the store receives, at the flush, the clusters and pairs still live then (and
deletes only the pruned clusters it holds). Replayed against store-only lookups (the
reference), clusters and stored tables must be the same, also when the copy renumbers its
slots while rows are still unsent, and a cluster pruned before the flush is never written.
The batch components (label propagation by one sort per band) are checked against a plain
union-find.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from tests.text.test_text_neardup_memory import Batch, _both, _fresh, _stream, _tables

from brandhalo.text import neardup, neardup_memory
from brandhalo.text.neardup import ClusterIndex, components, signatures
from brandhalo.text.normalize import normalize_batch


def test_unsent_rows_survive_renumbering_between_flushes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slots are renumbered (pruned ones handed back) while new clusters and pairs wait for
    the flush: what is sent must name the renumbered clusters."""
    monkeypatch.setattr(neardup_memory, "RENUMBER_MIN", 16)
    renumbered = []
    real = neardup_memory.MemoryIndex._renumber

    def spy(self: neardup_memory.MemoryIndex) -> None:
        size = self.size
        real(self)
        if self.size < size and (self.unsent or self.fresh[: self.size].any()):
            renumbered.append(size - self.size)

    monkeypatch.setattr(neardup_memory.MemoryIndex, "_renumber", spy)
    batches = _stream(7)  # a stream whose slots are renumbered with rows unsent
    cons = (_fresh(), _fresh())
    plain = _replay(batches, False, cons[0], commit_every=9)
    copied = _replay(batches, True, cons[1], commit_every=9)
    assert plain == copied
    assert _tables(cons[0]) == _tables(cons[1])
    assert renumbered, "the stream did not renumber slots while rows were unsent"


def test_a_cluster_pruned_before_the_flush_is_never_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inserted: list[str] = []
    real = neardup.index_store.insert_clusters

    def spy(con: duckdb.DuckDBPyConnection, view: str) -> None:
        inserted.extend(r[0] for r in con.execute(f"SELECT cluster_id FROM {view}").fetchall())
        real(con, view)

    monkeypatch.setattr(neardup.index_store, "insert_clusters", spy)
    con = _fresh()
    index = ClusterIndex(con, memory=True)
    text = "刚试驾完小米SU7加速推背感太强了智能座舱流畅到飞起"
    other = "完全不同的一条内容说的是手机续航和充电速度都很一般"
    day = np.timedelta64(1, "D")
    start = np.datetime64("2025-01-01T08", "us")
    _assign(index, Batch(["old"], [text], np.array([start])))
    assert con.execute("SELECT count(*) FROM neardup_clusters").fetchall() == [(0,)]
    # 40 days later: "old" is pruned before any flush; a copy of it starts a cluster anew
    later = start + 40 * day
    assert _assign(index, Batch(["new", "x"], [text, other], np.array([later, later]))) == [
        "new",
        "x",
    ]
    index.flush()
    assert sorted(inserted) == ["new", "x"]
    assert _tables(con)[1] == [
        ("new", _sig(text), later.astype(object)),
        ("x", _sig(other), later.astype(object)),
    ]
    keys = con.execute("SELECT DISTINCT cluster_id FROM neardup_bands ORDER BY 1").fetchall()
    assert keys == [("new",), ("x",)]


def test_the_same_tables_as_store_lookups_with_rare_flushes() -> None:
    """One flush per many batches: most clusters are created and pruned in between."""
    batches = _stream(21)
    cons = (_fresh(), _fresh())
    assert _replay(batches, False, cons[0], commit_every=12) == _replay(
        batches, True, cons[1], commit_every=12
    )
    assert _tables(cons[0]) == _tables(cons[1])
    plain, copied, _ = _both(_stream(4), setup=9)
    assert _tables(plain) == _tables(copied)


@pytest.mark.parametrize("seed", range(6))
def test_components_are_the_union_find_components(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    keys = rng.integers(1, n // 3 + 3, size=(n, neardup.BANDS)).astype(np.int64)
    keys[rng.random(keys.shape) < 0.3] = neardup.NO_KEY
    keys[:, 1] += 10_000  # bands do not share keys
    keys[keys == 10_000] = neardup.NO_KEY
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for b in range(keys.shape[1]):
        first: dict[int, int] = {}
        for i in range(n):
            k = int(keys[i, b])
            if k == neardup.NO_KEY:
                continue
            if k in first:
                a, c = root(first[k]), root(i)
                parent[max(a, c)] = min(a, c)
            else:
                first[k] = i
    want = np.array([min(j for j in range(n) if root(j) == root(i)) for i in range(n)])
    assert components(keys).tolist() == want.tolist()
    assert components(np.zeros((3, neardup.BANDS), np.int64)).tolist() == [0, 1, 2]


def _sig(text: str) -> bytes:
    sig, _ = signatures(normalize_batch([text]))
    return bytes(sig[0].tobytes())


def _assign(index: ClusterIndex, batch: Batch) -> list[str | None]:
    return index.assign(batch.ids, *signatures(normalize_batch(batch.texts)), batch.hours)


def _replay(
    batches: list[Batch], memory: bool, con: duckdb.DuckDBPyConnection, commit_every: int
) -> list[list[str | None]]:
    index = ClusterIndex(con, memory=memory)
    out = []
    for k, batch in enumerate(batches):
        if not memory:
            index = ClusterIndex(con)
        out.append(_assign(index, batch))
        if (k + 1) % commit_every == 0:
            index.flush()
    index.flush()
    return out
