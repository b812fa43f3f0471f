"""Reporting periods (month, quarter, year, or one custom window) and their comparisons.

Each period knows its previous period and the same period one year earlier, so trends are a
self-join. Calendar periods are whole periods: a window selects the periods that overlap it.
A ``--since/--until`` window with ``freq='year'`` is one period of its own, compared with the
window of equal length just before it and with the same window one year earlier.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from brandhalo.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

FREQS = ("month", "quarter", "year")
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def check_freq(freq: str) -> str:
    """Validate a frequency name."""
    if freq not in FREQS:
        raise InputError(f"unknown --freq {freq!r}; use one of {', '.join(FREQS)}")
    return freq


def check_window(since: dt.date | None, until: dt.date | None) -> None:
    if since and until and since > until:
        raise InputError(f"--since {since} is after --until {until}; swap them")


def _add_months(day: dt.date, n: int) -> dt.date:
    m = day.year * 12 + day.month - 1 + n
    return dt.date(m // 12, m % 12 + 1, 1)


def _label(start: dt.date, freq: str) -> str:
    if freq == "month":
        return f"{start:%Y-%m}"
    if freq == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def calendar_periods(freq: str, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Whole calendar periods from the one holding `first` to the one holding `last`."""
    import pandas as pd

    step = _MONTHS[freq]
    month0 = (first.month - 1) // step * step + 1
    start = dt.date(first.year, month0, 1)
    rows = []
    while start <= last:
        nxt = _add_months(start, step)
        prev = _add_months(start, -step)
        rows.append(
            (
                _label(start, freq),
                start,
                nxt - dt.timedelta(days=1),
                _label(prev, freq),
                _label(_add_months(start, -12), freq),
            )
        )
        start = nxt
    return _frame(pd.DataFrame(rows, columns=["period", "pstart", "pend", "prev", "yoy"]))


def window_periods(since: dt.date, until: dt.date) -> pd.DataFrame:
    """One custom window plus the equal-length window before it and the window a year back."""
    import pandas as pd

    length = until - since
    before_end = since - dt.timedelta(days=1)
    spans = {
        "window": (since, until),
        "previous": (before_end - length, before_end),
        "year before": (_shift_year(since, -1), _shift_year(until, -1)),
    }
    rows = [
        (f"{a}..{b}", a, b, f"{spans['previous'][0]}..{spans['previous'][1]}" if k == "window"
         else None, f"{spans['year before'][0]}..{spans['year before'][1]}" if k == "window"
         else None)
        for k, (a, b) in spans.items()
    ]  # fmt: skip
    return _frame(pd.DataFrame(rows, columns=["period", "pstart", "pend", "prev", "yoy"]))


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    for col in ("pstart", "pend"):
        df[col] = pd.to_datetime(df[col]).astype("datetime64[us]")
    df["days"] = (df["pend"] - df["pstart"]).dt.days + 1
    return df


def periods_for(
    freq: str, since: dt.date | None, until: dt.date | None, first: dt.date, last: dt.date
) -> tuple[pd.DataFrame, list[str]]:
    """Periods to compute (with comparison periods) and the labels to report."""
    check_freq(freq)
    check_window(since, until)
    if freq == "year" and since and until:
        table = window_periods(since, until)
        return table, [table["period"].iloc[0]]
    lo = min(first, since or first)
    hi = max(last, until or last)
    table = calendar_periods(freq, lo, hi)
    keep = table
    if since:
        keep = keep[keep["pend"].dt.date >= since]
    if until:
        keep = keep[keep["pstart"].dt.date <= until]
    if not (since or until):
        keep = keep[(keep["pend"].dt.date >= first) & (keep["pstart"].dt.date <= last)]
    return table, list(keep["period"])


def _shift_months(day: dt.date, n: int) -> dt.date:
    """`day` moved by `n` calendar months, its day of month kept (the month's last day when
    that month is shorter: 31 May - 3 months = 28 or 29 February)."""
    start = _add_months(day, n)
    end = _add_months(start, 1) - dt.timedelta(days=1)
    return start.replace(day=min(day.day, end.day))


