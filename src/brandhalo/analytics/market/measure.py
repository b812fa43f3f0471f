"""What a share is of: units (volume share, 销量份额) or revenue (value share, 销售额份额).

A sales row gives units, revenue or both (a 新茶饮 or retail panel gives 销售额 by brand and
month and no units). Band share, premium mix and concentration sum one measure over the
day-level tables (:mod:`brandhalo.analytics.market.daily`): ``u`` (units per day) or ``rev``
(revenue per day: the row's revenue, else units x its price). A row without the measure is in
no figure of it; the notes say how many rows that leaves out and which measure reads them.

``measure=None`` picks: units, unless the sales rows hold no units at all and do hold
revenue, then revenue, and a note says so (the CLI's default, ``--measure`` left out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, cast

from brandhalo.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from brandhalo.analytics.market.daily import MarketData

Measure = Literal["units", "revenue"]
#: The measures, the default first.
MEASURES: tuple[Measure, ...] = ("units", "revenue")
#: The day-level column each measure sums (``bh_sd`` and ``bh_md``).
DAY_COLUMN: dict[Measure, str] = {"units": "u", "revenue": "rev"}
#: Result columns named after the measure (a revenue table says ``revenue``, not ``units``).
_RENAMED = ("units", "market_units", "priced_units", "premium_units", "premium_market_units")

# The counted sales rows by which measures they give (rev_given: a revenue cell, not units x
# price), and the brands of those that give one measure only.
_ROWS_SQL = """
WITH r AS (
  SELECT row_id, any_value(brand) AS brand, bool_or(u IS NOT NULL) AS has_u,
         bool_or(rev IS NOT NULL) AS has_rev, bool_or(rev_given) AS given,
         bool_or(source = 'cumulative') AS cum
  FROM bh_sd WHERE counted GROUP BY row_id
)
SELECT count(*) FILTER (WHERE has_u) AS with_units,
       count(*) FILTER (WHERE has_rev) AS with_revenue,
       count(*) FILTER (WHERE has_u AND has_rev AND NOT given) AS estimated,
       count(*) FILTER (WHERE NOT has_u AND has_rev) AS revenue_only,
       count(*) FILTER (WHERE has_u AND NOT has_rev) AS units_only,
       count(*) FILTER (WHERE NOT has_u AND NOT has_rev AND cum) AS cum_without,
       coalesce(list(DISTINCT brand ORDER BY brand) FILTER (WHERE NOT has_u AND has_rev),
                []) AS revenue_only_brands,
       coalesce(list(DISTINCT brand ORDER BY brand) FILTER (WHERE has_u AND NOT has_rev),
                []) AS units_only_brands
FROM r
"""


def check_measure(value: str | None) -> Measure | None:
    """A measure as asked for (``--measure``, any case); None stays None (pick one).

    Raises:
        InputError: the value is not one of :data:`MEASURES`.
    """
    if value is None:
        return None
    key = value.strip().lower()
    if key not in MEASURES:
        raise InputError(
            f"--measure {value!r} is not a measure; use units (volume share) or revenue "
            "(value share, 销售额份额)"
        )
    return cast("Measure", key)


def _brands(names: list[str]) -> str:
    shown = ", ".join(str(n) for n in names[:6] if n is not None)
    return shown + (", ..." if len(names) > 6 else "")


def resolve(
    data: MarketData, measure: Measure | None, *, market: bool = False
) -> tuple[Measure, list[str]]:
    """The measure a metric sums (`measure`, else picked) and notes on the sales rows it
    leaves out: rows without it (a units-only row has revenue when it has a price, its own
    or the config's list price), and cumulative rows that give no units (year-to-date
    revenue is not spread over days); with `market` (a share), the market table's
    categories that give no figure of it."""
    row = data.df(_ROWS_SQL).iloc[0]
    notes: list[str] = []
    used: Measure = measure or "units"
    if measure is None and not row["with_units"] and row["with_revenue"]:
        used = "revenue"
        notes.append(
            "the sales rows give revenue and no units, so this table is of revenue (value "
            "share, 销售额份额), as --measure revenue (Python: measure='revenue') asks"
        )
    if used == "units" and row["revenue_only"]:
        n = int(row["revenue_only"])
        notes.append(
            f"{n:,} sales rows give revenue and no units ({_brands(row['revenue_only_brands'])}), "
            "so no units figure counts them: ask with --measure revenue (Python: "
            "measure='revenue') for value shares that do"
        )
    if used == "revenue":
        if row["units_only"]:
            n = int(row["units_only"])
            notes.append(
                f"{n:,} sales rows give units and no revenue or price "
                f"({_brands(row['units_only_brands'])}), so no revenue figure counts them: add "
                "a revenue or price column, or the products' list prices to [[products]]"
            )
        if row["estimated"]:
            notes.append(
                f"{int(row['estimated']):,} sales rows give no revenue: theirs is units x price "
                "(the row's price, else the list price in [[products]]), an estimate"
            )
    if row["cum_without"]:
        notes.append(
            f"{int(row['cum_without']):,} cumulative (year-to-date) sales rows give no units, "
            "and cumulative revenue is not spread over days: they count in no figure; give "
            "revenue per period (not cumulative) instead"
        )
    if market:
        notes.extend(_market_note(data, used))
    return used, notes


def _market_note(data: MarketData, measure: Measure) -> list[str]:
    """The market table's categories with rows but none of `measure` (a units-only market
    file asked for revenue): their shares fall back to the sum over brands."""
    v = DAY_COLUMN[measure]
    cats = data.df(
        f"SELECT category FROM bh_md WHERE category IS NOT NULL GROUP BY category "
        f"HAVING count({v}) = 0 ORDER BY category"
    )["category"].tolist()
    if not cats:
        return []
    other = "revenue" if measure == "units" else "units"
    return [
        f"the market table gives {other} and no {measure} for {', '.join(map(str, cats))}, "
        f"so {measure} shares there are over the brands in the sales file, not the whole "
        f"market: ingest a market file with {measure}, or ask with --measure {other}"
    ]


def named(frame: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """`frame` with its units columns named after `measure` (``market_units`` ->
    ``market_revenue``); unchanged for units."""
    if measure == "units":
        return frame
    return frame.rename(columns={c: c.replace("units", measure) for c in _RENAMED})
