"""Placeholder reviews read only when they hold a mark (session 22, issue 15: enrich speed).

:func:`brandhalo.text.origin.placeholder_reviews` computes a text's key (NFKC, regex) only for
short texts holding 评 or 星 and one of :data:`~brandhalo.text.origin._PLACEHOLDER_MARKS`
(未, 没, 默, 觉): every placeholder holds one. The answers must be those of the reading without
that test, on the planted placeholders and on reviews that hold 评 or 星 without being one.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence

import numpy as np
import pytest

from brandhalo.text import origin
from brandhalo.text.origin import placeholder_reviews


def _reference(texts: Sequence[str | None]) -> np.ndarray:
    """placeholder_reviews without the marks test (its reading before session 22)."""
    out = np.zeros(len(texts), dtype=bool)
    for i, text in enumerate(texts):
        if not text or len(text) > 3 * origin._PLACEHOLDER_MAX:
            continue
        if "评" not in text and "星" not in text:
            continue
        key = origin.placeholder_key(text)
        if len(key) <= origin._PLACEHOLDER_MAX and (
            key in origin._PLACEHOLDER_KEYS or origin.PLACEHOLDER_PATTERN.fullmatch(key)
        ):
            out[i] = True
    return out


#: placeholders of each shape: the listed texts, "not written", "default praise", "found it
#: good, gave 5 stars", and 好评系统默认; full-width and spaced variants
PLANTED = [
    *origin.PLACEHOLDER_REVIEWS,
    "该用户未及时主动评价，系统默认好评",
    "此用户没有填写评价",
    "买家暂未评价",
    "尚未评论",
    "默认好评",
    "平台默认给出五星好评",
    "该用户觉得商品很好，给出了5星好评",
    "顾客觉得宝贝不错给出了五星",
    "觉得商品挺好给出3星",
    "好评系统默认",
    "好评 （系统默认）",
    "１５天内买家未作出评价",
    "此用户　未填写　评价内容",
]
#: reviews that say 评 or 星 and are no placeholder (some hold a mark, some do not)
REVIEWS = [
    "好评，物流很快",
    "五星好评！",
    "给个好评吧",
    "没有评价，因为太差了",
    "默认好评是不可能的，差评",
    "我觉得一般，三星",
    "评价一下：还行",
    "星曜真不错",
    "",
    None,
    "未" * 200 + "评",
]


def test_planted_placeholders_are_found() -> None:
    got = placeholder_reviews(PLANTED)
    assert got.all(), [t for t, g in zip(PLANTED, got, strict=True) if not g]
    assert np.array_equal(got, _reference(PLANTED))


def test_reviews_equal_the_reading_without_marks() -> None:
    got = placeholder_reviews(REVIEWS)
    assert np.array_equal(got, _reference(REVIEWS))
    assert not got.any()


def test_random_texts_equal_the_reading_without_marks() -> None:
    rng = random.Random(7)
    parts = [*PLANTED, *[r for r in REVIEWS if r], "，", " ", "!", "很好", "差", "5", "天内"]
    texts = []
    for _ in range(3000):
        pieces = rng.sample(parts, rng.randint(1, 3))
        texts.append(
            "".join(p[: rng.randint(1, len(p))] if rng.random() < 0.3 else p for p in pieces)
        )
    got = placeholder_reviews(texts)
    assert np.array_equal(got, _reference(texts))
    assert got.any()


@pytest.mark.parametrize("key", sorted(origin._PLACEHOLDER_KEYS))
def test_every_listed_placeholder_holds_a_mark(key: str) -> None:
    assert any(m in key for m in origin._PLACEHOLDER_MARKS)


def test_no_other_character_folds_to_a_mark() -> None:
    """The key is NFKC of the text: a mark in the key is a mark in the text."""
    marks = "".join(origin._PLACEHOLDER_MARKS) + "评星"
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        folded = unicodedata.normalize("NFKC", c).lower()
        assert c in marks or not any(m in folded for m in marks), hex(cp)
