"""A sales export's money column named 销售额(万元) (魔镜/久谦), 成交额（元）, GMV(亿元) or 金额 is
read as revenue without --map, scaled by the unit in its header; it was left out with a
"not a sales column" warning (walk-through s23 w3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.workspace import Workspace


@pytest.mark.parametrize(
    ("header", "cell", "want"),
    [("销售额(万元)", "12.5", 125_000.0), ("成交额（元）", "8,800", 8_800.0),
     ("GMV(亿元)", "1.2", 120_000_000.0), ("金额", "¥4,499", 4_499.0),
     ("销售金额/万元", "3", 30_000.0)],
)  # fmt: skip
def test_a_chinese_revenue_header_is_read_as_revenue(
    mws: Workspace, tmp_path: Path, header: str, cell: str, want: float
) -> None:
    src = tmp_path / "sales.csv"
    src.write_text(f'月份,品牌,型号,销量,"{header}"\n2025-04,小米,Mi 14,100,"{cell}"\n',
                   encoding="utf-8")  # fmt: skip
    root = mws.root
    mws.close()
    got = CliRunner().invoke(app, ["ingest", "sales", str(src), "--project", str(root)])
    assert got.exit_code == 0, got.output
    assert f"'{header}' -> revenue" in " ".join(got.output.split())
    assert "not a sales column" not in got.output
    with Workspace.open(root, read_only=True) as ws:
        rows = ws.store.con.execute("SELECT brand, units, revenue FROM sales").fetchall()
    assert len(rows) == 1 and rows[0][1:] == (100.0, pytest.approx(want))
