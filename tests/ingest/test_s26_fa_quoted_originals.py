"""A weibo-crawler repost of a post not in the file counts the post it passes on.

The walk-through's ``weibo/车评人老王/6001234567.csv``: one original and two reposts whose
``源微博正文`` are negative posts with 5.6万 likes gave buzz 1; the reposts were stored as
"转发微博" / "说得对！" pointing at a parent never stored, and nothing warned. The reposted post
is now stored from the row's ``源微博`` columns (once; the JSON preset's ``retweet`` object
alike), so the reposts count as it.
"""

from __future__ import annotations

import json
from pathlib import Path

from brandhalo.ingest import ingest_files

HEADER = (
    "id,bid,正文,头条文章url,原始图片url,视频url,位置,日期,工具,点赞数,评论数,转发数,话题,@用户,"
    "完整日期,是否原创,源用户id,源用户昵称,源微博id,源微博bid,源微博正文,源微博头条文章url,"
    "源微博原始图片url,源微博视频url,源微博位置,源微博日期,源微博工具,源微博点赞数,源微博评论数,"
    "源微博转发数,源微博话题,源微博@用户,源微博完整日期"
)
ROWS = [
    "5000000000000001\t,Pabc0,小米SU7开了三个月，说说优缺点,,,,,2026-11-12 10:00,iPhone客户端,100,5,1,,,"
    "2026-11-12 10:00:00,True,,,,,,,,,,,,,,,,,",
    "5000000000000011\t,Pabc1,转发微博,,,,,2026-11-12 10:01,iPhone客户端,101,5,1,,,2026-11-12 10:01:00,"
    "False,1111,某大V,4999000111222333\t,Qb1,小米SU7刹车又出问题了，官方能不能给个说法？？,,,,,"
    "2026-11-10 08:00,,5.6万,8000,1.2万,,,2026-11-10 08:00:00",
    "5000000000000021\t,Pabc2,说得对！,,,,,2026-11-12 10:02,iPhone客户端,102,5,1,,,2026-11-12 10:02:00,"
    "False,1111,某大V,4999000111222444\t,Qb2,雷军说小米SU7年底交付十万台，真的假的,,,,,"
    "2026-11-11 09:00,,5.6万,8000,1.2万,,,2026-11-11 09:00:00",
    "5000000000000031\t,Pabc3,再转一次,,,,,2026-11-12 10:03,iPhone客户端,103,5,1,,,2026-11-12 10:03:00,"
    "False,1111,某大V,4999000111222333\t,Qb1,小米SU7刹车又出问题了，官方能不能给个说法？？,,,,,"
    "2026-11-10 08:00,,5.7万,8000,1.2万,,,2026-11-10 08:00:00",
]


def _posts(ws) -> dict[str, tuple]:
    sql = "SELECT post_id, author_name, text, likes, origin_id, is_repost FROM posts"
    return {r[0]: r[1:] for r in ws.store.con.execute(sql).fetchall()}


def test_the_reposted_posts_are_stored_once_and_count(tmp_ws, tmp_path: Path) -> None:
    folder = tmp_path / "weibo" / "车评人老王"
    folder.mkdir(parents=True)
    path = folder / "6001234567.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8-sig")
    res = ingest_files(tmp_ws, "posts", [path])
    f = res.files[0]
    assert f.preset == "weibo-crawler-csv"
    posts = _posts(tmp_ws)
    a = posts["4999000111222333"]
    assert a[:2] == ("某大V", "小米SU7刹车又出问题了，官方能不能给个说法？？")
    assert a[2] == 57000 and a[3:] == ("4999000111222333", False)  # the most likes it was seen with
    assert posts["4999000111222444"][3:] == ("4999000111222444", False)
    assert posts["5000000000000011"][3:] == ("4999000111222333", True)
    assert posts["5000000000000031"][3:] == ("4999000111222333", True)
    assert posts["5000000000000021"][3:] == ("4999000111222444", True)
    counted = [p for p, v in posts.items() if not v[4]]
    assert sorted(counted) == ["4999000111222333", "4999000111222444", "5000000000000001"]
    assert f.rows_read == 4 and len(posts) == 6
    assert any("2 reposted posts were read from the 源微博 columns" in n or
               "3 reposted posts were read" in n for n in f.notes), f.notes  # fmt: skip


def test_a_retweet_object_is_stored_as_a_post(tmp_ws, tmp_path: Path) -> None:
    retweet = {"id": 515001, "bid": "Pabc0", "text": "小米SU7 刹车有问题", "user_id": 77,
               "screen_name": "某大V", "created_at": "2025-04-01",
               "full_created_at": "2025-04-01 08:00:00", "attitudes_count": 56000}  # fmt: skip
    weibo = [
        {"user_id": 1, "screen_name": "车评人", "id": 515201, "bid": "P1", "text": "底盘不错",
         "created_at": "2025-04-05", "attitudes_count": 1, "comments_count": 0,
         "reposts_count": 0},
        {"user_id": 1, "screen_name": "车评人", "id": 515202, "bid": "P2", "text": "转发微博",
         "created_at": "2025-04-06", "attitudes_count": 3, "comments_count": 0,
         "reposts_count": 0, "retweet": retweet},
    ]  # fmt: skip
    path = tmp_path / "1.json"
    data = {"user": {"id": "1", "screen_name": "车评人"}, "weibo": weibo}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = ingest_files(tmp_ws, "posts", [path])
    assert res.files[0].preset == "weibo-crawler-json"
    posts = _posts(tmp_ws)
    assert posts["515001"][:3] == ("某大V", "小米SU7 刹车有问题", 56000)
    assert posts["515202"][3:] == ("515001", True)


def test_a_quoted_post_the_file_holds_is_its_own_row(tmp_ws, tmp_path: Path) -> None:
    """The crawled user reposting their own post: the post's own row is kept, not the repost's
    cut copy of it (which differs in text and time: no "id repeats an earlier line" quarantine)."""
    own = ("5000000000000009\t,Pown,我的完整长文：小米SU7开了三个月，续航扎实，车机流畅,,,,,2026-11-12 09:00,"
           "iPhone客户端,7,5,1,,,2026-11-12 09:00:00,True,,,,,,,,,,,,,,,,,")
    repost = ("5000000000000019\t,Prp,转发微博,,,,,2026-11-12 10:01,iPhone客户端,1,0,0,,,"
              "2026-11-12 10:01:00,False,6001234567,车评人老王,5000000000000009\t,Pown,我的完整长文：小米SU7"
              "开了三个月...,,,,,2026-11-12,,7,5,1,,,2026-11-12 09:00:30")  # fmt: skip
    folder = tmp_path / "weibo" / "车评人老王"
    folder.mkdir(parents=True)
    path = folder / "6001234567.csv"
    path.write_text("\n".join([HEADER, repost, own]) + "\n", encoding="utf-8-sig")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    posts = _posts(tmp_ws)
    assert posts["5000000000000009"][1].startswith("我的完整长文：小米SU7开了三个月，续航扎实")
    assert posts["5000000000000019"][3:] == ("5000000000000009", True)
    assert (f.inserted, f.quarantined, len(posts)) == (2, 0, 2)
    assert not any("originals" in n or "reposted post" in n for n in f.notes), f.notes
