"""The dashboard keeps a platform / language slice wherever it applies (s26 FH2).

Planted as the report's language table test: 小米 liked on Weibo in Chinese, disliked on
Twitter in English. A reader who sliced the overview to English Twitter posts and clicks
"Posts" sees those posts (the nav bar carries ``source`` and ``post_lang``, as the stored
values: 微博 typed is weibo), and back; the alerts link carries them too (s27: the alerts
page lists the alerts holding posts of the slice). ``GET /api/overview?source=&post_lang=``
serves the same slice as the page (``lang`` stays the labels' language), refuses a value the
workspace holds none of (400, naming the parameter and what it holds), and leaves the
unsliced answer as it was. The zh page lists the platforms it holds with 、.
"""

from __future__ import annotations

import html as htmlmod
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from test_s26_fm_language_table import PLANTED, TOML, _posts
from tests.support.cli_ws import analyzed_with_config

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

APRIL = "since=2025-04-01&until=2025-04-30"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    root = analyzed_with_config(tmp_path_factory.mktemp("s26fh2") / "ws", TOML, _posts())
    with Workspace.open(root) as ws:
        read = create_token(ws, "read", name="viewer")[1]
    client = TestClient(create_app(root))
    client.headers["Authorization"] = f"Bearer {read}"
    return root, client


def _nav(html: str) -> dict[str, str]:
    """The nav bar's page links: path -> href (unescaped)."""
    bar = re.search(r'<header class="top">(.*?)</header>', html, re.S)
    assert bar is not None
    hrefs = re.findall(r'<a href="([^"]+)"(?! id="lang-switch")', bar[1])
    return {urlsplit(htmlmod.unescape(h)).path: htmlmod.unescape(h) for h in hrefs}


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def _download_count(html: str) -> int:
    m = re.search(r"Download CSV \(([\d,]+) posts?\)", html)
    assert m is not None, "no download link"
    return int(m[1].replace(",", ""))


def _planted(source: str | None = None, english: bool | None = None) -> int:
    """How many planted posts are of `source` and (`english`) in English or Chinese."""
    return sum(
        (source is None or p["source"] == source)
        and (english is None or (p["source"] != "weibo") == english)
        for p in _posts()
    )


def test_overview_slice_rides_to_the_posts_page(site) -> None:
    _, client = site
    r = client.get(f"/?lang=en&source=Twitter&post_lang=en&{APRIL}")
    assert r.status_code == 200
    nav = _nav(r.text)
    want = {"source": ["twitter"], "post_lang": ["en"], "since": ["2025-04-01"],
            "until": ["2025-04-30"]}  # fmt: skip
    assert _query(nav["/posts"]) == want, nav["/posts"]
    assert _query(nav["/"]) == want, nav["/"]
    # the posts page the link opens shows the English Twitter posts alone
    posts = client.get(nav["/posts"] + "&lang=en").text
    assert _download_count(posts) == _planted("twitter", english=True) < len(_posts())
    assert 'value="twitter" selected>Twitter' in posts and 'value="en" selected>English' in posts


def test_alerts_link_carries_the_slice(site) -> None:
    _, client = site
    page = client.get(f"/?lang=en&source=twitter&post_lang=en&{APRIL}").text
    alerts = _nav(page)["/alerts"]
    assert _query(alerts) == {"since": ["2025-04-01"], "until": ["2025-04-30"],
                              "source": ["twitter"], "post_lang": ["en"]}, alerts  # fmt: skip
    shown = client.get(alerts + "&lang=en")
    assert shown.status_code == 200
    assert 'value="twitter" selected>Twitter' in shown.text
    assert 'value="en" selected>English' in shown.text
    assert "label" not in _query(_nav(page)["/label"])  # the labelling page: no filter at all
    assert _nav(page)["/label"] == "/label"


def test_a_known_platform_name_rides_as_its_stored_value(site) -> None:
    """微博 in the overview's address picks weibo; the posts page's query matches the stored
    value, so the link carries weibo (source:"微博" would match no post)."""
    _, client = site
    page = client.get("/?lang=zh&source=微博").text
    posts_link = _nav(page)["/posts"]
    assert _query(posts_link) == {"source": ["weibo"]}, posts_link
    assert _download_count(client.get(posts_link + "&lang=en").text) == _planted("weibo")


def test_posts_page_slice_rides_back_to_the_overview(site) -> None:
    _, client = site
    page = client.get(f"/posts?lang=en&post_lang=en&q=terrible&page=1&{APRIL}").text
    nav = _nav(page)
    assert _query(nav["/"]) == {"post_lang": ["en"], "since": ["2025-04-01"],
                                "until": ["2025-04-30"]}  # fmt: skip
    assert "q" not in _query(nav["/posts"]) and _query(nav["/posts"])["post_lang"] == ["en"]
    overview = client.get(nav["/"] + "&lang=en")
    assert overview.status_code == 200
    assert 'id="slice-note"' in overview.text and 'value="en" selected>English' in overview.text


