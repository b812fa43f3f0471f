"""Follow-up reviews (追评) of JD / Tmall exports are posts of their own, and a review file
with no platform column says so (or gets its shop's platform from its headers).

Found walking a product manager's exports: 追评内容 / 追评时间 were "not stored" (after-sales
and durability complaints live there), the 420 JD reviews were stored with an empty source
and no word, and the unread-columns hint said `--map COLUMN=NAME` where the docs say
`--map field=column`.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace

#: A JD (京东) review export, as the seller backend writes it.
JD_HEADER = [
    "商品名称", "SKU", "颜色", "用户昵称", "会员级别", "评价星级", "评价内容", "评价时间",
    "追评内容", "追评时间", "点赞数", "回复数",
]  # fmt: skip
#: A Tmall (天猫) review export.
TMALL_HEADER = [
    "宝贝名称", "SKU信息", "买家昵称", "初评内容", "初评时间", "追评内容", "追评时间", "评分",
    "是否有图",
]  # fmt: skip

BROKEN = "用了一个月屏幕出现竖线，联系售后让自己寄回，运费自理，体验很差"


def _jd_rows() -> list[list[Any]]:
    t = dt.datetime
    return [
        ["律动Buds Pro", "100768", "黑色", "j***9", "金牌会员", 5, "音质很好，降噪很强",
         t(2026, 9, 20, 19, 3), BROKEN, t(2026, 10, 21, 8, 0), 29, 5],
        ["声悦Air3", "100739", "月光白", "j***6", "银牌会员", 3, "电池掉电飞快",
         t(2026, 10, 14, 9, 58), None, None, 40, 5],
        # the platform's placeholder is no follow-up
        ["声悦Air3", "100527", "月光白", "j***1", "银牌会员", 5, "此用户未填写评价内容",
         t(2026, 8, 7, 12, 2), "此用户未填写评价内容", t(2026, 9, 1, 10, 0), 0, 0],
        # a follow-up without its time takes the review's
        ["律动Buds Pro", "100768", "黑色", "j***3", "PLUS会员", 4, "佩戴舒适",
         t(2026, 10, 7, 16, 56), "戴了一个月耳机仓合不上了", None, 7, 1],
    ]  # fmt: skip


def _xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评价"
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


def _posts(ws: Workspace) -> list[dict[str, Any]]:
    got = ws.store.query(
        "SELECT post_id, text, post_type, reply_to, thread_id, rating, likes, comments, "
        "product_hint, author_name, source, strftime(created_at, '%Y-%m-%d %H:%M') AS t "
        "FROM posts ORDER BY line, post_type"
    )
    return [{k: (None if v != v else v) for k, v in row.items()} for row in got.to_dict("records")]


def test_jd_follow_ups_are_replies_to_their_review(tmp_ws: Workspace, tmp_path: Path):
    path = _xlsx(tmp_path / "jd_reviews.xlsx", JD_HEADER, _jd_rows())
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (6, 0), f
    posts = _posts(tmp_ws)
    reviews = {p["text"]: p for p in posts if p["post_type"] == "post"}
    replies = {p["text"]: p for p in posts if p["post_type"] == "reply"}
    assert set(replies) == {BROKEN, "戴了一个月耳机仓合不上了"}
    broken, ring = replies[BROKEN], replies["戴了一个月耳机仓合不上了"]
    first = reviews["音质很好，降噪很强"]
    assert broken["reply_to"] == broken["thread_id"] == first["post_id"]
    assert broken["post_id"] == first["post_id"] + "#追评"
    assert broken["t"] == "2026-10-21 00:00"  # its own time (Asia/Shanghai 08:00 in UTC)
    assert first["t"] == "2026-09-20 11:03"
    assert (broken["rating"], broken["likes"], broken["comments"]) == (None, 0, 0)
    assert first["rating"] == 5.0 and first["likes"] == 29
    assert (broken["product_hint"], broken["author_name"]) == ("律动Buds Pro", "j***9")
    # no follow-up time: the review's
    assert ring["t"] == reviews["佩戴舒适"]["t"]
    assert ring["reply_to"] == reviews["佩戴舒适"]["post_id"]
    assert "此用户未填写评价内容" not in replies
    (note,) = [n for n in f.notes if "follow-up" in n]
    assert note.startswith("2 follow-up reviews (追评) read as replies"), note
    assert "1 that only hold a platform's default text" in note, note
    assert "1 with an empty or unreadable '追评时间' took their review's time" in note, note
    # 追评内容 / 追评时间 are read now: the unread-columns note does not name them
    assert not [n for n in f.notes if "not stored" in n and "追评" in n], f.notes


def test_reingesting_stores_no_follow_up_twice(tmp_ws: Workspace, tmp_path: Path):
    path = _xlsx(tmp_path / "jd_reviews.xlsx", JD_HEADER, _jd_rows())
    ingest_files(tmp_ws, "posts", [path])
    # read again with another --map: a corrected read, which replaces the first read's posts
    again = ingest_files(tmp_ws, "posts", [path], mapping="author_name=用户昵称").files[0]
    assert (again.inserted, again.duplicates) == (6, 0), again
    assert tmp_ws.store.query("SELECT count(*) AS n FROM posts")["n"][0] == 6
    # and as a CSV of the same cells
    as_csv = _csv(
        tmp_path / "jd_reviews.csv",
        JD_HEADER,
        [
            [c.strftime("%Y-%m-%d %H:%M:%S") if isinstance(c, dt.datetime) else c for c in row]
            for row in _jd_rows()
        ],
    )
    third = ingest_files(tmp_ws, "posts", [as_csv]).files[0]
    assert (third.inserted, third.duplicates) == (0, 6), third
    assert tmp_ws.store.query("SELECT count(*) AS n FROM posts")["n"][0] == 6


def test_tmall_follow_up_and_platform(tmp_ws: Workspace, tmp_path: Path):
    rows = [
        ["声悦Watch S2", "颜色分类:雾蓝", "t**4", "佩戴舒适，性价比很高", "2026-11-18 12:07:00",
         "追评：升级新固件后续航确实变好了", "2026-11-29 17:31:00", "★★★★★", "否"],
        ["律动GT手表", "颜色分类:银", "t**9", "刚买就降价了", "2026-10-04 22:31:00", "", "",
         "★★☆☆☆", "是"],
    ]  # fmt: skip
    path = _csv(tmp_path / "tmall_reviews.csv", TMALL_HEADER, rows)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.inserted == 3, f
    posts = _posts(tmp_ws)
    assert {p["source"] for p in posts} == {"tmall"}
    (reply,) = [p for p in posts if p["post_type"] == "reply"]
    (review,) = [p for p in posts if p["text"] == "佩戴舒适，性价比很高"]
    assert reply["reply_to"] == review["post_id"] and reply["rating"] is None
    assert reply["t"] == "2026-11-29 09:31"
    assert any("Tmall (天猫) review export" in n and "'tmall'" in n for n in f.notes), f.notes


def test_an_unreadable_follow_up_time_takes_the_reviews(tmp_ws: Workspace, tmp_path: Path):
    rows = [["星河A3", "q***z", "金牌会员", "5", "好用", "2026-02-21 19:55:03", "坏了", "下周"]]
    path = _csv(
        tmp_path / "jd.csv",
        ["商品名称", "用户昵称", "会员级别", "评价星级", "评价内容", "评价时间", "追评内容",
         "追评时间"],
        rows,
    )  # fmt: skip
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (2, 0), f
    review, reply = _posts(tmp_ws)
    assert (reply["post_type"], reply["text"], reply["t"]) == ("reply", "坏了", review["t"])
    assert any("1 with an empty or unreadable '追评时间'" in n for n in f.notes), f.notes


def test_jd_headers_give_the_platform(tmp_ws: Workspace, tmp_path: Path):
    path = _xlsx(tmp_path / "reviews.xlsx", JD_HEADER, _jd_rows())
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert {p["source"] for p in _posts(tmp_ws)} == {"jd"}
    (note,) = [n for n in f.notes if n.startswith("source:")]
    assert "JD (京东) review export" in note and "'jd'" in note, note
    assert not [w for w in f.warnings if w.startswith("source:")], f.warnings


def test_a_review_file_without_platform_says_so(tmp_ws: Workspace, tmp_path: Path):
    path = _csv(
        tmp_path / "reviews.csv",
        ["商品名称", "评分", "评论内容", "评论时间"],
        [["星河A3", "5", "好用", "2026-01-02 10:00:00"], ["星河A3", "4", "不错", "2026-01-03"]],
    )
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    (warning,) = [w for w in f.warnings if w.startswith("source:")]
    assert "no platform column" in warning and "--map \"source='jd'\"" in warning, warning
    # an empty platform column in every row says so too
    empty = _csv(
        tmp_path / "reviews2.csv",
        ["商品名称", "评分", "评论内容", "评论时间", "平台"],
        [["星河A3", "5", "很好用", "2026-01-02 10:00:00", ""]],
    )
    g = ingest_files(tmp_ws, "posts", [empty]).files[0]
    (warning,) = [w for w in g.warnings if w.startswith("source:")]
    assert "'平台' (source) is empty in every row" in warning, warning
    # given one, nothing is said
    given = ingest_files(tmp_ws, "posts", [path], mapping="source='jd'").files[0]
    assert not [m for m in [*given.warnings, *given.notes] if m.startswith("source:")]


def test_the_unread_columns_hint_shows_field_equals_column(tmp_ws: Workspace, tmp_path: Path):
    path = _csv(
        tmp_path / "jd.csv",
        ["评论内容", "评论时间", "SKU", "颜色"],
        [["好用", "2026-01-02 10:00:00", "100768", "黑色"]],
    )
    f = ingest_files(tmp_ws, "posts", [path], mapping="source='jd'").files[0]
    (note,) = [n for n in f.notes if "not stored" in n]
    assert "COLUMN=NAME" not in note
    assert "--map field=column, the posts column first (e.g. --map FIELD=SKU" in note, note
    sales = _csv(
        tmp_path / "fin.csv",
        ["period", "brand", "line", "revenue", "Margin Rate"],
        [["2025-Q1", "A", "phones", "100", "0.2"]],
    )
    g = ingest_files(tmp_ws, "financials", [sales]).files[0]
    (warning,) = [w for w in g.warnings if "not stored" in w]
    assert '(e.g. --map "gross_margin=Margin Rate")' in warning, warning


def test_english_follow_up_headers_and_placeholders(tmp_ws: Workspace, tmp_path: Path):
    path = _csv(
        tmp_path / "reviews.csv",
        ["text", "created_at", "rating", "Follow-up review", "Follow-up time", "source"],
        [
            ["Great sound", "2026-01-02 10:00:00", "5", "Hinge broke after a month", "2026-02-03",
             "amazon"],
            ["好用", "2026-01-02 11:00:00", "5", "用户未及时评价", "2026-02-04", "amazon"],
            ["不错", "2026-01-02 12:00:00", "4", "  ", "", "amazon"],
        ],
    )  # fmt: skip
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert f.inserted == 4, f
    (reply,) = [p for p in _posts(tmp_ws) if p["post_type"] == "reply"]
    assert reply["text"] == "Hinge broke after a month" and reply["source"] == "amazon"
    assert not [m for m in [*f.notes, *f.warnings] if m.startswith("source:")]


def test_a_quarantined_review_keeps_its_follow_up_on_its_line(tmp_ws: Workspace, tmp_path: Path):
    header = ["商品名称", "用户昵称", "会员级别", "评价星级", "评价内容", "评价时间", "追评内容",
              "追评时间"]  # fmt: skip
    rows = [
        ["A", "u1", "金牌会员", "5", "好用", "昨天下午茶", "坏了", "2026-03-01"],
        ["A", "u2", "金牌会员", "4", "还行", "2026-02-01 10:00:00", "又坏了", "2026-03-02"],
    ]
    f = ingest_files(tmp_ws, "posts", [_csv(tmp_path / "jd.csv", header, rows)]).files[0]
    # the review and its follow-up are not stored: one quarantine entry each, on line 2
    assert (f.rows_read, f.inserted, f.quarantined) == (4, 2, 2), f
    q = tmp_ws.store.query("SELECT line, reason, raw FROM quarantine")
    assert q["line"].tolist() == [2, 2] and all("好用" in r for r in q["raw"])
    got = tmp_ws.store.query("SELECT line, post_type FROM posts ORDER BY post_type")
    assert got.values.tolist() == [[3, "post"], [3, "reply"]]
