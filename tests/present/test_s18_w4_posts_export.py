"""The posts page says how many posts match and downloads exactly those (CSV, XLSX).

Walk-through: a PR lead filtered the dashboard's posts page (query, brand, dates, origin) to
share the matching posts: the page showed 20 at a time, no count and no download, so the
export had to be redone on the CLI. "下载 CSV（共 N 条帖子）" / "Download CSV (N posts)" (and
XLSX) links now say how many posts match and carry the page's filters to ``/posts/export``,
whose rows are those ``brandhalo export posts`` writes for the same filters (with a query:
those of them the query matches). ``/api/posts/count`` and ``/api/posts/export`` answer the
same for the API.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from typer.testing import CliRunner

HTML = {"accept": "text/html"}
TEXTS = [
    "小米SU7 刹车 问题 太吓人了",
    "小米 汽车 设计 很好看 喜欢",
    "华为 发布会 新品 不错",
    "Xiaomi SU7 brake failure again",
    '=HYPERLINK("http://x.example") 小米 广告',
    "小米 新品 首发 限时 优惠 点击购买",
    "今天 天气 不错",
    "华为 Mate 续航 差评",
]


def _records(n: int) -> list[dict[str, str]]:
    """`n` posts over 20 days of May 2025, three sources, seven authors."""
    return [
        {
            "id": f"p{i:03d}",
            "text": f"{TEXTS[i % len(TEXTS)]} #{i}",
            "created_at": f"2025-05-{1 + i % 20:02d}T{10 + i % 10}:00:00+08:00",
            "source": ("weibo", "xiaohongshu", "news")[i % 3],
            "author_name": f"user{i % 7}",
        }
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An analyzed workspace of 61 posts and a read token."""
    from brandhalo import pipeline
    from brandhalo.ingest import ingest_records
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import init_workspace

    root = tmp_path_factory.mktemp("w4_export") / "ws"
    with init_workspace(root) as ws:
        ingest_records(ws, "posts", _records(61))
        pipeline.analyze(ws)
        read = create_token(ws, "read", name="viewer")[1]
    return root, read


@pytest.fixture(scope="module")
def client(site):
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    root, read = site
    headers = {"authorization": f"Bearer {read}"}
    with TestClient(create_app(root), headers=headers, raise_server_exceptions=False) as c:
        yield c


