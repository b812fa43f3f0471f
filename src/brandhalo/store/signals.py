"""Detection results (``episodes``; next ``alerts``, ``change_points`` and the incremental
bookkeeping ``signals_days``/``signals_state``): what the signals stage stored, as the alert
list, the watcher and the change-point masking read it.

Part of the data-access layer (issue 18). The signals stage (``analytics.signals``) still
writes these tables itself; its statements move here next.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pandas as pd


def episodes(
    con: duckdb.DuckDBPyConnection,
    *,
    ends_after: dt.datetime | None = None,
    brand: str | None = None,
    kind: str | None = None,
) -> pd.DataFrame:
    """Stored episodes (every column), newest start first.

    Args:
        con: the store connection.
        ends_after: only episodes ending after this UTC instant (None: all).
        brand: only this brand's (None: all).
        kind: only this kind (``negative_spike`` for rows stored before kinds existed).
    """
    where, params = "WHERE 1 = 1", list[Any]()
    if ends_after is not None:
        where += " AND end_at > ?"
        params.append(ends_after)
    if brand is not None:
        where += " AND brand = ?"
        params.append(brand)
    if kind is not None:
        where += " AND coalesce(kind, 'negative_spike') = ?"
        params.append(kind)
    return con.execute(f"SELECT * FROM episodes {where} ORDER BY start_at DESC", params).df()


def episode_spans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every episode's brand, start_at and end_at (unordered)."""
    return con.execute("SELECT brand, start_at, end_at FROM episodes").df()
