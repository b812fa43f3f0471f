"""Market price bands written in 万 (or k, 千, w) are stored as whole amounts, by the one rule
the market metrics read band labels by (`parse_band_label`)."""

from __future__ import annotations

import math

import duckdb
import pytest

from brandhalo.analytics.market import bands
from brandhalo.ingest import ingest_files
from brandhalo.ingest.units import band_bounds_sql, parse_band_label

LABELS = {
    "15-25万": (150000.0, 250000.0),
    "40万以上": (400000.0, math.inf),
    "15万以下": (0.0, 150000.0),
    "<15万": (0.0, 150000.0),
    ">=40万": (400000.0, math.inf),
    "30万+": (300000.0, math.inf),
    "4k-6k": (4000.0, 6000.0),
    "4K-6K": (4000.0, 6000.0),
    "3w-5w": (30000.0, 50000.0),
    "2-3千": (2000.0, 3000.0),
    "2000-4000元": (2000.0, 4000.0),
    "0.3-0.5万": (3000.0, 5000.0),
    "5000-1万": (5000.0, 10000.0),
    "1万-15000": (10000.0, 15000.0),
    "１５-２５万": (150000.0, 250000.0),
    "1,500-2,000": (1500.0, 2000.0),
    "3000-3999": (3000.0, 3999.0),
    "6000+": (6000.0, math.inf),
    "<1000": (0.0, 1000.0),
    "≤2000": (0.0, 2000.0),
    "2000以内": (0.0, 2000.0),
    "6000以上": (6000.0, math.inf),
}


@pytest.mark.parametrize(("label", "expected"), LABELS.items())
def test_parse_band_label(label, expected):
    assert parse_band_label(label) == expected
    assert bands.parse_band_label is parse_band_label  # the old name still imports


def test_sql_rule_agrees_with_python():
    labels = [*LABELS, "全部", "合计", "", "Top 10", "约2k"]
    layers, low, high = band_bounds_sql("label", "b")
    sql = "SELECT label FROM (VALUES " + ", ".join(f"('{x}')" for x in labels) + ") v(label)"
    for layer in layers:
        sql = f"SELECT *, {', '.join(f'{e} AS {n}' for n, e in layer.items())} FROM ({sql})"
    rows = duckdb.sql(f"SELECT label, {low}, {high} FROM ({sql})").fetchall()
    for label, lo, hi in rows:
        try:
            want: tuple[float | None, float | None] = parse_band_label(label)
        except ValueError:
            want = (None, None)
        assert (lo, math.inf if hi is None and lo is not None else hi) == want, label


def test_market_file_stores_whole_amounts(tmp_ws, rows_file):
    rows = [
        {"period": "2025-04", "category": "car", "price_band": band, "units": "10"}
        for band in ("15万以下", "15-25万", "40万以上", "<15万", ">=40万", "30万+")
    ]
    rows.append(  # a range the file gives is kept
        {
            "period": "2025-04",
            "category": "car",
            "price_band": "其他",
            "price_low": "1",
            "price_high": "2",
            "units": "1",
        }
    )
    report = ingest_files(tmp_ws, "market", [rows_file("market.csv", rows)])
    assert report.totals["inserted"] == 7 and report.totals["quarantined"] == 0
    got = tmp_ws.store.con.execute(
        "SELECT price_band, price_low, price_high FROM market"
    ).fetchall()
    assert sorted(got) == sorted(
        [
            ("15万以下", 0.0, 150000.0),
            ("15-25万", 150000.0, 250000.0),
            ("40万以上", 400000.0, None),
            ("<15万", 0.0, 150000.0),
            (">=40万", 400000.0, None),
            ("30万+", 300000.0, None),
            ("其他", 1.0, 2.0),
        ]
    )
