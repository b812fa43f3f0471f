"""One id with two texts is two posts, not a duplicate: such rows are quarantined and said so."""

from __future__ import annotations

import json
import subprocess
import sys

from ingest_helpers import posts

from brandhalo.ingest import ingest_files, list_quarantine

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]
#: Six posts whose long ids a spreadsheet cut to one value, one real id, and a true repeat.
ROWS = [
    {"id": "4987650000000000", "text": f"第{i}条帖子 {i}", "created_at": f"2025-03-0{i + 1} 10:00"}
    for i in range(6)
] + [
    {"id": "77", "text": "真的重复", "created_at": "2025-03-08 10:00"},
    {"id": "77", "text": "真的重复", "created_at": "2025-03-08 10:00"},
]


def test_conflicting_ids_are_quarantined_not_lost(tmp_ws, rows_file):
    path = rows_file("mangled.csv", ROWS)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.duplicates, f.quarantined) == (2, 1, 5)  # the API counts them too
    assert any("--map id=COLUMN" in w for w in f.warnings)
    assert [p["text"] for p in posts(tmp_ws)] == ["第0条帖子 0", "真的重复"]
    q = list_quarantine(tmp_ws, kind="posts")
    assert sorted(q["line"]) == [3, 4, 5, 6, 7]  # the true repeat (line 9) is a duplicate
    assert set(q["file"]) == {str(path)}
    assert set(q["column"]) == {"id"}
    assert all("--map id=COLUMN" in r for r in q["reason"])
    assert {json.loads(r)["text"] for r in q["raw"]} == {f"第{i}条帖子 {i}" for i in range(1, 6)}


def test_cli_counts_and_warns(tmp_ws, rows_file):
    path = rows_file("mangled.csv", ROWS)
    root = str(tmp_ws.root)
    tmp_ws.close()
    out = subprocess.run(
        [*BRANDHALO, "ingest", "posts", str(path), "--project", root, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    (f,) = json.loads(out.stdout)["files"]
    assert (f["inserted"], f["duplicates"], f["quarantined"]) == (2, 1, 5)
    (warning,) = f["warnings"]
    assert "5 rows repeat an id of an earlier line with another text" in warning
    assert "line 3 (id 4987650000000000)" in warning and "--map id=COLUMN" in warning


def test_recrawl_with_edited_text_is_a_duplicate_with_a_warning(tmp_ws, rows_file):
    first = rows_file("a.csv", [{"id": "9", "text": "原文", "created_at": "2025-03-01 10:00"}])
    again = rows_file(
        "b.csv", [{"id": "9", "text": "原文（已编辑）", "created_at": "2025-03-01 10:00"}]
    )
    ingest_files(tmp_ws, "posts", [first])
    report = ingest_files(tmp_ws, "posts", [again])
    (warning,) = report.files[0].warnings  # a corrected re-send is not dropped silently
    assert report.totals["duplicates"] == 1
    assert warning.startswith("1 post repeats a stored id with another text")
    assert list_quarantine(tmp_ws).empty
