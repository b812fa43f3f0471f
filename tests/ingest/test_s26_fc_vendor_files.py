"""Session 26 (fc): vendor spreadsheets and exports as analysts get them: an Excel sheet with
title rows keeps records whose last cells are empty; a tea-drink vendor's 价格带 and 万杯; review
exports' 评论ID, 商品属性 and 评价等级 (好评/中评/差评); a MediaCrawler database's tables."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.ingest.containers import sqlite_reads, xlsx_to_csv
from brandhalo.ingest.presets import known_tables
from brandhalo.ingest.units import header_unit
from brandhalo.workspace import Workspace

HEADER = ["月份", "品牌", "地区", "价格带", "销量(万杯)", "销售额(万元)", "门店数"]


def _sheet(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _vendor_rows() -> list[list[Any]]:
    # the last cells of some records are empty (no revenue, no store count that month)
    return [
        ["2026-01", "霁月茶", "华东", "10-15元", 100, 1500, 1200],
        ["2026-01", "霁月茶", "华南", "10-15元", 80, None, None],
        ["2026-02", "霁月茶", "华东", "10-15元", 90, 1350, None],
        ["2026-02", "霁月茶", "华南", "10-15元", 70, None, None],
    ]


def test_a_sheet_with_title_rows_pads_records_to_the_headers_width(tmp_path: Path):
    path = _sheet(
        tmp_path / "vendor.xlsx",
        [["新茶饮品牌月度监测"], ["数据来源：某平台"], HEADER, *_vendor_rows()],
    )
    out = xlsx_to_csv(path, None, tmp_path)
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [len(r) for r in rows] == [1, 1, 7, 7, 7, 7, 7]
    assert rows[4] == ["2026-01", "霁月茶", "华南", "10-15元", "80", "", ""]


def test_a_vendor_sheet_with_title_rows_loads_every_record(tmp_ws: Workspace, tmp_path: Path):
    path = _sheet(
        tmp_path / "vendor.xlsx",
        [["新茶饮品牌月度监测"], ["数据来源：某平台"], HEADER, *_vendor_rows()],
    )
    # the walk-through's command; 万杯 scales the units by 10,000
    mapping = "product=价格带,price_band=价格带,category='茶饮',units=销量(万杯)"
    f = ingest_files(tmp_ws, "sales", [path], mapping=mapping).files[0]
    assert (f.status, f.inserted, f.quarantined) == ("done", 4, 0), f
    got = tmp_ws.store.con.execute(
        "SELECT region, units, price_band FROM sales WHERE period_start = DATE '2026-01-01' "
        "ORDER BY region"
    ).fetchall()
    assert got == [("华东", 1_000_000.0, "10-15元"), ("华南", 800_000.0, "10-15元")]
    assert not [w for w in f.warnings if "万杯" in w], f.warnings


def test_a_price_band_column_named_jiagedai_is_read(tmp_ws: Workspace, tmp_path: Path):
    path = _csv(
        tmp_path / "sales.csv",
        ["月份", "品牌", "产品", "价格带", "销量"],
        [["2026-01", "霁月茶", "芝士莓莓", "15-20元", "12"]],
    )
    f = ingest_files(tmp_ws, "sales", [path]).files[0]
    assert (f.status, f.inserted) == ("done", 1), f
    got = tmp_ws.store.con.execute("SELECT product, price_band FROM sales").fetchall()
    assert got == [("芝士莓莓", "15-20元")]


@pytest.mark.parametrize(
    ("header", "factor"),
    [("销量(万杯)", 1e4), ("订单量（万单）", 1e4), ("销量(千份)", 1e3), ("门店数(家)", 1.0),
     ("销量（万辆）", 1e4)],
)  # fmt: skip
def test_count_words_of_drinks_orders_and_stores_are_read(header: str, factor: float):
    unit = header_unit(header, money=False)
    assert unit is not None and unit.factor == factor


def _csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


def test_review_grades_in_words_are_ratings(tmp_ws: Workspace, tmp_path: Path):
    path = _csv(
        tmp_path / "tmall.csv",
        ["评价ID", "评价内容", "评价时间", "评价等级", "商品属性"],
        [["T1", "很好喝", "2026-01-02 10:00:00", "好评", "规格：大杯；口味：芝士莓莓"],
         ["T2", "一般般", "2026-01-03 10:00:00", "中评", "规格：中杯；口味：柠檬茶"],
         ["T3", "太甜了", "2026-01-04 10:00:00", " 差评 ", "规格：大杯；口味：柠檬茶"]],
    )  # fmt: skip
    f = ingest_files(tmp_ws, "posts", [path], mapping="rating=评价等级,source='tmall'").files[0]
    assert f.status == "done" and not [w for w in f.warnings if "not a rating" in w], f.warnings
    got = tmp_ws.store.con.execute(
        "SELECT post_id, rating, product_hint FROM posts ORDER BY post_id"
    ).fetchall()
    assert got == [
        ("T1", 5.0, "规格：大杯；口味：芝士莓莓"),
        ("T2", 3.0, "规格：中杯；口味：柠檬茶"),
        ("T3", 1.0, "规格：大杯；口味：柠檬茶"),
    ]


def test_a_jd_export_keeps_its_product_name_over_its_variant(tmp_ws: Workspace, tmp_path: Path):
    path = _csv(
        tmp_path / "jd.csv",
        ["评论ID", "商品名称", "商品属性", "评价内容", "评价时间", "SKU"],
        [["JD1", "声悦Air3", "颜色：曜石黑", "音质很好", "2026-01-02 10:00:00", "100768"]],
    )
    f = ingest_files(tmp_ws, "posts", [path], mapping="source='jd'").files[0]
    assert f.status == "done", f
    got = tmp_ws.store.con.execute("SELECT post_id, product_hint FROM posts").fetchall()
    assert got == [("JD1", "声悦Air3")]


def _crawl_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE xhs_note_comment (comment_id TEXT, note_id TEXT, content TEXT)")
    con.execute("CREATE TABLE xhs_note (note_id TEXT, title TEXT)")
    con.execute("CREATE TABLE douyin_aweme_comment (comment_id TEXT, aweme_id TEXT)")
    con.execute("CREATE TABLE weibo_note (note_id TEXT)")
    con.execute("INSERT INTO douyin_aweme_comment VALUES ('c9', 'a9')")
    con.execute("INSERT INTO weibo_note VALUES ('w1')")
    con.execute("CREATE TABLE crawl_log (run TEXT)")
    con.execute("CREATE TABLE empty_notes (note_id TEXT)")
    con.execute("INSERT INTO xhs_note_comment VALUES ('c1', 'n1', '好喝')")
    con.execute("INSERT INTO xhs_note VALUES ('n1', '新品')")
    con.execute("INSERT INTO crawl_log VALUES ('r1'), ('r2')")
    con.commit()
    con.close()
    return path


def test_a_crawler_database_reads_every_known_table_contents_first(tmp_path: Path):
    path = _crawl_db(tmp_path / "crawl.db")
    tables, note = sqlite_reads(path, None, known_tables())
    # the contents tables first, so that each comment finds the post it answers
    assert tables == ["weibo_note", "xhs_note", "douyin_aweme_comment", "xhs_note_comment"]
    assert note is not None and "crawl_log (2 rows)" in note and "--table NAME" in note
    assert "empty_notes" not in note
    # --table still picks one
    assert sqlite_reads(path, "xhs_note_comment", known_tables()) == (["xhs_note_comment"], None)
    with pytest.raises(InputError, match="no table 'nope'"):
        sqlite_reads(path, "nope", known_tables())


def test_a_database_no_preset_reads_asks_for_a_table(tmp_path: Path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE a (x TEXT)")
    con.execute("CREATE TABLE b (y TEXT)")
    con.execute("INSERT INTO a VALUES ('1')")
    con.execute("INSERT INTO b VALUES ('2')")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="no preset reads any of them; pass --table NAME"):
        sqlite_reads(path, None, known_tables())
