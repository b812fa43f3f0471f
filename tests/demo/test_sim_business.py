"""The seed figures (DESIGN section 1) follow from the generated CSVs by plain arithmetic."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from brandhalo.config import parse_config


def _band(price: float, edges: list[float]) -> float:
    return max(e for e in edges if e <= price)


@pytest.fixture(scope="module")
def sales(sim_dir: Path) -> pd.DataFrame:
    df = pd.read_csv(sim_dir / "sales.csv")
    df["cumulative"] = df.cumulative.astype(str).str.lower() == "true"
    return df


def test_config_is_the_seed_brand_model_and_says_simulated(sim_dir: Path) -> None:
    cfg = parse_config(tomllib.loads((sim_dir / "brandhalo.toml").read_text("utf-8")))
    assert "simulated" in cfg.workspace.name
    assert cfg.own_brand.name == "Xiaomi" and "小米" in cfg.own_brand.aliases
    assert {b.name for b in cfg.brands} == {"Xiaomi", "Huawei", "Apple", "Tesla"}
    personas = {p.name: p for p in cfg.personas}
    assert {"雷军", "雷总"} <= set(personas["Lei Jun"].aliases)
    assert {"余承东", "余大嘴"} <= set(personas["Yu Chengdong"].aliases)
    products = {p.name: p for p in cfg.products}
    assert products["XRING O1"].category == "chip" and "玄戒O1" in products["XRING O1"].aliases
    assert products["SU7"].launched == dt.date(2024, 3, 28)
    assert products["YU7"].launched == dt.date(2025, 6, 26)
    assert products["Model Y"].price_on(dt.date(2024, 5, 1)) == 249900  # price cut kept
    assert cfg.themes == []  # built-in theme set
    assert cfg.price_bands.edges()["phone"] == [0, 2000, 4000, 6000]


def test_phone_band_shares_2024_are_the_seed_figures(sim_dir: Path, sales: pd.DataFrame) -> None:
    market = pd.read_csv(sim_dir / "market.csv")
    edges = [0, 2000, 4000, 6000]
    ph = sales[(sales.category == "phone") & ~sales.cumulative].copy()
    ph = ph[ph.period.str.startswith("2024")]
    ph["low"] = ph.price.map(lambda p: _band(p, edges))
    mk = market[(market.category == "phone") & market.period.str.startswith("2024")]
    xiaomi = ph[ph.brand == "Xiaomi"].groupby("low").units.sum()
    total = mk.groupby("price_low").units.sum()
    assert xiaomi[4000] / total[4000] == pytest.approx(0.175, abs=1e-12)
    assert xiaomi[6000] / total[6000] == pytest.approx(0.05, abs=1e-12)
    # the tracked brands never exceed the market in any band and month
    allb = sales[(sales.category == "phone") & ~sales.cumulative].copy()
    allb["low"] = allb.price.map(lambda p: _band(p, edges))
    tracked = allb.groupby(["period", "low"]).units.sum()
    mkt = market[market.category == "phone"].groupby(["period", "price_low"]).units.sum()
    assert (mkt.reindex(tracked.index).to_numpy() >= tracked.to_numpy()).all()


def test_su7_deliveries_and_pacing(sim_dir: Path, sales: pd.DataFrame) -> None:
    su7 = sales[sales["product"] == "SU7"]
    monthly = su7[~su7.cumulative].set_index("period").units
    milestone = su7[su7.cumulative]
    assert milestone.period.tolist() == ["2025-05-21"]
    ytd = int(milestone.units.iloc[0])
    assert ytd >= 258_000
    assert monthly["2025-04"] >= 28_000
    jan_apr = monthly[["2025-01", "2025-02", "2025-03", "2025-04"]].sum()
    may_1_21 = ytd - jan_apr
    assert 0 < may_1_21 <= monthly["2025-05"]  # the milestone agrees with the monthly rows
    targets = pd.read_csv(sim_dir / "targets.csv")
    target = targets[(targets["product"] == "SU7") & (targets.year == 2025)].units.iloc[0]
    assert target == 350_000
    # DESIGN metric 7, run rate = last full month (April) and = last 30 days: both on track
    left = (dt.date(2025, 12, 31) - dt.date(2025, 5, 21)).days
    assert ytd + monthly["2025-04"] / 30 * left >= target
    last30 = may_1_21 + monthly["2025-04"] * 9 / 30
    assert ytd + last30 / 30 * left >= target
    # SU7 is the best seller above 200,000 yuan in April 2025
    apr = sales[(sales.period == "2025-04") & (sales.category == "car") & (sales.price >= 200000)]
    assert apr.sort_values("units").iloc[-1]["product"] == "SU7"


def test_q1_2025_auto_revenue_and_margin(sim_dir: Path) -> None:
    fin = pd.read_csv(sim_dir / "financials.csv")
    row = fin[(fin.period == "2025Q1") & (fin.line == "smart EV")].iloc[0]
    assert row.brand == "Xiaomi"
    assert row.revenue == 18_100_000_000
    assert row.gross_margin == pytest.approx(0.232)


def test_xiaomi_is_number_one_in_q1_2025_and_has_momentum_history(sales: pd.DataFrame) -> None:
    ph = sales[(sales.category == "phone") & ~sales.cumulative]
    q1 = ph[ph.period.isin(["2025-01", "2025-02", "2025-03"])].groupby("brand").units.sum()
    assert q1.idxmax() == "Xiaomi" and q1["Xiaomi"] == 13_300_000
    months = sorted(ph[ph.brand == "Xiaomi"].period.unique())
    assert months[0] == "2023-01" and months[-1] == "2025-06"  # YoY from 2024-01: 18 points
    by_month = ph[ph.brand == "Xiaomi"].groupby("period").units.sum()
    yoy_spring25 = by_month["2025-04"] / by_month["2024-04"] - 1
    assert yoy_spring25 > 0.1  # business momentum up in spring 2025


def test_events_have_the_real_dates(sim_dir: Path) -> None:
    ev = pd.read_csv(sim_dir / "events.csv")
    dates = dict(zip(ev.title, ev.date, strict=True))
    assert dates["Xiaomi SU7 launch"] == "2024-03-28"
    assert dates["Fatal SU7 crash on an Anhui expressway"] == "2025-03-29"
    assert dates["Xiaomi YU7 launch"] == "2025-06-26"
    assert dates["XRING O1 (玄戒O1) chip launch and self-development doubts"] == "2025-05-22"
    assert set(ev.kind) >= {"launch", "incident", "statement", "controversy"}
