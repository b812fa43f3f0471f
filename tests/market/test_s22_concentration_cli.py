"""`brandhalo market concentration` shows why a row is empty (s22): a sales file by price band
has no models, and the table said nothing in its own columns (the reason was only under
--wide); a table whose rows all have their numbers shows no empty reason column."""

from __future__ import annotations

from typing import TYPE_CHECKING

from test_s22_f3_concentration_bands import banded  # noqa: F401 (the fixture)
from typer.testing import CliRunner

from brandhalo.cli import app

if TYPE_CHECKING:
    from tests.market.conftest import Put

    from brandhalo.workspace import Workspace

runner = CliRunner()


def _table(ws: Workspace, brand: str, category: str) -> str:
    res = runner.invoke(app, ["market", "concentration", "--brand", brand, "--category",
                              category, "--freq", "month", "-p", str(ws.root)])  # fmt: skip
    assert res.exit_code == 0, res.output
    return res.output


def test_band_rows_say_why_they_have_no_model(banded: Workspace) -> None:  # noqa: F811
    out = _table(banded, "Xiaomi", "car")
    header = next(line for line in out.splitlines() if "period" in line and "band" in line)
    assert "reason" in header
    assert "price bands, not" in out.split(header, 1)[1]


def test_no_reason_column_when_every_row_has_its_numbers(mws: Workspace, put: Put) -> None:
    put.sales(mws, [
        dict(month="2025-01", brand="Huawei", product="Mate 60", category="phone", units=300,
             price=6999),
        dict(month="2025-01", brand="Huawei", product="Mate X5", category="phone", units=100,
             price=12999),
    ])  # fmt: skip
    out = _table(mws, "Huawei", "phone")
    header = next(line for line in out.splitlines() if "top1_share" in line)
    assert "hhi" in header and "reason" not in header
