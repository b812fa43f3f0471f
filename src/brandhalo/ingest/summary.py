"""Summary warnings about a file's times, read back from what its ingest quarantined.

One small query per file (over the quarantine rows of its ingest), so the common file, with
nothing quarantined, costs nothing more.
"""

from __future__ import annotations

import calendar
import json
import re
from typing import Any

from brandhalo.ingest.timestamps import ACCEPTED_TIME_FORMS
from brandhalo.ingest.validate import REASONS
from brandhalo.store.inputs import quarantine_groups


def time_warnings(con: Any, ingest_id: int, rows_read: int, headers: dict[str, str]) -> list[str]:
    """Warnings for ingest `ingest_id` (`rows_read` rows; `headers`: schema column -> file
    column): one when most rows of a time or date column could not be read (with a value of
    the file and the forms brandhalo reads), one whenever dates were quarantined as ambiguous
    (naming ``--date-order``)."""
    unread, ambiguous = REASONS["time"], REASONS["ambiguous_date"]
    rows = quarantine_groups(con, ingest_id, [unread, REASONS["date"], ambiguous])
    out = []
    for column, reason, n, line, raw in rows:
        value = _value(raw, column, headers)
        if reason == ambiguous:
            out.append(_ambiguous_warning(column, int(n), line, value))
        elif n * 2 > rows_read:
            out.append(_unread_warning(column, int(n), rows_read, line, value))
    return out


def _value(raw: str | None, column: str | None, headers: dict[str, str]) -> str | None:
    """The quarantined row's value of `column` (``Date (created_at)`` or ``created_at``) from
    its raw cells (a JSON object), None when it cannot be told."""
    if not raw or not column:
        return None
    field = column.rsplit(" (", 1)[-1].rstrip(")") if column.endswith(")") else column
    try:
        cells = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(cells, dict):
        return None
    got = cells.get(headers.get(field, field))
    return None if got is None else str(got)


#: A year-first date (2025-04-31, 2025/4/31, 2025.04.31, 2025年4月31日) at a value's start.
_YMD = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")


def impossible_date(value: str | None) -> str | None:
    """Why `value`, a year-first date in a form brandhalo reads, is no calendar day (a 31 April,
    a 29 February outside leap years, month 13), else None."""
    got = _YMD.match(value or "")
    if got is None:
        return None
    year, month, day = (int(x) for x in got.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{year}-{month:02d} has {days} days"
    return None


def _unread_warning(column: str, n: int, rows: int, line: int, value: str | None) -> str:
    like = f", like {value!r} (line {line})" if value is not None else f" (e.g. line {line})"
    why = impossible_date(value)
    if why is not None:
        return (
            f"{n:,} of {rows:,} rows were quarantined because their {column} value is not a "
            f"calendar date{like}: {why}. The form is one brandhalo reads, so the values "
            "themselves are wrong (often a day counted on past a month's end by the tool that "
            "wrote the file): correct them, or map another time column with --map, and ingest "
            "the file again"
        )
    return (
        f"{n:,} of {rows:,} rows were quarantined because their {column} value is not a time "
        f"brandhalo reads{like}. It reads: {ACCEPTED_TIME_FORMS}. Write the column in one of "
        "these forms (or map another column with --map), and ingest the file again"
    )


def _ambiguous_warning(column: str, n: int, line: int, value: str | None) -> str:
    like = f"like {value!r} (line {line})" if value is not None else f"(e.g. line {line})"
    rows = "row was" if n == 1 else "rows were"
    return (
        f"{n:,} {rows} quarantined because their {column} dates, {like}, could be month first "
        "or day first and no date of the column tells (a field above 12 is the day): if the "
        "file writes months first (US: 03/04/2026 is 4 March), ingest it again with "
        "--date-order mdy; if days first (3 April), with --date-order dmy"
    )
