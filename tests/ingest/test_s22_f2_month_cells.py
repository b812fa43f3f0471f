"""Month cells of a spreadsheet (a date on the 1st, shown as 2026年10月) are read as months in
sales and market files, so they meet the month rows of other files as the same rows; a column
with other days stays days, as docs/input-formats.md says."""

from __future__ import annotations

import datetime as dt

from brandhalo.ingest import ingest_files

SALES_MAP = "product=价格段,price_band=价格段,category='car'"


def _periods(ws, table: str = "sales") -> list[tuple]:
    return ws.store.con.execute(
        f"SELECT DISTINCT CAST(period_start AS VARCHAR), CAST(period_end AS VARCHAR), grain "
        f"FROM {table} ORDER BY 1"
    ).fetchall()


def _xlsx(path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(["月份", "品牌", "价格段", "销量（辆）"])
    for r in rows:
        sh.append(r)
        sh.cell(row=sh.max_row, column=1).number_format = 'yyyy"年"m"月"'
    wb.save(path)
    return path


def test_excel_month_cells_are_months_and_meet_month_rows(tmp_ws, tmp_path):
    csv = tmp_path / "sales.csv"
    csv.write_text("月份,品牌,价格段,销量\n2026-10,蔚来,30万以上,13736\n", encoding="utf-8")
    ingest_files(tmp_ws, "sales", [csv], mapping=SALES_MAP)
    book = _xlsx(
        tmp_path / "sales_restated.xlsx",
        [
            [dt.datetime(2026, 10, 1), "蔚来", "30万以上", 11736],
            [dt.datetime(2026, 11, 1), "蔚来", "30万以上", 15860],
        ],
    )
    f = ingest_files(tmp_ws, "sales", [book], mapping=SALES_MAP).files[0]
    assert (f.inserted, f.duplicates) == (1, 1)  # October is the stored month row
    assert any(
        n.startswith("月份 read as months: every value is the 1st of a month") for n in f.notes
    )
    assert _periods(tmp_ws) == [
        ("2026-10-01", "2026-10-31", "month"),
        ("2026-11-01", "2026-11-30", "month"),
    ]


def test_texts_on_the_first_of_each_month_are_months(tmp_ws, tmp_path):
    f = tmp_path / "m.csv"
    f.write_text(
        "date,category,price_band,units\n2026-09-01,car,15万以下,1\n2026/10/1 0:00,car,15万以下,2\n",
        encoding="utf-8",
    )
    got = ingest_files(tmp_ws, "market", [f]).files[0]
    assert "date read as months" in " ".join(got.notes)
    assert _periods(tmp_ws, "market") == [
        ("2026-09-01", "2026-09-30", "month"),
        ("2026-10-01", "2026-10-31", "month"),
    ]


def test_a_column_with_other_days_stays_days(tmp_ws, tmp_path):
    f = tmp_path / "s.csv"
    f.write_text(
        "date,brand,product,units\n2026-10-01,蔚来,ES6,1\n2026-10-15,蔚来,ES6,2\n"
        "2026/11/1 0:00,蔚来,ES6,3\n",
        encoding="utf-8",
    )
    got = ingest_files(tmp_ws, "sales", [f]).files[0]
    assert not any("months" in n for n in got.notes)
    assert [g for _, _, g in _periods(tmp_ws)] == ["day", "day", "day"]
    assert _periods(tmp_ws)[2][:2] == ("2026-11-01", "2026-11-01")  # a date with a time: that day


def test_one_first_of_a_month_is_a_month_only_under_a_month_header(tmp_ws, tmp_path):
    day = tmp_path / "day.csv"
    day.write_text("date,brand,product,units\n2026-12-01,蔚来,ES6,1\n", encoding="utf-8")
    got = ingest_files(tmp_ws, "sales", [day]).files[0]
    assert _periods(tmp_ws) == [("2026-12-01", "2026-12-01", "day")]
    assert any("write the month (2026-10)" in n for n in got.notes)
    month = tmp_path / "month.csv"
    month.write_text("月份,brand,product,units\n2026-11-01,蔚来,ES6,1\n", encoding="utf-8")
    ingest_files(tmp_ws, "sales", [month])
    assert ("2026-11-01", "2026-11-30", "month") in _periods(tmp_ws)


def test_financials_periods_are_not_read_as_months(tmp_ws, tmp_path):
    f = tmp_path / "fin.csv"
    f.write_text(
        "period,brand,line,revenue\n2026-10-01,蔚来,汽车,1\n2026-11-01,蔚来,汽车,2\n",
        encoding="utf-8",
    )
    ingest_files(tmp_ws, "financials", [f])
    assert [g for _, _, g in _periods(tmp_ws, "financials")] == ["day", "day"]
