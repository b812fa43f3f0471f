"""`eval --rows FILE` writes every scored row, to read what the engine misreads (s22).

An analyst who sees negative precision 0.4 on their labelled posts needs the posts it got
wrong and the words that decided them; `eval` printed only the aggregate tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from brandhalo.cli import app

runner = CliRunner()

ROWS = [
    ("刹车失灵，太危险了", "负面"),
    ("上市一小时大定破万，太争气了", "正面"),
    ("天气不错，出门走走", "中性"),  # praise words on a neutral row: the lexicon misreads it
    ('=HYPERLINK("http://x","点我")', "neutral"),  # a formula-looking cell stays text
    ("this", "maybe"),  # no known label: left out, not a row
]


def _labels(tmp_path: Path) -> Path:
    path = tmp_path / "labels.csv"
    pd.DataFrame(ROWS, columns=["text", "label"]).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("ending", [".csv", ".xlsx", ".json"])
def test_every_row_with_its_gold_prediction_and_evidence(tmp_path: Path, ending: str) -> None:
    out = tmp_path / f"rows{ending}"
    res = runner.invoke(
        app, ["eval", "--labels", str(_labels(tmp_path)), "--engine", "lexicon", "--rows", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert f"wrote 4 rows (1 misread) to {out}" in res.stderr.replace("\n", " ")
    frame = (
        pd.read_json(out) if ending == ".json"
        else pd.read_excel(out) if ending == ".xlsx"
        else pd.read_csv(out, encoding="utf-8-sig")
    )  # fmt: skip
    assert list(frame.columns) == [
        "row", "text", "gold", "predicted", "correct", "score", "confidence", "evidence"
    ]  # fmt: skip
    assert frame["row"].tolist() == [1, 2, 3, 4]
    assert frame["gold"].tolist() == ["negative", "positive", "neutral", "neutral"]
    wrong = frame[~frame["correct"].astype(bool)]
    assert (
        wrong["text"].tolist() == ["天气不错，出门走走"] and wrong["predicted"].item() == "positive"
    )
    assert "+不错" in wrong["evidence"].item()
    first = frame.iloc[0]
    assert (
        first["predicted"] == "negative" and first["score"] < 0 and "刹车失灵" in first["evidence"]
    )
    assert frame["text"].iloc[3].startswith("=HYPERLINK")


def test_a_file_it_cannot_write_fails_before_scoring(tmp_path: Path) -> None:
    labels = str(_labels(tmp_path))
    for bad, says in ((tmp_path / "rows.txt", "name the file with one of .csv"),
                      (tmp_path / "no" / "rows.csv", "does not exist; create it first")):  # fmt: skip
        res = runner.invoke(app, ["eval", "--labels", labels, "--rows", str(bad)])
        assert res.exit_code != 0 and says in str(res.exception)
        assert not bad.exists()
