"""A label key pressed before any admin token is typed says what to do, in the page's language.

Walk-through: pressing 1 on the labelling page without a token put the token field's caption
("管理员令牌（写入标注需要）") in the status line: a label, not a sentence, and no hint where a
token comes from. It now asks for the admin token and names the command that creates one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_harness import chromium, live_server, watched_page
from label_helpers import label_workspace

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("label_no_token") / "ws"
    read, _ = label_workspace(root, posts=12, seed=3)
    return root, read


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ("请先在上方输入管理员令牌再标注", "brandhalo token create --role admin")),
        (
            "en",
            ("To save labels, enter an admin token above", "brandhalo token create --role admin"),
        ),
    ],
)
def test_label_key_without_token_asks_for_one(site, lang: str, words: tuple[str, ...]) -> None:
    from brandhalo.web import create_app

    root, read = site
    problems: list[str] = []
    with live_server(create_app(root)) as base, chromium() as browser:
        context, page = watched_page(browser, problems)
        page.goto(f"{base}/label?token={read}&lang={lang}")
        first = page.locator("#labeller").get_attribute("data-post-id")
        page.locator("h1").click()
        page.keyboard.press("1")
        page.wait_for_selector("#label-status:not(:empty)")
        status = page.locator("#label-status").inner_text()
        assert all(w in status for w in words), status
        assert page.locator("#labeller").get_attribute("data-post-id") == first  # not skipped
        assert page.evaluate("document.activeElement.id") == "admin-token"
        context.close()
    assert problems == []
