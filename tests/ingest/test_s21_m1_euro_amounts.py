"""Amounts in euros and pounds (``€679,500``, ``£649``, ``EUR 1,400``, ``Revenue (EUR)``): the
currency is dropped like ``¥`` or ``$`` (never converted), not quarantined as "not a number"."""

from __future__ import annotations

from brandhalo.ingest import ingest_files
from brandhalo.ingest.units import header_unit


def test_euro_and_pound_cells_are_amounts(tmp_ws, tmp_path):
    cells = ["€679,500", "£649", "EUR 1,400", "1400 EUR", "GBP 749", "749£", "€ 1.2万"]
    lines = ["period,brand,product,units,revenue"]
    lines += [f'2025-{i + 1:02d},A,X1,1,"{c}"' for i, c in enumerate(cells)]
    path = tmp_path / "sales.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    f = ingest_files(tmp_ws, "sales", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (7, 7, 0)
    got = tmp_ws.store.con.execute("SELECT revenue FROM sales ORDER BY period_start").fetchall()
    assert [r for (r,) in got] == [679500, 649, 1400, 1400, 749, 749, 12000]


def test_euro_header_is_a_unit_of_one():
    assert header_unit("Revenue (EUR)", money=True).factor == 1.0
    assert header_unit("Umsatz (€ m)", money=True).factor == 1e6
    assert header_unit("Revenue (GBP bn)", money=True).factor == 1e9


def test_revenue_eur_header_found_without_map(tmp_ws, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text('Month,Brand,Product,Units,Revenue (EUR)\n2024-07,A,X1,860,"€645,000"\n')
    f = ingest_files(tmp_ws, "sales", [path]).files[0]
    assert (f.inserted, f.quarantined) == (1, 0)
    assert tmp_ws.store.con.execute("SELECT revenue FROM sales").fetchall() == [(645000.0,)]
