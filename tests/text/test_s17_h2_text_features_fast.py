"""The text features' fast paths give what their simple references give (session 17, H2).

``enrich.text_features`` got faster without changing one output: the normalization table,
the needs-NFKC flag and the character classes are read with one lookup per character; the
entity finder reads its two first-character tables as one; language detection takes each
post's Han and word counts from the running counts it needs anyway and finds ``日电`` in the
code points; price segments are assigned with numpy instead of a loop over mentions. Each
test pins one of them to a plain reference on tricky inputs.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from typing import Any

import numpy as np
import pytest

from brandhalo.config import parse_config
from brandhalo.text.findall import KeyFinder
from brandhalo.text.lang import _DATELINE, dateline_spans
from brandhalo.text.normalize import (
    _TABLE_SIZE,
    SEP,
    _class_table,
    normalize_batch,
    running_count,
    tables,
)
from brandhalo.text.segments import SegmentInputs, SegmentRules

TRICKY = [
    "",
    None,
    "小米SU7 刹车😀😀 太贵了[怒]",
    "ＳＵ７ Ｕｌｔｒａ 華為 剎車",  # full width, Traditional
    "café naïve ÀÉÎ straße",
    "a\x00b\x00",  # NUL inside a post is a space, not a separator
    "tab\there\nnew\u2028line\u0085",
    "\uffff\ufffe\U0001f9ff\U0002a6df\U0002ffff",  # odd code points inside the table
    "\U00030000\U0010fffd 𰀀 beyond the table",  # at and beyond the table's end
    "x" * 5000 + "小米" * 3000,
    "#RedmiK80# @小米公司 Reuters1月7日电 http://t.cn/abc",
    "🇨🇳🏳️‍🌈👍🏽",
    "한국어 日本語のテキスト Ελληνικά русский",
]
SLOW = ["㎏ ① ﬁ", "e\u0301 combining", "\u1100\u1161 jamo"]  # need real NFKC


def reference_batch(texts: list[str | None]) -> tuple[str, np.ndarray, np.ndarray]:
    """(text, codes, classes) of a batch, one post and one character at a time."""
    mapping, slow, _ = tables()
    cls = _class_table()
    posts = []
    for t in texts:
        t = t or ""
        if any(ord(c) < _TABLE_SIZE and slow[ord(c)] for c in t):
            t = unicodedata.normalize("NFKC", t)
        posts.append([int(mapping[ord(c)]) if ord(c) < _TABLE_SIZE else ord(c) for c in t])
    codes: list[int] = []
    for i, p in enumerate(posts):
        codes += ([0] if i else []) + p
    arr = np.array(codes, dtype=np.uint32)
    text = "".join(map(chr, codes))
    return text, arr, cls[np.minimum(arr, _TABLE_SIZE)]


@pytest.mark.parametrize(
    "texts",
    [
        TRICKY,
        [t for t in TRICKY if t and ord(max(t)) < _TABLE_SIZE],  # all on the one-lookup path
        [*TRICKY, *SLOW],
        SLOW,
        [""],
        ["", ""],
        ["a", ""],
        ["\x00"],
    ],
)
def test_normalize_batch_matches_per_character_reference(texts: list[str | None]) -> None:
    batch = normalize_batch(texts)
    text, codes, classes = reference_batch(texts)
    assert batch.text == text
    assert batch.codes.dtype == np.uint32 and np.array_equal(batch.codes, codes)
    assert batch.classes.dtype == np.uint8 and np.array_equal(batch.classes, classes)
    lengths = [len(normalize_batch([t]).text) for t in texts]
    assert batch.ends.tolist() == (batch.starts + np.array(lengths, dtype=np.int64)).tolist()


def test_normalize_batch_random_unicode_matches_reference() -> None:
    rng = random.Random(17)
    pool = [c for c in range(0x20, 0x30000) if not 0xD800 <= c < 0xE000]
    texts = [
        "".join(chr(rng.choice(pool)) for _ in range(rng.randrange(0, 40))) for _ in range(300)
    ]
    batch = normalize_batch(texts)
    text, codes, classes = reference_batch(texts)
    assert batch.text == text
    assert np.array_equal(batch.codes, codes)
    assert np.array_equal(batch.classes, classes)


def reference_counts(starts: np.ndarray, mask: np.ndarray) -> list[int]:
    bounds = [*starts.tolist(), len(mask)]
    return [int(mask[a : max(a, b)].sum()) for a, b in zip(bounds, bounds[1:], strict=False)]


@pytest.mark.parametrize("texts", [TRICKY[2:], ["a"], ["", "ab", ""], ["ab", "", "c", ""], [""]])
def test_count_from_running_equals_count_per_post(texts: list[str]) -> None:
    batch = normalize_batch(texts)
    rng = np.random.default_rng(3)
    for mask in (rng.random(len(batch.codes)) < 0.4, (batch.classes & 4) > 0):
        want = reference_counts(batch.starts, mask)
        assert batch.count_per_post(mask).tolist() == want
        got = batch.count_from_running(running_count(mask))
        assert got.dtype == np.int64 and got.tolist() == want


def naive_find(keys: list[str], anchored: list[bool], text: str, starts: np.ndarray | None):
    """Every (start, key) occurrence, overlapping ones included, by str.find."""
    out = set()
    for k, key in enumerate(keys):
        at = text.find(key)
        while at >= 0:
            if not anchored[k] or starts is None or starts[at]:
                out.add((at, k))
            at = text.find(key, at + 1)
    return out


@pytest.mark.parametrize("use_word_start", [True, False])
def test_key_finder_finds_every_occurrence(use_word_start: bool) -> None:
    keys = [
        "小米",
        "小米su7",
        "su7",
        "su7 ultra",
        "a",
        "aa",
        "aaa",
        "ab",
        "米",
        "😀",
        "😀😀",
        "\U00030000",
        "\U00030000x",
        "xiaomi",
        "xiaomi 14",
        "xiaomi 14 ultra",
        "日电",
        "中",
    ]
    anchored = [k[0].isascii() and k[0].isalnum() for k in keys]
    texts = [
        *TRICKY,
        "aaaa ab aab",
        "xiaomi 14 ultra xiaomi14 xiaomi 14",
        "su7 ultrasu7",
        "\U00030000\U00030000x 😀😀😀",
        "小米小米su7",
    ]
    batch = normalize_batch(texts)
    finder = KeyFinder(keys, anchored)
    ws = batch.word_start if use_word_start else None
    start, key = finder.find(batch.codes, ws)
    got = set(zip(start.tolist(), key.tolist(), strict=True))
    assert len(got) == len(start)  # each occurrence once
    assert got == naive_find(keys, anchored, batch.text, ws)


@pytest.mark.parametrize(
    "text",
    [
        "Reuters1月7日电 abc12月31日电 x日电日电 3月1日电电",
        "日电",
        "reuters日电 新华社北京1月7日电",
        "a1月7日电b12月31日电12月31日电",
        "",
    ],
)
def test_dateline_spans_from_code_points_equal_the_regex(text: str) -> None:
    batch = normalize_batch([text, "前缀" + text])
    want = [m.span() for m in _DATELINE.finditer(batch.text)]
    assert dateline_spans(batch.text, batch.codes) == want
    assert dateline_spans(batch.text) == want


SEGMENTS: dict[str, Any] = {
    "price_bands": {"premium_from": {"phone": 5000, "car": 300000}},
    "segments": [
        {"name": "enthusiast", "hints": ["发烧友"], "query": "发烧友"},
        {"name": "premium"},
        {"name": "mass", "price_from": 2000, "price_to": 6000},
    ],
}


def reference_by_price(rules: SegmentRules, seg: np.ndarray, inputs: SegmentInputs) -> np.ndarray:
    """The loop over mentions: a post without a segment takes the rule of its first product
    mention whose price (``Product.price_on``) is known and falls in a rule."""
    seg = seg.copy()
    days = inputs.days.astype("datetime64[D]").astype(dt.date)
    for post, target in zip(
        inputs.product_post.tolist(), inputs.product_target.tolist(), strict=True
    ):
        idx = rules._product_of[target]
        if seg[post] >= 0 or idx is None:
            continue
        prod = rules._products[idx]
        price = prod.price_on(days[post])
        if price is None:
            continue
        rule = rules._price_rule(prod, float(price))
        if rule >= 0:
            seg[post] = rule
    return seg


def test_price_segments_equal_the_loop_over_mentions() -> None:
    from tests.text.conftest import BRAND_MODEL

    products = [*BRAND_MODEL["products"], {"name": "X", "brand": "Xiaomi", "category": "phone"}]
    config = parse_config({**BRAND_MODEL, "products": products, **SEGMENTS})
    product_of: list[int | None] = [None, None, 0, 1, 2, 3, 4]  # two targets are no products
    rules = SegmentRules.from_config(config, product_of)
    rng = np.random.default_rng(5)
    n, m = 400, 900
    days = np.datetime64("2025-05-20") + rng.integers(0, 30, n).astype("timedelta64[D]")
    inputs = SegmentInputs(
        hints=[None] * n,
        followers=np.full(n, np.nan),
        days=days,
        product_post=np.sort(rng.integers(0, n, m)),
        product_target=rng.integers(0, len(product_of), m),
    )
    seg = np.where(rng.random(n) < 0.2, 0, -1).astype(np.int64)
    want = reference_by_price(rules, seg, inputs)
    assert np.array_equal(rules._by_price(seg.copy(), inputs), want)
    assert (want > 0).sum() > 50 and (want == -1).sum() > 0  # both outcomes occur
    shuffled = rng.permutation(m)  # mentions in any order: the first one still wins
    mixed = SegmentInputs(
        inputs.hints,
        inputs.followers,
        days,
        inputs.product_post[shuffled],
        inputs.product_target[shuffled],
    )
    assert np.array_equal(rules._by_price(seg.copy(), mixed), reference_by_price(rules, seg, mixed))


def test_text_features_outputs_on_tricky_posts() -> None:
    """The whole text pass runs on the tricky posts and keeps its lengths (a smoke check that
    the fast paths and the general ones meet)."""
    import pyarrow as pa
    from tests.text.conftest import BRAND_MODEL

    from brandhalo.text.enrich import EnrichContext, text_features

    ctx = EnrichContext.from_config(parse_config({**BRAND_MODEL, **SEGMENTS}))
    texts = [*TRICKY, *SLOW, "小米15 发烧友 Reuters1月7日电"]
    table = pa.table(
        {
            "post_id": [f"p{i}" for i in range(len(texts))],
            "text": texts,
            "created_at": pa.array([dt.datetime(2025, 6, 2)] * len(texts), pa.timestamp("us")),
        }
    )
    f = text_features(table, ctx)
    assert len(f.lang) == len(f.segment) == len(texts)
    assert f.batch.text == SEP.join(normalize_batch([t]).text for t in texts)
    assert f.lang[0] == "other"  # the empty post has no language
