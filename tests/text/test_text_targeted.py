"""Targeted sentiment's batch paths equal their per-post definitions."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

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
