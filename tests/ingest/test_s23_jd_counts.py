"""A JD / Tmall review export counts helpful votes under 有用数 and replies under 回复数: both
load without --map as the post's likes and comments (found walking a JD export: the two
columns were dropped and every review had 0 likes and 0 comments)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.support.hint_reviews import CONFIG

from brandhalo.ingest import ingest_files
from brandhalo.workspace import init_workspace


def test_jd_helpful_votes_and_replies_are_likes_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "京东评价导出.csv"
    rows = [("r1", "音质很好，物流快", "12", "3"), ("r2", "客服不理人", "1,204", "57")]
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["评论ID", "评价内容", "评论时间", "评分", "有用数", "回复数"])
        for pid, text, useful, replies in rows:
            out.writerow([pid, text, "2025-03-01 10:00:00", "5", useful, replies])
    with init_workspace(tmp_path / "ws", config_text=CONFIG) as ws:
        result = ingest_files(ws, "posts", [path])
        assert result.totals["inserted"] == 2, result
        stored = ws.store.query("SELECT text, likes, comments FROM posts")
    rows_read = zip(stored["text"], stored["likes"], stored["comments"], strict=True)
    counts = {t: (lk, c) for t, lk, c in rows_read}
    assert counts == {"音质很好，物流快": (12, 3), "客服不理人": (1204, 57)}
