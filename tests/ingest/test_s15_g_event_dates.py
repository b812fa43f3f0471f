"""An event date with a time and a zone is the day it is in the workspace zone (as posts'
days are); a bare date, a local time and a Chinese date stay the day written."""

from __future__ import annotations

import datetime as dt

import pytest

from brandhalo.ingest import ingest_files

EVENTS = [
    {"date": "2025-03-09T20:00:00-08:00", "brand": "小米", "title": "us launch", "kind": "launch"},
    {"date": "2025-03-09T23:30:00Z", "brand": "小米", "title": "utc late", "kind": "launch"},
    {"date": "2015-02-24 20:35:52 -0800", "brand": "小米", "title": "numeric zone", "kind": "x"},
    {"date": "2025-03-10T07:00:00+08:00", "brand": "小米", "title": "local zone", "kind": "x"},
    {"date": "2025-03-09 20:00", "brand": "小米", "title": "naive local", "kind": "launch"},
    {"date": "2025-03-09", "brand": "小米", "title": "date only", "kind": "launch"},
    {"date": "2025年3月9日", "brand": "小米", "title": "zh date", "kind": "launch"},
]


def test_event_dates_in_workspace_zone(tmp_ws, rows_file):
    assert tmp_ws.config.workspace.timezone == "Asia/Shanghai"
    report = ingest_files(tmp_ws, "events", [rows_file("events.csv", EVENTS)])
    assert report.totals["quarantined"] == 0
    got = dict(tmp_ws.store.con.execute("SELECT title, date FROM events").fetchall())
    assert got == {
        "us launch": dt.date(2025, 3, 10),
        "utc late": dt.date(2025, 3, 10),
        "numeric zone": dt.date(2015, 2, 25),
        "local zone": dt.date(2025, 3, 10),
        "naive local": dt.date(2025, 3, 9),
        "date only": dt.date(2025, 3, 9),
        "zh date": dt.date(2025, 3, 9),
    }


SALES = [
    {"period": "2025-04-01 00:00:00", "brand": "小米", "product": "a", "units": "1"},
    {"period": "2025/4/1 0:00", "brand": "小米", "product": "b", "units": "1"},
    {"period": "2025-03-31T16:00:00.000Z", "brand": "小米", "product": "c", "units": "1"},
    {"period": "2025-04", "brand": "小米", "product": "d", "units": "1"},
    {"period": "2025Q2", "brand": "小米", "product": "e", "units": "1"},
    {"period": "2025-04-01", "brand": "小米", "product": "f", "units": "1"},
    {"period": 202504, "brand": "小米", "product": "g", "units": "1"},
]


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_periods_written_as_times_are_their_local_day(tmp_ws, rows_file, suffix):
    """A spreadsheet writes a date cell as ``2025/4/1 0:00``, a JavaScript export local
    midnight as ``2025-03-31T16:00:00.000Z``: the day it is in the workspace zone."""
    report = ingest_files(tmp_ws, "sales", [rows_file(f"sales.{suffix}", SALES)])
    assert report.totals["quarantined"] == 0
    got = {
        r[0]: r[1:]
        for r in tmp_ws.store.con.execute(
            "SELECT product, period_start, period_end, grain FROM sales"
        ).fetchall()
    }
    april_1 = (dt.date(2025, 4, 1), dt.date(2025, 4, 1), "day")
    april = (dt.date(2025, 4, 1), dt.date(2025, 4, 30), "month")
    assert got == {
        "a": april_1,
        "b": april_1,
        "c": april_1,
        "d": april,
        "e": (dt.date(2025, 4, 1), dt.date(2025, 6, 30), "quarter"),
        "f": april_1,
        "g": april,
    }
