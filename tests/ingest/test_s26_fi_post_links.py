"""Post links and links to posts as the platforms write them.

A Weibo link ``weibo.com/<uid>/<bid>`` names the status by its base62 bid while Weibo exports
store the numeric mid; a Bilibili link names the video by its BV id while MediaCrawler stores
the aid: both now read as the stored id. MediaCrawler's Douyin and Xiaohongshu rows without a
URL column get their post's page, and a news file without a platform column is hinted
``source='news'``, not a shop.
"""

from __future__ import annotations

import csv
from pathlib import Path

from brandhalo.ingest import ingest_files


def _comment(i: int, link: str) -> dict[str, str]:
    return {"用户昵称": f"用户{i}", "评论内容": f"第{i}条评论，车不错", "评论时间": f"2026/11/21 10:0{i}:00",
            "视频链接": link}  # fmt: skip


def _post(pid: str, source: str) -> dict[str, str]:
    return {"id": pid, "text": f"帖子{pid}", "created_at": "2026-11-20 10:00", "source": source}


def _linked(tmp_ws, rows_file, stored: dict[str, str]) -> list[tuple[str, str | None]]:
    """(reply_to, the post it names) of comments whose 视频链接 are the URLs of `stored`
    (stored id -> URL; the posts are ingested first)."""
    posts = [_post(pid, "weibo" if "weibo" in url else "bilibili") for pid, url in stored.items()]
    ingest_files(tmp_ws, "posts", [rows_file("posts.csv", posts)])
    rows = [_comment(i, url) for i, url in enumerate(stored.values())]
    res = ingest_files(tmp_ws, "posts", [rows_file("comments.csv", rows)],
                       mapping={"reply_to": "视频链接"})  # fmt: skip
    assert not any("not stored" in w for w in res.files[0].warnings), res.files[0].warnings
    return tmp_ws.store.con.execute(
        "SELECT c.reply_to, p.post_id FROM posts c LEFT JOIN posts p ON p.post_id = c.reply_to "
        "WHERE c.reply_to IS NOT NULL ORDER BY c.line"
    ).fetchall()


def test_weibo_bid_links_read_as_the_stored_mid(tmp_ws, rows_file) -> None:
    # yCirT0Iox in groups of 4 from the right: y | CirT | 0Iox = 34 | 9127385 | 170657 (base62
    # 0-9a-zA-Z: C=38 i=18 r=27 T=55 -> 38*62^3+18*62^2+27*62+55; I=44 o=24 x=33), each but
    # the first 7 digits: 34 9127385 0170657
    stored = {
        "3491273850170657": "https://weibo.com/1642909335/yCirT0Iox",
        "4885639100630954": "https://weibo.com/1234567890/MzVRA2E8G?refer_flag=1001",
        "5000000000000001": "https://m.weibo.cn/status/5000000000000001",
    }
    got = _linked(tmp_ws, rows_file, stored)
    assert got == [(pid, pid) for pid in stored], got


def test_bilibili_bv_links_read_as_the_stored_aid(tmp_ws, rows_file) -> None:
    # BV17x411w7KC is av170001, BV1xx411c7mD is av2 (Bilibili's published examples)
    stored = {
        "170001": "https://www.bilibili.com/video/BV17x411w7KC/?spm_id_from=333.999",
        "2": "https://www.bilibili.com/video/BV1xx411c7mD",
        "111298867365120": "https://www.bilibili.com/video/BV1L9Uoa9EUx",
        "7": "https://www.bilibili.com/video/av7",
    }
    got = _linked(tmp_ws, rows_file, stored)
    assert got == [(pid, pid) for pid in stored], got


def _csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_douyin_and_xhs_rows_without_a_url_get_their_posts_page(tmp_ws, tmp_path) -> None:
    videos = _csv(
        tmp_path / "douyin_contents.csv",
        [
            "aweme_id",
            "aweme_type",
            "title",
            "desc",
            "create_time",
            "liked_count",
            "user_id",
            "nickname",
        ],  # fmt: skip
        [["7440000000000000001", "0", "", "SU7开箱", "1763690000", "10", "u1", "车主A"]],
    )
    comments = _csv(
        tmp_path / "douyin_comments.csv",
        ["comment_id", "aweme_id", "content", "create_time", "user_id", "nickname"],
        [["7440000000000000009", "7440000000000000001", "真不错", "1763690100", "u2", "路人"]],
    )
    notes = _csv(
        tmp_path / "xhs_comments.csv",
        ["comment_id", "note_id", "content", "create_time", "pictures", "user_id", "nickname"],
        [["c1", "64f1a2b3c4d5e6f708091a2b", "好看", "1763690200000", "", "u3", "小红"]],
    )
    for path in (videos, comments, notes):
        f = ingest_files(tmp_ws, "posts", [path]).files[0]
        assert f.inserted == 1, (path.name, f.preset, f.quarantined)
    got = dict(tmp_ws.store.con.execute("SELECT text, url FROM posts").fetchall())
    assert got == {
        "SU7开箱": "https://www.douyin.com/video/7440000000000000001",
        "真不错": "https://www.douyin.com/video/7440000000000000001",
        "好看": "https://www.xiaohongshu.com/explore/64f1a2b3c4d5e6f708091a2b",
    }, got


def test_an_export_s_own_url_is_kept(tmp_ws, tmp_path) -> None:
    videos = _csv(
        tmp_path / "douyin_contents.csv",
        ["aweme_id", "aweme_type", "desc", "create_time", "liked_count", "aweme_url"],
        [
            [
                "7440000000000000002",
                "0",
                "新车",
                "1763690000",
                "3",
                "https://www.douyin.com/video/7440000000000000002?from=share",
            ]
        ],  # fmt: skip
    )
    ingest_files(tmp_ws, "posts", [videos])
    (url,) = tmp_ws.store.con.execute("SELECT url FROM posts").fetchone()
    assert url == "https://www.douyin.com/video/7440000000000000002?from=share"


def test_a_news_file_without_platform_is_hinted_news(tmp_ws, tmp_path) -> None:
    news = _csv(
        tmp_path / "news_20261124.csv",
        ["标题", "媒体", "发布时间", "链接"],
        [["某品牌新车上市，售价公布", "新京报", "2026-11-24 9:30", "https://news.example.cn/10/0"]],
    )
    f = ingest_files(tmp_ws, "posts", [news], mapping={"text": "标题"}).files[0]
    (hint,) = [m for m in [*f.notes, *f.warnings] if m.startswith("source:")]
    assert "--map \"source='news'\"" in hint and "source='jd'" not in hint, hint
    shop = _csv(
        tmp_path / "reviews.csv",
        ["商品名称", "评分", "评论内容", "评论时间"],
        [["星河A3", "5", "好用", "2026-01-02 10:00:00"]],
    )
    g = ingest_files(tmp_ws, "posts", [shop]).files[0]
    (hint,) = [m for m in [*g.notes, *g.warnings] if m.startswith("source:")]
    assert "--map \"source='jd'\"" in hint, hint
