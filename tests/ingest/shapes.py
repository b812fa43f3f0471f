"""Small crawler and export files in the real shapes (field names, value forms, containers),
written by the tests themselves: no copied data. Times are planted so tests can check them."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

#: Crawl time of the MediaCrawler records: 2025-05-20 12:00:00 +08:00, in ms.
CRAWL_MS = 1747713600000


def _mc_user(i: int) -> dict[str, Any]:
    return {
        "user_id": f"u{i}",
        "nickname": f"用户{i}",
        "avatar": "https://tvax1.sinaimg.cn/x.jpg",
        "gender": "f",
        "profile_url": f"https://m.weibo.cn/u/u{i}",
        "ip_location": "发布于 北京",
        "add_ts": CRAWL_MS,
        "last_modify_ts": CRAWL_MS,
    }


def weibo_notes() -> list[dict[str, Any]]:
    """MediaCrawler `weibo_note` records: `create_time` is 8 hours off `create_date_time`
    (the crawler's own bug the issue reports); the offset datetime is the truth."""
    return [
        {
            **_mc_user(1),
            "note_id": "5150000000000001",
            "content": "小米SU7 交付很快 #小米汽车#",
            "create_time": 1743529820,  # 2025-04-01 17:50:20 UTC: 8 hours off
            "create_date_time": "2025-04-01 17:50:20+08:00",
            "liked_count": "1.2万",
            "comments_count": "10万+",
            "shared_count": "3,456",
            "note_url": "https://m.weibo.cn/detail/5150000000000001",
            "source_keyword": "小米SU7",
        },
        {
            **_mc_user(2),
            "note_id": "5150000000000002",
            "content": "续航比宣传的少",
            "create_time": 1743558000,
            "create_date_time": "2025-04-02 09:40:00+08:00",
            "liked_count": "35",
            "comments_count": "2",
            "shared_count": "0",
            "note_url": "https://m.weibo.cn/detail/5150000000000002",
            "source_keyword": "小米SU7",
        },
        {  # the same note crawled twice (a second keyword): one post
            **_mc_user(2),
            "note_id": "5150000000000002",
            "content": "续航比宣传的少",
            "create_time": 1743558000,
            "create_date_time": "2025-04-02 09:40:00+08:00",
            "liked_count": "36",
            "comments_count": "2",
            "shared_count": "0",
            "note_url": "https://m.weibo.cn/detail/5150000000000002",
            "source_keyword": "小米续航",
        },
    ]


def weibo_comments() -> list[dict[str, Any]]:
    """MediaCrawler `weibo_note_comment`: two comments on note 1 (same text), a reply."""
    base = {"comment_like_count": "0", "sub_comment_count": "0", "parent_comment_id": ""}
    return [
        {
            **_mc_user(3),
            **base,
            "comment_id": "c101",
            "note_id": "5150000000000001",
            "content": "666",
            "create_time": 1743502000,
            "create_date_time": "2025-04-01 18:06:40+08:00",
            "comment_like_count": "1.1k",
            "sub_comment_count": "1",
            "parent_comment_id": "c101",  # Weibo's rootid: a top-level comment's own id
        },
        {
            **_mc_user(4),
            **base,
            "comment_id": "c102",
            "note_id": "5150000000000002",
            "content": "666",
            "create_time": 1743558600,
            "create_date_time": "2025-04-02 09:50:00+08:00",
        },
        {
            **_mc_user(5),
            **base,
            "comment_id": "c103",
            "note_id": "5150000000000001",
            "content": "回复@用户3: 同感",
            "create_time": 1743503000,
            "create_date_time": "2025-04-01 18:23:20+08:00",
            "parent_comment_id": "c101",
        },
    ]


def xhs_notes() -> list[dict[str, Any]]:
    """MediaCrawler `xhs_note`: title + desc, `time` in ms."""
    return [
        {
            **_mc_user(6),
            "note_id": "66a1b2c3000000001e00aa01",
            "type": "normal",
            "title": "SU7 提车一个月",
            "desc": "说说优缺点 #小米SU7",
            "video_url": "",
            "time": 1746087000000,  # 2025-05-01 16:10:00 +08:00
            "last_update_time": 1746087000000,
            "liked_count": "2.3w",
            "collected_count": "1万+",
            "comment_count": "861",
            "share_count": "120",
            "image_list": "https://sns-img/1.jpg",
            "tag_list": "小米SU7",
            "note_url": "https://www.xiaohongshu.com/explore/66a1b2c3000000001e00aa01",
            "source_keyword": "小米SU7",
            "xsec_token": "ABC",
        }
    ]


def xhs_comments() -> list[dict[str, Any]]:
    """MediaCrawler `xhs_note_comment`: a comment and a reply, `create_time` in ms."""
    note = "66a1b2c3000000001e00aa01"
    common = {"pictures": "", "sub_comment_count": 0, "like_count": "12"}
    return [
        {
            **_mc_user(7),
            **common,
            "comment_id": "x1",
            "note_id": note,
            "content": "求问续航",
            "create_time": 1746090600000,  # 2025-05-01 17:10 +08:00
            "parent_comment_id": None,
        },
        {
            **_mc_user(6),
            **common,
            "comment_id": "x2",
            "note_id": note,
            "content": "冬天 400 左右",
            "create_time": 1746094200000,
            "parent_comment_id": "x1",
            "like_count": "1.2万",
        },
    ]


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def mediacrawler_sqlite(path: Path) -> Path:
    """A MediaCrawler sqlite database with the weibo tables (and an empty creator table)."""
    con = sqlite3.connect(path)
    for table, rows in (("weibo_note", weibo_notes()), ("weibo_note_comment", weibo_comments())):
        cols = list(rows[0])
        con.execute(
            f"CREATE TABLE {table} (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            + ", ".join(
                f"{c} {'INTEGER' if c.endswith(('_ts', 'create_time')) else 'TEXT'}" for c in cols
            )
            + ")"
        )
        con.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [[r[c] for c in cols] for r in rows],
        )
    con.execute("CREATE TABLE weibo_creator (id INTEGER PRIMARY KEY, user_id TEXT)")
    con.commit()
    con.close()
    return path


