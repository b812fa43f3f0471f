"""Issue 15's second pass over the enrich stage: the same outputs, less CPU per post.

- :class:`findall.KeyFinder` and :func:`normalize.fold_for_lexicon_codes` look code points up
  with ``take(..., mode="clip")`` (code points past their tables read the tables' last entry,
  as ``np.minimum`` made them do): code points beyond the tables, and values past Unicode,
  must find and fold as before;
- :func:`enrich.enrich_table` runs with Python's cyclic garbage collector paused and turns it
  back on after, as it was, also when a batch fails.
"""

from __future__ import annotations

import gc
import random
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from brandhalo.text import enrich
from brandhalo.text.findall import _SIZE, KeyFinder
from brandhalo.text.normalize import (
    NFKC_LIMIT,
    fold_for_lexicon_codes,
    fold_for_lexicon_joined,
)
from brandhalo.text.sentiment._base import SentimentEngine, SentimentResult


def brute_force(keys: list[str], codes: np.ndarray) -> set[tuple[int, int]]:
    """Every (start, key id) of every key in `codes`, one comparison at a time."""
    found = set()
    values = codes.tolist()
    for k, key in enumerate(keys):
        want = [ord(c) for c in key]
        for i in range(len(values) - len(want) + 1):
            if values[i : i + len(want)] == want:
                found.add((i, k))
    return found


def test_key_finder_past_its_table() -> None:
    """Code points past the first-character table (and values past Unicode) that would wrap
    onto a key's first character start nothing."""
    keys = ["小米", "a", "小", "\U00030001x", "ab"]
    wrap = _SIZE + 1  # a value this far above a key character would read its table entry
    rng = random.Random(5)
    pool = [ord("小"), ord("米"), ord("a"), ord("b"), ord("x"), 0x30001, ord("小") + wrap]
    pool += [ord("a") + wrap, 0x10FFFF, 0x110000 + ord("a"), 0]
    finder = KeyFinder(keys)
    for _ in range(200):
        codes = np.array([rng.choice(pool) for _ in range(rng.randint(0, 12))], dtype=np.uint32)
        start, key = finder.find(codes)
        assert set(zip(start.tolist(), key.tolist(), strict=True)) == brute_force(keys, codes)


@pytest.mark.parametrize(
    "texts",
    [
        ["a\U00030041b", "\U000e0041X", "\U0010fffd"],
        [chr(NFKC_LIMIT + ord("A")) * 3, "ＡＢＣ", ""],
        ["@小米公司 Don’t \U00030000 buy", "ǅ\U00030044", "Σ"],
    ],
)
def test_lexicon_fold_past_its_table(texts: list[str]) -> None:
    joined, codes = fold_for_lexicon_codes(texts)
    assert joined == fold_for_lexicon_joined(texts)
    assert codes.tolist() == [ord(c) for c in joined]


def _table() -> pa.Table:
    return pa.table(
        {
            "post_id": ["1", "2"],
            "text": ["小米SU7 很好", "太差了"],
            "created_at": pa.array([0, 0], pa.timestamp("us")),
        }
    )


def test_collector_back_on_after_a_batch(ctx: enrich.EnrichContext) -> None:
    assert gc.isenabled()
    seen = []
    features = enrich.text_features

    def spy(table: pa.Table, c: enrich.EnrichContext) -> enrich.TextFeatures:
        seen.append(gc.isenabled())
        return features(table, c)

    enrich.text_features = spy  # type: ignore[assignment]
    try:
        enrich.enrich_table(_table(), ctx)
        enrich.rematch_table(_table(), ctx)
    finally:
        enrich.text_features = features  # type: ignore[assignment]
    assert seen == [False, False]
    assert gc.isenabled()


class _Failing(SentimentEngine):
    name = "failing"

    def score(self, texts: Any) -> SentimentResult:
        raise RuntimeError("engine down")


def test_collector_back_on_after_a_failed_batch(ctx: enrich.EnrichContext) -> None:
    failing = enrich.EnrichContext.from_config(ctx.config, engine=_Failing())
    with pytest.raises(RuntimeError, match="engine down"):
        enrich.enrich_table(_table(), failing)
    assert gc.isenabled()


def test_collector_stays_off_when_it_was_off(ctx: enrich.EnrichContext) -> None:
    gc.disable()
    try:
        enrich.enrich_table(_table(), ctx)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.fixture(scope="module")
def ctx() -> enrich.EnrichContext:
    from brandhalo.config import Config

    return enrich.EnrichContext.from_config(Config.model_validate({"brands": [{"name": "小米"}]}))
