"""A running ``brandhalo serve`` picks up an edited brandhalo.toml (s24 fs).

Walk-through: the analyst added a product to brandhalo.toml and ran ``brandhalo analyze``;
the dashboard, started before, still answered "product '声浪Buds Air' is not in
brandhalo.toml" (404) until it was restarted. The server now reads the file again when it
was edited (reads: at most once a second; writes: before each one, under the store lock).

The server is a real one on loopback (uvicorn in a thread); ``analyze`` runs in another
process. Waits poll with a bound on attempts, never assert on time.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_harness import live_server
from tests.support.cli_ws import analyzed_with_config

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

TOML = (
    '[workspace]\ntimezone = "UTC"\n\n'
    '[[brands]]\nname = "声浪"\naliases = ["声浪"]\nown = true\n\n'
    '[[products]]\nname = "声浪Pro"\naliases = ["Pro"]\nbrand = "声浪"\ncategory = "phone"\n'
)
AIR = '\n[[products]]\nname = "声浪Buds Air"\naliases = ["Buds Air"]\nbrand = "声浪"\ncategory = "phone"\n'
MAX = (
    '\n[[products]]\nname = "声浪Max"\naliases = ["声浪Max"]\nbrand = "声浪"\ncategory = "phone"\n'
)
#: Polls: this many tries, a short sleep between (a bound on attempts, not on time).
TRIES = 600


def _records() -> list[dict[str, Any]]:
    return [
        {"id": f"a{i}", "text": f"声浪Buds Air 耳机{'很好用' if i % 2 else '太难用了'} 第{i}条",
         "author_name": f"u{i}", "created_at": f"2024-05-{1 + i % 28:02d}T10:00:00Z"}
        for i in range(12)
    ] + [
        {"id": f"p{i}", "text": f"声浪Pro 第{i}条 不错", "author_name": f"v{i}",
         "created_at": f"2024-05-{1 + i % 28:02d}T11:00:00Z"}
        for i in range(6)
    ]  # fmt: skip


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str, str]]:
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    root = analyzed_with_config(tmp_path / "ws", TOML, _records())
    with Workspace.open(root) as ws:
        read = create_token(ws, "read", name="r")[1]
        admin = create_token(ws, "admin", name="a")[1]
    yield root, read, admin


def _get(url: str, token: str) -> tuple[int, Any]:
    req = urllib.request.Request(url, headers={"authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310 - loopback
            body = resp.read().decode("utf-8")
            status = resp.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read().decode("utf-8"), exc.code
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


def _post(url: str, token: str, payload: Any) -> tuple[int, Any]:
    data = json.dumps(payload).encode("utf-8")
    req = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310 - loopback
            return resp.status, json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read().decode("utf-8"))


def _poll(check: Callable[[], Any]) -> Any:
    """The first truthy `check()` within :data:`TRIES` tries (None if none was)."""
    for _ in range(TRIES):
        got = check()
        if got:
            return got
        time.sleep(0.1)
    return None


def _posts_of(base: str, read: str, product: str) -> tuple[int, Any]:
    from urllib.parse import quote

    return _get(f"{base}/api/posts?product={quote(product)}&page_size=50", read)


def test_a_product_added_and_analyzed_is_served_without_a_restart(
    site: tuple[Path, str, str],
) -> None:
    from brandhalo.web import create_app

    root, read, _ = site
    app = create_app(root)
    state = app.state.bh
    try:
        with live_server(app) as base:
            status, body = _posts_of(base, read, "声浪Buds Air")
            assert status == 404, body
            assert "is not in brandhalo.toml" in body["error"]["message"]
            status, body = _posts_of(base, read, "声浪Pro")  # cached page of the old config
            assert status == 200 and body["posts"], body
            # the analyst adds the product, then analyzes in another process
            toml = root / "brandhalo.toml"
            toml.write_text(TOML + AIR, encoding="utf-8")
            proc = subprocess.run(
                [sys.executable, "-m", "brandhalo", "analyze", "-p", str(root)],
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert proc.returncode == 0, proc.stderr[-2000:]

            def air_posts() -> Any:
                status, body = _posts_of(base, read, "Buds Air")  # an alias works too
                return body if status == 200 and body["posts"] else None

            found = _poll(air_posts)
            assert found is not None, _posts_of(base, read, "声浪Buds Air")
            ids = {p["post_id"] for p in found["posts"]}
            assert ids and ids <= {f"a{i}" for i in range(12)}, ids
            # the dashboard's posts page lists the product and finds its posts
            from urllib.parse import quote

            page_status, html = _get(f"{base}/posts?product={quote('声浪Buds Air')}&lang=en", read)
            assert page_status == 200
            assert "is not in brandhalo.toml" not in html
            assert '<option value="声浪Buds Air" selected' in html, html[:3000]
            # the old product's answers are the new config's too (not a stale 200 or 404)
            status, body = _posts_of(base, read, "声浪Pro")
            assert status == 200 and body["posts"], body
    finally:
        state.close()


def test_posting_after_an_edit_ingests_and_the_watcher_analyzes_under_the_new_file(
    site: tuple[Path, str, str],
) -> None:
    """A POST of posts after brandhalo.toml was edited is ingested (no StaleConfigError: the
    write reads the file again first), the in-server watcher analyzes it under the edited
    file, and the new product's posts are served."""
    from brandhalo.web import create_app
    from brandhalo.web.serve import start_watcher

    root, read, admin = site
    app = create_app(root, publish_every_s=0.05)
    state = app.state.bh
    try:
        with live_server(app) as base:
            status, body = _posts_of(base, read, "声浪Max")
            assert status == 404, body
            assert state.ws.config.products[-1].name == "声浪Pro"
            (root / "brandhalo.toml").write_text(TOML + MAX, encoding="utf-8")
            posts = [
                {"id": f"m{i}", "text": f"声浪Max 音质{'很棒' if i % 2 else '太差了'} 第{i}条",
                 "author_name": f"w{i}", "created_at": f"2024-05-{10 + i:02d}T09:00:00Z"}
                for i in range(4)
            ]  # fmt: skip
            status, out = _post(f"{base}/api/posts", admin, {"posts": posts})
            assert status == 201, out
            assert out["inserted"] == 4, out
            # the write read the edited file first (no watcher runs yet: nothing else did)
            assert [p.name for p in state.ws.config.products] == ["声浪Pro", "声浪Max"]
            start_watcher(app, interval=3600)  # its first round analyzes the posted posts

            def max_posts() -> Any:
                status, body = _posts_of(base, read, "声浪Max")
                return body if status == 200 and len(body["posts"]) == 4 else None

            found = _poll(max_posts)
            assert found is not None, (_posts_of(base, read, "声浪Max"), app.state.watch_rounds)
            assert {p["post_id"] for p in found["posts"]} == {f"m{i}" for i in range(4)}
    finally:
        watcher = getattr(app.state, "watcher", None)
        if watcher is not None:  # stop it: shutdown handlers do not run here
            watcher[1].set()
            watcher[2].set()
            watcher[0].join(120)
        state.close()


