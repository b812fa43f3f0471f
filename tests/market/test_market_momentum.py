"""Business momentum (DESIGN metric 4) with the z-score rules, against hand computation."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

import pytest

from brandhalo.analytics.market import business_momentum
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put

MONTHS = [f"2023-{m:02d}" for m in range(1, 13)] + ["2024-01"]
UNITS = [100, 110, 120, 130, 140, 150, 200, 180, 160, 220, 240, 230, 150]
REVENUE = [10e6] * 12 + [12e6]


def _z(history: list[float]) -> float:
    return (history[-1] - statistics.mean(history)) / statistics.stdev(history)


def _units_growth() -> list[float]:
    """3 months over the 3 before from the 6th month; year over year for 2024-01."""
    g = [sum(UNITS[i - 2 : i + 1]) / sum(UNITS[i - 5 : i - 2]) - 1 for i in range(5, 12)]
    return [*g, UNITS[12] / UNITS[0] - 1]


@pytest.fixture
def history(put: Put, mws: Workspace) -> Workspace:
    put.sales(mws, [dict(month=m, brand="Xiaomi", product="Mi 14", units=u)
                    for m, u in zip(MONTHS, UNITS, strict=True)])  # fmt: skip
    put.rows(mws, "financials", [dict(month=m, brand="小米", line="phones", revenue=r)
                                 for m, r in zip(MONTHS, REVENUE, strict=True)])  # fmt: skip
    put.sales(mws, [dict(month="2024-01", brand="OPPO", product="Find X7", units=40,
                         price=4500.0, category="phone")])  # fmt: skip
    return mws


def test_units_growth_and_z_scores(history: Workspace) -> None:
    df = business_momentum(history, brand="Xiaomi").set_index("month")
    growth = _units_growth()
    assert df.loc["2023-06":"2024-01", "units_growth"].tolist() == pytest.approx(growth)
    assert df.loc["2023-12", "units_growth_basis"] == "3m/3m"
    assert df.loc["2024-01", "units_growth_basis"] == "yoy"
    # Fewer than 6 points of growth history: no z, with the count in the reason.
    assert df.loc["2023-10", "z_units_growth"] != df.loc["2023-10", "z_units_growth"]  # NaN
    assert "5 of 6 points" in df.loc["2023-10", "reason"]
    assert not df.loc["2023-10", "reported"]
    # 2023-11 is the 6th growth value: z over the expanding history, revenue flat -> no z.
    assert df.loc["2023-11", "z_units_growth"] == pytest.approx(_z(growth[:6]))
    assert "revenue growth: no variation" in df.loc["2023-11", "reason"]
    assert df.loc["2023-11", "bm"] == pytest.approx(_z(growth[:6]))
    assert df.loc["2023-11", "n_components"] == 1
    # 2024-01: both units and revenue growth (YoY) have z-scores; BM is their mean.
    rev = [0.0] * 7 + [0.2]
    assert df.loc["2024-01", "revenue_growth"] == pytest.approx(0.2)
    assert df.loc["2024-01", "z_revenue_growth"] == pytest.approx(_z(rev))
    expected = (_z(growth) + _z(rev)) / 2
    assert df.loc["2024-01", "bm"] == pytest.approx(expected)
    assert df.loc["2024-01", "revenue_source"] == "financials"
    assert "premium-band share change not available" in df.loc["2024-01", "reason"]


def test_single_month_is_not_reported_with_the_reason(history: Workspace) -> None:
    df = business_momentum(history, brand="oppo")
    assert len(df) == 1 and not df["reported"].iloc[0]
    assert df["bm"].isna().all()
    assert "1 month of history" in df["reason"].iloc[0]
    assert df["reason"].iloc[0].startswith("not reported")


def test_premium_share_change(put: Put, mws: Workspace) -> None:
    premium_x = [10, 12, 14, 16, 18, 20, 30, 28, 26, 40, 44, 42, 50]
    premium_h = [90] * 13
    rows = []
    for m, x, h in zip(MONTHS, premium_x, premium_h, strict=True):
        rows += [dict(month=m, brand="Xiaomi", product="Xiaomi Pro", units=x, price=7000.0,
                      category="phone"),
                 dict(month=m, brand="Huawei", product="Mate 60", units=h)]  # fmt: skip
    put.sales(mws, rows)
    df = business_momentum(mws, brand="Xiaomi").set_index("month")
    share = [x / (x + 90) for x in premium_x]
    assert df["premium_share"].tolist() == pytest.approx(share)
    change = [statistics.mean(share[i - 2 : i + 1]) - statistics.mean(share[i - 5 : i - 2])
              for i in range(5, 12)] + [share[12] - share[0]]  # fmt: skip
    assert df.loc["2023-06":"2024-01", "premium_share_change"].tolist() == pytest.approx(change)
    assert df.loc["2024-01", "z_premium_share_change"] == pytest.approx(_z(change))
    assert df.attrs["metric_version"] == "1.0"


def test_all_brands_by_default(history: Workspace) -> None:
    df = business_momentum(history)
    assert set(df["brand"]) == {"Xiaomi", "OPPO"}
    assert {"brand", "month", "bm", "reported", "reason"} <= set(df.columns)


def test_metrics_business_momentum_keeps_the_window_and_its_history(history: Workspace) -> None:
    # `brandhalo metrics business_momentum --since` printed from the first month (the window
    # was not passed on); the z-scores of the kept months still read the whole history
    import datetime as dt

    from brandhalo.analytics.metrics import compute_metric

    whole = business_momentum(history, brand="Xiaomi").set_index("month")
    got = compute_metric(history, "business_momentum", brand="Xiaomi",
                         since=dt.date(2023, 10, 1), until=dt.date(2023, 12, 31))  # fmt: skip
    df = got.frame().set_index("month")
    assert [str(m)[:7] for m in df.index] == ["2023-10", "2023-11", "2023-12"]
    want = whole.loc[["2023-10", "2023-11", "2023-12"], "units_growth"].tolist()
    assert df["units_growth"].tolist() == pytest.approx(want)
    assert not any("shown as month" in n for n in got.notes)


def test_until_inside_a_month_leaves_that_month_out(history: Workspace) -> None:
    # `market momentum --until 2023-12-15` listed 2023-12 with the whole month's growth (sales
    # after the "as of" day); the separation index leaves that month out
    import datetime as dt

    cut = business_momentum(history, brand="Xiaomi", until=dt.date(2023, 12, 15))
    whole = business_momentum(history, brand="Xiaomi", until=dt.date(2023, 12, 31))
    assert cut["month"].astype(str).str[:7].max() == "2023-11"
    assert whole["month"].astype(str).str[:7].max() == "2023-12"
