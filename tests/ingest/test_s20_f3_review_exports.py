"""JD / Tmall / Taobao review exports load without --map and keep every review.

Found walking Tmall exports: a 星级 column of "★★★★★" quarantined every review ("not a
number"), 宝贝名称 was not read as the product, and a file without a product column could not
be given one (`--map product='星河A3'` failed).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from brandhalo.errors import InputError
from brandhalo.ingest import ingest_files
from brandhalo.ingest.validate import parse_mapping
from brandhalo.workspace import Workspace


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


RATINGS = [
    ("5", 5.0),
    ("★★★★★", 5.0),
    ("★★★☆☆", 3.0),
    ("★★★★½", 4.5),
    ("⭐️⭐️⭐️⭐️", 4.0),
    ("5星", 5.0),
    ("4.5分", 4.5),
    ("4 stars", 4.0),
    ("五星", 5.0),
    ("四颗星", 4.0),
    ("五星好评", 5.0),
    ("5/5", 5.0),
    ("3.5 / 5", 3.5),
    ("", None),
    ("-", None),
]


def test_star_ratings_are_read_as_numbers(tmp_ws: Workspace, tmp_path: Path):
    rows = [[f"评价{i}", f"2026-01-02 10:{i:02d}:00", r] for i, (r, _) in enumerate(RATINGS)]
    path = _write(tmp_path / "tmall.csv", ["评价内容", "评价时间", "星级"], rows)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (len(RATINGS), 0), f
    got = tmp_ws.store.query("SELECT text, rating FROM posts")
    by_text = {t: (None if r != r else r) for t, r in zip(got["text"], got["rating"], strict=True)}
    assert [by_text[f"评价{i}"] for i in range(len(RATINGS))] == [want for _, want in RATINGS]
    assert not [w for w in f.warnings if "rating" in w], f.warnings


def test_an_unreadable_rating_keeps_the_review(tmp_ws: Workspace, tmp_path: Path):
    rows = [
        ["手机很好用", "2026-01-02 10:00:00", "★★★★★"],
        ["还行吧", "2026-01-02 10:01:00", "很满意"],
        ["一般", "2026-01-02 10:02:00", "4.5分"],
    ]
    path = _write(tmp_path / "tmall.csv", ["评价内容", "评价时间", "星级"], rows)
    f = ingest_files(tmp_ws, "posts", [path]).files[0]
    assert (f.inserted, f.quarantined) == (3, 0), f
    got = tmp_ws.store.query("SELECT text, rating FROM posts WHERE text = '还行吧'")
    assert got["rating"].isna().all()
    (warning,) = [w for w in f.warnings if "星级" in w]
    assert "'很满意'" in warning and "line 3" in warning and "(rating)" in warning, warning


def test_tmall_and_jd_review_headers_load_without_map(tmp_ws: Workspace, tmp_path: Path):
    tmall = _write(
        tmp_path / "tmall_星河A3.csv",
        [
            "宝贝名称",
            "买家昵称",
            "会员等级",
            "初评内容",
            "初评时间",
            "颜色分类",
            "追评内容",
            "星级",
        ],
        [["星河A3", "t***y", "88VIP", "外观很好看", "2026-01-11 22:29:05", "曜石黑", "", "★★★★"]],
    )
    jd = _write(
        tmp_path / "jd.csv",
        ["商品型号", "用户昵称", "评分", "评论内容", "评论时间", "购买型号"],
        [["锐图P60", "q***z", "5", "性价比高", "2026-02-21 19:55:03", "曜石黑 8GB+256GB"]],
    )
    report = ingest_files(tmp_ws, "posts", [tmall, jd])
    assert report.totals["inserted"] == 2, report
    got = tmp_ws.store.query(
        "SELECT text, product_hint, author_name, rating FROM posts ORDER BY text"
    )
    assert got.values.tolist() == [
        ["外观很好看", "星河A3", "t***y", 4.0],
        ["性价比高", "锐图P60", "q***z", 5.0],
    ]


@pytest.mark.parametrize(
    "given",
    ["product='星河A3'", "product=='星河A3'", "product= '星河A3' ", "source='jd',product='星河A3'"],
)
def test_a_map_constant_gives_every_row_the_value(tmp_ws: Workspace, tmp_path: Path, given: str):
    path = _write(
        tmp_path / "jd_星河A3.csv",
        ["评论内容", "评论时间", "评分"],
        [["好用", "2026-01-02 10:00:00", "5"], ["不错", "2026-01-03 10:00:00", "4"]],
    )
    ingest_files(tmp_ws, "posts", [path], mapping=given)
    got = tmp_ws.store.query("SELECT product_hint, source FROM posts")
    assert got["product_hint"].tolist() == ["星河A3", "星河A3"]
    want_source = "jd" if "source" in given else None
    assert [None if s != s else s for s in got["source"]] == [want_source] * 2


def test_a_map_constant_is_a_value_not_sql(tmp_ws: Workspace, tmp_path: Path):
    path = _write(tmp_path / "r.csv", ["评论内容", "评论时间"], [["好用", "2026-01-02 10:00:00"]])
    odd = "it's {评论内容}' || upper('x') || '); DROP TABLE posts; --"
    quoted = odd.replace("'", "''")
    ingest_files(tmp_ws, "posts", [path], mapping=f"product='{quoted}'")
    got = tmp_ws.store.query("SELECT product_hint FROM posts")["product_hint"].tolist()
    assert got == [odd]


def test_parse_mapping_keeps_commas_inside_a_constant():
    assert parse_mapping("product='A, B',text=content") == {
        "product": "'A, B'",
        "text": "content",
    }
    assert parse_mapping("product=='it''s, B',text=content") == {
        "product": "='it''s, B'",
        "text": "content",
    }
    # a quote in a column name quotes nothing
    assert parse_mapping("created_at=time,text=Reviewer's text") == {
        "created_at": "time",
        "text": "Reviewer's text",
    }
    assert parse_mapping("text=Reviewer's text,created_at=time") == {
        "text": "Reviewer's text",
        "created_at": "time",
    }


def test_an_unquoted_value_that_is_no_column_says_how_to_give_a_constant(
    tmp_ws: Workspace, tmp_path: Path
):
    path = _write(tmp_path / "r.csv", ["评论内容", "评论时间"], [["好用", "2026-01-02 10:00:00"]])
    with pytest.raises(InputError) as err:
        ingest_files(tmp_ws, "posts", [path], mapping="product=星河A3")
    assert "--map \"product='星河A3'\"" in str(err.value)
