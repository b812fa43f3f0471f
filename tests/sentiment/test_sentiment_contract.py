"""One contract suite, run against every registered engine."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from brandhalo.errors import EngineError
from brandhalo.text.sentiment import ENGINES, SentimentEngine, SentimentResult, get_engine

TEXTS = [
    "刹车失灵，太危险了",
    "拍照非常好 👍",
    "",
    "😡😡😡",
    "[赞][赞]",
    "这个 phone 真的 great，但是续航一般",
    "The battery is terrible and the screen cracked.",
    "今天天气",
    "好" * 20_000,  # very long text
    "   ",
]


def _engine_names() -> list[str]:
    return sorted(ENGINES)


@pytest.fixture(params=_engine_names())
def engine(request: pytest.FixtureRequest, engine_factory) -> SentimentEngine:
    return engine_factory(request.param)


def test_result_shapes_dtypes_and_ranges(engine: SentimentEngine) -> None:
    res = engine.score(TEXTS)
    assert isinstance(res, SentimentResult)
    assert len(res) == len(TEXTS)
    assert res.labels.dtype == np.int8 and res.labels.shape == (len(TEXTS),)
    assert res.scores.dtype == np.float64 and res.confidence.dtype == np.float64
    assert set(np.unique(res.labels).tolist()) <= {-1, 0, 1}
    assert np.all((res.scores >= -1) & (res.scores <= 1))
    assert np.all((res.confidence >= 0) & (res.confidence <= 1))
    assert len(res.evidence) == len(TEXTS)
    assert all(isinstance(e, list) and all(isinstance(w, str) for w in e) for e in res.evidence)


def test_empty_batch_and_blank_texts(engine: SentimentEngine) -> None:
    assert len(engine.score([])) == 0
    res = engine.score(["", "   "])
    if engine.name != "transformers":  # a neural model may lean either way on nothing
        assert res.labels.tolist() == [0, 0]


def test_accepts_numpy_and_none(engine: SentimentEngine) -> None:
    res = engine.score(np.array(["好", "坏"], dtype=object))
    assert len(res) == 2
    assert len(engine.score([None, "ok"])) == 2  # type: ignore[list-item]


def test_rejects_a_bare_string(engine: SentimentEngine) -> None:
    with pytest.raises(EngineError, match="sequence of texts"):
        engine.score("one text")


def test_deterministic_and_batch_independent(engine: SentimentEngine) -> None:
    a = engine.score(TEXTS)
    b = engine.score(TEXTS)
    assert np.array_equal(a.labels, b.labels) and np.allclose(a.scores, b.scores)
    one = engine.score([TEXTS[6]])
    assert one.labels[0] == a.labels[6]
    assert one.scores[0] == pytest.approx(a.scores[6], abs=1e-3)


def test_picklable(engine: SentimentEngine) -> None:
    clone = pickle.loads(pickle.dumps(engine))
    a, b = engine.score(TEXTS[:8]), clone.score(TEXTS[:8])
    assert a.labels.tolist() == b.labels.tolist()
    assert np.allclose(a.scores, b.scores, atol=1e-3)


def test_clear_polarity(engine: SentimentEngine) -> None:
    if engine.name == "transformers":
        pytest.skip("the test model has random weights; polarity is meaningless")
    res = engine.score(["质量太差了，失望", "很好用，推荐", "terrible, hate it", "love it, great"])
    assert res.labels.tolist() == [-1, 1, -1, 1]
    assert all(res.evidence[i] for i in range(4))


def test_unknown_engine_lists_available() -> None:
    with pytest.raises(EngineError) as info:
        get_engine("nope")
    for name in ("lexicon", "fake", "linear"):
        assert name in str(info.value)


def test_bad_option_is_engine_error() -> None:
    with pytest.raises(EngineError, match="does not accept"):
        get_engine("lexicon", colour="red")
