"""Issue 15/19 speed paths pinned to their simple references: contrast words found with numpy
(targeted sentiment's clause cut), the writer copy's cluster-id lookup, the store's threads
while workers run, and the fall-back when the worker pool stops before taking any batch."""

from __future__ import annotations

import os
import random

import numpy as np
import pytest

from brandhalo.config import Config
from brandhalo.text import targeted
from brandhalo.text.neardup_memory import MemoryIndex

TRICKY = [
    "",
    "but",
    "But but BUT",
    "butter abut _but but_ 2but but2 but.",
    "although though yet yesterday nonetheless however, howevers",
    "好but坏，好 but 坏",
    "𠀀but",  # an astral Han character is a word character: no boundary before "but"
    "😀but😀",  # an emoji is not
    "ébut ñyet",
    "但是但但是不过不过可是然而却只是只是",
    "不但如此，可以，然后，只有",
    "a\x00but\x00yet\x00",
    "\u3000but\u2028yet\x85however",
]


def _reference(text: str) -> list[int]:
    return [m.start() for m in targeted._CONTRAST_AT.finditer(text)]


def _fast(text: str) -> list[int]:
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    kind = targeted._CHAR_KIND[np.minimum(cp, len(targeted._CHAR_KIND) - 1)]
    return targeted._contrast_at(text, cp, kind).tolist()


@pytest.mark.parametrize("text", TRICKY)
def test_contrast_words_found_with_numpy_equal_the_regex(text: str) -> None:
    assert _fast(text) == _reference(text)


def test_contrast_words_on_random_and_very_long_texts() -> None:
    rng = random.Random(15)
    pool = [
        *"但不可然却只是过而abhtuyeorwgln _2😀𠀀é\x00，, \n",
        *["but", "however", "though", "although", "yet", "只是", "但是", "不过", "可是", "然而"],
    ]
    found = 0
    for _ in range(400):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 200)))
        want = _reference(text)
        assert _fast(text) == want, repr(text)
        found += len(want)
    long = "".join(rng.choice(pool) for _ in range(200_000))
    assert _fast(long) == _reference(long)
    assert found > 500


def _latest_slot(mem: MemoryIndex, name: str) -> int:
    """The definition: the highest slot whose id is `name`."""
    return max((i for i in range(mem.size) if mem.ids[i] == name), default=-1)


def test_the_copy_finds_the_latest_slot_of_each_cluster_id() -> None:
    mem = MemoryIndex(hashes=4, sig=np.zeros((0, 4), np.uint32))
    names = ["p1", "p2", "", "帖子-3", "😀", "p1 ", "P1"]
    sig = np.arange(4 * len(names), dtype=np.uint32).reshape(-1, 4)
    hours = (np.arange(len(names), dtype=np.int64), np.ones(len(names), dtype=bool))
    mem.add_clusters(names, sig, hours)
    mem.prune(3)  # p1, p2 and "" stop; a new cluster may take their names
    again = ["p2", "p1", "p1"]
    mem.add_clusters(again, sig[:3], (np.full(3, 9, np.int64), np.ones(3, dtype=bool)))
    asked = [*names, "p9", "p1", "帖子-3"]
    assert mem.find(asked).tolist() == [_latest_slot(mem, n) for n in asked]
    assert mem.find(["p1"]).tolist() == [9]
    assert mem.find([]).tolist() == []


def test_the_store_threads_are_set_while_the_block_runs_and_put_back() -> None:
    import duckdb

    from brandhalo.text.enrich_run import _store_threads

    con = duckdb.connect()
    con.execute("SET threads TO 3")

    def threads() -> int:
        return int(con.execute("SELECT current_setting('threads')").fetchall()[0][0])

    with _store_threads(con, 1):
        assert threads() == 1
    assert threads() == 3
    with pytest.raises(RuntimeError), _store_threads(con, 2):
        raise RuntimeError("a failed chunk")
    assert threads() == 3
    with _store_threads(con, None):
        assert threads() == 3


def test_a_pool_that_stopped_before_the_first_batch_falls_back_to_this_process(
    config: Config,
) -> None:
    """The workers are started when the pool is made; one that dies before taking a batch
    must not fail the run: the batches are computed here, as by one process."""
    from concurrent.futures.process import BrokenProcessPool

    import pyarrow as pa

    from brandhalo.text import enrich_run
    from brandhalo.text.enrich import EnrichContext

    ctx = EnrichContext.from_config(config)
    posts = pa.table(
        {
            "post_id": [f"p{i}" for i in range(30)],
            "text": [f"小米SU7 第{i}天 很好，但是刹车太差了 but fine" for i in range(30)],
            "created_at": pa.array([0] * 30, pa.timestamp("us")),
        }
    )
    crew = enrich_run._Workers(ctx, 2, batch_rows=10)
    try:
        assert crew.pool is not None
        dying = crew.pool.submit(os._exit, 1)  # a worker dies: the pool is broken
        # The dead worker's own task fails once the pool notices, and the pool is marked
        # broken before that (a task submitted at once could still run in the other worker).
        with pytest.raises(BrokenProcessPool):
            dying.result(timeout=60)
        got = list(crew.start(posts, False))
    finally:
        crew.close()
    alone = enrich_run._Workers(ctx, 1, batch_rows=10)
    want = list(alone.start(posts, False))
    assert crew.pool is None and len(got) == len(want) == 3
    for g, w in zip(got, want, strict=True):
        assert g.enriched.drop_columns(["enriched_at"]).equals(
            w.enriched.drop_columns(["enriched_at"])
        )
        assert g.post_targets.equals(w.post_targets)
