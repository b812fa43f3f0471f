"""JSON exports cut off mid-write (a crawler killed while writing), a garbage line, a BOM."""

from __future__ import annotations

import gzip
import json

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files

ROWS = [
    {"id": str(i), "text": f"第{i}条", "created_at": f"2025-05-0{i} 10:00"} for i in range(1, 4)
]


def _lines(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _quarantine(ws) -> list[tuple]:
    return ws.store.con.execute("SELECT line, reason FROM quarantine ORDER BY line").fetchall()


def test_a_jsonl_whose_last_line_is_cut_loads_the_rest_and_says_it_was_cut(tmp_ws, tmp_path):
    path = tmp_path / "crawl.jsonl"
    path.write_text(
        _lines(ROWS[:2]) + '{"id": "3", "text": "一般", "created_at": "2025-05', "utf-8"
    )
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (3, 2, 1)
    assert _quarantine(tmp_ws) == [(3, "malformed JSON line")]
    assert any("line 3, the last, ends inside a record" in w for w in f.warnings)


def test_a_gzipped_jsonl_cut_short_warns_too(tmp_ws, tmp_path):
    path = tmp_path / "crawl.jsonl.gz"
    path.write_bytes(gzip.compress((_lines(ROWS[:2]) + '{"id": "3", "te').encode()))
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (2, 1)
    assert any("cut short" in w for w in f.warnings)


def test_a_garbage_line_in_the_middle_is_quarantined_without_a_cut_warning(tmp_ws, tmp_path):
    path = tmp_path / "mid.jsonl"
    path.write_text(_lines(ROWS[:1]) + "garbage here\n" + _lines(ROWS[2:]), "utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (3, 2, 1)
    assert _quarantine(tmp_ws) == [(2, "malformed JSON line")]
    assert f.warnings == []


def test_a_jsonl_with_a_bom_loads_every_line(tmp_ws, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _lines(ROWS).encode())
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (3, 0)
    ids = tmp_ws.store.con.execute("SELECT post_id FROM posts ORDER BY post_id").fetchall()
    assert ids == [("1",), ("2",), ("3",)]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_jsonl_of_one_cut_line_says_so_not_that_text_is_missing(tmp_ws, tmp_path, bom):
    # the walk-through's repro: "column 'text' missing (the file has: no columns)"
    path = tmp_path / "one.jsonl"
    path.write_bytes(bom + '{"id": "9", "text": "一般", "created_at": "2025-05'.encode())
    with pytest.raises(InputError) as err:
        ingest_files(tmp_ws, "posts", [path])
    msg = str(err.value)
    assert "one.jsonl, line 1:" in msg and "cut short" in msg and "no columns" not in msg
    assert tmp_ws.store.count("ingest_log") == 0


def test_a_jsonl_without_one_object_names_its_first_line(tmp_ws, tmp_path):
    path = tmp_path / "lists.jsonl"
    path.write_text("\n[1, 2]\n[3]\n", "utf-8")
    with pytest.raises(InputError) as err:
        ingest_files(tmp_ws, "posts", [path])
    msg = str(err.value)
    assert "lists.jsonl, line 2:" in msg and "not a JSON object" in msg and "list" in msg
    assert "no columns" not in msg


def test_a_json_array_cut_short_loads_its_complete_records_and_says_it_was_cut(tmp_ws, tmp_path):
    # session 24: a cron user's cut crawler file loads its complete records (salvage), the cut
    # one is quarantined and a warning says the file was cut short (was: nothing loaded, exit 1)
    path = tmp_path / "search_contents.json"
    text = json.dumps(ROWS, ensure_ascii=False, indent=1)
    path.write_text(text[: text.rindex('"text"') + 9], "utf-8")  # cut inside the last record
    [f] = ingest_files(tmp_ws, "posts", [path]).files
    assert (f.inserted, f.quarantined) == (2, 1)
    assert any("cut short" in w for w in f.warnings)


def test_a_json_array_broken_in_the_middle_names_line_and_column(tmp_ws, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(
        '[{"id": "1", "text": "a", "created_at": "2025-05-01"},\n'
        '{"id": "2", "text": "b" x},\n'
        '{"id": "3", "text": "c", "created_at": "2025-05-01"}]\n',
        "utf-8",
    )
    with pytest.raises(InputError) as err:
        ingest_files(tmp_ws, "posts", [path])
    msg = str(err.value)
    assert "broken.json, line 2:" in msg and "column 25" in msg and "cut short" not in msg


def test_a_json_object_cut_short_says_so(tmp_ws, tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"data": [' + json.dumps(ROWS[0]) + ",\n" + '{"id": "2", "te', "utf-8")
    with pytest.raises(InputError, match=r"x\.json, line 2: .*cut short"):
        ingest_files(tmp_ws, "posts", [path])
