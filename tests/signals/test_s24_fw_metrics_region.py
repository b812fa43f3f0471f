"""`brandhalo metrics <market metric> --region R` reads one region's sales rows, as
`brandhalo market ... --region` does (walk-through s24: the option was on `market` only), and
a region given to a metric that is not a market one is refused with a sentence saying so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo.analytics.metrics import compute_metric
from brandhalo.cli import app
from brandhalo.errors import InputError
from brandhalo.workspace import Workspace, init_workspace

CONFIG = """
version = 1
[workspace]
name = "region test"

[[brands]]
name = "Xiaomi"
aliases = ["小米", "Xiaomi"]
own = true

[[brands]]
name = "Huawei"
aliases = ["华为", "Huawei"]

[[products]]
name = "Mi 14"
brand = "Xiaomi"
category = "phone"
price = 4999

[[products]]
name = "Mate 60"
brand = "Huawei"
category = "phone"
price = 6999

[price_bands]
phone = [0, 2000, 4000, 6000]
premium_from = { phone = 6000 }
"""

#: units per (region, product) in 2025-04: Xiaomi has 1/4 of 广东, 4/5 of 北京, 5/9 of both
UNITS = {("广东", "Mi 14"): 100, ("广东", "Mate 60"): 300,
         ("北京", "Mi 14"): 400, ("北京", "Mate 60"): 100}  # fmt: skip


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    ws = init_workspace(tmp_path / "ws", config_text=CONFIG)
    ws.close()
    lines = ["month,brand,product,units,region,category"]
    for (region, product), n in UNITS.items():
        brand = "Xiaomi" if product == "Mi 14" else "Huawei"
        lines.append(f"2025-04,{brand},{product},{n},{region},phone")
    sales = tmp_path / "sales.csv"
    sales.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = CliRunner().invoke(app, ["ingest", "sales", str(sales), "-p", str(ws.root)])
    assert got.exit_code == 0, got.output
    return Workspace.open(ws.root)


def _xiaomi_share(rows: list[dict]) -> float:
    (row,) = [r for r in rows if r["brand"] == "Xiaomi" and r["band"] == "all"
              and r["period"] == "2025-04"]  # fmt: skip
    return float(row["share"])


def test_compute_metric_reads_one_region(ws: Workspace) -> None:
    with ws:
        every = compute_metric(ws, "price_band_share", brand="Xiaomi", freq="month")
        canton = compute_metric(ws, "price_band_share", brand="Xiaomi", freq="month",
                                region="广东")  # fmt: skip
        beijing = compute_metric(ws, "price_band_share", brand="Xiaomi", freq="month",
                                 region="北京")  # fmt: skip
    assert _xiaomi_share(every.rows) == pytest.approx(5 / 9)
    assert _xiaomi_share(canton.rows) == pytest.approx(1 / 4)
    assert _xiaomi_share(beijing.rows) == pytest.approx(4 / 5)
    assert canton.params["region"] == "广东" and "region" not in every.params


def test_region_on_an_opinion_metric_is_refused(ws: Workspace) -> None:
    with ws, pytest.raises(InputError, match="--region applies to the market metrics only"):
        compute_metric(ws, "net_sentiment", region="广东")


def test_cli_metrics_region(ws: Workspace) -> None:
    root = str(ws.root)
    ws.close()
    got = CliRunner().invoke(app, ["metrics", "price_band_share", "--brand", "Xiaomi",
                                   "--freq", "month", "--region", "北京", "--json", "-p", root])  # fmt: skip
    assert got.exit_code == 0, got.output
    body = json.loads(got.stdout)
    assert body["params"]["region"] == "北京"
    assert _xiaomi_share(body["rows"]) == pytest.approx(4 / 5)
    refused = CliRunner().invoke(app, ["metrics", "buzz", "--region", "北京", "-p", root])
    assert isinstance(refused.exception, InputError)  # the console script prints it as error:
    assert "--region applies to the market metrics only" in str(refused.exception)
