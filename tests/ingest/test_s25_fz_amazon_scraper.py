"""Amazon review exports as scrapers and browser extensions write them from the review page.

A real export (``Reviewed in the United States on November 18, 2026``, ``4.0 out of 5
stars``) had every row quarantined (the date form was not read) and, with the prefix cut by
hand, every review stored without stars; its columns were recognised by no preset.
"""

from __future__ import annotations

import csv
from pathlib import Path

from brandhalo.ingest import ingest_files

HEADER = [
    "ASIN", "Review ID", "Reviewer Name", "Rating", "Review Title", "Review Body",
    "Review Date", "Verified Purchase", "Helpful Votes",
]  # fmt: skip
ROWS = [
    ["B0DREAMEX50", "R1AAA", "Kelly", "4.0 out of 5 stars", "Great dock",
     "Great dock, empties itself", "Reviewed in the United States on November 18, 2026",
     "Verified Purchase", "12 people found this helpful"],
    ["B0DREAMEX50", "R2BBB", "Sam", "1.0 out of 5 stars", "Stopped working",
     "Stopped working after a week", "Reviewed in the United Kingdom on 3 December 2026",
     "Verified Purchase", "One person found this helpful"],
    ["B0DREAMEX50", "R3CCC", "Jonas", "4,0 von 5 Sternen", "Gut",
     "Saugt gut, die App ist okay", "Rezension aus Deutschland vom 3. März 2026", "", ""],
    ["B0DREAMEX50", "R4DDD", "Aiko", "5つ星のうち3.0", "普通",
     "普通です、音が少し大きい", "2026年11月18日に日本でレビュー済み", "", "1,234"],
]  # fmt: skip


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def _posts(ws) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in ws.store.con.execute(
            "SELECT post_id, strftime(timezone('Asia/Shanghai', timezone('UTC', created_at)), "
            "'%Y-%m-%d'), rating, likes, source, author_name, text FROM posts"
        ).fetchall()
    }


def test_scraper_export_is_read_with_dates_stars_and_helpful_votes(tmp_ws, tmp_path):
    path = _write(tmp_path / "amazon_reviews_B0DREAMEX50.csv", HEADER, ROWS)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.preset == "amazon-review-scraper"
    assert (f.rows_read, f.inserted, f.quarantined) == (4, 4, 0)
    got = _posts(tmp_ws)
    assert {k: v[:5] for k, v in got.items()} == {
        "R1AAA": ("2026-11-18", 4.0, 12, "amazon", "Kelly"),
        "R2BBB": ("2026-12-03", 1.0, 1, "amazon", "Sam"),
        "R3CCC": ("2026-03-03", 4.0, 0, "amazon", "Jonas"),
        "R4DDD": ("2026-11-18", 3.0, 1234, "amazon", "Aiko"),
    }
    # the title is left out when the body starts with it
    assert got["R1AAA"][5] == "Great dock, empties itself"
    assert got["R2BBB"][5] == "Stopped working after a week"
    assert got["R3CCC"][5] == "Gut\nSaugt gut, die App ist okay"
    product = tmp_ws.store.con.execute("SELECT DISTINCT product_hint FROM posts").fetchall()
    assert product == [("B0DREAMEX50",)]


def test_review_page_dates_and_stars_read_in_any_file(tmp_ws, tmp_path):
    """Without the preset (plain posts columns), the page's date line and stars are read."""
    rows = [
        ["a1", "works well", "Reviewed in the United States on September 28, 2026",
         "5.0 out of 5 stars"],
        ["a2", "loud", "Reviewed in India on 2 October 2026", "2 out of 5 stars"],
        ["a3", "ok", "Rezension aus Deutschland vom 18. November 2026", "3,0 von 5 Sternen"],
    ]  # fmt: skip
    path = _write(tmp_path / "reviews.csv", ["id", "text", "created_at", "rating"], rows)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (3, 0)
    got = {k: v[:2] for k, v in _posts(tmp_ws).items()}
    assert got == {
        "a1": ("2026-09-28", 5.0),
        "a2": ("2026-10-02", 2.0),
        "a3": ("2026-11-18", 3.0),
    }


def test_words_that_only_look_like_a_review_date_are_not_read(tmp_ws, tmp_path):
    rows = [["b1", "hello", "Reviewed in the United States on someday", "4.0 out of 10 stars"]]
    path = _write(tmp_path / "bad.csv", ["id", "text", "created_at", "rating"], rows)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (0, 1)


def test_a_review_export_without_an_asin_is_not_taken_for_amazon(tmp_path):
    """Other shops' exports have review title, body, rating and date columns too."""
    from brandhalo.ingest.presets import detect_preset, near_preset

    names = ["Review Title", "Review Body", "Rating", "Review Date", "Reviewer Name"]
    assert detect_preset(names) is None
    near = near_preset(names)
    assert near is not None and near.preset.name == "amazon-review-scraper"
    assert detect_preset(["ASIN", *names]).name == "amazon-review-scraper"
