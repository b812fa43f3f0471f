"""A quarter cut by ``--until`` (an analyst's deck "as of 15 May") is marked partial in band
share and premium mix, says through which day it counts, and is compared with the same days of
the previous quarter and of the year before: comparing 1 Apr-15 May with the whole of Q1 or of
last year's Q2 read as a fall that was only the missing six weeks (walk-through s23 w3).

The expected numbers come from a day-by-day sum written here (monthly rows spread evenly over
their days), not from the library.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from typer.testing import CliRunner

from brandhalo.analytics.market import band_share, premium_mix
from brandhalo.cli import app
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put

UNTIL = dt.date(2026, 5, 15)

#: (brand, product, price) -> units per month. Mi 14 Pro (6500) is Xiaomi's premium model;
#: Mate 60 (6999, from the config) is premium too; Mi 14 (4999) is not.
MONTHS = ("2025-04", "2025-05", "2025-06", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05")
SALES = {
    ("Xiaomi", "Mi 14", None): (300, 310, 3000, 310, 280, 3100, 300, 310),
    ("Xiaomi", "Mi 14 Pro", 6500): (300, 310, 0, 310, 560, 0, 300, 310),
    ("Huawei", "Mate 60", None): (300, 620, 300, 310, 560, 310, 300, 310),
}


def _units(brand: str | None, first: dt.date, last: dt.date, premium: bool = False) -> float:
    """Units of `brand` (None: every brand) from `first` to `last`, month rows spread by day."""
    total = 0.0
    for (b, product, _price), units in SALES.items():
        if (brand is not None and b != brand) or (premium and product == "Mi 14"):
            continue
        for month, n in zip(MONTHS, units, strict=True):
            start = dt.date.fromisoformat(month + "-01")
            end = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
            days = (min(end, last) - max(start, first)).days + 1
            total += n * max(days, 0) / ((end - start).days + 1)
    return total


def _share(first: dt.date, last: dt.date) -> float:
    return _units("Xiaomi", first, last) / _units(None, first, last)


def _mix(first: dt.date, last: dt.date) -> float:
    return _units("Xiaomi", first, last, premium=True) / _units("Xiaomi", first, last)


@pytest.fixture
def sales(put: Put, mws: Workspace) -> Workspace:
    rows = []
    for (brand, product, price), units in SALES.items():
        for month, n in zip(MONTHS, units, strict=True):
            row = dict(month=month, brand=brand, product=product, units=n, category="phone")
            if price is not None:
                row["price"] = price
            rows.append(row)
    put.sales(mws, rows)
    return mws


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_a_cut_quarter_is_partial_and_compared_over_the_same_days(sales: Workspace) -> None:
    df = band_share(sales, brand="Xiaomi", category="phone", since=_d("2026-01-01"),
                    until=UNTIL, freq="quarter")  # fmt: skip
    rows = df[df["band"] == "all"].set_index("period")
    q2, q1 = rows.loc["2026-Q2"], rows.loc["2026-Q1"]
    assert bool(q2["partial"]) and pd.Timestamp(q2["through"]).date() == UNTIL
    assert q2["share"] == pytest.approx(_share(_d("2026-04-01"), UNTIL))
    # the same days: 1 Jan-15 Feb 2026 and 1 Apr-15 May 2025, not the whole quarters
    same_prev = _share(_d("2026-01-01"), _d("2026-02-15"))
    same_yoy = _share(_d("2025-04-01"), _d("2025-05-15"))
    assert q2["share_prev"] == pytest.approx(same_prev)
    assert q2["share_yoy"] == pytest.approx(same_yoy)
    assert q2["change_yoy"] == pytest.approx(q2["share"] - same_yoy)
    whole_prev = _share(_d("2026-01-01"), _d("2026-03-31"))
    assert abs(same_prev - whole_prev) > 0.1  # the numbers tell the two apart
    assert not bool(q1["partial"]) and q1["share"] == pytest.approx(whole_prev)
    assert list(rows.index) == ["2026-Q1", "2026-Q2"]  # the comparison windows are not rows
    note = next(n for n in df.attrs["notes"] if "2026-Q2 is partial" in n)
    assert "2026-04-01 to 2026-05-15" in note
    assert "2026-Q1 (2026-01-01 to 2026-02-15)" in note
    assert "2025-Q2 (2025-04-01 to 2025-05-15)" in note


def test_a_quarter_the_data_end_inside_is_compared_over_its_days(sales: Workspace) -> None:
    rows = band_share(sales, brand="Xiaomi", category="phone", freq="quarter")
    q2 = rows[rows["band"] == "all"].set_index("period").loc["2026-Q2"]
    # the data end on 31 May: Q2 2026 is partial (data), compared with 1 Apr-31 May 2025
    assert bool(q2["partial"])
    assert q2["share_yoy"] == pytest.approx(_share(_d("2025-04-01"), _d("2025-05-31")))
    q1 = rows[rows["band"] == "all"].set_index("period").loc["2026-Q1"]
    assert not bool(q1["partial"]) and pd.isna(q1["share_yoy"])  # no 2025-Q1: missing


def test_premium_mix_compares_the_same_days(sales: Workspace) -> None:
    df = premium_mix(sales, brand="Xiaomi", category="phone", since=_d("2026-01-01"),
                     until=UNTIL, freq="quarter")  # fmt: skip
    q2 = df.set_index("period").loc["2026-Q2"]
    assert bool(q2["partial"])
    assert q2["premium_mix"] == pytest.approx(_mix(_d("2026-04-01"), UNTIL))
    assert q2["premium_mix_prev"] == pytest.approx(_mix(_d("2026-01-01"), _d("2026-02-15")))
    assert q2["premium_mix_yoy"] == pytest.approx(_mix(_d("2025-04-01"), _d("2025-05-15")))


def test_a_month_cut_on_its_last_day_compares_with_the_whole_shorter_month(
    sales: Workspace,
) -> None:
    """March through the 30th: 30 February does not exist, so all of February counts."""
    df = band_share(sales, brand="Xiaomi", category="phone", since=_d("2026-03-01"),
                    until=_d("2026-03-30"), freq="month")  # fmt: skip
    mar = df[df["band"] == "all"].set_index("period").loc["2026-03"]
    assert bool(mar["partial"])
    assert mar["share_prev"] == pytest.approx(_share(_d("2026-02-01"), _d("2026-02-28")))


def test_cli_share_json_and_out_carry_partial(sales: Workspace, tmp_path) -> None:
    out = tmp_path / "share_q.xlsx"
    args = ["market", "share", "--brand", "Xiaomi", "--category", "phone", "--freq", "quarter",
            "--since", "2026-01-01", "--until", "2026-05-15", "--project", str(sales.root)]  # fmt: skip
    got = CliRunner().invoke(app, [*args, "--json"])
    assert got.exit_code == 0, got.output
    rows = [r for r in json.loads(got.stdout)["rows"] if r["band"] == "all"]
    q2 = next(r for r in rows if r["period"] == "2026-Q2")
    assert q2["partial"] is True and q2["through"] == "2026-05-15"
    got = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert got.exit_code == 0, got.output
    frame = pd.read_excel(out)
    q2x = frame[(frame["period"] == "2026-Q2") & (frame["band"] == "all")].iloc[0]
    assert bool(q2x["partial"]) and q2x["share_yoy"] == pytest.approx(q2["share_yoy"])


@pytest.mark.parametrize("command", ["mix", "concentration", "momentum"])
def test_every_market_command_writes_out(sales: Workspace, tmp_path, command: str) -> None:
    """`brandhalo market share|mix|... --out FILE` writes what --json holds (CSV with a BOM
    for Excel); a file name without a table ending fails before anything is computed."""
    base = ["market", command, "--brand", "Xiaomi", "--project", str(sales.root)]
    want = json.loads(CliRunner().invoke(app, [*base, "--json"]).stdout)["rows"]
    out = tmp_path / f"{command}.csv"
    got = CliRunner().invoke(app, [*base, "--out", str(out)])
    assert got.exit_code == 0, got.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert len(want) >= 1 and len(frame) == len(want) and set(want[0]) <= set(frame.columns)
    bad = CliRunner().invoke(app, [*base, "--out", str(tmp_path / "x.txt")])
    assert bad.exit_code != 0 and "name the file with one of" in str(bad.exception)
