"""The labelling page and its API: a queue of posts worth labelling, keys 1/2/3, admin writes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_harness import chromium, live_server, screenshot
from label_helpers import label_workspace


@dataclass
class LabelSite:
    root: Path
    read: str
    admin: str


@pytest.fixture(scope="module")
def label_ws(tmp_path_factory: pytest.TempPathFactory) -> LabelSite:
    """A workspace of 150 simulated launch posts (none labelled) with a read and admin token."""
    root = tmp_path_factory.mktemp("label_page") / "ws"
    read, admin = label_workspace(root, posts=150, seed=4)
    return LabelSite(root=root, read=read, admin=admin)


@pytest.fixture
def client(label_ws: LabelSite) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    with TestClient(create_app(label_ws.root), raise_server_exceptions=False) as c:
        yield c


def _labels(app: object) -> dict[str, str]:
    """The stored labels, read through the app's own store owner."""

    def read(ws: object) -> dict[str, str]:
        return dict(ws.store.con.execute("SELECT post_id, label FROM labels").fetchall())

    return app.state.bh.run(read)


def test_queue_lists_distinct_posts_worth_labelling(client, label_ws: LabelSite) -> None:
    resp = client.get(
        "/api/labels/queue?n=30", headers={"authorization": f"Bearer {label_ws.read}"}
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert len(body["items"]) == 30 and body["labelled"] == 0
    assert (
        len({i["post_id"] for i in body["items"]}) == len({i["text"] for i in body["items"]}) == 30
    )
    assert {i["reason"] for i in body["items"]} == {"uncertain", "negative", "diverse"}


def test_writing_a_label_needs_an_admin_token(client, label_ws: LabelSite) -> None:
    body = {"post_id": "p1", "label": "negative"}
    read = client.post(
        "/api/labels", json=body, headers={"authorization": f"Bearer {label_ws.read}"}
    )
    assert read.status_code == 403
    client.cookies.set("brandhalo_token", label_ws.admin)
    cookie = client.post("/api/labels", json=body)
    client.cookies.clear()
    assert cookie.status_code == 401
    bad = client.post(
        "/api/labels",
        json={"post_id": "nope", "label": "negative"},
        headers={"authorization": f"Bearer {label_ws.admin}"},
    )
    assert bad.status_code == 404
    assert "p1" not in _labels(client.app)


@pytest.mark.browser
def test_keys_label_posts_one_at_a_time(label_ws: LabelSite) -> None:
    from brandhalo.web import create_app

    problems: list[str] = []
    app = create_app(label_ws.root)
    with live_server(app) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(f"js error: {e}"))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/label?token={label_ws.read}&lang=en")
        assert page.locator("h1").inner_text() == "Label"
        box = page.locator("#labeller")
        first = box.get_attribute("data-post-id")
        assert first and page.locator("#label-text").inner_text().strip()
        page.fill("#admin-token", label_ws.admin)
        page.locator("#admin-token").dispatch_event("change")
        page.locator("h1").click()  # keys go to the page, not the token field
        done: list[tuple[str, str]] = []
        for key, label in (("1", "negative"), ("2", "neutral"), ("3", "positive")):
            post = box.get_attribute("data-post-id")
            page.keyboard.press(key)
            page.wait_for_selector(f"#label-status[data-saved='{len(done) + 1}']")
            done.append((str(post), label))
        skipped = box.get_attribute("data-post-id")
        page.keyboard.press("0")
        assert box.get_attribute("data-post-id") != skipped
        screenshot(page, "dashboard-label")
        context.close()
    stored = _labels(app)
    app.state.bh.close()
    assert all(stored.get(post) == label for post, label in done), (stored, done)
    assert skipped not in stored
    assert problems == []
