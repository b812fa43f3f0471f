"""In Chromium: on the overview of a workspace with posts of two platforms and two languages,
choose English and Apply; the NS shown for each brand equals ``brandhalo metrics
net_sentiment --lang en`` over the same window, the select keeps English after Apply and after
the language switch (s26 FH)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_harness import chromium, live_server, watched_page
from test_s26_fh_overview_slice import _cli_ns
from test_s26_fm_language_table import TOML, _posts
from tests.support.cli_ws import analyzed_with_config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    root = analyzed_with_config(tmp_path_factory.mktemp("s26fh_b") / "ws", TOML, _posts())
    with Workspace.open(root) as ws:
        read = create_token(ws, "read", name="viewer")[1]
    return root, read


def _ns_cells(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    rows = page.locator("#s-slice table tbody tr")
    out = {}
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        out[cells[0]] = cells[2]
    return out


def test_choose_english_and_apply(site) -> None:
    from brandhalo.web import create_app

    root, read = site
    problems: list[str] = []
    with live_server(create_app(root)) as base, chromium() as browser:
        context, page = watched_page(browser, problems)
        page.goto(f"{base}/?token={read}&lang=en")
        assert page.locator("#post_lang").input_value() == ""
        page.select_option("#post_lang", "en")
        page.fill("input[name=since]", "2025-04-01")
        page.fill("input[name=until]", "2025-04-30")
        page.click("#period-form input[type=submit]")
        page.wait_for_url(re.compile(r".*post_lang=en.*"))
        assert page.locator("#post_lang").input_value() == "en"  # kept after Apply
        assert page.locator("#source").input_value() == ""
        shown = _ns_cells(page)
        for brand in ("小米", "华为"):
            ns, _ = _cli_ns(root, brand, "en")
            assert float(shown[brand].split(" ")[0]) == pytest.approx(ns, abs=0.05), shown
        assert "not split by platform or language" in page.locator("#slice-note").inner_text()
        assert page.locator("#s-slice [data-chart]").count() == 2
        page.click("#lang-switch")
        page.wait_for_url(re.compile(r".*lang=zh.*"))
        assert page.locator("#post_lang").input_value() == "en"  # kept by the switch
        assert "英文" in page.locator("#post_lang option:checked").inner_text()
        context.close()
    assert problems == []
