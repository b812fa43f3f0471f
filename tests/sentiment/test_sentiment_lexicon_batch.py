"""The lexicon's batch path gives exactly what the per-text reference gives (issue 19).

:func:`lexicon_batch.analyze_batch` joins a batch into one string, matches it once and walks the
hits with precomputed break positions; :func:`lexicon.analyze` is the readable reference. Every
sum must be bit-for-bit equal and every evidence list the same, on texts built from the
lexicon's own entries (negators, degree words, 好, contrasts, concessions, dispels, emoji, frame
triggers, punctuation) and on odd unicode (full width, combining marks, final sigma, NUL).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brandhalo.text.normalize import nfkc
from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment import lexicon_batch as lb
from brandhalo.text.sentiment.frames import TRIGGERS
from brandhalo.text.sentiment.lexicon import (
    KINDS,
    LexiconEngine,
    _automaton,
    analyze,
    default_entries,
)

EXTRA = (("绿屏门", -3.0), ("真香", 0.0), ("wow effect", 2.0))
FILLER = list("的了是我车这个手机在有一和也就都说吗呢啊吧") + ["iphone", "model y", "ok", "it"]
PUNCT = list("，,。.！!？?；;：:、…~—/()（）\n ") + ["//@", "...", " - "]
ODD = [
    "ｇｏｏｄ",  # full width folds to good
    "GOOD",
    "ΟΔΟΣ",  # final sigma on lower()
    "e\u0301",  # combining accent
    "\u0301开头",  # a combining mark at the start of a text
    "İ",  # lower() makes two characters
    "don\u2019t",
    "@王宝强",
    "@user:",
    "\uff20名字",
    "😡",
    "👍🏻",
    "[怒]",
    ":)",
    "\u3000",
    "\ufeff",
    "한국어",
    "ﾊﾝｶｸ",
    "①②",
    "\x00",
    "\t",
    "【重磅】",
    "据36氪报道",
    "售价：32.98万元起",
    "100km 50kwh",
]


def _vocab() -> dict[str, list[str]]:
    by_kind: dict[str, list[str]] = {}
    names = {v: k for k, v in KINDS.items()}
    for key, entry in default_entries().items():
        by_kind.setdefault(names[entry[0]], []).append(key)
    by_kind["frame"] = [w for words in TRIGGERS.values() for w in words]
    by_kind["extra"] = [t for t, _ in EXTRA]
    return by_kind


def generated_texts(n: int, seed: int) -> list[str]:
    """Seeded texts mixing every kind of lexicon entry, fillers, punctuation and odd unicode."""
    rng = random.Random(seed)
    vocab = _vocab()
    kinds = list(vocab)
    out = []
    for _ in range(n):
        size = rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 40, 120])
        pieces = []
        for _ in range(size):
            r = rng.random()
            if r < 0.45:
                pool = vocab[rng.choice(kinds)]
            elif r < 0.7:
                pool = FILLER
            elif r < 0.9:
                pool = PUNCT
            else:
                pool = ODD
            pieces.append(rng.choice(pool))
        glue = rng.choice(["", " ", "", "，"])
        out.append(glue.join(pieces))
    return out


def reference(texts: Iterable[str], extra=()) -> tuple[np.ndarray, list[list[str]]]:
    auto = _automaton(extra)
    found = [analyze(auto, t) for t in texts]
    return np.array([s for s, _ in found], dtype=np.float64), [e for _, e in found]


def assert_same(texts: list[str], extra=()) -> None:
    sums, evidence = lb.analyze_batch(extra, texts)
    ref_sums, ref_evidence = reference(texts, extra)
    for i, text in enumerate(texts):
        # bit-for-bit: the batch walk multiplies and adds in the reference's order
        assert sums[i].tobytes() == ref_sums[i].tobytes(), (text, sums[i], ref_sums[i])
        assert evidence[i] == ref_evidence[i], text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batch_equals_reference_on_generated_texts(seed: int) -> None:
    texts = generated_texts(1500, seed)
    assert_same(texts)
    assert_same(texts, EXTRA)


def test_generated_texts_cover_every_rule() -> None:
    # the property above only means something if the texts reach the rules
    texts = generated_texts(1500, 1)
    _, evidence = reference(texts)
    flat = [e for ev in evidence for e in ev]
    assert sum(e.startswith("~") for e in flat) > 50  # neutral frames
    assert sum(e.startswith("-") for e in flat) > 200 and sum(e.startswith("+") for e in flat) > 200
    joined = "".join(texts)
    for word in ("不", "很", "好", "但是", "虽然", "打消", "not", "very", "!"):
        assert word in joined


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "好",
        "好好",
        "好，",
        "很好",
        "不好",
        "不是不好",
        "好贵",
        "好东西",
        "虽然贵，质量很好",
        "虽然贵。质量很好",
        "虽然贵，快递，。很好",
        "外观很漂亮，但是发热严重，但是很快",
        "担心刹车失灵……打消了我的顾虑，很好",
        "不 👍",
        "This is not good but really very great!!!",
        "goodbye good-bye GOOD!",
        "@幸福妈妈 好评 @user 差评",
        "【澜岳L9正式上市 售价32.98万元起】真的很好",
        "L9和M7到底选哪个？",
        "这车落地要多少钱",
        "好" * 300,
        "不错！" * 200,
        "a\x00b 很好",
        "ΟΔΟΣ good",
    ],
)
def test_batch_equals_reference_on_edge_cases(text: str) -> None:
    assert_same([text])
    assert_same(["很好", text, "", text, "差评"])


def test_chunks_and_nul_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lb, "CHUNK", 7)
    texts = generated_texts(100, 9) + ["很好\x00但是很差", "\x00"]
    assert_same(texts)


def failover_parents(keys: list[str]) -> dict[int, tuple[str, ...]]:
    """Per key id, the trie nodes that are no key and whose failure link (longest proper
    suffix that is a trie node) is that key."""
    ids = {k: i for i, k in enumerate(keys)}
    nodes = {k[:j] for k in keys for j in range(1, len(k) + 1)}
    out: dict[int, list[str]] = {}
    for node in nodes:
        if node in ids:
            continue
        fail = next((node[j:] for j in range(1, len(node)) if node[j:] in nodes), None)
        if fail is not None and fail in ids:
            out.setdefault(ids[fail], []).append(node)
    return {i: tuple(sorted(v)) for i, v in out.items()}


def test_every_failover_path_at_the_end_of_a_text() -> None:
    # iter_long reports a key by failover only when a character follows: at the end of its
    # input it drops it, so both paths scan each text followed by the separator
    tab = lb.tables(())
    paths = [p for ps in failover_parents(list(tab.keys)).values() for p in ps]
    assert paths
    assert_same([t for p in paths for t in (p, "很" + p, p + "好", p + "!", "不" + p + "😂")])


#: characters NFKC changes, joins or reorders: marks, jamo, half-width kana and their voicing
#: marks, full-width forms, compatibility ideographs, ligatures, emoji with modifiers and ZWJ
TRICKY = (
    "e\u0301\u0300\u0323\u0344\u0340\u0f73\u1100\u1161\u11a8\uac00\ud7a3\uff76\uff9e\uff9f"
    "\u30ab\u3099\u309a\u304b\uff21\uff41\uff10\uff0c\uff01\u3000\uf900\ufb01\u2460\u2026"
    "\u00bd\u00c5\u212b\u0391\u03a3\u1e9b\u09c7\u09be\u0b47\u0b3e\U0002f800\U0001d400"
    "\U0001f44d\U0001f3fb\u200d\ufe0f\u0130\u00df\u6c49\u5b57aZ0 \x00"
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.text(alphabet=TRICKY, max_size=30)))
def test_nfkc_by_runs_equals_nfkc(text: str) -> None:
    import unicodedata

    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_on_every_tricky_pair() -> None:
    import unicodedata

    for a in TRICKY:
        for b in TRICKY:
            for text in (a + b, "x" + a + b, a + b + "\u0301"):
                assert nfkc(text) == unicodedata.normalize("NFKC", text), ascii(text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.lists(st.sampled_from(FILLER + PUNCT + ODD + ["不", "很", "好", "但", "差"])).map(
                "".join
            ),
        ),
        max_size=6,
    )
)
def test_batch_equals_reference_on_any_unicode(texts: list[str]) -> None:
    assert_same(texts)


@pytest.mark.parametrize("name", ["lexicon", "hybrid"])
def test_engines_score_as_with_the_reference(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from brandhalo.text.sentiment import hybrid

    texts = generated_texts(400, 5)
    engine = get_engine(name)
    got = engine.score(texts)

    def per_text(extra, items, max_evidence=5):
        return reference(items, extra)

    monkeypatch.setattr(lb, "analyze_batch", per_text)
    monkeypatch.setattr(hybrid, "analyze_batch", per_text)
    want = engine.score(texts)
    assert np.array_equal(got.labels, want.labels)
    assert np.array_equal(got.scores, want.scores)
    assert np.array_equal(got.confidence, want.confidence)
    assert got.evidence == want.evidence
    assert sum(bool(ev) for ev in got.evidence) > 100


@pytest.mark.parametrize("seed", [4, 5])
def test_no_evidence_keeps_the_sums(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """max_evidence=0 (targeted sentiment's clauses) builds no evidence, same sums bit for bit,
    on the batch path, on NUL-holding texts and on the reference path."""
    texts = [*generated_texts(1500, seed), "很好\x00太差", "好\x00"]
    ref_sums, _ = reference(texts)
    sums, evidence = lb.analyze_batch((), texts, max_evidence=0)
    assert sums.tobytes() == ref_sums.tobytes() and evidence == [[]] * len(texts)
    assert (ref_sums != 0).sum() > 500
    tab = lb.tables(())  # the reference path (texts when a key holds the separator)
    monkeypatch.setattr(lb, "tables", lambda extra: dataclasses.replace(tab, safe=False))
    sums, evidence = lb.analyze_batch((), texts, max_evidence=0)
    assert sums.tobytes() == ref_sums.tobytes() and evidence == [[]] * len(texts)


def test_polarity_equals_score() -> None:
    engine = LexiconEngine(extra_terms=dict(EXTRA))
    texts = [*generated_texts(1500, 9), TRICKY, TRICKY[::-1], ""]
    labels, scores = engine.polarity(texts)
    want = engine.score(texts)
    assert labels.dtype == want.labels.dtype and labels.tobytes() == want.labels.tobytes()
    assert scores.dtype == want.scores.dtype and scores.tobytes() == want.scores.tobytes()
    assert len(set(labels.tolist())) == 3
