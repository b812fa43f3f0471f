"""A real-shaped association file: monthly units per brand and model plus a market-total row
per month, loaded with a column map through the ingest API."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.analytics.market import band_share, concentration
from brandhalo.analytics.market.result import BASIS_BRANDS, BASIS_TOTALS
from brandhalo.workspace import Workspace

FILE = """month,dataset_type,brand,model,units
2024-01,model,小米,Redmi K70,120000
2024-01,model,XIAOMI,Xiaomi 14,90000
2024-01,model,华为,Mate 60 Pro,150000
2024-01,market_total,全市场,合计,2400000
2024-02,model,小米,Redmi K70,100000
2024-02,model,华为,Mate 60 Pro,140000
2024-02,market_total,TOTAL,TOTAL,2100000
"""


@pytest.fixture
def loaded(mws: Workspace, tmp_path: Path) -> Workspace:
    from brandhalo.ingest import ingest_files

    path = tmp_path / "units.csv"
    path.write_text(FILE, encoding="utf-8")
    report = ingest_files(mws, "sales", [path], mapping="period=month,product=model")
    assert report.files[0].inserted == 7
    return mws


def test_shares_from_the_real_shaped_file(loaded: Workspace) -> None:
    df = band_share(loaded, category="phone")
    cell = df.set_index(["period", "brand", "band"])
    # The market-total rows are the category total; they are never a brand.
    assert cell.loc[("2024-01", "Xiaomi", "all"), "share"] == pytest.approx(210000 / 2400000)
    assert cell.loc[("2024-01", "Huawei", "all"), "share"] == pytest.approx(150000 / 2400000)
    assert cell.loc[("2024-01", "Xiaomi", "all"), "basis"] == BASIS_TOTALS
    assert cell.loc[("2024-02", "Xiaomi", "all"), "share"] == pytest.approx(100000 / 2100000)
    assert cell.loc[("2024-02", "Xiaomi", "all"), "change_prev"] == pytest.approx(
        100000 / 2100000 - 210000 / 2400000
    )
    assert not {"全市场", "TOTAL", "Total"} & set(df["brand"])
    # "Xiaomi 14" is a config alias of Mi 14 (4,999 yuan): priced into 4000-6000.
    assert cell.loc[("2024-01", "Xiaomi", "4000-6000"), "share"] == pytest.approx(1.0)
    assert cell.loc[("2024-01", "Xiaomi", "4000-6000"), "basis"] == BASIS_BRANDS
    notes = " ".join(df.attrs["notes"])
    assert "Redmi K70 (2)" in notes and "Mate 60 Pro (2)" in notes  # no price: reported
    assert "2 totals rows" in notes


def test_missing_model_month_in_the_real_file(loaded: Workspace) -> None:
    df = concentration(loaded, brand="小米", category="phone")
    all_bands = df[df["band"] == "all"].set_index("period")
    assert all_bands.loc["2024-01", "n_models"] == 2
    assert all_bands.loc["2024-02", "n_models"] == 1  # Xiaomi 14 missing, not zero
    assert all_bands.loc["2024-01", "top1_share"] == pytest.approx(120000 / 210000)
