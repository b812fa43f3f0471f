"""An analyst's own business files through `brandhalo market ...`: what a table does not show
is said (rows split across periods, data that stop before the as-of day, filters that match
nothing), and the trend columns read as percentages and points."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from typer.testing import CliRunner

from brandhalo.analytics.market import business_momentum, premium_mix, target_pacing
from brandhalo.cli import app
from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from tests.market.conftest import Put


def _cli(ws: Workspace, *args: str) -> tuple[int, str]:
    """Exit code, and the output with the error of a failed command."""
    result = CliRunner().invoke(app, ["market", *args, "--project", str(ws.root)])
    error = str(result.exception) if result.exception else ""
    return result.exit_code, result.output + error


def test_a_quarter_row_asked_for_by_month_is_said_to_be_split(put: Put, mws: Workspace) -> None:
    """Huawei reports a quarter, Xiaomi months: by month, Huawei's months are an even split
    of the quarter (an estimate), and the notes say which rows; by quarter nothing is split."""
    put.sales(mws, [
        dict(month="2025-04", brand="小米", product="Mi 14 Ultra", units=250),
        dict(period_start=dt.date(2025, 4, 1), period_end=dt.date(2025, 6, 30), grain="quarter",
             brand="华为", product="Mate 60", units=910),
    ])  # fmt: skip
    put.rows(mws, "market", [dict(quarter="2025-Q2", category="phone", price_band="6000+",
                                  units=9100)])  # fmt: skip
    monthly = premium_mix(mws, freq="month")
    notes = " ".join(monthly.attrs["notes"])
    assert "1 sales row and 1 market row cover more than one month" in notes
    assert "Huawei Mate 60 2025-04-01..2025-06-30" in notes
    assert "market phone 6000+ 2025-04-01..2025-06-30" in notes
    april = monthly[(monthly["period"] == "2025-04") & (monthly["brand"] == "Huawei")]
    assert round(float(april["premium_units"].iloc[0])) == 300  # 910 x 30/91, an estimate
    quarterly = premium_mix(mws, freq="quarter")
    assert not any("more than one" in n for n in quarterly.attrs["notes"])


def test_monthly_rows_by_month_carry_no_split_note(put: Put, mws: Workspace) -> None:
    put.sales(mws, [dict(month=f"2025-0{m}", brand="Xiaomi", product="Mi 14", units=100)
                    for m in (1, 2, 3)])  # fmt: skip
    frame = premium_mix(mws, freq="month", until=dt.date(2025, 3, 15))
    assert not any("more than one" in n for n in frame.attrs["notes"])
    # an "as of" window cuts March at the 15th: pro-rated (partial), not a split
    window = premium_mix(mws, freq="year", since=dt.date(2025, 1, 1), until=dt.date(2025, 3, 15))
    assert not any("more than one" in n for n in window.attrs["notes"])
    # a window that starts mid-January does split January's row
    late = premium_mix(mws, freq="year", since=dt.date(2025, 1, 16), until=dt.date(2025, 3, 31))
    assert any("Xiaomi Mi 14 2025-01-01..2025-01-31" in n for n in late.attrs["notes"])


def test_pacing_says_when_a_product_stops_before_the_as_of_day(put: Put, mws: Workspace) -> None:
    """Mi 14 is reported through March, SU7 through June: as of 30 June, Mi 14's cumulative
    and projection stop at 31 March, and its reason says the 91 days after are missing."""
    put.sales(mws, [dict(month=f"2025-0{m}", brand="Xiaomi", product="Mi 14", units=3100)
                    for m in (1, 2, 3)])  # fmt: skip
    put.sales(mws, [dict(month="2025-06", brand="Xiaomi", product="SU7", units=30000)])
    put.rows(mws, "targets", [dict(brand="Xiaomi", product="Mi 14", year=2025, units=40000)])
    row = target_pacing(mws).iloc[0]
    assert str(row["as_of"]) == "2025-06-30" and str(row["data_through"]) == "2025-03-31"
    assert "no deliveries reported from 2025-04-01 to 2025-06-30 (91 days" in row["reason"]
    on_time = target_pacing(mws, dt.date(2025, 3, 31)).iloc[0]
    assert on_time["reason"] is None or "no deliveries reported from" not in on_time["reason"]


def test_pacing_filter_that_matches_no_target_lists_the_targets(put: Put, mws: Workspace) -> None:
    put.sales(mws, [dict(month="2025-01", brand="Xiaomi", product="SU7", units=20000)])
    put.rows(mws, "targets", [dict(brand="Xiaomi", product="SU7", year=2025, units=350000)])
    frame = target_pacing(mws, product="YU7")
    assert len(frame) == 0
    assert frame.attrs["notes"][-1] == (
        "no stored target matches the --brand/--product/--year asked for; the targets are "
        "Xiaomi SU7 2025"
    )


def test_financials_unknown_line_is_an_error_naming_the_lines(put: Put, mws: Workspace) -> None:
    put.rows(mws, "financials", [
        dict(quarter="2025-Q1", brand="Xiaomi", line="手机", revenue=50.6e9),
        dict(quarter="2025-Q1", brand="Xiaomi", line="汽车", revenue=18.1e9),
    ])  # fmt: skip
    mws.close()
    code, out = _cli(mws, "financials", "--line", "电视")
    assert code != 0
    assert "business line '电视' is not in the financials; use one of 手机, 汽车 or all" in out
    code, out = _cli(mws, "financials", "--brand", "华为", "--line", "手机")
    assert code != 0 and "Huawei has no financials rows" in " ".join(out.split())
    code, out = _cli(mws, "financials", "--line", "手机")
    assert code == 0 and "50,600,000,000" in out


def test_momentum_window_keeps_the_history_and_reads_in_points(put: Put, mws: Workspace) -> None:
    """--since/--until pick months; the z-scores are those of the whole history, and the
    premium share change is shown in percentage points like every other change."""
    months = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
    put.sales(mws, [
        *(dict(month=mo, brand="Xiaomi", product="Mi 14", units=1000 + 37 * i)
          for i, mo in enumerate(months)),
        *(dict(month=mo, brand="Xiaomi", product="Mi 14 Ultra", units=100 + 11 * i)
          for i, mo in enumerate(months)),
        *(dict(month=mo, brand="Huawei", product="Mate 60", units=500) for mo in months),
    ])  # fmt: skip
    full = business_momentum(mws, "Xiaomi")
    window = business_momentum(mws, "Xiaomi", since=dt.date(2024, 11, 1),
                               until=dt.date(2024, 12, 31))  # fmt: skip
    assert list(window["month"]) == ["2024-11", "2024-12"]
    same = full[full["month"].isin(["2024-11", "2024-12"])].reset_index(drop=True)
    assert window["bm"].tolist() == same["bm"].tolist()
    assert window.attrs["params"]["since"] == dt.date(2024, 11, 1)
    mws.close()
    result = CliRunner().invoke(app, ["market", "momentum", "--since", "2024-12-01", "-b", "小米",
                                      "--project", str(mws.root), "--json"])  # fmt: skip
    assert [r["month"] for r in json.loads(result.output)["rows"]] == ["2024-12"]
    code, out = _cli(mws, "momentum", "--since", "2024-12-01", "-b", "Xiaomi", "--wide")
    assert code == 0
    cell = float(same["premium_share_change"].iloc[1])
    assert f"{100 * cell:+.1f}pp" in out


def test_wide_share_shows_previous_shares_as_percentages(put: Put, mws: Workspace) -> None:
    put.sales(mws, [
        dict(month="2025-01", brand="Xiaomi", product="Mi 14", units=100),
        dict(month="2025-02", brand="Xiaomi", product="Mi 14", units=100),
        dict(month="2025-01", brand="Huawei", product="Mate 60", units=300),
        dict(month="2025-02", brand="Huawei", product="Mate 60", units=100),
    ])  # fmt: skip
    mws.close()
    code, out = _cli(mws, "share", "--brand", "Xiaomi", "--category", "phone", "--wide")
    assert code == 0
    # February's previous 'all' share is January's 100 / 400 = 25 %, not a bare 0.25
    assert "25.0%" in out and " 0.25 " not in out
