"""JSON arrays, record-holding objects (found or --records), one object per line, gzip."""

from __future__ import annotations

import gzip
import json

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files

ROWS = [
    {"id": "1", "text": "一", "created_at": "2025-05-21 10:00"},
    {"id": "2", "text": "二", "created_at": "2025-05-21 11:00", "extra": {"a": [1, 2]}},
    {"id": "3", "text": "", "created_at": "2025-05-21 12:00"},
]


def _stored(ws):
    return ws.store.con.execute("SELECT post_id, line FROM posts ORDER BY line").fetchall()


@pytest.mark.parametrize("gz", [False, True])
def test_json_array(tmp_ws, tmp_path, gz):
    data = json.dumps(ROWS, ensure_ascii=False, indent=1).encode()
    path = tmp_path / ("a.json.gz" if gz else "a.json")
    path.write_bytes(gzip.compress(data) if gz else data)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined, f.records_key) == (3, 2, 1, None)
    assert _stored(tmp_ws) == [("1", 1), ("2", 2)]
    q = tmp_ws.store.con.execute('SELECT line, "column", reason FROM quarantine').fetchall()
    assert q == [(3, "text", "missing required value")]


def test_object_holding_one_list_is_found(tmp_ws, tmp_path):
    path = tmp_path / "o.json"
    path.write_text(json.dumps({"meta": {"n": 3}, "result": {"posts": ROWS[:2]}}), "utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.records_key) == (2, "result.posts")


def test_object_with_several_lists_needs_records(tmp_ws, tmp_path):
    path = tmp_path / "o.json"
    path.write_text(json.dumps({"new": ROWS[:1], "old": ROWS[1:2]}), "utf-8")
    with pytest.raises(InputError) as err:
        ingest_files(tmp_ws, "posts", [path])
    msg = str(err.value)
    assert "o.json" in msg and "new, old" in msg and "--records KEY" in msg
    f = ingest_files(tmp_ws, "posts", [path], records="old").files[0]
    assert (f.inserted, f.records_key) == (1, "old")
    assert _stored(tmp_ws) == [("2", 1)]


def test_object_without_records_says_what_it_holds(tmp_ws, tmp_path):
    path = tmp_path / "o.json"
    path.write_text(json.dumps({"error": {"code": 429}, "items": []}), "utf-8")
    with pytest.raises(InputError, match=r"no list of records; its keys are: error \(object\)"):
        ingest_files(tmp_ws, "posts", [path])


def test_json_file_with_one_object_per_line_is_json_lines(tmp_ws, tmp_path):
    path = tmp_path / "l.json"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS[:2]) + "{broken\n", "utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (3, 2, 1)
    q = tmp_ws.store.con.execute("SELECT line, reason FROM quarantine").fetchall()
    assert q == [(3, "malformed JSON line")]


def test_nested_value_by_json_path(tmp_ws, tmp_path):
    rows = [{"id": "1", "body": "hi", "ts": "2025-05-21 10:00", "user": {"name": "小王"}}]
    path = tmp_path / "n.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    mapping = "text=body,created_at=ts,author_name=$.user.name"
    ingest_files(tmp_ws, "posts", [path], mapping=mapping)
    got = tmp_ws.store.con.execute("SELECT author_name FROM posts").fetchall()
    assert got == [("小王",)]


def test_not_json_names_the_file(tmp_ws, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json at all", "utf-8")
    with pytest.raises(InputError, match="bad.json.*JSON"):
        ingest_files(tmp_ws, "posts", [path])
