"""Reads of the dated inputs besides posts: ``events`` (launches, incidents and other brand
events); ``sales``, ``market``, ``financials`` and ``targets`` move here next.

Part of the data-access layer (issue 18). ``ingest.tables`` writes these tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd


def events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every event (event_id, date, brand as written, title, kind), oldest first."""
    return con.execute("SELECT event_id, date, brand, title, kind FROM events ORDER BY date").df()
