"""The overview split by platform and language (s26 FH): "is perception the same in both
markets?" read on the dashboard.

Planted (as the report's language table test): 小米 liked on Weibo in Chinese, disliked on
Twitter in English, 华为 the other way round. The overview's platform and language selects
list what the workspace holds, by the report's display names; choosing English shows each
brand's NS over the window equal to ``brandhalo metrics net_sentiment --lang en``, says in one
line what it cannot split, keeps the choice in its form and across the language switch, and
refuses a value the workspace holds no post of. A workspace of one platform and language shows
no select. The zh page reads in Chinese.
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_s26_fm_language_table import TOML, _posts
from test_zh_readable import SYMBOLS, chart_texts, leftovers, user_words, visible_texts
from tests.support.cli_ws import analyzed_with_config, one_brand_workspace
from typer.testing import CliRunner

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

APRIL = "since=2025-04-01&until=2025-04-30"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    root = analyzed_with_config(tmp_path_factory.mktemp("s26fh") / "ws", TOML, _posts())
    with Workspace.open(root) as ws:
        read = create_token(ws, "read", name="viewer")[1]
    client = TestClient(create_app(root))
    client.headers["Authorization"] = f"Bearer {read}"
    return root, client


def _select(html: str, name: str) -> dict[str, tuple[str, bool]] | None:
    """A select's options: value -> (text, selected); None when the page has no such select."""
    m = re.search(rf'<select name="{name}" id="{name}">(.*?)</select>', html, re.S)
    if m is None:
        return None
    return {
        v: (htmlmod.unescape(t), bool(sel))
        for v, sel, t in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', m[1])
    }


def _slice_rows(html: str) -> dict[str, list[str]]:
    """The sliced overview's brand table: brand -> its cells as shown."""
    m = re.search(r'<section id="s-slice">(.*?)</section>', html, re.S)
    assert m is not None, "no sliced opinion section"
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", m[1], re.S):
        cells = [htmlmod.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]  # fmt: skip
        if cells:
            rows[cells[0]] = cells
    return rows


def _cli_ns(root: Path, brand: str, lang: str) -> tuple[float, int]:
    """NS and posts of `brand` in April from ``brandhalo metrics net_sentiment --lang``."""
    from brandhalo.cli import app

    out = root.parent / f"ns-{lang}.json"
    args = ["metrics", "net_sentiment", "--lang", lang, "--brand", brand, "--since",
            "2025-04-01", "--until", "2025-04-30", "--freq", "month", "--out", str(out),
            "--project", str(root)]  # fmt: skip
    got = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert got.exit_code == 0, got.output
    (row,) = json.loads(out.read_text(encoding="utf-8"))
    return float(row["ns"]), int(row["posts"])


def test_selects_list_the_platforms_and_languages_held(site) -> None:
    _, client = site
    en = client.get("/?lang=en").text
    assert _select(en, "source") == {
        "": ("All platforms", True),
        "reddit": ("Reddit", False),
        "twitter": ("Twitter", False),
        "weibo": ("Weibo", False),
    }
    assert _select(en, "post_lang") == {"": ("All languages", True), "en": ("English", False),
                                        "zh": ("Chinese", False)}  # fmt: skip
    zh = client.get("/?lang=zh").text
    assert _select(zh, "post_lang") == {"": ("全部语言", True), "en": ("英文", False),
                                        "zh": ("中文", False)}  # fmt: skip
    assert _select(zh, "source")["weibo"] == ("微博", False)  # type: ignore[index]
    assert 'id="slice-note"' not in en and "s-slice" not in en  # unsliced: the whole overview
    assert 'id="s-timelines"' in en


def test_english_ns_is_metrics_lang_en_and_the_page_says_what_it_leaves_out(site) -> None:
    root, client = site
    r = client.get(f"/?lang=en&post_lang=en&{APRIL}")
    assert r.status_code == 200, r.text[:300]
    page = r.text
    rows = _slice_rows(page)
    for brand in ("小米", "华为"):
        ns, posts = _cli_ns(root, brand, "en")
        shown = rows[brand]
        assert float(shown[2].split(" ")[0]) == pytest.approx(ns, abs=0.05), shown
        assert int(shown[3]) == posts
    assert float(rows["小米"][2]) < 0 < float(rows["华为"][2].split(" ")[0])  # the markets differ
    zh_ns, _ = _cli_ns(root, "小米", "zh")
    assert zh_ns > 0  # and Chinese posts read otherwise: the page did not show the whole
    note = re.search(r'<p class="note sliced" id="slice-note">(.*?)</p>', page, re.S)
    assert note is not None and "alerts" in note[1] and "not split" in note[1]
    # nothing unsliced is shown as if sliced: no findings, scorecard, alerts or market section
    for gone in ('id="s-timelines"', 'class="scorecard"', 'id="alerts"', 'id="s-bands"'):
        assert gone not in page, gone
    assert _select(page, "post_lang")["en"] == ("English", True)  # type: ignore[index]
    assert "Language: English" in page or "· English" in page  # the header names the slice


