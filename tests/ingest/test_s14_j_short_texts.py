"""Identical short texts from different people are their own posts, not reposts of the first.

Review exports and tweets hold many "好评" / "很满意" from different accounts: linking them
made the opinion metrics (originals only) count the whole group once, on its first day.
Identical texts link only from the near-duplicate stage's 10 letters on; repost markers
(``//@user:``, ``RT @user:``) and parent ids link whatever the length.
"""

from __future__ import annotations

from brandhalo.ingest import ingest_files

LONG = "新车上市限时价15万起，快来4S店看看吧！！"  # 19 letters: a copy


def _links(ws):
    rows = ws.store.con.execute("SELECT post_id, origin_id, is_repost FROM posts").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def _reviews(n: int, start: int = 0, day0: int = 1) -> list[dict[str, str]]:
    texts = ["好评", "很满意", "太棒了，真心喜欢"]
    return [
        {
            "id": f"r{i}",
            "author_name": f"buyer{i}",
            "text": texts[i % 3],
            "created_at": f"2025-03-{day0 + (i - start) // 4:02d} {8 + i % 4}:00",
        }
        for i in range(start, start + n)
    ]


def test_short_identical_texts_stay_originals(tmp_ws, rows_file):
    rows = _reviews(24) + [
        {"id": "c1", "author_name": "a", "text": LONG, "created_at": "2025-03-02 10:00"},
        {"id": "c2", "author_name": "b", "text": LONG, "created_at": "2025-03-02 11:00"},
        {"id": "m1", "author_name": "c", "text": "同感//@buyer0: 好评", "created_at": "2025-03-03"},
        {
            "id": "p1",
            "author_name": "d",
            "text": "好评",
            "created_at": "2025-03-04",
            "parent_id": "r3",
        },  # fmt: skip
    ]
    ingest_files(tmp_ws, "posts", [rows_file("reviews.csv", rows)])
    links = _links(tmp_ws)
    assert all(links[f"r{i}"] == (f"r{i}", False) for i in range(24))
    assert links["c2"] == ("c1", True)  # a long identical text is still a copy
    assert links["m1"] == ("r0", True)  # a marker links whatever the length
    assert links["p1"] == ("r3", True)  # so does a parent id


def test_a_later_file_does_not_relink_short_texts(tmp_ws, rows_file):
    ingest_files(tmp_ws, "posts", [rows_file("a.csv", _reviews(12, day0=10))])
    earlier = _reviews(6, start=100, day0=9) + [
        {"id": "c0", "author_name": "z", "text": LONG, "created_at": "2025-03-09 07:00"}
    ]
    later = [{"id": "c9", "author_name": "y", "text": LONG, "created_at": "2025-03-10 07:00"}]
    ingest_files(tmp_ws, "posts", [rows_file("b.csv", later)])
    ingest_files(tmp_ws, "posts", [rows_file("c.csv", earlier)])
    links = _links(tmp_ws)
    originals = [k for k, (origin, repost) in links.items() if not repost and origin == k]
    assert len(originals) == 12 + 6 + 1
    assert links["c9"] == ("c0", True)  # the long text's group moved to its earlier copy