_WC_HEAD = ["id", "bid", "正文", "头条文章url", "原始图片url", "视频url", "位置", "日期", "工具",
            "点赞数", "评论数", "转发数", "话题", "@用户"]  # fmt: skip


def weibo_crawler_csv(path: Path, *, header_set: str = "2024") -> Path:
    """dataabc/weibo-crawler CSV: ids end in a TAB; a repost row names its source weibo."""
    head = list(_WC_HEAD)
    if header_set == "2024":
        head.append("完整日期")
    src = ["是否原创", "源用户id", "源用户昵称"] + ["源微博" + h for h in head]
    head += src
    rows = [
        {"id": "5150000000000101\t", "bid": "Pabc1", "正文": "今天去试驾了 SU7", "日期": "2025-04-03",
         "完整日期": "2025-04-03 08:15:00", "工具": "iPhone客户端", "点赞数": "1.2万", "评论数": "35",
         "转发数": "10万+", "是否原创": "True"},
        {"id": "5150000000000102\t", "bid": "Pabc2", "正文": "转发微博", "日期": "2025-04-03",
         "完整日期": "2025-04-03 09:00:00", "工具": "微博 weibo.com", "点赞数": "3", "评论数": "0",
         "转发数": "0", "是否原创": "False", "源用户id": "77\t", "源用户昵称": "小米汽车",
         "源微博id": "5150000000000001\t", "源微博正文": "小米SU7 交付很快"},
    ]  # fmt: skip
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=head, extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return path