def test_a_value_the_workspace_lacks_is_not_carried_into_a_refusal(site) -> None:
    """The posts page takes any platform (it finds no post); the overview refuses one the
    workspace holds none of (400): the nav bar does not lead the reader into that error."""
    _, client = site
    page = client.get("/posts?lang=en&source=tiktok&post_lang=mixed&brand=小米").text
    nav = _nav(page)
    for path in ("/", "/posts"):
        assert _query(nav[path]) == {"brand": ["小米"]}, nav[path]
    assert client.get(nav["/"]).status_code == 200


def test_api_overview_serves_the_pages_slice(site) -> None:
    _, client = site
    asked = {"lang": "en", "post_lang": "en", "since": "2025-04-01", "until": "2025-04-30"}
    r = client.get("/api/overview", params=asked)
    assert r.status_code == 200, r.text
    model = r.json()
    assert [s["key"] for s in model["sections"]] == ["slice"]
    assert model["findings"] == [] and model["scorecard"] == [] and model["alerts"] == []
    assert "not split by platform or language" in model["alerts_note"]
    (table,) = model["sections"][0]["tables"]
    api_rows = {row[0]: row for row in table["rows"]}
    # the same numbers as the dashboard's sliced overview
    page = client.get("/", params=asked).text
    section = re.search(r'<section id="s-slice">(.*?)</section>', page, re.S)
    assert section is not None
    for brand in ("小米", "华为"):
        tr = re.search(rf"<tr><td[^>]*>{brand}</td>(.*?)</tr>", section[1], re.S)
        assert tr is not None, brand
        posts = [htmlmod.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", tr[1], re.S)][2]  # fmt: skip
        assert int(posts) == api_rows[brand][3]
    english_xiaomi = sum(n for b, src, _, n, _ in PLANTED if b == "小米" and src != "weibo")
    assert api_rows["小米"][3] == english_xiaomi
    assert isinstance(api_rows["小米"][2], float) and api_rows["小米"][2] < 0
    # the whole overview without them: as before
    whole = client.get("/api/overview", params={"lang": "en"}).json()
    assert "slice" not in [s["key"] for s in whole["sections"]]
    assert "timelines" in [s["key"] for s in whole["sections"]]


def test_api_overview_lang_stays_the_labels_language(site) -> None:
    _, client = site
    model = client.get("/api/overview", params={"lang": "zh", "post_lang": "en",
                                                "source": "推特"}).json()  # fmt: skip
    assert model["lang"] == "zh"
    assert model["sections"][0]["title"] == "推特 · 英文帖子的舆情"
    comments_only = client.get("/api/overview", params={"post_lang": "en", "types": "comment"})
    assert comments_only.status_code == 200  # no comment planted: every brand counts none
    rows = comments_only.json()["sections"][0]["tables"][0]["rows"]
    assert [row[3] for row in rows] == [0, 0]


def test_api_overview_refuses_a_value_it_holds_no_post_of(site) -> None:
    _, client = site
    r = client.get("/api/overview", params={"post_lang": "fr"})
    assert r.status_code == 400
    message = r.json()["error"]["message"]
    assert "'fr' (post_lang)" in message and "en, zh" in message and "--lang" not in message
    r = client.get("/api/overview", params={"source": "tiktok", "lang": "en"})
    assert r.status_code == 400 and "(source)" in r.json()["error"]["message"]


def test_zh_refusal_lists_with_the_zh_comma(site) -> None:
    _, client = site
    r = client.get("/?lang=zh&source=tiktok")
    assert r.status_code == 400
    said = re.search(r'<pre class="error">(.*?)</pre>', r.text, re.S)
    assert said is not None
    assert "（现有：红迪、推特、微博）" in htmlmod.unescape(said[1]), said[1]
    zh_lang = client.get("/?lang=zh&post_lang=fr").text
    assert "（现有：英文、中文）" in zh_lang and "英文, 中文" not in zh_lang
    en = client.get("/?lang=en&post_lang=fr").text
    assert "English, Chinese" in en  # the en page keeps its comma


def test_sign_in_page_tells_nothing_of_the_posts(site) -> None:
    """The sign-in page's reader may hold no token: its links carry no platform, so they
    cannot tell which platforms the workspace holds posts of (weibo kept, tiktok dropped)."""
    from fastapi.testclient import TestClient

    _, client = site
    anon = TestClient(client.app)
    for source in ("weibo", "tiktok"):
        page = anon.get(f"/login?lang=en&source={source}&brand=小米")
        assert page.status_code == 200 and 'name="token"' in page.text
        nav = _nav(page.text)
        assert _query(nav["/posts"]) == {"brand": ["小米"]}, nav["/posts"]
