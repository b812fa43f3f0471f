"""Identical texts link as reposts only within the repost window ([origin] repost_window_days)."""

from __future__ import annotations

from brandhalo.ingest import ingest_files


def _links(ws):
    rows = ws.store.con.execute("SELECT post_id, origin_id, is_repost FROM posts").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_identical_text_links_within_seven_days_only(tmp_ws, rows_file):
    text = "SU7 交付量再次 破纪录！"
    rows = [
        {"id": "a", "text": text, "created_at": "2024-05-21 10:00"},
        {"id": "b", "text": text + " ", "created_at": "2024-05-27 10:00"},  # day 6: repost
        {"id": "c", "text": text, "created_at": "2025-05-21 10:00"},  # a year later: original
        # a retweet 11 days after the last copy: outside the window it counts on its own, as a
        # copy there does (a retweet pointing at itself was counted nowhere)
        {"id": "m", "text": f"RT @x: {text}", "created_at": "2025-06-01 10:00"},
    ]
    ingest_files(tmp_ws, "posts", [rows_file("p.csv", rows)])
    links = _links(tmp_ws)
    assert links["a"] == ("a", False)
    assert links["b"] == ("a", True)
    assert links["c"] == ("c", False)
    assert links["m"] == ("m", False)


def test_later_file_does_not_link_across_the_window(tmp_ws, rows_file):
    text = "新车上市 限时价15万起 冲冲冲"
    ingest_files(tmp_ws, "posts", [rows_file("a.csv", [
        {"id": "old", "text": text, "created_at": "2024-01-01 10:00"}])])  # fmt: skip
    ingest_files(tmp_ws, "posts", [rows_file("b.csv", [
        {"id": "new", "text": text, "created_at": "2025-01-01 10:00"},
        {"id": "new2", "text": text, "created_at": "2025-01-02 10:00"}])])  # fmt: skip
    links = _links(tmp_ws)
    assert links["old"] == ("old", False)
    assert links["new"] == ("new", False)
    assert links["new2"] == ("new", True)
