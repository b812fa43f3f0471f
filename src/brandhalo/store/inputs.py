"""Reads of the inputs besides posts: ``events`` (launches, incidents and other brand
events) and the ``quarantine`` of rejected input rows; ``store.market`` reads ``sales``,
``market``, ``financials`` and ``targets``.

Part of the data-access layer (issue 18). ``ingest.tables`` writes these tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd


def events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every event (event_id, date, brand as written, title, kind), oldest first."""
    return con.execute("SELECT event_id, date, brand, title, kind FROM events ORDER BY date").df()


def brand_events(con: duckdb.DuckDBPyConnection, brand: str) -> list[tuple[dt.date, str]]:
    """(date, title) of one brand's events, oldest first."""
    return con.execute(
        "SELECT date, title FROM events WHERE brand = ? ORDER BY date", [brand]
    ).fetchall()


def quarantined(
    con: duckdb.DuckDBPyConnection, *, kind: str | None, file: str | None, limit: int
) -> pd.DataFrame:
    """Quarantined rows, newest ingest first (ingest_id, kind, file, line, column, reason,
    raw); `kind` exact, `file` a substring of the file name."""
    where, params = [], []
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if file:
        where.append("file LIKE ?")
        params.append(f"%{file}%")
    # Rows quarantined once the whole file was read (an id held by two texts) leave their file
    # to the ingest's log.
    rows = (
        'SELECT q.ingest_id, q.kind, coalesce(q.file, l.file) AS file, q.line, q."column", '
        "q.reason, q.raw FROM quarantine q LEFT JOIN (SELECT DISTINCT ingest_id, file FROM "
        "ingest_log) l ON l.ingest_id = q.ingest_id"
    )
    sql = f'SELECT ingest_id, kind, file, line, "column", reason, raw FROM ({rows})'
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY ingest_id DESC, line LIMIT {int(limit)}"
    return con.execute(sql, params).df()
