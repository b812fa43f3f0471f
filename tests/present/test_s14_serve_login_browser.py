"""In Chromium: a link to a filtered page opened without a token shows the sign-in form; a
wrong token shows it again, and the right one lands on that page, filters kept."""

from __future__ import annotations

import pytest
from browser_harness import chromium, live_server, watched_page

pytestmark = pytest.mark.browser


def test_sign_in_lands_on_the_page_asked_for(tmp_ws) -> None:
    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    read = create_token(tmp_ws, "read", name="r")[1]
    root = tmp_ws.root
    tmp_ws.close()
    problems: list[str] = []
    with live_server(create_app(root)) as base, chromium() as browser:
        ctx, page = watched_page(browser, problems, http_errors=False)
        page.goto(f"{base}/posts?q=SU7&lang=en")
        page.fill("#token", "bh_wrong")
        page.click("input[type=submit]")
        assert "unknown or revoked" in page.inner_text("main")
        page.fill("#token", read)
        page.click("input[type=submit]")
        page.wait_for_selector("#results")
        assert page.url == f"{base}/posts?q=SU7"
        assert page.input_value("input[name=q]") == "SU7"
        ctx.close()
    unexpected = [p for p in problems if "status of 401" not in p]  # the two sign-in forms
    assert unexpected == [], unexpected
