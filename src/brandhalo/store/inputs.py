"""Reads of the inputs besides posts: ``events`` (launches, incidents and other brand
events) and the ``quarantine`` of rejected input rows; ``store.market`` reads ``sales``,
``market``, ``financials`` and ``targets``.

Part of the data-access layer (issue 18). ``ingest.tables`` writes these tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    import pandas as pd


def events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every event (event_id, date, brand as written, title, kind), oldest first."""
    return con.execute("SELECT event_id, date, brand, title, kind FROM events ORDER BY date").df()


def brand_events(
    con: duckdb.DuckDBPyConnection, brands: Sequence[str]
) -> list[tuple[dt.date, str]]:
    """(date, title) of the events whose brand column is one of `brands` (a brand's name and
    aliases as written in the events file), oldest first."""
    return con.execute(
        "SELECT date, title FROM events WHERE list_contains(?, brand) ORDER BY date",
        [list(brands)],
    ).fetchall()


def event_brands(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The distinct brand values of the events table, as written."""
    rows = con.execute("SELECT DISTINCT brand FROM events WHERE brand IS NOT NULL").fetchall()
    return sorted(str(r[0]) for r in rows)


def quarantined(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str | None,
    file: str | None,
    limit: int,
    latest: bool = False,
) -> pd.DataFrame:
    """Quarantined rows, newest ingest first (ingest_id, kind, file, line, column, reason,
    raw); `kind` exact, `file` a substring of the file name; with `latest`, only those of the
    latest read of each file (a file read again, corrected, replaces what its earlier reads
    quarantined)."""
    where, params = _quarantine_filter(kind, file, latest)
    sql = f'SELECT ingest_id, kind, file, line, "column", reason, raw FROM ({_QUARANTINE_FILES})'
    sql += f" WHERE {where} ORDER BY ingest_id DESC, line LIMIT {int(limit)}"
    return con.execute(sql, params).df()


#: Quarantined rows with their file: rows quarantined once the whole file was read (an id held
#: by two texts) leave their file to the ingest's log.
_QUARANTINE_FILES = (
    'SELECT q.ingest_id, q.kind, coalesce(q.file, l.file) AS file, q.line, q."column", '
    "q.reason, q.raw FROM quarantine q LEFT JOIN (SELECT DISTINCT ingest_id, file FROM "
    "ingest_log) l ON l.ingest_id = q.ingest_id"
)


def _quarantine_filter(kind: str | None, file: str | None, latest: bool) -> tuple[str, list[Any]]:
    """SQL condition over :data:`_QUARANTINE_FILES` and its params."""
    where, params = ["true"], []
    if latest:
        where.append(
            "ingest_id IN (SELECT max(ingest_id) FROM ingest_log WHERE status = 'done' "
            "GROUP BY kind, file)"
        )
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if file:
        where.append("file LIKE ?")
        params.append(f"%{file}%")
    return " AND ".join(where), params


def quarantine_counts(
    con: duckdb.DuckDBPyConnection, *, kind: str | None, file: str | None
) -> tuple[int, int]:
    """(rows quarantined by the latest read of each file, rows quarantined by every read), of
    `kind` and files whose path contains `file` when given."""
    out = []
    for latest in (True, False):
        where, params = _quarantine_filter(kind, file, latest)
        sql = f"SELECT count(*) FROM ({_QUARANTINE_FILES}) WHERE {where}"
        out.append(int(con.execute(sql, params).fetchall()[0][0]))
    return out[0], out[1]


def quarantine_groups(
    con: duckdb.DuckDBPyConnection, ingest_id: int, reasons: list[str]
) -> list[tuple[Any, ...]]:
    """Rows ingest `ingest_id` quarantined for one of `reasons`, grouped by (column, reason):
    (column, reason, rows, first line, raw cells of the first line)."""
    marks = ", ".join("?" for _ in reasons)
    return con.execute(
        'SELECT "column", reason, count(*), min(line), arg_min(raw, line) FROM quarantine '
        f"WHERE ingest_id = ? AND reason IN ({marks}) GROUP BY ALL ORDER BY 1, 2",
        [ingest_id, *reasons],
    ).fetchall()
