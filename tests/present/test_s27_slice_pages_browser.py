"""In Chromium: an analyst picks 小红书 on the overview, Applies, and clicks Alerts in the top
bar: the alerts page keeps the platform (and the brand) and lists 小米's Xiaohongshu battery
spike, saying 60 of its 66 negative posts are of Xiaohongshu; all brands and 微博 there list
both planted spikes, each with its Weibo count; all brands and 小红书 list 小米's alone and say
one alert is left out (s27 "slice"; planted as test_s27_slice_pages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_harness import chromium, live_server, watched_page
from test_s27_slice_pages import TOML, _posts
from tests.support.cli_ws import analyzed_with_config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    root = analyzed_with_config(tmp_path_factory.mktemp("s27slice_b") / "ws", TOML, _posts())
    with Workspace.open(root) as ws:
        read = create_token(ws, "read", name="viewer")[1]
    return root, read


def _headlines(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.strip() for t in page.locator("details.alert > summary").all_inner_texts()]


def test_pick_a_platform_on_the_overview_and_open_the_alerts(site) -> None:
    from brandhalo.web import create_app

    root, read = site
    problems: list[str] = []
    with live_server(create_app(root)) as base, chromium() as browser:
        context, page = watched_page(browser, problems)
        page.goto(f"{base}/?token={read}&lang=en")
        assert len(_headlines(page)) == 2  # unsliced: both spikes
        page.select_option("#source", "xhs")
        page.click("#period-form input[type=submit]")
        page.wait_for_url(re.compile(r".*source=xhs.*"))
        (overview_alert,) = _headlines(page)  # the overview's alerts: the slice's
        assert "Xiaohongshu: 60 of 66 negative posts (91%)" in overview_alert
        page.click("header.top a[href*='/alerts']")
        page.wait_for_url(re.compile(r".*/alerts\?.*source=xhs.*"))
        assert page.locator("#source").input_value() == "xhs"  # the page keeps the platform
        (headline,) = _headlines(page)  # the brand (小米, the overview's) rides along too
        assert "小米" in headline
        assert headline.endswith("Xiaohongshu: 60 of 66 negative posts (91%)")
        page.select_option("#brand", "")
        page.select_option("#source", "weibo")
        page.click("#alerts-form input[type=submit]")
        page.wait_for_url(re.compile(r".*source=weibo.*"))
        shown = _headlines(page)
        assert len(shown) == 2
        assert any(h.endswith("Weibo: 6 of 66 negative posts (9%)") for h in shown), shown
        assert any(h.endswith("Weibo: 30 of 30 negative posts (100%)") for h in shown), shown
        page.select_option("#source", "xhs")
        page.click("#alerts-form input[type=submit]")
        page.wait_for_url(re.compile(r".*source=xhs.*"))
        assert len(_headlines(page)) == 1  # 华为's Weibo spike holds no Xiaohongshu post
        note = page.locator("#slice-note").inner_text()
        assert "1 more alert has no post of Xiaohongshu" in note
        context.close()
    assert problems == []
