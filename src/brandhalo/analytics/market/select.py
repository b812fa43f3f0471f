"""Shared selection helpers: brand and category filters, the period table, trend joins, and
the common prologue of the sales metrics (:func:`sales_inputs`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from brandhalo.analytics.market import brands as _brands
from brandhalo.analytics.market import measure as _measure
from brandhalo.analytics.market import periods as _periods
from brandhalo.analytics.market.daily import market_data
from brandhalo.errors import NotFoundError

if TYPE_CHECKING:
    import pandas as pd

    from brandhalo.analytics.market.daily import MarketData
    from brandhalo.analytics.market.measure import Measure
    from brandhalo.workspace import Workspace

NO_SALES = "no sales rows in the store; ingest a sales file first"


def resolve_brand(data: MarketData, brand: str | None) -> str | None:
    """Canonical name of a brand filter (any alias, any case or width)."""
    if brand is None:
        return None
    known = _brands.canonical_brand(data.config, brand)
    if known:
        return known
    key = _brands.name_key(brand)
    for name in data.unknown_brands:
        if _brands.name_key(name) == key:
            return name
    names = sorted({b.name for b in data.config.brands} | set(data.unknown_brands))
    raise NotFoundError(
        f"brand {brand!r} is neither in the config nor in the sales data; use one of "
        f"{', '.join(names)} (or add it to [[brands]] with its aliases)"
    )


def resolve_category(data: MarketData, category: str | None) -> str | None:
    """Canonical name of a category filter (``手机`` -> ``phone``)."""
    if category is None:
        return None
    from brandhalo.analytics.market.daily import category_key

    key = category_key(data.config, category)
    found = {c for (c,) in data.con.execute(
        "SELECT DISTINCT category FROM bh_sd WHERE category IS NOT NULL UNION "
        "SELECT DISTINCT category FROM bh_md"
    ).fetchall()}  # fmt: skip
    known = found | set(data.config.price_bands.edges())
    if key not in known:
        raise NotFoundError(
            f"category {category!r} is not in the data or the config; use one of "
            f"{', '.join(sorted(known)) or '(none yet: ingest sales first)'}"
        )
    return key


def day_range(data: MarketData, table: str = "bh_sd") -> tuple[dt.date, dt.date] | None:
    """First and last day present in a day-level table (None when it is empty)."""
    row = data.con.execute(f"SELECT min(day), max(day) FROM {table}").fetchone()
    if not row or row[0] is None:
        return None
    return row[0], row[1]


def load_periods(
    data: MarketData,
    freq: str,
    since: dt.date | None,
    until: dt.date | None,
    first: dt.date,
    last: dt.date,
    compare_same_days: bool = False,
) -> list[str]:
    """Create ``bh_periods`` (and ``bh_pday``: one row per day and period, so metrics join
    days to periods on equality) on the cursor; return the period labels to report.

    An "as of" question sees no later day: the period holding `until` counts its days
    through `until` only (``days`` is that count and ``bh_pday`` stops there). ``partial``
    marks a period that ends after the last day counted (`until`, or the data's `last` day
    when no `until` is given: a current year reported through June).

    `compare_same_days`: a partial calendar period's ``prev`` and ``yoy`` are the same days
    of those periods (:func:`brandhalo.analytics.market.periods.same_days`), rows of their
    own with ``compare`` true; otherwise (and for every whole period) the whole periods.
    """
    from brandhalo.analytics.market.daily import put_frame

    table, keep = _periods.periods_for(freq, since, until, first, last)
    table = _periods.cut_at(table, until, last, first)
    window = freq == "year" and since is not None and until is not None
    if compare_same_days and not window:
        table = _periods.same_days(table, freq, until, last)
    else:
        table["compare"] = False
    put_frame(
        data.con,
        "bh_periods",
        table,
        "period VARCHAR, pstart DATE, pend DATE, prev VARCHAR, yoy VARCHAR, days INTEGER, "
        "through DATE, partial BOOLEAN, compare BOOLEAN",
    )
    data.con.execute(
        "CREATE OR REPLACE TEMP TABLE bh_pday AS SELECT period, pstart, pend, days, partial, "
        "unnest(generate_series(pstart, through, INTERVAL 1 DAY))::DATE AS day FROM bh_periods"
    )
    return keep


def outside_note(
    what: str, since: dt.date | None, until: dt.date | None, first: dt.date, last: dt.date
) -> list[str]:
    """A note when the window asked for holds no day the `what` rows cover (the result is
    then empty, and "no rows" alone does not say that the data end, or start, elsewhere).

    >>> outside_note("sales", dt.date(2025, 6, 1), None, dt.date(2024, 1, 1), dt.date(2025, 4, 30))
    ['the sales rows cover 2024-01-01 to 2025-04-30; --since 2025-06-01 is after the last day: \
ask for days inside that range']
    """
    if since is not None and since > last:
        where = f"--since {since} is after the last day"
    elif until is not None and until < first:
        where = f"--until {until} is before the first day"
    elif since is not None and until is not None and since > until:
        where = f"--since {since} is after --until {until}"
    else:
        return []
    return [f"the {what} rows cover {first} to {last}; {where}: ask for days inside that range"]


# Sales rows (flows, not checkpoints) that count in a reported period and reach past it.
_SALES_ACROSS_SQL = """
SELECT DISTINCT r.row_id, coalesce(r.brand, '') AS brand, coalesce(r.product, '') AS product,
       r.ps, r.pe
