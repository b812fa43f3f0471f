"""The lexicon batch path's fast parts give exactly what the per-text reference gives (issue 15).

:func:`lexicon_batch.analyze_batch` matches a two-symbol spelling of the batch (an automaton
with a few dozen children per node) and walks texts whose hits are only words, emoji, negators
and degree words with numpy; :func:`lexicon.analyze` matches characters and walks every text
hit by hit. These tests pin both fast parts to the reference on inputs built to reach their
edges: chains of negators and degree words that run past their scope or over a clause break,
emoji inside a chain, wishes (a negator with its own flip), words with their own negator,
more parts than the numpy walk takes, runs of characters in no key, private-use and
astral characters, overlapping keys, and an automaton built from a different first batch.
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from brandhalo.text.sentiment import lexicon_batch as lb
from brandhalo.text.sentiment.lexicon import (
    DEG,
    EMOJI,
    NEG,
    WORD,
    LexiconEngine,
    _automaton,
    analyze,
    default_entries,
)


def assert_same(texts: list[str], extra: tuple[tuple[str, float], ...] = ()) -> None:
    """Sums bit for bit and evidence lists equal to the reference, with and without evidence."""
    auto = _automaton(extra)
    want = [analyze(auto, t) for t in texts]
    sums, evidence = lb.analyze_batch(extra, texts)
    bare, none = lb.analyze_batch(extra, texts, max_evidence=0)
    for i, text in enumerate(texts):
        ref = np.float64(want[i][0]).tobytes()
        assert sums[i].tobytes() == ref, (text, sums[i], want[i][0])
        assert bare[i].tobytes() == ref, (text, bare[i], want[i][0])
        assert evidence[i] == want[i][1], text
    assert none == [[]] * len(texts)


def _keys(kind: int, latin: bool | None = None) -> list[str]:
    keys = [k for k, e in default_entries().items() if e[0] == kind and "\n" not in k]
    if latin is not None:
        keys = [k for k in keys if k.isascii() == latin]
    return sorted(keys)


NEGS, DEGS = _keys(NEG, latin=False), _keys(DEG, latin=False)
WORDS, EMOJIS = _keys(WORD, latin=False), _keys(EMOJI)
EN_NEGS, EN_DEGS, EN_WORDS = _keys(NEG, True), _keys(DEG, True), _keys(WORD, True)
#: characters in no key (each stands for the placeholder) and breaks of both kinds
GAPS = ["", "", "", "的", "了", "吗", "X", "xx", "我的车", "，", "。", " ", "\n", "！", "!!", "～"]


def chain_texts(n: int, seed: int) -> list[str]:
    """Seeded texts of negator / degree chains before words and emoji, with gaps of every size
    between them (inside and past the scopes), in Chinese and in English."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        latin = rng.random() < 0.3
        negs, degs, words = (EN_NEGS, EN_DEGS, EN_WORDS) if latin else (NEGS, DEGS, WORDS)
        pieces = []
        for _ in range(rng.choice([1, 2, 4, 8, 16])):
            r = rng.random()
            pool = negs if r < 0.3 else degs if r < 0.55 else words if r < 0.85 else EMOJIS
            gap = rng.choice(GAPS) * rng.choice([1, 1, 2, 5])
            pieces.append(rng.choice(pool) + (" " if latin else "") + gap)
        out.append("".join(pieces))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_negator_and_degree_chains(seed: int) -> None:
    texts = chain_texts(2500, seed)
    assert_same(texts)
    # the texts reach the numpy walk and its chains: negated, intensified, expired ones
    _, evidence = lb.analyze_batch((), texts)
    flat = [e for ev in evidence for e in ev]
    assert sum(any(n in e for n in ("不", "没", "not")) for e in flat) > 300
    assert sum(any(d in e for d in ("很", "太", "非常", "真", "very")) for e in flat) > 150


