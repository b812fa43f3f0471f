"""The enrich hot path's vectorised helpers give what their plain definitions give (issue 15)."""

from __future__ import annotations

import random
import unicodedata

import numpy as np

from brandhalo.text.lang import (
    _HANDLE,
    _count_in_spans,
    batch_handle_spans,
    handle_spans,
    in_spans,
    merge_spans,
)
from brandhalo.text.neardup import _KEEP, OWN_COMMENT_MIN, repost_comment
from brandhalo.text.normalize import HAN, NormBatch, nfkc, normalize_batch

_PIECES = [
    "@小米公司", "@xiaomi_official-cn", "@" + "长" * 35, "@" + "a" * 40, "@", "@@", " @ ",
    "//@用户A:", "//@", "转发微博", "#小米SU7#", "【快讯】", "[doge]", "😀", "\U00020000",
    "ｓｕ７", "剎車", "ULTRA", "yyds", "こんにちは", "①㎏", "e\u0301", "http://t.cn/x", "/",
    "刹车太差了", "Love it", "so cool but 太贵", "don’t", "…", "ﬁ", "\U00030001", "",
]  # fmt: skip


def _texts(seed: int, n: int = 400) -> list[str]:
    rng = random.Random(seed)
    out = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 10))) for _ in range(n)]
    return ["", *out, ""]


def _batches() -> list[NormBatch]:
    return [normalize_batch(_texts(seed)) for seed in range(4)] + [
        normalize_batch([]),
        normalize_batch([""]),
        normalize_batch(["@", "a@b"]),
    ]


def test_batch_handle_spans_are_the_handle_pattern_matches() -> None:
    for batch in _batches():
        start, end = batch_handle_spans(batch)
        want = [m.span() for m in _HANDLE.finditer(batch.text)]
        assert list(zip(start.tolist(), end.tolist(), strict=True)) == want
        assert [tuple(x.tolist()) for x in handle_spans(batch.text)] == [
            tuple(start.tolist()),
            tuple(end.tolist()),
        ]
        assert batch_handle_spans(batch) is batch_handle_spans(batch)  # once per batch


def _cover(size: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        mask[a:b] = True
    return mask


def test_in_spans_and_merge_spans_agree_with_a_plain_cover() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        size = int(rng.integers(1, 60))
        k = int(rng.integers(0, 8))
        starts = rng.integers(0, size, k)
        ends = np.minimum(starts + rng.integers(0, 6, k), size)
        cover = _cover(size, starts, ends)
        positions = np.arange(size)
        assert (in_spans(positions, starts, ends) == cover).all()
        s, e = merge_spans(starts, ends)
        assert (_cover(size, s, e) == cover).all()
        assert (s[1:] > e[:-1]).all() and (e > s).all()  # sorted, disjoint, non-empty


def test_count_per_post_and_counts_in_spans_equal_plain_counts() -> None:
    rng = np.random.default_rng(4)
    for batch in _batches():
        mask = rng.random(len(batch.codes)) < 0.4
        want = np.bincount(batch.char_post[mask], minlength=len(batch))
        got = batch.count_per_post(mask)
        assert got.dtype == want.dtype and (got == want).all()
        is_han = (batch.classes & HAN) > 0
        start, end = batch_handle_spans(batch)
        inside = is_han & _cover(len(batch.codes), start, end)
        counted = _count_in_spans(batch, np.cumsum(is_han, dtype=np.int64), start, end)
        assert (counted == np.bincount(batch.char_post[inside], minlength=len(batch))).all()


def test_repost_comment_equals_its_per_post_definition() -> None:
    for batch in _batches():
        end, bare = repost_comment(batch)
        for i, text in enumerate(batch.texts()):
            at = text.find("//@")
            own = sum(bool(batch.classes[batch.starts[i] + j] & _KEEP) for j in range(max(at, 0)))
            chained, is_bare = at >= 0, at >= 0 and own < OWN_COMMENT_MIN
            assert bare[i] == is_bare
            cut = chained and not is_bare
            assert end[i] == (batch.starts[i] + at if cut else batch.ends[i])


def test_nfkc_and_classes_on_mixed_text() -> None:
    for seed in range(3):
        text = "\x00".join(_texts(seed))
        assert nfkc(text) == unicodedata.normalize("NFKC", text)
    batch = normalize_batch(["\U00020000\U00030001a"])
    assert batch.classes.tolist() == [HAN, HAN, 1]