def test_choice_is_kept_by_the_language_switch(site) -> None:
    _, client = site
    page = client.get(f"/?lang=en&post_lang=en&source=twitter&{APRIL}").text
    switch = re.search(r'<a [^>]*id="lang-switch"[^>]*href="([^"]+)"|<a [^>]*href="([^"]+)"[^>]*'
                       r'id="lang-switch"', page)  # fmt: skip
    assert switch is not None
    href = htmlmod.unescape(switch[1] or switch[2])
    assert "post_lang=en" in href and "source=twitter" in href and "lang=zh" in href
    zh = client.get(href).text
    assert _select(zh, "post_lang")["en"] == ("英文", True)  # type: ignore[index]
    assert _select(zh, "source")["twitter"] == ("推特", True)  # type: ignore[index]
    assert "推特 · 英文" in zh


def test_zh_sliced_page_reads_in_chinese(site) -> None:
    from brandhalo.workspace import Workspace

    root, client = site
    page = client.get(f"/?lang=zh&post_lang=en&source=twitter&{APRIL}").text
    with Workspace.open(root, read_only=True) as ws:
        allowed = SYMBOLS | user_words(ws)
    texts = visible_texts(page)
    assert any("不按平台或语言拆分" in t for _, t in texts)
    bad = leftovers(texts + chart_texts(page), allowed)
    assert bad == [], "English in the zh sliced overview:\n" + "\n".join(bad)


def test_a_value_the_workspace_holds_no_post_of_is_refused_in_words(site) -> None:
    _, client = site
    r = client.get("/?lang=en&post_lang=fr")
    assert r.status_code == 400
    assert "no analyzed posts of language &#x27;fr&#x27;" in r.text and "English, Chinese" in r.text
    r = client.get("/?lang=zh&source=tiktok")
    assert r.status_code == 400 and "平台为“tiktok”" in r.text and "微博" in r.text
    # a platform's known name in the address picks it (as metrics --source does)
    assert _select(client.get("/?lang=en&source=微博").text, "source")["weibo"][1]  # type: ignore[index]


def test_one_platform_and_language_shows_no_select(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    root = one_brand_workspace(tmp_path, 12)
    with Workspace.open(root) as ws:
        read = create_token(ws, "read", name="viewer")[1]
    page = TestClient(create_app(root)).get(f"/?lang=en&token={read}").text
    assert 'id="period-form"' in page
    assert _select(page, "source") is None and _select(page, "post_lang") is None


def test_window_days_match(site) -> None:
    """The sliced charts run over the window asked (April), day by day."""
    _, client = site
    page = client.get(f"/?lang=en&post_lang=en&{APRIL}").text
    data = json.loads(re.search(r'id="bh-data">(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    buzz = next(c for c in data["charts"] if c["key"] == "slice_buzz")
    assert buzz["x"] and all("2025-04-01" <= x <= "2025-04-30" for x in buzz["x"])
    assert dt.date.fromisoformat(buzz["x"][0]) >= dt.date(2025, 4, 16)  # English posts start then


def _download_count(html: str) -> int:
    m = re.search(r"Download CSV \(([\d,]+) posts?\)", html)
    assert m is not None, "no download link"
    return int(m[1].replace(",", ""))


def test_posts_page_filters_by_platform_and_language(site) -> None:
    _, client = site
    whole = client.get("/posts?lang=en").text
    assert _download_count(whole) == len(_posts())
    assert 'name="source"' in whole and 'name="post_lang"' in whole
    english = client.get("/posts?lang=en&post_lang=en").text
    planted_en = [p for p in _posts() if p["source"] in ("twitter", "reddit")]
    assert _download_count(english) == len(planted_en)
    assert 'value="en" selected>English' in english
    picked = client.get("/posts?lang=en&source=Twitter&post_lang=en&q=terrible").text
    bad_on_twitter = sum(p["source"] == "twitter" and "terrible" in p["text"] for p in _posts())
    assert 0 < bad_on_twitter < sum(p["source"] == "twitter" for p in _posts())
    assert _download_count(picked) == bad_on_twitter
    assert 'value="twitter" selected>Twitter' in picked
    # the pager and the downloads keep them; the language switch too
    assert "source=Twitter&amp;post_lang=en&amp;format=csv" in picked
    csv_rows = client.get("/posts/export?q=terrible&source=Twitter&post_lang=en&format=csv").text
    assert csv_rows.strip().count("\n") == bad_on_twitter
    # a query error points into what the reader typed
    bad = client.get("/posts?lang=en&source=reddit&q=(broken").text
    assert "at position 0" in bad and "(broken" in bad
