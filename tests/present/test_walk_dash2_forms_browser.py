"""A user's walk through the filter forms in real headless Chromium: pick a period on the
overview, then a brand and dates on the posts page, page on, switch the language, drop the
dates. Plain forms: the same works with scripts off."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browser_harness import chromium, live_server, screenshot, watched_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]


@pytest.fixture(scope="module")
def site(demo):
    from brandhalo.web import create_app

    with live_server(create_app(demo.root)) as base, chromium() as browser:
        yield base, browser


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


@pytest.mark.parametrize("scripts", [True, False])
def test_user_picks_a_period_then_a_brand_and_dates(site, demo, scripts: bool) -> None:
    base, browser = site
    problems: list[str] = []
    context, page = watched_page(browser, problems, java_script_enabled=scripts)

    page.goto(f"{base}/?token={demo.read}&lang=zh")
    page.fill("#period-form input[name=since]", "2025-05-01")
    page.fill("#period-form input[name=until]", "2025-05-31")
    page.click("#period-form input[type=submit]")
    assert _query(page.url) == {
        "brand": ["Xiaomi"], "origin": ["organic"], "source": [""], "post_lang": [""],
        "since": ["2025-05-01"], "until": ["2025-05-31"], "lang": ["zh"],
    }  # fmt: skip (the overview's selects send their defaults: all platforms, all languages)
    assert "时间范围: 2025-05-01 – 2025-05-31" in page.locator("p.meta").first.inner_text()
    assert page.input_value("#period-form input[name=since]") == "2025-05-01"
    # only the end date: the start field sent empty means "from the first day"
    page.fill("#period-form input[name=since]", "")
    page.click("#period-form input[type=submit]")
    assert "时间范围: … – 2025-05-31" in page.locator("p.meta").first.inner_text()
    page.click("a.all-dates")
    assert "全部数据" in page.locator("p.meta").first.inner_text()

    page.goto(f"{base}/posts")
    page.fill("input[name=q]", "")
    page.select_option("#brand", "Huawei")
    page.select_option("#origin", "organic")
    page.fill("form.search input[name=since]", "2025-04-01")
    page.fill("form.search input[name=until]", "2025-04-30")
    page.click("form.search input[type=submit]")
    asked = _query(page.url)
    assert asked["brand"] == ["Huawei"] and asked["since"] == ["2025-04-01"]
    assert asked["origin"] == ["organic"]
    assert page.locator("h1").inner_text() == "帖子"  # the language is remembered
    whos = page.locator(".post .who").all_inner_texts()
    assert len(whos) == 20 and all("2025-04-" in w for w in whos)
    page.click(".pager a")  # the next page keeps brand, origin and dates
    assert _query(page.url)["brand"] == ["Huawei"] and _query(page.url)["page"] == ["2"]
    assert page.input_value("#brand") == "Huawei"
    assert page.input_value("form.search input[name=until]") == "2025-04-30"
    page.click("#lang-switch")
    assert page.locator("h1").inner_text() == "Posts"
    assert page.input_value("#brand") == "Huawei" and page.input_value("#origin") == "organic"
    assert page.locator("label", has_text="From").count() == 1
    screenshot(page, f"dashboard-posts-filters{'' if scripts else '-noscript'}")
    page.click("a.all-dates")
    assert "since" not in _query(page.url) and _query(page.url)["brand"] == ["Huawei"]
    assert page.input_value("form.search input[name=since]") == ""
    assert problems == []
    context.close()
