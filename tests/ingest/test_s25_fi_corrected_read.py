"""A posts file read again with other options (a corrected read: --map id=...) replaces the
earlier read's posts instead of storing them twice."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.text.enrich import run

HEADER = ["post_no", "text", "created_at", "source", "author_id"]
ROWS = [
    [
        str(10**15 + i),
        f"小米SU7 第{i}条 体验不错",
        f"2025-03-{i + 1:02d} 10:00:00",
        "weibo",
        f"u{i}",
    ]
    for i in range(6)
]


def _csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows(ROWS)
    return path


def _ids(ws) -> list[str]:
    return [r[0] for r in ws.store.con.execute("SELECT post_id FROM posts ORDER BY 1").fetchall()]


def test_a_read_with_another_id_mapping_replaces_the_earlier_posts(tmp_ws, tmp_path):
    path = _csv(tmp_path / "part-0.csv")
    first = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert first.inserted == 6
    assert not set(_ids(tmp_ws)) & {r[0] for r in ROWS}  # no --map id=: hashed ids

    again = ingest_files(tmp_ws, "posts", [path], mapping="id=post_no").files[0]
    assert (again.status, again.inserted, again.duplicates) == ("done", 6, 0)
    assert _ids(tmp_ws) == sorted(r[0] for r in ROWS)  # 6 posts, not 12
    assert any(f"ingest #{first.ingest_id}" in n and "replaced" in n for n in again.notes)
    # the same corrected read once more is a repeat
    assert ingest_files(tmp_ws, "posts", [path], mapping="id=post_no").files[0].status == (
        "skipped"
    )
    # and the plain read again replaces the corrected one (the latest read wins)
    back = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert back.status == "done" and len(_ids(tmp_ws)) == 6


def test_labels_of_replaced_posts_are_warned_about(tmp_ws, tmp_path):
    path = _csv(tmp_path / "part-0.csv")
    ingest_files(tmp_ws, "posts", [path])
    old = _ids(tmp_ws)[0]
    labels = tmp_path / "labels.csv"
    labels.write_text(f"post_id,label\n{old},positive\n", encoding="utf-8")
    assert ingest_files(tmp_ws, "labels", [labels]).files[0].inserted == 1

    again = ingest_files(tmp_ws, "posts", [path], mapping="id=post_no").files[0]
    assert len(_ids(tmp_ws)) == 6
    said = " ".join(again.warnings)
    assert "1 labels point at posts this read replaced" in said and old in said


def test_analyzed_posts_are_not_replaced_in_place(tmp_ws, tmp_path):
    path = _csv(tmp_path / "part-0.csv")
    ingest_files(tmp_ws, "posts", [path])
    run(tmp_ws, workers=1)
    with pytest.raises(InputError, match="corrected read cannot replace them in place"):
        ingest_files(tmp_ws, "posts", [path], mapping="id=post_no")
    assert len(_ids(tmp_ws)) == 6  # nothing was stored twice, nothing dropped


def test_a_corrected_read_that_fails_puts_the_earlier_posts_back(tmp_ws, tmp_path):
    path = _csv(tmp_path / "part-0.csv")
    ingest_files(tmp_ws, "posts", [path])
    before = _ids(tmp_ws)
    with pytest.raises(InputError):
        ingest_files(tmp_ws, "posts", [path], mapping="id=no_such_column")
    assert _ids(tmp_ws) == before
    status = tmp_ws.store.con.execute("SELECT status FROM ingest_log ORDER BY 1").fetchall()
    assert status == [("done",)]
