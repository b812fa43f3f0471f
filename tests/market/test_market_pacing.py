"""Target pacing with daily, monthly, mixed and milestone deliveries (hand-computed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from brandhalo.analytics.market import target_pacing
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put

D = dt.date


def _one(ws: Workspace, as_of: dt.date) -> dict:
    df = target_pacing(ws, as_of)
    assert len(df) == 1
    return df.iloc[0].to_dict()


def _monthly(put: Put, ws: Workspace, units: dict[str, float], product: str = "SU7") -> None:
    put.sales(
        ws, [dict(month=m, brand="Xiaomi", product=product, units=u) for m, u in units.items()]
    )


def _milestone(
    put: Put,
    ws: Workspace,
    start: dt.date,
    end: dt.date,
    units: float,
    brand: str = "Xiaomi",
    product: str = "SU7",
) -> None:
    """A cumulative row: `units` delivered from `start` to `end` (the year to date at `end`)."""
    put.sales(ws, [dict(period_start=start, period_end=end, grain="day", cumulative=True,
                        brand=brand, product=product, units=units)])  # fmt: skip


def _target(put: Put, ws: Workspace, units: float, brand: str = "Xiaomi") -> None:
    put.rows(ws, "targets", [dict(brand=brand, product="SU7", year=2025, units=units)])


def test_daily_deliveries_use_the_last_30_days(put: Put, mws: Workspace) -> None:
    days = [D(2025, 1, 1) + dt.timedelta(days=i) for i in range(90)]  # to 2025-03-31
    put.sales(mws, [dict(day=d, brand="Xiaomi", product="SU7", units=100) for d in days])
    _target(put, mws, 50000)
    r = _one(mws, D(2025, 3, 31))
    assert r["cumulative"] == pytest.approx(9000)
    assert r["run_rate_basis"] == "last 30 days"
    assert r["run_rate_per_day"] == pytest.approx(100)
    assert r["days_left"] == 275
    assert r["projected_year_end"] == pytest.approx(9000 + 100 * 275)
    assert r["required_per_day"] == pytest.approx((50000 - 9000) / 275)
    assert not r["on_track"]


def test_monthly_plus_milestone_mixed_frequency(put: Put, mws: Workspace) -> None:
    # Jan-Apr monthly rows, a May row, and the cumulative milestone on 21 May.
    _monthly(put, mws, {"2025-01": 20000, "2025-02": 22000, "2025-03": 29000, "2025-04": 28000,
                   "2025-05": 31000})  # fmt: skip
    _milestone(put, mws, D(2025, 1, 1), D(2025, 5, 21), 121410, brand="小米", product="小米SU7")
    _target(put, mws, 300000, brand="XIAOMI")
    r = _one(mws, D(2025, 5, 21))
    # The milestone is the truth at its date: the flows give 99,000 + 21 x 1,000 = 120,000;
    # the 1,410 they miss are spread over the 141 days (10 a day).
    assert r["cumulative"] == pytest.approx(121410)
    assert r["data_through"] == D(2025, 5, 21)
    assert r["run_rate_basis"] == "last full month 2025-04"
    assert r["run_rate_per_day"] == pytest.approx((28000 + 30 * 10) / 30)
    assert r["days_left"] == 224
    assert r["projected_year_end"] == pytest.approx(121410 + 224 * (28300 / 30))
    assert r["required_per_day"] == pytest.approx((300000 - 121410) / 224)
    assert r["on_track"]


def test_milestone_only_uses_the_year_to_date_average(put: Put, mws: Workspace) -> None:
    _milestone(put, mws, D(2025, 5, 21), D(2025, 5, 21), 258000)
    _target(put, mws, 350000)
    r = _one(mws, D(2025, 5, 21))
    assert r["cumulative"] == pytest.approx(258000)
    assert r["run_rate_basis"] == "year-to-date average"
    assert r["run_rate_per_day"] == pytest.approx(258000 / 141)
    assert r["pct_of_target"] == pytest.approx(258000 / 350000)
    assert r["on_track"]


def test_monthly_rows_are_prorated_to_as_of(put: Put, mws: Workspace) -> None:
    _monthly(put, mws, {"2025-01": 31000, "2025-02": 28000, "2025-03": 62000})
    _target(put, mws, 100000)
    r = _one(mws, D(2025, 2, 14))
    assert r["cumulative"] == pytest.approx(31000 + 14 * 1000)
    assert r["run_rate_basis"] == "last full month 2025-01"
    assert r["run_rate_per_day"] == pytest.approx(1000)
    assert "pro-rated" in r["reason"]
    # Data after as_of are ignored.
    assert r["data_through"] == D(2025, 2, 14)


def test_missing_month_is_missing_not_zero(put: Put, mws: Workspace) -> None:
    _monthly(put, mws, {"2025-01": 31000, "2025-03": 31000})
    _target(put, mws, 100000)
    r = _one(mws, D(2025, 3, 31))
    assert r["cumulative"] == pytest.approx(62000)
    assert "28 days" in r["reason"] and "missing" in r["reason"]
    assert r["run_rate_basis"] == "last full month 2025-03"


def test_targets_that_cannot_be_paced_say_why(put: Put, mws: Workspace) -> None:
    _monthly(put, mws, {"2025-01": 31000})
    put.rows(mws, "targets", [
        dict(brand="Xiaomi", product="SU7", year=2026, units=1),
        dict(brand="Xiaomi", product="YU9", year=2025, units=1),
    ])  # fmt: skip
    df = target_pacing(mws, D(2025, 1, 31)).set_index("product")
    assert not df["reported"].any()
    assert "has not started" in df.loc["SU7", "reason"]
    assert "no sales rows" in df.loc["YU9", "reason"]


def test_category_and_brand_level_targets(put: Put, mws: Workspace) -> None:
    _monthly(put, mws, {"2025-01": 31000})
    put.sales(mws, [dict(month="2025-01", brand="Xiaomi", product="Mi 14", units=500)])
    put.rows(mws, "targets", [
        dict(brand="Xiaomi", product="汽车", year=2025, units=400000),
        dict(brand="Xiaomi", product="total", year=2025, units=1000000),
    ])  # fmt: skip
    df = target_pacing(mws, D(2025, 1, 31)).set_index("matched")
    assert df.loc["category", "cumulative"] == pytest.approx(31000)
    assert df.loc["brand", "cumulative"] == pytest.approx(31500)


def test_default_as_of_is_the_last_data_day(put: Put, mws: Workspace) -> None:
    _monthly(put, mws, {"2025-01": 31000, "2025-02": 28000})
    _target(put, mws, 100000)
    df = target_pacing(mws)
    assert df.attrs["params"]["as_of"] == D(2025, 2, 28)
    assert df["cumulative"].iloc[0] == pytest.approx(59000)


def test_daily_and_monthly_files_agree_at_month_ends(put: Put, make_ws: Callable) -> None:
    """The same deliveries as day rows or as month sums give the same pacing at a month end."""
    days = [D(2025, 1, 1) + dt.timedelta(days=i) for i in range(120)]  # to 2025-04-30
    units = [50 + (i * 37) % 90 for i in range(120)]
    daily, monthly = make_ws("daily"), make_ws("monthly")
    put.sales(daily, [dict(day=d, brand="Xiaomi", product="SU7", units=u)
                      for d, u in zip(days, units, strict=True)])  # fmt: skip
    sums: dict[str, float] = {}
    for d, u in zip(days, units, strict=True):
        sums[f"{d:%Y-%m}"] = sums.get(f"{d:%Y-%m}", 0) + u
    put.sales(monthly, [dict(month=m, brand="Xiaomi", product="SU7", units=u)
                        for m, u in sums.items()])  # fmt: skip
    for ws in (daily, monthly):
        _target(put, ws, 40000)
    a, b = _one(daily, D(2025, 4, 30)), _one(monthly, D(2025, 4, 30))
    assert a["cumulative"] == pytest.approx(b["cumulative"]) == pytest.approx(sum(units))
    assert (
        a["run_rate_basis"] == "last 30 days" and b["run_rate_basis"] == "last full month 2025-04"
    )
    assert a["run_rate_per_day"] == pytest.approx(b["run_rate_per_day"])  # April has 30 days
