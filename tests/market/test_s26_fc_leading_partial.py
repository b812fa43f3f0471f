"""Session 26 (fc): the quarter a sales file starts inside (a file from December on) is a
partial period in band share, as the quarter it ends inside is, and a note says so."""

from __future__ import annotations

from pathlib import Path

from brandhalo.analytics.market.share import band_share
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace


def test_the_quarter_the_sales_start_inside_is_partial(tmp_ws: Workspace, tmp_path: Path):
    path = tmp_path / "sales.csv"
    months = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]
    lines = ["period,brand,product,units,price,category"]
    lines += [f"{m},A,a1,10,4000,phone" for m in months]
    lines += [f"{m},B,b1,30,2000,phone" for m in months]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ingest_files(tmp_ws, "sales", [path]).files[0].status == "done"
    df = band_share(tmp_ws, brand="A", freq="quarter")
    partial = dict(zip(df["period"], df["partial"].astype(bool), strict=False))
    assert partial == {"2025-Q4": True, "2026-Q1": False, "2026-Q2": True}
    notes = df.attrs.get("notes", [])
    assert any(n.startswith("2025-Q4 is partial: counted 2025-12-01 to 2025-12-31") for n in notes)
