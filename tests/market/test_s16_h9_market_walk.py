"""Market, ingest and export as a PR lead uses them on their own files (s16 H9 walk-through):
pacing does not count the months before a product's launch as missing deliveries, a window
outside the sales data says which days the data cover (it printed "no rows" alone), ingest
counts "1 row", and `export posts` keeps only the controversy week, one brand or one origin
(the dashboard's filters), as CSV or as an Excel workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.market.conftest import add_rows, add_sales
from tests.support.cli_ws import analyzed_from_rows
from typer.testing import CliRunner

from brandhalo.analytics.market import band_share, target_pacing
from brandhalo.cli import app
from brandhalo.report.method_notes import note_text
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """
version = 1
products = [
  { name = "Ultra", brand = "Xiaomi", category = "phone", price = 6499, launched = 2025-02-27 },
]

[workspace]
name = "h9"

[[brands]]
name = "Xiaomi"
aliases = ["小米"]
own = true

[price_bands]
phone = [0, 2000, 4000, 6000]
premium_from = { phone = 6000 }
"""


@pytest.fixture
def launched(tmp_path: Path) -> Workspace:
    """Daily deliveries of a phone launched 2025-02-27, from its launch to 2025-04-30 with
    one day (2025-03-10) missing, and its 2025 target."""
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    first = dt.date(2025, 2, 27)
    days = [first + dt.timedelta(days=i) for i in range((dt.date(2025, 4, 30) - first).days + 1)]
    add_sales(ws, [dict(day=d, brand="Xiaomi", product="Ultra", units=100)
                   for d in days if d != dt.date(2025, 3, 10)])  # fmt: skip
    add_rows(ws, "targets", [dict(brand="Xiaomi", product="Ultra", year=2025, units=50_000)])
    yield ws
    ws.close()


def test_pacing_starts_missing_days_at_the_launch(launched: Workspace) -> None:
    row = target_pacing(launched).iloc[0]
    assert row["cumulative"] == 100 * 62
    # was "59 days between 2025-01-01 and 2025-04-30 have no deliveries" (Jan-Feb counted)
    assert row["reason"] == (
        "1 day between 2025-02-27 and 2025-04-30 has no deliveries reported (missing, not "
        "zero): the cumulative counts reported days only"
    )
    assert note_text(row["reason"], "zh").startswith("2025-02-27 至 2025-04-30 之间有 1 天")


def test_a_window_after_the_sales_says_what_they_cover(launched: Workspace) -> None:
    frame = band_share(launched, since=dt.date(2025, 6, 1))
    assert frame.empty
    note = ("the sales rows cover 2025-02-27 to 2025-04-30; --since 2025-06-01 is after the "
            "last day: ask for days inside that range")  # fmt: skip
    assert note in frame.attrs["notes"]
    assert "2025-04-30" in note_text(note, "zh") and "晚于最后一天" in note_text(note, "zh")
    before = band_share(launched, until=dt.date(2024, 12, 31)).attrs["notes"]
    assert any("--until 2024-12-31 is before the first day" in n for n in before)


def test_market_cli_prints_the_range_with_no_rows(launched: Workspace) -> None:
    root = str(launched.root)
    launched.close()
    got = CliRunner().invoke(app, ["market", "share", "--since", "2025-06-01", "-p", root],
                             env={"COLUMNS": "200"})  # fmt: skip
    assert got.exit_code == 0, got.output
    assert "no rows" in got.output and "cover 2025-02-27 to 2025-04-30" in got.output


ROWS = [
    "1,小米手机质量太差了 屏幕坏了,2025-03-10 10:00",
    "2,小米新品发布会不错,2025-03-17 10:00",
    "3,=HYPERLINK(\"x\") 小米屏幕门 太差了,2025-03-18 10:00",
    "4,今天天气很好,2025-03-19 10:00",
    "5,小米售后很好,2025-03-30 10:00",
]


@pytest.fixture(scope="module")
def posts_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analyzed_from_rows(tmp_path_factory.mktemp("h9posts"), ROWS)


def _cli(*args: str) -> str:
    got = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert got.exit_code == 0, got.output
    return got.output


def test_ingest_counts_one_row(tmp_path: Path) -> None:
    init_workspace(tmp_path / "ws").close()
    csv = tmp_path / "one.csv"
    csv.write_text("id,text,created_at\n1,小米,2025-03-10 10:00\n", encoding="utf-8")
    out = " ".join(_cli("ingest", "posts", str(csv), "-p", str(tmp_path / "ws")).split())
    assert "1 row read" in out and "1 rows" not in out and "0 duplicates" in out


def test_export_posts_keeps_the_week_and_the_brand(posts_ws: Path, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "week.csv"
    _cli("export", "posts", "-p", str(posts_ws), "--since", "2025-03-17", "--until",
         "2025-03-23", "--brand", "小米", "--out", str(out))  # fmt: skip
    with out.open(encoding="utf-8", newline="") as f:
        ids = [r["post_id"] for r in csv.DictReader(f)]
    assert ids == ["2", "3"]  # post 4 names no brand; 1 and 5 are outside the week
    _cli("export", "posts", "-p", str(posts_ws), "--origin", "news", "--out", str(out))
    assert out.read_text(encoding="utf-8").count("\n") == 1  # the header: no news post
    empty = _cli("export", "posts", "-p", str(posts_ws), "--since", "2026-01-01", "--out",
                 str(out))  # fmt: skip
    assert "Wrote 0 posts" in empty and "cover 2025-03-10 to 2025-03-30" in " ".join(empty.split())


def test_export_posts_writes_an_excel_workbook(posts_ws: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "week.xlsx"
    said = _cli("export", "posts", "-p", str(posts_ws), "--since", "2025-03-17", "--out",
                str(out))  # fmt: skip
    assert "Wrote 4 posts" in said
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    head, first = rows[0], dict(zip(rows[0], rows[2], strict=True))
    assert head[0] == "post_id" and [r[0] for r in rows[1:]] == ["2", "3", "4", "5"]
    assert first["text"].startswith("=HYPERLINK") and first["created_at"].startswith("2025-03-18")
    cell = load_workbook(out).active.cell(row=3, column=head.index("text") + 1)
    assert cell.data_type == "s"  # text from a post, never a formula
