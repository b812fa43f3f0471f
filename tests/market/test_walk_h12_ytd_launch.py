"""A year-to-date total of a product launched during the year (walk-through: an analyst's
sales file gives the SU7's deliveries as one year-to-date figure at the end of June): the
units are spread from the launch day (config ``launched``), not from 1 January, so the months
before launch have no sales and the months after it carry them all."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo.analytics.market.momentum import business_momentum
from brandhalo.cli import app
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """
version = 1

[workspace]
timezone = "Asia/Shanghai"

[[brands]]
name = "Xiaomi"
aliases = ["小米", "Xiaomi"]
own = true

[[products]]
name = "SU7"
brand = "Xiaomi"
category = "car"
price = 215900
launched = {launched}
aliases = ["小米SU7"]
"""


def _monthly_units(root: Path, launched: str, rows: str) -> dict[str, float]:
    init_workspace(root, config_text=CONFIG.format(launched=launched)).close()
    sales = root / "sales.csv"
    sales.write_text("date,brand,product,units,ytd\n" + rows, encoding="utf-8")
    got = CliRunner().invoke(app, ["ingest", "sales", str(sales), "--project", str(root)])
    assert got.exit_code == 0, got.output
    with Workspace.open(root) as ws:
        frame = business_momentum(ws, "Xiaomi")
    return {m: u for m, u in zip(frame["month"], frame["units"].fillna(0.0), strict=True)}


def test_a_ytd_total_is_spread_from_the_launch_day(tmp_path: Path) -> None:
    units = _monthly_units(tmp_path / "ws", "2025-04-01", "2025-06-30,Xiaomi,SU7,91000,true\n")
    # 91 days from 1 April to 30 June: 1,000 a day
    assert units.get("2025-01", 0.0) == units.get("2025-03", 0.0) == 0.0
    assert units["2025-04"] == pytest.approx(30000)
    assert units["2025-05"] == pytest.approx(31000)
    assert units["2025-06"] == pytest.approx(30000)


def test_a_product_launched_in_an_earlier_year_counts_from_1_january(tmp_path: Path) -> None:
    rows = "2025-06-30,Xiaomi,SU7,181000,true\n2025-07-31,Xiaomi,SU7,212000,true\n"
    units = _monthly_units(tmp_path / "ws", "2024-03-28", rows)
    assert units["2025-01"] == pytest.approx(31000)
    assert units["2025-07"] == pytest.approx(31000)  # the next checkpoint: from the last
