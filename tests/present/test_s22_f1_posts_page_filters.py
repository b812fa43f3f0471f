"""The dashboard's posts page filters by product, segment, sentiment and star rating, and shows
each review's stars (issue: a product manager reading JD/Tmall reviews could neither see the
stars nor narrow to the 1-2 star reviews of one product and one buyer segment).

The page's form has the product (brandhalo.toml's products), segment (the segment rules'),
sentiment and rating range fields; they stay in the address (the pager, the language switch,
the download links keep them), the rating column shows stars (a number on a scale past 5
stars; empty for a post without one), and a workspace without any rating shows neither the
column nor the rating fields. The CSV download holds the rows the page's filters keep.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

HTML = {"accept": "text/html"}
#: post id -> (rating, product named or None, segment, label); r5 is not rated
POSTS = {
    "r1": (1.0, "SU7", "mass", 1),
    "r2": (2.0, "SU7", "premium", -1),
    "r3": (4.5, "Xiaomi 15 Ultra", "premium", 1),
    "r4": (5.0, None, "enthusiast", 0),
    "r5": (None, "SU7", "mass", -1),
    "r6": (1.5, "SU7", "mass", -1),
}


def plant(ws, posts: dict[str, tuple[float | None, str | None, str, int]]) -> None:
    """Store `posts` as analyzed JD reviews of 2025-03-30 (r1 the oldest)."""
    with ws.store.transaction() as con:
        for i, (pid, (rating, product, segment, label)) in enumerate(posts.items()):
            con.execute(
                "INSERT INTO posts (post_id, source, author_id, text, created_at, rating) "
                "VALUES (?, 'jd', 'buyer', ?, ?, ?)",
                [pid, f"评价 {pid}", f"2025-03-30 0{i}:00:00", rating],
            )
            con.execute(
                "INSERT INTO enriched (post_id, day, hour, segment, label, score) "
                "VALUES (?, DATE '2025-03-30', TIMESTAMP '2025-03-30 08:00:00', ?, ?, 0.0)",
                [pid, segment, label],
            )
            if product:
                con.execute(
                    "INSERT INTO post_targets (post_id, target_type, target, brand, label, "
                    "score) VALUES (?, 'product', ?, 'Xiaomi', 0, 0.0)",
                    [pid, product],
                )


def _client(root: Path, read: str) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    headers = {"authorization": f"Bearer {read}"}
    with TestClient(create_app(root), headers=headers, raise_server_exceptions=False) as c:
        yield c


def _workspace(tmp_path_factory, name: str, posts) -> tuple[Path, str]:
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import init_workspace

    root = tmp_path_factory.mktemp(name) / "ws"
    with init_workspace(root) as ws:
        plant(ws, posts)
        read = create_token(ws, "read", name="viewer")[1]
    return root, read


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[object]:
    yield from _client(*_workspace(tmp_path_factory, "f1_rated", POSTS))


def shown(html: str) -> list[str]:
    """The post ids the page lists, in order (each post's line ends with its id)."""
    return re.findall(r'<div class="who">[^<]* · (r\d+)</div>', html)


def ratings(html: str) -> dict[str, str]:
    """Post id -> the text of its rating cell (stars and number; "" when not rated)."""
    cells = re.findall(
        r'<div class="result"><span class="rating"[^>]*>(.*?)</span><div class="post">'
        r'<div class="who">[^<]* · (r\d+)</div>',
        html,
    )
    return {pid: re.sub(r"<[^>]+>", "", cell).strip() for cell, pid in cells}


def links(html: str) -> dict[str, str]:
    """Link text -> href."""
    return {
        re.sub(r"<[^>]+>", "", t).strip(): unescape(h)
        for h, t in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html)
    }


