"""Target pacing (DESIGN metric 7): cumulative units to date against the annual target.

For each row of the ``targets`` table (brand, product or line, year, units):

- **cumulative**: units from 1 January to ``data_through`` = the last day on or before
  ``as_of`` that the deliveries cover. Month (or coarser) rows are spread evenly over their
  days, so a May row counts 21/31 of its units on 21 May; a cumulative milestone
  ("258,000 by 2025-05-21") fixes the total at its date (see ``daily.py``).
- **run rate** (units per day): the last 30 days when every one of them is reported by day
  rows; else the last full calendar month reported inside one month (its units / its days);
  else the year-to-date average. ``run_rate_basis`` says which. For a product target the
  year starts at the product's ``launched`` day when later than 1 January: the days before
  it are neither missing deliveries nor part of the average.
- **projected year-end** = cumulative + run rate x days left in the year after data_through.
- **required rate** = (target - cumulative) / days left (0 once the target is met).
- **on track** = projected year-end >= target.

Per-month figures are per-day figures x 30.4375 (the mean month).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from brandhalo.analytics.market import brands as _brands
from brandhalo.analytics.market import select as _sel
from brandhalo.analytics.market.daily import category_key, market_data
from brandhalo.analytics.market.result import BASIS_SALES, finish
from brandhalo.store import market as market_store

if TYPE_CHECKING:
    import pandas as pd

    from brandhalo.analytics.market.daily import MarketData
    from brandhalo.workspace import Workspace

MEAN_MONTH_DAYS = 365.25 / 12
_COLUMNS = [
    "brand", "product", "year", "target", "matched", "as_of", "data_through", "cumulative",
    "pct_of_target", "run_rate_per_day", "run_rate_per_month", "run_rate_basis",
    "projected_year_end", "projected_pct", "required_per_day", "required_per_month",
    "days_left", "on_track", "reported", "reason",
]  # fmt: skip


def _targets(data: MarketData) -> pd.DataFrame:
    return market_store.sales_targets(data.con)


def _match(data: MarketData, brand: str, product: str) -> tuple[str, str, list[Any]] | None:
    """SQL filter for the sales rows a target counts: its product, category or whole brand."""
    found = data.scalar(
        "SELECT count(*) FROM bh_sd WHERE counted AND brand = ? AND product = ?", [brand, product]
    )
    if found:
        return "product", "brand = ? AND product = ?", [brand, product]
    cat = category_key(data.config, product)
    found = data.scalar(
        "SELECT count(*) FROM bh_sd WHERE counted AND brand = ? AND category = ?", [brand, cat]
    )
    if found:
        return "category", "brand = ? AND category = ?", [brand, cat]
    if _brands.is_total_name(product) or _brands.name_key(product) == _brands.name_key(brand):
        return "brand", "brand = ?", [brand]
    return None


def _series(data: MarketData, where: str, params: list[Any], as_of: dt.date) -> pd.DataFrame:
    """Units per day up to `as_of`, with whether each day is exact (day rows only); a day
    of rows of revenue only (no units) is not among them (missing, not zero)."""
    return data.df(
        f"SELECT day, sum(u) AS u, bool_or(exact) AS exact, bool_or(month_exact) AS mexact "
        f"FROM bh_sd WHERE counted AND {where} AND day <= ? AND u IS NOT NULL GROUP BY day "
        "ORDER BY day",
        [*params, as_of],
    )


def _revenue_only(data: MarketData, where: str, params: list[Any]) -> bool:
    """Whether the sales rows a target matched give revenue and no units at all."""
    return not data.scalar(
        f"SELECT count(*) FROM bh_sd WHERE counted AND {where} AND u IS NOT NULL", params
    )


def _run_rate(
    series: pd.DataFrame, through: dt.date, ytd: float, first: dt.date
) -> tuple[float, str]:
    """Units per day: last 30 days by day rows, else last full month, else year to date
    (from `first`: 1 January, or a product's launch day when later)."""
    import pandas as pd

    idx = series.set_index(pd.to_datetime(series["day"]).dt.date)
    last30 = [through - dt.timedelta(days=i) for i in range(30)]
    if all(d in idx.index for d in last30) and bool(idx.loc[last30, "exact"].all()):
        return float(idx.loc[last30, "u"].sum()) / 30.0, "last 30 days"
    month_start = dt.date(through.year, through.month, 1)
    nxt = dt.date(through.year + through.month // 12, through.month % 12 + 1, 1)
    end = through if nxt - dt.timedelta(days=1) == through else month_start - dt.timedelta(days=1)
    for _ in range(12):  # look back at most a year for a fully reported month
        start = dt.date(end.year, end.month, 1)
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        if all(d in idx.index for d in days) and bool(idx.loc[days, "mexact"].all()):
            return float(idx.loc[days, "u"].sum()) / len(days), f"last full month {start:%Y-%m}"
        end = start - dt.timedelta(days=1)
    elapsed = (through - first).days + 1
    return ytd / elapsed, "year-to-date average"


def _pace_one(data: MarketData, t: Any, as_of: dt.date) -> dict[str, Any]:
    jan1, dec31 = dt.date(int(t.year), 1, 1), dt.date(int(t.year), 12, 31)
    day = min(as_of, dec31)
    out: dict[str, Any] = {
        "brand": t.brand, "product": t.product, "year": int(t.year), "target": float(t.target),
        "as_of": day, "reported": False,
    }  # fmt: skip
    if as_of < jan1:
        return {**out, "reason": f"the year {t.year} has not started on {as_of}"}
    match = _match(data, t.brand, t.product)
    if match is None:
        return {**out, "reason": f"no sales rows for {t.brand} {t.product}"}
    out["matched"] = match[0]
    if _revenue_only(data, match[1], match[2]):
        return {**out, "reason": f"the sales rows of {t.brand} {t.product} give revenue and no "
                "units, and the target is in units: ingest its units (sales rows with a "
                "units column) to pace it"}  # fmt: skip
    series = _series(data, match[1], match[2], day)
    this_year = series[series["day"].dt.date >= jan1] if len(series) else series
    if not len(this_year):
        return {**out, "reason": f"no deliveries reported in {t.year} up to {day}"}
    through = this_year["day"].max().date()
    start = _first_day(data, t, match[0], jan1, this_year["day"].min().date())
    cum = float(this_year["u"].sum())
    rate, basis = _run_rate(series, through, cum, start)
    left = (dec31 - through).days
    projected = cum + rate * left
    need = max(float(t.target) - cum, 0.0)
    required = need / left if left > 0 else (0.0 if need == 0 else float("nan"))
    notes = _pace_notes(data, match, this_year, start, through)
    if through < day:  # the product's data stop before the day asked about
        notes.append(
            f"no deliveries reported from {through + dt.timedelta(days=1)} to {day} "
            f"({(day - through).days} days, missing, not zero): the cumulative stops at "
            f"{through} and the projection runs from there"
        )
    return {
        **out, "data_through": through, "cumulative": cum, "pct_of_target": cum / t.target,
        "run_rate_per_day": rate, "run_rate_per_month": rate * MEAN_MONTH_DAYS,
        "run_rate_basis": basis, "projected_year_end": projected,
        "projected_pct": projected / t.target, "required_per_day": required,
        "required_per_month": required * MEAN_MONTH_DAYS, "days_left": left,
        "on_track": bool(projected >= float(t.target)), "reported": True,
        "reason": "; ".join(notes) or None,
    }  # fmt: skip


def _first_day(
    data: MarketData, t: Any, matched: str, jan1: dt.date, first_row: dt.date
) -> dt.date:
    """The first day the target's year can have deliveries: 1 January, or for a product
    target the product's ``launched`` day (brandhalo.toml) when later; never after the first
    day reported (pre-sales before the launch day count)."""
    if matched != "product":
        return jan1
    key = _brands.name_key(t.product)
    launched = [p.launched for p in data.config.products
                if p.launched and p.brand == t.brand and _brands.name_key(p.name) == key]  # fmt: skip
    return min(max([jan1, *launched]), first_row)


def _pace_notes(
    data: MarketData, match: tuple[str, str, list[Any]], year: pd.DataFrame, start: dt.date,
    through: dt.date,
) -> list[str]:  # fmt: skip
    """What the figures leave out: days from `start` (1 January or the launch day) to the
    last day reported without deliveries, rows pro-rated at the last day."""
    notes = []
    missing = (through - start).days + 1 - len(year)
    if missing:
        notes.append(
            f"{missing} {'day' if missing == 1 else 'days'} between {start} and {through} "
            f"{'has' if missing == 1 else 'have'} no deliveries reported "
            "(missing, not zero): the cumulative counts reported days only"
        )
    split = data.scalar(
        f"SELECT count(DISTINCT row_id) FROM bh_sd WHERE counted AND {match[1]} AND row_id IN "
        f"(SELECT row_id FROM bh_sd WHERE day > ?) AND day <= ?",
        [*match[2], through, through],
    )
    if split:
        notes.append(f"rows spanning {through} are pro-rated by days up to it")
    return notes


def _no_target_note(stored: pd.DataFrame) -> str:
    """Why no target is paced: none stored, or none among the stored ones (listed) matches."""
    if not len(stored):
        return "no targets match; ingest a targets file (brand, product, year, units)"
    listed = ", ".join(
        f"{t.brand} {t.product} {int(t.year)}" for t in stored.head(10).itertuples(index=False)
    )
    more = f" and {len(stored) - 10} more" if len(stored) > 10 else ""
    return (
        f"no stored target matches the --brand/--product/--year asked for; the targets are "
        f"{listed}{more}"
    )


#: The columns that set a region's sales against a target (of no region): left empty.
_AGAINST_TARGET = ("pct_of_target", "projected_pct", "required_per_day", "required_per_month",
                   "on_track")  # fmt: skip


def _regional(frame: pd.DataFrame, region: str) -> str:
    """Empty the columns of `frame` that compare one region's sales with a target (in place);
    the note that says so."""
    for col in _AGAINST_TARGET:
        frame[col] = None
    return (
        f"targets have no region: the rows show {region}'s cumulative, run rate and projected "
        "year-end, not set against the target (pct_of_target, projected_pct, the required "
        "rate and on_track are empty), which is the whole brand's or product's; leave "
        "--region out to pace the target"
    )


def target_pacing(
    ws: Workspace,
    as_of: dt.date | None = None,
    *,
    brand: str | None = None,
    product: str | None = None,
    year: int | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Pace every annual target (or the filtered ones) as of a date.

    Args:
        ws: the workspace.
        as_of: the date to pace at; default the last day the sales data cover.
        brand, product, year: filters (brand and product through the config aliases).
        region: only the sales rows of this region (``--region US``): its cumulative, run
            rate and projection; targets keep no region, so nothing is set against them
            (``pct_of_target``, ``projected_pct``, the required rate and ``on_track`` are
            empty and a note says why).

    Returns:
        One row per target: cumulative, pct_of_target, run rate (per day and per month, with
        its basis), projected_year_end, required rate, days_left, on_track, and `reported` /
        `reason` when a target cannot be paced. ``frame.attrs`` has version and notes.
    """
    import pandas as pd

    params = {"as_of": as_of, "brand": brand, "product": product, "year": year}
    if region is not None:
        params["region"] = region
    with market_data(ws, region=region) as data:
        b = _sel.resolve_brand(data, brand)
        span = _sel.day_range(data)
        day = as_of or (span[1] if span else dt.date.today())
        targets = data_targets = _targets(data)
        if b:
            targets = targets[targets["brand"] == b]
        if product:
            want = _brands.product_lookup(ws.config).get(_brands.name_key(product), product)
            targets = targets[targets["product"].map(_brands.name_key) == _brands.name_key(want)]
        if year:
            targets = targets[targets["year"] == year]
        rows = [_pace_one(data, t, day) for t in targets.itertuples(index=False)]
        notes = list(data.notes)
    if not len(targets):
        notes.append(_no_target_note(data_targets))
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    if region is not None and len(frame):
        notes.append(_regional(frame, region))
    params["as_of"] = day
    return finish(frame, "target_pacing", BASIS_SALES, notes, params)
