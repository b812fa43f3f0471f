"""A demo folder where the user also ingested posts of their own is not rebuilt over them.

Trying the product, a user ingests a crawl of their own into the demo workspace (it has the
brand model already). `brandhalo demo` on that folder again deleted the store, their posts
with it: the folder check only refused stores with no simulated post at all.
"""

from __future__ import annotations

from pathlib import Path

from test_s14_demo_folder import POST, _posts
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.demo.stream import MIN_POSTS
from brandhalo.ingest import ingest_records
from brandhalo.workspace import Workspace


def _demo(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["demo", "--dir", str(folder), "--posts", str(MIN_POSTS)])
    return result.exit_code, " ".join((result.output + str(result.exception or "")).split())


def test_demo_refuses_a_demo_that_holds_posts_of_the_users_own(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    code, out = _demo(root)
    assert code == 0, out
    simulated = _posts(root)
    with Workspace.open(root) as ws:
        ingest_records(ws, "posts", [POST])
    code, out = _demo(root)
    assert code != 0
    assert "holds a workspace with 1 post of its own (not simulated)" in out, out
    assert "pass --dir with a new or empty folder" in out
    assert _posts(root) == simulated + 1


def test_a_demo_without_own_posts_is_still_rebuilt(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert _demo(root)[0] == 0
    code, out = _demo(root)
    assert code == 0, out
