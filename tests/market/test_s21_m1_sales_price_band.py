"""A brand x price-band sales file (units and revenue by brand and band, no prices): the sales
``price_band`` column puts each row in the configured band its label names (by the market
labels' rule), so band share and premium mix need no made-up prices; and a brand with sales
rows that a metric's rows leave out is not reported as having none ("the sales hold no
brand")."""

from __future__ import annotations

import pytest

from brandhalo.analytics.market import band_share, premium_mix
from brandhalo.ingest import ingest_files

BY_BAND = """Month,Brand,Price band,Units,Revenue (EUR)
2025-01,Xiaomi,<2000,100,"€150,000"
2025-01,Xiaomi,2000-4000,60,"€180,000"
2025-01,Xiaomi,6000+,40,"€260,000"
2025-01,Huawei,2000-4000,40,"€120,000"
2025-01,Huawei,6000+,60,"€420,000"
"""


@pytest.fixture
def banded(mws, tmp_path):
    path = tmp_path / "by_band.csv"
    path.write_text(BY_BAND, "utf-8")
    f = ingest_files(
        mws, "sales", [path], mapping="product=Price band,price_band=Price band,category='phone'"
    ).files[0]
    assert (f.inserted, f.quarantined) == (5, 0)
    return mws


def _share(df, band):
    row = df[(df["band"] == band) & (df["period"] == "2025")]
    return float(row["share"].iloc[0]), float(row["units"].iloc[0])


def test_band_labels_of_sales_rows_give_band_share(banded):
    got = banded.store.con.execute(
        "SELECT price_band, revenue FROM sales WHERE brand = 'Xiaomi' ORDER BY units"
    ).fetchall()
    assert got == [("6000+", 260000.0), ("2000-4000", 180000.0), ("<2000", 150000.0)]
    df = band_share(banded, brand="Xiaomi", freq="year")
    assert _share(df, "<2000") == (1.0, 100.0)
    assert _share(df, "2000-4000") == (0.6, 60.0)
    assert _share(df, ">=6000") == (0.4, 40.0)
    assert _share(df, "all") == (pytest.approx(2 / 3), 200.0)
    notes = " ".join(df.attrs["notes"])
    assert "have no price" not in notes  # the rows are in bands, not "in no price band"


def test_premium_mix_counts_the_labelled_premium_band(banded):
    df = premium_mix(banded, brand="Huawei", freq="year")
    row = df[df["period"] == "2025"].iloc[0]
    assert (row["premium_units"], row["priced_units"]) == (60.0, 100.0)
    assert row["premium_mix"] == pytest.approx(0.6)
    assert row["premium_share"] == pytest.approx(0.6)  # 60 of the 100 premium units


def test_a_label_wins_over_the_price_and_an_unmatched_label_is_named(mws, put):
    put.sales(mws, [
        {"month": "2025-02", "brand": "Xiaomi", "product": "Mi 14", "units": 10,
         "price_band": "6000以上", "category": "phone"},  # list price 4999: the label says >=6000
        {"month": "2025-02", "brand": "Xiaomi", "product": "Redmi 13", "units": 5,
         "price_band": "1500-2500", "category": "phone"},  # spans two bands: its price decides
    ])  # fmt: skip
    df = band_share(mws, brand="Xiaomi", freq="month")
    units = df[df["period"] == "2025-02"].set_index("band")["units"]
    assert units[">=6000"] == 10 and units["4000-6000"] == 0 and units["<2000"] == 5
    notes = " ".join(df.attrs["notes"])
    assert "sales rows whose price_band matches no configured band" in notes
    assert "phone 1500-2500" in notes


def test_a_brand_with_rows_but_no_category_is_not_said_to_have_none(mws, tmp_path):
    path = tmp_path / "by_band.csv"
    path.write_text(BY_BAND, "utf-8")
    ingest_files(mws, "sales", [path], mapping="product=Price band,price_band=Price band")
    notes = band_share(mws, brand="Xiaomi", freq="quarter").attrs["notes"]
    assert not any("has no sales rows" in n for n in notes), notes
    assert any(n.startswith("Xiaomi has 3 sales rows, but none has a category") for n in notes)
    with_cat = band_share(mws, brand="Xiaomi", category="phone", freq="year")
    assert _share(with_cat, ">=6000") == (0.4, 40.0)  # --category reads them as phones


def test_a_brand_without_rows_names_the_brands_of_the_sales_table(mws, put):
    put.sales(mws, [{"month": "2025-01", "brand": "Xiaomi", "product": "Band X", "units": 3}])
    notes = band_share(mws, brand="Huawei", freq="month").attrs["notes"]
    assert "Huawei has no sales rows (the sales hold Xiaomi); ingest a sales file with " \
        "Huawei's rows" in notes  # fmt: skip
