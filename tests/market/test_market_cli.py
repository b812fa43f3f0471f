"""`brandhalo market ...` prints tables and JSON with version, basis and notes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put


@pytest.fixture
def filled(put: Put, mws: Workspace) -> Workspace:
    put.sales(mws, [
        dict(month="2024-01", brand="小米", product="Mi 14", units=100),
        dict(month="2024-01", brand="Huawei", product="Mate 60", units=300),
        dict(month="2024-02", brand="XIAOMI", product="Mi 14", units=120),
        dict(month="2025-01", brand="Xiaomi", product="SU7", units=31000),
    ])  # fmt: skip
    put.rows(mws, "market", [dict(month="2024-01", category="phone", price_band="4000-6000",
                                  units=400)])  # fmt: skip
    put.rows(mws, "targets", [dict(brand="Xiaomi", product="SU7", year=2025, units=360000)])
    put.rows(mws, "financials", [dict(quarter="2025-Q1", brand="Xiaomi", line="smart EV",
                                      revenue=18.1e9, gross_margin=0.232)])  # fmt: skip
    mws.close()  # the CLI opens the store itself
    return mws


def _json(args: list[str], ws: Workspace) -> dict:
    result = CliRunner().invoke(app, ["market", *args, "--project", str(ws.root), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_share_json(filled: Workspace) -> None:
    out = _json(["share", "--brand", "xiaomi", "--category", "手机", "--since", "2024-01-01",
                 "--until", "2024-01-31"], filled)  # fmt: skip
    assert out["metric"] == "band_share" and out["metric_version"] == "1.0"
    assert out["basis"] == "market table"
    row = next(r for r in out["rows"] if r["band"] == "4000-6000")
    assert row["share"] == pytest.approx(0.25) and row["period"] == "2024-01"


def test_every_subcommand_answers(filled: Workspace) -> None:
    assert _json(["mix", "--freq", "year"], filled)["metric"] == "premium_mix"
    pacing = _json(["pacing", "--as-of", "2025-01-31"], filled)
    assert pacing["rows"][0]["cumulative"] == pytest.approx(31000)
    assert pacing["rows"][0]["on_track"] is True  # 31,000 + 1,000 a day x 334 days = 365,000
    conc = _json(["concentration", "--brand", "Huawei"], filled)
    assert {r["hhi"] for r in conc["rows"]} == {1.0}
    fin = _json(["financials", "--brand", "小米"], filled)
    assert fin["rows"][0]["revenue"] == pytest.approx(18.1e9)
    mom = _json(["momentum", "--brand", "Huawei"], filled)
    assert mom["rows"][0]["reported"] is False


def test_table_output_and_errors(filled: Workspace) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["market", "share", "-p", str(filled.root), "--freq", "quarter"])
    assert ok.exit_code == 0 and "band_share" in ok.output and "market table" in ok.output
    assert "metric_version 1.0" in ok.output
    bad = runner.invoke(app, ["market", "share", "-p", str(filled.root), "--since", "May"])
    assert bad.exit_code != 0
