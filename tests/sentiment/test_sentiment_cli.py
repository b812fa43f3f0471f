"""`brandhalo train` / `brandhalo eval` round trip and label-file handling."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sentiment_helpers import labelled_rows
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.evaluate import (
    evaluate,
    false_alarm_share,
    metrics,
    precision_at_share,
)
from brandhalo.text.sentiment.labels import parse_labels, read_labelled

runner = CliRunner()


def _run(*args: str) -> dict:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_train_then_eval_round_trip(labels_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.npz"
    summary = _run(
        "train",
        "--labels",
        str(labels_csv),
        "--text-col",
        "text",
        "--label-col",
        "label",
        "--out",
        str(out),
        "--hash-bits",
        "14",
        "--base",
        "none",
    )
    assert Path(summary["model_path"]) == out and out.is_file()
    assert summary["classes"] == [-1, 0, 1] and summary["rows"] == 240
    assert summary["bytes"] < 1_000_000
    report = _run(
        "eval",
        "--labels",
        str(labels_csv),
        "--text-col",
        "text",
        "--label-col",
        "label",
        "--engine",
        "linear",
        "--model",
        str(out),
    )
    assert report["n"] == 240
    assert report["accuracy"] > 0.95  # it has seen these phrases
    assert {"accuracy", "macro_f1", "n", "docs_per_s", "per_class", "confusion"} <= set(report)
    assert sum(map(sum, report["confusion"]["rows_gold_cols_pred"])) == 240


def test_eval_default_engine_is_lexicon(labels_csv: Path, tmp_path: Path) -> None:
    report = _run(
        "eval",
        "--labels",
        str(labels_csv),
        "--text-col",
        "text",
        "--label-col",
        "label",
        "--project",
        str(tmp_path),
    )
    assert report["engine"]["engine"] == "lexicon"
    assert report["macro_f1"] > 0.6


def test_eval_table_output(labels_csv: Path) -> None:
    res = runner.invoke(app, ["eval", "--labels", str(labels_csv), "--engine", "fake"])
    assert res.exit_code == 0, res.output
    assert "macro-F1" in res.output and "confusion" in res.output


def test_eval_missing_column_names_it(labels_csv: Path) -> None:
    res = runner.invoke(app, ["eval", "--labels", str(labels_csv), "--text-col", "body"])
    assert isinstance(res.exception, InputError)
    assert "'body'" in str(res.exception) and "text" in str(res.exception)


@pytest.mark.parametrize("suffix", [".tsv", ".jsonl", ".parquet"])
def test_label_file_formats(tmp_path: Path, suffix: str) -> None:
    rows = labelled_rows(n=30, classes=2)
    df = pd.DataFrame({"content": [t for t, _ in rows], "y": [int(y > 0) for _, y in rows]})
    path = tmp_path / f"l{suffix}"
    if suffix == ".tsv":
        df.to_csv(path, sep="\t", index=False)
    elif suffix == ".jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        df.to_parquet(path)
    texts, labels = read_labelled(path, "content", "y")
    assert texts == df["content"].tolist()
    assert labels.tolist() == [y for _, y in rows]  # 0/1 read as negative/positive


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (["0", "1", "1"], [-1, 1, 1]),
        ([0, 1], [-1, 1]),
        (["-1", "0", "1"], [-1, 0, 1]),
        (["neg", "NEU", " pos "], [-1, 0, 1]),
        (["negative", "neutral", "positive"], [-1, 0, 1]),
        (["负面", "中性", "正面"], [-1, 0, 1]),
        (["1.0", "0.0"], [1, -1]),
    ],
)
def test_parse_labels_variants(raw: list, want: list[int]) -> None:
    assert parse_labels(raw).tolist() == want


def test_parse_labels_rejects_unknown() -> None:
    with pytest.raises(InputError, match="line 3.*'meh'"):
        parse_labels(["pos", "meh"], file="f.csv")


def test_train_needs_two_polar_classes(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    pd.DataFrame({"text": ["a", "b", "c"], "label": ["pos", "pos", "neu"]}).to_csv(path)
    res = runner.invoke(app, ["train", "--labels", str(path), "--out", str(tmp_path / "m")])
    assert isinstance(res.exception, InputError)


def test_metrics_hand_computed() -> None:
    gold = np.array([1, 1, 0, -1, -1, -1])
    pred = np.array([1, 0, 0, -1, 1, -1])
    m = metrics(gold, pred)
    assert m["accuracy"] == pytest.approx(4 / 6)
    # positive P=1/2 R=1/2; neutral P=1/2 R=1; negative P=1 R=2/3
    f1 = [0.5, 2 * 0.5 * 1 / 1.5, 2 * (2 / 3) / (5 / 3)]
    assert m["macro_f1"] == pytest.approx(sum(f1) / 3)
    assert m["confusion"]["rows_gold_cols_pred"] == [[2, 0, 1], [0, 1, 0], [0, 1, 1]]


def test_binary_gold_resolves_neutral_by_score() -> None:
    eng = get_engine("fake")
    rep = evaluate(eng, ["good", "bad", "nothing here"], [1, -1, 1])
    assert rep["neutral_resolved"] == 1 and rep["accuracy"] == 1.0


def test_false_alarms_and_precision_at_a_streams_negative_share() -> None:
    gold = np.array([-1, -1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1])
    pred = np.array([-1, -1, -1, 0, -1, 0, 0, 0, 1, 1, 1, 1])
    assert false_alarm_share(gold, pred) == pytest.approx(1 / 8)
    assert false_alarm_share(np.array([-1]), np.array([-1])) is None
    # the sample holds 1/3 negatives; at 3 %: 0.03 * 0.75 / (0.03 * 0.75 + 0.97 / 8)
    assert precision_at_share(0.75, 1 / 8, 0.03) == pytest.approx(0.0225 / (0.0225 + 0.97 / 8))
    assert precision_at_share(0.75, 1 / 8, 1 / 3) == pytest.approx(0.75)  # the sample's own
    assert precision_at_share(0.0, 0.0, 0.03) is None


def test_eval_reports_precision_at_the_streams_negative_share(labels_csv: Path) -> None:
    args = ["eval", "--labels", str(labels_csv), "--engine", "lexicon", "--negative-share", "0.03"]
    report = _run(*args)
    at, alarms = report["at_negative_share"], report["non_negative_called_negative"]
    recall = report["per_class"]["negative"]["recall"]
    assert at["negative_share"] == 0.03 and at["negative_recall"] == recall
    assert at["negative_precision"] == pytest.approx(precision_at_share(recall, alarms, 0.03))
    assert at["negative_precision"] <= report["per_class"]["negative"]["precision"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0 and "In a stream with 3.0% negative posts" in res.output
    bad = runner.invoke(app, ["eval", "--labels", str(labels_csv), "--negative-share", "2"])
    assert bad.exit_code != 0 and "negative-share" in bad.output
