"""A new workspace stores ``posts.text`` with zstd (issue 19) and every text round-trips.

Long free text compresses better and is written with less CPU under zstd than under DuckDB's
default FSST/dictionary choice. The column is declared ``USING COMPRESSION zstd`` where posts
is created (migration 0001, and 0005, which rebuilds the table); the other columns keep the
automatic choice (short, repeated values stay dictionary-compressed).
"""

from __future__ import annotations

import json

from brandhalo.ingest import ingest_files

TEXTS = [
    "雷军：小米汽车 SU7 交付破 25.8 万台 🚗🔥",  # Chinese with emoji (outside the BMP)
    "𠀀𪚥 罕见字 and 👍🏽 skin tone, 👨‍👩‍👧 joined",  # astral CJK, modifiers, ZWJ sequence
    "质量问题？售后很差！" * 1000,  # 10,000 characters
    "plain English post, nothing special",
] + [f"第{i}条 评论 {'很好' if i % 3 else '一般'} #{i}" for i in range(3000)]


def _compression(con, table: str) -> dict[str, set[str]]:
    rows = con.execute(
        "SELECT column_name, compression FROM pragma_storage_info(?) "
        "WHERE segment_type = 'VARCHAR'",
        [table],
    ).fetchall()
    out: dict[str, set[str]] = {}
    for column, compression in rows:
        out.setdefault(column, set()).add(compression)
    return out


def test_new_workspace_posts_text_is_zstd_and_round_trips(tmp_ws, tmp_path):
    path = tmp_path / "p.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i, text in enumerate(TEXTS):
            row = {"id": str(i), "text": text, "created_at": "2025-05-21 10:00", "source": "weibo"}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.totals["inserted"] == len(TEXTS)

    con = tmp_ws.store.con
    # The declared compression is part of the table's definition ...
    ddl = con.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'posts'").fetchall()
    assert "USING COMPRESSION ZSTD" in ddl[0][0].upper()
    # ... and what is written to disk uses it; a low-cardinality column keeps its own choice.
    con.execute("CHECKPOINT")
    used = _compression(con, "posts")
    assert used["text"] == {"ZSTD"}
    assert "ZSTD" not in used["source"]

    got = dict(con.execute("SELECT post_id, text FROM posts").fetchall())
    assert got == {str(i): t for i, t in enumerate(TEXTS)}


def test_empty_and_long_texts_round_trip_through_zstd(tmp_ws):
    # The ingest refuses an empty text (quarantined), but the column itself must keep one.
    con = tmp_ws.store.con
    texts = ["", "x" * 10_000, "🙂" * 5000, "\u0000 nul inside", *TEXTS[:2]]
    con.executemany(
        "INSERT INTO posts (post_id, text, created_at) VALUES (?, ?, TIMESTAMP '2025-05-21')",
        [[f"e{i}", t] for i, t in enumerate(texts)],
    )
    con.execute("CHECKPOINT")
    assert _compression(con, "posts")["text"] == {"ZSTD"}
    got = dict(con.execute("SELECT post_id, text FROM posts").fetchall())
    assert got == {f"e{i}": t for i, t in enumerate(texts)}
