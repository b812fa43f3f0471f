"""Walk-through of `brandhalo market` on an EV maker's own files (session 15, C): numbers
checked by hand against small files an analyst would hand in."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from brandhalo.analytics.market import business_momentum, financial_lines, premium_mix
from brandhalo.cli import app
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put


def _row(df, period: str, **match: str) -> dict:  # noqa: ANN001
    hit = df[df["period"] == period]
    for col, value in match.items():
        hit = hit[hit[col] == value]
    assert len(hit) == 1, hit
    return hit.iloc[0].to_dict()


# -- premium-band share against market data that end early ---------------------------------


@pytest.fixture
def market_ends_in_may(put: Put, mws: Workspace) -> Workspace:
    """Huawei sells 100 premium phones a month Apr-Jun; the market file has April, May and
    the first half of June."""
    put.sales(mws, [
        dict(month=m, brand="Huawei", product="Mate 60", units=100)
        for m in ("2025-04", "2025-05", "2025-06")
    ])  # fmt: skip
    put.rows(mws, "market", [
        dict(month=m, category="phone", price_band=">=6000", units=1000)
        for m in ("2025-04", "2025-05")
    ])  # fmt: skip
    put.rows(mws, "market", [dict(period_start=dt.date(2025, 6, 1), grain="day",
                                  period_end=dt.date(2025, 6, 15), category="phone",
                                  price_band=">=6000", units=500)])  # fmt: skip
    return mws


def test_premium_share_needs_market_rows_for_the_whole_period(
    market_ends_in_may: Workspace,
) -> None:
    # before: Q2 premium_share was 300 units (Apr-Jun) / 2,500 market units (to 15 June)
    q2 = _row(premium_mix(market_ends_in_may, brand="Huawei", freq="quarter"), "2025-Q2")
    assert q2["premium_mix"] == pytest.approx(1.0)  # the brand's own mix needs no market
    assert q2["premium_share"] != q2["premium_share"]  # NaN, not 12 %
    months = premium_mix(market_ends_in_may, brand="Huawei", freq="month")
    assert _row(months, "2025-04")["premium_share"] == pytest.approx(0.1)
    assert _row(months, "2025-06")["premium_share"] != _row(months, "2025-06")["premium_share"]
    notes = " ".join(months.attrs["notes"])
    assert "premium_share is empty in 2025-06" in notes  # before: 100 / 500 = 20 %


def test_momentum_premium_share_follows_the_same_rule(market_ends_in_may: Workspace) -> None:
    bm = business_momentum(market_ends_in_may, brand="Huawei")
    shares = dict(zip(bm["month"], bm["premium_share"], strict=True))
    assert shares["2025-04"] == pytest.approx(0.1) and shares["2025-05"] == pytest.approx(0.1)
    assert shares["2025-06"] != shares["2025-06"]  # before: 100 / 500 = 20 %


# -- financial lines: brand total, new lines, months cut out of quarters --------------------


@pytest.fixture
def new_line(put: Put, mws: Workspace) -> Workspace:
    """Cars all year; an energy line that starts in 2024-Q3."""
    put.rows(mws, "financials", [
        dict(quarter="2024-Q1", brand="Xiaomi", line="cars", revenue=50e8, gross_margin=0.10),
        dict(quarter="2024-Q2", brand="Xiaomi", line="cars", revenue=55e8, gross_margin=0.11),
        dict(quarter="2024-Q3", brand="Xiaomi", line="cars", revenue=70e8, gross_margin=0.12),
        dict(quarter="2024-Q3", brand="Xiaomi", line="energy", revenue=3e8, gross_margin=0.2),
        dict(quarter="2025-Q1", brand="Xiaomi", line="cars", revenue=92e8, gross_margin=0.14),
        dict(quarter="2025-Q1", brand="Xiaomi", line="energy", revenue=4e8, gross_margin=0.2),
    ])  # fmt: skip
    return mws


def test_brand_total_in_every_period_and_its_growth(new_line: Workspace) -> None:
    df = financial_lines(new_line, brand="Xiaomi")
    # before: no 'all' row in 2024-Q1/Q2 (one line), so the total had no YoY / QoQ
    q1 = _row(df, "2024-Q1", line="all")
    assert q1["revenue"] == pytest.approx(50e8)
    q3 = _row(df, "2024-Q3", line="all")
    assert q3["growth_prev"] == pytest.approx(73 / 55 - 1)
    total = _row(df, "2025-Q1", line="all")
    assert total["growth_yoy"] == pytest.approx(96 / 50 - 1)
    assert total["margin_change_yoy"] == pytest.approx((92 * 0.14 + 4 * 0.2) / 96 - 0.10)
    notes = " ".join(df.attrs["notes"])
    assert "energy from 2024-Q3" in notes


def test_one_line_brand_has_no_total(put: Put, mws: Workspace) -> None:
    put.rows(mws, "financials", [
        dict(quarter="2025-Q1", brand="Huawei", line="phones", revenue=1e9),
        dict(quarter="2025-Q2", brand="Huawei", line="phones", revenue=2e9),
    ])  # fmt: skip
    df = financial_lines(mws, brand="Huawei")
    assert set(df["line"]) == {"phones"}


def test_months_cut_out_of_quarters_have_no_growth(new_line: Workspace) -> None:
    df = financial_lines(new_line, line="cars", freq="month", since=dt.date(2024, 3, 1),
                         until=dt.date(2024, 5, 31))  # fmt: skip
    # before: April 'grew' +5.3 % on March and May +3.3 % on April: day counts, not sales
    assert df["revenue"].tolist() == pytest.approx([50e8 * 31 / 91, 55e8 * 30 / 91,
                                                    55e8 * 31 / 91])  # fmt: skip
    assert df["growth_prev"].isna().all()
    assert df["margin_change_prev"].isna().all()
    assert any("no growth or margin change" in n for n in df.attrs["notes"])
    quarters = financial_lines(new_line, line="cars")
    assert _row(quarters, "2024-Q2")["growth_prev"] == pytest.approx(0.1)  # whole rows: kept


def test_a_brand_without_financials_is_named(new_line: Workspace) -> None:
    df = financial_lines(new_line, brand="华为")
    assert df.empty
    assert any(n.startswith("Huawei has no financials rows (the financials hold Xiaomi)")
               for n in df.attrs["notes"])  # fmt: skip


# -- sales: a brand totals row next to model rows --------------------------------------------


def test_totals_row_that_model_rows_do_not_add_up_to_is_noted(put: Put, mws: Workspace) -> None:
    put.sales(mws, [
        dict(month="2025-01", brand="Xiaomi", product="Mi 14", units=100),
        dict(month="2025-01", brand="Xiaomi", product="Redmi 13", units=50),
        dict(month="2025-01", brand="Xiaomi", product="合计", units=150),
        dict(month="2025-02", brand="Xiaomi", product="Mi 14", units=120),
        dict(month="2025-02", brand="Xiaomi", product="合计", units=200),  # Redmi 13 missing
    ])  # fmt: skip
    df = premium_mix(mws, brand="Xiaomi", category="phone")
    notes = [n for n in df.attrs["notes"] if "disagree" in n]
    assert len(notes) == 1
    assert "1 brand totals row disagrees" in notes[0]
    assert "Xiaomi 2025-02-01..2025-02-28 total 200 vs models 120" in notes[0]
    assert "2025-01" not in notes[0]  # that month adds up


# -- the CLI's table -----------------------------------------------------------------------


def test_cli_changes_that_round_to_zero_are_plus_zero() -> None:
    import pandas as pd

    from brandhalo.cli.market import _display

    frame = pd.DataFrame({"change_prev": [-1e-17, -0.0004, 0.0123], "growth_yoy": [-1e-9] * 3})
    shown = _display(frame)
    # before: "-0.0pp" / "-0.0%" for float dust of equal shares (60.0 % -> 60.0 %)
    assert shown["change_prev"].tolist() == ["+0.0pp", "+0.0pp", "+1.2pp"]
    assert shown["growth_yoy"].tolist() == ["+0.0%"] * 3


def test_cli_hhi_changes_are_index_changes_not_points(put: Put, mws: Workspace) -> None:
    put.sales(mws, [
        dict(month="2024-12", brand="Huawei", product="Mate 60", units=60),
        dict(month="2024-12", brand="Huawei", product="nova 12", units=40, category="phone",
             price=2999),
        dict(month="2025-01", brand="Huawei", product="Mate 60", units=100),
    ])  # fmt: skip
    mws.close()
    conc = CliRunner().invoke(app, ["market", "concentration", "--project", str(mws.root),
                                    "--brand", "Huawei", "--category", "phone", "--wide"])  # fmt: skip
    assert conc.exit_code == 0, conc.output
    # HHI 0.6^2 + 0.4^2 = 0.52 in December, 1 in January: a change of +0.480, as the HHI
    # column and the report print it (before: "+48.0pp", points of a 0..1 index)
    assert "+0.480" in conc.output and "48.0pp" not in conc.output


def test_split_note_grammar_for_one_row(put: Put, mws: Workspace) -> None:
    put.sales(mws, [dict(period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 3, 31),
                         grain="quarter", brand="Huawei", product="Mate 60", units=900)])  # fmt: skip
    notes = premium_mix(mws, brand="Huawei", freq="month").attrs["notes"]
    # before: "1 sales row cover more than one month and are split"
    assert any(n.startswith("1 sales row covers more than one month and is split evenly")
               for n in notes)  # fmt: skip
