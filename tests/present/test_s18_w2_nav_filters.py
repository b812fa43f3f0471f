"""The nav bar keeps the brand and period a reader picked.

Walk-through: a PR lead narrowed the overview to the crisis day (brand, from, to) and clicked
Posts or Alerts: the link dropped the filters, so the page showed every brand and all dates
and the crisis day had to be picked again on each page. The page links now keep `brand`,
`since` and `until` (not the page's own query, page number, kind or origin); the labelling
page takes no filter.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

HTML = {"accept": "text/html"}


def _page(served, path: str):
    """The page at `path` as a browser asks for it (read token)."""
    return served.client.get(path, headers={**HTML, "authorization": f"Bearer {served.read}"})


def _nav(html: str) -> dict[str, str]:
    """The nav bar's links: page path -> href."""
    bar = re.search(r'<header class="top">(.*?)</header>', html, re.S)
    assert bar is not None
    hrefs = re.findall(r'<a href="([^"]+)"(?! id="lang-switch")', bar.group(1))
    return {urlsplit(h.replace("&amp;", "&")).path: h.replace("&amp;", "&") for h in hrefs}


def test_page_links_keep_brand_and_period(served) -> None:
    asked = "/posts?q=刹车&brand=Xiaomi&origin=all&since=2025-03-01&until=2025-03-31&page=2"
    r = _page(served, asked)
    assert r.status_code == 200
    nav = _nav(r.text)
    for path in ("/", "/alerts", "/posts"):
        query = parse_qs(urlsplit(nav[path]).query)
        want = {"brand": ["Xiaomi"], "since": ["2025-03-01"], "until": ["2025-03-31"]}
        assert query == want, nav[path]
    assert nav["/label"] == "/label"


def test_page_links_without_filters_stay_plain(served) -> None:
    r = _page(served, "/alerts?kind=buzz&since=&until=")
    assert r.status_code == 200
    nav = _nav(r.text)
    pages = ("/", "/alerts", "/posts", "/label")
    assert [nav[p] for p in pages] == list(pages)


def test_overview_period_goes_to_the_alerts_page(served) -> None:
    """The overview's brand (an alias given) and period: the Alerts link asks for them."""
    asked = "/?brand=小米&since=2025-03-30&until=2025-04-02&lang=zh"
    r = _page(served, asked)
    assert r.status_code == 200
    alerts = _nav(r.text)["/alerts"]
    page = _page(served, alerts)
    assert page.status_code == 200
    assert 'value="2025-03-30"' in page.text and 'value="2025-04-02"' in page.text
    assert '<option value="Xiaomi" selected>' in page.text


def test_a_page_that_refused_its_filters_links_without_them(served) -> None:
    """A date that is no date (422) or an unknown brand (404): the nav bar leads away from
    the error instead of carrying it to every page."""
    for asked in ("/posts?since=2025-13-01", "/?brand=Nope&since=2025-03-01"):
        r = _page(served, asked)
        assert r.status_code >= 400, asked
        nav = _nav(r.text)
        assert [nav[p] for p in ("/", "/alerts", "/posts")] == ["/", "/alerts", "/posts"], asked
