"""The simulated demo workspace reproduces the seed case's business figures through the market
functions (computed from the ingested rows, not read back from the simulator)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from brandhalo.analytics.market import band_share, financial_lines, premium_mix, target_pacing
from brandhalo.workspace import Workspace

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    from brandhalo.demo import build_demo_workspace

    root: Path = tmp_path_factory.mktemp("market_demo") / "demo"
    ws, _ = build_demo_workspace(root, seed=7, posts=5000)
    yield ws
    ws.close()


def test_phone_band_shares_2024(demo_ws: Workspace) -> None:
    df = band_share(
        demo_ws, brand="Xiaomi", category="phone", since=dt.date(2024, 1, 1),
        until=dt.date(2024, 12, 31), freq="year",
    )  # fmt: skip
    share = df.set_index("band")["share"]
    assert 0.17 <= share["4000-6000"] <= 0.18
    assert share[">=6000"] == pytest.approx(0.05, abs=0.005)
    assert set(df["basis"]) == {"market table"}
    calendar = band_share(demo_ws, brand="小米", category="phone", freq="year")
    year = calendar[calendar["period"] == "2024"].set_index("band")["share"]
    assert year["4000-6000"] == pytest.approx(share["4000-6000"])


def test_su7_pacing_on_2025_05_21(demo_ws: Workspace) -> None:
    df = target_pacing(demo_ws, dt.date(2025, 5, 21), product="SU7", year=2025)
    row = df.iloc[0]
    assert row["target"] == 350_000
    assert row["cumulative"] >= 258_000
    assert row["data_through"] == dt.date(2025, 5, 21)
    assert bool(row["on_track"])


def test_auto_revenue_and_margin_q1_2025(demo_ws: Workspace) -> None:
    df = financial_lines(
        demo_ws, brand="Xiaomi", since=dt.date(2025, 1, 1), until=dt.date(2025, 3, 31)
    )
    auto = df[df["line"].str.contains("EV|auto|car", case=False, regex=True)]
    assert len(auto) == 1
    assert auto["revenue"].iloc[0] == pytest.approx(18.1e9, rel=1e-3)
    assert auto["gross_margin"].iloc[0] == pytest.approx(0.232, abs=5e-4)


def test_premium_mix_rises_with_the_ultra(demo_ws: Workspace) -> None:
    mix = premium_mix(demo_ws, brand="Xiaomi", category="phone", freq="year").set_index("period")
    assert mix.loc["2024", "premium_mix"] > mix.loc["2023", "premium_mix"]
