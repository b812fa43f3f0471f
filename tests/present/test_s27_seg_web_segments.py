"""The dashboard's and API's segment filter offers and takes a workspace's own segments
(s27 seg): ``/api/posts?segment=gamers`` (or its display name ``游戏党``) keeps the gamers'
posts, the posts page lists 游戏党 among its segments and filters by it, an unknown segment
is a 422 listing the workspace's; the scorecard's "no premium rule" note reads in Chinese.
Needs the s27 seg request patches to web/api.py, web/search.py, web/pages.py and
report/method_notes.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.present.test_s27_seg_custom_segments import GAMERS, MASS, PREMIUM, gamers_workspace

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, str]]]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import Workspace

    root = gamers_workspace(tmp_path_factory.mktemp("segweb") / "ws")
    with Workspace.open(root) as ws:
        read = create_token(ws, "read", name="r")[1]
    with TestClient(create_app(Path(root)), raise_server_exceptions=False) as c:
        yield c, {"authorization": f"Bearer {read}"}


@pytest.mark.parametrize(
    ("asked", "segment", "posts"),
    [("gamers", "gamers", len(GAMERS)), ("游戏党", "gamers", len(GAMERS)),
     ("Game Players", "gamers", len(GAMERS)), ("mass", "mass", len(MASS)),
     ("premium", "premium", len(PREMIUM))],
)  # fmt: skip
def test_api_filters_by_the_workspace_segments(
    client, asked: str, segment: str, posts: int
) -> None:
    c, auth = client
    count = c.get("/api/posts/count", params={"segment": asked}, headers=auth)
    assert count.status_code == 200, count.text
    assert count.json()["matched"] == posts
    rows = c.get("/api/posts", params={"segment": asked}, headers=auth).json()["posts"]
    assert rows and {r["segment"] for r in rows} == {segment}


def test_api_names_the_workspace_segments_for_an_unknown_one(client) -> None:
    c, auth = client
    for path in ("/api/posts", "/api/posts/count"):
        answer = c.get(path, params={"segment": "students"}, headers=auth)
        assert answer.status_code == 422, answer.text
        message = answer.json()["error"]["message"]
        assert "'segment'" in message and "enthusiast, mass, premium, gamers" in message


def test_posts_page_offers_and_filters_by_gamers(client) -> None:
    c, auth = client
    page = c.get("/posts", params={"segment": "gamers"}, headers=auth).text
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', page)
    segments = [(v, t) for v, _, t in options if v in ("gamers", "mass", "premium", "enthusiast")]
    assert segments == [("enthusiast", "发烧友"), ("mass", "大众用户"), ("premium", "高端用户"),
                        ("gamers", "游戏党")]  # fmt: skip
    assert ("gamers", " selected", "游戏党") in options
    assert "打游戏" in page and "BBA" not in page and "打工人" not in page


def test_scorecard_no_premium_rule_note_reads_in_chinese() -> None:
    from brandhalo.report.method_notes import translate_notes

    note = ("小米: premium_ns, premium_sov_vs_parity and premium_product_ns left out: no "
            "premium-segment posts in the window (no [[segments]] rule is named premium)")  # fmt: skip
    zh = translate_notes(note)
    assert zh == ["小米：高端人群净情感、声量份额与产品净情感未计入：窗口内没有高端人群帖子"
                  "（[[segments]] 中没有 premium 规则）"]  # fmt: skip
