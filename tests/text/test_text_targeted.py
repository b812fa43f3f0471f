"""Targeted sentiment's batch paths equal their per-post definitions."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from tests.support.clause_cut import cut_clauses, reference_clauses

from brandhalo.config import Config
from brandhalo.text import targeted
from brandhalo.text.matcher import EntityMatcher, Mentions, PatternIndex
from brandhalo.text.normalize import NormBatch, normalize_batch
from brandhalo.text.sentiment import get_engine

ALIASES = [
    "小米",
    "华为",
    "雷军",
    "雷总",
    "Lei Jun",
    "SU7",
    "小米SU7",
    "Mate 70",
    "Huawei",
    "@xiaomi",
]
FILLERS = [
    "，",
    "。",
    "！！",
    "、、",
    "：",
    "\n",
    "…",
    " - ",
    " ",
    "但是",
    "不过",
    "却",
    "but",
    "however",
]
WORDS = ["很好", "太差了", "刹车", "续航不错", "great", "terrible", "真的", "yet", "a"]


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pool = ALIASES + FILLERS + WORDS
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def _per_post_reference(
    batch: NormBatch, mentions: Mentions, post: np.ndarray, target: np.ndarray
) -> list[str]:
    """The definition: each post cut on its own (clause_spans, _clauses_by_target)."""
    out = []
    for p, t in zip(post.tolist(), target.tolist(), strict=True):
        lo, hi = int(batch.starts[p]), int(batch.ends[p])
        sel = mentions.post == p
        owned = targeted._clauses_by_target(
            batch.text[lo:hi], mentions.target[sel].tolist(), (mentions.start[sel] - lo).tolist()
        )
        out.append("，".join(owned.get(t, [])))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clause_texts_equal_the_per_post_cut(config: Config, seed: int) -> None:
    batch = normalize_batch(_texts(3000, seed))
    matcher = EntityMatcher.from_config(config)
    mentions = matcher.resolve(PatternIndex(matcher.patterns).scan(batch))
    key = mentions.post * (int(mentions.target.max()) + 1) + mentions.target
    first = np.r_[True, key[1:] != key[:-1]]
    post, target = mentions.post[first], mentions.target[first]
    multi = np.bincount(post, minlength=len(batch))[post] > 1
    assert multi.sum() > 1000  # most posts name several targets
    got = targeted.clause_texts(batch, mentions, post[multi], target[multi])
    assert got == _per_post_reference(batch, mentions, post[multi], target[multi])


def test_boundary_scan_equals_the_plain_pattern() -> None:
    plain = re.compile(rf"[。！？；!?;，,、：:\n…]+|\s+-\s+|(?={targeted._CONTRAST})")
    rng = random.Random(7)
    pool = [
        *"。！？；!?;，,、：:\n… \t-\u3000但不可然却只abhtuyewrgoln",
        "but",
        "however",
        "though",
    ]
    text = "".join(rng.choice(pool) for _ in range(50_000))
    want = [m.span() for m in plain.finditer(text)]
    assert [m.span() for m in targeted._BOUNDARY.finditer(text)] == want
    assert len(want) > 5000


def test_score_distinct_equals_scoring_every_text() -> None:
    engine = get_engine("lexicon")
    texts = ["刹车太差了", "很好", "刹车太差了", "", "great phone", "很好"]
    a, b = engine.score(texts), targeted.score_distinct(engine, texts)
    assert np.array_equal(a.labels, b.labels) and np.array_equal(a.scores, b.scores)
    assert np.array_equal(a.confidence, b.confidence) and a.evidence == b.evidence


# --------------------------------------------------------------- targeted rows: new == old path
SENTIMENT = [
    "很好",
    "太差了",
    "不好",
    "没有问题",
    "不是很满意",
    "虽然",
    "贵",
    "但",
    "质量很好",
    "比",
    "更好",
    "不如",
    "好",
    "😡",
    "👍",
    "[怒]",
    "!!",
    "not",
    "good",
    "bad",
    "although",
    "love",
    "worse than",
    "better than",
    "不",
    "担心",
    "打消了顾虑",
    "发布会",
    "？",
]


def _posts(n: int, seed: int) -> list[str]:
    """Posts naming two or three targets (zh, en, mixed), with contrast (虽然…但, but),
    negation next to clause breaks, emoji and comparisons."""
    rng = random.Random(seed)
    pool = FILLERS + WORDS + SENTIMENT
    out = []
    for _ in range(n):
        names = rng.sample(ALIASES, rng.randint(2, 3))
        parts = [rng.choice(pool) for _ in range(rng.randint(0, 12))]
        for name in names:
            parts.insert(rng.randint(0, len(parts)), name)
        out.append("".join(parts))
    return out


def _old_targeted(
    batch: NormBatch, mentions: Mentions, overall: object, engine: object
) -> targeted.TargetRows:
    """The code before issue 19's fast path: each target's clauses scored by ``score`` (the
    full result, evidence and all), post by post (:func:`_per_post_reference`)."""
    key = mentions.post * (int(mentions.target.max()) + 1) + mentions.target
    first = np.r_[True, key[1:] != key[:-1]]
    post, target = mentions.post[first], mentions.target[first]
    label = overall.labels[post].astype(np.int8)  # type: ignore[attr-defined]
    score = overall.scores[post].astype(np.float64)  # type: ignore[attr-defined]
    rows = np.flatnonzero(np.bincount(post, minlength=len(batch))[post] > 1)
    res = engine.score(_per_post_reference(batch, mentions, post[rows], target[rows]))  # type: ignore[attr-defined]
    polar_post = np.zeros(len(batch), dtype=bool)
    np.logical_or.at(polar_post, post[rows], res.labels != 0)
    use = polar_post[post[rows]]
    label[rows[use]] = res.labels[use]
    score[rows[use]] = res.scores[use]
    return targeted.TargetRows(post, target, label, score)


@pytest.mark.parametrize("engine_name", ["lexicon", "hybrid"])
@pytest.mark.parametrize("seed", [11, 12])
def test_targeted_rows_equal_the_old_path(config: Config, engine_name: str, seed: int) -> None:
    engine = get_engine(engine_name)
    texts = _posts(2500, seed)
    batch = normalize_batch(texts)
    matcher = EntityMatcher.from_config(config)
    mentions = matcher.resolve(PatternIndex(matcher.patterns).scan(batch))
    overall = targeted.score_distinct(engine, texts)
    got = targeted.targeted_sentiment(batch, mentions, overall, engine)
    want = _old_targeted(batch, mentions, overall, engine)
    for name in ("post", "target", "label", "score"):
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name  # bit for bit
    multi = np.bincount(got.post, minlength=len(batch)) > 1
    assert multi.sum() > 1200  # most posts name several targets (some aliases share one)
    # the posts' own labels were replaced for many rows, both ways
    changed = got.label != overall.labels[got.post]
    assert changed.sum() > 300 and len(set(got.label[changed].tolist())) == 3


def test_polarity_distinct_equals_score_distinct() -> None:
    engine = get_engine("lexicon")
    texts = ["刹车太差了", "很好", "刹车太差了", "", "great phone", "很好", "虽然贵，但是很好"]
    labels, scores = targeted.polarity_distinct(engine, texts)
    want = targeted.score_distinct(engine, texts)
    assert labels.dtype == want.labels.dtype and np.array_equal(labels, want.labels)
    assert scores.dtype == want.scores.dtype and np.array_equal(scores, want.scores)


def test_numpy_cut_equals_the_boundary_pattern() -> None:
    """``_cut`` (numpy) finds the clauses :func:`clause_spans` (the regex) finds, post by post,
    on texts dense in separators: dash chains, white space that is all newlines, U+3000 ..."""
    rng = random.Random(3)
    pool = [
        *"。！？；!?;，,、：:\n… \t-\u3000\r\x85\u2028😀但不可然却只abhtuyewrgoln",
        *[" -", "- ", "\n\n - ", " - ", "\n - ", " -- ", "\n-\n", " - - - "],
        *["but", "however", "though", "although", "yet", "只是", "但是", "\x00"],
    ]
    checked = 0
    for _ in range(1500):
        joined = "".join(rng.choice(pool) for _ in range(rng.randint(0, 300)))
        want = reference_clauses(joined)
        assert cut_clauses(joined) == want, repr(joined)
        checked += len(want)
    assert checked > 20_000
