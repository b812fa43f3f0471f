"""The enrich stage's second round of shortcuts give what the plain computations give (issue 15):
language detection reads its function words from the shared index, query tokens are counted
once per batch, origin evaluates its promo query alone on the hits outside #topics#, its
evidence lists are built once per set of signals, MinHash signatures count posts from the
kept characters, and enrichment workers keep freed memory."""

from __future__ import annotations

import json
import random

import numpy as np

from brandhalo.text.lang import detect_batch, function_word_patterns
from brandhalo.text.matcher import Pattern, PatternIndex
from brandhalo.text.neardup import _KEEP, MIN_CHARS, SHINGLE, repost_comment, signatures
from brandhalo.text.normalize import NormBatch, normalize_batch, running_count
from brandhalo.text.origin import PROMO_SIGNALS, _evidence
from brandhalo.text.query import QuerySet

_PIECES = [
    "¡Me encanta el nuevo!", "una por", "die hard", "Los Angeles to Las Vegas", "la la la",
    "el", "de", "pour", "ai", "app", "yyds", "nb", "emo", "Love it", "so cool but 太贵",
    "小米SU7", "刹车太差了", "@小米公司", "//@用户A:", "转发微博", "#限时优惠#", "#", "http://t.cn/x",
    "【快讯】", "据报道", "即刻下订", "限时价", "抽奖", "[doge]", "こんにちは", "안녕하세요", "Привет",
    "sehr gut und nicht", "muito bom", "ULTRA", " ", "，", "",
]  # fmt: skip


def _texts(seed: int, n: int = 300) -> list[str]:
    rng = random.Random(seed)
    pick = [rng.choice(_PIECES) + rng.choice(["", " ", "，"]) for _ in range(n * 8)]
    return ["", *("".join(pick[i * 8 : i * 8 + rng.randint(0, 8)]) for i in range(n)), ""]


def test_detect_batch_reads_function_words_from_a_shared_index() -> None:
    # other patterns first, some the same words with other boundaries ("ai*", "el")
    others = Pattern.many(["ai", "el", "小米", "la la"], [True, False, False, False])
    index = PatternIndex([*others, *function_word_patterns()])
    for seed in range(3):
        batch = normalize_batch(_texts(seed))
        hits = index.scan(batch)
        names = np.flatnonzero(np.char.startswith(np.array(batch.texts()), "小米"))
        start, end = batch.starts[names], batch.starts[names] + 2
        want = detect_batch(batch, start, end).tolist()
        assert detect_batch(batch, start, end, hits, len(others)).tolist() == want
        order = np.random.default_rng(seed).permutation(len(hits.pattern))  # any order
        assert detect_batch(batch, start, end, hits.select(order), len(others)).tolist() == want
    assert "other" in want and "en" in want and "zh" in want


def test_running_count_is_the_cumulative_sum() -> None:
    mask = np.random.default_rng(1).random(10_001) < 0.3
    assert running_count(mask).tolist() == np.cumsum(mask, dtype=np.int64).tolist()
    assert running_count(np.zeros(0, dtype=bool)).tolist() == []


def test_query_set_evaluates_chosen_queries_alone() -> None:
    queries = QuerySet({"a": "刹车 OR brake", "b": "小米 NEAR/3 太贵", "c": "NOT 抽奖"})
    index = PatternIndex(queries.patterns)
    batch = normalize_batch(["小米 su7 太贵", "brake fade", "抽奖 小米 一二三四五 太贵", ""])
    full = queries.evaluate(batch, index.scan(batch))
    for only in ([1], [2, 0], []):
        part = queries.evaluate(batch, index.scan(batch), only=only)
        assert part.shape == (4, len(only))
        assert (part == full[:, only]).all()


def test_query_tokens_are_counted_once_per_batch() -> None:
    queries = QuerySet({"near": "小米 NEAR/1 太贵"})
    index = PatternIndex(queries.patterns)
    batch = normalize_batch(["小米真的太贵", "小米 太贵", "太贵了小米"])
    first = queries.evaluate(batch, index.scan(batch))
    tokens = batch.derived("query_tokens", lambda b: None)
    assert tokens is not None and not tokens.flags.writeable
    assert (queries.evaluate(batch, index.scan(batch)) == first).all()
    assert batch.derived("query_tokens", lambda b: None) is tokens
    assert first[:, 0].tolist() == [False, True, True]


def test_origin_evidence_lists_are_each_posts_signals() -> None:
    rng = np.random.default_rng(3)
    names = ["rule", "official_account", "call_to_action", "promo", *PROMO_SIGNALS, "hashtag"]
    flags = {k: rng.random(500) < 0.2 for k in dict.fromkeys(names)}
    origin = rng.choice(np.array(["organic", "campaign", "news"], dtype=object), 500)
    got = _evidence(origin, flags)
    need = origin != "organic"
    for k in PROMO_SIGNALS:
        need = need | flags[k]
    for i in range(500):
        listed = [k for k in flags if flags[k][i]] if need[i] else []
        assert got[i] == json.dumps(listed, ensure_ascii=False)


def _plain_signatures(batch: NormBatch) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures as the post-by-post definition gives them (the kept characters of
    the judged text, their 3-grams hashed, the minimum per bin, empty bins filled from the
    right)."""
    from brandhalo.text.neardup import _BIN_BITS, _MIX, HASHES

    end, _ = repost_comment(batch)
    sig = np.full((len(batch), HASHES), np.iinfo(np.uint32).max, dtype=np.uint32)
    has = np.zeros(len(batch), dtype=bool)
    keep = (batch.classes & _KEEP) > 0
    for p in range(len(batch)):
        lo, hi = int(batch.starts[p]), int(end[p])
        codes = batch.codes[lo:hi][keep[lo:hi]]
        if len(codes) < MIN_CHARS:
            continue
        with np.errstate(over="ignore"):
            h = codes[: len(codes) - SHINGLE + 1] * _MIX[0]
            for j in range(1, SHINGLE):
                h ^= codes[j : j + len(h)]
                h *= _MIX[j]
            h ^= h >> np.uint32(15)
            value = (h * _MIX[2]) & np.uint32(0xFFFFFFFE)
        bins = h >> np.uint32(32 - _BIN_BITS)
        for b, v in zip(bins.tolist(), value.tolist(), strict=True):
            sig[p, b] = min(sig[p, b], v)
        has[p] = True
        real = sig[p].copy()
        for b in range(HASHES):
            if real[b] == np.iinfo(np.uint32).max:
                donors = [real[(b + s) % HASHES] for s in range(1, HASHES)]
                sig[p, b] = next(d for d in donors if d != np.iinfo(np.uint32).max) | 1
    return sig, has


def test_signatures_are_the_per_post_definition() -> None:
    extra = [
        "刹车太差了真的太差了真的",
        "短",
        "转发微博//@用户A: 刹车太差了真的太差了真的太差了",
        "x" * 9,
    ]
    for seed in range(3):
        batch = normalize_batch([*_texts(seed, 120), *extra])
        sig, has = signatures(batch)
        want_sig, want_has = _plain_signatures(batch)
        assert has.tolist() == want_has.tolist()
        assert (sig[has] == want_sig[has]).all()
    assert signatures(normalize_batch([]))[0].shape == (0, 16)


def test_workers_keep_freed_memory() -> None:
    import platform
    import subprocess
    import sys

    # in a process of its own, as in a worker (the setting is the whole process's)
    code = "from brandhalo.text.enrich_run import keep_freed_memory; print(keep_freed_memory())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert out.stdout.strip() == str(glibc)
