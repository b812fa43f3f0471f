"""A posts batch with bad rows stages only their line and reason again (issue 19).

The quarantine reads a bad row's line and reason from the stage and its raw cells from the
batch; staging the whole batch again (text hashes, ids, every column) for them cost about
twice as much. What is quarantined, and what is stored, stays the same, batch by batch.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brandhalo.ingest import ingest_files, writer
from brandhalo.workspace import Workspace, init_workspace

_HEADER = "id,text,created_at,likes,post_type\n"
_ROWS = [
    "p1,first post,2025-03-01 10:00,3,post\n",
    "p2,,2025-03-01 10:01,1,post\n",  # no text
    "p3,third post,not a time,1,post\n",
    "p4,RT @a: first post,2025-03-01 10:03,-4,bogus\n",  # unknown post type (likes -4 kept)
    "p5,fifth post,2025-03-01 10:04,2,post\n",
    "p6,sixth post,2025-03-01 10:05,2,story\n",  # unknown post type
    "p7,seventh post,2025-03-01 10:06,7,comment\n",
    "p8,eighth post,,1,post\n",  # no time
]


def _ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list, list]:
    monkeypatch.setenv("BRANDHALO_INGEST_BATCH_ROWS", "3")
    seen: list[tuple[list[str], list[int]]] = []
    quarantine_bad = writer._quarantine_bad

    def spy(con, kind, src, ingest_id, batch, staged):  # type: ignore[no-untyped-def]
        seen.append((staged.column_names, staged.column("_line").to_pylist()))
        return quarantine_bad(con, kind, src, ingest_id, batch, staged)

    monkeypatch.setattr(writer, "_quarantine_bad", spy)
    path = tmp_path / "posts.csv"
    path.write_text(_HEADER + "".join(_ROWS), encoding="utf-8")
    init_workspace(tmp_path / "ws")
    with Workspace.open(tmp_path / "ws") as ws:
        result = ingest_files(ws, "posts", [path]).files[0]
        assert (result.rows_read, result.inserted, result.quarantined) == (8, 3, 5)
        con = ws.store.con
        quarantined = con.execute(
            'SELECT line, "column", reason, raw FROM quarantine ORDER BY line'
        ).fetchall()
        stored = con.execute(
            "SELECT post_id, line, likes, post_type, is_repost FROM posts ORDER BY line"
        ).fetchall()
    return seen, quarantined, stored


def test_bad_rows_are_quarantined_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, quarantined, stored = _ingest(tmp_path, monkeypatch)
    assert [(line, col) for line, col, _, _ in quarantined] == [
        (3, "text"),
        (4, "created_at"),
        (5, "post_type"),
        (7, "post_type"),
        (9, "created_at"),
    ]
    reasons = [reason for _, _, reason, _ in quarantined]
    assert reasons[0] == "missing required value"
    assert reasons[1] == "unparseable time"
    assert reasons[2] == "unknown post type"
    assert reasons[3] == "unknown post type"
    assert reasons[4] == "missing required value"
    raw = json.loads(quarantined[2][3])
    assert raw == {
        "id": "p4",
        "text": "RT @a: first post",
        "created_at": "2025-03-01 10:03",
        "likes": "-4",
        "post_type": "bogus",
    }
    assert stored == [
        ("p1", 2, 3, "post", False),
        ("p5", 6, 2, "post", False),
        ("p7", 8, 7, "comment", False),
    ]


def test_only_the_bad_rows_line_and_reason_are_staged_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen, _, _ = _ingest(tmp_path, monkeypatch)
    assert seen == [
        (["_line", "_bad"], [3, 4]),
        (["_line", "_bad"], [5, 7]),
        (["_line", "_bad"], [9]),
    ]
