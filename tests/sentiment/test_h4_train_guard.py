"""`train` keeps the engine in use when the adapted model, cross-validated, scores below the
general model (macro-F1 or negative precision), says so, and `--use-anyway` switches; `eval`
names the model it scored (the shipped one or a workspace model's id)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from domain_helpers import NAMES, domain_rows, run_json
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.config import load_config
from brandhalo.workspace import init_workspace

runner = CliRunner()


@pytest.fixture(scope="module")
def general_labels(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A workspace (lexicon in use) and labels the general model gets all right: adapting can
    only lose against it, yet it beats the lexicon in use."""
    from brandhalo.text.sentiment.hybrid import HybridEngine

    tmp = tmp_path_factory.mktemp("guard")
    root = tmp / "ws"
    init_workspace(root).close()
    texts = [t for t, _ in domain_rows(120, seed=5, negative_share=0.2)]
    labels = HybridEngine().score(texts).labels
    sheet = tmp / "labels.csv"
    pd.DataFrame({"text": texts, "label": [NAMES[int(v)] for v in labels]}).to_csv(
        sheet, index=False
    )
    return root, sheet


def test_train_keeps_the_engine_when_the_adapted_model_is_below_the_general_one(
    general_labels: tuple[Path, Path],
) -> None:
    root, sheet = general_labels
    s = run_json("train", "-p", str(root), "--labels", str(sheet))
    # the premise: better than the lexicon in use, worse than the general model
    assert s["current"]["engine"] == "lexicon"
    assert s["current"]["macro_f1"] < s["after"]["macro_f1"] < s["before"]["macro_f1"]
    assert not s["in_use"] and s["kept"] == "lexicon"
    assert ("macro_f1", "the general model") in [(w["metric"], w["rival"]) for w in s["worse"]]
    assert {w["rival"] for w in s["worse"]} == {"the general model"}
    assert load_config(root).sentiment.engine == "lexicon"
    assert (root / s["model_path"]).is_file()  # saved all the same

    res = runner.invoke(app, ["train", "-p", str(root), "--labels", str(sheet)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    assert (
        "Warning: cross-validated on your labels, the adapted model scores lower: macro-F1" in text
    )
    assert "of the general model" in text and "Not put in use: the workspace keeps lexicon" in text
    assert "--use-anyway" in text
    # the general model beats the lexicon kept: the output says how to use it
    assert 'engine = "hybrid" without model_path' in text
    assert f"`brandhalo analyze -p {root}`" in text


def test_use_anyway_switches_and_still_warns(general_labels: tuple[Path, Path]) -> None:
    root, sheet = general_labels
    res = runner.invoke(app, ["train", "-p", str(root), "--labels", str(sheet), "--use-anyway"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    assert "put in use as asked (--use-anyway), although" in text
    settings = load_config(root).sentiment
    assert settings.engine == "hybrid" and settings.model_path


def test_eval_names_the_model_it_scored(general_labels: tuple[Path, Path]) -> None:
    """The workspace model by its id, the engine's built-in model as "shipped model" (it said
    only "hybrid", as if it were the workspace's), nothing for an engine without a model."""
    root, sheet = general_labels
    assert run_json("train", "-p", str(root), "--labels", str(sheet), "--use")["in_use"]
    model_id = Path(str(load_config(root).sentiment.model_path)).stem
    own = runner.invoke(app, ["eval", "-p", str(root), "--labels", str(sheet)])
    assert f"hybrid ({model_id}) on 120 rows" in own.stdout
    res = runner.invoke(
        app, ["eval", "-p", str(root), "--labels", str(sheet), "--engine", "hybrid"]
    )
    assert "hybrid (shipped model) on 120 rows" in res.stdout
    shipped = run_json("eval", "-p", str(root), "--labels", str(sheet), "--engine", "hybrid")
    assert shipped["model"] == "shipped model"
    res = runner.invoke(app, ["eval", "--labels", str(sheet), "--engine", "linear"])
    assert "linear (shipped model) on 120 rows" in res.stdout
    lexicon = runner.invoke(app, ["eval", "--labels", str(sheet), "--engine", "lexicon"])
    assert "lexicon on 120 rows" in lexicon.stdout


def worse_than(summary: dict) -> list[dict]:
    from brandhalo.cli.sentiment import worse_than as worse

    return worse(summary)


def _summary(after: tuple[float, float], before: tuple[float, float]) -> dict:
    def scores(s: tuple[float, float]) -> dict[str, float]:
        return {"macro_f1": s[0], "negative_precision": s[1]}

    return {"after": scores(after), "before": scores(before)}


def test_a_drop_in_negative_precision_alone_keeps_the_model_out() -> None:
    """Macro-F1 up, negative precision down: more false negative alarms is a loss."""
    worse = worse_than(_summary(after=(0.80, 0.70), before=(0.75, 0.90)))
    assert [(w["metric"], w["adapted"], w["score"]) for w in worse] == [
        ("negative_precision", 0.70, 0.90)
    ]
    assert worse_than(_summary(after=(0.80, 0.90), before=(0.75, 0.90))) == []


def test_the_engine_in_use_counts_unless_it_was_trained_on_the_labels() -> None:
    s = _summary(after=(0.80, 0.90), before=(0.75, 0.90))
    s["current"] = {"engine": "hybrid@ws-1", "macro_f1": 0.85, "trained_overlap": 0}
    assert [w["rival"] for w in worse_than(s)] == ["hybrid@ws-1 (in use)"]
    s["current"]["trained_overlap"] = 12  # its score on these rows flatters it
    assert worse_than(s) == []
