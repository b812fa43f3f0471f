"""Financials as analysts write them: a percent margin header, placeholders for no value
(`-`, `—`, `N/A`), and extra columns named in the summary instead of dropped silently."""

from __future__ import annotations

import pytest

from brandhalo.ingest import ingest_files
from brandhalo.ingest.validate import REASONS


def _stored(ws) -> list[tuple]:
    return ws.store.con.execute(
        "SELECT CAST(period_start AS VARCHAR), line, revenue, gross_margin, cost "
        "FROM financials ORDER BY period_start, line"
    ).fetchall()


@pytest.mark.parametrize("header", ["毛利率（%）", "毛利率(%)", "Gross margin (%)", "毛利率%"])
def test_a_percent_margin_header_is_read_as_percents(tmp_ws, tmp_path, header):
    f = tmp_path / "fin.csv"
    f.write_text(
        f"期间,品牌,业务,营收,{header}\n2024Q1,小米,手机,465,14.8\n2024Q2,小米,手机,470,1.2%\n"
    )
    result = ingest_files(tmp_ws, "financials", [f]).files[0]
    assert (result.inserted, result.quarantined, result.warnings) == (2, 0, [])
    margins = [round(m, 4) for _, _, _, m, _ in _stored(tmp_ws)]
    assert margins == [0.148, 0.012]  # 1.2% under a percent header is 1.2%, not 120%


def test_placeholders_in_optional_numbers_are_missing_values(tmp_ws, tmp_path):
    f = tmp_path / "fin.csv"
    f.write_text(
        "period,brand,line,revenue,gross_margin,cost\n"
        "2024Q1,小米,a,100,-,—\n"
        "2024Q1,小米,b,100,N/A,n/a\n"
        "2024Q1,小米,c,100,--,\n"
        "2024Q1,小米,d,100, — ,#N/A\n"
        "2024Q1,小米,e,100,20%,80\n",
        encoding="utf-8",
    )
    result = ingest_files(tmp_ws, "financials", [f]).files[0]
    assert (result.inserted, result.quarantined) == (5, 0)
    rows = _stored(tmp_ws)
    assert [(line, m, c) for _, line, _, m, c in rows[:4]] == [
        ("a", None, None),
        ("b", None, None),
        ("c", None, None),
        ("d", None, None),
    ]
    assert rows[4][3:] == (0.2, 80.0)


def test_a_placeholder_in_a_required_number_is_quarantined_by_file_line_column(tmp_ws, tmp_path):
    f = tmp_path / "fin.csv"
    f.write_text(
        "period,brand,line,revenue\n2024Q1,小米,a,100\n2024Q2,小米,a,-\n2024Q3,小米,a,N/A\n",
        encoding="utf-8",
    )
    result = ingest_files(tmp_ws, "financials", [f]).files[0]
    assert (result.inserted, result.quarantined) == (1, 2)
    q = tmp_ws.store.con.execute(
        'SELECT file, line, "column", reason FROM quarantine ORDER BY line'
    ).fetchall()
    assert q == [
        (str(f), 3, "revenue", REASONS["placeholder"]),
        (str(f), 4, "revenue", REASONS["placeholder"]),
    ]
    assert "'-'" in REASONS["placeholder"] and "missing required value" in REASONS["placeholder"]


def test_a_column_nothing_reads_is_named_in_a_warning(tmp_ws, tmp_path):
    f = tmp_path / "fin.csv"
    f.write_text(
        "period,brand,line,revenue,GM [pct],备注\n2024Q1,小米,a,100,20,首批\n", encoding="utf-8"
    )
    result = ingest_files(tmp_ws, "financials", [f]).files[0]
    assert result.inserted == 1
    [warning] = result.warnings
    assert "'GM [pct]', '备注'" in warning and "not financials columns" in warning
    assert "gross_margin" in warning and "--map" in warning


def test_placeholder_counts_in_posts_are_zero_not_quarantined(tmp_ws, tmp_path):
    f = tmp_path / "posts.csv"
    f.write_text(
        "id,text,created_at,likes,reposts\n1,好车,2025-04-01 10:00,-,N/A\n", encoding="utf-8"
    )
    result = ingest_files(tmp_ws, "posts", [f]).files[0]
    assert (result.inserted, result.quarantined) == (1, 0)
    row = tmp_ws.store.con.execute("SELECT likes, reposts FROM posts").fetchone()
    assert row == (0, 0)
