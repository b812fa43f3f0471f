"""A re-crawl raises a stored post's engagement counts, and the weighted metrics follow.

Crawlers (MediaCrawler and the like) are run again and again over the same posts: the second
crawl of a post sees the likes, reposts and comments it gathered since. The post stays what it
was first (text, time, author; it is still a duplicate), but its counts rise to the most any
crawl saw, never fall (an older export ingested later changes nothing), and its engagement
weight ``w = 1 + ln(1 + likes + reposts + comments)`` follows in the enrichment, the facts and,
after ``analyze``, the aggregates.
"""

from __future__ import annotations

import math

import pytest

from brandhalo import pipeline
from brandhalo.ingest import ingest_files

FIRST = [
    {"id": "p1", "text": "小米SU7 刹车失灵，太差了", "created_at": "2025-05-21 10:00",
     "author_id": "u1", "likes": "0", "reposts": "0", "comments": "0"},
    {"id": "p2", "text": "小米SU7 交付很快，很满意", "created_at": "2025-05-21 11:00",
     "author_id": "u2", "likes": "5", "reposts": "1", "comments": "1"},
]  # fmt: skip


def _post(ws, post_id):
    cols = "text, likes, reposts, comments, author_followers"
    row = ws.store.con.execute(f"SELECT {cols} FROM posts WHERE post_id = ?", [post_id]).fetchall()
    return dict(zip([c.strip() for c in cols.split(",")], row[0], strict=True))


def _weights(ws, table):
    rows = ws.store.con.execute(f"SELECT DISTINCT post_id, weight FROM {table}").fetchall()
    return dict(rows)


def _negative_w(ws):
    """The brand's weighted negative count (the rows over every target type and theme)."""
    sql = (
        "SELECT sum(negative_w) FROM agg_daily WHERE brand = 'Xiaomi' AND target_type = '*' "
        "AND touchpoint = '*' AND theme = '*'"
    )
    return ws.store.con.execute(sql).fetchall()[0][0]


def test_recrawl_raises_counts_and_weights(tmp_ws, rows_file):
    ingest_files(tmp_ws, "posts", [rows_file("day1.csv", FIRST)])
    pipeline.analyze(tmp_ws)
    assert _weights(tmp_ws, "enriched")["p1"] == 1.0
    neg_w_before = _negative_w(tmp_ws)

    recrawl = [
        {**FIRST[0], "text": "小米SU7 刹车失灵，太差了！！", "likes": "1200", "reposts": "300",
         "comments": "88", "author_followers": "5000"},
        {**FIRST[1], "likes": "2"},  # fewer likes than stored (an unlike): nothing falls
    ]  # fmt: skip
    report = ingest_files(tmp_ws, "posts", [rows_file("day2.csv", recrawl)])
    f = report.files[0]
    assert (f.inserted, f.duplicates, f.refreshed) == (0, 2, 1)
    assert report.totals["refreshed"] == 1

    p1 = _post(tmp_ws, "p1")
    assert p1["text"] == FIRST[0]["text"]  # the post stays what was first seen
    assert (p1["likes"], p1["reposts"], p1["comments"], p1["author_followers"]) == (
        1200,
        300,
        88,
        5000,
    )
    assert _post(tmp_ws, "p2")["likes"] == 5
    want = 1.0 + math.log1p(1200 + 300 + 88)
    assert _weights(tmp_ws, "enriched")["p1"] == want
    assert _weights(tmp_ws, "post_facts")["p1"] == want
    assert _weights(tmp_ws, "enriched")["p2"] == 1.0 + math.log1p(7)

    pipeline.analyze(tmp_ws)  # the day is aggregated again: the weighted negative grows
    assert _negative_w(tmp_ws) - neg_w_before == pytest.approx(want - 1.0, rel=1e-9)


def test_older_crawl_ingested_later_changes_nothing(tmp_ws, rows_file):
    newer = [{**FIRST[0], "likes": "50"}]
    ingest_files(tmp_ws, "posts", [rows_file("new.csv", newer)])
    report = ingest_files(tmp_ws, "posts", [rows_file("old.csv", FIRST[:1])])
    assert (report.files[0].duplicates, report.files[0].refreshed) == (1, 0)
    assert _post(tmp_ws, "p1")["likes"] == 50


def test_repeats_in_one_file_keep_the_first_text_and_the_most_counts(tmp_ws, rows_file):
    rows = [
        FIRST[0],
        {**FIRST[0], "text": "later copy", "likes": "40", "comments": ""},
        {**FIRST[0], "text": "latest copy", "likes": "30", "comments": "7"},
    ]
    f = ingest_files(tmp_ws, "posts", [rows_file("p.csv", rows)]).files[0]
    assert (f.inserted, f.duplicates, f.refreshed) == (1, 2, 0)
    p1 = _post(tmp_ws, "p1")
    assert (p1["text"], p1["likes"], p1["comments"]) == (FIRST[0]["text"], 40, 7)


def test_cli_says_what_a_recrawl_raised(tmp_path, rows_file):
    import os
    import subprocess

    ws = tmp_path / "w"
    env = {**os.environ, "COLUMNS": "200"}
    run = subprocess.run  # the installed console script, as a user runs it
    run(["brandhalo", "init", str(ws)], check=True, capture_output=True, env=env)
    first = rows_file("a.csv", FIRST)
    again = rows_file("b.csv", [{**FIRST[0], "likes": "9"}])
    for path in (first, again):
        out = run(
            ["brandhalo", "ingest", "posts", str(path), "--project", str(ws)],
            check=True, capture_output=True, text=True, env=env,
        ).stdout  # fmt: skip
    assert "1 duplicate," in out and "1 of the duplicates are stored posts" in out


def test_a_recrawl_changes_the_identity_spark_resumes_by(tmp_ws, rows_file):
    # The Spark engine skips its steps when the stored posts' identity is unchanged; a re-crawl
    # adds no post (its rows are duplicates), so the identity must see the raised counts, or
    # Spark would load its old results with the old weights over the new ones.
    from brandhalo.store.spark import posts_identity

    ingest_files(tmp_ws, "posts", [rows_file("day1.csv", FIRST)])
    before = posts_identity(tmp_ws.store.con)
    older = ingest_files(tmp_ws, "posts", [rows_file("old.csv", FIRST[:1])])
    assert older.files[0].refreshed == 0 and posts_identity(tmp_ws.store.con) == before
    ingest_files(tmp_ws, "posts", [rows_file("day2.csv", [{**FIRST[0], "likes": "9"}])])
    assert posts_identity(tmp_ws.store.con) != before
