"""Batch n-gram hashing (fastgrams) and the stacked hybrid combination, on hand-made inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from brandhalo.text.sentiment import fastgrams as fg
from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.hybrid import apply_stack, stack_features
from brandhalo.text.sentiment.linear import LinearModel

BITS = 12


def _spans(g: fg.Grams, doc: int) -> list[str]:
    text = fg.text_of(g.cp)
    return [text[s : s + n] for d, s, n in zip(g.doc, g.start, g.length, strict=True) if d == doc]


def test_normalisation_width_case_digits_users_urls() -> None:
    g = fg.grams(["ＡＢ１２ @王宝强: Go http://t.co/x"], n_bits=BITS)
    assert fg.text_of(g.cp) == " ab00 @: go http "


def test_ngrams_of_a_short_text_counted_by_hand() -> None:
    g = fg.grams(["ab", "很好"], n_bits=BITS, char_orders=(1, 2), words=True)
    # " ab ": chars a, b; bigrams " a", "ab", "b "; word "ab"
    assert sorted(_spans(g, 0)) == sorted(["a", "b", " a", "ab", "b ", "ab"])
    # " 很好 ": chars 很, 好; bigrams " 很", "很好", "好 "; no Latin words
    assert sorted(_spans(g, 1)) == sorted(["很", "好", " 很", "很好", "好 "])
    assert g.word.sum() == 1 and g.script.tolist() == [0, 1]


def test_scripts_route_to_separate_halves() -> None:
    g = fg.grams(["great phone", "iPhone真香", "iphone is 好", "手机"], n_bits=BITS)
    assert g.script.tolist() == [0, 1, 0, 1]
    upper = g.bucket >= 1 << (BITS - 1)
    assert np.array_equal(upper, g.script[g.doc] == 1)
    assert (g.bucket < 1 << BITS).all()


def test_word_bigrams_stay_inside_one_text() -> None:
    g = fg.grams(["good", "bad"], n_bits=BITS, char_orders=())
    assert sorted(_spans(g, 0)) == ["good"] and sorted(_spans(g, 1)) == ["bad"]


def test_decision_equals_the_sparse_product_and_is_batch_independent() -> None:
    texts = ["续航虚标，太失望了", "love this phone!!", "", "ok 还行"]
    rng = np.random.default_rng(0)
    coef = rng.normal(size=(3, 1 << BITS)).astype(np.float32)
    intercept = np.array([[0.1, 0.2, 0.3], [-0.1, -0.2, -0.3]])
    g = fg.grams(texts, n_bits=BITS)
    d = fg.decision(g, coef, intercept)
    x = g.matrix(BITS)
    expected = np.asarray(x @ coef.T.astype(np.float64)) + intercept[g.script]
    assert d == pytest.approx(expected, abs=1e-6)
    # the empty text has no n-gram: only its intercept
    assert d[2] == pytest.approx(intercept[0])
    alone = np.vstack([fg.decision(fg.grams([t], n_bits=BITS), coef, intercept) for t in texts])
    assert alone == pytest.approx(d, abs=1e-9)
    # duplicates add up: value of a feature is count / sqrt(occurrences)
    g2 = fg.grams(["aa"], n_bits=BITS, char_orders=(1,), words=False)
    assert g2.matrix(BITS).data.tolist() == pytest.approx([2 / np.sqrt(2)])


def _stack_model(tmp_path: Path) -> Path:
    """A model whose only weights are a per-script intercept, plus hand-set stacked heads."""
    stack = {
        # en: 3 classes from the lexicon score alone (columns: lex, has_ev, z, u)
        "other": {
            "classes": [-1, 0, 1],
            "coef": [[-4.0, 0, 0, 0], [0, 0, 0, 0], [4.0, 0, 0, 0]],
            "intercept": [0.0, 1.0, 0.0],
        },
        # zh: binary, from the model's log-odds z alone
        "cjk": {"classes": [-1, 1], "coef": [[0, 0, 1.0, 0]], "intercept": [0.0]},
    }
    model = LinearModel(
        coef=np.zeros((3, 1 << BITS), dtype=np.float32),
        intercept=np.array([[0.0, 0.0, 0.0], [-1.5, 0.3, 1.5]], dtype=np.float32),
        classes=np.array([-1, 0, 1], dtype=np.int8),
        n_features=1 << BITS,
        meta={"stack": stack},
    )
    return model.save(tmp_path / "stack.npz")


def test_stacked_hybrid_follows_its_heads(tmp_path: Path) -> None:
    path = _stack_model(tmp_path)
    eng = get_engine("hybrid", model_path=path, neutral_band=0.2)
    texts = ["great phone", "terrible screen", "the event is at noon", "随便说说", ""]
    res = eng.score(texts)
    # en: lexicon decides; zh: z = 1.5 - (-1.5) = 3 -> p(pos) = sigmoid(3) ~ 0.95 -> positive
    assert res.labels.tolist() == [1, -1, 0, 1, 0]
    assert res.scores[3] == pytest.approx(2 / (1 + np.exp(-3.0)) - 1)
    assert eng.describe()["mode"] == "stacked"
    additive = get_engine("hybrid", model_path=path, stacked=False)
    assert additive.describe()["mode"] == "additive"


def test_apply_stack_by_hand() -> None:
    feats = stack_features(
        np.array([0.0, 6.0]),
        np.array([False, True]),
        np.array([[0.0, 0.3, 0.0], [-1.0, 0.3, 1.0]]),
        [-1, 0, 1],
    )
    # lexicon 6 / sqrt(36 + 6); z = pos - neg; u = neutral - max(pos, neg)
    assert feats[1].tolist() == pytest.approx([6 / np.sqrt(42), 1.0, 2.0, -0.7])
    head = {"classes": [-1, 1], "coef": [[0, 0, 1.0, 0]], "intercept": [0.0]}
    labels, scores, _ = apply_stack({"cjk": head}, feats, np.array([1, 1]), neutral_band=0.2)
    assert labels.tolist() == [0, 1]
    assert scores.tolist() == pytest.approx([0.0, 2 / (1 + np.exp(-2.0)) - 1])
