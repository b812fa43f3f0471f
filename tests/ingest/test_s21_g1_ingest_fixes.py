"""Session 21 walk-through fixes to the ingest: downvoted comments kept, constants of --map
leave the summary whole, a labelling sheet's rating column, an event's time of day, and a
corrected business file filling the stored rows' empty values."""

from __future__ import annotations

import json

import pytest
from ingest_helpers import quarantine, write_rows

from brandhalo.ingest import ingest_files


def _posts(ws, where: str = "true") -> list[tuple]:
    sql = f"SELECT post_id, likes, comments FROM posts WHERE {where} ORDER BY post_id"
    return ws.store.con.execute(sql).fetchall()


@pytest.mark.parametrize("suffix", ["csv", "parquet", "jsonl"])
def test_negative_likes_keep_the_post_with_likes_0(tmp_ws, tmp_path, suffix):
    """A downvoted comment (Reddit score -3) is stored, with likes 0 and a warning naming the
    file's column, the count and the first line; it is not quarantined."""
    rows = [
        {"id": "a", "text": "love it", "created_at": "2025-05-21 10:00", "score": 12},
        {"id": "b", "text": "broke in a week", "created_at": "2025-05-21 10:01", "score": -3},
        {"id": "c", "text": "meh", "created_at": "2025-05-21 10:02", "score": -40},
        {"id": "d", "text": "ok", "created_at": "2025-05-21 10:03", "score": 0},
    ]
    path = write_rows(tmp_path / f"c.{suffix}", rows)
    f = ingest_files(tmp_ws, "posts", [path], mapping="likes=score").files[0]
    assert (f.inserted, f.quarantined) == (4, 0)
    assert quarantine(tmp_ws) == []
    assert _posts(tmp_ws) == [("a", 12, 0), ("b", 0, 0), ("c", 0, 0), ("d", 0, 0)]
    text = " ".join(f.warnings)
    assert "2 values of column 'score' (likes) are negative" in text, f.warnings
    first = 3 if suffix == "csv" else 2  # the first one: a CSV's line 1 is its header
    assert f"like '-3' (line {first})" in text
    total = tmp_ws.store.con.execute("SELECT sum(likes) FROM posts").fetchone()[0]
    assert total == 12  # engagement sums never go below zero


def test_reddit_comments_preset_keeps_downvoted_comments(tmp_ws, tmp_path):
    """The walk-through's file: score is the preset's likes; 2 of 3 comments were lost."""
    lines = [
        {"id": "x1", "author": "u1", "score": 5, "created_utc": 1755728793, "body": "nice",
         "parent_id": "t3_p", "link_id": "t3_p", "subreddit": "espresso"},
        {"id": "x2", "author": "u2", "score": -7, "created_utc": 1755728794,
         "body": "it leaks", "parent_id": "t3_p", "link_id": "t3_p", "subreddit": "espresso"},
        {"id": "x3", "author": "u3", "score": "-2", "created_utc": 1755728795,
         "body": "support ignored me", "parent_id": "t3_p", "link_id": "t3_p",
         "subreddit": "espresso"},
    ]  # fmt: skip
    path = tmp_path / "reddit_comments.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.preset == "reddit-comments"
    assert (f.inserted, f.quarantined) == (3, 0)
    likes = [r[1] for r in _posts(tmp_ws)]
    assert sorted(likes) == [0, 0, 5]
    assert any("2 values of column 'score' (likes) are negative" in w for w in f.warnings)


def test_negative_count_of_a_second_batch_is_counted(tmp_ws, tmp_path, monkeypatch):
    """The cheap look before the tally pass sees a negative in a later batch of a typed
    column (Parquet) whose other batches hold none."""
    from brandhalo.ingest import writer

    monkeypatch.setattr(writer, "batch_rows", lambda _b: 2)
    rows = [
        {"text": f"t{i}", "created_at": f"2025-05-21 10:0{i}", "likes": -1 if i == 4 else i}
        for i in range(6)
    ]
    path = write_rows(tmp_path / "b.parquet", rows)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (6, 0)
    assert any("1 value of column 'likes' is negative, like '-1' (line 5)" in w for w in f.warnings)


def test_quoted_constants_keep_the_columns_line_and_the_unread_note(tmp_ws, tmp_path):
    """--map source='amazon' no longer hides which columns were read and which were not."""
    rows = [
        {"review_body": "great", "review_date": "2025-05-21", "star_rating": 5,
         "helpful_votes": 3, "marketplace": "US"},
    ]  # fmt: skip
    path = write_rows(tmp_path / "amazon.tsv", rows)
    mapping = "text=review_body,created_at=review_date,source='amazon',brand='Aurelia'"
    f = ingest_files(tmp_ws, "posts", [path], mapping=mapping).files[0]
    assert f.inserted == 1
    assert f.columns == {
        "text": "review_body",
        "created_at": "review_date",
        "rating": "star_rating",
    }
    note = " ".join(f.notes)
    assert "'helpful_votes', 'marketplace' are not posts columns" in note, f.notes
    row = tmp_ws.store.con.execute("SELECT source, brand_hint FROM posts").fetchone()
    assert row == ("amazon", "Aurelia")