def weibo_crawler_json(path: Path) -> Path:
    """dataabc/weibo-crawler JSON: `{"user": {...}, "weibo": [...]}`, reposts carry `retweet`."""
    user = {"id": "1234567890", "screen_name": "车评人", "followers_count": 52000,
            "statuses_count": 800, "verified": True}  # fmt: skip
    weibo = [
        {"user_id": 1234567890, "screen_name": "车评人", "id": 5150000000000201,
         "bid": "Pxyz1", "text": "SU7 的底盘调校不错", "article_url": "", "pics": "", "video_url": "",
         "location": "", "created_at": "2025-04-05", "full_created_at": "2025-04-05 20:30:00",
         "source": "HUAWEI Mate 60", "attitudes_count": 1200, "comments_count": 88,
         "reposts_count": 15, "topics": "", "at_users": ""},
        {"user_id": 1234567890, "screen_name": "车评人", "id": 5150000000000202,
         "bid": "Pxyz2", "text": "同意//@小米汽车:交付很快", "article_url": "", "pics": "",
         "video_url": "", "location": "", "created_at": "2025-04-06",
         "full_created_at": "2025-04-06 07:05:00", "source": "微博 weibo.com",
         "attitudes_count": 3, "comments_count": 0, "reposts_count": 0, "topics": "",
         "at_users": "小米汽车", "retweet": {"id": 5150000000000001, "bid": "Pabc0",
                                          "text": "小米SU7 交付很快", "user_id": 77}},
    ]  # fmt: skip
    return write_json(path, {"user": user, "weibo": weibo})


def twitter_v2(path: Path) -> Path:
    """An X API v2 search response: a tweet, a quote, a retweet, a reply, `includes.users`."""

    def tw(
        i: str,
        text: str,
        when: str,
        author: str,
        refs: list[dict[str, str]] | None = None,
        conv: str | None = None,
    ) -> dict[str, Any]:
        t: dict[str, Any] = {
            "id": i,
            "text": text,
            "created_at": when,
            "author_id": author,
            "edit_history_tweet_ids": [i],
            "lang": "en",
            "conversation_id": conv or i,
            "public_metrics": {
                "retweet_count": 2,
                "reply_count": 1,
                "like_count": 11,
                "quote_count": 0,
                "impression_count": 900,
            },
        }
        if refs:
            t["referenced_tweets"] = refs
        return t

    data = [
        tw("1900000000000000001", "The SU7 is quick", "2025-04-01T09:50:20.000Z", "11"),
        tw("1900000000000000002", "Agreed https://t.co/x", "2025-04-01T10:00:00.000Z", "12",
           [{"type": "quoted", "id": "1900000000000000001"}]),
        tw("1900000000000000003", "RT @a: The SU7 is quick", "2025-04-01T10:05:00.000Z", "12",
           [{"type": "retweeted", "id": "1900000000000000001"}]),
        tw("1900000000000000004", "@a how is the range?", "2025-04-01T11:00:00.000Z", "13",
           [{"type": "replied_to", "id": "1900000000000000001"}], conv="1900000000000000001"),
    ]  # fmt: skip
    users = [
        {"id": "11", "name": "A", "username": "a", "public_metrics": {"followers_count": 1500}},
        {"id": "12", "name": "B", "username": "b", "public_metrics": {"followers_count": 20}},
    ]
    meta = {"newest_id": data[-1]["id"], "oldest_id": data[0]["id"], "result_count": 4}
    return write_json(path, {"data": data, "includes": {"users": users}, "meta": meta})


