"""Hostile input is data: stored byte for byte, never interpreted."""

from __future__ import annotations

import pytest
from ingest_helpers import write_rows

from brandhalo.ingest import ingest_files

HOSTILE = [
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    '@HYPERLINK("http://evil")',
    "line one\r\nline two\rline three\nline four",
    'quotes "inside", commas, and \t tabs',
    "NUL\x00byte and \x01 control",
    "'; DROP TABLE posts; --",
    "emoji 🚗🔥 and 中文 and RTL \u202e text",
    "x" * (1 << 20),
]


@pytest.mark.parametrize("suffix", ["csv", "tsv", "jsonl", "parquet"])
def test_hostile_text_round_trips_byte_for_byte(tmp_ws, tmp_path, suffix):
    rows = [
        {"id": str(i), "text": t, "created_at": "2025-05-21 10:00"} for i, t in enumerate(HOSTILE)
    ]
    path = write_rows(tmp_path / f"h.{suffix}", rows)
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.totals["inserted"] == len(HOSTILE) and report.totals["quarantined"] == 0
    got = dict(tmp_ws.store.con.execute("SELECT post_id, text FROM posts").fetchall())
    for i, text in enumerate(HOSTILE):
        assert got[str(i)].encode() == text.encode(), i
    assert tmp_ws.store.count("posts") == len(HOSTILE)  # the DROP TABLE text did nothing
