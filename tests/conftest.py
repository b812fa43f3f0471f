"""Shared fixtures. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from brandhalo.workspace import Workspace, init_workspace


@pytest.fixture
def tmp_ws(tmp_path: Path) -> Workspace:
    """A fresh workspace with the template config and an empty, migrated store."""
    ws = init_workspace(tmp_path / "ws")
    yield ws
    ws.close()


@dataclass
class Hook:
    """A webhook receiver on 127.0.0.1: answers with the queued statuses, then 200."""

    url: str
    statuses: list[int] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    answer: bytes = b'{"ok": true}'
    lock: threading.Lock = field(default_factory=threading.Lock)

    def received(self) -> list[dict]:
        with self.lock:
            return [
                json.loads(b)
                for b, r in zip(self.bodies, self.requests, strict=True)
                if r["status"] < 300
            ]


def _handler(hook: Hook) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            with hook.lock:
                status = hook.statuses.pop(0) if hook.statuses else 200
                hook.bodies.append(body)
                hook.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "status": status}
                )
            payload = hook.answer if status < 300 else b'{"error": "planned failure"}'
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    return H


@pytest.fixture
def hook() -> Iterator[Hook]:
    """A real HTTP server on a free loopback port, stopped after the test."""
    hook = Hook(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hook))
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield hook
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
