"""Amazon Reviews'23 JSON lines load with the ``amazon-reviews`` preset.

A review's title and text are its words (a title alone, "Great value", says much of it), the
ASIN its product, ``user_id`` its buyer, ``helpful_vote`` its likes, ``timestamp`` an epoch in
milliseconds; the source is ``amazon``. Two buyers' same words are two reviews (no repost).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from brandhalo.ingest import ingest_files


def _review(user: str, ts: int, title: str, text: str, **kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "rating": 5.0,
        "title": title,
        "text": text,
        "images": [],
        "asin": "B0CHALDN01",
        "parent_asin": "B0CHALDN01",
        "user_id": user,
        "timestamp": ts,
        "helpful_vote": 0,
        "verified_purchase": True,
    }
    return base | kw


REVIEWS = [
    _review("AE063DCB", 1727305004000, "Great value", "Sound is great for $199, ANC decent.",
            helpful_vote=7),
    _review("AE8AECBD", 1726301975000, "Great value", "Sound is great for $199, ANC decent.",
            helpful_vote=4),
    _review("AE98DA3C", 1726090089000, "Support nightmare",
            "Left earcup died, Halden support never replied.", rating=2.0, asin="B0DHALDNP2"),
    # a title the text starts with is not said twice; an empty title is left out
    _review("AEF0E38A", 1726531408000, "Not bad!", "Not bad! Comfortable, battery good.",
            rating=4.0),
    _review("AE11AA22", 1726531409000, "", "Fine.", rating=3.0),
]  # fmt: skip


def test_amazon_reviews_load_with_their_preset(tmp_ws, tmp_path: Path) -> None:
    path = tmp_path / "amazon_reviews_Electronics.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in REVIEWS), encoding="utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.preset, f.inserted, f.quarantined) == ("amazon-reviews", 5, 0)
    rows = tmp_ws.store.con.execute(
        "SELECT author_id, text, created_at, source, rating, product_hint, likes, is_repost "
        "FROM posts ORDER BY created_at"
    ).fetchall()
    at = lambda ms: dt.datetime.fromtimestamp(ms / 1000, dt.UTC).replace(tzinfo=None)  # noqa: E731
    assert rows == [
        ("AE98DA3C", "Support nightmare\nLeft earcup died, Halden support never replied.",
         at(1726090089000), "amazon", 2.0, "B0CHALDN01", 0, False),  # its parent_asin
        ("AE8AECBD", "Great value\nSound is great for $199, ANC decent.", at(1726301975000),
         "amazon", 5.0, "B0CHALDN01", 4, False),
        ("AEF0E38A", "Not bad! Comfortable, battery good.", at(1726531408000), "amazon", 4.0,
         "B0CHALDN01", 0, False),
        ("AE11AA22", "Fine.", at(1726531409000), "amazon", 3.0, "B0CHALDN01", 0, False),
        ("AE063DCB", "Great value\nSound is great for $199, ANC decent.", at(1727305004000),
         "amazon", 5.0, "B0CHALDN01", 7, False),
    ]  # fmt: skip
