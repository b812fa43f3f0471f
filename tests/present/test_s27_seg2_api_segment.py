"""``/api/metrics/{name}?segment=`` narrows a metric to one buyer segment, as ``metrics
--segment`` does (s27 seg2): by id or display name; an unknown one is a 400 listing the
workspace's. Needs the s27 seg2 request patch to web/api.py and web/data.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.signals.test_s27_seg2_segment_filters import workspace  # noqa: F401 (fixture)

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def client(workspace: Path) -> Iterator[tuple[Any, dict[str, str]]]:  # noqa: F811
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    with Workspace.open(workspace) as ws:
        read = create_token(ws, "read", name="r")[1]
    with TestClient(create_app(workspace), raise_server_exceptions=False) as c:
        yield c, {"authorization": f"Bearer {read}"}


@pytest.mark.parametrize("asked", ["premium", "高端用户", "Premium Users"])
def test_api_metric_of_one_segment(client: tuple[Any, dict[str, str]], asked: str) -> None:
    c, auth = client
    got = c.get("/api/metrics/touchpoint_balance",
                params={"brand": "曜岚", "segment": asked}, headers=auth)  # fmt: skip
    assert got.status_code == 200, got.text
    rows = {r["touchpoint"]: (r["posts"], r["negative"]) for r in got.json()["rows"]}
    assert rows == {"service": (20, 20), "product": (16, 0)}
    assert got.json()["params"]["segment"] == "premium"


def test_api_segment_perception_of_a_theme(client: tuple[Any, dict[str, str]]) -> None:
    c, auth = client
    got = c.get("/api/metrics/segment_perception",
                params={"brand": "曜岚", "theme": "交付"}, headers=auth)  # fmt: skip
    assert got.status_code == 200, got.text
    rows = {r["segment"]: (r["posts"], r["ns"]) for r in got.json()["rows"]}
    assert rows == {"premium": (20, -100.0), "mass": (18, 100.0)}


def test_api_unknown_segment_lists_the_workspaces(client: tuple[Any, dict[str, str]]) -> None:
    c, auth = client
    got = c.get("/api/metrics/net_sentiment", params={"segment": "students"}, headers=auth)
    assert got.status_code == 400, got.text
    message = got.json()["error"]["message"]
    assert "unknown segment 'students'" in message and "premium (高端用户)" in message