def cli_export(root: Path, out: Path, *args: str) -> list[dict[str, str]]:
    """The rows ``brandhalo export posts`` writes with `args`."""
    from brandhalo.cli import app

    result = CliRunner().invoke(app, ["export", "posts", "-p", str(root), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return _rows(out.read_bytes())


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _links(html: str) -> dict[str, str]:
    """The page's pager and download links: text -> href."""
    pager = re.search(r'<div class="pager">(.*?)</div>', html, re.S)
    assert pager is not None
    return {t: unescape(h) for h, t in re.findall(r'<a href="([^"]+)">([^<]+)</a>', pager[1])}


def _downloads(html: str) -> dict[str, tuple[str, str]]:
    """The page's download links: format -> (text, href)."""
    return {
        dict(parse_qsl(urlsplit(h).query))["format"]: (t, h)
        for t, h in _links(html).items()
        if h.startswith("/posts/export?")
    }


CASES = [
    ({"brand": "小米", "since": "2025-05-01", "until": "2025-05-10"}, ["--brand", "小米",
     "--since", "2025-05-01", "--until", "2025-05-10"]),
    ({"origin": "organic"}, ["--origin", "organic"]),
    ({"brand": "Huawei", "until": "2025-05-15"}, ["--brand", "Huawei", "--until", "2025-05-15"]),
    ({}, []),
]  # fmt: skip


@pytest.mark.parametrize(("params", "args"), CASES)
def test_the_download_holds_the_rows_of_export_posts(client, site, tmp_path, params, args):
    root, _ = site
    want = cli_export(root, tmp_path / "cli.csv", *args)
    page = client.get("/posts", params={**params, "lang": "en"}, headers=HTML)
    assert page.status_code == 200
    n = len(want)
    text, href = _downloads(page.text)["csv"]
    assert text == f"Download CSV ({n:,} posts)"
    asked = dict(parse_qsl(urlsplit(href).query))
    assert asked == {**params, "format": "csv"}
    got = client.get(href)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == "text/csv; charset=utf-8"
    assert got.content == (tmp_path / "cli.csv").read_bytes()  # byte for byte
    assert got.headers["x-brandhalo-rows"] == str(n)
    api = client.get("/api/posts/export", params=params)
    assert api.content == got.content
    assert client.get("/api/posts/count", params=params).json()["matched"] == n


def test_a_query_downloads_the_posts_it_matches(client, site, tmp_path) -> None:
    """With a query: the export posts rows the query matches, as many as the page counts and
    the same posts the page pages through."""
    root, _ = site
    params = {"q": "刹车 OR brake", "brand": "Xiaomi"}
    every = cli_export(root, tmp_path / "all.csv", "--brand", "Xiaomi")
    page = client.get("/posts", params={**params, "lang": "zh"}, headers=HTML)
    paged = client.get("/api/posts", params={**params, "page_size": 200}).json()["posts"]
    ids = {p["post_id"] for p in paged}
    assert ids and len(ids) < len(every)
    text, href = _downloads(page.text)["csv"]
    assert text == f"下载 CSV（共 {len(ids)} 条帖子）"
    got = client.get(href)
    rows = _rows(got.content)
    assert rows == [r for r in every if r["post_id"] in ids]  # export order, export cells


def test_the_xlsx_holds_the_same_rows(client, site, tmp_path) -> None:
    from openpyxl import load_workbook

    root, _ = site
    want = cli_export(root, tmp_path / "cli.csv", "--brand", "Xiaomi")
    page = client.get("/posts", params={"brand": "Xiaomi", "lang": "zh"}, headers=HTML)
    text, href = _downloads(page.text)["xlsx"]
    assert text == f"下载 XLSX（共 {len(want)} 条帖子）"
    got = client.get(href)
    assert got.status_code == 200
    assert got.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="posts-Xiaomi.xlsx"' in got.headers["content-disposition"]
    (tmp_path / "web.xlsx").write_bytes(got.content)
    workbook = load_workbook(tmp_path / "web.xlsx", read_only=True)  # keeps the file open
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert list(rows[0]) == list(want[0])
    assert [r[0] for r in rows[1:]] == [w["post_id"] for w in want]
    texts = [r[list(want[0]).index("text")] for r in rows[1:]]
    assert texts == [w["text"] for w in want]  # "=HYPERLINK(...)" kept as text


@pytest.mark.parametrize(
    ("n", "lang", "said"),
    [(1, "en", "1 post"), (2, "en", "2 posts"), (1, "zh", "共 1 条帖子"),
     (1234, "en", "1,234 posts"), (1234, "zh", "共 1,234 条帖子")],
)  # fmt: skip
def test_count_wording(n: int, lang: str, said: str) -> None:
    from brandhalo.web.export import download_links, matched_text

    assert matched_text(lang, n) == said
    csv_text = download_links(lang, {}, n)[0][1]
    assert csv_text == (f"下载 CSV（{said}）" if lang == "zh" else f"Download CSV ({said})")


def test_one_match_and_no_match(client) -> None:
    one = client.get("/posts", params={"q": '"#7"', "lang": "en"}, headers=HTML).text
    assert _downloads(one)["csv"][0] == "Download CSV (1 post)"
    none = client.get("/posts", params={"q": "nothingmatchesthis", "lang": "en"}, headers=HTML)
    assert _downloads(none.text) == {}


def test_file_name_names_brand_origin_and_dates(client) -> None:
    from brandhalo.web.export import Search, content_disposition, file_name

    got = client.get(
        "/posts/export",
        params={"brand": "小米", "origin": "organic", "since": "2025-05-01", "until": "2025-05-09"},
    )
    want = "posts-Xiaomi-organic-2025-05-01_2025-05-09.csv"
    assert f'filename="{want}"' in got.headers["content-disposition"]
    assert got.headers["content-disposition"].startswith("attachment;")
    search = Search(since=None, until=None)
    name = file_name("小米 汽车", search, "csv")
    assert name == "posts-小米_汽车.csv"
    header = content_disposition(name)
    assert "filename*=UTF-8''posts-%E5%B0%8F%E7%B1%B3_%E6%B1%BD%E8%BD%A6.csv" in header
    assert header.isascii()


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"q": "(刹车", "lang": "zh"}, 400, "查询无法解析"),
        ({"brand": "Oppo", "lang": "en"}, 404, "brandhalo.toml"),
        ({"since": "2025-05-10", "until": "2025-05-01", "lang": "en"}, 400, "swap the two dates"),
        ({"origin": "ads", "lang": "zh"}, 400, "来源筛选 'ads' 无效"),
        ({"format": "xls", "lang": "en"}, 422, "format=xls"),
    ],
)
def test_a_filter_that_fails_answers_an_error_page(client, params, status, words) -> None:
    got = client.get("/posts/export", params=params, headers=HTML)
    assert got.status_code == status
    assert got.headers["content-type"].startswith("text/html")
    assert words in unescape(got.text)
    assert "Traceback" not in got.text


