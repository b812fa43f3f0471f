"""`eval` on a two-label sheet (only negative and positive gold): a neutral prediction is
neither label. The headline figures resolve it by score sign, as benchmarks/sentiment.py does,
but the report says the gold has two labels, how many neutrals were resolved (and how many
had score 0, no signal, counted positive only by the rule) and the figures with those
neutrals counted as wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.evaluate import evaluate

runner = CliRunner()
TEXTS = ["good", "bad", "nothing here", "nothing either"]
GOLD = [1, -1, 1, -1]  # the two neutrals (score 0) resolve to positive: one right, one wrong


def test_binary_gold_reports_neutrals_both_ways() -> None:
    rep = evaluate(get_engine("fake"), TEXTS, GOLD)
    assert rep["gold_labels"] == ["negative", "positive"]
    assert rep["neutral_resolved"] == 2 and rep["neutral_zero_score"] == 2
    assert rep["accuracy"] == pytest.approx(3 / 4)  # by score sign, as the benchmarks
    assert rep["neutral_as_wrong"]["accuracy"] == pytest.approx(2 / 4)
    # neutral counted wrong: negative P=1 R=1/2, positive P=1 R=1/2 -> F1 2/3 each
    assert rep["neutral_as_wrong"]["macro_f1"] == pytest.approx(2 / 3)


def test_three_label_gold_keeps_neutral_as_is() -> None:
    rep = evaluate(get_engine("fake"), TEXTS, [1, -1, 0, 0])
    assert rep["gold_labels"] == ["negative", "neutral", "positive"]
    assert rep["neutral_resolved"] == 0 and "neutral_as_wrong" not in rep
    assert rep["accuracy"] == 1.0


def _sheet(tmp_path: Path) -> Path:
    path = tmp_path / "two_labels.csv"
    labels = ["positive" if g == 1 else "negative" for g in GOLD]
    pd.DataFrame({"text": TEXTS, "label": labels}).to_csv(path, index=False)
    return path


def test_cli_says_the_gold_has_two_labels(tmp_path: Path) -> None:
    path = _sheet(tmp_path)
    res = runner.invoke(app, ["eval", "--labels", str(path), "--engine", "fake"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "accuracy 0.750" in text
    assert "The gold has two labels (negative, positive)" in text
    assert "2 neutral predictions were counted by score sign" in text
    assert "2 had score 0 (no signal)" in text
    assert "Counting them wrong: accuracy 0.500, macro-F1 0.667" in text
    res = runner.invoke(app, ["eval", "--labels", str(path), "--engine", "fake", "--json"])
    rep = json.loads(res.stdout)
    assert rep["neutral_as_wrong"]["accuracy"] == pytest.approx(0.5)


def test_rows_mark_the_neutrals_resolved_by_score_sign(tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    res = runner.invoke(
        app, ["eval", "--labels", str(_sheet(tmp_path)), "--engine", "fake", "--rows", str(out)]
    )
    assert res.exit_code == 0, res.output
    rows = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    resolved = rows[rows["evidence"].str.startswith("(neutral, counted by score sign)")]
    assert resolved["text"].tolist() == ["nothing here", "nothing either"]
    assert resolved["predicted"].tolist() == ["positive", "positive"]
    assert resolved["correct"].tolist() == [True, False]
    assert not rows["evidence"].iloc[:2].str.contains("neutral").any()
