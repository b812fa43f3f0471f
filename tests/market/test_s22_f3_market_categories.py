"""A market file written the way industry tables are (CPCA's 新能源汽车, 乘用车, "Passenger
cars") is the market of the config's ``car``: a brand's band share is taken over it, not over
the few brands of the sales file. A market category that is none of the config's is said to
be exactly that (which category the file has, which the products use, how to align them),
not blamed on the price bands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from brandhalo.analytics.market import band_share
from brandhalo.ingest import ingest_files

if TYPE_CHECKING:
    from pathlib import Path

    from tests.market.conftest import Put

    from brandhalo.workspace import Workspace

MARKET = """month,category,price_band,销量
2025-01,{cat},15万以下,3000
2025-01,{cat},15-20万,1800
2025-01,{cat},20-30万,1000
2025-01,{cat},30万以上,900
"""


def _market(ws: Workspace, tmp_path: Path, cat: str, mapping: str | None = None) -> None:
    path = tmp_path / f"market_{len(list(tmp_path.iterdir()))}.csv"
    path.write_text(MARKET.format(cat=cat), "utf-8")
    got = ingest_files(ws, "market", [path], mapping=mapping).files[0]
    assert (got.inserted, got.quarantined) == (4, 0)


def _band(df, band: str) -> tuple[float, float]:
    row = df[(df["category"] == "car") & (df["band"] == band) & (df["period"] == "2025-01")]
    return float(row["share"].iloc[0]), float(row["market_units"].iloc[0])


@pytest.mark.parametrize(
    "cat", ["新能源汽车", "乘用车", "新能源乘用车", "Passenger cars", "NEV", "New energy vehicles"]
)
def test_an_industry_category_label_is_the_car_market(
    cat: str, put: Put, mws: Workspace, tmp_path: Path
) -> None:
    put.sales(mws, [
        dict(month="2025-01", brand="Xiaomi", product="SU7", units=100),  # 215,900: 20-30万
        dict(month="2025-01", brand="Huawei", product="Aito M9", category="car", units=300,
             price=469800),
    ])  # fmt: skip
    _market(mws, tmp_path, cat)
    df = band_share(mws, brand="Xiaomi", category="car", freq="month")
    # 100 of the market's 1,000 units in 20-30万 (over the two brands it would read 100 %)
    assert _band(df, "200000-300000") == (pytest.approx(0.1), 1000.0)
    assert _band(df, "all") == (pytest.approx(100 / 6700), 6700.0)
    assert df.attrs["basis"] == "market table"
    assert not any("category" in n and "market file" in n for n in df.attrs["notes"])


def test_a_category_the_config_does_not_use_is_named_not_blamed_on_bands(
    put: Put, mws: Workspace, tmp_path: Path
) -> None:
    put.sales(mws, [dict(month="2025-01", brand="Xiaomi", product="SU7", units=100)])
    _market(mws, tmp_path, "SUV")  # a segment: not read as the whole car market
    df = band_share(mws, brand="Xiaomi", category="car", freq="month")
    assert df.attrs["basis"] == "sum over brands in sales (no market table)"
    notes = " ".join(df.attrs["notes"])
    assert "the market file's category 'suv' is not a category" in notes
    assert "('car', 'phone')" in notes  # what the products and bands use
    assert "--map \"category='...'\" with one of 'car', 'phone'" in notes
    assert "align [price_bands]" not in notes  # the bands were fine

    # The fix the note gives: the same file again, its rows read as car.
    _market(mws, tmp_path, "SUV", mapping="category='car'")
    df = band_share(mws, brand="Xiaomi", category="car", freq="month")
    assert _band(df, "200000-300000") == (pytest.approx(0.1), 1000.0)


def test_a_category_the_sales_rows_share_is_not_called_unaligned(
    put: Put, mws: Workspace, tmp_path: Path
) -> None:
    """The config has no 'SUV', but the sales rows do: that market is theirs."""
    put.sales(mws, [dict(month="2025-01", brand="Xiaomi", product="YU7", category="SUV",
                         units=100, price=253500)])  # fmt: skip
    _market(mws, tmp_path, "SUV")
    df = band_share(mws, brand="Xiaomi", category="SUV", freq="month")
    notes = " ".join(df.attrs["notes"])
    assert "is not a category of the products" not in notes
    assert "market rows whose price band matches no configured band" in notes  # no SUV bands
    row = df[(df["band"] == "all") & (df["period"] == "2025-01")].iloc[0]
    assert (row["units"], row["market_units"]) == (100.0, 6700.0)
