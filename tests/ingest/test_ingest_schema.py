"""Migration 0005: posts lose the post_id index; stored rows, their order and dedup are kept."""

from __future__ import annotations

import duckdb

from brandhalo.ingest import ingest_files
from brandhalo.store import Store, all_migrations


def _store_at_version_4(path):
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    for version, name, sql in all_migrations():
        if version <= 4:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
    con.execute(
        "INSERT INTO posts (post_id, text, created_at, origin_id, line) VALUES "
        "('z', 'last id, first row', TIMESTAMP '2025-05-21 10:00', 'z', 2), "
        "('a', 'first id, second row', TIMESTAMP '2025-05-21 11:00', 'a', 3)"
    )
    con.close()


def test_migration_keeps_rows_in_order_without_the_index(tmp_path):
    path = tmp_path / "old.duckdb"
    _store_at_version_4(path)
    with Store(path) as store:
        assert store.schema_version >= 5
        rows = store.con.execute("SELECT post_id, text, line FROM posts ORDER BY rowid").fetchall()
        assert rows == [("z", "last id, first row", 2), ("a", "first id, second row", 3)]
        constraints = store.con.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'posts' "
            "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
        ).fetchall()
        assert constraints == [(0,)]


def test_ingest_dedups_against_rows_stored_before_the_migration(tmp_ws, rows_file):
    rows = [
        {"id": "1", "text": "one", "created_at": "2025-05-21 10:00"},
        {"id": "2", "text": "two", "created_at": "2025-05-21 11:00"},
    ]
    ingest_files(tmp_ws, "posts", [rows_file("a.csv", rows)])
    again = [*rows, {"id": "3", "text": "three", "created_at": "2025-05-21 12:00"}]
    again.append({"id": "3", "text": "three, later line", "created_at": "2025-05-21 12:00"})
    report = ingest_files(tmp_ws, "posts", [rows_file("b.csv", again)])
    assert (report.totals["inserted"], report.totals["duplicates"]) == (1, 3)
    stored = tmp_ws.store.con.execute("SELECT post_id, text FROM posts ORDER BY post_id").fetchall()
    assert stored == [("1", "one"), ("2", "two"), ("3", "three")]
