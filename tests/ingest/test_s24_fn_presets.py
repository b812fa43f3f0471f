"""Session 24 presets: a news-monitoring export (清博, 识微: 标题, 正文, 来源, 发布时间, URL ...)
keeps its headline as the first line of each text; Amazon Reviews'23 reads the listing
(``parent_asin``) as the product, the ``asin`` where a dump has no parent."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from brandhalo.ingest import ingest_files
from brandhalo.ingest.presets import detect_preset

NEWS_HEAD = ["标题", "正文", "来源", "发布时间", "URL", "作者", "情感倾向"]
NEWS = [
    ["【星河A3召回】星河汽车召回1.2万辆A3", "据市场监管总局消息，星河汽车将召回部分A3车型。",
     "新浪财经", "2025-05-20 09:15:00", "https://finance.sina.com.cn/a/1.html", "记者王明", "负面"],
    # a social post whose title is its first words, cut off: the words are not said twice
    ["星河A3开了一个月，续航比宣传的...", "星河A3开了一个月，续航比宣传的少了不少，有点失望",
     "微博", "2025-05-20 10:00:00", "https://weibo.com/1/abc", "车主小李", "负面"],
    # a headline alone (no body) is the text
    ["【快讯】星河汽车发布第一季度交付数据", "", "澎湃新闻", "2025-05-21 08:00:00",
     "https://thepaper.cn/n/2.html", "", "中性"],
]  # fmt: skip


def _csv(path: Path, head: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(head)
        w.writerows(rows)
    return path


def _texts(ws) -> list[tuple]:
    sql = "SELECT text, source, url, author_name FROM posts ORDER BY created_at"
    return ws.store.con.execute(sql).fetchall()


def test_a_news_monitoring_export_keeps_its_headline_as_the_first_line(tmp_ws, tmp_path):
    path = _csv(tmp_path / "清博导出.csv", NEWS_HEAD, NEWS)
    f = ingest_files(tmp_ws, "posts", [path], timezone="Asia/Shanghai").files[0]
    assert (f.preset, f.inserted, f.quarantined) == ("news-monitoring", 3, 0)
    assert _texts(tmp_ws) == [
        ("【星河A3召回】星河汽车召回1.2万辆A3\n据市场监管总局消息，星河汽车将召回部分A3车型。",
         "新浪财经", "https://finance.sina.com.cn/a/1.html", "记者王明"),
        ("星河A3开了一个月，续航比宣传的少了不少，有点失望", "weibo", "https://weibo.com/1/abc",
         "车主小李"),
        ("【快讯】星河汽车发布第一季度交付数据", "澎湃新闻", "https://thepaper.cn/n/2.html", None),
    ]  # fmt: skip


def test_a_monitoring_export_with_a_content_column_is_recognised_too(tmp_ws, tmp_path):
    head = ["标题", "内容", "发布时间", "链接", "平台"]
    rows = [["【发布会】星河A5上市", "星河A5今日上市，售价15.98万元起。", "2025-06-01 10:00",
             "https://auto.example.cn/5", "新闻"]]  # fmt: skip
    assert detect_preset(head).name == "news-monitoring"
    path = _csv(tmp_path / "识微.csv", head, rows)
    f = ingest_files(tmp_ws, "posts", [path], timezone="Asia/Shanghai").files[0]
    assert (f.preset, f.inserted) == ("news-monitoring", 1)
    assert _texts(tmp_ws)[0][0] == "【发布会】星河A5上市\n星河A5今日上市，售价15.98万元起。"


def test_a_more_specific_preset_still_wins_over_news_monitoring():
    weibo = ["id", "bid", "正文", "日期", "工具", "点赞数", "评论数", "转发数", "标题", "发布时间"]
    assert detect_preset(weibo).name == "weibo-crawler-csv"
    assert detect_preset(["标题", "正文"]) is None


def _review(user: str, ts: int, asin: str, parent: str | None) -> dict[str, object]:
    row: dict[str, object] = {
        "rating": 4.0, "title": "Good", "text": f"Works well {user}", "asin": asin,
        "user_id": user, "timestamp": ts, "helpful_vote": 1,
    }  # fmt: skip
    return row | ({"parent_asin": parent} if parent is not None else {})


def test_amazon_reviews_read_the_parent_asin_as_the_product(tmp_ws, tmp_path):
    rows = [
        _review("U1", 1726090089000, "B0DBLACK01", "B0CPARENT1"),  # a colour variant
        _review("U2", 1726090090000, "B0DWHITE02", "B0CPARENT1"),
        _review("U3", 1726090091000, "B0DOLDDUMP", None),  # an older dump: no parent_asin
        _review("U4", 1726090092000, "B0DEMPTY03", ""),
    ]
    path = tmp_path / "Electronics.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.preset, f.inserted) == ("amazon-reviews", 4)
    got = tmp_ws.store.con.execute("SELECT product_hint FROM posts ORDER BY author_id").fetchall()
    assert [r[0] for r in got] == ["B0CPARENT1", "B0CPARENT1", "B0DOLDDUMP", "B0DEMPTY03"]


def test_an_amazon_dump_without_parent_asin_reads_the_asin(tmp_ws, tmp_path):
    rows = [_review("U1", 1726090089000, "B0DOLDDUMP", None)]
    path = tmp_path / "Old.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.preset, f.inserted, f.quarantined) == ("amazon-reviews", 1, 0)
    got = tmp_ws.store.con.execute("SELECT product_hint FROM posts").fetchall()
    assert got == [("B0DOLDDUMP",)]
