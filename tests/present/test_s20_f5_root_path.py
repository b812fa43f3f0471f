"""The dashboard behind a reverse proxy at a sub-path (``[server] root_path = "/brand"``).

A real ``brandhalo serve`` on a free loopback port, and in front of it a small proxy written
here that serves it under ``/brand/`` and strips that prefix before passing a request on (as
nginx's ``location /brand/ { proxy_pass http://127.0.0.1:8000/; }`` does). Through the proxy:
every Location header, every href/src/action of the pages and every cookie path starts with
/brand, the static files and the API answer there, label.js saves through it, and in
Chromium the overview loads its CSS and draws its charts.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")  # upstream

PREFIX = "/brand"
#: Headers a proxy does not pass on (hop by hop) or sets itself.
_HOP = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}


class _Links(HTMLParser):
    """Every href, src and action of a page, and the <html>'s data-root."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.html_root: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.urls.append((tag, name, value))
            if tag == "html" and name == "data-root":
                self.html_root = value


def links_of(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def local_urls(html: str) -> list[str]:
    """The page's addresses on this server: not another site's (a post's link), not an
    anchor on the page itself, not inline data."""
    return [
        v
        for _, _, v in links_of(html).urls
        if not v.startswith(("#", "data:")) and not urlsplit(v).scheme
    ]


def assert_prefixed(html: str, what: str) -> list[str]:
    """Every address of the page on this server starts with /brand/; returns them."""
    urls = local_urls(html)
    assert urls, f"{what}: no link at all"
    outside = [u for u in urls if not (u.startswith(PREFIX + "/") or u.startswith(PREFIX + "?"))]
    assert outside == [], f"{what}: addresses that leave {PREFIX}/: {outside}"
    return urls


def _proxy_handler(backend: int) -> type[BaseHTTPRequestHandler]:
    class Strip(BaseHTTPRequestHandler):
        """/brand/X -> backend /X (the prefix stripped); anything else is not ours (404)."""

        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _forward(self) -> None:
            if not (self.path == PREFIX or self.path.startswith(PREFIX + "/")):
                self.send_response(404)
                self.send_header("content-length", "0")
                self.end_headers()
                return
            path = self.path[len(PREFIX) :] or "/"
            size = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(size) if size else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
            conn = http.client.HTTPConnection("127.0.0.1", backend, timeout=300)
            try:
                conn.request(self.command, path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
            finally:
                conn.close()
            self.send_response(answer.status)
            for k, v in answer.getheaders():
                if k.lower() not in _HOP:
                    self.send_header(k, v)  # Location as the app wrote it (no rewriting)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_HEAD = _forward

    return Strip


@dataclass
class Proxied:
    """`brandhalo serve` at root path /brand behind the stripping proxy at `base`."""

    base: str  # http://127.0.0.1:<proxy port>
    read: str
    admin: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, follow_redirects=False, timeout=300)


@pytest.fixture(scope="module")
def proxied(demo, tmp_path_factory) -> Iterator[Proxied]:
    root = tmp_path_factory.mktemp("s20_f5") / "ws"
    shutil.copytree(demo.root, root)
    toml = Path(root) / "brandhalo.toml"
    text = toml.read_text(encoding="utf-8")
    assert "[server]" not in text  # the demo's file has none: this one is the only one
    toml.write_text(f'{text}\n[server]\nroot_path = "{PREFIX}/"\n', "utf-8")
    with served(root) as port:
        proxy = ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(port))
        thread = threading.Thread(target=proxy.serve_forever, daemon=True)
        thread.start()
        try:
            yield Proxied(f"http://127.0.0.1:{proxy.server_address[1]}", demo.read, demo.admin)
        finally:
            proxy.shutdown()
            proxy.server_close()


