"""Session 26 (fc): a MediaCrawler SQLite database is read in one command: every table a
preset reads, contents before comments (so comments link to their posts), each its own file
result; tables no preset reads are named in a note; --table still reads one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace


def _db(path: Path) -> Path:
    con = sqlite3.connect(path)
    # the comments table first: the read must still take the contents first
    con.execute(
        "CREATE TABLE weibo_note_comment (comment_id TEXT, note_id TEXT, content TEXT, "
        "create_date_time TEXT, comment_like_count TEXT, parent_comment_id TEXT, user_id TEXT, "
        "nickname TEXT)"
    )
    con.execute(
        "CREATE TABLE weibo_note (note_id TEXT, content TEXT, create_date_time TEXT, "
        "shared_count TEXT, liked_count TEXT, comments_count TEXT, user_id TEXT, nickname TEXT)"
    )
    con.execute("CREATE TABLE crawl_log (run TEXT)")
    con.executemany(
        "INSERT INTO weibo_note_comment VALUES (?, ?, ?, ?, '0', '0', 'u2', 'b')",
        [("c1", "n1", "同意，好喝", "2026-01-02 11:00:00"),
         ("c2", "n2", "排队太久", "2026-01-03 12:00:00")],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO weibo_note VALUES (?, ?, ?, '0', '1', '1', 'u1', 'a')",
        [("n1", "新品很好喝", "2026-01-02 10:00:00"), ("n2", "门店排队", "2026-01-03 10:00:00")],
    )
    con.execute("INSERT INTO crawl_log VALUES ('r1')")
    con.commit()
    con.close()
    return path


def test_a_crawler_database_loads_in_one_command(tmp_ws: Workspace, tmp_path: Path):
    path = _db(tmp_path / "sqlite_tables.db")
    report = ingest_files(tmp_ws, "posts", [path])
    files = [(f.file, f.status, f.inserted) for f in report.files]
    assert files == [(f"{path}:weibo_note", "done", 2), (f"{path}:weibo_note_comment", "done", 2)]
    assert any("crawl_log (1 rows)" in n for n in report.files[-1].notes), report.files[-1].notes
    linked = tmp_ws.store.con.execute(
        "SELECT post_id, thread_id FROM posts WHERE post_type = 'comment' ORDER BY 1"
    ).fetchall()
    assert [t for _, t in linked] == ["n1", "n2"]
    # read again: each table is skipped as a repeat, under its own name
    again = ingest_files(tmp_ws, "posts", [path]).files
    assert [(f.file, f.status) for f in again] == [
        (f"{path}:weibo_note", "skipped"), (f"{path}:weibo_note_comment", "skipped")
    ]  # fmt: skip


def test_table_still_reads_one(tmp_ws: Workspace, tmp_path: Path):
    path = _db(tmp_path / "sqlite_tables.db")
    files = ingest_files(tmp_ws, "posts", [path], table="weibo_note").files
    assert [(f.status, f.inserted) for f in files] == [("done", 2)]
