"""GET /api/posts (and /api/posts/count) filter by product, segment, sentiment label and star
rating besides the dates, brand and origin; a bad value is a clear 422 (an unknown product a
404, as an unknown brand is); each post row carries its star rating and segment. A real
server on a loopback port answers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

#: post id -> (rating, product named or None, segment, label)
POSTS = {
    "r1": (1.0, "SU7", "mass", 1),
    "r2": (2.0, "SU7", "premium", -1),
    "r3": (4.5, "Xiaomi 15 Ultra", "premium", 1),
    "r4": (5.0, None, "enthusiast", 0),
    "r5": (None, "SU7", "mass", -1),
}


@dataclass
class Api:
    base: str
    read: str

    def get(self, path: str, **params: str) -> httpx.Response:
        headers = {"authorization": f"Bearer {self.read}"}
        return httpx.get(self.base + path, params=params, headers=headers, timeout=120)

    def ids(self, **params: str) -> list[str]:
        answer = self.get("/api/posts", **params)
        assert answer.status_code == 200, answer.text
        return sorted(p["post_id"] for p in answer.json()["posts"])


@pytest.fixture
def api(tmp_ws) -> Iterator[Api]:
    from browser_harness import live_server

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    with tmp_ws.store.transaction() as con:
        for i, (pid, (rating, product, segment, label)) in enumerate(POSTS.items()):
            con.execute(
                "INSERT INTO posts (post_id, source, author_id, text, created_at, rating) "
                "VALUES (?, 'jd', 'a', 'review text', ?, ?)",
                [pid, f"2025-03-30 0{i}:00:00", rating],
            )
            con.execute(
                "INSERT INTO enriched (post_id, day, hour, segment, label, score) "
                "VALUES (?, DATE '2025-03-30', TIMESTAMP '2025-03-30 08:00:00', ?, ?, 0.0)",
                [pid, segment, label],
            )
            if product:
                con.execute(
                    "INSERT INTO post_targets (post_id, target_type, target, brand, label, "
                    "score) VALUES (?, 'product', ?, 'Xiaomi', 0, 0.0)",
                    [pid, product],
                )
    read = create_token(tmp_ws, "read", name="r")[1]
    with live_server(create_app(tmp_ws.root)) as base:
        yield Api(base, read)


def test_rows_carry_rating_and_segment(api: Api) -> None:
    answer = api.get("/api/posts")
    assert answer.status_code == 200, answer.text
    rows = {p["post_id"]: p for p in answer.json()["posts"]}
    assert {k: (v["rating"], v["segment"]) for k, v in rows.items()} == {
        k: (rating, segment) for k, (rating, _, segment, _) in POSTS.items()
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"product": "SU7"}, ["r1", "r2", "r5"]),
        ({"product": "小米15 Ultra"}, ["r3"]),  # an alias, as brand= takes one
        ({"product": "su7"}, ["r1", "r2", "r5"]),
        ({"segment": "premium"}, ["r2", "r3"]),
        ({"label": "negative"}, ["r2", "r5"]),
        ({"label": "neutral"}, ["r4"]),
        ({"rating_max": "2"}, ["r1", "r2"]),  # unrated r5 is left out
        ({"rating_min": "4"}, ["r3", "r4"]),
        ({"rating_min": "2", "rating_max": "4.5"}, ["r2", "r3"]),
        ({"product": "SU7", "label": "positive", "rating_max": "2"}, ["r1"]),
        ({"brand": "Xiaomi", "segment": "mass"}, ["r1", "r5"]),
    ],
)
def test_filters_keep_what_they_name(api: Api, params: dict[str, str], expected: list[str]):
    assert api.ids(**params) == expected
    count = api.get("/api/posts/count", **params)
    assert count.status_code == 200, count.text
    assert count.json()["matched"] == len(expected)


@pytest.mark.parametrize(
    ("params", "name", "words"),
    [
        ({"segment": "vip"}, "segment", ["enthusiast", "mass", "premium"]),
        ({"label": "angry"}, "label", ["negative", "neutral", "positive"]),
        ({"rating_min": "-1"}, "rating_min", ["0"]),
        ({"rating_max": "five"}, "rating_max", ["number"]),
        ({"rating_min": "4", "rating_max": "2"}, "rating_min", ["rating_max", "swap"]),
    ],
)
def test_bad_values_are_a_clear_422(api: Api, params, name, words) -> None:
    for path in ("/api/posts", "/api/posts/count"):
        answer = api.get(path, **params)
        assert answer.status_code == 422, answer.text
        error = answer.json()["error"]
        assert error["code"] == "invalid_request"
        assert f"'{name}'" in error["message"], error["message"]
        for word in words:
            assert word in error["message"], error["message"]


def test_unknown_product_is_a_404_naming_the_products(api: Api) -> None:
    answer = api.get("/api/posts", product="iPhone 16")
    assert answer.status_code == 404, answer.text
    message = answer.json()["error"]["message"]
    assert "iPhone 16" in message and "SU7" in message and "[[products]]" in message
