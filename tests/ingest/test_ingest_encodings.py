"""UTF-8, UTF-8 with BOM, GB18030 and GBK exports are detected (or given) and read exactly."""

from __future__ import annotations

import pytest
from ingest_helpers import posts

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.ingest.readers import detect_encoding

ROWS = [
    {
        "id": "1",
        "text": "雷军：小米汽车 SU7 交付破 25.8 万台，𠀀 罕见字",
        "created_at": "2025-05-21 10:00",
    },
    {"id": "2", "text": "质量问题？售后很差！", "created_at": "2025-05-22 09:30"},
]


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("gb18030", "gb18030"), ("gbk", "gb18030")],
)
@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_encodings_detected(tmp_ws, rows_file, encoding, detected, suffix):
    rows = (
        ROWS
        if encoding != "gbk"
        else [{**r, "text": r["text"].replace("𠀀 罕见字", "")} for r in ROWS]
    )
    path = rows_file(f"e.{suffix}", rows, encoding=encoding)
    assert detect_encoding(path) == detected
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.totals["inserted"] == 2
    assert [p["text"] for p in posts(tmp_ws)] == [r["text"] for r in rows]


def test_gb18030_gzip_and_given_encoding(tmp_ws, rows_file):
    path = rows_file("e.csv.gz", ROWS, encoding="gb18030", gz=True, fmt="csv")
    ingest_files(tmp_ws, "posts", [path], encoding="GB18030")
    assert [p["text"] for p in posts(tmp_ws)] == [r["text"] for r in ROWS]


def test_wrong_encoding_is_an_input_error(tmp_ws, rows_file):
    path = rows_file("e.csv", ROWS, encoding="gb18030")
    with pytest.raises(InputError, match="--encoding"):
        ingest_files(tmp_ws, "posts", [path], encoding="utf-16")
    with pytest.raises(InputError, match="unknown encoding"):
        ingest_files(tmp_ws, "posts", [path], encoding="no-such-codec")


def test_stray_invalid_byte_in_utf8_file_is_quarantined(tmp_ws, tmp_path):
    head = "id,text,created_at\n1,好的,2025-05-21\n".encode()
    path = tmp_path / "bad.csv"
    # A large valid prefix keeps detection on UTF-8; the bad byte sits on the last line.
    filler = "".join(f"{i + 10},第{i}条,2025-05-21\n" for i in range(60000)).encode()
    path.write_bytes(head + filler + b"99,bad \xff byte,2025-05-21\n")
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.totals["inserted"] == 60001 and report.totals["quarantined"] == 1
    line, column, reason = tmp_ws.store.con.execute(
        'SELECT line, "column", reason FROM quarantine'
    ).fetchall()[0]
    assert (line, reason) == (60003, "invalid UTF-8")
