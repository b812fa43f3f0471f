"""A user's walk in real headless Chromium: switching the language keeps what the page shows
(the search, the origin filter, the page number, the date range)."""

from __future__ import annotations

import pytest
from browser_harness import chromium, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),  # upstream, see report
]


@pytest.fixture(scope="module")
def site(demo):
    from brandhalo.web import create_app

    with live_server(create_app(demo.root)) as base, chromium() as browser:
        yield base, browser


def test_language_switch_keeps_search_filter_and_dates(site, demo):
    base, browser = site
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(f"js error: {e}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )

    page.goto(f"{base}/posts?token={demo.read}&lang=zh")
    page.fill("input[name=q]", "SU7")
    page.select_option("#origin", "news")
    page.click("input[type=submit]")
    assert page.locator("h1").inner_text() == "帖子"
    shown = page.locator(".post").count()
    assert shown >= 1
    page.click("#lang-switch")
    assert page.locator("h1").inner_text() == "Posts"
    assert page.input_value("input[name=q]") == "SU7"  # the search survived the switch
    assert page.input_value("#origin") == "news"
    assert page.locator(".post").count() == shown

    page.goto(f"{base}/?since=2025-03-01&until=2025-03-31&lang=en")
    assert "2025-03-01" in page.locator("main").inner_text()
    page.click("#lang-switch")
    assert page.locator("html").get_attribute("lang") == "zh"
    meta = page.locator("main").inner_text()
    assert "2025-03-01 – 2025-03-31" in meta  # still March, not all data
    assert problems == []
    context.close()
