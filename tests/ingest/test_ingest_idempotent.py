"""Re-ingesting is a no-op: same bytes are skipped, same ids are duplicates, hash ids are stable."""

from __future__ import annotations

import hashlib

from ingest_helpers import posts

from brandhalo.ingest import ingest_files

ROWS = [
    {"id": "1", "text": "first", "created_at": "2025-05-21 10:00"},
    {"id": "2", "text": "second", "created_at": "2025-05-21 11:00"},
    {"id": "2", "text": "second again", "created_at": "2025-05-21 11:00"},
]


def test_same_file_twice_inserts_nothing(tmp_ws, rows_file):
    path = rows_file("p.csv", ROWS)
    first = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (first.status, first.inserted, first.duplicates) == ("done", 2, 1)
    second = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert second.status == "skipped" and second.inserted == 0
    assert tmp_ws.store.count("posts") == 2
    log = tmp_ws.store.con.execute("SELECT status FROM ingest_log ORDER BY ingest_id").fetchall()
    assert log == [("done",), ("skipped",)]


def test_same_ids_in_two_files(tmp_ws, rows_file):
    ingest_files(tmp_ws, "posts", [rows_file("a.csv", ROWS[:2])])
    other = [*ROWS[1:2], {"id": "3", "text": "third", "created_at": "2025-05-22 10:00"}]
    report = ingest_files(tmp_ws, "posts", [rows_file("b.jsonl", other)])
    assert (report.totals["inserted"], report.totals["duplicates"]) == (1, 1)
    assert sorted(p["post_id"] for p in posts(tmp_ws)) == ["1", "2", "3"]


def test_posts_without_ids_get_stable_hash_ids(tmp_ws, rows_file):
    rows = [
        {
            "source": "weibo",
            "author_id": "u9",
            "text": "无ID的帖子",
            "created_at": "2025-05-21T10:00:00+08:00",
        }
    ]
    ingest_files(tmp_ws, "posts", [rows_file("a.csv", rows)])
    # The same post in another export (other format, other time notation) is a duplicate.
    again = [{**rows[0], "created_at": "2025-05-21T02:00:00Z"}]
    report = ingest_files(tmp_ws, "posts", [rows_file("b.jsonl", again)])
    assert report.totals["duplicates"] == 1
    want = hashlib.sha1("weibo|u9|2025-05-21T02:00:00|无ID的帖子".encode()).hexdigest()
    assert [p["post_id"] for p in posts(tmp_ws)] == [want]


def test_other_kinds_dedupe_by_key(tmp_ws, rows_file):
    rows = [
        {"period": "2025-04", "brand": "X", "product": "P", "units": "10"},
        # the same key written two ways, the same units (other units conflict: session 25)
        {"period": "2025/04", "brand": "X", "product": "P", "units": "10"},
    ]
    report = ingest_files(tmp_ws, "sales", [rows_file("s.csv", rows)])
    assert (report.totals["inserted"], report.totals["duplicates"]) == (1, 1)
    assert tmp_ws.store.con.execute("SELECT units FROM sales").fetchall() == [(10.0,)]


def test_multi_batch_file_dedupes_across_batches(tmp_ws, rows_file, monkeypatch):
    monkeypatch.setenv("BRANDHALO_INGEST_BATCH_ROWS", "7")
    rows = [
        {"id": str(i % 20), "text": f"t{i % 20}", "created_at": "2025-05-21"} for i in range(50)
    ]
    report = ingest_files(tmp_ws, "posts", [rows_file("p.csv", rows)])
    assert (report.totals["inserted"], report.totals["duplicates"]) == (20, 30)
    assert sorted(p["line"] for p in posts(tmp_ws)) == list(range(2, 22))
