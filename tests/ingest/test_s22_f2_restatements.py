"""Restated business files: `--replace` makes a later file's values win for the keys it holds
(sales, market, events), the warning without it names the flag, the market metrics read the
new values at once, and an events file that corrects a title warns instead of quietly storing
a second event."""

from __future__ import annotations

import subprocess
import sys

import pytest

from brandhalo.analytics.market.momentum import business_momentum
from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]
SALES_MAP = "product=Price band,price_band=Price band,category='car'"

FIRST = (
    "Month,Brand,Price band,Units\n"
    '2026-09,蔚来,30万以上,"10,000"\n'
    '2026-10,蔚来,30万以上,"13,736"\n'
    '2026-10,蔚来,20-30万,"7,610"\n'
)
RESTATED = (
    "Month,Brand,Price band,Units\n"
    '2026-10,蔚来,30万以上,"11,736"\n'  # October restated
    '2026-10,蔚来,20-30万,"7,610"\n'  # the same
    '2026-11,蔚来,30万以上,"15,860"\n'  # a new month
)


def _units(ws) -> dict[tuple[str, str], float]:
    rows = ws.store.con.execute(
        "SELECT strftime(period_start, '%Y-%m'), product, units FROM sales"
    ).fetchall()
    return {(m, p): u for m, p, u in rows}


def _files(tmp_path):
    first, restated = tmp_path / "sales.csv", tmp_path / "sales_restated.csv"
    first.write_text(FIRST, encoding="utf-8")
    restated.write_text(RESTATED, encoding="utf-8")
    return first, restated


def test_without_replace_the_stored_value_is_kept_and_the_warning_names_the_flag(tmp_ws, tmp_path):
    first, restated = _files(tmp_path)
    ingest_files(tmp_ws, "sales", [first], mapping=SALES_MAP)
    f = ingest_files(tmp_ws, "sales", [restated], mapping=SALES_MAP).files[0]
    assert (f.inserted, f.duplicates) == (1, 2)
    assert _units(tmp_ws)[("2026-10", "30万以上")] == 13736
    [warning] = f.warnings
    assert "--replace" in warning and "units (1)" in warning
    assert "fresh workspace" not in warning


def test_replace_applies_a_restated_month_and_the_metrics_see_it(tmp_ws, tmp_path):
    first, restated = _files(tmp_path)
    ingest_files(tmp_ws, "sales", [first], mapping=SALES_MAP)
    ingest_files(tmp_ws, "sales", [restated], mapping=SALES_MAP)  # kept the old value
    before = business_momentum(tmp_ws, "蔚来")
    october = before.loc[before["month"].astype(str).str.startswith("2026-10"), "units"]
    assert list(october) == [13736 + 7610]

    f = ingest_files(tmp_ws, "sales", [restated], mapping=SALES_MAP, replace=True).files[0]
    assert f.status == "done"  # the same bytes, read again: --replace is part of the skip key
    # the earlier read of this file is replaced by this one (as `brandhalo ingest --replace`
    # did; the library does it too since s26): its new month stored again, the rest repeats
    assert (f.inserted, f.duplicates, f.warnings) == (1, 2, [])
    [dropped, note] = [n for n in f.notes if n.startswith("--replace")]
    assert "replaces ingest #2 of this file: the 1 row it stored" in dropped
    assert "1 stored row was replaced" in note
    assert "2026-10 蔚来 30万以上: units 13,736 -> 11,736" in note
    units = _units(tmp_ws)
    assert units[("2026-10", "30万以上")] == 11736
    assert units[("2026-09", "30万以上")] == 10000  # nothing else lost
    assert units[("2026-10", "20-30万")] == 7610
    assert len(units) == 4
    after = business_momentum(tmp_ws, "蔚来")
    october = after.loc[after["month"].astype(str).str.startswith("2026-10"), "units"]
    assert list(october) == [11736 + 7610]