def youtube_downloader(path: Path, *, with_time_parsed: bool) -> Path:
    """youtube-comment-downloader JSON lines: relative `time`, `votes` like `1.1K`."""
    rows = [
        {"cid": "UgzAAA", "text": "Great review", "time": "2 months ago", "author": "@car",
         "channel": "UC1", "votes": "1.1K", "replies": "1", "photo": "https://yt3/x",
         "heart": False, "reply": False, "time_parsed": 1742000000.0},
        {"cid": "UgzAAA.9zBBB", "text": "Thanks!", "time": "1 month ago (edited)",
         "author": "@rev", "channel": "UC2", "votes": "3", "replies": "", "photo": "",
         "heart": True, "reply": True, "time_parsed": 1744600000.0},
        {"cid": "UgzCCC", "text": "Range?", "time": "3 weeks ago", "author": "@q",
         "channel": "UC3", "votes": "0", "replies": "0", "photo": "", "heart": False,
         "reply": False, "time_parsed": 1745800000.0},
    ]  # fmt: skip
    if not with_time_parsed:
        for r in rows:
            del r["time_parsed"]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def reddit(path_posts: Path, path_comments: Path) -> tuple[Path, Path]:
    """pushshift-style submissions and comments (JSON lines)."""
    subs = [
        {
            "id": "1abcde",
            "title": "SU7 owners?",
            "selftext": "How is it so far?",
            "author": "ev_fan",
            "author_fullname": "t2_aaa",
            "created_utc": 1743500000,
            "score": 42,
            "num_comments": 2,
            "subreddit": "electricvehicles",
            "permalink": "/r/electricvehicles/comments/1abcde/su7_owners/",
            "url": "",
        }
    ]
    coms = [
        {"id": "k1", "body": "Love mine", "author": "x", "created_utc": 1743501000, "score": 5,
         "link_id": "t3_1abcde", "parent_id": "t3_1abcde", "subreddit": "electricvehicles",
         "permalink": "/r/electricvehicles/comments/1abcde/su7_owners/k1/"},
        {"id": "k2", "body": "Same", "author": "y", "created_utc": 1743502000, "score": 1,
         "link_id": "t3_1abcde", "parent_id": "t1_k1", "subreddit": "electricvehicles",
         "permalink": "/r/electricvehicles/comments/1abcde/su7_owners/k2/"},
    ]  # fmt: skip
    path_posts.write_text("".join(json.dumps(r) + "\n" for r in subs), encoding="utf-8")
    path_comments.write_text("".join(json.dumps(r) + "\n" for r in coms), encoding="utf-8")
    return path_posts, path_comments


def brandwatch_csv(path: Path) -> Path:
    """A Brandwatch mentions export: report lines above the header."""
    head = ["Query Id", "Query Name", "Date", "Title", "Snippet", "Url", "Domain", "Sentiment",
            "Page Type", "Language", "Country", "Author", "Full Name", "Full Text",
            "Twitter Followers", "Resource Id"]  # fmt: skip
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerows([["Report:", "Mentions"], ["Brand:", "Xiaomi"], ["From:", "2025-04-01"],
                 ["To:", "2025-04-30"], [], head])  # fmt: skip
    w.writerow(["1", "SU7", "2025-04-02 10:30:00.0", "", "Nice car", "https://x.com/a/1",
                "x.com", "positive", "twitter", "en", "US", "a", "A", "Nice car indeed", "1,500",
                "r1"])  # fmt: skip
    w.writerow(["1", "SU7", "2025-04-03 11:00:00.0", "Review", "", "https://news/b", "news",
                "neutral", "news", "zh", "CN", "b", "B", "", "", "r2"])  # fmt: skip
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def meltwater_tsv(path: Path) -> Path:
    """A Meltwater export: UTF-16 with a BOM, tab-separated, `.csv` name."""
    head = ["Date", "Time", "Headline", "URL", "Opening Text", "Hit Sentence", "Source",
            "Influencer", "Country", "Language", "Reach", "Sentiment", "Tweet Id",
            "Twitter Followers"]  # fmt: skip
    rows = [["02-Apr-2025", "10:30 AM", "SU7", "https://x.com/a/2", "", "SU7 is fast", "Twitter",
             "@a", "US", "English", "1000", "Positive", "2", "1500"]]  # fmt: skip
    text = "\n".join("\t".join(r) for r in [head, *rows]) + "\n"
    path.write_bytes(text.encode("utf-16"))
    return path


