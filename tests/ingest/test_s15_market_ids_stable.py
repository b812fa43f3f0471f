"""A market file stored before the band rule read units (15-25万 as 15-25), ingested again
after an edit or as part of a monthly export holding the history, keeps its rows' ids: its
rows are not stored twice (double counting every market metric). The stored bounds are the
new, right ones for new rows.
"""

from __future__ import annotations

from pathlib import Path

from brandhalo.ingest import dedup
from brandhalo.ingest.schemas import KINDS
from brandhalo.ingest.units import legacy_band_bounds_sql
from brandhalo.workspace import Workspace, init_workspace

ROWS = "月份,品类,价格段,销量\n2025-01,car,15-25万,1000\n2025-01,car,40万以上,200\n2025-01,car,3000-3999,5\n"


def _old_ids(con, rows: list[tuple]) -> list[str]:
    """The ids the first band rule gave these (period_start, grain, category, band) rows."""
    low, high = legacy_band_bounds_sql("band")
    key = {"period_start": "period_start", "grain": "grain", "category": "category",
           "price_band": "band", "price_low": low, "price_high": high, "region": "NULL"}  # fmt: skip
    sql = (
        f"SELECT {dedup.row_id(KINDS['market'], key)} FROM (VALUES "
        + ", ".join("(?, ?, ?, ?)" for _ in rows)
        + ") t(period_start, grain, category, band)"
    )
    return [r[0] for r in con.execute(sql, [v for row in rows for v in row]).fetchall()]


def test_ids_keep_the_first_rule_and_bounds_read_units(tmp_path: Path) -> None:
    from brandhalo.ingest import ingest_files

    root = tmp_path / "ws"
    init_workspace(root).close()
    first = tmp_path / "market_jan.csv"
    first.write_text(ROWS, encoding="utf-8")
    with Workspace.open(root) as ws:
        ingest_files(ws, "market", [first])
        got = ws.store.con.execute(
            "SELECT price_band, price_low, price_high, row_id, period_start, grain, category "
            "FROM market ORDER BY price_band"
        ).fetchall()
        bounds = {r[0]: (r[1], r[2]) for r in got}
        assert bounds["15-25万"] == (150000, 250000)
        assert bounds["40万以上"] == (400000, None)
        assert bounds["3000-3999"] == (3000, 3999)
        want = _old_ids(ws.store.con, [(r[4], r[5], r[6], r[0]) for r in got])
        assert [r[3] for r in got] == want
    # February's export holds January again: January's rows are not stored twice
    second = tmp_path / "market_feb.csv"
    second.write_text(ROWS + "2025-02,car,15-25万,1100\n", encoding="utf-8")
    with Workspace.open(root) as ws:
        ingest_files(ws, "market", [second])
        n = ws.store.con.execute("SELECT count(*), sum(units) FROM market").fetchone()
    assert n == (4, 2305)
