"""A phone-wide window (390 px): a problem said next to a form wraps, and the labelling page's
four buttons wrap, instead of the page scrolling sideways (a 700 px line and a cut-off "0 skip"
button)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import chromium, live_server, watched_page
from label_helpers import label_workspace

pytestmark = pytest.mark.browser
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("s14_narrow") / "ws"
    read, _ = label_workspace(root, posts=40, seed=2)
    return root, read


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_scrolls_sideways_on_a_phone(site: tuple[Path, str], lang: str) -> None:
    from brandhalo.web import create_app

    root, read = site
    problems: list[str] = []
    with live_server(create_app(root)) as base, chromium() as browser:
        context, page = watched_page(
            browser, problems, http_errors=False, viewport={"width": 390, "height": 800}
        )
        page.goto(f"{base}/label?token={read}&lang={lang}")
        assert page.locator("#labeller button").count() == 4
        widths = {"/label": page.evaluate(OVERFLOW)}
        for path in (
            "/alerts?brand=NoSuchBrandAnywhere",
            "/posts?since=2025-05-01&until=2025-04-01",
            '/posts?q="an unclosed phrase that runs on and on past the edge of a phone',
        ):
            page.goto(base + path)
            assert page.locator("pre.error").count() == 1, path
            widths[path] = page.evaluate(OVERFLOW)
        assert all(w <= 0 for w in widths.values()), widths
        assert problems == []
        context.close()