#: MediaCrawler contents/comments columns per platform (schema/tables.sql), with the post key.
MC_TABLES: dict[str, tuple[str, list[str], list[str]]] = {
    "douyin": ("aweme_id", [
        "user_id", "sec_uid", "short_user_id", "user_unique_id", "nickname", "avatar",
        "user_signature", "ip_location", "add_ts", "last_modify_ts", "aweme_id", "aweme_type",
        "title", "desc", "create_time", "liked_count", "comment_count", "share_count",
        "collected_count", "aweme_url", "cover_url", "video_download_url", "music_download_url",
        "source_keyword"], [
        "user_id", "sec_uid", "short_user_id", "user_unique_id", "nickname", "avatar",
        "user_signature", "ip_location", "add_ts", "last_modify_ts", "comment_id", "aweme_id",
        "content", "create_time", "sub_comment_count", "parent_comment_id", "like_count",
        "pictures"]),
    "bilibili": ("video_id", [
        "user_id", "nickname", "avatar", "add_ts", "last_modify_ts", "video_id", "video_type",
        "title", "desc", "create_time", "liked_count", "disliked_count", "video_play_count",
        "video_favorite_count", "video_share_count", "video_coin_count", "video_danmaku",
        "video_comment", "video_url", "video_cover_url", "source_keyword"], [
        "user_id", "nickname", "sex", "sign", "avatar", "add_ts", "last_modify_ts", "comment_id",
        "video_id", "content", "create_time", "sub_comment_count", "parent_comment_id",
        "like_count"]),
    "kuaishou": ("video_id", [
        "user_id", "nickname", "avatar", "add_ts", "last_modify_ts", "video_id", "video_type",
        "title", "desc", "create_time", "liked_count", "viewd_count", "video_url",
        "video_cover_url", "video_play_url", "source_keyword"], [
        "user_id", "nickname", "avatar", "add_ts", "last_modify_ts", "comment_id", "video_id",
        "content", "create_time", "sub_comment_count"]),
    "zhihu": ("content_id", [
        "content_id", "content_type", "content_text", "content_url", "question_id", "title",
        "desc", "created_time", "updated_time", "voteup_count", "comment_count",
        "source_keyword", "user_id", "user_link", "user_nickname", "user_avatar",
        "user_url_token", "add_ts", "last_modify_ts"], [
        "comment_id", "parent_comment_id", "content", "publish_time", "ip_location",
        "sub_comment_count", "like_count", "dislike_count", "content_id", "content_type",
        "user_id", "user_link", "user_nickname", "user_avatar", "add_ts", "last_modify_ts"]),
    "tieba": ("note_id", [
        "note_id", "title", "desc", "note_url", "publish_time", "user_link", "user_nickname",
        "user_avatar", "tieba_id", "tieba_name", "tieba_link", "total_replay_num",
        "total_replay_page", "ip_location", "add_ts", "last_modify_ts", "source_keyword"], [
        "comment_id", "parent_comment_id", "content", "user_link", "user_nickname",
        "user_avatar", "tieba_id", "tieba_name", "tieba_link", "publish_time", "ip_location",
        "sub_comment_count", "note_id", "note_url", "add_ts", "last_modify_ts"]),
}  # fmt: skip


def _mc_value(col: str, i: int, key: str, kind: str) -> str:
    """A plausible value of a MediaCrawler column (what the crawler writes there)."""
    if col == key:
        return f"{key}-1"
    if col == "comment_id":
        return f"cm{i}"
    if col == "parent_comment_id":
        return "cm1" if i == 2 else "0"
    if col in {"add_ts", "last_modify_ts"}:
        return str(CRAWL_MS)
    if col in {"create_time", "created_time"}:
        return "1746087000"  # 2025-05-01 16:10:00 +08:00
    if col == "publish_time":
        return "2025-05-01 16:10"
    if col in {"title", "desc", "content", "content_text"}:
        return f"{kind} {col} {i}"
    if col.endswith(("_count", "_num")) or col in {"video_danmaku", "video_comment"}:
        return "1.2万"
    return f"{col}{i}"


def mediacrawler_csv(path: Path, platform: str, kind: str) -> Path:
    """MediaCrawler's CSV output of one platform's contents (1 row) or comments (2 rows:
    a comment and a reply to it)."""
    key, contents, comments = MC_TABLES[platform]
    cols = contents if kind == "contents" else comments
    n = 1 if kind == "contents" else 2
    rows = [{c: _mc_value(c, i, key, kind) for c in cols} for i in range(1, n + 1)]
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return path
