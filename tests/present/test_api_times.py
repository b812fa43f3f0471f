"""Machine times the API and the token commands give are ISO 8601 in the workspace zone with its
offset, as the CLI's ``--json`` and ``export`` write them (docs/cli.md)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.workspace import Workspace, init_workspace, template_text

ZONE = "America/New_York"
#: post id -> stored UTC time, and what the API gives (winter EST -05:00, summer EDT -04:00)
POSTS = {
    "w": ("2025-01-15 17:00:00", "2025-01-15T12:00:00-05:00"),
    "s": ("2025-05-19 21:18:00", "2025-05-19T17:18:00-04:00"),
}


@pytest.fixture
def ny_ws(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace in New York with two posts, one either side of daylight saving."""
    config = template_text().replace("Asia/Shanghai", ZONE)
    ws = init_workspace(tmp_path / "ny", config_text=config)
    assert ws.timezone == ZONE
    with ws.store.transaction() as con:
        con.executemany(
            "INSERT INTO posts (post_id, source, author_id, text, created_at) "
            "VALUES (?, 'web', 'a', 'text', ?)",
            [(p, utc) for p, (utc, _) in POSTS.items()],
        )
    yield ws
    ws.close()


@pytest.fixture
def client(ny_ws: Workspace) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app
    from brandhalo.web.tokens import create_token

    read = create_token(ny_ws, "read", name="r")[1]
    headers = {"authorization": f"Bearer {read}"}
    with TestClient(create_app(ny_ws.root), headers=headers) as c:
        yield c


def test_post_times_are_in_the_workspace_zone_with_its_offset(client) -> None:
    posts = client.get("/api/posts").json()["posts"]
    got = {p["post_id"]: p["created_at"] for p in posts}
    assert got == {p: shown for p, (_, shown) in POSTS.items()}
    for p, (utc, _) in POSTS.items():  # the same instant as stored
        instant = dt.datetime.fromisoformat(got[p]).astimezone(dt.UTC).replace(tzinfo=None)
        assert instant == dt.datetime.fromisoformat(utc)


def test_overview_generated_at_carries_the_offset(client) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    model = client.get("/api/overview").json()
    stamp = dt.datetime.fromisoformat(model["generated_at"])
    assert model["timezone"] == ZONE and stamp.utcoffset() is not None
    assert stamp.utcoffset() == stamp.astimezone(_zone()).utcoffset()
    assert before <= stamp <= dt.datetime.now(dt.UTC)


def test_token_create_and_revoke_json_times_match_token_list(ny_ws: Workspace) -> None:
    root = str(ny_ws.root)
    ny_ws.close()
    made = _run("token", "create", "--role", "read", "--name", "t", "-p", root, "--json")
    [listed] = _run("token", "list", "-p", root, "--json")
    assert made["created_at"] == listed["created_at"]
    created = dt.datetime.fromisoformat(made["created_at"])
    assert created.utcoffset() == created.astimezone(_zone()).utcoffset()
    revoked = _run("token", "revoke", "t", "-p", root, "--json")
    assert revoked["created_at"] == made["created_at"]
    gone = dt.datetime.fromisoformat(revoked["revoked_at"])
    assert gone.utcoffset() == created.utcoffset() and gone >= created


def _zone() -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(ZONE)


def _run(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)
