"""Shared browser-test pieces: a live server on loopback and Debian's Chromium via Playwright.

Never runs `playwright install`: the browser is the system's /usr/bin/chromium.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Where test runs keep their artefacts: $BRANDHALO_ARTIFACTS, else artifacts/ in the repo
#: (git-ignored).
ARTIFACTS = Path(
    os.environ.get("BRANDHALO_ARTIFACTS") or Path(__file__).resolve().parents[2] / "artifacts"
)
#: Test runs write screenshots to <artifacts>/screenshots; the copies committed under
#: benchmarks/screenshots/ are refreshed with BRANDHALO_SCREENSHOTS=benchmarks/screenshots.
SCREENSHOTS = Path(os.environ.get("BRANDHALO_SCREENSHOTS") or ARTIFACTS / "screenshots")

#: JS: how many chart containers hold a canvas with at least one painted pixel.
PAINTED_CHARTS = """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
  const c = el.querySelector('canvas');
  if (!c || !c.width || !c.height) return false;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < d.length; i += 4 * 7) { if (d[i] !== 0) return true; }
  return false;
})"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Run `app` with uvicorn on a free loopback port in a thread; yield its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """A Playwright browser on Debian's Chromium (headless, no network services)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> Path:
    """A PNG of the visible page (one viewport, kept small) under SCREENSHOTS."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), type="png", full_page=False)
    return path


def full_screenshot(page: Any, name: str) -> Path:
    """A PNG of the whole page (every section, for checking by eye) under SCREENSHOTS."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), type="png", full_page=True)
    return path


def watched_page(
    browser: Any, problems: list[str], *, http_errors: bool = True, **context: Any
) -> tuple[Any, Any]:
    """A new context and page (1280 x 900 unless `context` says otherwise) whose script
    errors, console errors and, with `http_errors`, responses of 400 and above are appended
    to `problems`; the caller closes the context."""
    ctx = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context})
    page = ctx.new_page()
    page.on("pageerror", lambda e: problems.append(f"js error: {e}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    if http_errors:
        page.on(
            "response",
            lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
    return ctx, page
