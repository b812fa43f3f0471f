"""Market metrics as an analyst reads them (session 24, FM): `--region` on every market
command, a quarter the data end inside counted through their last day, two market category
cells read as one category (乘用车 and 新能源乘用车 both `car`) no longer switching silently, and
business momentum saying which comparison (3m/3m or year over year) each month reads."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from typer.testing import CliRunner

from brandhalo.analytics.market import (
    band_share,
    business_momentum,
    financial_lines,
    target_pacing,
)
from brandhalo.cli import app
from brandhalo.errors import InputError, NotFoundError
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put


def _regional(put: Put, ws: Workspace) -> None:
    """Mi 14 in the US and the EU (no national row), Jan-Jun 2025, EU twice the US."""
    rows = []
    for m in range(1, 7):
        for i, region in enumerate(("US", "EU")):
            rows.append(dict(month=f"2025-{m:02d}", brand="Xiaomi", product="Mi 14",
                             units=100.0 * (i + 1), region=region))  # fmt: skip
    put.sales(ws, rows)
    put.rows(ws, "targets", [dict(brand="Xiaomi", product="Mi 14", year=2025, units=2400.0)])


def _cli(ws: Workspace, *args: str) -> object:
    return CliRunner().invoke(app, ["market", *args, "--json", "--project", str(ws.root)])


def test_pacing_and_momentum_take_region(put: Put, mws: Workspace) -> None:
    _regional(put, mws)
    every = target_pacing(mws).iloc[0]
    assert every["cumulative"] == pytest.approx(1800.0)
    assert every["pct_of_target"] == pytest.approx(0.75)
    got = _cli(mws, "pacing", "--region", "eu")
    assert got.exit_code == 0, got.output
    body = json.loads(got.stdout)
    row = body["rows"][0]
    assert body["params"]["region"] == "eu"
    assert row["cumulative"] == pytest.approx(1200.0)  # the EU's rows only
    # targets have no region: the region's sales are not set against the whole target
    assert row["pct_of_target"] is None and row["on_track"] is None
    assert any("targets have no region" in n for n in body["notes"])
    got = _cli(mws, "momentum", "--region", "US")
    assert got.exit_code == 0, got.output
    body = json.loads(got.stdout)
    assert body["params"]["region"] == "US"
    assert [r["units"] for r in body["rows"]] == pytest.approx([100.0] * 6)


@pytest.mark.parametrize("command", ["pacing", "momentum"])
def test_an_unknown_region_names_those_present(put: Put, mws: Workspace, command: str) -> None:
    _regional(put, mws)
    got = _cli(mws, command, "--region", "Asia")
    assert got.exit_code != 0
    assert "region 'Asia' is not in the sales rows (regions: EU, US)" in str(got.exception)
    with pytest.raises(NotFoundError, match=r"regions: EU, US"):
        business_momentum(mws, region="Asia")


def test_financials_refuse_region(put: Put, mws: Workspace) -> None:
    put.rows(mws, "financials", [dict(quarter="2025-Q1", brand="Xiaomi", line="phones",
                                      revenue=1e9)])  # fmt: skip
    with pytest.raises(InputError, match="financials table has no region"):
        financial_lines(mws, region="US")
    got = _cli(mws, "financials", "--region", "US")
    assert got.exit_code != 0 and "financials table has no region" in str(got.exception)


def test_a_quarter_the_data_end_inside_counts_through_their_last_day(
    put: Put, mws: Workspace
) -> None:
    """Sales Jan-May, market Jan-Jun: 2025-Q2 counts April and May on both sides."""
    put.sales(mws, [dict(month=f"2025-{m:02d}", brand="Xiaomi", product="SU7", units=1000.0)
                    for m in range(1, 6)])  # fmt: skip
    put.rows(mws, "market", [dict(month=f"2025-{m:02d}", category="乘用车",
                                  price_band="20-30万", units=10000.0)
                             for m in range(1, 7)])  # fmt: skip
    df = band_share(mws, category="car", freq="quarter", brand="Xiaomi")
    q2 = df[(df["period"] == "2025-Q2") & (df["band"] == "all")].iloc[0]
    assert bool(q2["partial"])
    assert pd.Timestamp(q2["through"]).date().isoformat() == "2025-05-31"
    assert q2["market_units"] == pytest.approx(20000.0)  # not June's market too
    assert q2["share"] == pytest.approx(0.1)  # was 2000 / 30000
    note = next(n for n in df.attrs["notes"] if "2025-Q2 is partial" in n)
    assert "counted 2025-04-01 to 2025-05-31" in note


def test_two_category_cells_read_as_car_are_not_switched_silently(put: Put, mws: Workspace) -> None:
    """乘用车 and its part 新能源乘用车 over the same band and months: one market every month
    (the broader one), named in a note; before, the kept cell went by row id, month by month."""
    rows = []
    for m, (cars, nev) in enumerate(((100000.0, 40000.0), (90000.0, 45000.0)), start=1):
        month = f"2025-{m:02d}"
        # row ids ordered so that a by-row-id choice would pick 乘用车 in January and
        # 新能源乘用车 in February
        first, second = ("a", "b") if m == 1 else ("b", "a")
        rows += [dict(month=month, category="乘用车", price_band="20-30万", units=cars,
                      row_id=f"{first}{m}"),
                 dict(month=month, category="新能源乘用车", price_band="20-30万", units=nev,
                      row_id=f"{second}{m}")]  # fmt: skip
    put.rows(mws, "market", rows)
    put.sales(mws, [dict(month=f"2025-{m:02d}", brand="Xiaomi", product="SU7", units=9000.0)
                    for m in (1, 2)])  # fmt: skip
    df = band_share(mws, category="car", brand="Xiaomi")
    band = df[df["band"] == "200000-300000"].set_index("period")
    assert band["market_units"].tolist() == pytest.approx([100000.0, 90000.0])
    note = next(n for n in df.attrs["notes"] if "新能源乘用车" in n)
    assert "乘用车 (2 rows)" in note and "not added" in note and "left out" in note


def test_momentum_says_which_comparison_each_month_reads(put: Put, mws: Workspace) -> None:
    """Seasonal units over 18 months: 3m/3m months in the first year, then year over year."""
    season = [0.6, 0.5, 0.7, 0.9, 1.3, 1.8, 1.6, 1.1, 0.8, 0.7, 1.1, 0.7]
    rows = []
    for i in range(18):
        y, m = 2025 + i // 12, i % 12 + 1
        rows.append(dict(month=f"{y}-{m:02d}", brand="Xiaomi", product="Mi 14",
                         units=1000.0 * season[m - 1] * (1.05 if y == 2026 else 1.0)))  # fmt: skip
    put.sales(mws, rows)
    df = business_momentum(mws, brand="Xiaomi").set_index("month")
    assert df.loc["2025-12", "units_growth_basis"] == "3m/3m"
    assert df.loc["2026-01", "units_growth_basis"] == "yoy"
    assert df.loc["2026-01", "units_growth"] == pytest.approx(0.05)  # the season cancels out
    assert df.loc["2026-01", "revenue_growth_basis"] == "yoy"
    note = next(n for n in df.attrs["notes"] if n.startswith("momentum reads"))
    assert "Xiaomi: 3m/3m 2025-11..2025-12, year over year from 2026-01" in note
    assert "rises and falls with the season" in note
    assert "first year-over-year months are set against 3m/3m months" in note
