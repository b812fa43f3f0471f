"""Identical texts link as copies (reposts) only within one platform, only when the text holds
words of its own, and never against the tool's own originality flag.

A walk-through found 12 Douyin videos by 12 authors, all captioned ``#小米su7 #雷军 #小米汽车
#新能源汽车``, stored as 11 reposts of the first (buzz 1), and a weibo-crawler post with
``是否原创`` True linked as a repost of a Douyin video: 794 of 1,410 real posts were linked by
their text alone, 464 of them across platforms.
"""

from __future__ import annotations

import json

from brandhalo.ingest import ingest_files

TAGS = "#小米su7 #雷军 #小米汽车 #新能源汽车"
LONG = "小米SU7开了三个月，说说优缺点：续航扎实，车机流畅，就是后排有点挤"


def _links(ws) -> dict[str, tuple[str, bool]]:
    rows = ws.store.con.execute("SELECT post_id, origin_id, is_repost FROM posts").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def _row(pid: str, text: str, when: str, source: str) -> dict[str, str]:
    return {"id": pid, "author_name": f"u-{pid}", "text": text, "created_at": when,
            "source": source}  # fmt: skip


def test_hashtag_only_captions_of_many_authors_are_no_copies(tmp_ws, rows_file) -> None:
    rows = [_row(f"d{i}", TAGS, f"2026-11-20 1{i}:00", "douyin") for i in range(6)]
    rows += [_row(f"e{i}", f"{TAGS} @雷军 https://v.douyin.com/x{i}/ [赞]", f"2026-11-20 1{i}:30",
                  "douyin") for i in range(3)]  # fmt: skip
    res = ingest_files(tmp_ws, "posts", [rows_file("douyin.csv", rows)])
    links = _links(tmp_ws)
    assert all(links[p] == (p, False) for p in links), links
    assert res.files[0].copies == 0


def test_copies_link_within_one_platform_only(tmp_ws, rows_file) -> None:
    rows = [
        _row("w1", LONG, "2026-11-12 10:00", "weibo"),
        _row("w2", LONG, "2026-11-12 11:00", "weibo"),  # a copy-paste repost on Weibo
        _row("x1", LONG, "2026-11-12 12:00", "xhs"),  # another platform: its own post
        _row("x2", LONG, "2026-11-12 13:00", "xhs"),  # ... copied on that platform
        _row("t1", f"{TAGS} {LONG}", "2026-11-12 14:00", "douyin"),
        _row("t2", f"{TAGS} {LONG}", "2026-11-12 15:00", "douyin"),  # words besides the tags
    ]
    res = ingest_files(tmp_ws, "posts", [rows_file("mix.csv", rows)])
    links = _links(tmp_ws)
    assert links["w1"] == ("w1", False) and links["w2"] == ("w1", True)
    assert links["x1"] == ("x1", False) and links["x2"] == ("x1", True)
    assert links["t2"] == ("t1", True)
    f = res.files[0]
    assert f.copies == 3
    assert any("3 posts were linked as copies" in n for n in f.notes), f.notes
    assert f.model_dump()["copies"] == 3  # in --json


def test_a_later_file_of_another_platform_does_not_relink_stored_posts(tmp_ws, rows_file):
    ingest_files(tmp_ws, "posts", [rows_file("a.csv", [_row("w1", LONG, "2026-11-12 10:00",
                                                           "weibo")])])  # fmt: skip
    later = [_row("d1", LONG, "2026-11-11 10:00", "douyin")]  # earlier, on Douyin
    ingest_files(tmp_ws, "posts", [rows_file("b.csv", later)])
    links = _links(tmp_ws)
    assert links["w1"] == ("w1", False) and links["d1"] == ("d1", False)
    ingest_files(tmp_ws, "posts", [rows_file("c.csv", [_row("w0", LONG, "2026-11-11 09:00",
                                                           "weibo")])])  # fmt: skip
    assert _links(tmp_ws)["w1"] == ("w0", True)  # the same platform's earlier copy still moves it


WC_HEADER = (
    "id,bid,正文,日期,工具,点赞数,评论数,转发数,完整日期,是否原创,源用户id,源用户昵称,源微博id,"
    "源微博正文,源微博完整日期"
)


def test_the_tools_originality_flag_is_kept(tmp_ws, rows_file, tmp_path) -> None:
    mc = [{"aweme_id": "744", "aweme_type": "0", "title": LONG, "desc": LONG,
           "create_time": 1762905600, "user_id": "1000", "nickname": "车主0",
           "liked_count": "10", "comment_count": "1", "share_count": "1",
           "aweme_url": "https://www.douyin.com/video/744", "source_keyword": "小米SU7"}]  # fmt: skip
    folder = tmp_path / "data" / "douyin" / "json"
    folder.mkdir(parents=True)
    (folder / "search_contents_2026-11-12.json").write_text(json.dumps(mc, ensure_ascii=False))
    ingest_files(tmp_ws, "posts", [folder / "search_contents_2026-11-12.json"])
    wc = tmp_path / "weibo" / "车评人老王"
    wc.mkdir(parents=True)
    lines = [WC_HEADER,
             f"5001\t,P1,{LONG},2026-11-12 10:00,iPhone,1,1,1,2026-11-12 10:00:00,True,,,,,",
             f"5002\t,P2,{LONG},2026-11-12 11:00,iPhone,1,1,1,2026-11-12 11:00:00,True,,,,,"]  # fmt: skip
    (wc / "6001234567.csv").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    res = ingest_files(tmp_ws, "posts", [wc / "6001234567.csv"])
    assert res.files[0].preset == "weibo-crawler-csv"
    links = _links(tmp_ws)
    # 是否原创 True: both are originals, neither a copy of the Douyin video nor of each other
    assert links["5001"] == ("5001", False)
    assert links["5002"] == ("5002", False)
    assert links["744"] == ("744", False)
