"""The dashboard in real headless Chromium (Debian's /usr/bin/chromium via Playwright)."""

from __future__ import annotations

import pytest
from browser_harness import PAINTED_CHARTS, chromium, live_server, screenshot, watched_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),  # upstream, see report
]


@pytest.fixture(scope="module")
def site(demo):
    from brandhalo.web import create_app

    with live_server(create_app(demo.root)) as base, chromium() as browser:
        yield base, browser


def _page(browser, problems: list[str]):
    return watched_page(browser, problems, http_errors=False)


def test_dashboard_loads_with_token_and_renders_charts(site, demo):
    base, browser = site
    problems: list[str] = []
    context, page = _page(browser, problems)
    page.goto(f"{base}/?token={demo.read}")
    assert page.url == f"{base}/"  # the token left the address bar
    page.wait_for_function(
        "document.documentElement.dataset.chartsReady !== undefined", timeout=120_000
    )
    painted = page.evaluate(PAINTED_CHARTS)
    assert len(painted) >= 8 and all(painted), painted
    assert page.locator(".score").count() == 4
    assert problems == []  # no CSP violation, no script error
    screenshot(page, "dashboard-overview")
    context.close()


def test_alert_click_shows_explanation_and_examples(site, demo):
    base, browser = site
    problems: list[str] = []
    context, page = _page(browser, problems)
    page.goto(f"{base}/alerts?token={demo.read}")
    first = page.locator("details.alert").first
    assert not first.locator(".explain").is_visible()
    first.locator("summary").click()
    assert first.locator(".explain").is_visible()
    assert first.locator(".explain dt").count() >= 3
    assert first.locator(".post").count() >= 1
    assert first.locator(".post").first.inner_text().strip()
    screenshot(page, "dashboard-alert-open")
    assert problems == []
    context.close()


def test_language_switch(site, demo):
    base, browser = site
    problems: list[str] = []
    context, page = _page(browser, problems)
    page.goto(f"{base}/alerts?token={demo.read}&lang=zh")
    assert page.locator("html").get_attribute("lang") == "zh"
    assert page.locator("h1").inner_text() == "预警"
    page.click("#lang-switch")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Alerts"
    page.goto(f"{base}/posts")  # remembered
    assert page.locator("h1").inner_text() == "Posts"
    context.close()


def test_requests_without_token_are_refused(site):
    base, browser = site
    problems: list[str] = []
    context, page = _page(browser, problems)
    response = page.goto(f"{base}/")
    assert response is not None and response.status == 401
    assert page.locator("form input[name=token]").count() == 1
    assert page.locator("[data-chart]").count() == 0
    api = context.request.get(f"{base}/api/overview")
    assert api.status == 401 and api.json()["error"]["code"] == "unauthorized"
    context.close()


def test_script_post_shows_as_text(site, demo, hostile):
    base, browser = site
    problems: list[str] = []
    context, page = _page(browser, problems)
    page.goto(f"{base}/posts?token={demo.read}&q=source:hostile-test")
    post = page.locator("#results .post").first
    text = post.inner_text()
    assert hostile["text"] in text and hostile["author"] in text
    assert post.locator("a").count() == 0  # the javascript: url is not a link
    assert page.evaluate("window.__pwned === undefined")
    screenshot(page, "dashboard-hostile-post")
    context.close()


# A user's walk: switching the language keeps what the page shows (the search, the origin
# filter, the page number, the date range).
def test_language_switch_keeps_search_filter_and_dates(site, demo):
    base, browser = site
    problems: list[str] = []
    context, page = watched_page(browser, problems)

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
