"""`brandhalo export posts --format excel`: a CSV an analyst opens in Excel on Chinese Windows shows
the Chinese text (UTF-8 with a BOM) and never runs a post as a formula; `query --limit`
refuses a negative count."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.text.enrich import run
from brandhalo.workspace import Workspace
from conftest import add_posts

HOSTILE = [
    {"post_id": "f1", "text": '=HYPERLINK("http://evil","点我") 小米', "author_name": "=cmd"},
    {"post_id": "f2", "text": "@小米公司 你们的SU7刹车什么时候修好", "author_name": "-车主-"},
    {"post_id": "f3", "text": "+1 小米SU7 真香", "author_name": "@米粉"},
    {"post_id": "f4", "text": "雷军很好，但是SU7刹车差", "author_name": "普通用户"},
]


@pytest.fixture
def hostile(text_ws: Workspace) -> Workspace:
    add_posts(text_ws, [dict(r, source="weibo") for r in HOSTILE])
    run(text_ws, workers=1)
    text_ws.close()
    return text_ws


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output + (str(result.exception) if result.exception else "")


def test_excel_csv_has_a_bom_and_shows_formulas_as_text(hostile: Workspace) -> None:
    out = hostile.root / "for_excel.csv"
    code, said = _invoke("export", "posts", "--format", "excel", "--out", str(out),
                         "--project", str(hostile.root), "--json")  # fmt: skip
    assert code == 0, said
    assert json.loads(said)["rows"] == 4 and json.loads(said)["format"] == "excel"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel then reads UTF-8, not GBK
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = {r["post_id"]: r for r in csv.DictReader(f)}
    assert rows["f1"]["text"] == "'" + HOSTILE[0]["text"]
    assert rows["f1"]["author_name"] == "'=cmd"
    assert rows["f2"]["text"].startswith("'@小米公司") and rows["f2"]["author_name"] == "'-车主-"
    assert rows["f3"]["text"] == "'+1 小米SU7 真香" and rows["f3"]["author_name"] == "'@米粉"
    assert rows["f4"]["text"] == HOSTILE[3]["text"]  # ordinary text untouched
    # numbers stay numbers: a negative score is not turned into text
    scores = [float(r["score"]) for r in rows.values() if r["score"]]
    assert scores and all(-1.0 <= s <= 1.0 for s in scores)
    assert all(r["created_at"].endswith("+08:00") for r in rows.values())


def test_plain_csv_keeps_the_cells_as_stored(hostile: Workspace) -> None:
    out = hostile.root / "plain.csv"
    code, said = _invoke("export", "posts", "--out", str(out), "--project", str(hostile.root))
    assert code == 0, said
    with out.open(encoding="utf-8", newline="") as f:
        rows = {r["post_id"]: r for r in csv.DictReader(f)}
    assert rows["f1"]["text"] == HOSTILE[0]["text"] and rows["f1"]["author_name"] == "=cmd"


def test_excel_export_goes_to_a_csv_by_default(hostile: Workspace) -> None:
    code, said = _invoke("export", "posts", "--format", "Excel", "--project", str(hostile.root))
    assert code == 0, said
    made = hostile.root / "exports" / "posts.csv"
    assert made.read_bytes().startswith(b"\xef\xbb\xbf") and "Wrote 4 posts" in said


def test_query_refuses_a_negative_limit(hostile: Workspace) -> None:
    code, said = _invoke("query", "刹车", "--limit", "-1", "--project", str(hostile.root))
    assert code != 0 and "--limit" in said
