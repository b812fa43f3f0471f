"""The dashboard's alerts page, filtered to a configured brand that no analyzed post names,
says so and what to do (as the report does), instead of only "no alerts"."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli_ws import analyzed_from_rows

from brandhalo.web.tokens import create_token
from brandhalo.workspace import Workspace


def test_the_alerts_page_of_a_brand_without_posts_says_so(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    rows = [f"p{i},小米汽车很好 {i},2025-04-{1 + i % 20:02d}T10:00:00+08:00" for i in range(40)]
    root = analyzed_from_rows(tmp_path, rows)
    with Workspace.open(root) as ws:
        read = create_token(ws, "read", name="r")[1]
    headers = {"accept": "text/html", "authorization": f"Bearer {read}"}
    with TestClient(create_app(root), raise_server_exceptions=False) as client:
        huawei = client.get("/alerts?brand=华为&lang=en", headers=headers)
        xiaomi = client.get("/alerts?brand=Xiaomi&lang=en", headers=headers)
    assert huawei.status_code == 200 and xiaomi.status_code == 200
    assert "Huawei has no posts: add the names posts use" in huawei.text
    assert "has no posts" not in xiaomi.text