def test_an_unusable_edit_keeps_the_old_config_and_is_logged_once(
    site: tuple[Path, str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """A half-saved brandhalo.toml: reads go on under the config read before (one warning,
    not one per request); once fixed it is read again and cached answers of the old config
    are not served."""
    from brandhalo.web.state import AppState

    root, _, _ = site
    state = AppState(root)
    try:

        def names(ws: Any) -> list[str]:
            return [p.name for p in ws.config.products]

        assert state.cached(("s24-fs-names",), names) == ["声浪Pro"]
        toml = root / "brandhalo.toml"
        caplog.set_level(logging.WARNING, logger="brandhalo.web")
        toml.write_text(TOML + "\n[[products]\nname = ", encoding="utf-8")

        # after the next check (at most a second away) the edit is seen, and not used
        def warned_once() -> bool:
            state.cached(("s24-fs-names",), names)  # a read checks the file (throttled)
            return "cannot be used" in caplog.text

        assert _poll(warned_once)
        for _ in range(3):
            assert state.cached(("s24-fs-names",), names) == ["声浪Pro"]
            assert [p.name for p in state.config.products] == ["声浪Pro"]
        warned = [r for r in caplog.records if "cannot be used" in r.getMessage()]
        assert len(warned) == 1, [r.getMessage() for r in warned]
        toml.write_text(TOML + AIR, encoding="utf-8")
        got = _poll(lambda: state.cached(("s24-fs-names",), names) != ["声浪Pro"])
        assert got, "the fixed file was never read again"
        assert state.cached(("s24-fs-names",), names) == ["声浪Pro", "声浪Buds Air"]
        assert [p.name for p in state.config.products] == ["声浪Pro", "声浪Buds Air"]
    finally:
        state.close()
