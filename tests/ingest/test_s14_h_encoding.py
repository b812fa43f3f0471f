"""A Western (cp1252 / Latin-1) export is read as such, not as GB18030 (``Verr蘝ckt``)."""

from __future__ import annotations

import pytest
from ingest_helpers import posts

from brandhalo.ingest import ingest_files
from brandhalo.ingest.readers import detect_encoding

WESTERN = [
    {"id": "1", "text": "Verrückt! Das Handy ist schön", "created_at": "2025-03-01 10:00"},
    {"id": "2", "text": "Schöne Grüße aus München, für alle", "created_at": "2025-03-02 10:00"},
    {"id": "3", "text": "price £949.86, a façade", "created_at": "2025-03-03 10:00"},
]
CHINESE = [
    {"id": "1", "text": "我用iPhone和iPad，小米SU7真不错😂", "created_at": "2025-03-01 10:00"},
    {"id": "2", "text": "Pro版续航一般", "created_at": "2025-03-02 10:00"},
]


@pytest.mark.parametrize("rows", [WESTERN[:2], WESTERN])
def test_cp1252_file_is_not_read_as_gb18030(tmp_ws, rows_file, rows):
    path = rows_file("western.csv", rows, encoding="cp1252")
    assert detect_encoding(path) == "cp1252"
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.totals["inserted"] == len(rows)
    assert [p["text"] for p in posts(tmp_ws)] == [r["text"] for r in rows]


def test_chinese_with_latin_words_stays_gb18030(rows_file):
    assert detect_encoding(rows_file("zh.csv", CHINESE, encoding="gb18030")) == "gb18030"
