"""A PR analyst's Weibo exports load with their authors, platform and repost links.

- dataabc/weibo-search CSVs (``结果文件/<keyword>/<keyword>.csv``, UTF-8 with a BOM) had no
  preset: read by aliases only, their posts had no platform, no author name (`用户昵称`), no
  url and no repost link (`retweet_id`), so a brand's official account posting in a keyword
  search was not recognised and reposts counted as originals.
- dataabc/weibo-crawler CSVs (``weibo/<screen name>/<user id>.csv``, often re-saved as GBK by
  Excel) carry the account only in their path: every post of the brand's own account was
  stored without an author.
- A vendor's Excel/CSV export names its author and link columns `作者` / `用户昵称` and `链接`,
  its counts `点赞量` / `转发量` / `评论量` / `粉丝量`: those columns were dropped.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace

#: The header of weibo-search's CsvPipeline (weibo/pipelines.py), latest version.
SEARCH_HEADER = [
    "id", "bid", "user_id", "用户昵称", "微博正文", "头条文章url", "发布位置", "艾特用户", "话题",
    "转发数", "评论数", "点赞数", "发布时间", "发布工具", "微博图片url", "微博视频url",
    "retweet_id", "ip", "user_authentication", "会员类型", "会员等级",
]  # fmt: skip
#: The original is written first, then the post reposting it (its retweet_id).
SEARCH_ROWS = [
    ["5170000000009001", "PabcA1", "1001", "车评人老王", "小米SU7 试驾一周，续航比宣传的少了两成",
     "", "", "", "小米SU7", "1.2万", "100万+", "3.5万", "2025-05-20 09:15", "iPhone客户端", "", "",
     "", "北京", "微博个人认证", "", ""],
    ["5170000000009002", "PabcA2", "1002", "路人甲", "转发微博", "", "", "", "", "0", "0", "2",
     "2025-05-20 10:15", "微博 weibo.com", "", "", "5170000000009001", "上海", "", "", ""],
    ["5170000000009003", "PabcA3", "1003", "小米汽车", "小米SU7 五月交付破四万台，感谢每一位车主",
     "", "北京·小米科技园", "雷军", "小米SU7", "12", "3", "45", "2025-05-21 08:00", "", "", "", "",
     "北京", "微博官方认证", "", ""],
]  # fmt: skip

WEIBO_CRAWLER_HEADER = [
    "id", "bid", "正文", "头条文章url", "原始图片url", "视频url", "位置", "日期", "工具", "点赞数",
    "评论数", "转发数", "话题", "@用户", "完整日期", "是否原创", "源用户id", "源用户昵称",
    "源微博id", "源微博正文",
]  # fmt: skip
WEIBO_CRAWLER_ROWS = [
    ["5170000000009101\t", "Pq1", "小米SU7 Ultra 今天开始交付", "", "", "", "", "2025-05-20",
     "iPhone 15 Pro", "1.2万", "3000", "500", "", "", "2025-05-20 18:30:00", "True", "", "", "",
     ""],
    ["5170000000009102\t", "Pq2", "转发微博", "", "", "", "", "2025-05-21", "", "10", "0", "0", "",
     "", "2025-05-21 09:00:00", "False", "1001", "车评人老王", "5170000000009001\t", "小米SU7"],
]  # fmt: skip


def _write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def _posts(ws: Workspace) -> dict[str, tuple]:
    rows = ws.store.con.execute(
        "SELECT post_id, source, author_id, author_name, strftime(created_at, '%Y-%m-%d %H:%M'), "
        "likes, reposts, comments, url, parent_id, is_repost, origin_id FROM posts"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_a_weibo_search_csv_is_read_with_its_preset(tmp_ws: Workspace, tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "结果文件" / "小米SU7" / "小米SU7.csv", SEARCH_HEADER, SEARCH_ROWS, "utf-8-sig"
    )
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.files[0].preset == "weibo-search"
    assert (report.files[0].inserted, report.files[0].quarantined) == (3, 0)
    posts = _posts(tmp_ws)
    # 09:15 in Asia/Shanghai (the workspace zone) is 01:15 UTC; 1.2万 / 100万+ / 3.5万 read
    assert posts["5170000000009001"] == (
        "weibo", "1001", "车评人老王", "2025-05-20 01:15", 35000, 12000, 1000000,
        "https://weibo.com/1001/PabcA1", None, False, "5170000000009001",
    )  # fmt: skip
    repost = posts["5170000000009002"]
    assert repost[2] == "路人甲"
    assert repost[-3:] == ("5170000000009001", True, "5170000000009001")
    assert posts["5170000000009003"][2] == "小米汽车"


def test_the_older_weibo_search_header_is_recognised_too(tmp_ws: Workspace, tmp_path: Path) -> None:
    old = SEARCH_HEADER[:17]  # before ip, user_authentication, 会员类型, 会员等级
    path = _write_csv(tmp_path / "keyword.csv", old, [r[:17] for r in SEARCH_ROWS], "utf-8-sig")
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.files[0].preset == "weibo-search"
    assert _posts(tmp_ws)["5170000000009002"][-2] is True


def test_a_weibo_crawler_csv_takes_its_author_from_the_crawler_s_path(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    # weibo-crawler writes weibo/<screen name>/<user id>.csv; Excel re-saves it as GBK
    path = _write_csv(
        tmp_path / "weibo" / "小米汽车" / "7000000000.csv",
        WEIBO_CRAWLER_HEADER,
        WEIBO_CRAWLER_ROWS,
        "gbk",
    )
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.files[0].preset == "weibo-crawler-csv"
    posts = _posts(tmp_ws)
    assert posts["5170000000009101"][:3] == ("weibo", "7000000000", "小米汽车")
    assert posts["5170000000009101"][3] == "2025-05-20 10:30"
    assert posts["5170000000009102"][1:3] == ("7000000000", "小米汽车")
    assert posts["5170000000009102"][-3:-1] == ("5170000000009001", True)


@pytest.mark.parametrize(
    ("rel", "author"),
    [
        ("exports/xiaomi_official.csv", (None, None)),  # renamed: no author is made up
        ("weibo/7000000000/7000000000.csv", ("7000000000", None)),  # user_id_as_folder_name
        ("weibo/品牌{官方}/7000000001.csv", ("7000000001", "品牌{官方}")),  # braces are text
    ],
)
def test_the_path_gives_no_author_it_does_not_hold(
    tmp_ws: Workspace, tmp_path: Path, rel: str, author: tuple[str | None, str | None]
) -> None:
    path = _write_csv(tmp_path / rel, WEIBO_CRAWLER_HEADER, WEIBO_CRAWLER_ROWS[:1], "utf-8-sig")
    ingest_files(tmp_ws, "posts", [path])
    assert _posts(tmp_ws)["5170000000009101"][1:3] == author


def test_a_vendor_export_keeps_its_author_link_and_counts(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    header = ["序号", "标题", "内容", "发布时间", "平台", "作者", "粉丝量", "点赞量", "评论量",
              "转发量", "链接", "IP属地"]  # fmt: skip
    rows = [["1", "小米SU7相关", "小米SU7 的刹车脚感太软了", "2025-05-20 09:30", "微博", "车主小李",
             "1.2万", "30", "4", "2", "https://weibo.com/123/AbC", "广东"]]  # fmt: skip
    path = _write_csv(tmp_path / "舆情导出.csv", header, rows, "gbk")
    report = ingest_files(tmp_ws, "posts", [path])
    assert report.files[0].inserted == 1
    got = tmp_ws.store.con.execute(
        "SELECT author_name, author_followers, likes, comments, reposts, url FROM posts"
    ).fetchone()
    assert got == ("车主小李", 12000, 30, 4, 2, "https://weibo.com/123/AbC")
