"""A platform / language slice picked on the overview holds on every dashboard page that
shows numbers of posts (s27 "slice").

Planted: 小米 and 华为 heard on Weibo and Xiaohongshu from March to April 2025, mostly
praised. 小米's battery blows up on Xiaohongshu on 20-21 April (60 complaints there, 5 on
Weibo the second day, beside Weibo's usual after-sales complaint every third day); 华为's
signal blows up on Weibo alone on 10 April (30 complaints). ``analyze`` finds one negative
spike of each. An analyst who picks 小红书 on the overview and clicks Alerts sees 小米's
spike only, saying that 60 of its 66 negative posts are of Xiaohongshu, and that one alert
(华为's, which holds no Xiaohongshu negative) is left out; with 微博 both, 6 of 66 and 30 of
30. ``/api/alerts?source=`` answers the same, with the counts as numbers. The sliced overview
lists the same alerts, the brand's themes in the slice (battery: 60 negative posts on
Xiaohongshu, 5 on Weibo, each as ``metrics net_sentiment --theme --source``) and the sales
sections unsliced, saying so. zh sentences list with 、.
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from test_zh_readable import SYMBOLS, leftovers, user_words, visible_texts
from tests.support.cli_ws import analyzed_with_config

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = """[workspace]
timezone = "UTC"

[[brands]]
name = "小米"
aliases = ["小米", "Xiaomi"]
exclude = ["小米粥"]
own = true

[[brands]]
name = "华为"
aliases = ["华为", "Huawei"]
"""

XIAOMI_BATTERY = "小米的电池太差了，非常失望"
HUAWEI_SIGNAL = "华为的信号太差了，非常失望"
#: The two spikes' days: 小米's (Xiaohongshu) and 华为's (Weibo).
XIAOMI_DAYS = ("2025-04-20", "2025-04-21")
HUAWEI_DAY = "2025-04-10"


def _posts() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []

    def add(source: str, text: str, day: str, n: int) -> None:
        for k in range(n):
            i = len(out)
            out.append({"id": f"p{i}", "text": f"{text} {i}", "source": source,
                        "author_name": f"u{i}",
                        "created_at": f"{day}T{8 + k % 12:02d}:{k % 60:02d}:00Z"})  # fmt: skip

    first = dt.date(2025, 3, 1)
    for j in range(61):  # 1 March .. 30 April: the baseline
        day = (first + dt.timedelta(days=j)).isoformat()
        add("weibo", "小米的屏幕很好，非常满意", day, 3)
        add("xhs", "小米的拍照很好，非常喜欢", day, 2)
        add("weibo", "华为的屏幕很好，非常满意", day, 3)
        add("xhs", "华为的拍照很好，非常喜欢", day, 2)
        if j % 3 == 0:
            add("weibo", "小米的售后太差了，非常失望", day, 1)
            add("xhs", "华为的售后太差了，非常失望", day, 1)
    for day in XIAOMI_DAYS:
        add("xhs", XIAOMI_BATTERY, day, 30)
    add("weibo", XIAOMI_BATTERY, XIAOMI_DAYS[1], 5)
    add("weibo", HUAWEI_SIGNAL, HUAWEI_DAY, 30)
    return out


def _negatives(brand: str, source: str | None, days: tuple[str, ...]) -> int:
    """Planted complaints (太差了) about `brand` of `source` (None: every one) on `days`."""
    return sum(
        p["text"].startswith(brand)
        and "太差了" in p["text"]
        and (source is None or p["source"] == source)
        and p["created_at"][:10] in days
        for p in _posts()
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    from fastapi.testclient import TestClient

    from brandhalo.ingest import ingest_records
    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    root = analyzed_with_config(tmp_path_factory.mktemp("s27slice") / "ws", TOML, _posts())
    with Workspace.open(root) as ws:
        ingest_records(ws, "sales", [
            {"period": month, "brand": brand, "product": product, "units": units,
             "price": 3000, "category": "phone"}
            for month in ("2025-03", "2025-04")
            for brand, product, units in (("小米", "小米15", 900), ("小米", "小米14", 300),
                                          ("华为", "Mate70", 800))
        ])  # fmt: skip
        read = create_token(ws, "read", name="viewer")[1]
    client = TestClient(create_app(root))
    client.headers["Authorization"] = f"Bearer {read}"
    return root, client


def _api_alerts(client: Any, **params: str) -> dict[str, dict[str, Any]]:
    r = client.get("/api/alerts", params={"lang": "en", **params})
    assert r.status_code == 200, r.text
    return {a["brand"]: a for a in r.json()}


def test_api_alerts_keep_the_episodes_of_the_slice_with_their_counts(site) -> None:
    _, client = site
    every = _api_alerts(client)
    assert set(every) == {"小米", "华为"}, "both planted spikes are found"
    assert all(a["slice"] is None for a in every.values())  # no slice asked: no count
    xiaomi_all = _negatives("小米", None, XIAOMI_DAYS)
    assert every["小米"]["count"] == xiaomi_all == 66

    xhs = _api_alerts(client, source="xhs")
    assert set(xhs) == {"小米"}  # 华为's Weibo spike holds no Xiaohongshu negative
    got = xhs["小米"]["slice"]
    assert got["source"] == "xhs" and got["post_lang"] is None
    assert (got["first"], got["last"]) == XIAOMI_DAYS
    assert got["negative"] == _negatives("小米", "xhs", XIAOMI_DAYS) == 60
    assert got["negative_all"] == xiaomi_all
    assert xhs["小米"]["summary"].endswith("Xiaohongshu: 60 of 66 negative posts (91%)")
    assert xhs["小米"]["explanation"][0][0] == "Of Xiaohongshu"
    assert xhs["小米"]["severity"] == every["小米"]["severity"]  # the episode is not split

    weibo = _api_alerts(client, source="微博")  # a known name, as the overview takes it
    assert set(weibo) == {"小米", "华为"}
    assert weibo["小米"]["slice"]["negative"] == _negatives("小米", "weibo", XIAOMI_DAYS) == 6
    assert weibo["华为"]["slice"]["negative"] == _negatives("华为", "weibo", (HUAWEI_DAY,)) == 30
    # the platforms' counts add up to the episode's
    for name in ("negative", "posts"):
        assert weibo["小米"]["slice"][name] + xhs["小米"]["slice"][name] == got[f"{name}_all"]

    r = client.get("/api/alerts", params={"source": "tiktok"})
    assert r.status_code == 400 and "(source)" in r.json()["error"]["message"]


def _nav(html: str) -> dict[str, str]:
    bar = re.search(r'<header class="top">(.*?)</header>', html, re.S)
    assert bar is not None
    hrefs = re.findall(r'<a href="([^"]+)"(?! id="lang-switch")', bar[1])
    return {urlsplit(htmlmod.unescape(h)).path: htmlmod.unescape(h) for h in hrefs}


def _cards(html: str) -> dict[str, str]:
    """The alert cards shown: brand -> the card's headline (text)."""
    out = {}
    for summary in re.findall(r'<details class="alert"[^>]*>\s*<summary>(.*?)</summary>', html,
                              re.S):  # fmt: skip
        text = htmlmod.unescape(re.sub(r"<[^>]+>", "", summary))
        brand = re.search(r"(\S+) · ", text.split("/10", 1)[1])
        assert brand is not None, text
        out[brand[1]] = text
    return out


