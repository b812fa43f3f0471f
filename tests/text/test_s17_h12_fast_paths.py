"""Enrichment's key finder, MinHash signatures and origin helpers equal simple references
(session 17, H12).

The longer keys of :class:`~brandhalo.text.findall.KeyFinder` are found by walking a trie
(a double array) instead of checking each key sharing a position's first three characters;
signatures take each post's kept characters from a running count shared with the repost
comments, mask runs across posts instead of cutting them out and densify only the posts with
an empty bin; origin looks up its terms in a dict, reads ``【...】`` headlines per post and
looks for a brand's name only in screen names with a dealer ending. Each test pins one of
them, results and their order, to a plain reference on tricky inputs.
"""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest

from brandhalo.config import parse_config
from brandhalo.text.findall import KeyFinder
from brandhalo.text.neardup import _KEEP, HASHES, MIN_CHARS, SHINGLE, signatures
from brandhalo.text.normalize import normalize_batch, normalize_text
from brandhalo.text.origin import DEALER_SUFFIXES, OriginRules, _leading_bracket, _lowered

# --------------------------------------------------------------------------- key finder
_SIZE = 0x30000  # the finder's first-character table (code points beyond share a slot)

KEYS = [
    "小米",
    "小米su7",
    "小米su7 ultra",
    "su7",
    "su",
    "xiaomi",
    *[f"xiaomi {n}" for n in ("14", "14 ultra", "15", "15 pro", "15 pro max", "civi")],
    "xiao",
    "xia",
    "aa",
    "aaa",
    "aaaa",
    "ab",
    "aab",
    "小米",  # given twice: both ids are reported
    "😀😀",
    "😀",
    "\U00030000x",
    "\U00030001",
    "中",
    "日电",
    "a very long key of twenty-five chars",
    "质量问题",
    "刹车",
    "刹车片",
]
TEXTS = [
    "",
    "小米su7 ultra小米SU7小米 su7 xiaomi 15 pro max xiaomi15 xiao",
    "aaaaab aab aaa",
    "😀😀😀 😀 \U00030000x\U00030001\U00030000 \U0010fffd",
    "Ελληνικά русский 日本語 한국어 中 日电",
    "a very long key of twenty-five chars" * 3,
    "刹车片刹车刹车片质量问题质量问",
    "x" * 3000 + "小米" * 500 + "xiaomi 14 ultra",
    "ending on a key: 小米",
    "xi",
    "a",
]


def reference_find(
    keys: list[str], anchored: list[bool], codes: np.ndarray, word_start: np.ndarray | None
) -> list[tuple[int, int]]:
    """Every (position, key) in the finder's order: single characters by position, then the
    two-character keys by (position, key), then the longer ones by (position, key), at the
    positions whose first character (clipped to the table) starts a key there."""
    chars = codes.tolist()
    ws = [True] * len(chars) if word_start is None else word_start.tolist()
    starts = {(min(ord(k[0]), _SIZE), bool(a)) for k, a in zip(keys, anchored, strict=True)}
    cand = [
        p
        for p, c in enumerate(chars)
        if (min(c, _SIZE), False) in starts or ((min(c, _SIZE), True) in starts and ws[p])
    ]
    # a single character given twice is reported once, by its last id
    single = {k: i for i, k in enumerate(keys) if len(k) == 1}
    found: dict[int, list[tuple[int, int]]] = {1: [], 2: [], 3: []}
    for p in cand:
        for i, k in enumerate(keys):
            if chars[p : p + len(k)] == [ord(c) for c in k] and single.get(k, i) == i:
                found[min(len(k), 3)].append((p, i))
    return [x for width in (1, 2, 3) for x in found[width]]


def finder_output(finder: KeyFinder, codes: np.ndarray, ws: np.ndarray | None) -> list:
    start, key = finder.find(codes, ws)
    return list(zip(start.tolist(), key.tolist(), strict=True))


@pytest.mark.parametrize("use_word_start", [False, True])
def test_key_finder_equals_the_reference_in_order(use_word_start: bool) -> None:
    anchored = [k[0].isascii() and k[0].isalnum() for k in KEYS]
    finder = KeyFinder(KEYS, anchored)
    batch = normalize_batch(TEXTS)
    ws = batch.word_start if use_word_start else None
    got = finder_output(finder, batch.codes, ws)
    assert got == reference_find(KEYS, anchored, batch.codes, ws)
    assert sum(k == KEYS.index("小米") for _, k in got) > 500  # the long text's matches


def test_key_finder_on_random_overlapping_keys() -> None:
    """Small alphabets: keys sharing prefixes, keys inside keys, matches on top of others."""
    for seed in range(30):
        rng = random.Random(seed)
        alphabet = rng.choice(["ab", "abc", "ab小米", "a😀\U00030000"])
        keys = ["".join(rng.choices(alphabet, k=rng.randint(1, 7))) for _ in range(25)]
        text = "".join(rng.choices(alphabet + " ", k=rng.randint(0, 400)))
        codes = np.array([ord(c) for c in text], dtype=np.uint32)
        anchored = [rng.random() < 0.3 for _ in keys]
        ws = np.array([rng.random() < 0.5 for _ in text], dtype=bool)
        for w in (None, ws):
            got = finder_output(KeyFinder(keys, anchored), codes, w)
            assert got == reference_find(keys, anchored, codes, w), (seed, keys, text)