def test_replace_keeps_a_stored_value_the_file_leaves_empty(tmp_ws, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("Month,Brand,Product,Units,Revenue\n2026-10,蔚来,ES6,100,5000\n", encoding="utf-8")
    b.write_text("Month,Brand,Product,Units,Revenue\n2026-10,蔚来,ES6,120,\n", encoding="utf-8")
    ingest_files(tmp_ws, "sales", [a])
    ingest_files(tmp_ws, "sales", [b], replace=True)
    got = tmp_ws.store.con.execute("SELECT units, revenue FROM sales").fetchall()
    assert got == [(120.0, 5000.0)]


def test_replace_restates_market_rows(tmp_ws, tmp_path):
    a, b = tmp_path / "m1.csv", tmp_path / "m2.csv"
    a.write_text("month,category,price_band,units\n2026-10,car,15万以下,300000\n", encoding="utf-8")
    b.write_text("month,category,price_band,units\n2026-10,car,15万以下,310000\n", encoding="utf-8")
    ingest_files(tmp_ws, "market", [a])
    f = ingest_files(tmp_ws, "market", [b], replace=True).files[0]
    assert "units 300,000 -> 310,000" in " ".join(f.notes)
    assert tmp_ws.store.con.execute("SELECT units FROM market").fetchall() == [(310000.0,)]


def test_replace_is_refused_for_labels(tmp_ws, tmp_path):
    # (posts take --replace since session 27: a corrected file's posts replace the stored
    # ones, tests/ingest/test_s27_ingest_replace.py)
    f = tmp_path / "l.csv"
    f.write_text("id,label\n1,positive\n", encoding="utf-8")
    with pytest.raises(InputError, match="--replace applies to posts, sales"):
        ingest_files(tmp_ws, "labels", [f], replace=True)


EVENTS_V2 = (
    "日期,品牌,事件,类型\n"
    "2026-11-25,小鹏,小鹏G9官方降价3.4万元,price\n"
    "2026-11-27,蔚来,蔚来ES6召回2.1万辆（刹车助力）,recall\n"
)
EVENTS_V3 = (
    "日期,品牌,事件,类型\n"
    "2026-11-25,小鹏,小鹏G9官方降价3.4万元,price\n"
    "2026-11-27,蔚来,蔚来ES6召回2.3万辆（刹车助力）,recall\n"
)


def _events(ws) -> list[tuple]:
    return ws.store.con.execute(
        "SELECT CAST(date AS VARCHAR), brand, title FROM events ORDER BY date, title"
    ).fetchall()


def test_a_corrected_event_title_warns_naming_the_pair_and_replace_applies_it(tmp_ws, tmp_path):
    v2, v3 = tmp_path / "events_v2.csv", tmp_path / "events_v3.csv"
    v2.write_text(EVENTS_V2, encoding="utf-8")
    v3.write_text(EVENTS_V3, encoding="utf-8")
    ingest_files(tmp_ws, "events", [v2])
    f = ingest_files(tmp_ws, "events", [v3]).files[0]
    [warning] = f.warnings
    assert (
        "2026-11-27 蔚来: '蔚来ES6召回2.1万辆（刹车助力）' -> '蔚来ES6召回2.3万辆（刹车助力）'"
        in warning
    )
    assert "--replace" in warning
    assert len(_events(tmp_ws)) == 3  # both titles, as the warning says

    f = ingest_files(tmp_ws, "events", [v3], replace=True).files[0]
    assert f.warnings == []
    assert "1 stored event was replaced" in " ".join(f.notes)
    assert _events(tmp_ws) == [
        ("2026-11-25", "小鹏", "小鹏G9官方降价3.4万元"),
        ("2026-11-27", "蔚来", "蔚来ES6召回2.3万辆（刹车助力）"),
    ]


def test_two_events_of_a_brand_on_one_day_in_one_file_are_kept_with_replace(tmp_ws, tmp_path):
    v1, v2 = tmp_path / "e1.csv", tmp_path / "e2.csv"
    v1.write_text("date,brand,title\n2026-11-27,蔚来,旧标题\n", encoding="utf-8")
    v2.write_text("date,brand,title\n2026-11-27,蔚来,发布会\n2026-11-27,蔚来,召回\n", "utf-8")
    ingest_files(tmp_ws, "events", [v1])
    ingest_files(tmp_ws, "events", [v2], replace=True)
    assert [t for _, _, t in _events(tmp_ws)] == ["发布会", "召回"]


def test_the_cli_takes_replace(tmp_ws, tmp_path):
    first, restated = _files(tmp_path)
    root = str(tmp_ws.root)
    tmp_ws.close()
    opts = ["--map", SALES_MAP, "--project", root]
    run = [*BRANDHALO, "ingest", "sales", str(first), *opts]
    assert subprocess.run(run, capture_output=True, text=True, timeout=120).returncode == 0
    plain = [*BRANDHALO, "ingest", "sales", str(restated), *opts]
    out = subprocess.run(plain, capture_output=True, text=True, timeout=120)
    assert "--replace" in " ".join(out.stderr.split())
    out = subprocess.run([*plain, "--replace"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    said = " ".join(out.stdout.split())
    assert "1 stored row was replaced" in said and "13,736 -> 11,736" in said
