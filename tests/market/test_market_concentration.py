"""Portfolio concentration (top-1, top-3, HHI) against hand-computed values."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from brandhalo.analytics.market import concentration
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put


def test_top_shares_and_hhi(put: Put, mws: Workspace) -> None:
    put.sales(mws, [
        dict(month="2024-01", brand="Xiaomi", product="Mi 14", units=100),
        dict(month="2024-01", brand="Xiaomi", product="Redmi 13", units=300),
        dict(month="2024-01", brand="XIAOMI", product="Mi 14 Ultra", units=100),
        dict(month="2024-01", brand="小米", product="Mi Note", units=100, price=1500.0,
             category="phone"),
        dict(month="2024-01", brand="Xiaomi", product="Total", units=600, category="phone"),
        # February: Mi 14 and Mi Note are missing from the list (missing, not zero).
        dict(month="2024-02", brand="Xiaomi", product="Redmi 13", units=300),
        dict(month="2024-02", brand="Xiaomi", product="Mi 14 Ultra", units=100),
    ])  # fmt: skip
    df = concentration(mws, brand="Xiaomi", category="phone").set_index(["period", "band"])
    jan = df.loc[("2024-01", "all")]
    assert jan["n_models"] == 4 and jan["units"] == pytest.approx(600)
    assert jan["top_model"] == "Redmi 13"
    assert jan["top1_share"] == pytest.approx(0.5)
    assert jan["top3_share"] == pytest.approx(5 / 6)
    assert jan["hhi"] == pytest.approx(0.25 + 3 * (1 / 6) ** 2)
    feb = df.loc[("2024-02", "all")]
    assert feb["n_models"] == 2
    assert feb["hhi"] == pytest.approx(0.75**2 + 0.25**2)
    assert feb["change_prev"] == pytest.approx(0.625 - (0.25 + 3 / 36))
    # Per band: Redmi 13 (1,299) and Mi Note (1,500) share <2000.
    low = df.loc[("2024-01", "<2000")]
    assert low["n_models"] == 2 and low["top1_share"] == pytest.approx(0.75)
    assert low["hhi"] == pytest.approx(0.75**2 + 0.25**2)
    assert df.loc[("2024-01", ">=6000"), "hhi"] == pytest.approx(1.0)
    assert df.attrs["metric"] == "concentration"
