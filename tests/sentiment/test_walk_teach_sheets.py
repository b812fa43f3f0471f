"""Filled labelling sheets as users hand them back: blank rows, GB18030 CSVs from Excel,
post ids of another workspace (found walking label -> train -> eval as a user)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.text.sentiment.active import Pick, read_sheet, write_sheet
from brandhalo.text.sentiment.labels import read_labelled
from brandhalo.workspace import Workspace, init_workspace

runner = CliRunner()

# a sheet whose bad label sits on line 6, after blank rows and rows left unlabelled
SHEET_WITH_GAPS = "post_id,text,label\np1,还行,\n\np2,太差了,neg\np3,不错,\np4,一般,maybe\n"


def test_an_unknown_label_names_its_line_after_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(SHEET_WITH_GAPS, encoding="utf-8")
    with pytest.raises(InputError) as sheet_err:
        read_sheet(path)
    with pytest.raises(InputError) as file_err:
        read_labelled(path, "text", "label")
    for err in (sheet_err, file_err):
        assert "line 6" in str(err.value) and "'maybe'" in str(err.value)


def test_an_unknown_label_in_a_workbook_names_its_row(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for row in (
        ["post_id", "text", "label"],
        ["p1", "太差了", "负面"],
        [None, None, None],  # a blank row the user left in the middle
        ["p2", "还行", None],
        ["p3", "一般", "maybe"],
    ):
        ws.append(row)
    path = tmp_path / "sheet.xlsx"
    wb.save(path)
    with pytest.raises(InputError, match="line 5"):
        read_sheet(path)


def test_a_sheet_saved_as_gb18030_by_excel_reads(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("post_id,text,label\np1,屏幕太差了,负面\np2,很满意,正面\n", encoding="gb18030")
    rows = read_sheet(path)
    assert [(r["text"], r["label"]) for r in rows] == [
        ("屏幕太差了", "negative"),
        ("很满意", "positive"),
    ]
    texts, labels = read_labelled(path, "text", "label")
    assert texts == ["屏幕太差了", "很满意"] and labels.tolist() == [-1, 1]


def test_the_csv_sheet_opens_in_excel_with_its_chinese_intact(tmp_path: Path) -> None:
    """Excel reads a CSV without a byte-order mark as the system code page (GBK on Chinese
    Windows) and garbles the text; the sheet carries one, and reads back the same."""
    picks = [Pick("p1", "屏幕太差了", "negative", 0.9, "negative")]
    csv_path, _ = write_sheet(picks, tmp_path, "sheet")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    assert list(frame.columns)[0] == "post_id" and frame["text"].tolist() == ["屏幕太差了"]


@pytest.fixture
def ws_root(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    init_workspace(root).close()
    posts = tmp_path / "posts.csv"
    pd.DataFrame(
        {
            "post_id": ["p1", "p2"],
            "text": ["屏幕太差了，退货", "很满意，推荐"],
            "created_at": ["2026-03-01 10:00:00"] * 2,
        }
    ).to_csv(posts, index=False)
    assert runner.invoke(app, ["ingest", "posts", str(posts), "-p", str(root)]).exit_code == 0
    return root


def _labels(root: Path) -> list[tuple]:
    with Workspace.open(root) as ws:
        return ws.store.con.execute("SELECT post_id, label FROM labels ORDER BY post_id").fetchall()


def test_post_ids_of_another_workspace_without_text_are_refused(ws_root: Path) -> None:
    """They were 'stored' and then never used (no post, no text): lost without a word."""
    sheet = ws_root.parent / "other.csv"
    sheet.write_text("post_id,label\nw1,neg\nw2,pos\n", encoding="utf-8")
    res = runner.invoke(app, ["label", "-p", str(ws_root), "--read", str(sheet)])
    assert res.exit_code == 1
    assert isinstance(res.exception, InputError)
    assert "'w1'" in str(res.exception) and "another workspace" in str(res.exception)
    assert _labels(ws_root) == []


def test_rows_naming_unknown_posts_are_reported(ws_root: Path) -> None:
    sheet = ws_root.parent / "mixed.csv"
    sheet.write_text(
        "post_id,text,label\np1,,neg\nw1,别家的帖子，很好,pos\nw2,,neg\n", encoding="utf-8"
    )
    res = runner.invoke(app, ["label", "-p", str(ws_root), "--read", str(sheet), "--json"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["stored"] == 2
    assert s["not_in_workspace"] == {"kept_by_text": ["w1"], "left_out": ["w2"]}
    assert _labels(ws_root) == [("p1", "negative"), ("w1", "positive")]
    res = runner.invoke(app, ["label", "-p", str(ws_root), "--read", str(sheet)])
    assert "w1" in res.stderr and "stored by their text" in res.stderr
    assert "w2" in res.stderr and "left out" in res.stderr
