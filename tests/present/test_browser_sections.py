"""Issue 17 sections in real headless Chromium: the report file and the dashboard overview, in
zh and en, render every new section with painted charts and no script error; a full-page
screenshot of each is kept under ``$BRANDHALO_ARTIFACTS/screenshots`` (default
``artifacts/screenshots``) for checking by eye.
"""

from __future__ import annotations

import pytest
from browser_harness import PAINTED_CHARTS, chromium, full_screenshot, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),  # upstream
]

NEW = ("spillover", "change_points", "interplay", "concentration", "financials")
#: Sections whose charts must be on the page (the demo has data for each).
CHARTED = ("spillover", "change_points", "interplay", "concentration", "financials")
TITLES = {
    "zh": ("趋势转折点", "共同提及", "产品集中度与爆款", "营收与毛利率", "创始人情绪溢出"),
    "en": ("Change points", "Co-mentions", "Product concentration", "Revenue and gross margin",
           "Founder spillover"),
}  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def base(demo):
    from brandhalo.web import create_app

    with live_server(create_app(demo.root)) as url:
        yield url


def _open(browser, url, *, offline=False):
    problems: list[str] = []
    context = browser.new_context(offline=offline, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(f"js error: {e}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.wait_for_function(
        "document.documentElement.dataset.chartsReady !== undefined", timeout=180_000
    )
    return context, page, problems


def _check_sections(page, lang):
    for key in NEW:
        section = page.locator(f"#s-{key}")
        assert section.count() == 1, key
        assert section.locator("table").count() >= 1, key
        assert section.locator(".unavailable").count() == 0, key
    for key in CHARTED:
        painted = page.evaluate(
            f"() => ({PAINTED_CHARTS})().filter((_, i) => "
            f"document.querySelectorAll('[data-chart]')[i].closest('#s-{key}'))"
        )
        assert painted and all(painted), (key, painted)
    text = page.locator("main").inner_text()
    for title in TITLES[lang]:
        assert title in text, title
    # the spat week is marked in the co-mention table
    assert "2025-06-16" in page.locator("#s-interplay").inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_renders_new_sections(demo, browser, lang, tmp_path):
    from brandhalo.report import write_report
    from brandhalo.workspace import Workspace

    with Workspace.open(demo.root) as ws:
        path = write_report(ws, out=tmp_path / f"report-{lang}.html", lang=lang)
    context, page, problems = _open(browser, path.as_uri(), offline=True)
    _check_sections(page, lang)
    full_screenshot(page, f"report-full-{lang}")
    assert problems == []
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_overview_renders_new_sections(demo, browser, base, lang):
    context, page, problems = _open(browser, f"{base}/?token={demo.read}&lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    _check_sections(page, lang)
    full_screenshot(page, f"dashboard-full-{lang}")
    assert problems == []
    context.close()
