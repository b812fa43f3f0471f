"""`train --labels` and `eval --labels` read the label files `brandhalo ingest labels` reads:
headers in another letter case (`Text,Label`) and the labels schema's other names
(`text,sentiment`, `review,polarity`) were refused with "column 'text': Column 'text' is
missing" (the column named twice, and no word of the names looked for)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from domain_helpers import domain_rows, run_json
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.ingest.schemas import KINDS
from brandhalo.text.sentiment.labels import FILE_ALIASES, SHEET_HEADERS_ZH, read_labelled_file

ROWS = [("I love my iPhone", "positive"), ("Windows crashed again", "negative"), ("ok", "neutral")]


def _file(path: Path, text: str, label: str) -> Path:
    pd.DataFrame(ROWS, columns=[text, label]).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("text", "label"),
    [("Text", "Label"), ("text", "sentiment"), ("REVIEW", "Polarity"), (" content ", "label"),
     ("sentence", "SENTIMENT"), ("正文", "标签")],
)  # fmt: skip
def test_the_default_columns_read_other_tools_headers(
    tmp_path: Path, text: str, label: str
) -> None:
    read = read_labelled_file(_file(tmp_path / "l.csv", text, label), "text", "label")
    assert read.texts == [t for t, _ in ROWS] and read.labels.tolist() == [1, -1, 0]
    assert read.column == label


def test_a_header_as_written_wins_over_its_case_and_the_aliases(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    pd.DataFrame(
        [["a", "b", "c", "negative", "positive"]],
        columns=["TEXT", "content", "text", "sentiment", "label"],
    ).to_csv(path, index=False)
    read = read_labelled_file(path, "text", "label")
    assert read.texts == ["c"] and read.labels.tolist() == [1]
    read = read_labelled_file(path, "Text", "label")  # no `Text`: the first in any case
    assert read.texts == ["a"]


def test_eval_and_train_read_them_end_to_end(tmp_path: Path) -> None:
    rows = domain_rows(60, seed=2, negative_share=0.3)
    names = {-1: "negative", 0: "neutral", 1: "positive"}
    path = tmp_path / "tweets.csv"
    pd.DataFrame({"Text": [t for t, _ in rows], "Sentiment": [names[y] for _, y in rows]}).to_csv(
        path, index=False
    )
    assert run_json("eval", "--labels", str(path), "--engine", "lexicon")["n"] == len(rows)
    model = tmp_path / "m.npz"
    trained = run_json("train", "--base", "none", "--labels", str(path), "--out", str(model))
    assert trained["rows"] == len(rows) and model.is_file()


def test_a_missing_column_is_named_once_with_what_was_looked_for(tmp_path: Path) -> None:
    path = _file(tmp_path / "l.csv", "body", "y")
    res = CliRunner().invoke(app, ["eval", "--labels", str(path), "--engine", "lexicon"])
    assert isinstance(res.exception, InputError)
    message = str(res.exception)
    assert message.count("'text'") == 2  # the column, then in the names looked for
    assert "Column 'text' is missing" not in message
    assert "'content'" in message and "['body', 'y']" in message
    assert message.endswith("Pass the name of its text column with --text-col.")
    res = CliRunner().invoke(
        app, ["eval", "--labels", str(path), "--text-col", "body", "--engine", "lexicon"]
    )
    message = str(res.exception)
    assert message.startswith(f"{path}, column 'label': ") and "'sentiment'" in message
    assert message.endswith("Pass the name of its label column with --label-col.")


def test_the_aliases_are_the_labels_schemas() -> None:
    """`ingest labels` and `--labels` read the same files (labels.py cannot import ingest)."""
    schema = {c.name: set(c.aliases) for c in KINDS["labels"].columns}
    for field, aliases in FILE_ALIASES.items():
        assert set(aliases) <= schema[field]
        assert schema[field] <= {*aliases, SHEET_HEADERS_ZH[field]}
