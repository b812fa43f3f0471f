"""A vendor export's platform names (微博, 小红书, Weibo) are stored as the codes the crawler
presets store, so one platform is one source in counts, filters and exports; other values are
kept as written."""

from __future__ import annotations

from pathlib import Path

from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace


def test_platform_names_become_the_preset_codes_and_others_stay(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    rows = [
        ("1", "微博"), ("2", " Weibo "), ("3", "新浪微博"), ("4", "小红书"), ("5", "抖音"),
        ("6", "B站"), ("7", "百度贴吧"), ("8", "Facebook"), ("9", "xiaohongshu"), ("10", ""),
    ]  # fmt: skip
    path = tmp_path / "vendor.csv"
    body = "\n".join(f"{i},2026-03-0{int(i) % 9 + 1} 10:00,{s},文本{i}" for i, s in rows)
    path.write_text("ID,发布时间,来源,内容\n" + body + "\n", encoding="utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (10, 0)
    stored = dict(tmp_ws.store.con.execute("SELECT post_id, source FROM posts").fetchall())
    assert stored == {
        "1": "weibo", "2": "weibo", "3": "weibo", "4": "xhs", "5": "douyin",
        "6": "bilibili", "7": "tieba", "8": "Facebook", "9": "xiaohongshu", "10": None,
    }  # fmt: skip
