"""`brandhalo export posts --format excel`: long Weibo ids, ids with leading zeros and phone
numbers are written as Excel text (``="…"``, the form Excel reads as text from a CSV) so no
digit is lost, the formula guard still holds, numbers stay numbers, and the file ingests back
to the same ids."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.ingest import ingest_files
from brandhalo.store.posts import _excel_cell
from brandhalo.workspace import Workspace

POSTS = (
    "id,text,created_at,author_id,author_name,likes,source\n"
    "4910000000000000001,小米SU7 真香,2025-05-21T10:00:00+08:00,+8613800000000,用户A,3,weibo\n"
    "5100000000000015,刹车不行,2025-05-21T11:00:00+08:00,0012345,=用户B,0,weibo\n"
    "a7,一般,2025-05-21T12:00:00+08:00,1234567890123,+1,12,weibo\n"
)


def _export(ws: Workspace, out: Path) -> dict[str, dict[str, str]]:
    result = CliRunner().invoke(
        app, ["export", "posts", "--format", "excel", "--out", str(out), "--project", str(ws.root)]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as f:
        return {r["text"]: r for r in csv.DictReader(f)}


def test_excel_export_keeps_every_digit(tmp_ws: Workspace, tmp_path: Path) -> None:
    src = tmp_path / "posts.csv"
    src.write_text(POSTS, encoding="utf-8")
    ingest_files(tmp_ws, "posts", [src])
    tmp_ws.close()
    rows = _export(tmp_ws, tmp_path / "excel.csv")
    a, b, c = rows["小米SU7 真香"], rows["刹车不行"], rows["一般"]
    assert a["post_id"] == '="4910000000000000001"' and a["origin_id"] == a["post_id"]
    assert a["author_id"] == '="+8613800000000"'
    assert b["post_id"] == '="5100000000000015"' and b["author_id"] == '="0012345"'
    assert c["post_id"] == "a7" and c["author_id"] == '="1234567890123"'
    assert b["author_name"] == "'=用户B"  # the formula guard holds
    assert c["author_name"] == '="+1"'  # a sign kept as text, not run or dropped
    assert (a["likes"], b["likes"], c["likes"]) == ("3", "0", "12")  # numbers stay numbers


def test_excel_export_ingests_back_to_the_same_ids(tmp_ws: Workspace, tmp_path: Path) -> None:
    src = tmp_path / "posts.csv"
    src.write_text(POSTS, encoding="utf-8")
    ingest_files(tmp_ws, "posts", [src])
    tmp_ws.close()
    out = tmp_path / "excel.csv"
    _export(tmp_ws, out)
    again = Workspace.open(tmp_ws.root)
    try:
        report = ingest_files(again, "posts", [out])
        assert report.totals["quarantined"] == 0 and report.totals["inserted"] == 0
        ids = {r[0] for r in again.store.con.execute("SELECT post_id FROM posts").fetchall()}
        assert ids == {"4910000000000000001", "5100000000000015", "a7"}
    finally:
        again.close()


def test_excel_cell_rules() -> None:
    assert _excel_cell("4910000000000000001") == '="4910000000000000001"'
    assert _excel_cell("491000000000000") == "491000000000000"  # 15 digits: Excel keeps them
    assert _excel_cell("123", is_id=True) == '="123"'
    assert _excel_cell("-0.63") == "-0.63" and _excel_cell("0") == "0"
    assert _excel_cell("+86 138") == "'+86 138" and _excel_cell("=1+1") == "'=1+1"
    assert _excel_cell("１２３４５６７８９０１２３４５６７") == "１２３４５６７８９０１２３４５６７"
