"""A review is its buyer's own words: the same text from another buyer is no repost of it.

Shop exports hold many identical reviews from different buyers (安装师傅很专业，体验超赞 from 89
JD buyers): each was linked as a copy of the first, and metrics (originals only) lost 503 of
879 JD reviews and 482 of 720 Amazon reviews. A row with a rating, or from a shop or review
site (jd, tmall, amazon, ...), is no longer linked by its text; social posts keep the repost
rules (identical long texts of one platform, markers, parent ids); a social post with a
review's text is no copy of it since session 26 (texts link within one source only), while a
marker quoting the review still links to it.
"""

from __future__ import annotations

from brandhalo.ingest import ingest_files

REVIEW = "安装师傅很专业，体验超赞，制冷也快"  # 15 letters: long enough to be a copy
POST = "新车上市限时价15万起，快来4S店看看吧！！"


def _links(ws) -> dict[str, tuple[str, bool]]:
    rows = ws.store.con.execute("SELECT post_id, origin_id, is_repost FROM posts").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def _row(pid: str, text: str, when: str, **kw: str) -> dict[str, str]:
    base = {"id": pid, "author_name": f"u-{pid}", "text": text, "created_at": when}
    base.update({"source": "", "rating": ""})
    return base | kw


def test_reviews_are_not_copies_of_other_buyers_reviews(tmp_ws, rows_file) -> None:
    rows = [
        # rated reviews (no source): the same words from three buyers
        *[_row(f"r{i}", REVIEW, f"2025-03-0{i + 1} 10:00", rating="5") for i in range(3)],
        # a shop's reviews without a rating column value
        *[_row(f"j{i}", POST, f"2025-03-0{i + 1} 12:00", source="jd") for i in range(2)],
        _row("a1", REVIEW + "!", "2025-03-01 13:00", source="Amazon"),
        _row("a2", REVIEW + "!", "2025-03-02 13:00", source=" amazon "),
        # social posts keep the repost rules
        _row("w1", POST + "?", "2025-03-01 09:00", source="weibo"),
        _row("w2", POST + "?", "2025-03-01 11:00", source="weibo"),
        _row("w3", REVIEW, "2025-03-04 09:00", source="weibo"),  # copies a review's words
        _row("m1", f"同感//@u-r1: {REVIEW}", "2025-03-05 09:00", source="weibo"),
    ]
    ingest_files(tmp_ws, "posts", [rows_file("mixed.csv", rows)])
    links = _links(tmp_ws)
    for pid in ("r0", "r1", "r2", "j0", "j1", "a1", "a2", "w1"):
        assert links[pid] == (pid, False), pid
    assert links["w2"] == ("w1", True)
    assert links["w3"] == ("w3", False)  # a review's words on Weibo: another platform's post
    assert links["m1"] == ("r0", True)  # a marker links whatever it quotes


def test_a_later_file_does_not_relink_stored_reviews(tmp_ws, rows_file) -> None:
    later = [_row(f"r{i}", REVIEW, f"2025-03-1{i} 10:00", rating="4") for i in range(3)]
    later.append(_row("w9", POST, "2025-03-10 10:00", source="weibo"))
    ingest_files(tmp_ws, "posts", [rows_file("a.csv", later)])
    earlier = [
        _row("r9", REVIEW, "2025-03-09 10:00", source="tmall"),
        _row("w0", POST, "2025-03-09 10:00", source="weibo"),
    ]
    ingest_files(tmp_ws, "posts", [rows_file("b.csv", earlier)])
    links = _links(tmp_ws)
    for pid in ("r0", "r1", "r2", "r9", "w0"):
        assert links[pid] == (pid, False), pid
    assert links["w9"] == ("w0", True)  # the social post's group moved to its earlier copy


def test_review_metrics_count_every_buyer(tmp_ws, rows_file) -> None:
    rows = [_row(f"r{i}", REVIEW, f"2025-03-01 1{i}:00", rating="5") for i in range(6)]
    ingest_files(tmp_ws, "posts", [rows_file("reviews.csv", rows)])
    n = tmp_ws.store.con.execute("SELECT count(*) FROM posts WHERE NOT is_repost").fetchall()
    assert n[0][0] == 6