def same_days(table: pd.DataFrame, freq: str, until: dt.date | None, last: dt.date) -> pd.DataFrame:
    """Compare each partial calendar period with the same days of its previous period and of
    the period a year before (an "as of" Q2 through 15 May: 1 Jan-15 Feb and 1 Apr-15 May of
    last year), not with those whole periods.

    `table` comes from :func:`cut_at`. Each partial period's ``prev`` and ``yoy`` name a
    comparison window added to the table (``compare`` true, never reported) that starts with
    the compared period and ends as many months back as that period is, on the same day of
    the month (the month's last day when it is shorter). Periods that are not partial, or
    partial at their start only (:func:`cut_at`'s `first`), keep their whole comparisons.

    >>> t = cut_at(calendar_periods("quarter", dt.date(2025, 1, 1), dt.date(2026, 6, 30)),
    ...            dt.date(2026, 5, 15), dt.date(2026, 6, 30))
    >>> out = same_days(t, "quarter", dt.date(2026, 5, 15), dt.date(2026, 6, 30))
    >>> out.loc[out["period"] == "2026-Q2", ["prev", "yoy"]].values.tolist()
    [['2026-Q1..2026-02-15', '2025-Q2..2025-05-15']]
    """
    import pandas as pd

    out = table.copy()
    out["compare"] = False
    end = min(until, last) if until is not None else last
    step = _MONTHS[freq]
    added: dict[str, tuple[object, ...]] = {}
    for i, row in table.iterrows():
        if not bool(row["partial"]) or row["through"] >= row["pend"]:
            continue  # whole, or partial at its start only (the data start inside it)
        start = row["pstart"].date()
        for tag, back in (("prev", step), ("yoy", 12)):
            other = _add_months(start, -back)
            through = min(_shift_months(end, -back), _add_months(other, step) - dt.timedelta(1))
            label = f"{row[tag]}..{through.isoformat()}"
            pend = _add_months(other, step) - dt.timedelta(days=1)
            days = (through - other).days + 1
            added[label] = (label, other, pend, None, None, days, through, True, True)
            out.loc[i, tag] = label
    if not added:
        return out
    extra = pd.DataFrame(list(added.values()), columns=list(out.columns))
    for col in ("pstart", "pend", "through"):
        extra[col] = pd.to_datetime(extra[col]).astype("datetime64[us]")
    return pd.concat([out, extra], ignore_index=True)


def cut_at(
    table: pd.DataFrame, until: dt.date | None, last: dt.date, first: dt.date | None = None
) -> pd.DataFrame:
    """Add ``through`` (the last day a period counts) and ``partial`` to a period table.

    A period holding `until` counts its days through `until` (``days`` becomes that count):
    an "as of" figure never includes a later day. ``partial`` is true for a period that ends
    after the last day counted, `until` or else the data's `last` day (the current year of a
    file that ends in June is partial too); its ``through`` is that day, the data's last one
    when they end first (a quarter of sales through 31 May counts 1 April to 31 May, on both
    sides of a share: market rows after the sales' last day are not set against them).
    A period that starts before the data's `first` day is partial too (a file from December
    on holds one month of its first quarter), its ``through`` and ``days`` unchanged: the
    days before the data are not missing sales, they are days the file does not cover.

    >>> t = calendar_periods("quarter", dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    >>> cut = cut_at(t, dt.date(2025, 5, 21), dt.date(2025, 6, 30))
    >>> cut[["period", "days", "partial"]].values.tolist()
    [['2025-Q1', 90, False], ['2025-Q2', 51, True]]
    >>> cut = cut_at(t, None, dt.date(2025, 5, 31))
    >>> [(p, f"{d:%Y-%m-%d}", n) for p, d, n in cut[["period", "through", "days"]].values]
    [('2025-Q1', '2025-03-31', 90), ('2025-Q2', '2025-05-31', 61)]
    >>> cut = cut_at(t, None, dt.date(2025, 6, 30), first=dt.date(2025, 3, 1))
    >>> cut[["period", "days", "partial"]].values.tolist()
    [['2025-Q1', 90, True], ['2025-Q2', 91, False]]
    """
    import pandas as pd

    out = table.copy()
    pend = out["pend"]
    if until is not None:
        cut = pd.Timestamp(until)
        through = pend.where(pend <= cut, cut).where(out["pstart"] <= cut, pend)
    else:
        through = pend
    end = pd.Timestamp(min(until, last) if until is not None else last)
    partial = (out["pstart"] <= end) & (out["pend"] > end)
    through = through.where(~partial, end)  # the data end first: their last day
    out["through"] = through.astype("datetime64[us]")
    out["days"] = (out["through"] - out["pstart"]).dt.days + 1
    if first is not None:  # the data start inside the period
        start = pd.Timestamp(first)
        partial = partial | ((out["pstart"] < start) & (out["pend"] >= start))
    out["partial"] = partial
    return out
