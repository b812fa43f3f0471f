"""The Chinese report and dashboard read in Chinese (issue 17, "Readable").

The demo report and every dashboard page are rendered in zh; each run of ASCII letters in what a
reader sees (page text and the chart descriptions drawn on the canvas) must be one of:

* a name the user brought: brands, personas and products of the config (with aliases), event
  titles, products and business lines of the sales and financials files, post sources and
  author names;
* a symbol or unit of the method (NS, NSw, PI, SI, BM, HHI, CAR, PELT, z, r, k, ...);
* text inside ``<code>`` or between backticks (metric ids, commands to type);
* user content: example posts, their driving terms and first posts of an episode.

Everything else (a theme id such as ``competitor_spat``, ``(none)``, ``service``, ``mass``, an
English method note) is an English leftover, and the test names it with where it was found.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

#: Symbols, units and proper names of the method and the product that stay as they are.
SYMBOLS = {
    "NS", "NSw", "PI", "SI", "BM", "HHI", "CAR", "PELT", "Granger", "z", "r", "k", "p",
    "Q1", "Q2", "Q3", "Q4", "brandhalo", "Apache", "Apache-2", "ECharts", "English",
    "CSV", "XLSX",
}  # fmt: skip
#: dt labels (zh) whose dd holds words from posts (terms, first post text, author names).
USER_LINES = {"驱动词", "最早的帖子", "推动者（帖数 · 互动）"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-']*")


class _Text(HTMLParser):
    """Visible text nodes with the path of tags that hold them (script, style, code and
    user-content elements left out)."""

    SKIP_TAGS = {"script", "style", "code", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[tuple[str, str]] = []
        self.last_dt = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link", "input", "br", "img", "hr"):
            return
        classes = (dict(attrs).get("class") or "").split()
        user = (
            "post" in classes or "user" in classes or (tag == "dd" and self.last_dt in USER_LINES)
        )
        self.stack.append((tag, user or tag in self.SKIP_TAGS))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if not text:
            return
        if self.stack and self.stack[-1][0] == "dt":
            self.last_dt = text
        if any(skip for _, skip in self.stack):
            return
        self.texts.append((">".join(t for t, _ in self.stack[-3:]), text))


def visible_texts(html: str) -> list[tuple[str, str]]:
    """(where, text) of every visible text node of a page."""
    parser = _Text()
    parser.feed(html)
    return parser.texts


def chart_texts(html: str) -> list[tuple[str, str]]:
    """Texts the chart script draws: titles, series names, axis names, heatmap categories."""
    m = re.search(r'<script type="application/json" id="bh-data">(.*?)</script>', html, re.S)
    if not m:
        return []
    out = []
    for c in json.loads(m.group(1)).get("charts", []):
        where = f"chart {c['key']}"
        out += [(where, c["title"])] + [(where, a) for a in c["axis_names"]]
        out += [(f"{where} series", s["name"]) for s in c["series"]]
        out += [(f"{where} y", v) for v in c.get("y", [])]
        if c["kind"] == "heatmap":
            out += [(f"{where} x", v) for v in c["x"]]
    return out


def user_words(ws: Any) -> set[str]:
    """Every word of a name the user brought (config, input files, post sources/authors)."""
    cfg = ws.config
    names: list[str] = []
    for item in [*cfg.brands, *cfg.personas, *cfg.products]:
        names += [item.name, *item.aliases]
    con = ws.store.con
    for sql in (
        "SELECT DISTINCT title FROM events",
        "SELECT DISTINCT product FROM sales UNION SELECT DISTINCT brand FROM sales",
        "SELECT DISTINCT line FROM financials",
        "SELECT DISTINCT source FROM posts UNION SELECT DISTINCT author_name FROM posts",
    ):
        names += [str(r[0]) for r in con.execute(sql).fetchall() if r[0] is not None]
    return {w for n in names for w in WORD.findall(n)}


def leftovers(texts: list[tuple[str, str]], allowed: set[str]) -> list[str]:
    """'word  (where: text)' for each ASCII word that is not allowed."""
    bad = []
    for where, text in texts:
        plain = re.sub(r"`[^`]*`", " ", text)  # commands to type
        plain = re.sub(r"驱动词：[^；]*", " ", plain)  # words from posts, inside a sentence
        for word in WORD.findall(plain):
            cut = where.startswith("chart") and _truncated(word, allowed)
            if word in allowed or word.rstrip("'s") in allowed or cut:
                continue
            bad.append(f"{word}  ({where}: {text[:90]})")
    return bad


def _truncated(word: str, allowed: set[str]) -> bool:
    """Chart labels cut user names short ('accusat'); a cut user word is still a user word."""
    return len(word) >= 3 and any(a.startswith(word) for a in allowed if len(a) > len(word))


@pytest.fixture(scope="module")
def allowed(demo) -> set[str]:
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root, read_only=True) as ws:
        return SYMBOLS | user_words(ws)


def test_zh_report_has_no_english_leftovers(demo, allowed):
    from brandhalo.report import render_report
    from brandhalo.report.model import build_report_model
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root, read_only=True) as ws:
        html = render_report(build_report_model(ws, lang="zh"))
    texts = visible_texts(html)
    assert len(texts) > 200 and any("负面激增" in t for _, t in texts)
    bad = leftovers(texts + chart_texts(html), allowed)
    assert bad == [], "English in the zh report:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", ["/", "/alerts", "/posts", "/label"])
def test_zh_dashboard_pages_have_no_english_leftovers(demo_client, allowed, path):
    r = demo_client.get(f"{path}?lang=zh", headers={"accept": "text/html"})
    assert r.status_code == 200, r.text[:300]
    html = r.text
    bad = leftovers(visible_texts(html) + chart_texts(html), allowed)
    assert bad == [], f"English on the zh page {path}:\n" + "\n".join(bad)


def test_zh_sign_in_page_is_chinese(demo, allowed):
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    with TestClient(create_app(demo.root)) as anonymous:
        for path in ("/login?lang=zh", "/?lang=zh"):
            r = anonymous.get(path, headers={"accept": "text/html"})
            assert r.status_code in (200, 401)
            texts = visible_texts(r.text)
            assert ("h1", "登录") in [(w.split(">")[-1], t) for w, t in texts]
            assert leftovers(texts, allowed) == [], path


def test_the_check_finds_a_planted_leftover(allowed):
    """The allow-list is not so wide that an id or an English note slips through."""
    texts = [("td", "主因: competitor_spat (79%)"), ("td", "opinion components over 90 days"),
             ("dd", "service (4)"), ("td", "Xiaomi 的 NS 与 HHI")]  # fmt: skip
    found = {b.split()[0] for b in leftovers(texts, allowed)}
    assert {"competitor_spat", "opinion", "components", "service"} <= found
    assert not found & {"Xiaomi", "NS", "HHI"}


def test_missing_data_notes_read_in_chinese():
    """The market metrics' "nothing stored yet" notes (a workspace without sales or financials,
    not the demo) hold '; ' themselves; each reads as one Chinese sentence in a zh report
    (the sales one showed as "no sales rows in the store；ingest a sales file first")."""
    import re

    from brandhalo.analytics.market.select import NO_SALES
    from brandhalo.report.method_notes import method_note

    notes = [
        NO_SALES,
        "no sales or financials rows in the store; ingest them first",
        "no financials rows in the store; ingest a financials file first",
        "no targets match; ingest a targets file (brand, product, year, units)",
    ]
    for note in notes:
        zh = method_note("premium_mix", note, "zh")
        assert not re.search(r"[A-Za-z]{3,}", zh.split("注：")[1]), zh
