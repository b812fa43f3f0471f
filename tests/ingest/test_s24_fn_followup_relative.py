"""Session 24: a review's relative time ("3天前") is counted once in the summary, not once
more for its follow-up (追评), which carries the review's time cells."""

from __future__ import annotations

import csv
from pathlib import Path

from brandhalo.ingest import ingest_files


def test_a_relative_review_time_is_counted_once_with_its_follow_up(tmp_ws, tmp_path: Path):
    path = tmp_path / "jd.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["用户昵称", "会员级别", "评价内容", "评价时间", "追评内容", "追评时间"])
        w.writerow(["a", "金牌会员", "很好", "3天前", "用了一个月坏了", ""])
        w.writerow(["b", "金牌会员", "一般", "2天前", "", ""])
        w.writerow(["c", "金牌会员", "不错", "5天前", "后来还行", "2026-01-02 10:00"])
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (5, 0)
    assert f.relative_times == 3  # the three reviews' times; was 5 (the follow-ups again)
    rows = tmp_ws.store.con.execute(
        "SELECT author_name, post_type, created_at FROM posts ORDER BY author_name, post_type"
    ).fetchall()
    times = {(a, t): c for a, t, c in rows}
    assert times[("a", "reply")] == times[("a", "post")]  # no time of its own: the review's
    assert str(times[("c", "reply")]).startswith("2026-01-02")
