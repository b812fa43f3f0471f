"""Financial lines: revenue, margin and growth by business line (hand-computed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from brandhalo.analytics.market import financial_lines
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put


@pytest.fixture
def fin(put: Put, mws: Workspace) -> Workspace:
    phones, ev = "smartphones", "smart EV"
    put.rows(mws, "financials", [
        dict(quarter="2024-Q1", brand="小米", line=phones, revenue=46.5e9, gross_margin=0.14),
        dict(quarter="2024-Q4", brand="Xiaomi", line=ev, revenue=16.7e9, gross_margin=0.204),
        dict(quarter="2025-Q1", brand="Xiaomi", line=ev, revenue=18.1e9, gross_margin=0.232),
        dict(quarter="2025-Q1", brand="XIAOMI", line=phones, revenue=50.6e9, cost=50.6e9 * 0.876),
    ])  # fmt: skip
    return mws


def _row(df, period: str, line: str) -> dict:  # noqa: ANN001
    hit = df[(df["period"] == period) & (df["line"] == line)]
    assert len(hit) == 1
    return hit.iloc[0].to_dict()


def test_quarters_growth_and_margin(fin: Workspace) -> None:
    df = financial_lines(fin, brand="Xiaomi")
    ev = _row(df, "2025-Q1", "smart EV")
    assert ev["revenue"] == pytest.approx(18.1e9) and ev["gross_margin"] == pytest.approx(0.232)
    assert ev["growth_prev"] == pytest.approx(18.1 / 16.7 - 1)
    assert ev["margin_change_prev"] == pytest.approx(0.028)
    phones = _row(df, "2025-Q1", "smartphones")
    assert phones["gross_margin"] == pytest.approx(0.124)  # from the cost column
    assert phones["growth_yoy"] == pytest.approx(50.6 / 46.5 - 1)
    assert phones["margin_change_yoy"] == pytest.approx(0.124 - 0.14)
    total = _row(df, "2025-Q1", "all")
    assert total["revenue"] == pytest.approx(68.7e9)
    assert total["gross_margin"] == pytest.approx((18.1 * 0.232 + 50.6 * 0.124) / 68.7)
    assert df.attrs["basis"] == "financials table"


def test_year_window_and_months(fin: Workspace) -> None:
    import datetime as dt

    year = financial_lines(fin, freq="year", line="smart ev")
    assert list(year["period"]) == ["2024", "2025"]
    assert year["revenue"].tolist() == pytest.approx([16.7e9, 18.1e9])
    assert not year["covered"].iloc[1]  # 2025 is covered by Q1 only: no growth claimed
    assert year["growth_yoy"].isna().all()
    months = financial_lines(fin, line="smart EV", freq="month", since=dt.date(2025, 1, 1))
    jan = months[months["period"] == "2025-01"].iloc[0]
    assert jan["revenue"] == pytest.approx(18.1e9 * 31 / 90)
    assert any("split evenly" in n for n in months.attrs["notes"])
