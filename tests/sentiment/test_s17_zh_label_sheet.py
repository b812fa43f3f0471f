"""The labelling sheet speaks the workspace's language (session 17): a zh workspace's sheet
has Chinese headers, predicted labels, reasons and a 负面/中性/正面 drop-down; `label --read`,
`train --labels` and `eval --labels` read it (and an English sheet) with their defaults."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from domain_helpers import domain_rows, run_json
from openpyxl import load_workbook

from brandhalo.text.sentiment.active import Pick, write_sheet
from brandhalo.text.sentiment.labels import read_label_sheet, read_labelled_file

ZH_HEADERS = ["ID", "正文", "标签", "模型判断", "置信度", "入选原因"]
EN_HEADERS = ["post_id", "text", "label", "predicted", "confidence", "reason"]
ZH_WORDS = {-1: "负面", 0: "中性", 1: "正面"}


def _workspace(root: Path, lang: str) -> dict[str, int]:
    """A workspace of `lang` with 120 simulated posts; their true labels by post id."""
    run_json("init", str(root), "--lang", lang)
    rows = domain_rows(120, seed=5, negative_share=0.3)
    truth = {f"p{i}": y for i, (_, y) in enumerate(rows)}
    posts = root.parent / "posts.csv"
    pd.DataFrame(
        {
            "post_id": list(truth),
            "text": [t for t, _ in rows],
            "created_at": [f"2026-03-{1 + i % 20:02d} 10:00:00" for i in range(len(rows))],
        }
    ).to_csv(posts, index=False)
    run_json("ingest", "posts", str(posts), "-p", str(root))
    return truth


def _sheet(root: Path) -> tuple[dict, Path, Path]:
    out = run_json("label", "-p", str(root), "-n", "40")
    files = [Path(f) for f in out["files"]]
    return (
        out,
        next(f for f in files if f.suffix == ".csv"),
        next(f for f in files if f.suffix == ".xlsx"),
    )


def test_a_zh_workspace_writes_a_chinese_sheet_that_reads_back(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    truth = _workspace(root, "zh")
    out, csv_path, xlsx_path = _sheet(root)
    assert out["label_column"] == "标签" and out["label_words"] == ["负面", "中性", "正面"]
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(frame.columns) == ZH_HEADERS
    assert set(frame["模型判断"]) <= {"负面", "中性", "正面"}
    assert set(frame["入选原因"]) <= {"把握低", "疑似负面", "多样性"}
    book = load_workbook(xlsx_path).active
    assert [c.value for c in book[1]] == ZH_HEADERS
    assert [v.formula1 for v in book.data_validations.dataValidation] == ['"负面,中性,正面"']
    assert book.max_row == len(frame) + 1
    # filled with the Chinese words, the CSV and the workbook read back with the defaults
    frame["标签"] = [ZH_WORDS[truth[p]] for p in frame["ID"]]
    filled = tmp_path / "filled.csv"
    frame.to_csv(filled, index=False, encoding="utf-8-sig")
    for row in range(2, book.max_row + 1):
        book.cell(row=row, column=3, value=ZH_WORDS[truth[str(book.cell(row=row, column=1).value)]])
    book.parent.save(tmp_path / "filled.xlsx")
    for path in (filled, tmp_path / "filled.xlsx"):
        read = read_labelled_file(path, "text", "label")
        assert len(read.texts) == len(frame) and not read.unknown
        sheet = read_label_sheet(path)
        assert {r["post_id"]: r["label"] for r in sheet.rows} == {
            p: {-1: "negative", 0: "neutral", 1: "positive"}[truth[p]] for p in frame["ID"]
        }
    trained = run_json("train", "-p", str(root), "--labels", str(filled), "--no-use")
    assert trained["rows"] == len(frame)
    scored = run_json("eval", "-p", str(root), "--labels", str(tmp_path / "filled.xlsx"))
    assert scored["n"] == len(frame)
    assert run_json("label", "-p", str(root), "--read", str(filled))["stored"] == len(frame)
    # `ingest labels` reads the ID and 标签 columns of the sheet as they are
    ingested = run_json("ingest", "labels", str(filled), "-p", str(root))["files"][0]
    assert ingested["inserted"] == len(frame) and ingested["quarantined"] == 0
    # ... and its other columns too: 正文 is the text, the sheet's own columns are no surprise
    assert not any("not" in w and "正文" in w for w in ingested["warnings"]), ingested


def test_an_en_workspace_keeps_the_english_sheet(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root, "en")
    out, csv_path, xlsx_path = _sheet(root)
    assert out["label_column"] == "label"
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(frame.columns) == EN_HEADERS
    assert set(frame["reason"]) <= {"uncertain", "negative", "diverse"}
    book = load_workbook(xlsx_path).active
    assert [c.value for c in book[1]] == EN_HEADERS
    assert [v.formula1 for v in book.data_validations.dataValidation] == [
        '"negative,neutral,positive"'
    ]


@pytest.mark.parametrize("headers", [EN_HEADERS, ZH_HEADERS])
def test_train_columns_name_a_sheet_column_in_either_language(
    tmp_path: Path, headers: list[str]
) -> None:
    path = tmp_path / "sheet.csv"
    pd.DataFrame(
        [["p1", "很好用", "正面", "", "", ""], ["p2", "太差了", "负面", "", "", ""]],
        columns=headers,
    ).to_csv(path, index=False)
    for text_col, label_col in (("text", "label"), ("正文", "标签")):
        read = read_labelled_file(path, text_col, label_col)
        assert read.texts == ["很好用", "太差了"] and read.labels.tolist() == [1, -1]


def test_write_sheet_writes_the_zh_sheet_itself(tmp_path: Path) -> None:
    """`active.write_sheet(lang="zh")` writes the Chinese sheet in one pass (no English sheet
    rewritten after it): headers, words, the drop-down, widths, bold header, frozen header row."""
    picks = [
        Pick("p1", "屏幕太差了", "negative", 0.91, "negative"),
        Pick("p2", "还行吧", "neutral", 0.5, "uncertain"),
        Pick("p3", "好评", "positive", 0.7, "diverse"),
    ]
    csv_path, xlsx_path = write_sheet(picks, tmp_path, "zh", lang="zh")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(frame.columns) == ZH_HEADERS
    assert frame["模型判断"].tolist() == ["负面", "中性", "正面"]
    assert frame["入选原因"].tolist() == ["疑似负面", "把握低", "多样性"]
    book = load_workbook(xlsx_path).active
    assert [c.value for c in book[1]] == ZH_HEADERS and all(c.font.b for c in book[1])
    assert [(v.formula1, str(v.sqref)) for v in book.data_validations.dataValidation] == [
        ('"负面,中性,正面"', "C2:C4")
    ]
    assert book.freeze_panes == "A2" and book.column_dimensions["B"].width == 80
    assert book["B2"].alignment.wrap_text and book["E2"].value == 0.91
    # English, the default: the sheet as it always was
    csv_en, xlsx_en = write_sheet(picks, tmp_path, "en")
    assert list(pd.read_csv(csv_en, dtype=str).columns) == EN_HEADERS
    book = load_workbook(xlsx_en).active
    assert [v.formula1 for v in book.data_validations.dataValidation] == [
        '"negative,neutral,positive"'
    ]
    assert [c.value for c in book[2]] == ["p1", "屏幕太差了", None, "negative", 0.91, "negative"]
