"""Pressing 0 (skip) on the labelling page says the post was skipped: the status of the label
saved before it ("✓ 正面 · 已标注 1") no longer shows, in zh and en, in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_harness import chromium, live_server
from label_helpers import label_workspace

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    root = tmp_path_factory.mktemp("label_skip") / "ws"
    read, admin = label_workspace(root, posts=20, seed=3)
    return root, read, admin


def test_skip_replaces_the_saved_status(site) -> None:
    from brandhalo.web import create_app

    root, read, admin = site
    problems: list[str] = []
    app = create_app(root)
    with live_server(app) as base, chromium() as browser:
        page = browser.new_page()
        page.on("pageerror", lambda e: problems.append(f"js error: {e}"))
        page.goto(f"{base}/label?token={read}&lang=zh")
        page.fill("#admin-token", admin)
        page.locator("#admin-token").dispatch_event("change")
        page.locator("h1").click()
        page.keyboard.press("3")
        page.wait_for_selector("#label-status[data-saved='1']")
        assert page.locator("#label-status").inner_text() == "✓ 正面 · 已标注 1"
        page.keyboard.press("0")
        page.wait_for_selector("#label-status[data-skipped='1']")
        assert page.locator("#label-status").inner_text() == "已跳过上一条（未标注） · 已标注 1"
        assert page.locator("#label-meta").inner_text().startswith("3 / ")
        page.goto(f"{base}/label?lang=en")
        page.locator("h1").click()
        page.keyboard.press("0")
        page.wait_for_selector("#label-status[data-skipped='1']")
        # (the count a reloaded page starts from is the published one: 0 or 1 by now)
        status = page.locator("#label-status").inner_text()
        assert re.fullmatch(r"skipped the last post \(no label stored\) · [01] labelled", status)
    app.state.bh.close()
    assert problems == []