def test_key_finder_values_past_unicode_match_no_key() -> None:
    keys = ["ab", "abc", "b\U0010ffff"]
    codes = np.array([97, 98, 0x110000, 97, 98, 99, 98, 0x10FFFF, 0xFFFFFFFF], dtype=np.uint32)
    assert finder_output(KeyFinder(keys), codes, None) == [(0, 0), (3, 0), (6, 2), (3, 1)]


# --------------------------------------------------------------------------- signatures
_MIX = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D)
_M32 = 0xFFFFFFFF
_EMPTY = _M32


def reference_signature(codes: list[int]) -> list[int] | None:
    """One post's MinHash values from its kept characters (None: too short)."""
    if len(codes) < MIN_CHARS:
        return None
    bins = [_EMPTY] * HASHES
    for i in range(len(codes) - SHINGLE + 1):
        h = codes[i] * _MIX[0] & _M32
        for j in range(1, SHINGLE):
            h = (h ^ codes[i + j]) * _MIX[j] & _M32
        h ^= h >> 15
        b = h >> 28
        bins[b] = min(bins[b], (h * _MIX[2] & _M32) & 0xFFFFFFFE)
    out = list(bins)
    for j in range(HASHES):  # an empty bin borrows the next non-empty one to its right
        if bins[j] == _EMPTY:
            donor = next(
                bins[(j + s) % HASHES] for s in range(1, HASHES) if bins[(j + s) % HASHES] != _EMPTY
            )
            out[j] = donor | 1
    return out


def kept_codes(text: str) -> list[int]:
    """A normalized post's letters, digits and CJK; a repost's own comment only when it has
    at least 8 of them (a bare forward is judged on the whole text)."""
    batch = normalize_batch([text])
    keep = [
        c for c, k in zip(batch.codes.tolist(), batch.classes.tolist(), strict=True) if k & _KEEP
    ]
    at = batch.text.find("//@")
    if at >= 0:
        own = [
            c
            for c, k in zip(batch.codes[:at].tolist(), batch.classes[:at].tolist(), strict=True)
            if k & _KEEP
        ]
        if len(own) >= 8:
            return own
    return keep


SIG_TEXTS = [
    "",
    None,
    "好看！",  # too short
    "一二三四五六七八九",  # nine kept characters: no signature
    "一二三四五六七八九十",  # ten: a signature with empty bins
    "小米SU7 刹车😀😀 太贵了[怒] 续航不错",
    "我觉得这车不错值得买//@某人: 转发的内容很长很长很长很长很长很长",  # a comment of its own
    "冲//@某人: 转发的内容很长很长很长很长很长很长很长很长",  # a bare forward
    "评论评论评论评论评论//@a: 一//@b: 二三四五六七八九十十一",
    "Ελληνικά русский 日本語のテキスト 한국어 café naïve",
    "x" * 5000 + "小米" * 300,
    "\U00030000\U0010fffd 𰀀 beyond the table and more words here",
    "短的短的短的短的短的",
]


@pytest.mark.parametrize("shuffle", range(4))
def test_signatures_equal_a_per_post_reference(shuffle: int) -> None:
    texts = list(SIG_TEXTS)
    random.Random(shuffle).shuffle(texts)
    texts += [f"第{i}条很短的评论内容" + "字" * (i % 9) for i in range(40)]  # empty bins
    sig, has = signatures(normalize_batch(texts))
    for i, text in enumerate(texts):
        want = reference_signature(kept_codes(text or ""))
        assert bool(has[i]) == (want is not None), text
        assert sig[i].tolist() == (want or [_EMPTY] * HASHES), text


def test_signatures_of_a_batch_without_any() -> None:
    sig, has = signatures(normalize_batch(["", "好看", None]))
    assert not has.any() and (sig == _EMPTY).all() and sig.shape == (3, HASHES)


# --------------------------------------------------------------------------- origin
@pytest.mark.parametrize("heads", [3, 400])  # read post by post, or one pass over the batch
def test_leading_bracket_equals_its_definition(heads: int) -> None:
    texts = ["【快讯】小米发布新车", "【没有结尾", "正文【中间】", "", "】【", "【】"]
    texts += ["【标题】正文" if i % 2 else "【标题正文" for i in range(heads)]
    texts += ["普通的一条微博"] * 20 + ["长" * 5000, ""]
    batch = normalize_batch(texts)
    want = [t.startswith("【") and "】" in t for t in batch.texts()]
    assert _leading_bracket(batch).tolist() == want


def test_dealer_accounts_equal_their_definition() -> None:
    cfg = parse_config(
        {"brands": [{"name": "小米", "aliases": ["xiaomi", "su7"]}, {"name": "特斯拉"}]}
    )
    rules = OriginRules.from_config(cfg)
    names = [
        "小米汽车北京亦庄店",
        "特斯拉销售王经理",
        "XIAOMI 4S",
        "小米粉丝",
        "北京某4S店",
        None,
        "",
        "su7车主服务中心",
        "ｘｉａｏｍｉ专营",
        "店小米",
    ]
    ids = ["u1", None, "小米直营店", "u4", "u5", "特斯拉上海中心", None, "u8", "u9", "u10"]
    lowered = _lowered((pa.array(ids, pa.string()), pa.array(names, pa.string())))

    def dealer(name: str | None) -> bool:
        low = normalize_text(name).lower() if name else ""
        return any(b in low for b in rules.brand_names) and low.endswith(DEALER_SUFFIXES)

    want = [dealer(a) or dealer(b) for a, b in zip(ids, names, strict=True)]
    assert rules._dealer(lowered).tolist() == want
    assert sum(want) == 6
