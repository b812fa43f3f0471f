"""``lang:`` on the posts page reads the language analysis stored, as ``brandhalo query`` does.

Walk-through: on 60 analyzed posts ``brandhalo query "lang:zh"`` said 38 match and the posts
page (its new count, its download) said 30: the page detected the language again on the fly,
and that disagrees with analysis for posts like "小米SU7 刹车 问题" (marked zh, each shown with
``lang: zh``). The page now reads the stored language, and detects it only for posts not
analyzed yet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_s18_w4_posts_export import _records


def _workspace(root: Path, *, late: bool) -> str:
    """Analyzed posts, p002 stored as English whatever its text (what analysis said of it);
    with `late`, one more post not analyzed yet. Its read token."""
    from brandhalo import pipeline
    from brandhalo.ingest import ingest_records
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import init_workspace

    with init_workspace(root) as ws:
        ingest_records(ws, "posts", _records(24))
        pipeline.analyze(ws)
        with ws.store.transaction() as con:
            con.execute("UPDATE enriched SET lang = 'en' WHERE post_id = 'p002'")
        if late:
            text = "Xiaomi brake failure, not analyzed yet"
            row = {"id": "late", "text": text, "created_at": "2025-05-03T09:00:00+08:00"}
            ingest_records(ws, "posts", [row])
        return create_token(ws, "read", name="viewer")[1]


def _api(root: Path, read: str, q: str) -> tuple[set[str], int]:
    """The post ids /api/posts finds for `q`, and /api/posts/count's count."""
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    with TestClient(create_app(root), headers={"authorization": f"Bearer {read}"}) as c:
        page = c.get("/api/posts", params={"q": q, "page_size": 200}).json()["posts"]
        count = c.get("/api/posts/count", params={"q": q}).json()["matched"]
    return {p["post_id"] for p in page}, count


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("w4_lang") / "ws"
    return root, _workspace(root, late=False)


@pytest.mark.parametrize("q", ["lang:en", "lang:zh", "NOT lang:zh", "lang:en AND 华为"])
def test_lang_queries_agree_with_brandhalo_query(site, q: str) -> None:
    from brandhalo.text.preview import preview_query
    from brandhalo.workspace import Workspace

    root, read = site
    with Workspace.open(root, read_only=True) as ws:
        cli = preview_query(ws, q, limit=100)
    want = {ex["post_id"] for ex in cli.examples}
    found, count = _api(root, read, q)
    assert found == want
    assert count == cli.matched == len(want)
    if q == "lang:en":
        assert "p002" in want


def test_posts_not_analyzed_yet_are_detected(tmp_path: Path) -> None:
    read = _workspace(tmp_path / "ws", late=True)
    found, count = _api(tmp_path / "ws", read, "lang:en")
    assert {"p002", "late"} <= found  # stored en; detected en (not analyzed yet)
    assert count == len(found)
