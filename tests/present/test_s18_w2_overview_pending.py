"""The overview says when stored posts are not analyzed yet.

Walk-through: during a crisis posts keep arriving (`brandhalo ingest`, the watcher's inbox,
POST /api/posts); until `brandhalo analyze` runs they are in no figure. The posts page said
"2 of 2,202 posts are not analyzed yet and are left out", the overview, showing the same
brand's figures, said nothing, so its numbers read as current. Its header now says it too.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def _posts(prefix: str, n: int) -> list[dict[str, str]]:
    return [
        {"id": f"{prefix}{i}", "text": f"小米 SU7 售后 {prefix} {i}",
         "created_at": f"2025-03-{1 + i % 20:02d}T10:00:00+08:00"}
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture
def client_ws(tmp_ws):
    from fastapi.testclient import TestClient

    from brandhalo import pipeline
    from brandhalo.ingest import ingest_records
    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    ingest_records(tmp_ws, "posts", _posts("a", 30))
    pipeline.analyze(tmp_ws)
    ingest_records(tmp_ws, "posts", _posts("late", 2))
    read = create_token(tmp_ws, "read", name="r")[1]
    root = tmp_ws.root
    tmp_ws.close()
    headers = {"authorization": f"Bearer {read}", "accept": "text/html"}
    with TestClient(create_app(root), headers=headers) as client:
        yield client


def _meta(html: str) -> str:
    start = html.index('<p class="meta">')
    return html[start : html.index("</p>", start)]


def test_overview_header_counts_posts_not_analyzed(client_ws) -> None:
    zh = client_ws.get("/?lang=zh")
    assert zh.status_code == 200
    assert "2 条帖子（共 32 条）尚未分析" in _meta(zh.text)
    en = client_ws.get("/?lang=en")
    assert "2 of 32 posts are not analyzed yet" in _meta(en.text)
    assert "run `brandhalo analyze`" in _meta(en.text)
