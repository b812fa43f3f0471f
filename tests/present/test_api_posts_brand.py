"""GET /api/posts?brand= resolves names and aliases as the metrics do; an unknown brand is a 404."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

#: post id -> (brand it names or None, UTC time)
POSTS = {
    "p1": ("Xiaomi", "2025-03-30 02:00:00"),
    "p2": ("Xiaomi", "2025-03-30 03:00:00"),
    "p3": (None, "2025-03-30 04:00:00"),
    "p4": ("Huawei", "2025-04-02 05:00:00"),
}


@dataclass
class Client:
    client: Any
    read: str

    def get(self, path: str, **params: str):
        return self.client.get(
            path, params=params, headers={"authorization": f"Bearer {self.read}"}
        )


@pytest.fixture
def branded(tmp_ws) -> Iterator[Client]:
    """Posts naming Xiaomi, Huawei or no brand, served (the snapshot is taken at start)."""
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    with tmp_ws.store.transaction() as con:
        con.executemany(
            "INSERT INTO posts (post_id, source, author_id, text, created_at) "
            "VALUES (?, 'weibo', 'a', 'text', ?)",
            [(p, t) for p, (_, t) in POSTS.items()],
        )
        con.executemany(
            "INSERT INTO post_targets (post_id, target_type, target, brand, label, score) "
            "VALUES (?, 'brand', ?, ?, 0, 0.0)",
            [(p, b, b) for p, (b, _) in POSTS.items() if b],
        )
    read = create_token(tmp_ws, "read", name="r")[1]
    with TestClient(create_app(tmp_ws.root), raise_server_exceptions=False) as client:
        yield Client(client, read)


def _ids(c: Client, brand: str) -> list[str]:
    resp = c.get("/api/posts", brand=brand)
    assert resp.status_code == 200, resp.text
    return sorted(p["post_id"] for p in resp.json()["posts"])


@pytest.mark.parametrize(
    ("brand", "expected"),
    [("Xiaomi", ["p1", "p2"]), ("xiaomi", ["p1", "p2"]), ("小米", ["p1", "p2"]),
     ("#小米#", ["p1", "p2"]), ("HUAWEI", ["p4"]), ("华为", ["p4"]), ("ｈｕａｗｅｉ", ["p4"])],
)  # fmt: skip
def test_brand_names_and_aliases_find_the_brands_posts(branded, brand, expected) -> None:
    assert _ids(branded, brand) == expected


def test_unknown_brand_is_a_404_like_the_metrics(branded) -> None:
    posts = branded.get("/api/posts", brand="Tesla")
    metric = branded.get("/api/metrics/buzz", brand="Tesla")
    assert posts.status_code == metric.status_code == 404
    body = posts.json()
    assert set(body) == {"error"} and body["error"]["code"] == "not_found"
    assert body["error"]["status"] == 404
    assert "Tesla" in body["error"]["message"] and "[[brands]]" in body["error"]["message"]
    assert body == metric.json()


def test_no_brand_or_an_empty_one_reads_every_post(branded) -> None:
    assert _ids(branded, "") == ["p1", "p2", "p3", "p4"]
    resp = branded.get("/api/posts")
    assert len(resp.json()["posts"]) == 4
