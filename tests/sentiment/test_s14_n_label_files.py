"""`label --read` leaves aspect rows out (and says so); `train --labels` / `eval --labels`
keep the rows of a file around an unknown label and report each one, as `label --read` does."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from sentiment_helpers import labelled_rows, posts_workspace
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.text.sentiment.workspace_model import workspace_labels
from brandhalo.workspace import Workspace

runner = CliRunner()
TEXTS = ("屏幕太差了，退货", "很满意，推荐", "一般般吧")


def _workspace(root: Path) -> None:
    """A workspace holding TEXTS as posts p0, p1, ..."""
    posts_workspace(root, TEXTS)


def test_label_read_leaves_aspect_rows_out_and_says_how_to_load_them(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "post_id,label,touchpoint\np0,negative,\np0,positive,屏幕\np1,positive,\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["label", "-p", str(root), "--read", str(sheet)])
    assert res.exit_code == 0, res.output
    with Workspace.open(root) as ws:
        rows = workspace_labels(ws)
    # p0 keeps its overall label (negative), not the screen's positive aspect label
    assert dict(zip(rows.post_ids, rows.labels.tolist(), strict=True)) == {"p0": -1, "p1": 1}
    err = " ".join(res.stderr.split())
    assert "1 aspect label left out" in err and "brandhalo ingest labels FILE" in err
    summary = json.loads(
        runner.invoke(app, ["label", "-p", str(root), "--read", str(sheet), "--json"]).stdout
    )
    assert summary["aspect_left_out"] == 1 and summary["stored"] == 2


def _file_with_a_bad_label(tmp_path: Path) -> Path:
    rows = labelled_rows(n=60, seed=5)
    labels = [{-1: "negative", 0: "neutral", 1: "positive"}[y] for _, y in rows]
    labels[2] = "maybe"  # line 4 (after the header)
    path = tmp_path / "labels.csv"
    pd.DataFrame({"text": [t for t, _ in rows], "label": labels}).to_csv(path, index=False)
    return path


def test_train_labels_keeps_the_rows_around_an_unknown_label(tmp_path: Path) -> None:
    path = _file_with_a_bad_label(tmp_path)
    res = runner.invoke(
        app, ["train", "--labels", str(path), "--out", str(tmp_path / "m.npz"), "--json"]
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["rows"] == 59 and summary["skipped_labels"] == 1
    err = " ".join(res.stderr.split())
    assert "line 4, column 'label': 'maybe' is not a sentiment label" in err


def test_train_from_scratch_reports_the_row_left_out(tmp_path: Path) -> None:
    path = _file_with_a_bad_label(tmp_path)
    res = runner.invoke(
        app,
        ["train", "--base", "none", "--labels", str(path), "--out", str(tmp_path / "m.npz")],
    )
    assert res.exit_code == 0, res.output
    assert "Trained on 59 rows" in " ".join(res.stdout.split())
    assert "line 4, column 'label': 'maybe'" in " ".join(res.stderr.split())
