"""Amounts scaled by a unit (营收（亿元）, 323.4亿) are stored as written, without float noise."""

from __future__ import annotations

from brandhalo.ingest import ingest_files


def _rows(ws, sql):
    return ws.store.con.execute(sql).fetchall()


def test_a_header_unit_and_a_cell_unit_give_exact_amounts(tmp_ws, tmp_path):
    header = tmp_path / "fin.csv"
    header.write_text(
        "期间,品牌,业务,营收（亿元）,毛利率（%）\n2024Q1,小米,手机,323.4,14.8\n"
        "2024Q2,小米,汽车,0.07,12.3\n",
        encoding="utf-8",
    )
    cells = tmp_path / "fin2.csv"
    cells.write_text(
        "period,brand,line,revenue,cost\n2024Q3,小米,IoT,323.4亿,1.1万\n", encoding="utf-8"
    )
    ingest_files(tmp_ws, "financials", [header, cells])
    got = _rows(
        tmp_ws, "SELECT line, revenue, gross_margin, cost FROM financials ORDER BY period_start"
    )
    assert got == [
        ("手机", 32_340_000_000.0, 0.148, None),
        ("汽车", 7_000_000.0, 0.123, None),
        ("IoT", 32_340_000_000.0, None, 11_000.0),
    ]


def test_digits_as_written_stay(tmp_ws, tmp_path):
    f = tmp_path / "sales.csv"
    f.write_text(
        "period,brand,product,units,price,revenue\n2025-01,A,X,3,4499.99,0.0001234\n"
        "2025-02,A,X,3,¥1234567.891,98765432109.12\n",
        encoding="utf-8",
    )
    ingest_files(tmp_ws, "sales", [f])
    got = _rows(tmp_ws, "SELECT price, revenue FROM sales ORDER BY period_start")
    assert got == [(4499.99, 0.0001234), (1234567.891, 98765432109.12)]
