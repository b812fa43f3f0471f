"""Texts with contrast words (但是, 不过, but, however) walked with numpy give exactly what the
per-text reference gives (issue 15).

A contrast closes the open negator and degree chains, halves every part before it (one
``* 0.5`` per contrast) and weighs the words after it by its value; emoji after it keep
their own value. These tests pin :func:`lexicon_batch.analyze_batch` to
:func:`lexicon.analyze` on texts built around contrasts: several per text, at the start and
the end, inside chains, next to emoji and clause breaks, mixed in one chunk with texts that
still take the Python walk (好, concessions) and with plain ones.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from test_s17_h1_lexicon_fast_path import assert_same

from brandhalo.text.sentiment import lexicon_batch as lb
from brandhalo.text.sentiment.lexicon import (
    CONTRAST,
    DEG,
    EMOJI,
    NEG,
    WORD,
    default_entries,
)


def _keys(kind: int, latin: bool) -> list[str]:
    entries = default_entries()
    return sorted(k for k, e in entries.items() if e[0] == kind and k.isascii() == latin)


GAPS = ["", "", "的", "了", "X", "我的车", "，", "。", " ", "\n", "！", "～"]


def contrast_texts(n: int, seed: int) -> list[str]:
    """Seeded texts of words, emoji, negator and degree chains and contrast words."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        latin = rng.random() < 0.3
        pools = [_keys(k, latin) for k in (NEG, DEG, WORD, CONTRAST)] + [_keys(EMOJI, False)]
        pieces = []
        for _ in range(rng.choice([1, 2, 4, 8, 16])):
            pool = rng.choices(pools, weights=[3, 2, 3, 2, 1])[0]
            gap = rng.choice(GAPS) * rng.choice([1, 1, 2, 5])
            pieces.append(rng.choice(pool) + (" " if latin else "") + gap)
        out.append("".join(pieces))
    return out


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_contrast_texts_match_the_reference(seed: int) -> None:
    texts = contrast_texts(2000, seed)
    assert_same(texts)
    # most of these texts hold a contrast and a word, so the numpy walk sees contrasts
    contrasts = _keys(CONTRAST, False) + _keys(CONTRAST, True)
    assert sum(any(k in t for k in contrasts) for t in texts) > len(texts) // 2


@pytest.mark.parametrize(
    "text",
    [
        "但是",
        "但是很好",  # a contrast first: the words after it weigh 1.5
        "很好但是",  # a contrast last: the part before it is halved
        "很好，但是很差",
        "好评但是差评但是好评不过差评",  # every contrast halves every part before it
        "不但是好",  # a contrast ends the negation
        "很但是好",  # and the degree chain
        "不👍但是😡好",  # emoji keep their value after a contrast, and are halved before one
        "😂但是😂",
        "not good but not bad",
        "very nice, however very slow",
        "good but but but but but but but but but but bad",
        "但是" * 30 + "好",
        "好" + "但是" * 30,
        "質量很好，但是" + "差" * 5,
        "不过不过不过",
        "不过\n不过\n很差!!!",
        "",
        "\U0001f600但是\U0010fffd很好",
    ],
)
def test_contrast_edge_cases(text: str) -> None:
    assert_same([text])
    assert_same(["很好", text, "", "虽然贵但是好", text, "好东西但是不好"])


def test_contrast_texts_between_walked_and_plain_ones() -> None:
    # one chunk: contrast texts (numpy), 好 / concession texts (Python) and plain texts
    texts = contrast_texts(600, 31)
    extra = ["好东西", "虽然贵，但是很好", "好贵但是好用", "很好", "不差", ""]
    mixed = [t + extra[i % len(extra)] for i, t in enumerate(texts)]
    assert_same(mixed)


def test_keys_with_thousands_of_characters_spell_in_utf32() -> None:
    """The spelling is Latin-1 while every symbol is below 256; extra terms with thousands of
    other characters need more symbols, and the batch is spelled in UTF-32 instead."""
    lb.analyze_batch((), ["很好"])
    assert lb.tables(()).built[0].codes.dtype == np.uint16
    extra = tuple((chr(0x3400 + i) + chr(0x3400 + i + 1), 1.0) for i in range(0, 12000, 2))
    texts = [chr(0x3400 + i) * 3 + "但是很好" + chr(0x3401 + i) for i in range(0, 12000, 97)]
    texts += contrast_texts(200, 41)
    assert_same(texts, extra)
    assert lb.tables(extra).built[0].codes.dtype == np.uint64