@contextlib.contextmanager
def served(root: Path, *args: str) -> Iterator[int]:
    """`brandhalo serve` of `root` on a free loopback port (with `args`); yields the port."""
    server = subprocess.Popen(
        [sys.executable, "-m", "brandhalo", "serve", "-p", str(root), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        if not found:
            server.kill()
            raise AssertionError(f"no dashboard link: {first!r} {server.communicate()[1]}")
        yield int(found.group(1))
    finally:
        server.terminate()
        server.communicate(timeout=60)


@pytest.fixture(scope="module")
def signed_in(proxied) -> Iterator[httpx.Client]:
    """A browser-like client signed in through the proxy (the login cookie)."""
    with proxied.client() as c:
        answer = c.get(f"{PREFIX}/?token={proxied.read}", headers={"accept": "text/html"})
        assert answer.status_code == 303, answer.text
        c.headers["accept"] = "text/html"
        yield c


def test_sign_in_redirects_stay_under_the_prefix(proxied):
    with proxied.client() as c:
        html = {"accept": "text/html"}
        # the token link: back to the page asked for, under the prefix, cookie for it only
        answer = c.get(f"{PREFIX}/alerts?kind=negative_spike&token={proxied.read}", headers=html)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"{PREFIX}/alerts?kind=negative_spike"
        cookie = answer.headers["set-cookie"]
        assert "brandhalo_token=" in cookie and f"Path={PREFIX}" in cookie, cookie
        # no token: the sign-in form, which posts to /brand/login and returns to the page
        form = httpx.Client(base_url=proxied.base, follow_redirects=False, timeout=300)
        with form:
            page = form.get(f"{PREFIX}/posts?q=SU7", headers=html)
            assert page.status_code == 401
            assert_prefixed(page.text, "sign-in page")
            assert f'action="{PREFIX}/login"' in page.text
            assert 'name="next" value="/posts?q=SU7"' in page.text
            signed = form.post(
                f"{PREFIX}/login",
                content=urlencode({"token": proxied.read, "next": "/posts?q=SU7"}),
                headers={**html, "content-type": "application/x-www-form-urlencoded"},
            )
            assert signed.status_code == 303, signed.text
            assert signed.headers["location"] == f"{PREFIX}/posts?q=SU7"
            # a wrong token shows the form again, still under the prefix
            wrong = form.post(
                f"{PREFIX}/login",
                content=urlencode({"token": "nope", "next": "/alerts"}),
                headers={**html, "content-type": "application/x-www-form-urlencoded"},
            )
            assert wrong.status_code == 401
            assert_prefixed(wrong.text, "refused sign-in")


def test_every_page_links_under_the_prefix(signed_in):
    c = signed_in
    seen: dict[str, list[str]] = {}
    for path in ("/", "/alerts", "/posts?q=SU7", "/label", "/?since=2025-01-01&until=2025-12-31"):
        answer = c.get(PREFIX + path)
        assert answer.status_code == 200, (path, answer.text[:300])
        seen[path] = assert_prefixed(answer.text, path)
        assert links_of(answer.text).html_root == PREFIX
    overview = seen["/"]
    assert f"{PREFIX}/static/brandhalo.css" in overview
    assert (
        f"{PREFIX}/static/charts.js" in overview and f"{PREFIX}/static/echarts.min.js" in overview
    )
    for nav in ("/", "/alerts", "/posts", "/label"):
        assert PREFIX + nav in overview, nav
    assert f"{PREFIX}/static/label.js" in seen["/label"]
    posts = seen["/posts?q=SU7"]
    assert f"{PREFIX}/posts" in posts  # the search form
    assert any(u.startswith(f"{PREFIX}/posts?q=SU7") and "page=2" in u for u in posts), posts
    assert any(u.startswith(f"{PREFIX}/posts/export?") for u in posts), posts
    # the filter forms, the "all dates" link and the language switch
    dated = seen["/?since=2025-01-01&until=2025-12-31"]
    assert any(u.startswith(f"{PREFIX}/?") and "lang=" in u for u in dated), dated
    # every link followed through the proxy answers (none leaves the prefix, none is a 404)
    for url in sorted({u for urls in seen.values() for u in urls if "/export?" not in u}):
        assert c.get(url).status_code < 400, url


def test_language_cookie_and_an_unknown_page_under_the_prefix(signed_in):
    answer = signed_in.get(f"{PREFIX}/alerts?lang=en")
    assert answer.status_code == 200
    assert f"Path={PREFIX}" in answer.headers["set-cookie"]
    missing = signed_in.get(f"{PREFIX}/nowhere")
    assert missing.status_code == 404
    assert_prefixed(missing.text, "404 page")


def test_static_files_and_the_api_through_the_proxy(proxied):
    with proxied.client() as c:
        css = c.get(f"{PREFIX}/static/brandhalo.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
        assert "no-store" not in css.headers.get("cache-control", "")  # static: cacheable
        who = c.get(f"{PREFIX}/api/whoami", headers={"authorization": f"Bearer {proxied.read}"})
        assert who.status_code == 200 and who.json()["role"] == "read", who.text
        assert who.headers["cache-control"] == "no-store"
        queue = c.get(
            f"{PREFIX}/api/labels/queue?n=1",
            headers={"authorization": f"Bearer {proxied.read}"},
        )
        assert queue.status_code == 200 and queue.json()["items"], queue.text
        # outside the prefix there is nothing (the proxy serves only /brand/)
        assert c.get("/static/brandhalo.css").status_code == 404


@pytest.mark.browser
def test_browser_overview_and_labelling_through_the_proxy(proxied):
    from browser_harness import PAINTED_CHARTS, chromium, watched_page

    problems: list[str] = []
    with chromium() as browser:
        ctx, page = watched_page(browser, problems)
        try:
            page.goto(f"{proxied.base}{PREFIX}/?token={proxied.read}")
            assert urlsplit(page.url).path == f"{PREFIX}/"
            page.wait_for_function(
                "document.documentElement.dataset.chartsReady !== undefined", timeout=120_000
            )
            styled = page.evaluate(
                """p => Array.from(document.styleSheets).some(
                    s => s.href && s.href.endsWith(p + '/static/brandhalo.css')
                    && s.cssRules.length > 0)""",
                PREFIX,
            )
            assert styled, "the stylesheet did not load through the proxy"
            painted = page.evaluate(PAINTED_CHARTS)
            assert painted and any(painted), painted
            # label.js saves through the proxy (its fetch carries the prefix)
            page.goto(f"{proxied.base}{PREFIX}/label")
            page.fill("#admin-token", proxied.admin)
            page.dispatch_event("#admin-token", "change")
            page.click("button.lab[data-label='neutral']")
            page.wait_for_selector("#label-status[data-saved='1']", timeout=60_000)
        finally:
            ctx.close()
    assert problems == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [("", ""), ("/", ""), ("/brand", "/brand"), ("/brand/", "/brand"), ("brand", "/brand"),
     ("/tools/brand-halo_1.x~", "/tools/brand-halo_1.x~")],
)  # fmt: skip
def test_root_path_is_written_as_links_use_it(given, kept):
    from brandhalo.config import ServerSettings

    assert ServerSettings(root_path=given).root_path == kept


@pytest.mark.parametrize("bad", ["/a b", "/../x", "/x?y", "//evil.example", "/x/%2e", "/a//b"])
def test_root_path_that_is_not_a_plain_path_is_refused(bad):
    from pydantic import ValidationError

    from brandhalo.config import ServerSettings

    with pytest.raises(ValidationError, match="not a plain URL path"):
        ServerSettings(root_path=bad)


def test_the_serve_option_sets_the_root_path(demo, tmp_path):
    """``brandhalo serve --root-path /brand`` does what the config key does (no toml edit)."""
    root = tmp_path / "ws"
    shutil.copytree(demo.root, root)
    with (
        served(root, "--root-path", f"{PREFIX}/") as port,
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300) as c,
    ):
        answer = c.get(f"/alerts?token={demo.read}", headers={"accept": "text/html"})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"{PREFIX}/alerts"
    assert f"Path={PREFIX}" in answer.headers["set-cookie"]
