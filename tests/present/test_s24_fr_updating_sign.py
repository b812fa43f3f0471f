"""The dashboard says "updating…" while a newer snapshot than the one it serves is warmed (s24 fr).

Walk-through: an analyst runs ``brandhalo analyze`` (or an ingest) and reloads the dashboard;
for 5-10 s it still shows the data before the run (the new snapshot is warmed first) with no
sign of it. The pages now show a small "updating… / 正在更新…" sign while a newer snapshot
exists, which becomes a "new data: reload" link once the newer one is served.

The other process is a real ``brandhalo ingest``; the warming is held at one answer until the
test lets it go on, so "while a generation warms" is a state, not a time window.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_harness import chromium, live_server, screenshot, watched_page
from tests.support.cli_ws import one_brand_workspace

from brandhalo.store import snapshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
]

WARM_THREAD = "brandhalo-warm-snapshot"
#: How long the browser waits for the sign to change (a wait, not a timed assertion).
WAIT_MS = 90_000


class Held:
    """A cached answer whose computation in the warming thread waits until released."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, ws: Any) -> str:
        if threading.current_thread().name == WARM_THREAD:
            self.entered.set()
            self.release.wait(120)
        return "held"


def _ingest_in_another_process(root: Path, tmp: Path) -> None:
    """`brandhalo ingest posts` of 5 new posts: it publishes a newer snapshot generation."""
    csv = tmp / "more.csv"
    rows = [f"n{i},weibo,u{i},蒙牛 新帖 {i},2024-05-0{1 + i} 10:00:00" for i in range(5)]
    csv.write_text("id,source,author_id,text,created_at\n" + "\n".join(rows) + "\n", "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "brandhalo", "ingest", "posts", str(csv), "-p", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    root = one_brand_workspace(tmp_path / "ws", 30)
    with Workspace.open(root) as ws:
        read = create_token(ws, "read", name="r")[1]
    yield root, read


SIGN = "#bh-updating"


@pytest.mark.parametrize(
    ("lang", "updating", "updated"),
    [("zh", "正在更新…", "已有新数据：点此刷新"), ("en", "updating…", "new data: reload")],
)
def test_sign_shows_while_a_newer_snapshot_warms_then_offers_a_reload(
    site: tuple[Path, str], tmp_path: Path, lang: str, updating: str, updated: str
) -> None:
    from brandhalo.web import create_app

    root, read = site
    app = create_app(root)
    state = app.state.bh
    held = Held()
    problems: list[str] = []
    try:
        with live_server(app) as base, chromium() as browser:
            context, page = watched_page(browser, problems)
            page.goto(f"{base}/?token={read}&lang={lang}")
            sign = page.locator(SIGN)
            assert sign.count() == 1 and sign.is_hidden()  # nothing newer: no sign
            served = state.generation
            assert sign.get_attribute("data-shown") == str(served)
            # a newer snapshot from another process, its warming held at one answer
            assert state.cached(("s24-held",), held) == "held"
            _ingest_in_another_process(root, tmp_path)
            snap = snapshot.current(root / "brandhalo.duckdb")
            assert snap is not None and snap.generation > served
            page.wait_for_selector(f'{SIGN}[data-state="updating"]', state="visible",
                                   timeout=WAIT_MS)  # fmt: skip
            assert held.entered.wait(120), "the new generation was never warmed"
            assert sign.inner_text() == updating
            screenshot(page, f"s24_fr_updating_{lang}")
            assert state.generation == served  # still warming: the old one answers
            # a page loaded now (answered from the old one) shows the sign from the start
            other = context.new_page()
            other.goto(f"{base}/alerts?lang={lang}")
            assert other.locator(SIGN).is_visible()
            assert other.locator(SIGN).inner_text() == updating
            other.close()
            # served: the sign becomes a link that reloads the page
            held.release.set()
            page.wait_for_selector(f'{SIGN}[data-state="updated"] a', state="visible",
                                   timeout=WAIT_MS)  # fmt: skip
            assert state.generation >= snap.generation
            link = page.locator(f"{SIGN} a")
            assert link.inner_text() == updated
            screenshot(page, f"s24_fr_updated_{lang}")
            link.click()
            page.wait_for_load_state()
            assert page.locator(SIGN).get_attribute("data-shown") == str(state.generation)
            assert page.locator(SIGN).is_hidden()
            context.close()
    finally:
        held.release.set()
        state.close()
    assert problems == []


def test_updating_answer_compares_served_and_newest(site: tuple[Path, str], tmp_path) -> None:
    """/updating (what the sign's script asks) says updating while the newer generation is
    held in warming, and not once it is served; it needs a read token."""
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    root, read = site
    auth = {"authorization": f"Bearer {read}"}
    held = Held()
    with TestClient(create_app(root), raise_server_exceptions=False) as client:
        assert client.get("/updating").status_code == 401
        state = client.app.state.bh
        first = client.get("/updating", headers=auth).json()
        assert first == {"served": state.generation, "newest": state.generation,
                         "updating": False}  # fmt: skip
        try:
            assert state.cached(("s24-held",), held) == "held"
            _ingest_in_another_process(root, tmp_path)
            now = client.get("/updating", headers=auth).json()  # starts the warming
            assert held.entered.wait(120), "the new generation was never warmed"
            assert now["updating"] and now["newest"] > now["served"] == first["served"]
        finally:
            held.release.set()
        assert state.wait_published(120)
        done = client.get("/updating", headers=auth).json()
        assert done["served"] == done["newest"] > first["served"] and not done["updating"]