def form_values(html: str) -> dict[str, str]:
    """The filter form's values as shown: each select's chosen option and each field's value."""
    values = {}
    for name, body in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[name] = chosen.group(1) if chosen else "?"
    for name, value in re.findall(r'<input type="number" name="(\w+)"[^>]*value="([^"]*)"', html):
        values[name] = value
    return values


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["r6", "r5", "r4", "r3", "r2", "r1"]),
        ({"product": "SU7"}, ["r6", "r5", "r2", "r1"]),
        ({"product": "小米15 Ultra"}, ["r3"]),  # an alias selects its product
        ({"segment": "premium"}, ["r3", "r2"]),
        ({"label": "negative"}, ["r6", "r5", "r2"]),
        ({"rating_min": "1", "rating_max": "2"}, ["r6", "r2", "r1"]),  # r5 has no rating
        ({"rating_min": "4"}, ["r4", "r3"]),
        ({"product": "SU7", "segment": "mass", "rating_max": "2"}, ["r6", "r1"]),
        ({"product": "SU7", "segment": "mass", "label": "negative", "rating_max": "2"}, ["r6"]),
        ({"q": "r2 OR r6", "rating_max": "2"}, ["r6", "r2"]),
    ],
)
def test_the_filters_keep_what_they_name(client, params, expected) -> None:
    page = client.get("/posts", params={**params, "lang": "en"}, headers=HTML)
    assert page.status_code == 200, page.text[:300]
    assert shown(page.text) == expected
    values = form_values(page.text)
    for name in ("segment", "label", "rating_min", "rating_max"):
        assert values[name] == params.get(name, ""), name
    if params.get("product"):
        assert values["product"] == ("SU7" if params["product"] == "SU7" else "Xiaomi 15 Ultra")


def test_the_download_holds_the_rows_the_page_keeps(client) -> None:
    params = {"product": "SU7", "segment": "mass", "rating_min": "1", "rating_max": "2"}
    page = client.get("/posts", params={**params, "lang": "en"}, headers=HTML)
    assert shown(page.text) == ["r6", "r1"]
    found = links(page.text)
    csv_href = found["Download CSV (2 posts)"]
    assert dict(parse_qsl(urlsplit(csv_href).query)) == {**params, "format": "csv"}
    answer = client.get(csv_href)
    assert answer.status_code == 200, answer.text[:300]
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert sorted(r["post_id"] for r in rows) == ["r1", "r6"]
    assert answer.headers["x-brandhalo-rows"] == "2"
    assert "posts-SU7-mass-rating-1_2.csv" in answer.headers["content-disposition"]
    xlsx = client.get(found["Download XLSX (2 posts)"])
    assert xlsx.status_code == 200 and xlsx.headers["x-brandhalo-rows"] == "2"


def test_the_rating_column_shows_stars_and_leaves_unrated_empty(client) -> None:
    page = client.get("/posts", params={"lang": "zh"}, headers=HTML)
    assert 'id="results" class="rated"' in page.text
    assert ratings(page.text) == {
        "r6": "★★☆☆☆ 1.5",
        "r5": "",
        "r4": "★★★★★ 5",
        "r3": "★★★★★ 4.5",
        "r2": "★★☆☆☆ 2",
        "r1": "★☆☆☆☆ 1",
    }
    assert 'title="评分 4.5（满分 5）"' in page.text


def test_the_pager_and_the_language_switch_keep_the_filters(client) -> None:
    from brandhalo.web.pages import PostsAsked, _pager
    from brandhalo.web.search import Narrowing

    more = Narrowing("SU7", "mass", "negative", 1.0, 2.5)
    asked = PostsAsked(q="刹车", brand=None, origin=None, since=None, until=None, more=more)
    nxt = dict(parse_qsl(urlsplit(_pager({"next": "Next"}, asked, 1, True)[0].href).query))
    assert nxt == {"q": "刹车", "product": "SU7", "segment": "mass", "label": "negative",
                   "rating_min": "1", "rating_max": "2.5", "page": "2"}  # fmt: skip
    params = {"product": "SU7", "label": "negative", "rating_max": "2", "lang": "en"}
    page = client.get("/posts", params=params, headers=HTML)
    switch = unescape(re.search(r'<a href="([^"]+)" id="lang-switch"', page.text).group(1))
    assert dict(parse_qsl(urlsplit(switch).query)) == {**params, "lang": "zh"}
    # the form sends the narrowing fields itself: none rides along as a hidden field twice
    hidden = re.findall(r'<input type="hidden" name="(\w+)"', page.text)
    assert hidden == ["lang"]


