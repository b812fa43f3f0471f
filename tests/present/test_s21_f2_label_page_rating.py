"""The dashboard's Label page shows a review's star rating next to the model's guess (评分 4.5
on the zh page, "rated 4.5" on the en one; nothing for an unrated post), as the sheet of
`brandhalo label` does: /api/labels/queue carries each item's `rating`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from browser_harness import chromium, live_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sentiment"))
from domain_helpers import domain_rows  # noqa: E402

#: The rating cell of post i as a review export writes it (None: unrated), and its stars.
CELLS = [("★★★★½", 4.5), ("2", 2.0), (None, None), ("五星", 5.0)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from brandhalo.ingest import ingest_records
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import init_workspace

    root = tmp_path_factory.mktemp("s21_f2_label") / "ws"
    with init_workspace(root) as ws:
        records = []
        for i, (text, _) in enumerate(domain_rows(60, seed=7)):
            cell = CELLS[i % len(CELLS)][0]
            rec = {"id": f"p{i}", "text": text, "created_at": "2026-03-01T10:00:00+08:00"}
            records.append(rec if cell is None else {**rec, "rating": cell})
        ingest_records(ws, "posts", records)
        read = create_token(ws, "read", name="r")[1]
    return root, read


def _stars(post_id: str) -> float | None:
    return CELLS[int(post_id[1:]) % len(CELLS)][1]


def _queue(root: Path, read: str) -> list[dict]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    with TestClient(create_app(root)) as c:
        answer = c.get("/api/labels/queue?n=50", headers={"authorization": f"Bearer {read}"})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_the_queue_carries_each_posts_rating(site) -> None:
    items = _queue(*site)
    assert items and {i["post_id"]: i["rating"] for i in items} == {
        i["post_id"]: _stars(i["post_id"]) for i in items
    }
    assert {i["rating"] is None for i in items} == {True, False}


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "word"), [("zh", "评分 "), ("en", "rated ")])
def test_the_page_shows_the_stars(site, lang: str, word: str) -> None:
    from brandhalo.web import create_app

    root, read = site
    problems: list[str] = []
    with live_server(create_app(root)) as base, chromium() as browser:
        page = browser.new_page()
        page.on("pageerror", lambda e: problems.append(f"js error: {e}"))
        page.goto(f"{base}/label?token={read}&lang={lang}")
        box = page.locator("#labeller")
        seen = {True: 0, False: 0}
        for _ in range(8):
            post = str(box.get_attribute("data-post-id"))
            meta = page.locator("#label-meta").inner_text()
            stars = _stars(post)
            if stars is None:
                assert word.strip() not in meta, (post, meta)
            else:
                assert meta.endswith(f"{word}{stars:g}"), (post, meta)
            seen[stars is None] += 1
            page.keyboard.press("0")  # skip to the next post
    assert problems == [] and seen[True] and seen[False], seen
