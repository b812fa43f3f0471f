"""Market fixtures: a small workspace and helpers that insert rows straight into the store."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from brandhalo.workspace import Workspace, init_workspace

CONFIG = """
version = 1
# Top-level keys must come before the first table: the products, one per line.
products = [
  { name = "Mi 14", brand = "Xiaomi", category = "phone", price = 4999, aliases = ["小米14", "Xiaomi 14"] },
  { name = "Mi 14 Ultra", brand = "Xiaomi", category = "phone", price = 6499, prices = [{ since = 2024-03-01, price = 5999 }] },
  { name = "Redmi 13", brand = "Xiaomi", category = "phone", price = 1299 },
  { name = "Mate 60", brand = "Huawei", category = "phone", price = 6999 },
  { name = "SU7", brand = "Xiaomi", category = "car", price = 215900, aliases = ["小米SU7"] },
]

[workspace]
name = "market test"

[[brands]]
name = "Xiaomi"
aliases = ["小米", "Xiaomi", "XIAOMI", "Mi"]
own = true

[[brands]]
name = "Huawei"
aliases = ["华为", "Huawei"]

[price_bands]
phone = [0, 2000, 4000, 6000]
car = [0, 150000, 200000, 300000]
premium_from = { phone = 6000, car = 300000 }
"""

_ids = itertools.count(1)


def month_end(day: dt.date) -> dt.date:
    nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def add_sales(ws: Workspace, rows: list[dict[str, Any]]) -> None:
    """Insert sales rows; `month='2024-01'` fills period_start/end and grain."""
    for r in rows:
        r = _month(r)
        if "day" in r:
            day = r.pop("day")
            day = dt.date.fromisoformat(day) if isinstance(day, str) else day
            r.setdefault("period_start", day)
            r.setdefault("period_end", day)
            r.setdefault("grain", "day")
        _insert(ws, "sales", r)


def add_rows(ws: Workspace, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows into market, financials or targets (`month=` / `quarter=` helpers)."""
    for r in rows:
        r = _month(r)
        if "quarter" in r:
            y, q = r.pop("quarter").split("-Q")
            start = dt.date(int(y), 3 * int(q) - 2, 1)
            end = month_end(dt.date(int(y), 3 * int(q), 1))
            r.update(period_start=start, period_end=end, grain="quarter")
        _insert(ws, table, r)


def _month(row: dict[str, Any]) -> dict[str, Any]:
    """A copy of the row with `month='2024-01'` spelled out as period_start/end and grain."""
    r = dict(row)
    if "month" in r:
        start = dt.date.fromisoformat(r.pop("month") + "-01")
        r.update(period_start=start, period_end=month_end(start), grain="month")
    return r


def _insert(ws: Workspace, table: str, r: dict[str, Any]) -> None:
    r.setdefault("row_id", f"{table[0]}{next(_ids)}")
    cols = list(r)
    ws.store.con.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [r[c] for c in cols],
    )


class Put:
    """Row inserters handed to tests as the `put` fixture (no cross-area module imports)."""

    sales = staticmethod(add_sales)
    rows = staticmethod(add_rows)


@pytest.fixture
def put() -> Put:
    return Put()


@pytest.fixture
def make_ws(tmp_path: Path) -> Iterator[Callable[[str], Workspace]]:
    """Extra workspaces with the market test config, closed at the end of the test."""
    made: list[Workspace] = []

    def make(name: str) -> Workspace:
        made.append(init_workspace(tmp_path / name, config_text=CONFIG))
        return made[-1]

    yield make
    for ws in made:
        ws.close()


@pytest.fixture
def mws(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace with Xiaomi/Huawei, five products (one with a price change) and bands."""
    ws = init_workspace(tmp_path / "mws", config_text=CONFIG)
    yield ws
    ws.close()