def test_pick_lists_come_from_the_workspace(client) -> None:
    page = client.get("/posts", params={"lang": "zh"}, headers=HTML).text
    options = {
        name: re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', body)
        for name, body in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', page, re.S)
    }
    assert options["product"] == [("", "全部产品"), ("SU7", "SU7"),
                                  ("Xiaomi 15 Ultra", "Xiaomi 15 Ultra")]  # fmt: skip
    assert options["segment"] == [("", "全部人群"), ("enthusiast", "发烧友"), ("mass", "大众用户"),
                                  ("premium", "高端用户")]  # fmt: skip
    assert options["label"] == [("", "全部情感"), ("negative", "负面"), ("neutral", "中性"),
                                ("positive", "正面")]  # fmt: skip
    assert 'name="rating_min"' in page and 'max="5"' in page


def test_the_zh_page_with_filters_reads_in_chinese(client) -> None:
    from test_zh_readable import SYMBOLS, leftovers, visible_texts

    params = {"product": "SU7", "segment": "mass", "rating_max": "2", "lang": "zh"}
    html = client.get("/posts", params=params, headers=HTML).text
    texts = visible_texts(html)
    assert {"评分", "全部情感", "大众用户"} <= {t for _, t in texts}
    allowed = SYMBOLS | {"SU7", "Xiaomi", "Huawei", "Ultra"}
    assert leftovers(texts, allowed) == []


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"rating_min": "four"}, ["评分 “four” 不是 0 到 100 之间的数字"]),
        ({"rating_max": "500"}, ["评分 “500” 不是 0 到 100 之间的数字"]),
        ({"rating_min": "4", "rating_max": "2"}, ["最低评分 4 高于最高评分 2", "交换"]),
        (
            {"product": "iPhone 16"},
            ["产品 “iPhone 16” 不在", "SU7、Xiaomi 15 Ultra", "[[products]]"],
        ),
    ],
)
def test_a_refused_filter_is_said_next_to_the_form(client, params, words) -> None:
    page = client.get("/posts", params={**params, "lang": "zh"}, headers=HTML)
    assert page.status_code == 200
    problem = unescape(re.search(r'<pre class="error">(.*?)</pre>', page.text, re.S).group(1))
    for word in words:
        assert word in problem, problem
    assert shown(page.text) == [] and "下载 CSV" not in page.text
    export = client.get("/posts/export", params={**params, "lang": "zh"}, headers=HTML)
    assert export.status_code == (404 if "product" in params else 400), export.text[:300]
    assert words[0] in unescape(export.text)


def test_unknown_segment_or_sentiment_is_left_out_as_an_unknown_origin_is(client) -> None:
    page = client.get("/posts", params={"segment": "vip", "label": "angry"}, headers=HTML)
    assert page.status_code == 200
    assert len(shown(page.text)) == len(POSTS)


@pytest.fixture(scope="module")
def unrated(tmp_path_factory) -> Iterator[object]:
    posts = {k: (None, p, s, lab) for k, (_, p, s, lab) in POSTS.items()}
    yield from _client(*_workspace(tmp_path_factory, "f1_unrated", posts))


def test_a_workspace_without_ratings_shows_no_rating_column_or_field(unrated) -> None:
    page = unrated.get("/posts", params={"lang": "en"}, headers=HTML).text
    assert len(shown(page)) == len(POSTS)
    assert 'name="rating_min"' not in page and 'class="rating"' not in page
    assert 'class="rated"' not in page and "Rating" not in page
    assert 'name="product"' in page and 'name="segment"' in page  # these still narrow
    # a shared link with a rating bound still shows (and keeps) it
    linked = unrated.get("/posts", params={"rating_max": "2"}, headers=HTML).text
    assert 'name="rating_max" id="rating_max" value="2"' in linked and shown(linked) == []


def test_ratings_past_five_stars_show_as_numbers(tmp_path_factory) -> None:
    posts = {"r1": (8.5, "SU7", "mass", 1), "r2": (3.0, "SU7", "mass", -1)}
    for c in _client(*_workspace(tmp_path_factory, "f1_ten", posts)):
        page = c.get("/posts", params={"lang": "en"}, headers=HTML).text
        assert ratings(page) == {"r2": "3", "r1": "8.5"}
        assert "★" not in page and 'title="Rated 8.5"' in page
        assert 'max="100"' in page
