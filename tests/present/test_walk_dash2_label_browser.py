"""The zh labelling page reads in Chinese in real headless Chromium: the model's label, why the
post was picked, the saved label with its count, and a token that cannot write."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_harness import chromium, live_server, screenshot
from label_helpers import label_workspace

pytestmark = pytest.mark.browser
#: English words the page used to show (label names, pick reasons).
ENGLISH = re.compile(r"\b(negative|neutral|positive|uncertain|diverse)\b")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """40 launch posts (none labelled) and a read and an admin token."""
    root = tmp_path_factory.mktemp("label_zh") / "ws"
    read, admin = label_workspace(root, posts=40, seed=5)
    return root, read, admin


def test_zh_label_page_shows_labels_reasons_and_counts_in_chinese(site) -> None:
    from brandhalo.web import create_app

    root, read, admin = site
    problems: list[str] = []
    app = create_app(root)
    with live_server(app) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        page.on("pageerror", lambda e: problems.append(f"js error: {e}"))
        page.goto(f"{base}/label?token={read}&lang=zh")
        meta = page.locator("#label-meta").inner_text()
        assert re.fullmatch(
            r"1 / \d+ · 模型判断：(负面|中性|正面)（置信度 \d\.\d\d，(模型最没把握|可能是负面|补充多样性)）",
            meta,
        ), meta
        # a read token cannot write: say so in Chinese, with what to do
        page.fill("#admin-token", read)
        page.locator("#admin-token").dispatch_event("change")
        page.locator("h1").click()
        page.keyboard.press("2")
        page.wait_for_selector("#label-status:not(:empty)")
        status = page.locator("#label-status").inner_text()
        assert "管理员令牌" in status and "brandhalo token create --role admin" in status
        # the admin token saves: the label's zh name and the count with its word
        page.fill("#admin-token", admin)
        page.locator("#admin-token").dispatch_event("change")
        page.locator("h1").click()
        page.keyboard.press("2")
        page.wait_for_selector("#label-status[data-saved='1']")
        assert page.locator("#label-status").inner_text() == "✓ 中性 · 已标注 1"
        page.keyboard.press("1")
        page.wait_for_selector("#label-status[data-saved='2']")
        assert page.locator("#label-status").inner_text() == "✓ 负面 · 已标注 2"
        shown = page.locator("#labeller").inner_text()
        assert not ENGLISH.search(shown.replace(page.locator("#label-text").inner_text(), ""))
        screenshot(page, "dashboard-label-zh")
        page.goto(f"{base}/label?lang=en")
        meta = page.locator("#label-meta").inner_text()
        assert re.fullmatch(
            r"1 / \d+ · model says: (negative|neutral|positive) \(confidence \d\.\d\d, "
            r"(model least sure|likely negative|for variety)\)",
            meta,
        ), meta
    app.state.bh.close()
    assert problems == []
