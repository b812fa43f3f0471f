"""Values as crawlers write them: abbreviated counts, relative times, epochs, two times."""

from __future__ import annotations

import datetime as dt

import pytest
from ingest_helpers import quarantine

from brandhalo.ingest import ingest_files


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("1.2万", 12000), ("10万+", 100000), ("3.4w", 34000), ("3.4W", 34000), ("1.1k", 1100),
        ("1.1K", 1100), ("1,234", 1234), ("2.5M", 2500000), ("1.5亿", 150000000),
        ("1.2 万", 12000), ("999+", 999), ("12", 12), ("", 0),
    ],
)  # fmt: skip
def test_counts_as_crawlers_write_them(tmp_ws, rows_file, raw, want):
    path = rows_file("c.csv", [{"id": "1", "text": "x", "created_at": "2025-05-21", "likes": raw}])
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.quarantined == 0
    assert tmp_ws.store.con.execute("SELECT likes FROM posts").fetchall() == [(want,)]


def test_relative_times_count_back_from_the_crawl_time(tmp_ws, rows_file):
    crawl_ms = "1747713600000"  # 2025-05-20 04:00 UTC = 12:00 in Shanghai
    values = ["刚刚", "3分钟前", "2小时前", "昨天 12:00", "05-19 08:00", "2 months ago"]
    rows = [
        {"id": str(i), "text": v, "created_at": v, "add_ts": crawl_ms} for i, v in enumerate(values)
    ]
    f = ingest_files(tmp_ws, "posts", [rows_file("r.csv", rows)]).files[0]
    assert (f.inserted, f.quarantined, f.relative_times, f.warnings) == (6, 0, 6, [])
    got = [
        r[0]
        for r in tmp_ws.store.con.execute("SELECT created_at FROM posts ORDER BY line").fetchall()
    ]
    assert got == [
        dt.datetime(2025, 5, 20, 4),
        dt.datetime(2025, 5, 20, 3, 57),
        dt.datetime(2025, 5, 20, 2),
        dt.datetime(2025, 5, 19, 4),
        dt.datetime(2025, 5, 19, 0),
        dt.datetime(2025, 3, 20, 4),
    ]


def test_epoch_seconds_and_milliseconds(tmp_ws, rows_file):
    rows = [
        {"id": "s", "text": "a", "created_at": "1747713600"},
        {"id": "ms", "text": "b", "created_at": "1747713600000"},
    ]
    ingest_files(tmp_ws, "posts", [rows_file("e.csv", rows)])
    got = tmp_ws.store.con.execute(
        "SELECT DISTINCT created_at, tz_offset_min FROM posts"
    ).fetchall()
    assert got == [(dt.datetime(2025, 5, 20, 4), 0)]


def test_the_offset_datetime_wins_over_a_disagreeing_epoch(tmp_ws, rows_file):
    rows = [  # the second record's epoch is 8 hours off its datetime
        {
            "id": "1",
            "text": "a",
            "create_date_time": "2025-04-01 17:50:20+08:00",
            "ct": "1743501020",
        },
        {
            "id": "2",
            "text": "b",
            "create_date_time": "2025-04-01 17:50:20+08:00",
            "ct": "1743529820",
        },
        {"id": "3", "text": "c", "create_date_time": "", "ct": "1743501020"},
        {"id": "4", "text": "d", "create_date_time": "2025-04-01 17:50:20", "ct": "1743501020"},
    ]
    mapping = "created_at=create_date_time,created_at_alt=ct"
    f = ingest_files(tmp_ws, "posts", [rows_file("t.csv", rows)], mapping=mapping).files[0]
    assert (f.inserted, f.quarantined, f.time_disagreements) == (4, 0, 1)
    got = tmp_ws.store.con.execute(
        "SELECT post_id, created_at, tz_offset_min FROM posts ORDER BY post_id"
    ).fetchall()
    utc = dt.datetime(2025, 4, 1, 9, 50, 20)
    # an offset beats an epoch; an epoch beats a local time without zone
    assert got == [("1", utc, 480), ("2", utc, 480), ("3", utc, 0), ("4", utc, 0)]


def test_post_types_and_defaults(tmp_ws, rows_file):
    rows = [
        {"id": "p", "text": "post", "created_at": "2025-05-21", "reply_to": "", "post_type": ""},
        {"id": "c", "text": "comment", "created_at": "2025-05-21", "reply_to": "p", "post_type": ""},
        {"id": "r", "text": "reply", "created_at": "2025-05-21", "reply_to": "c", "post_type": "Reply"},
        {"id": "x", "text": "bad", "created_at": "2025-05-21", "reply_to": "", "post_type": "story"},
    ]  # fmt: skip
    f = ingest_files(tmp_ws, "posts", [rows_file("t.csv", rows)]).files[0]
    assert (f.inserted, f.quarantined) == (3, 1)
    assert quarantine(tmp_ws) == [(5, "post_type", "unknown post type")]
    got = tmp_ws.store.con.execute(
        "SELECT post_id, post_type, reply_to, thread_id FROM posts ORDER BY line"
    ).fetchall()
    assert got == [("p", "post", None, None), ("c", "comment", "p", "p"), ("r", "reply", "c", None)]
