"""A comment export whose reply_to column holds the post's URL links its comments to the post.

A Douyin comment export mapped ``reply_to=视频链接`` stored the full URL, so 0 of 200 comments
linked to their 150 stored videos, and nothing warned. The post id is now read out of known
post URLs, and a file most of whose reply_to values name no stored post gets a warning.
"""

from __future__ import annotations

from brandhalo.ingest import ingest_files


def _comment(i: int, link: str) -> dict[str, str]:
    return {"用户昵称": f"抖音用户{i}", "评论内容": f"第{i}条评论，车不错", "评论时间": f"2026/11/21 10:0{i}:00",
            "视频链接": link}  # fmt: skip


def _video(vid: str) -> dict[str, str]:
    return {"id": vid, "text": f"视频{vid}", "created_at": "2026-11-20 10:00", "source": "douyin"}


URLS = {
    "7440000000000000001": "https://www.douyin.com/video/7440000000000000001",
    "7440000000000000002": "https://www.douyin.com/video/7440000000000000002?modeFrom=user",
    "1888888888888888888": "https://x.com/someone/status/1888888888888888888",
    "64f1a2b3c4d5e6f708091a2b": "https://www.xiaohongshu.com/explore/64f1a2b3c4d5e6f708091a2b?xsec=1",
    "2": "https://www.bilibili.com/video/BV1xx411c7mD/?spm_id_from=333",  # BV1xx411c7mD is av2
    "5000000000000001": "https://weibo.com/6001234567/5000000000000001",
}


def test_reply_to_urls_read_as_post_ids(tmp_ws, rows_file) -> None:
    ingest_files(tmp_ws, "posts", [rows_file("videos.csv", [_video(v) for v in URLS])])
    rows = [_comment(i, url) for i, url in enumerate(URLS.values())]
    res = ingest_files(tmp_ws, "posts", [rows_file("comments.csv", rows)],
                       mapping={"reply_to": "视频链接"})  # fmt: skip
    f = res.files[0]
    got = tmp_ws.store.con.execute(
        "SELECT c.reply_to, c.thread_id, p.post_id FROM posts c LEFT JOIN posts p "
        "ON p.post_id = c.reply_to WHERE c.reply_to IS NOT NULL ORDER BY c.line"
    ).fetchall()
    assert [r[0] for r in got] == list(URLS)
    assert all(r[2] is not None and r[1] == r[0] for r in got), got
    assert not any("not stored" in w for w in f.warnings), f.warnings


def test_most_reply_to_values_naming_no_post_warn(tmp_ws, rows_file) -> None:
    ingest_files(tmp_ws, "posts", [rows_file("videos.csv", [_video("7440000000000000001")])])
    rows = [_comment(i, f"小米SU7评测第{i}期") for i in range(6)]  # a title, not an id
    rows.append(_comment(7, "https://www.douyin.com/video/7440000000000000001"))
    res = ingest_files(tmp_ws, "posts", [rows_file("comments.csv", rows)],
                       mapping={"reply_to": "视频链接"})  # fmt: skip
    w = [w for w in res.files[0].warnings if "are not stored" in w]
    assert w and w[0].startswith("6 of the 7 posts the file's comments answer (column '视频链接')")
    assert "--map reply_to=COLUMN" in w[0]
