"""One posts export for the CLI and the search filters (walk-through): ``text.preview.
export_posts`` takes the filters (dates, brand, origin) and writes every format, xlsx too;
``web.search.export_matching`` is that export. An old Excel ``.xls`` name points at the
workbook format brandhalo writes (``--format xlsx``), and an ``.xlsx`` name with another
``--format`` says which to change instead of claiming posts are never written as xlsx."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.store.posts import PostFilter
from brandhalo.text.enrich import run
from brandhalo.text.preview import export_posts
from brandhalo.web.search import export_matching, post_filter
from brandhalo.workspace import Workspace
from conftest import add_posts

ROWS = [
    {"post_id": "x1", "text": "小米SU7刹车很好"},
    {"post_id": "h1", "text": "华为的手机信号很差"},
    {"post_id": "x2", "text": "Xiaomi SU7 brake is great"},
]


@pytest.fixture
def ws(text_ws: Workspace) -> Workspace:
    add_posts(text_ws, ROWS)
    run(text_ws, workers=1)
    return text_ws


def _csv_ids(path) -> set[str]:  # noqa: ANN001
    with path.open(encoding="utf-8", newline="") as f:
        return {r["post_id"] for r in csv.DictReader(f)}


def test_export_posts_keeps_what_the_filters_keep(ws: Workspace) -> None:
    flt = post_filter(ws, brand="华为")
    got = export_posts(ws, ws.root / "h.csv", "csv", flt=flt)
    assert got.rows == 1 and _csv_ids(got.path) == {"h1"}
    book = export_posts(ws, ws.root / "x.xlsx", "xlsx", flt=post_filter(ws, brand="Xiaomi"))
    workbook = load_workbook(book.path, read_only=True)  # read-only keeps the file open
    try:
        ids = {r[0] for r in workbook["posts"].iter_rows(min_row=2, values_only=True)}
    finally:
        workbook.close()
    assert book.rows == 2 and ids == {"x1", "x2"}
    assert export_posts(ws, ws.root / "all.csv", "csv", flt=PostFilter()).rows == 3


def test_export_matching_is_the_posts_export(ws: Workspace) -> None:
    flt = post_filter(ws, brand="Huawei")
    for fmt in ("csv", "jsonl", "parquet", "xlsx"):
        a = export_matching(ws, ws.root / f"a.{fmt}", fmt, flt=flt)
        b = export_posts(ws, ws.root / f"b.{fmt}", fmt, flt=flt)  # type: ignore[arg-type]
        assert (a.rows, a.format) == (b.rows, b.format) == (1, fmt)
    assert _csv_ids(ws.root / "a.csv") == _csv_ids(ws.root / "b.csv") == {"h1"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--out", "x.xls"], ["x.xls", "--format xlsx", ".xlsx", "--format excel"]),
        (["--format", "xls"], ["--format xls", "--format xlsx"]),
        (["--format", "csv", "--out", "x.xlsx"], ["x.xlsx", "--format is csv", "--format xlsx"]),
    ],
)
def test_excel_names_point_at_the_workbook_format(
    ws: Workspace, args: list[str], words: list[str]
) -> None:
    ws.close()
    args = [str(ws.root / a) if a.startswith("x.") else a for a in args]
    got = CliRunner().invoke(app, ["export", "posts", *args, "--project", str(ws.root)])
    said = " ".join((got.output + str(got.exception or "")).split())
    assert got.exit_code == 1, said
    assert all(w in said for w in words), said
    assert "not exported as xlsx" not in said
    assert not list(ws.root.glob("x.*"))
