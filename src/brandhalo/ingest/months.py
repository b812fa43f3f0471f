"""Period columns whose days all fall on the 1st of a month, read as months.

A spreadsheet writes a month as a date cell on its first day (shown as ``2026年10月``); read as
days, those rows would clash with the month rows of other files (a day inside a month row).
In a sales or market file, a period column whose every value is the 1st of a month (date
cells, texts like ``2026-10-01``) is read as months, decided from the whole column, as
:func:`~brandhalo.ingest.validate.date_orders` decides the order of dates. A column with one
such day only is read as months when its header names a month (``月份``, ``Month``): one
``2026-12-01`` may well be a day.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from brandhalo.ingest.timestamps import period_layers

if TYPE_CHECKING:
    from brandhalo.ingest.readers import Source
    from brandhalo.ingest.schemas import KindSpec

#: The kinds whose period columns may be read as months so.
KINDS = ("sales", "market")
#: A header that names a month.
MONTH_HEADER = re.compile(r"(?i)month|月")


def monthly_periods(
    cur: Any, spec: KindSpec, src: Source, resolved: dict[str, str], tz: str
) -> tuple[set[str], list[str]]:
    """(the schema's period columns to read as months, the summary's notes) of `src`.

    A file the look cannot read reads none so (the load itself reports why).
    """
    import duckdb

    if spec.name not in KINDS or "period" not in resolved:
        return set(), []
    header = resolved["period"]
    try:
        days, firsts, distinct = _counts(cur, src, header, tz)
    except duckdb.Error:
        return set(), []
    if not days or firsts < days:
        return set(), []
    named = bool(MONTH_HEADER.search(header))
    if distinct >= 2 or named:
        why = "" if distinct >= 2 else f" and the header {header!r} names a month"
        return {"period"}, [
            f"{header} read as months: every value is the 1st of a month{why} (a date cell "
            "on 2026-10-01, as a spreadsheet writes the month 2026年10月, is read as 2026-10)"
        ]
    return set(), [
        f"{header}: every value is the same 1st of a month, read as that day; if it stands for "
        "its month, write the month (2026-10) or name the column month (月份)"
    ]


def _counts(cur: Any, src: Source, header: str, tz: str) -> tuple[int, int, int]:
    """(values read as days, those on the 1st of a month, distinct such days) of column
    `header` of `src`, read as :func:`period_layers` reads a period."""
    inner = f"SELECT {src.scalar_expr(header)} AS _x FROM {src.look_sql}"
    if src.skip:
        inner += f" WHERE NOT {src.skip}"
    for layer in period_layers("_x", src.type_of(header), "_p", tz):
        projected = ", ".join(f"{expr} AS {name}" for name, expr in layer.items())
        inner = f"SELECT *, {projected} FROM ({inner})"
    day = "_p_grain = 'day' AND _p_start IS NOT NULL"
    row = cur.execute(
        f"SELECT count(*) FILTER (WHERE {day}), "
        f"count(*) FILTER (WHERE {day} AND day(_p_start) = 1), "
        f"count(DISTINCT _p_start) FILTER (WHERE {day}) FROM ({inner})"
    ).fetchall()[0]
    return int(row[0]), int(row[1]), int(row[2])


def as_months(layers: list[dict[str, str]], name: str) -> list[dict[str, str]]:
    """`layers` (:func:`period_layers` of period `name`) with a day on the 1st of a month read
    as that month (grain ``month``, ending on its last day)."""
    start, grain, end = f"{name}_start", f"{name}_grain", f"{name}_end"
    out = [dict(la) for la in layers]
    i = next(k for k, la in enumerate(out) if grain in la)
    g, s = out[i][grain], out[i][start]
    out[i][grain] = f"(CASE WHEN ({g}) = 'day' AND day({s}) = 1 THEN 'month' ELSE ({g}) END)"
    j = next(k for k, la in enumerate(out) if end in la)
    month_end = f"CAST({start} + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE)"
    out[j][end] = f"(CASE WHEN {grain} = 'month' THEN {month_end} ELSE ({out[j][end]}) END)"
    return out
