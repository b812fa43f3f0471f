"""Band share and premium mix against hand-computed values."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from brandhalo.analytics.market import MarketResult, band_share, premium_mix
from brandhalo.analytics.market.result import BASIS_BRANDS, BASIS_MARKET, BASIS_TOTALS
from brandhalo.errors import InputError, NotFoundError
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put


def _cell(df: pd.DataFrame, period: str, brand: str, band: str, col: str = "share") -> float:
    hit = df[(df["period"] == period) & (df["brand"] == brand) & (df["band"] == band)]
    assert len(hit) == 1, (period, brand, band)
    return float(hit[col].iloc[0])


@pytest.fixture
def with_market(put: Put, mws: Workspace) -> Workspace:
    """Xiaomi under three spellings, a mid-life price cut, a totals row, an unpriced model."""
    put.sales(mws, [
        dict(month="2024-02", brand="Xiaomi", product="Mi 14", units=100),
        dict(month="2024-02", brand="XIAOMI", product="Mi 14 Ultra", units=40),   # 6499 -> >=6000
        dict(month="2024-02", brand="小米", product="Redmi 13", units=300),
        dict(month="2024-02", brand="Huawei", product="Mate 60", units=80),
        dict(month="2024-02", brand="合计", product="", units=2000, category="phone"),
        dict(month="2024-02", brand="Xiaomi", product="Mystery", units=10, category="phone"),
        dict(month="2024-03", brand="Xiaomi", product="Mi 14 Ultra", units=60),   # 5999 from 03-01
        dict(month="2024-03", brand="xiaomi", product="小米14", units=90),
    ])  # fmt: skip
    put.rows(mws, "market", [
        dict(month="2024-02", category="phone", price_band="<2000", units=1000),
        dict(month="2024-02", category="phone", price_band="2000-4000", units=800),
        dict(month="2024-02", category="手机", price_band="4k-6k", units=500),
        dict(month="2024-02", category="phone", price_low=6000.0, units=200),
        dict(month="2024-03", category="phone", price_band="4000-6000", units=600),
        dict(month="2024-03", category="phone", price_band=">=6000", units=250),
    ])  # fmt: skip
    return mws


def test_band_share_with_market_table(with_market: Workspace) -> None:
    df = band_share(with_market, category="phone")
    assert set(df["basis"]) == {BASIS_MARKET}
    assert df.attrs["basis"] == BASIS_MARKET
    assert _cell(df, "2024-02", "Xiaomi", "4000-6000") == pytest.approx(100 / 500)
    assert _cell(df, "2024-02", "Xiaomi", ">=6000") == pytest.approx(40 / 200)
    assert _cell(df, "2024-02", "Xiaomi", "<2000") == pytest.approx(300 / 1000)
    assert _cell(df, "2024-02", "Xiaomi", "2000-4000") == 0.0
    assert _cell(df, "2024-02", "Huawei", ">=6000") == pytest.approx(80 / 200)
    # 'all': every Xiaomi unit (the unpriced model too) over the sum of the market bands.
    assert _cell(df, "2024-02", "Xiaomi", "all") == pytest.approx(450 / 2500)
    # March: the Ultra's price cut to 5,999 moves it into 4000-6000.
    assert _cell(df, "2024-03", "Xiaomi", "4000-6000") == pytest.approx(150 / 600)
    assert _cell(df, "2024-03", "Xiaomi", ">=6000") == 0.0
    assert _cell(df, "2024-03", "Xiaomi", "4000-6000", "change_prev") == pytest.approx(0.05)
    assert _cell(df, "2024-03", "Xiaomi", ">=6000", "change_prev") == pytest.approx(-0.2)
    # No market rows for <2000 in March: empty, with the reason.
    row = df[(df["period"] == "2024-03") & (df["brand"] == "Xiaomi") & (df["band"] == "<2000")]
    assert row["share"].isna().all()
    assert "no market units" in row["reason"].iloc[0]


def test_notes_list_unpriced_rows_and_totals(with_market: Workspace) -> None:
    notes = " ".join(band_share(with_market).attrs["notes"])
    assert "1 sales rows have no price" in notes and "Mystery (1)" in notes
    assert "1 totals rows" in notes


def test_brand_filter_accepts_any_alias(with_market: Workspace) -> None:
    for spelling in ("小米", "XIAOMI", "ｘｉａｏｍｉ"):
        df = band_share(with_market, brand=spelling)
        assert set(df["brand"]) == {"Xiaomi"}
    with pytest.raises(NotFoundError, match="neither in the config"):
        band_share(with_market, brand="Nokia")


def test_sum_over_brands_without_market_table(put: Put, mws: Workspace) -> None:
    put.sales(mws, [
        dict(month="2024-01", brand="Xiaomi", product="Mi 14", units=100),
        dict(month="2024-01", brand="Huawei", product="Mate 60", units=150),
        dict(month="2024-01", brand="OPPO", product="Find X7", units=40, price=4500.0,
             category="手机"),
        dict(month="2024-01", brand="Total", product="all phones", units=1000, category="phone"),
    ])  # fmt: skip
    df = band_share(mws)
    assert _cell(df, "2024-01", "Xiaomi", "4000-6000") == pytest.approx(100 / 140)
    assert _cell(df, "2024-01", "OPPO", "4000-6000") == pytest.approx(40 / 140)
    assert _cell(df, "2024-01", "Xiaomi", ">=6000") == 0.0
    # The totals row is the category total; it never counts as a brand.
    assert _cell(df, "2024-01", "Xiaomi", "all") == pytest.approx(100 / 1000)
    assert "Total" not in set(df["brand"])
    # A band with no units at all: no share (not 0 / 0), with the reason.
    zero = df[(df["brand"] == "Xiaomi") & (df["band"] == "<2000")]
    assert zero["share"].isna().all() and zero["reason"].str.contains("no market").all()
    bands = df.set_index(["brand", "band"])["basis"]
    assert bands[("Xiaomi", "4000-6000")] == BASIS_BRANDS
    assert bands[("Xiaomi", "all")] == BASIS_TOTALS
    assert "OPPO" in " ".join(df.attrs["notes"])
    result = MarketResult.of(df)
    assert BASIS_BRANDS in result.basis and result.metric_version == "1.0"


@pytest.fixture
def two_years(put: Put, mws: Workspace) -> Workspace:
    put.sales(mws, [
        dict(month="2023-03", brand="Xiaomi", product="Mi 14", units=50),
        dict(month="2023-03", brand="Huawei", product="nova", units=50, price=4500.0,
             category="phone"),
        dict(month="2024-02", brand="Xiaomi", product="Mi 14", units=100),
        dict(month="2024-02", brand="Huawei", product="nova", units=100, price=4500.0,
             category="phone"),
        dict(month="2024-05", brand="Xiaomi", product="Mi 14", units=100),
        dict(month="2024-05", brand="Huawei", product="nova", units=300, price=4500.0,
             category="phone"),
        dict(month="2024-08", brand="Xiaomi", product="Mi 14", units=999),
    ])  # fmt: skip
    return mws


def test_window_with_year_is_one_period(two_years: Workspace) -> None:
    df = band_share(
        two_years, brand="Xiaomi", since=dt.date(2024, 1, 1), until=dt.date(2024, 6, 30),
        freq="year",
    )  # fmt: skip
    assert set(df["period"]) == {"2024-01-01..2024-06-30"}
    assert _cell(df, "2024-01-01..2024-06-30", "Xiaomi", "4000-6000") == pytest.approx(200 / 600)
    yoy = _cell(df, "2024-01-01..2024-06-30", "Xiaomi", "4000-6000", "change_yoy")
    assert yoy == pytest.approx(200 / 600 - 50 / 100)
    # Nothing in the equal-length window before: no comparison rather than a fake zero.
    assert pd.isna(_cell(df, "2024-01-01..2024-06-30", "Xiaomi", "4000-6000", "change_prev"))


def test_quarter_and_missing_months(two_years: Workspace) -> None:
    df = band_share(two_years, brand="Xiaomi", freq="quarter")
    assert sorted(set(df["period"])) == ["2023-Q1", "2024-Q1", "2024-Q2", "2024-Q3"]
    assert _cell(df, "2024-Q2", "Xiaomi", "4000-6000") == pytest.approx(100 / 400)
    assert _cell(df, "2024-Q1", "Xiaomi", "4000-6000", "change_yoy") == pytest.approx(0.0)
    monthly = band_share(two_years, brand="Xiaomi")
    # April 2024 has no rows: it is missing, so May has no previous-period comparison.
    assert "2024-04" not in set(monthly["period"])
    assert pd.isna(_cell(monthly, "2024-05", "Xiaomi", "4000-6000", "change_prev"))


def test_bad_arguments_say_what_to_do(two_years: Workspace) -> None:
    with pytest.raises(InputError, match="--freq"):
        band_share(two_years, freq="week")
    with pytest.raises(InputError, match="swap"):
        band_share(two_years, since=dt.date(2024, 2, 1), until=dt.date(2024, 1, 1))
    with pytest.raises(NotFoundError, match="category"):
        band_share(two_years, category="tablet")


def test_premium_mix(with_market: Workspace) -> None:
    df = premium_mix(with_market, brand="小米").set_index("period")
    # Feb: 40 of the 440 priced units are >= 6000 (the unpriced model is left out).
    assert df.loc["2024-02", "premium_mix"] == pytest.approx(40 / 440)
    assert df.loc["2024-02", "premium_share"] == pytest.approx(40 / 200)
    assert df.loc["2024-03", "premium_mix"] == 0.0
    assert df.loc["2024-03", "change_prev"] == pytest.approx(-40 / 440)
    assert df.attrs["metric"] == "premium_mix"


def test_empty_store_is_not_an_error(mws: Workspace) -> None:
    df = band_share(mws)
    assert len(df) == 0 and "ingest a sales file" in " ".join(df.attrs["notes"])


def test_coarser_rows_win_over_finer_ones(put: Put, mws: Workspace) -> None:
    # A month total and three daily rows inside it: the month counts, once.
    put.sales(mws, [dict(month="2024-01", brand="Xiaomi", product="Mi 14", units=310)])
    put.sales(mws, [dict(day=f"2024-01-0{d}", brand="Xiaomi", product="Mi 14", units=50)
                    for d in (1, 2, 3)])  # fmt: skip
    put.sales(mws, [dict(month="2024-01", brand="Huawei", product="Mate 60", units=90)])
    df = band_share(mws, brand="Xiaomi", category="phone")
    assert _cell(df, "2024-01", "Xiaomi", "all", "units") == pytest.approx(310)
    assert _cell(df, "2024-01", "Xiaomi", "all") == pytest.approx(310 / 400)
    assert any("not counted twice" in n for n in df.attrs["notes"])


def test_brand_totals_count_only_without_model_rows(put: Put, mws: Workspace) -> None:
    put.sales(mws, [
        # Xiaomi: models and a brand total -> the models count.
        dict(month="2024-01", brand="Xiaomi", product="Mi 14", units=100),
        dict(month="2024-01", brand="Xiaomi", product="合计", units=999, category="phone"),
        # Huawei: only a brand total row -> it counts (unpriced: band 'all' only).
        dict(month="2024-01", brand="Huawei", product="Total", units=300, category="phone"),
    ])  # fmt: skip
    df = band_share(mws, category="phone")
    assert _cell(df, "2024-01", "Xiaomi", "all", "units") == pytest.approx(100)
    assert _cell(df, "2024-01", "Huawei", "all", "units") == pytest.approx(300)
    assert _cell(df, "2024-01", "Huawei", "all") == pytest.approx(300 / 400)


def test_shares_over_brands_add_up_to_one(put: Put, mws: Workspace) -> None:
    """Invariant: with the sum-over-brands basis, brand shares of each band sum to 1."""
    import numpy as np

    rng = np.random.default_rng(3)
    rows = []
    for month in ("2024-01", "2024-02", "2024-03"):
        for brand in ("Xiaomi", "小米", "Huawei", "OPPO", "vivo"):
            for k in range(3):
                if rng.random() < 0.3:
                    continue  # missing from this month's list
                rows.append(dict(month=month, brand=brand, product=f"{brand}-{k}",
                                 units=float(rng.integers(1, 1000)),
                                 price=float(rng.choice([999, 2999, 4999, 6999])),
                                 category="phone"))  # fmt: skip
    put.sales(mws, rows)
    df = band_share(mws, category="phone")
    banded = df[(df["band"] != "all") & df["share"].notna()]
    sums = banded.groupby(["period", "band"])["share"].sum()
    assert len(sums) >= 9
    assert np.allclose(sums.to_numpy(), 1.0)
    assert set(df["brand"]) <= {"Xiaomi", "Huawei", "OPPO", "vivo"}


def test_market_table_totals_and_straddling_bands(put: Put, mws: Workspace) -> None:
    put.sales(mws, [dict(month="2024-01", brand="Xiaomi", product="Mi 14", units=120)])
    put.rows(mws, "market", [
        dict(month="2024-01", category="phone", price_band="4000-4999元", units=200),
        dict(month="2024-01", category="phone", price_band="5000-5999元", units=100),
        dict(month="2024-01", category="phone", price_band="5500-6500", units=50),  # straddles
        dict(month="2024-01", category="phone", price_band="合计", units=3000),
    ])  # fmt: skip
    df = band_share(mws, brand="Xiaomi")
    # Finer market bands add up inside the configured 4000-6000 band.
    assert _cell(df, "2024-01", "Xiaomi", "4000-6000") == pytest.approx(120 / 300)
    # The explicit category total is the 'all' denominator.
    assert _cell(df, "2024-01", "Xiaomi", "all") == pytest.approx(120 / 3000)
    assert any("5500-6500" in n and "no configured band" in n for n in df.attrs["notes"])


def test_regional_breakdowns_do_not_double_count(put: Put, mws: Workspace) -> None:
    put.sales(mws, [
        dict(month="2024-01", brand="Xiaomi", product="Mi 14", units=1000),
        dict(month="2024-01", brand="Xiaomi", product="Mi 14", units=400, region="华东"),
        dict(month="2024-01", brand="Xiaomi", product="Mi 14", units=600, region="华南"),
        # Huawei reports regions only: they add up.
        dict(month="2024-01", brand="Huawei", product="Mate 60", units=300, region="华东"),
        dict(month="2024-01", brand="Huawei", product="Mate 60", units=200, region="华南"),
    ])  # fmt: skip
    df = band_share(mws, category="phone")
    assert _cell(df, "2024-01", "Xiaomi", "all", "units") == pytest.approx(1000)
    assert _cell(df, "2024-01", "Huawei", "all", "units") == pytest.approx(500)
    assert any("2 regional or channel rows" in n for n in df.attrs["notes"])