def test_an_xlsx_past_a_sheets_rows_says_what_to_do(client, monkeypatch) -> None:
    from brandhalo.store import posts

    monkeypatch.setattr(posts, "XLSX_MAX_ROWS", 5)  # a sheet of 5 rows: 61 posts are too many
    zh = client.get("/posts/export", params={"format": "xlsx", "lang": "zh"}, headers=HTML)
    assert zh.status_code == 400
    assert "超过 Excel 工作表能容纳的 5 行：请改为下载 CSV" in zh.text
    api = client.get("/api/posts/export", params={"format": "xlsx"})
    assert api.status_code == 400
    assert "ask for format=csv" in api.json()["error"]["message"]
    assert client.get("/posts/export", params={"format": "csv"}).status_code == 200


def test_downloads_need_a_token_and_a_viewer_token_may_read(site) -> None:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    root, read = site
    with TestClient(create_app(root), raise_server_exceptions=False) as anon:
        assert anon.get("/api/posts/export").status_code == 401
        assert anon.get("/api/posts/count").status_code == 401
        page = anon.get("/posts/export?brand=Xiaomi", headers=HTML)
        assert page.status_code == 401 and 'name="next" value="/posts/export?brand=Xiaomi"' in (
            page.text
        )
        link = anon.get(f"/posts/export?brand=Xiaomi&token={read}", follow_redirects=False)
        assert link.status_code == 303  # ?token= signs in, then the same address without it
        assert link.headers["location"] == "/posts/export?brand=Xiaomi"
        got = anon.get(link.headers["location"])  # with the login cookie now
        assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
        bad = anon.get("/api/posts/export", headers={"authorization": "Bearer bh_t_nope"})
        assert bad.status_code == 401


def test_a_refused_filter_offers_no_count_and_no_download(client) -> None:
    page = client.get("/posts", params={"brand": "Oppo", "lang": "en"}, headers=HTML).text
    assert "Oppo" in unescape(page)
    assert _links(page) == {}


def test_the_temporary_file_is_gone_once_sent(client, tmp_path, monkeypatch) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for fmt in ("csv", "xlsx"):
        got = client.get("/api/posts/export", params={"format": fmt, "brand": "Xiaomi"})
        assert got.status_code == 200
        assert int(got.headers["content-length"]) == len(got.content) > 0
    failed = client.get("/api/posts/export", params={"q": "(", "format": "csv"})
    assert failed.status_code == 400
    assert list(tmp_path.iterdir()) == []