def test_english_labelling_sheet_with_ratings_reads_without_warning(tmp_ws, tmp_path):
    """`brandhalo label` adds a rating column after the label when posts are rated."""
    from brandhalo.text.sentiment.active import SHEET_COLUMNS, SHEET_RATING

    head = [*SHEET_COLUMNS]
    head.insert(head.index("label") + 1, SHEET_RATING)
    path = tmp_path / "sheet.csv"
    path.write_text(
        ",".join(head) + "\n"
        "p1,Love it,positive,5,positive,0.55,uncertain\n"
        "p2,Broke,negative,1,neutral,0.41,uncertain\n",
        encoding="utf-8",
    )
    f = ingest_files(tmp_ws, "labels", [path]).files[0]
    assert f.inserted == 2
    assert not any("rating" in w for w in f.warnings), f.warnings
    assert f.warnings == []


def test_event_time_of_day_is_noted(tmp_ws, tmp_path):
    """An event at 20:00 is stored as its day, and the summary says times were dropped."""
    path = tmp_path / "events.csv"
    path.write_text(
        "date,brand,title\n"
        "2026-12-02 20:00,星曜,官方致歉声明\n"
        "2026-12-03,星曜,发布会\n"
        "2026-12-04 09:30,星曜,召回\n",
        encoding="utf-8",
    )
    f = ingest_files(tmp_ws, "events", [path]).files[0]
    assert f.inserted == 3
    days = tmp_ws.store.con.execute("SELECT CAST(date AS VARCHAR) FROM events ORDER BY date")
    assert [d for (d,) in days.fetchall()] == ["2026-12-02", "2026-12-03", "2026-12-04"]
    note = [n for n in f.notes if "time of day" in n]
    assert note and note[0].startswith("2 values of column 'date' gave a time of day"), f.notes
    assert "events are daily" in note[0]


def test_event_dates_without_times_get_no_note(tmp_ws, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("date,brand,title\n2026-12-02,星曜,a\n2026-12-03 00:00,星曜,b\n", "utf-8")
    f = ingest_files(tmp_ws, "events", [path]).files[0]
    assert f.inserted == 2
    assert not any("time of day" in n for n in f.notes), f.notes


def _sales(ws) -> list[tuple]:
    sql = "SELECT product, units, revenue FROM sales ORDER BY product"
    return ws.store.con.execute(sql).fetchall()


def test_corrected_sales_file_fills_stored_rows(tmp_ws, tmp_path):
    """Re-ingesting a cleaned file (same keys, now with revenue) fills the stored rows'
    empty revenue, says so, and never replaces a stored value (it warns instead)."""
    first = tmp_path / "sales.csv"
    first.write_text(
        "month,brand,product,units,revenue\n"
        "2024-07,Aurelia,Uno,860,\n"
        "2024-07,Aurelia,Duo,629,\n"
        "2024-07,Aurelia,Tre,100,5000\n",
        encoding="utf-8",
    )
    ingest_files(tmp_ws, "sales", [first])
    assert _sales(tmp_ws) == [("Duo", 629, None), ("Tre", 100, 5000.0), ("Uno", 860, None)]
    fixed = tmp_path / "sales_fixed.csv"
    fixed.write_text(
        "month,brand,product,units,revenue\n"
        "2024-07,Aurelia,Uno,860,645000\n"
        "2024-07,Aurelia,Duo,629,880600\n"
        "2024-07,Aurelia,Tre,100,7000\n",
        encoding="utf-8",
    )
    f = ingest_files(tmp_ws, "sales", [fixed]).files[0]
    assert (f.inserted, f.duplicates) == (0, 3)
    assert _sales(tmp_ws) == [
        ("Duo", 629, 880600.0),
        ("Tre", 100, 5000.0),  # the stored value is kept
        ("Uno", 860, 645000.0),
    ]
    note = " ".join(f.notes)
    assert "2 rows match stored rows (the same period, brand, product" in note, f.notes
    assert "revenue (2)" in note
    warning = " ".join(f.warnings)
    assert "1 row matches a stored row" in warning and "revenue (1)" in warning, f.warnings
    assert "stored values were kept" in warning


def test_same_file_again_fills_nothing(tmp_ws, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("month,brand,product,units,revenue\n2024-07,A,Uno,1,\n2024-08,A,Uno,2,5\n")
    ingest_files(tmp_ws, "sales", [path])
    copy = tmp_path / "sales_copy.csv"
    copy.write_text(path.read_text() + "\n")  # another digest: read again
    f = ingest_files(tmp_ws, "sales", [copy]).files[0]
    assert (f.inserted, f.duplicates) == (0, 2)
    assert not any("match" in m for m in [*f.notes, *f.warnings]), (f.notes, f.warnings)
