"""Fixtures of the present area: tokens, an app client (the webhook server is in tests/conftest.py)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

HOSTILE_TEXT = "<script>window.__pwned = 1</script> SU7 刹车 <b>bold</b>"
HOSTILE_URL = "javascript:window.__pwned=2"
HOSTILE_AUTHOR = '<img src=x onerror="window.__pwned=3">'


@pytest.fixture
def hostile() -> dict[str, str]:
    """The hostile post's text, url and author name (they must render as text)."""
    return {"text": HOSTILE_TEXT, "url": HOSTILE_URL, "author": HOSTILE_AUTHOR}


def seed_posts(ws) -> None:
    """A handful of posts (one hostile) straight into the store's input table."""
    rows = [
        (
            "p1",
            "weibo",
            "a1",
            "Alice",
            "小米SU7 刹车 问题 crash",
            "2025-03-30 02:00:00",
            "https://weibo.example/p1",
        ),
        ("p2", "weibo", "a2", "Bob", "Xiaomi SU7 design is great", "2025-03-30 03:00:00", None),
        ("p3", "news", "a3", HOSTILE_AUTHOR, HOSTILE_TEXT, "2025-03-30 04:00:00", HOSTILE_URL),
        ("p4", "weibo", "a4", "Dan", "华为 发布会", "2025-04-02 05:00:00", None),
    ]
    with ws.store.transaction() as con:
        con.executemany(
            "INSERT INTO posts (post_id, source, author_id, author_name, text, created_at, url) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


@dataclass
class Served:
    """An app over a seeded workspace, with a read and an admin token."""

    root: object
    client: object
    read: str
    admin: str

    def get(self, path: str, token: str | None = None, **kw):
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return self.client.get(path, headers=headers, **kw)


@pytest.fixture
def served(tmp_ws) -> Iterator[Served]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    seed_posts(tmp_ws)
    read = create_token(tmp_ws, "read", name="r")[1]
    admin = create_token(tmp_ws, "admin", name="a")[1]
    app = create_app(tmp_ws.root, write_burst=3, write_rate=0.01)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Served(root=tmp_ws.root, client=client, read=read, admin=admin)


@dataclass
class Demo:
    """A small analyzed demo workspace (simulated seed case) with tokens and a hostile post."""

    root: object
    read: str
    admin: str


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Demo:
    """Built once per session: simulate 5,000 posts, ingest, analyze; add a hostile post."""
    from brandhalo import pipeline
    from brandhalo.ingest import ingest_records
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    root = tmp_path_factory.mktemp("present_demo") / "ws"
    with warnings.catch_warnings():
        # Upstream stages' pandas deprecation warnings are their tests' business; this
        # fixture only needs the data.
        from pandas.errors import Pandas4Warning

        warnings.simplefilter("ignore", Pandas4Warning)
        pipeline.demo(root, posts=5000, report=False)
    with Workspace.open(root) as ws:
        ingest_records(ws, "posts", [{
            "id": "hostile-1", "text": HOSTILE_TEXT, "url": HOSTILE_URL,
            "author_name": HOSTILE_AUTHOR, "created_at": "2025-06-01T10:00:00+08:00",
            "source": "hostile-test",
        }])  # fmt: skip
        read = create_token(ws, "read", name="tests")[1]
        admin = create_token(ws, "admin", name="tests-admin")[1]
    return Demo(root=root, read=read, admin=admin)


@pytest.fixture(scope="session")
def demo_client(demo) -> Iterator[object]:
    """A TestClient over the demo workspace (read token in the header)."""
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    with TestClient(create_app(demo.root), headers={"authorization": f"Bearer {demo.read}"}) as c:
        yield c
