"""A sales file by brand and price band (read with the band as the product, as
docs/input-formats.md says) has no models: concentration says so (zh and en in the report)
instead of reporting its bands as models ("Top model 20-30万, HHI 0.50")."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest

from brandhalo.analytics.market import concentration
from brandhalo.analytics.market.concentration import BAND_ROWS_REASON
from brandhalo.ingest import ingest_files

if TYPE_CHECKING:
    from pathlib import Path

    from tests.market.conftest import Put

    from brandhalo.workspace import Workspace

BY_BAND = """Month,Brand,Price band,Units
2025-01,小米,20-30万,500
2025-01,小米,30万以上,500
2025-02,小米,20-30万,600
2025-02,小米,30万以上,400
"""


@pytest.fixture
def banded(mws: Workspace, tmp_path: Path) -> Workspace:
    path = tmp_path / "by_band.csv"
    path.write_text(BY_BAND, "utf-8")
    got = ingest_files(
        mws, "sales", [path], mapping="product=Price band,price_band=Price band,category='car'"
    ).files[0]
    assert (got.inserted, got.quarantined) == (4, 0)
    return mws


def test_price_band_rows_have_no_model_concentration(banded: Workspace) -> None:
    df = concentration(banded, brand="Xiaomi", category="car", freq="month")
    line = df[(df["band"] == "all") & (df["period"] == "2025-01")].iloc[0]
    assert line["units"] == 1000  # the units still add up
    assert line["reason"] == BAND_ROWS_REASON
    assert line["top_model"] is None
    assert all(math.isnan(line[c]) for c in ("hhi", "top1_share", "top3_share", "n_models"))
    assert df["hhi"].isna().all() and df["change_prev"].isna().all()
    notes = " ".join(df.attrs["notes"])
    assert "the sales rows are price bands, not models (Xiaomi" in notes


def test_model_rows_keep_their_hhi_beside_a_banded_brand(banded: Workspace, put: Put) -> None:
    put.sales(banded, [
        dict(month="2025-01", brand="Huawei", product="Mate 60", units=300),
        dict(month="2025-01", brand="Huawei", product="Mate X5", category="phone", units=100,
             price=12999),
    ])  # fmt: skip
    df = concentration(banded, brand="Huawei", category="phone", freq="month")
    line = df[(df["band"] == "all") & (df["period"] == "2025-01")].iloc[0]
    assert line["hhi"] == pytest.approx(0.75**2 + 0.25**2)
    assert (line["top_model"], line["n_models"], line["reason"]) == ("Mate 60", 2, None)
    assert not any("price bands, not models" in n for n in df.attrs["notes"])


@pytest.mark.parametrize(
    ("lang", "cell", "note"),
    [
        ("en", "not available: price bands, not models", "the sales rows are price bands"),
        ("zh", "不适用：销售数据按价格段，不是按型号", "销售数据按价格段而不是按型号提供"),
    ],
)
def test_the_report_says_not_available(banded: Workspace, lang: str, cell: str, note: str) -> None:
    from brandhalo.report.model import build_report_model

    model = build_report_model(banded, brand="Xiaomi", lang=lang)
    section = next(s for s in model.sections if s.key == "concentration")
    table = section.tables[0]
    assert table.rows and all(row[4] == cell for row in table.rows)
    assert all(row[7] is None for row in table.rows)  # no HHI
    assert not any(row[4] in ("20-30万", "30万以上") for row in table.rows)
    assert any(note in n for n in section.notes)
