"""A tracker file of US and EU rows (no national row) added up silently: units of two markets
summed, dollars and euros summed, `Under €100` read as `Under $100` (walk-through s23 w2). The
market metrics now say so in a note, and `--region` reads one region; regions of one currency
(provinces) add up without a word, as docs/metrics-market.md says."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from brandhalo.analytics.market import band_share
from brandhalo.analytics.market.regions import label_currency, region_currency
from brandhalo.cli import app
from brandhalo.errors import NotFoundError
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put


def _rows(regions: dict[str, str]) -> list[dict]:
    """Mi 14 and Mate 60 in 2025-04 per region; `regions` maps region -> currency sign."""
    units = {"Mi 14": 100.0, "Mate 60": 300.0}
    rows = []
    for i, (region, sign) in enumerate(regions.items()):
        for product, n in units.items():
            brand = "Xiaomi" if product == "Mi 14" else "Huawei"
            rows.append(dict(month="2025-04", brand=brand, product=product, units=n * (i + 1),
                             region=region, category="phone", price_band=f"{sign}4000+"))  # fmt: skip
    return rows


def _all(df) -> dict[str, float]:  # noqa: ANN001
    got = df[(df["band"] == "all") & (df["period"] == "2025-04")]
    return {str(r.brand): float(r.units) for r in got.itertuples()}


def test_us_and_eu_rows_are_noted_and_one_region_can_be_read(put: Put, mws: Workspace) -> None:
    put.sales(mws, _rows({"US": "$", "EU": "€"}))
    every = band_share(mws, category="phone")
    assert _all(every) == {"Xiaomi": 300.0, "Huawei": 900.0}  # still added up, but said
    note = next(n for n in every.attrs["notes"] if "different currencies" in n)
    assert "EU (EUR), US (USD)" in note and "--region" in note
    us = band_share(mws, category="phone", region="us")
    assert _all(us) == {"Xiaomi": 100.0, "Huawei": 300.0}
    assert not [n for n in us.attrs["notes"] if "different currencies" in n]
    with pytest.raises(NotFoundError, match=r"region 'Asia' is not in the sales rows \(regions: "
                       r"EU, US\)"):  # fmt: skip
        band_share(mws, category="phone", region="Asia")


def test_cli_region_option(put: Put, mws: Workspace) -> None:
    put.sales(mws, _rows({"US": "$", "EU": "€"}))
    for command in ("share", "mix", "concentration"):
        got = CliRunner().invoke(app, ["market", command, "--category", "phone", "--region",
                                       "EU", "--json", "--project", str(mws.root)])  # fmt: skip
        assert got.exit_code == 0, got.output
        body = json.loads(got.stdout)
        assert body["params"]["region"] == "EU"
        units = {r["brand"]: r.get("units") for r in body["rows"]
                 if r.get("band", "all") == "all" and r.get("category") == "phone"}  # fmt: skip
        if command != "mix":
            assert units == {"Xiaomi": 200.0, "Huawei": 600.0}, units


def test_regions_of_one_currency_add_up_without_a_note(put: Put, mws: Workspace) -> None:
    put.sales(mws, _rows({"广东": "", "北京": ""}))
    df = band_share(mws, category="phone")
    assert _all(df) == {"Xiaomi": 300.0, "Huawei": 900.0}
    assert not [n for n in df.attrs["notes"] if "currenc" in n]


def test_currency_of_a_label_or_a_region() -> None:
    assert [label_currency(x) for x in ("Under €100", "$100-$199", "£50+", "2000-4000",
                                         "15-25万", "usd 100+", "Business")] == [
        "EUR", "USD", "GBP", None, None, "USD", None]  # fmt: skip
    assert region_currency("UK", None) == "GBP"
    assert region_currency("EU", ["Under $100"]) == "USD"  # the labels say what was written
    assert region_currency("Mars", []) is None
