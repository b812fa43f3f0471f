"""Targeted sentiment's clause texts (issue 15): the fast path (the posts' code points gathered
from the batch, each row's clauses gathered and decoded once) equals the per-post definition
(:func:`brandhalo.text.targeted._clauses_by_target`) on tricky posts."""

from __future__ import annotations

import random

import numpy as np
import pytest

from brandhalo.config import Config
from brandhalo.text import targeted
from brandhalo.text.matcher import EntityMatcher, Mentions, PatternIndex
from brandhalo.text.normalize import NormBatch, normalize_batch

#: named posts with what the fast path could get wrong: astral and odd code points (past the
#: character table), contrast words at a post's edges (NUL next to them), separators only,
#: dash chains, overlapping aliases, right-to-left scripts, zero-width and combining marks
TRICKY = [
    "",
    "小米很好😀但是华为🚗太差了",
    "Xiaomi great, but Huawei awful yet fine",
    "雷军ok\u200b华为\u0301bad…小米\U00020000好",
    "。。，，小米、华为",
    "小米 - 华为 - \n - 雷总 -- SU7",
    "but小米but华为but",
    "however小米，华为though",
    "小米SU7小米华为SU7 Ultra",
    "\uffff小米\U0010ffff华为\ufeff",
    "עברית 小米 عربي 华为 ελληνικά",
    "小米\n\n\n华为\r\n雷总\u3000余承东\u2028Lei Jun",
    "👍👍👍小米👎👎华为🇨🇳",
    "华为",
    "yet",
    "只是小米可是华为不过雷军然而余承东却SU7",
    # past the table, whose low 16 bits are white space, a comma, 但
    "\U00010020小米\U0002002c华为\U00024f46雷总",
]
#: pieces of the random posts
POOL = [
    *TRICKY[1:],
    *"。！？；!?;，,、：:\n… \t-\u3000😀🚗\U0001f1e8\U0001f1f3\u200b\u0301\uffff",
    *["小米", "华为", "雷总", "Xiaomi", "Huawei", "SU7", "小米SU7", "余承东", "Lei Jun"],
    *["但是", "不过", "却", "but", "however", "although", "yet", "butter", "yeti", "很好", "太差"],
]


def _rows(mentions: Mentions, n_posts: int) -> tuple[np.ndarray, np.ndarray]:
    """The (post, target) rows of the posts naming two targets or more."""
    key = mentions.post * (int(mentions.target.max()) + 1) + mentions.target
    first = np.r_[True, key[1:] != key[:-1]]
    post, target = mentions.post[first], mentions.target[first]
    multi = np.bincount(post, minlength=n_posts)[post] > 1
    return post[multi], target[multi]


def _reference(
    batch: NormBatch, mentions: Mentions, post: np.ndarray, target: np.ndarray
) -> list[str]:
    """The definition, post by post: clause_spans, then each target's clauses."""
    out = []
    for p, t in zip(post.tolist(), target.tolist(), strict=True):
        lo, hi = int(batch.starts[p]), int(batch.ends[p])
        sel = mentions.post == p
        owned = targeted._clauses_by_target(
            batch.text[lo:hi], mentions.target[sel].tolist(), (mentions.start[sel] - lo).tolist()
        )
        out.append("，".join(owned[t]))
    return out


def _matched(config: Config, texts: list[str]) -> tuple[NormBatch, Mentions]:
    batch = normalize_batch(texts)
    matcher = EntityMatcher.from_config(config)
    return batch, matcher.resolve(PatternIndex(matcher.patterns).scan(batch))


def _check(batch: NormBatch, mentions: Mentions) -> int:
    post, target = _rows(mentions, len(batch))
    got = targeted.clause_texts(batch, mentions, post, target)
    assert got == _reference(batch, mentions, post, target)
    return len(got)


@pytest.mark.parametrize("seed", [1, 2])
def test_tricky_posts_equal_the_definition(config: Config, seed: int) -> None:
    rng = random.Random(seed)
    texts = [rng.choice(TRICKY) for _ in range(400)]
    # posts the fast path skips (one target, none) between the named ones, some ending or
    # starting with letters next to a named post's contrast word
    texts += ["ter", "小米ter", "ter only", "", "but", "😀"] * 20
    rng.shuffle(texts)
    batch, mentions = _matched(config, texts)
    assert _check(batch, mentions) > 500


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_random_posts_equal_the_definition(config: Config, seed: int) -> None:
    rng = random.Random(seed)
    texts = ["".join(rng.choice(POOL) for _ in range(rng.randint(0, 25))) for _ in range(1500)]
    batch, mentions = _matched(config, texts)
    assert _check(batch, mentions) > 1500


def test_very_long_posts(config: Config) -> None:
    rng = random.Random(6)
    long = ["".join(rng.choice(POOL) for _ in range(n)) for n in (20_000, 40_000)]
    batch, mentions = _matched(config, ["小米", *long, "华为好，小米差", long[0]])
    assert _check(batch, mentions) >= 12


@pytest.mark.parametrize("seed", [7, 8])
def test_hand_made_mentions_anywhere(seed: int) -> None:
    """Mentions at any place (on separators, at a post's first or last character, several
    targets at one place, targets that no clause before them owns), not only where a matcher
    puts them."""
    rng = random.Random(seed)
    texts = ["".join(rng.choice(POOL) for _ in range(rng.randint(0, 12))) for _ in range(800)]
    batch = normalize_batch(texts)
    found: set[tuple[int, int, int]] = set()
    for p in range(len(batch)):
        size = int(batch.ends[p] - batch.starts[p])
        for _ in range(rng.randint(0, 5) if size else 0):
            found.add((p, rng.randint(0, 3), int(batch.starts[p]) + rng.randrange(size)))
    post, target, start = (np.array(c, dtype=np.int64) for c in zip(*sorted(found), strict=True))
    mentions = Mentions(post, target, start, start + 1)
    assert _check(batch, mentions) > 800


@pytest.mark.parametrize("seed", [9, 10])
def test_gathered_clauses_equal_the_joined_cut(seed: int) -> None:
    """``_clauses`` (code points gathered from the batch, the contrast regex checked in the
    batch's text) cuts a subset of posts as ``_cut`` cuts the same posts joined by NUL."""
    rng = random.Random(seed)
    texts = ["".join(rng.choice(POOL) for _ in range(rng.randint(0, 20))) for _ in range(600)]
    batch = normalize_batch(texts)
    posts = batch.texts()
    wanted = np.flatnonzero(np.array([rng.random() < 0.4 and p != "" for p in posts]))
    if posts[-1]:  # the batch's last post too (nothing after it)
        wanted = np.unique(np.r_[wanted, len(posts) - 1])
    joined = "\x00".join(posts[i] for i in wanted.tolist())
    c = targeted._clauses(batch, wanted)
    assert c.codes.tobytes().decode("utf-32-le") == joined
    texts_of = [joined[a:b] for a, b in zip(c.starts.tolist(), c.stops.tolist(), strict=True)]
    want = [posts[i][a:b] for i in wanted.tolist() for a, b in targeted.clause_spans(posts[i])]
    assert texts_of == want and len(want) > 500
