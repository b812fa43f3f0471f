"""The scorecard's premium-band share counts only months the market file covers: a market file
that stops before the sales added the brand's later premium units and no market to them (the
share read 30 % for 15 %); months left out are named, in English and in Chinese. The share is
as of `until`: no later month counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandhalo.analytics.metrics import compute_metric
from brandhalo.ingest import ingest_files
from brandhalo.report.method_notes import method_note
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """
version = 1
products = [
  { name = "Mi 14 Ultra", brand = "Xiaomi", category = "phone", price = 6499 },
]

[workspace]
name = "scorecard share"

[[brands]]
name = "Xiaomi"
aliases = ["小米"]
own = true

[price_bands]
phone = [0, 2000, 4000, 6000]
premium_from = { phone = 6000 }
"""
#: 2024-07..2024-12: 100 premium units a month, 2025-01..2025-06: 300.
SALES_MONTHS = [f"2024-{m:02d}" for m in range(7, 13)] + [f"2025-{m:02d}" for m in range(1, 7)]
#: The market file stops after 2025-02: 1000 premium-band units a month until then.
MARKET_MONTHS = SALES_MONTHS[:8]


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    sales = ["period,brand,product,units,price,category"] + [
        f"{m},Xiaomi,Mi 14 Ultra,{100 if m < '2025' else 300},6499,phone" for m in SALES_MONTHS
    ]
    market = ["period,category,price_band,price_low,price_high,units"] + [
        f"{m},phone,6000+,6000,,1000" for m in MARKET_MONTHS
    ]
    (tmp_path / "sales.csv").write_text("\n".join(sales) + "\n", encoding="utf-8")
    (tmp_path / "market.csv").write_text("\n".join(market) + "\n", encoding="utf-8")
    made = init_workspace(tmp_path / "ws", config_text=CONFIG)
    ingest_files(made, "sales", [tmp_path / "sales.csv"])
    ingest_files(made, "market", [tmp_path / "market.csv"])
    yield made
    made.close()


def test_premium_share_leaves_out_months_without_market_and_says_so(ws: Workspace) -> None:
    got = compute_metric(ws, "scorecard", brand="Xiaomi", until="2025-06-30")
    # (6 x 100 + 2 x 300) / (8 x 1000), not (6 x 100 + 6 x 300) / 8000 = 0.30
    assert got.rows[0]["premium_share"] == pytest.approx(0.15)
    note = next(n for n in got.notes if "premium_share" in n)
    assert note.startswith("Xiaomi: premium_share and its trend leave out 2025-03, 2025-04, "
                           "2025-05, 2025-06: no market units")  # fmt: skip
    zh = method_note("scorecard", "; ".join(got.notes), "zh")
    assert "Xiaomi：高端份额及其趋势未计入 2025-03, 2025-04, 2025-05, 2025-06" in zh
    assert "premium" not in zh


def test_premium_share_is_as_of_until(ws: Workspace) -> None:
    got = compute_metric(ws, "scorecard", brand="Xiaomi", until="2024-12-31")
    assert got.rows[0]["premium_share"] == pytest.approx(0.10)  # 2025's 300s not yet sold
    assert not any("premium_share" in n for n in got.notes)  # every month up to then covered