@pytest.mark.parametrize(
    "text",
    [
        "",
        "不",
        "很",
        "不很",
        "不不好",  # two negators cancel
        "不不不好",
        "不 👍 好",  # an emoji leaves the negation open for the word after it
        "很👍好",
        "非常非常非常好",  # a chain of degree words multiplies in order
        "很不好",
        "不很好",
        "不，好",  # a clause break ends the negation
        "不的的的的的的的的好",  # past the negator's scope
        "不的的的好",
        "很的的的的的的的好",
        "不很的的的的的的好",
        "好好好好" * 20,  # more parts than the numpy walk takes
        "好，" * 47 + "差",
        "好，" * 48 + "差",
        "好，" * 49 + "差",
        "not good",
        "not very good",
        "not not good",
        "it would be great if it did not crash",  # a wish flips fully
        "no refund, not no refund",  # a word with its own negator
        "very very very bad!!!",
        "ok so not great",  # an opener worth nothing
        "😡😡😡 不 😂",
        "X" * 63 + "很好",  # runs of characters in no key, around the placeholder run of 64
        "X" * 64 + "很好",
        "X" * 65 + "很好" + "Y" * 130,
        "\ue000\ue001\ue000很好\ue001",  # the placeholders' own code points in a post
        "\U0010fffd不好\U0001f600",
        "😀" * 70 + "不好",
        "質量很好，但是" + "差" * 5,
        "很好很好很好很好很好",
        "goodbye good good-bye",
    ],
)
def test_edge_cases(text: str) -> None:
    assert_same([text])
    assert_same(["很好", text, "", text, "不好"])


def test_numpy_walk_and_python_walk_split_inside_one_chunk() -> None:
    # texts with a contrast (walked in Python) between plain ones (walked with numpy)
    texts = chain_texts(300, 9)
    mixed = [t + ("但是很差" if i % 3 == 0 else "") for i, t in enumerate(texts)]
    assert_same(mixed)


def test_automaton_from_a_different_first_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The spelling ranks characters by how often the first batch holds them; an automaton
    built from English posts first matches Chinese posts as one built from Chinese posts."""
    texts = chain_texts(1500, 11)
    tab = lb.tables(())
    want = lb.analyze_batch((), texts)
    for first in (["good not bad very"] * 50, ["不很好的"] * 50, [""]):
        fresh = dataclasses.replace(tab, built=[])
        sample = np.frombuffer("\x00".join(first).encode("utf-32-le"), np.uint32)
        lb._automaton_for(fresh, sample.astype(np.int64))
        monkeypatch.setattr(lb, "tables", lambda extra, fresh=fresh: fresh)
        got = lb.analyze_batch((), texts)
        assert got[0].tobytes() == want[0].tobytes() and got[1] == want[1]
        assert fresh.built[0] is not tab.built[0]


def test_every_key_alone_and_inside_others() -> None:
    # overlapping keys: each key alone, after a prefix of another key, and before a suffix
    keys = [k for k in lb.tables(()).keys if "\n" not in k]
    rng = random.Random(5)
    texts = []
    for key in keys:
        other = rng.choice(keys)
        texts += [key, other[: len(other) // 2 + 1] + key, key + other[len(other) // 2 :]]
    assert_same(texts)


def test_engine_labels_match_the_reference() -> None:
    texts = chain_texts(800, 13)
    engine = LexiconEngine(extra_terms={"绿屏门": -3.0, "wow effect": 2.0})
    got = engine.score(texts)
    auto = _automaton(engine.extra)
    want = np.array([analyze(auto, t)[0] for t in texts], dtype=np.float64)
    labels, scores, _, _ = engine._labels(want)
    assert np.array_equal(got.labels, labels)
    assert got.scores.tobytes() == np.clip(scores, -1.0, 1.0).tobytes()


def test_failover_at_the_end_of_the_batch() -> None:
    """iter_long reports a key found by failover only when a symbol follows it: the spelled
    batch ends with the separator's symbols, so the last text keeps its last key."""
    keys = set(lb.tables(()).keys)
    nodes = {k[:j] for k in keys for j in range(2, len(k) + 1)} - keys
    ends = sorted(n for n in nodes if any(n[j:] in keys for j in range(1, len(n))))
    assert len(ends) > 50
    for text in ends[:400]:
        assert_same(["很好", text])
        assert_same(["不" + text])
