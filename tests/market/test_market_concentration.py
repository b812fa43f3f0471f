"""Portfolio concentration (top-1, top-3, HHI) against hand-computed values."""

from __future__ import annotations

import json
from pathlib import Path
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


def _bev_file(path: Path) -> Path:
    """A monthly China BEV sales file shaped like the real one (brand, model, units; no
    category column): Xiaomi's SU7 sells 219,529 and the YU7 (not in the default config)
    153,673 in 2025, plus a competitor."""
    su7 = [12000, 20000, 29000, 28600, 24000, 20000, 15000, 14000, 13500, 14000, 15000, 14429]
    yu7 = [0, 0, 0, 0, 0, 0, 25000, 26000, 27000, 26000, 25000, 24673]
    lines = ["month,brand,model,units"]
    for m in range(12):
        lines.append(f"2025-{m + 1:02d},小米,SU7,{su7[m]}")
        if yu7[m]:
            lines.append(f"2025-{m + 1:02d},小米,YU7,{yu7[m]}")
        lines.append(f"2025-{m + 1:02d},特斯拉,Model Y,40000")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert sum(su7) == 219_529 and sum(yu7) == 153_673
    return path


def test_brand_level_counts_every_product(tmp_path: Path) -> None:
    """Issue 17: a model without a category (YU7) was dropped, giving SU7 100 %, HHI 1.0."""
    from typer.testing import CliRunner

    from brandhalo.cli import app
    from brandhalo.workspace import init_workspace

    init_workspace(tmp_path / "ws").close()  # the default config (SU7 known, YU7 not)
    path = _bev_file(tmp_path / "bev.csv")
    run = CliRunner().invoke
    got = run(app, ["ingest", "sales", str(path), "--map",
                    "period=month,brand=brand,product=model,units=units",
                    "--project", str(tmp_path / "ws")])  # fmt: skip
    assert got.exit_code == 0, got.output
    got = run(app, ["market", "concentration", "--brand", "Xiaomi", "--since", "2025-01-01",
                    "--until", "2025-12-31", "--freq", "year", "--json",
                    "--project", str(tmp_path / "ws")])  # fmt: skip
    assert got.exit_code == 0, got.output
    rows = {(r["category"], r["band"]): r for r in json.loads(got.output)["rows"]}
    whole = rows[("all", "all")]
    assert whole["units"] == pytest.approx(373_202) and whole["n_models"] == 2
    assert whole["top_model"] == "SU7"
    assert round(whole["top1_share"] * 100, 1) == 58.8
    assert round(whole["hhi"], 3) == 0.516
    # Per category: SU7 is a car in the config; YU7 is listed, not dropped.
    assert rows[("car", "all")]["units"] == pytest.approx(219_529)
    assert rows[("uncategorised", "all")]["units"] == pytest.approx(153_673)
    assert rows[("uncategorised", "all")]["top_model"] == "YU7"
    assert {r["brand"] for r in rows.values()} == {"Xiaomi"}


def test_concentration_table_fits_80_columns(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from brandhalo.cli import app
    from brandhalo.workspace import init_workspace

    init_workspace(tmp_path / "ws").close()
    path = _bev_file(tmp_path / "bev.csv")
    run = CliRunner().invoke
    env = {"COLUMNS": "80"}
    project = ["--project", str(tmp_path / "ws")]
    got = run(app, ["ingest", "sales", str(path), "--map",
                    "period=month,brand=brand,product=model,units=units", *project])  # fmt: skip
    assert got.exit_code == 0, got.output
    args = ["market", "concentration", "--brand", "小米", "--freq", "year", "--since",
            "2025-01-01", "--until", "2025-12-31", *project]  # fmt: skip
    out = run(app, args, env=env).output
    assert max(len(line) for line in out.splitlines()) <= 80 and "…" not in out
    assert "brand: Xiaomi" in out and "58.8%" in out and "0.5156" in out
    wide = run(app, [*args, "--wide"], env=env).output
    assert "n_models" in wide and "top3_share" in wide and "period_start" in wide
