"""The transformers engine on a tiny local model (skipped without torch/transformers)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from brandhalo.errors import EngineError, NotFoundError
from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.transformers_engine import polarity_of_labels


@pytest.mark.parametrize(
    ("id2label", "want"),
    [
        ({0: "negative", 1: "neutral", 2: "positive"}, [-1, 0, 1]),
        ({0: "POS", 1: "NEG"}, [1, -1]),
        ({0: "LABEL_0", 1: "LABEL_1"}, [-1, 1]),
        ({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, [-1, 0, 1]),
        ({i: f"{i + 1} stars" for i in range(5)}, [-1, -1, 0, 1, 1]),
        ({0: "负面", 1: "正面"}, [-1, 1]),
    ],
)
def test_label_polarity_from_id2label(id2label: dict[int, str], want: list[int]) -> None:
    assert polarity_of_labels(id2label).tolist() == want


def test_unknown_label_scheme_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="id2label"):
        polarity_of_labels({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2", 3: "LABEL_3"})


def test_missing_packages_say_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail
    with pytest.raises(EngineError, match=r"pip install 'brandhalo\[transformers\]'"):
        get_engine("transformers", model_path=".")


def test_missing_model_folder(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    with pytest.raises(NotFoundError):
        get_engine("transformers", model_path=tmp_path / "nope")
    with pytest.raises(EngineError, match="model folder"):
        get_engine("transformers")


def test_sorted_batches_keep_input_order(tiny_transformers_model: Path) -> None:
    texts = ["手机很好用", "terrible battery life and the screen is broken", "", "ok", "售后态度差"]
    eng = get_engine("transformers", model_path=tiny_transformers_model, batch_size=2)
    single = get_engine("transformers", model_path=tiny_transformers_model, batch_size=1)
    a = eng.class_probabilities(texts)
    b = np.vstack([single.class_probabilities([t]) for t in texts])
    assert np.allclose(a, b, atol=1e-4)
    res = eng.score(texts)
    assert res.labels[2] == 0  # blank text is neutral
    assert all(ev[0].startswith("model:") for ev in res.evidence)
    keep = [0, 1, 3, 4]
    assert np.allclose(res.scores[keep], (a[:, 2] - a[:, 0])[keep])


def test_eval_cli_with_transformers(tiny_transformers_model: Path, labels_csv: Path) -> None:
    import json

    from typer.testing import CliRunner

    from brandhalo.cli import app

    res = CliRunner().invoke(
        app,
        [
            "eval",
            "--labels",
            str(labels_csv),
            "--engine",
            "transformers",
            "--model",
            str(tiny_transformers_model),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["n"] == 240 and 0 <= out["accuracy"] <= 1


@pytest.mark.gpu
def test_cuda_half_precision_matches_cpu(tiny_transformers_model: Path) -> None:
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    texts = ["手机很好用", "terrible battery life", "ok"] * 20
    cpu = get_engine("transformers", model_path=tiny_transformers_model, device="cpu")
    gpu = get_engine("transformers", model_path=tiny_transformers_model, device="cuda")
    assert gpu.describe()["dtype"] == "auto"
    assert np.allclose(cpu.class_probabilities(texts), gpu.class_probabilities(texts), atol=2e-2)
