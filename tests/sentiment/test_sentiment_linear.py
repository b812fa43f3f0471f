"""The linear engine: training, the portable file format, evidence, binary neutral band."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sentiment_helpers import labelled_rows

from brandhalo.errors import EngineError, InputError, NotFoundError
from brandhalo.text.normalize import fold_for_ngrams
from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.linear import LinearModel
from brandhalo.text.sentiment.train import train_linear


def test_save_load_round_trip_without_pickle(tiny_linear_model: Path) -> None:
    with np.load(tiny_linear_model, allow_pickle=False) as z:  # no object arrays inside
        assert {"coef", "intercept", "classes", "header"} <= set(z.files)
    model = LinearModel.load(tiny_linear_model)
    assert model.classes.tolist() == [-1, 0, 1]
    assert model.coef.shape == (3, model.n_features)
    loaded = get_engine("linear", model_path=tiny_linear_model).model
    assert np.array_equal(loaded.coef, model.coef) and loaded.meta["rows"] == 300


def test_predictions_survive_the_file(tiny_linear_model: Path) -> None:
    rows = labelled_rows(n=60, seed=5)
    eng = get_engine("linear", model_path=tiny_linear_model)
    res = eng.score([t for t, _ in rows])
    acc = np.mean(res.labels == np.array([y for _, y in rows]))
    assert acc > 0.9


def test_evidence_is_ngrams_of_the_text(tiny_linear_model: Path) -> None:
    eng = get_engine("linear", model_path=tiny_linear_model)
    texts = ["售后态度差", "great camera and battery"]
    res = eng.score(texts)
    assert res.labels.tolist() == [-1, 1]
    for text, ev in zip(texts, res.evidence, strict=True):
        assert ev and all(e[0] in "+-" and e[1:] in fold_for_ngrams(text) for e in ev)
    # Latin evidence is whole words: no "eat" out of "great"
    assert all(
        w in {"great", "camera", "and", "battery"} for e in res.evidence[1] for w in e[1:].split()
    )


def test_binary_model_has_a_neutral_band(tmp_path: Path) -> None:
    rows = labelled_rows(n=120, seed=2, classes=2)
    model = train_linear([t for t, _ in rows], [y for _, y in rows], n_features=1 << 12)
    assert model.coef.shape[0] == 1 and model.classes.tolist() == [-1, 1]
    texts = ["质量太差了", "zzzz qqqq"]  # the second has no known n-gram
    wide = get_engine("linear", model_path=model.save(tmp_path / "b.npz"), neutral_band=0.99)
    assert wide.score(texts).labels.tolist() == [0, 0]


def test_bad_and_missing_model_files(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="brandhalo train"):
        get_engine("linear", model_path=tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    np.savez(bad, x=np.zeros(3))
    with pytest.raises(EngineError, match="not a brandhalo linear"):
        get_engine("linear", model_path=bad)


def test_training_rejects_one_class() -> None:
    with pytest.raises(InputError, match="positive and negative"):
        train_linear(["a", "b", "c", "d"], [1, 1, 0, 0])