def _note(html: str) -> str:
    m = re.search(r'<p class="note sliced" id="slice-note">(.*?)</p>', html, re.S)
    assert m is not None, "no slice note"
    return htmlmod.unescape(m[1])


def test_the_overview_slice_rides_to_the_alerts_page_and_narrows_it(site) -> None:
    _, client = site
    overview = client.get("/?lang=en&source=xhs").text
    link = _nav(overview)["/alerts"]
    assert parse_qs(urlsplit(link).query) == {"source": ["xhs"]}, link
    page = client.get(link + "&lang=en").text
    cards = _cards(page)
    assert set(cards) == {"小米"}
    assert cards["小米"].endswith("Xiaohongshu: 60 of 66 negative posts (91%)")
    assert 'value="xhs" selected>Xiaohongshu' in page  # the form keeps the platform
    note = _note(page)
    assert "not split by platform or language" in note
    assert "1 more alert has no post of Xiaohongshu" in note
    weibo = client.get("/alerts?lang=en&source=weibo").text
    cards = _cards(weibo)
    assert cards["小米"].endswith("Weibo: 6 of 66 negative posts (9%)")
    assert cards["华为"].endswith("Weibo: 30 of 30 negative posts (100%)")
    assert "left out" not in _note(weibo)
    whole = client.get("/alerts?lang=en").text
    assert set(_cards(whole)) == {"小米", "华为"} and 'id="slice-note"' not in whole
    assert "negative posts (" not in "".join(_cards(whole).values())


def test_alerts_page_refuses_a_platform_it_holds_no_post_of(site) -> None:
    _, client = site
    r = client.get("/alerts?lang=zh&source=tiktok")
    assert r.status_code == 400
    said = re.search(r'<pre class="error">(.*?)</pre>', r.text, re.S)
    assert said is not None and "（现有：微博、小红书）" in htmlmod.unescape(said[1])
    assert _cards(r.text) == {}


def _section(html: str, key: str) -> str:
    m = re.search(rf'<section id="s-{key}">(.*?)</section>', html, re.S)
    assert m is not None, f"no {key} section"
    return m[1]


