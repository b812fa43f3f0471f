"""Numbers as analysts write them: amounts with a currency (``¥4,499``, ``2499元``), a unit
in a money or units header (``营收（亿元）``, ``销量（万辆）``), and target years (``2025年``)."""

from __future__ import annotations

import json

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files, ingest_records
from brandhalo.ingest.units import header_unit
from brandhalo.ingest.validate import REASONS


def _rows(ws, sql: str) -> list[tuple]:
    return ws.store.con.execute(sql).fetchall()


def _quarantine(ws) -> list[tuple]:
    return _rows(ws, 'SELECT line, "column", reason, raw FROM quarantine ORDER BY line')


PRICES = ["¥4,499", "¥4499", "￥4499", "2499元", "RMB 4,499", "$799", "4,499.00", "USD 799"]


def test_prices_with_a_currency_are_read(tmp_ws, tmp_path):
    lines = ["period,brand,product,units,price,revenue"]
    lines += [f'2025-{i + 1:02d},A,X1,"1,200","{p}",' for i, p in enumerate(PRICES)]
    lines += ["2025-10,A,X1,1.2万,CNY4499,5.4亿元", "2025-11,A,X1,1200,abc,"]
    path = tmp_path / "sales.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    f = ingest_files(tmp_ws, "sales", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (10, 9, 1)
    got = _rows(tmp_ws, "SELECT units, price, revenue FROM sales ORDER BY period_start")
    assert [p for _, p, _ in got] == [4499, 4499, 4499, 2499, 4499, 799, 4499, 799, 4499]
    assert {u for u, _, _ in got} == {1200, 12000}  # 1,200 and 1.2万: the one number rule
    assert got[-1][2] == 540_000_000
    [(line, col, reason, raw)] = _quarantine(tmp_ws)
    assert (line, col, json.loads(raw)["price"]) == (11, "price", "abc")
    assert reason == REASONS["money"]
    assert "¥4,499" in reason and "2499元" in reason and "RMB 4,499" in reason


def test_api_amounts_and_negative_prices(tmp_ws):
    rows = [
        {"period": "2025-04", "brand": "A", "product": "X", "units": "1", "price": "¥ 1.2万"},
        {"period": "2025-05", "brand": "A", "product": "X", "units": "1", "price": "-¥100"},
    ]
    f = ingest_records(tmp_ws, "sales", rows).files[0]
    assert (f.inserted, f.quarantined) == (1, 1)
    assert _rows(tmp_ws, "SELECT price FROM sales") == [(12000.0,)]
    assert _quarantine(tmp_ws)[0][1:3] == ("price", REASONS["negative"])


def test_target_year_written_with_nian(tmp_ws, tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text(
        'brand,product,year,units\nA,X1,2025年,"10,000"\nA,X2,2026 年度,1.5万\nA,X3,20x5,1\n',
        "utf-8",
    )
    f = ingest_files(tmp_ws, "targets", [path]).files[0]
    assert (f.inserted, f.quarantined) == (2, 1)
    got = _rows(tmp_ws, "SELECT product, year, units FROM targets ORDER BY product")
    assert got == [("X1", 2025, 10000.0), ("X2", 2026, 15000.0)]
    assert _quarantine(tmp_ws)[0][:3] == (4, "year", REASONS["year"])


FINANCIALS = "期间,品牌,业务,营收（亿元）,毛利率\n2025Q1,A,手机,465,23.2%\n"


def test_a_unit_in_a_money_header_scales_the_values(tmp_ws, tmp_path):
    path = tmp_path / "fin.csv"
    path.write_text(FINANCIALS, "utf-8")
    f = ingest_files(tmp_ws, "financials", [path]).files[0]  # recognised without --map
    assert _rows(tmp_ws, "SELECT revenue FROM financials") == [(46_500_000_000.0,)]
    assert len(f.notes) == 1 and "营收（亿元）" in f.notes[0] and "100,000,000" in f.notes[0]
    assert not f.warnings


def test_a_mapped_header_with_a_unit_is_scaled_too(tmp_ws, tmp_path):
    path = tmp_path / "fin.csv"
    path.write_text(FINANCIALS, "utf-8")
    ingest_files(tmp_ws, "financials", [path], mapping="revenue=营收（亿元）")
    assert _rows(tmp_ws, "SELECT revenue FROM financials") == [(46_500_000_000.0,)]


def test_units_and_prices_of_a_car_sales_sheet(tmp_ws, tmp_path):
    path = tmp_path / "cars.csv"
    path.write_text("月份,品牌,车型,销量（万辆）,价格（万元）\n2025-04,A,SU7,2.8,21.59\n", "utf-8")
    f = ingest_files(tmp_ws, "sales", [path]).files[0]
    assert _rows(tmp_ws, "SELECT units, price FROM sales") == [(28000.0, 215900.0)]
    assert [n.split(":")[0] for n in f.notes] == ["units", "price"]


def test_a_header_unit_that_cannot_be_read_is_named(tmp_ws, tmp_path):
    path = tmp_path / "fin.csv"
    path.write_text("quarter,company,segment,revenue (CHF)\n2025Q1,A,phones,465\n", "utf-8")
    with pytest.raises(InputError) as err:
        ingest_files(tmp_ws, "financials", [path])
    assert "'revenue (CHF)' may be it" in str(err.value)
    assert "--map 'revenue=revenue (CHF)'" in str(err.value)
    f = ingest_files(tmp_ws, "financials", [path], mapping="revenue=revenue (CHF)").files[0]
    assert _rows(tmp_ws, "SELECT revenue FROM financials") == [(465.0,)]
    assert not f.notes
    assert len(f.warnings) == 1 and "'CHF' in its header is not a unit" in f.warnings[0]


@pytest.mark.parametrize(
    ("header", "money", "factor"),
    [
        ("营收（亿元）", True, 1e8),
        ("营收(亿元)", True, 1e8),
        ("收入/百万元", True, 1e6),
        ("成本（千元）", True, 1e3),
        ("营收亿元", True, 1e8),
        ("revenue (RMB bn)", True, 1e9),
        ("Revenue ($M)", True, 1e6),
        ("revenue_usd_m", True, 1e6),
        ("revenue, in millions", True, 1e6),
        ("价格（元）", True, 1.0),
        ("units (k)", False, 1e3),
        ("销量【万辆】", False, 1e4),
    ],
)
def test_header_units(header, money, factor):
    unit = header_unit(header, money=money)
    assert unit is not None and unit.factor == factor


@pytest.mark.parametrize("header", ["avg_price", "price", "营收", "成本", "销量", "deliveries_ytd"])
def test_headers_without_a_unit(header):
    assert header_unit(header, money=True) is None
    assert header_unit(header, money=False) is None
