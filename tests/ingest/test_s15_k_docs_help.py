"""docs/input-formats.md says what ingest does: the market price band's notes are the
schema's help (price bands with 万/千 units and 以上/以下), and periods written as a date with a time,
or as a time with a zone offset, are the workspace zone's day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from brandhalo.ingest import KINDS, ingest_files
from brandhalo.workspace import Workspace

_DOC = Path(__file__).parents[2] / "docs" / "input-formats.md"


def test_price_band_docs_note_is_its_help() -> None:
    doc = _DOC.read_text(encoding="utf-8")
    for kind in ("market", "sales"):  # each kind's section has its own price_band row
        help_text = KINDS[kind].column("price_band").help
        section = doc.split(f"\n### {kind}\n", 1)[1].split("\n### ", 1)[0]
        rows = [r for r in section.splitlines() if r.startswith("| `price_band` |")]
        assert len(rows) == 1 and rows[0].endswith(f"| {help_text} |"), rows


def test_price_band_help_names_the_forms_ingest_parses(tmp_ws: Workspace, tmp_path: Path) -> None:
    help_text = KINDS["market"].column("price_band").help
    for label in ("3000-3999", "<1000", "6000+", "15-25万", "40万以上"):
        assert f"`{label}`" in help_text
    path = tmp_path / "market.csv"
    path.write_text(
        "period,category,price_band,units\n2025-04,SUV,15-25万,7\n2025-04,SUV,40万以上,2\n",
        encoding="utf-8",
    )
    ingest_files(tmp_ws, "market", [path])
    got = tmp_ws.store.con.execute(
        "SELECT price_band, price_low, price_high FROM market ORDER BY price_low"
    ).fetchall()
    assert got == [("15-25万", 150000.0, 250000.0), ("40万以上", 400000.0, None)]


def test_periods_with_a_time_are_the_workspace_zones_day(tmp_ws: Workspace, tmp_path: Path) -> None:
    doc = _DOC.read_text(encoding="utf-8")
    assert "`2025/4/1 0:00`" in doc and "workspace zone's day" in doc
    path = tmp_path / "sales.csv"
    path.write_text(
        "period,brand,product,units\n2025/4/1 0:00,A,x,1\n2025-04-01T20:00:00-08:00,B,y,2\n",
        encoding="utf-8",
    )
    ingest_files(tmp_ws, "sales", [path])  # the template's zone: Asia/Shanghai
    got = tmp_ws.store.con.execute(
        "SELECT brand, period_start, grain FROM sales ORDER BY brand"
    ).fetchall()
    assert got == [("A", dt.date(2025, 4, 1), "day"), ("B", dt.date(2025, 4, 2), "day")]