def _table_rows(html: str, title: str) -> dict[str, list[str]]:
    """The rows of the table titled `title` (first cell -> cells)."""
    at = html.find(title)
    assert at >= 0, f"no table {title!r}"
    body = html[at : html.find("</table>", at)]
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [htmlmod.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]  # fmt: skip
        if cells:
            rows[cells[0]] = cells
    return rows


def _battery(root: Path, source: str) -> tuple[float, int]:
    """NS and posts of 小米's battery theme over the whole data of `source`, as ``brandhalo
    metrics net_sentiment --theme --source`` gives them."""
    from brandhalo.analytics.metrics import compute_metric
    from brandhalo.workspace import Workspace

    with Workspace.open(root, read_only=True) as ws:
        theme = next(t.name for t in ws.config.effective_themes()
                     if ws.config.label("theme", t.name, "en") == "Battery and range")  # fmt: skip
        (row,) = compute_metric(ws, "net_sentiment", brand="小米", freq="year", theme=theme,
                                source=source).rows  # fmt: skip
    return float(row["ns"]), int(row["posts"])


@pytest.mark.parametrize("source", ["xhs", "weibo"])
def test_sliced_overview_shows_the_themes_and_alerts_of_the_slice(site, source: str) -> None:
    root, client = site
    page = client.get(f"/?lang=en&source={source}").text
    themes = _table_rows(page, "Themes of 小米 in these posts")
    ns, posts = _battery(root, source)
    battery = themes["Battery and range"]
    planted = sum(p["text"].startswith(XIAOMI_BATTERY) and p["source"] == source
                  for p in _posts())  # fmt: skip
    assert int(battery[1]) == posts == planted == (60 if source == "xhs" else 5)
    assert float(battery[3].split(" ")[0]) == pytest.approx(ns, abs=0.05) == -100
    if source == "weibo":  # Weibo's after-sales complaints lead there (21 of them)
        assert next(iter(themes)) == "After-sales" and int(themes["After-sales"][1]) == 21
    else:
        assert "After-sales" not in themes  # 小米 has no after-sales complaint on Xiaohongshu
    alerts = _cards(_section(page, "alerts"))
    assert set(alerts) == ({"小米"} if source == "xhs" else {"小米", "华为"})
    assert "alerts listed are found on every platform" in _note(page)


def test_sales_sections_are_shown_unsliced_and_say_so(site) -> None:
    _, client = site
    whole = _section(client.get("/?lang=en").text, "concentration")
    assert "小米15" in str(_table_rows(whole, "<table"))  # the planted sales are shown
    for source in ("xhs", "weibo"):
        sliced = _section(client.get(f"/?lang=en&source={source}").text, "concentration")
        assert "sales and market numbers come from no post" in sliced
        assert _table_rows(sliced, "<table") == _table_rows(whole, "<table")  # not split
    model = client.get("/api/overview", params={"lang": "en", "source": "xhs"}).json()
    keys = [s["key"] for s in model["sections"]]
    assert keys[0] == "slice" and "concentration" in keys and "timelines" not in keys
    assert [a["brand"] for a in model["alerts"]] == ["小米"]
    assert model["alerts"][0]["summary"].endswith("Xiaohongshu: 60 of 66 negative posts (91%)")
    assert model["findings"] == [] and model["scorecard"] == []


def test_zh_sliced_alerts_page_reads_in_chinese(site) -> None:
    from brandhalo.workspace import Workspace

    root, client = site
    page = client.get("/alerts?lang=zh&source=xhs").text
    with Workspace.open(root, read_only=True) as ws:
        allowed = SYMBOLS | user_words(ws)
    texts = visible_texts(page)
    assert any("小红书：负面帖 66 条中 60 条（91%）" in t for _, t in texts)
    assert any("另有 1 个预警期间没有小红书的帖子" in t for _, t in texts)
    bad = leftovers(texts, allowed)
    assert bad == [], "English in the zh sliced alerts page:\n" + "\n".join(bad)


def test_zh_sentences_list_with_the_zh_separator(site) -> None:
    _, client = site
    kinds = client.get("/alerts?lang=zh&kind=nope").text
    said = re.search(r'<pre class="error">(.*?)</pre>', kinds, re.S)
    assert said is not None
    assert "（负面激增、营销活动、声量激增）" in htmlmod.unescape(said[1]), said[1]
    brands = client.get("/alerts?lang=zh&brand=nope").text
    assert "（小米、华为）" in htmlmod.unescape(brands)
    en = client.get("/alerts?lang=en&brand=nope").text
    assert "(小米, 华为)" in htmlmod.unescape(en)  # the en page keeps its comma
    download = client.get("/posts/export?lang=zh&origin=bogus", headers={"accept": "text/html"})
    assert download.status_code == 400
    assert "请用 all、organic、campaign、news、official 之一" in htmlmod.unescape(download.text)
