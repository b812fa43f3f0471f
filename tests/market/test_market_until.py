"""An "as of" question (``--until`` inside a period) counts the period only through `until`
and marks it partial (issue 17); hand-computed numbers."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import pytest

from brandhalo.analytics.market import concentration, financial_lines
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put

UNTIL = dt.date(2025, 5, 21)


@pytest.fixture
def q2(put: Put, mws: Workspace) -> Workspace:
    """Mi 14 and Redmi 13 monthly in 2025-Q2; revenue per quarter (1e9 a day in Q2)."""
    put.sales(mws, [
        dict(month="2025-04", brand="Xiaomi", product="Mi 14", units=300),
        dict(month="2025-04", brand="Xiaomi", product="Redmi 13", units=300),
        dict(month="2025-05", brand="Xiaomi", product="Mi 14", units=310),  # 10 a day
        dict(month="2025-05", brand="Xiaomi", product="Redmi 13", units=620),  # 20 a day
        dict(month="2025-06", brand="Xiaomi", product="Mi 14", units=3000),
        dict(month="2025-06", brand="Xiaomi", product="Redmi 13", units=30),
    ])  # fmt: skip
    put.rows(mws, "financials", [
        dict(quarter="2025-Q1", brand="Xiaomi", line="smartphones", revenue=90e9,
             gross_margin=0.2),
        dict(quarter="2025-Q2", brand="Xiaomi", line="smartphones", revenue=91e9,
             gross_margin=0.25),
    ])  # fmt: skip
    return mws


def _all(df):  # noqa: ANN001, ANN202
    return df[(df["category"] == "all") & (df["band"] == "all")].set_index("period")


def test_concentration_counts_the_quarter_through_until(q2: Workspace) -> None:
    row = _all(concentration(q2, brand="Xiaomi", until=UNTIL, freq="quarter")).loc["2025-Q2"]
    mi, redmi = 300 + 21 * 10, 300 + 21 * 20  # April, then 1-21 May
    assert row["units"] == pytest.approx(mi + redmi)
    assert row["top_model"] == "Redmi 13"
    assert row["top1_share"] == pytest.approx(redmi / (mi + redmi))
    assert row["hhi"] == pytest.approx((mi**2 + redmi**2) / (mi + redmi) ** 2)
    assert bool(row["partial"])
    whole = _all(concentration(q2, brand="Xiaomi", freq="quarter")).loc["2025-Q2"]
    assert whole["units"] == pytest.approx(300 + 310 + 3000 + 300 + 620 + 30)
    assert whole["top_model"] == "Mi 14" and not bool(whole["partial"])


def test_a_current_year_the_data_ends_inside_is_partial(q2: Workspace) -> None:
    year = _all(concentration(q2, brand="Xiaomi", freq="year")).loc["2025"]
    assert bool(year["partial"])
    assert year["units"] == pytest.approx(4560)  # nothing cut: the data ends on 30 June
    cut = _all(concentration(q2, brand="Xiaomi", until=UNTIL, freq="year")).loc["2025"]
    assert bool(cut["partial"]) and cut["units"] == pytest.approx(510 + 720)


def test_financial_lines_cut_at_until_without_growth(q2: Workspace) -> None:
    df = financial_lines(q2, brand="Xiaomi", until=UNTIL).set_index("period")
    q = df.loc["2025-Q2"]
    assert q["revenue"] == pytest.approx(51e9)  # 30 April days + 21 May days at 1e9
    assert q["gross_margin"] == pytest.approx(0.25)
    assert bool(q["partial"]) and bool(q["covered"])
    assert math.isnan(q["growth_prev"])  # a cut quarter is not a drop
    assert df.loc["2025-Q1", "revenue"] == pytest.approx(90e9)
    assert not bool(df.loc["2025-Q1", "partial"])
    whole = financial_lines(q2, brand="Xiaomi").set_index("period").loc["2025-Q2"]
    assert whole["revenue"] == pytest.approx(91e9) and not bool(whole["partial"])
    assert whole["growth_prev"] == pytest.approx(91 / 90 - 1)
