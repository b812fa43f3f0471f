"""Advice words found with numpy (session 22, issue 15: enrich worker speed).

:func:`brandhalo.text.targeted._found_in` finds the advice words of a batch with a
:class:`~brandhalo.text.findall.KeyFinder` over its code points, once per batch for both
readings (one target, several), instead of ``str.find`` per word and per occurrence
(:func:`~brandhalo.text.targeted._found`, kept as the reference). The places must be the same:
every occurrence, overlapping ones, next to post edges and after characters outside the BMP.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pyarrow as pa
import pytest

from brandhalo.config import parse_config
from brandhalo.text import targeted
from brandhalo.text.enrich import EnrichContext, enrich_table
from brandhalo.text.normalize import NormBatch, normalize_batch
from brandhalo.text.sentiment import get_engine

#: planted posts: overlapping and repeated words, words at a post's start and end, curly
#: quotes, astral emoji before them (a code point per character, as str positions count)
PLANTED = [
    "not not notnot nnot knot",
    "别买别买别买星曜😀😀不要买不要买",
    "😀🚗 don't buy don’t buy do not buy never buy stay away from",
    "而不是不买不买而不是",
    "instead of rather than instead of",
    "not",
    "",
    "避雷",
    "𠀀𠀁避雷别入不要入 not𠀀not",
    "no advice here at all 🙂",
    "stay away fromstay away from",
]

#: fragments a random batch is cut from (advice words, their parts, other text, astral ones)
FRAGMENTS = [
    *targeted._ADVICE_WORDS,
    "no",
    "n",
    "ot",
    "别",
    "买",
    "不要",
    "入",
    "do",
    " ",
    "，",
    "😀",
    "𠀀",
    "星曜",
    "Brava",
    "\n",
    "stay away",
    " from",
]


def _places(batch: NormBatch, words: tuple[str, ...]) -> list[int]:
    return sorted(targeted._found_in(batch, words).tolist())


def _reference(text: str, words: tuple[str, ...]) -> list[int]:
    return sorted(targeted._found(text, words).tolist())


WORD_SETS = [
    targeted._ADVICE_WORDS,
    targeted._AVOID_WORDS,
    ("not", "避雷"),  # a part of the shared words
    ("knot", "fromst"),  # words outside them: their own finder
]


@pytest.mark.parametrize("words", WORD_SETS)
def test_planted_places_equal_str_find(words: tuple[str, ...]) -> None:
    batch = normalize_batch(PLANTED)
    got = _places(batch, words)
    assert got == _reference(batch.text, words)
    assert got  # the planted posts hold these words


def test_both_readings_of_one_batch_share_one_search() -> None:
    """The single-target reading (avoid words) and the multi-target one (all advice words)
    of one batch: each gets its own words' places, whichever asks first."""
    for first, second in ((targeted._AVOID_WORDS, targeted._ADVICE_WORDS),) * 2:
        batch = normalize_batch(PLANTED)
        assert _places(batch, first) == _reference(batch.text, first)
        assert _places(batch, second) == _reference(batch.text, second)
        batch = normalize_batch(PLANTED)
        assert _places(batch, second) == _reference(batch.text, second)
        assert _places(batch, first) == _reference(batch.text, first)


def test_random_batches_equal_str_find() -> None:
    rng = random.Random(22)
    for _ in range(60):
        posts = [
            "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 12)))
            for _ in range(rng.randint(1, 25))
        ]
        batch = normalize_batch(posts)
        for words in WORD_SETS:
            assert _places(batch, words) == _reference(batch.text, words), posts


CONFIG = {
    "workspace": {"timezone": "Asia/Shanghai"},
    "brands": [
        {"name": "Jiguang", "aliases": ["极光"], "own": True},
        {"name": "Xingyao", "aliases": ["星曜"]},
        {"name": "Aurelia", "aliases": ["Aurelia"]},
        {"name": "Brava", "aliases": ["Brava"]},
    ],
}


def test_advice_in_one_batch_after_astral_characters() -> None:
    """Advice after emoji (astral: one code point each) in a batch that has single-target and
    multi-target posts, so both readings use the batch's one search."""
    ctx = EnrichContext.from_config(parse_config(CONFIG), engine=get_engine("lexicon"))
    texts = [
        "😀😀😀劝大家买极光别买星曜，电池鼓包太危险了",
        "🚗🚗 Never buy Brava again",
        "𠀀𠀀 Don't buy Brava, buy Aurelia instead.",
        "😀 别买星曜",
        "Brava is fine, not bad",
    ]
    table = pa.table(
        {
            "post_id": [f"p{i}" for i in range(len(texts))],
            "text": texts,
            "created_at": pa.array([dt.datetime(2025, 3, 1, 9)] * len(texts), pa.timestamp("us")),
        }
    )
    got: list[dict[str, int]] = [{} for _ in texts]
    for r in enrich_table(table, ctx).post_targets.to_pylist():
        got[int(r["post_id"][1:])][r["target"]] = r["label"]
    assert got[0] == {"Jiguang": 1, "Xingyao": -1}
    assert got[1] == {"Brava": -1}
    assert got[2] == {"Brava": -1, "Aurelia": 1}
    assert got[3] == {"Xingyao": -1}
    assert got[4]["Brava"] >= 0


def test_an_empty_batch_finds_nothing() -> None:
    batch = normalize_batch([""])
    for words in WORD_SETS:
        assert _places(batch, words) == []
    assert isinstance(targeted._found_in(batch, targeted._ADVICE_WORDS), np.ndarray)
