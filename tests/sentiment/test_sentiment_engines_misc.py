"""Hybrid engine, engine_from_settings, user names, the shipped default model."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.config import SentimentSettings
from brandhalo.errors import EngineError
from brandhalo.text.sentiment import ENGINES, engine_from_settings, get_engine
from brandhalo.text.sentiment.linear import LinearModel, default_model_path


def test_user_names_carry_no_sentiment() -> None:
    lex = get_engine("lexicon")
    res = lex.score(["@幸福妈妈 明天见", "回复@王宝强: 收到", "@user thanks for nothing"])
    assert res.labels[:2].tolist() == [0, 0]
    assert not any("幸福" in e or "强" in e for ev in res.evidence for e in ev)


def test_hybrid_uses_lexicon_rules_and_model(tiny_linear_model: Path) -> None:
    hyb = get_engine("hybrid", model_path=tiny_linear_model, beta=0.5)
    res = hyb.score(["外观很漂亮，但是刹车失灵", "great camera and battery", ""])
    assert res.labels.tolist() == [-1, 1, 0]
    assert "-刹车失灵" in res.evidence[0]  # lexicon evidence kept
    zero = get_engine("hybrid", model_path=tiny_linear_model, beta=0.0)
    lex = get_engine("lexicon", threshold=0.2)
    texts = ["非常满意", "售后态度差", "今天发布了新款"]
    assert zero.score(texts).scores.tolist() == pytest.approx(lex.score(texts).scores.tolist())


def test_hybrid_falls_back_to_model_evidence(tiny_linear_model: Path) -> None:
    hyb = get_engine("hybrid", model_path=tiny_linear_model, beta=3.0)
    texts = ["camera and battery", "the screen is", "售后态度", "see specs see specs"]
    res = hyb.score(texts)
    assert res.labels[3] == 0  # neutral phrase of the training pool
    polar = [i for i in range(len(texts)) if res.labels[i] != 0]
    assert polar  # the model decides where the lexicon has no word
    assert all(res.evidence[i] and res.evidence[i][0][1:] in texts[i] for i in polar)


def test_engine_from_settings_passes_only_accepted_options(tiny_linear_model: Path) -> None:
    settings = SentimentSettings(engine="lexicon", model_path=str(tiny_linear_model))
    assert engine_from_settings(settings).name == "lexicon"  # model_path ignored by lexicon
    settings = SentimentSettings(engine="linear", model_path=str(tiny_linear_model))
    eng = engine_from_settings(settings)
    assert eng.name == "linear" and eng.model_path == str(tiny_linear_model)
    assert engine_from_settings(settings, engine="fake").name == "fake"
    with pytest.raises(EngineError, match="choose one of"):
        engine_from_settings(SentimentSettings(engine="bert"))


def test_registry_names() -> None:
    assert {"lexicon", "linear", "hybrid", "transformers", "fake"} <= set(ENGINES)
    assert all(cls.name == name for name, cls in ENGINES.items())


def test_shipped_default_model_is_small_and_readable() -> None:
    path = default_model_path()
    if not path.is_file():
        pytest.skip("no default model in this checkout (scripts/train_default_model.py)")
    assert path.stat().st_size <= 20 * 2**20
    model = LinearModel.load(path)
    assert model.meta["sources"] and model.classes.tolist() == [-1, 0, 1]
    assert set(model.meta["stack"]) == {"cjk", "other"}
    texts = ["质量很好，非常满意", "太差了，退货", "great phone, love it", "worst update ever"]
    for name in ("linear", "hybrid"):
        assert get_engine(name).score(texts).labels.tolist() == [1, -1, 1, -1], name