FROM bh_rows r JOIN bh_periods p ON r.ps <= p.pend AND r.pe >= p.pstart
WHERE NOT r.cum AND list_contains(?, p.period)
  AND (r.ps < p.pstart OR (r.pe > p.pend AND (?::DATE IS NULL OR p.pend < ?::DATE)))
  AND r.row_id IN (SELECT row_id FROM bh_sd WHERE source = 'row')
ORDER BY r.ps, brand, product
"""


def split_rows_note(
    data: MarketData, keep: list[str], freq: str, until: dt.date | None = None
) -> list[str]:
    """A note naming the sales and market rows longer than the reported periods (a quarter
    asked for by month): each period gets an even, by-days part of them, an estimate the
    file does not give. A row cut only at `until` is the "as of" pro-rating the periods
    already mark ``partial``, not a split."""
    from brandhalo.store import market as market_store

    sales = data.df(_SALES_ACROSS_SQL, [keep, until, until])
    market = market_store.market_rows_across(data.con, keep, until)
    if not len(sales) and not len(market):
        return []
    shown = [
        f"{r.brand} {r.product} {r.ps:%Y-%m-%d}..{r.pe:%Y-%m-%d}"
        for r in sales.head(3).itertuples()
    ]
    shown += [
        f"market {r.category} {r.price_band} {r.ps:%Y-%m-%d}..{r.pe:%Y-%m-%d}".replace("  ", " ")
        for r in market.head(3).itertuples()
    ]
    counts = " and ".join(
        f"{n} {what} row{'s' if n != 1 else ''}"
        for n, what in ((len(sales), "sales"), (len(market), "market"))
        if n
    )
    unit = freq if freq in ("month", "quarter") else "period"
    verbs = ("covers", "is") if len(sales) + len(market) == 1 else ("cover", "are")
    return [
        f"{counts} {verbs[0]} more than one {unit} and {verbs[1]} split evenly by days across them "
        f"({', '.join(shown)}{', ...' if len(sales) > 3 or len(market) > 3 else ''}): "
        f"those {unit}s' figures are estimates, not reported numbers; ask for a --freq as "
        "long as the rows (quarter, year) to read them as reported"
    ]


def add_trend(
    frame: pd.DataFrame, keys: list[str], value: str, periods: pd.DataFrame, *, ratio: bool
) -> pd.DataFrame:
    """Add ``{value}_prev``, ``{value}_yoy`` and their changes (difference, or growth rate).

    A comparison is empty when the other period has no value: a missing period is missing,
    not zero.
    """
    import numpy as np

    base = frame.merge(periods[["period", "prev", "yoy"]], on="period", how="left")
    for tag in ("prev", "yoy"):
        other = frame[[*keys, "period", value]].rename(
            columns={"period": tag, value: f"{value}_{tag}"}
        )
        base = base.merge(other, on=[*keys, tag], how="left")
        cur, old = base[value], base[f"{value}_{tag}"]
        if ratio:
            with np.errstate(divide="ignore", invalid="ignore"):
                change = np.where(old > 0, cur / old - 1.0, np.nan)
            base[f"growth_{tag}"] = change
        else:
            base[f"change_{tag}"] = cur - old
    return base.drop(columns=["prev", "yoy"])


@dataclass(frozen=True)
class SalesInputs:
    """What a sales metric computed on the day-level tables, with the filters still to apply.

    ``frame`` is None when the store holds no sales rows (``notes`` then says so).
    """

    frame: pd.DataFrame | None
    periods: pd.DataFrame
    keep: list[str]
    brand: str | None
    category: str | None
    notes: list[str]
    params: dict[str, Any]

    def select(self, frame: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
        """Add the trend of ``value`` per ``keys`` (differences), then keep the asked periods,
        brand and category.

        Args:
            frame: rows per period and ``keys`` (derived from :attr:`frame`).
            keys: the columns that identify a series besides ``period``.
            value: the column whose ``change_prev`` / ``change_yoy`` are added.

        Returns:
            The filtered frame with the trend columns.
        """
        df = add_trend(frame, keys, value, self.periods, ratio=False)
        df = df[df["period"].isin(self.keep)]
        if self.brand:
            df = df[df["brand"] == self.brand]
        if self.category:
            df = df[df["category"] == self.category]
        return df


def sales_inputs(
    ws: Workspace,
    build: Callable[[MarketData, Measure], pd.DataFrame],
    *,
    brand: str | None,
    category: str | None,
    since: dt.date | None,
    until: dt.date | None,
    freq: str,
    compare_same_days: bool = False,
    region: str | None = None,
    measure: Measure | None = "units",
    market: bool = False,
) -> SalesInputs:
    """Resolve the filters, lay out the periods and build a metric's frame over the sales.

    Args:
        ws: the workspace.
        build: computes the metric's rows from the day and period tables on the cursor, of
            the measure it is given (its frame's columns say ``units`` either way).
        brand, category: filters (any alias); resolved to canonical names or NotFoundError.
        since, until, freq: the reporting window and period length.
        compare_same_days: compare a partial period with the same days of the previous
            period and of the year before (:func:`load_periods`); a note says which days.
        region: only the sales (and market) rows of this region (``--region US``).
        measure: what the figures sum, ``units`` or ``revenue``; None picks
            (:func:`brandhalo.analytics.market.measure.resolve`). ``params["measure"]`` is
            the one used.
        market: the metric sets brands against the market table (a note names its
            categories that give no figure of the measure).

    Returns:
        The built frame (None when there are no sales rows), the period table, the labels
        to report, the resolved filters, the notes and the call's parameters.
    """
    import pandas as pd

    params: dict[str, Any] = {
        "brand": brand, "category": category, "since": since, "until": until, "freq": freq,
        "measure": measure or "units",
    }  # fmt: skip
    if region is not None:
        params["region"] = region
    with market_data(ws, category=category, region=region) as data:
        b, c = resolve_brand(data, brand), resolve_category(data, category)
        span = day_range(data)
        notes = list(data.notes)
        if span is None:
            empty = _stores_only_note(data) or NO_SALES
            return SalesInputs(None, pd.DataFrame(), [], b, c, [*notes, empty], params)
        notes.extend(outside_note("sales", since, until, *span))
        keep = load_periods(data, freq, since, until, *span, compare_same_days)
        notes.extend(split_rows_note(data, keep, freq, until))
        used, measure_notes = _measure.resolve(data, measure, market=market)
        params["measure"] = used
        notes.extend(measure_notes)
        frame = build(data, used)
        notes.extend(frame.attrs.pop("notes", []))  # what the build noticed (store counts)
        periods = data.df("SELECT * FROM bh_periods")
        held = data.df(_HELD_SQL)
    if compare_same_days:
        notes.extend(partial_note(periods, keep, until, span[1], span[0]))
    compared = set(periods.loc[periods["compare"].astype(bool), "period"])
    whole = frame[~frame["period"].isin(compared)] if "period" in frame.columns else frame
    notes.extend(_brand_missing_note(whole, b, held) or _brand_gap_note(whole, keep, b))
    return SalesInputs(frame, periods, keep, b, c, notes, params)


def _stores_only_note(data: MarketData) -> str | None:
    """Why there are no figures when the sales rows give store counts (门店数) and no units or
    revenue (a store-count file alone); None when there are no such rows either."""
    n = data.scalar("SELECT count(*) FROM bh_store_rows")
    if not n:
        return None
    return (
        f"the sales rows give store counts only ({n:,} rows of 门店数) and no units or "
        "revenue, and the store counts are shown beside a brand's units or revenue; ingest a "
        "sales file with them too"
    )


def partial_note(
    periods: pd.DataFrame,
    keep: list[str],
    until: dt.date | None,
    last: dt.date,
    first: dt.date | None = None,
) -> list[str]:
    """Say which reported periods are partial, through which day they count and, where
    they are compared over the same days (``compare`` rows), which days those are.

    `until`: the "as of" day asked for (None: none); `last`, `first`: the sales data's last
    and first day (a period that starts before `first` is partial at its start).
    """

    def span(a: pd.Timestamp | dt.date, b: pd.Timestamp | dt.date) -> str:
        return f"{a:%Y-%m-%d} to {b:%Y-%m-%d}"

    rows = periods[periods["period"].isin(keep) & periods["partial"].astype(bool)]
    by_label = periods.set_index("period")
    notes = []
    for r in rows.itertuples():
        if first is not None and r.pstart.date() < first and r.through >= r.pend:
            notes.append(f"{r.period} is partial: counted {span(first, r.through)}, the sales "
                         f"data start on {first:%Y-%m-%d}, after the period starts")  # fmt: skip
            continue
        if until is not None and r.through.date() == until:  # cut by --until
            text = f"{r.period} is partial: counted {span(r.pstart, r.through)} (--until {until})"
        else:
            text = (f"{r.period} is partial: counted {span(r.pstart, r.through)}, the sales "
                    f"data end on {last:%Y-%m-%d}, before the period does")  # fmt: skip
        if r.prev in by_label.index and bool(by_label.loc[r.prev, "compare"]):
            p, y = by_label.loc[r.prev], by_label.loc[r.yoy]
            days = [f"{str(k).split('..')[0]} ({span(w['pstart'], w['through'])})"
                    for k, w in ((r.prev, p), (r.yoy, y))]  # fmt: skip
            text += (f"; its _prev and _yoy columns compare the same days of "
                     f"{' and '.join(dict.fromkeys(days))}, not the whole periods")  # fmt: skip
        notes.append(text)
    return notes


def _brand_gap_note(frame: pd.DataFrame, keep: list[str], brand: str | None) -> list[str]:
    """Name the periods asked for, inside the brand's own first and last, where it has no
    sales rows at all: its tables skip them without a word, and a year summed over them
    reads as a drop (a month missing from the file is not a month without sales)."""
    if brand is None or not {"brand", "period", "units"} <= set(frame.columns):
        return []
    had = frame[(frame["brand"] == brand) & (frame["units"].fillna(0) > 0)]["period"]
    had = {str(p) for p in had}
    if not had:
        return []
    gaps = [p for p in keep if min(had) < p < max(had) and p not in had]
    if not gaps:
        return []
    shown = ", ".join(gaps[:6]) + (", ..." if len(gaps) > 6 else "")
    return [f"{brand} has no sales rows in {shown} (missing, not zero: those periods are "
            "left out of its rows and its totals); ingest the missing sales rows"]  # fmt: skip


# The brands of the sales table (mapped), with their rows and the rows without a category.
_HELD_SQL = """
SELECT brand, count(*) AS n, count(*) FILTER (WHERE category IS NULL) AS no_category
FROM bh_rows WHERE brand IS NOT NULL GROUP BY brand ORDER BY brand
"""


def _brand_missing_note(frame: pd.DataFrame, brand: str | None, held: pd.DataFrame) -> list[str]:
    """Say that the brand asked for has no sales rows (a configured rival without a sales
    file answered "no rows" and nothing else), naming the brands the sales table holds
    (`held`: brand, n, no_category); or, when it has rows that this metric's rows leave out,
    why (rows without a category are in no category's rows)."""
    if brand is None or "brand" not in frame.columns:
        return []
    if brand in {str(x) for x in frame["brand"].dropna()}:
        return []
    mine = held[held["brand"] == brand]
    if mine.empty:
        names = ", ".join(str(x) for x in held["brand"]) or "no brand"
        return [f"{brand} has no sales rows (the sales hold {names}); "
                f"ingest a sales file with {brand}'s rows"]  # fmt: skip
    n, no_category = int(mine["n"].iloc[0]), int(mine["no_category"].iloc[0])
    if no_category == n:
        return [f"{brand} has {n} sales rows, but none has a category (no category column and "
                "its products are not in the config), and this table is per category: ask "
                "with --category NAME to read them as that category, or add a category column "
                "or its products to [[products]]"]  # fmt: skip
    return [f"{brand} has {n} sales rows, but none that this table counts (see the other "
            "notes)"]  # fmt: skip
