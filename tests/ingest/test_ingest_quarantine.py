"""Every quarantine reason: the bad row is set aside with file, line, column and reason."""

from __future__ import annotations

import json

import pytest
from ingest_helpers import quarantine

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files, list_quarantine
from brandhalo.ingest.validate import REASONS


def test_post_reasons(tmp_ws, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "id,text,created_at,likes,rating\n"
        "1,fine,2025-05-21 10:00,1,4.5\n"
        "2,,2025-05-21 10:00,1,\n"  # missing text
        "3,   ,2025-05-21 10:00,1,\n"  # blank text counts as missing
        "4,no time,,1,\n"  # missing created_at
        "5,bad time,someday,1,\n"
        "6,bad likes,2025-05-21 10:00,lots,\n"
        "7,negative,2025-05-21 10:00,-3,\n"
        "8,bad rating,2025-05-21 10:00,1,five\n"
        "9,too,many,columns,here,x\n"
        "10,ok again,2025-05-21 11:00,1.2万,\n",
        encoding="utf-8",
    )
    report = ingest_files(tmp_ws, "posts", [path])
    f = report.files[0]
    # a count that is no number keeps its post, stored with likes 0 (session 17); a rating
    # that is no number keeps its post, stored without a rating (session 20); so does a
    # negative count (a downvoted comment's score), stored as 0 (session 21)
    assert (f.rows_read, f.inserted, f.quarantined) == (10, 5, 5)
    assert quarantine(tmp_ws) == [
        (3, "text", "missing required value"),
        (4, "text", "missing required value"),
        (5, "created_at", "missing required value"),
        (6, "created_at", "unparseable time"),
        (10, None, "wrong column count"),
    ]
    lots = tmp_ws.store.con.execute("SELECT likes FROM posts WHERE post_id = '6'").fetchone()
    assert lots == (0,)
    below = tmp_ws.store.con.execute("SELECT likes FROM posts WHERE post_id = '7'").fetchone()
    assert below == (0,)
    assert "negative, like '-3' (line 8)" in " ".join(f.warnings)
    assert "'lots' (line 7)" in " ".join(f.warnings)
    five = tmp_ws.store.con.execute("SELECT rating FROM posts WHERE post_id = '8'").fetchone()
    assert five == (None,)
    assert "'five' (line 9)" in " ".join(f.warnings)
    raw = tmp_ws.store.con.execute("SELECT raw FROM quarantine WHERE line = 6").fetchone()[0]
    assert json.loads(raw)["created_at"] == "someday"
    likes = tmp_ws.store.con.execute("SELECT likes FROM posts WHERE post_id = '10'").fetchone()
    assert likes == (12000,)


def test_malformed_json_lines(tmp_ws, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"id": "1", "text": "ok", "created_at": "2025-05-21"}\n'
        "\n"
        '{"id": "2", "text": "cut off", "created_at": \n'
        "[1, 2, 3]\n"
        '{"id": "3", "text": "ok too", "created_at": "2025-05-22", "extra": {"a": 1}}\n',
        encoding="utf-8",
    )
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.totals["inserted"] == 2
    assert quarantine(tmp_ws) == [
        (3, None, "malformed JSON line"),
        (4, None, "malformed JSON line"),
    ]
    raw = tmp_ws.store.con.execute("SELECT raw FROM quarantine WHERE line = 3").fetchone()[0]
    assert raw == '{"id": "2", "text": "cut off", "created_at": '


def test_other_kind_reasons(tmp_ws, rows_file):
    sales = [
        {"period": "2025-04", "brand": "X", "product": "P", "units": "10"},
        {"period": "April", "brand": "X", "product": "P", "units": "10"},
        {"period": "2025-04", "brand": "", "product": "P", "units": "10"},
        {"period": "2025-04", "brand": "X", "product": "P", "units": "ten"},
        {"period": "2025-04", "brand": "X", "product": "Q", "units": "-5"},
    ]
    ingest_files(tmp_ws, "sales", [rows_file("s.csv", sales)])
    targets = [{"brand": "X", "product": "P", "year": "20x5", "units": "1"}]
    ingest_files(tmp_ws, "targets", [rows_file("t.csv", targets)])
    events = [{"date": "not a date", "brand": "X", "title": "t"}]
    ingest_files(tmp_ws, "events", [rows_file("e.csv", events)])
    market = [{"period": "2025-04", "category": "phone", "price_band": "", "units": "3"}]
    ingest_files(tmp_ws, "market", [rows_file("m.csv", market)])
    got = tmp_ws.store.con.execute(
        'SELECT kind, line, "column", reason FROM quarantine ORDER BY kind, line'
    ).fetchall()
    assert got == [
        ("events", 2, "date", "unparseable date"),
        (
            "market",
            2,
            "price_band",
            "missing required value: a row needs one of price_band, price_low, price_high",
        ),
        ("sales", 3, "period", "unparseable period"),
        ("sales", 4, "brand", "missing required value"),
        ("sales", 5, "units", "not a number"),
        ("sales", 6, "units", "negative value"),
        ("targets", 2, "year", "unparseable year"),
    ]
    assert tmp_ws.store.count("sales") == 1
    df = list_quarantine(tmp_ws, kind="sales", limit=2)
    assert len(df) == 2 and set(df["kind"]) == {"sales"}


def test_missing_required_column_names_file_column_and_fix(tmp_ws, rows_file):
    path = rows_file("p.csv", [{"content": "hi", "when": "2025-05-21"}])
    with pytest.raises(InputError) as err:
        ingest_files(tmp_ws, "posts", [path])
    msg = str(err.value)
    assert "p.csv" in msg and "'created_at'" in msg and "--map created_at=" in msg
    assert tmp_ws.store.count("ingest_log") == 0


def test_reasons_are_documented():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "input-formats.md").read_text(encoding="utf-8")
    for reason in REASONS.values():
        assert reason in doc


def _lines(ws):
    return ws.store.con.execute("SELECT post_id, line FROM posts ORDER BY line").fetchall()


def test_a_line_with_extra_fields_is_one_entry_and_one_row(tmp_ws, tmp_path):
    # issue 16 repro: 3 records, one with two extra fields, was "4 rows read"
    path = tmp_path / "p.csv"
    path.write_text(
        "id,text,created_at\n1,a,2025-05-21 10:00\n2,b,2025-05-21 10:00,x,y\n3,c,2025-05-21 10:00\n",
        encoding="utf-8",
    )
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (3, 2, 1)
    assert quarantine(tmp_ws) == [(3, None, "wrong column count")]
    assert _lines(tmp_ws) == [("1", 2), ("3", 4)]


def test_text_after_a_closing_quote_is_one_reason_not_two(tmp_ws, tmp_path):
    # issue 16 repro: reported as "malformed csv" and as "invalid UTF-8" in a valid UTF-8 file
    path = tmp_path / "p.csv"
    path.write_text(
        'id,text,created_at\n1,a,2025-05-21 10:00\n2,"好的" 不好,2025-05-21 10:00\n'
        '3,"x"y,2025-05-21 10:00\n4,d,2025-05-21 10:00\n',
        encoding="utf-8",
    )
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (4, 2, 2)
    assert quarantine(tmp_ws) == [
        (3, "text", "text after a closing quote"),
        (4, "text", "text after a closing quote"),
    ]
    assert _lines(tmp_ws) == [("1", 2), ("4", 5)]


def test_bad_time_keeps_its_line_after_a_line_with_many_extra_fields(tmp_ws, tmp_path):
    # issue 16 repro: a bad-time row got line 34 in a 32-line file
    lines = ["id,text,created_at"] + [f"{i},t{i},2025-05-21 10:00" for i in range(1, 32)]
    lines[5] = "5,t5,2025-05-21 10:00,a,b,c"  # line 6: three extra fields
    lines[31] = "31,t31,not a time"  # line 32, the last
    path = tmp_path / "p.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (31, 29, 2)
    assert quarantine(tmp_ws) == [
        (6, None, "wrong column count"),
        (32, "created_at", "unparseable time"),
    ]
    stored = dict(_lines(tmp_ws))
    assert stored["4"] == 5 and stored["6"] == 7 and stored["30"] == 31


def test_a_quote_that_never_closes_names_the_lines_it_swallowed(tmp_ws, tmp_path):
    # walk-through repro: a stray quote on line 22 of 31 took lines 22-31 with it, reported as
    # "text after a closing quote" and invisible in the summary
    lines = ["id,text,created_at"] + [f"{i},t{i},2025-05-21 10:00" for i in range(1, 31)]
    lines[21] = '21,"oops t21,2025-05-21 10:00'  # line 22 opens a quote that never closes
    lines[3] = '3,"x"y,2025-05-21 10:00'  # line 4: a quote that closes, then text
    path = tmp_path / "p.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.quarantined) == (21, 19, 2)
    q = quarantine(tmp_ws)
    assert q[0] == (4, "text", "text after a closing quote")
    line, column, reason = q[1]
    assert (line, column) == (22, "text")
    assert reason.startswith("a quote that never closes opens on line 22, so lines 22-31 were")
    assert "not loaded" in reason
    raw = tmp_ws.store.con.execute("SELECT raw FROM quarantine WHERE line = 22").fetchall()[0][0]
    assert "t21" in raw and "30,t30" in raw
    assert any("lines 22-31" in w for w in f.warnings)


def test_ids_rounded_by_a_spreadsheet_are_quarantined_not_merged(tmp_ws, tmp_path):
    # walk-through repro: two posts saved from Excel as note_id 5.1E+15 became "1 duplicates"
    path = tmp_path / "excel.csv"
    path.write_text(
        "id,text,created_at,author_id\n"
        "5.1E+15,first,2025-05-21 10:00,u1\n"
        "5.1E+15,second,2025-05-21 10:01,u2\n"
        "5.12e+15,third,2025-05-21 10:02,u3\n"
        "5100000000000015,fine,2025-05-21 10:03,6.6E+23\n"
        "E+15,odd but kept,2025-05-21 10:04,u5\n"
        "\t5100000000000016\t,kept too,2025-05-21 10:05,u6\n",
        encoding="utf-8",
    )
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.rows_read, f.inserted, f.duplicates, f.quarantined) == (6, 2, 0, 4)
    reason = REASONS["excel_id"]
    assert "spreadsheet" in reason and "as text" in reason
    assert quarantine(tmp_ws) == [
        (2, "id", reason),
        (3, "id", reason),
        (4, "id", reason),
        (5, "author_id", reason),
    ]
