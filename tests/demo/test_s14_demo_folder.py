"""`brandhalo demo --dir FOLDER` never destroys what is already there: a workspace of the
user's own (its store and brandhalo.toml), a file, or a folder of other files is refused with
a message naming the folder and what to do; an earlier demo is rebuilt as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.demo.brandmodel import config_text
from brandhalo.ingest import ingest_records
from brandhalo.workspace import Workspace, init_workspace

POST = {"id": "own-1", "text": "小米SU7 刹车 问题", "created_at": "2025-03-30 10:00:00"}


def _demo(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["demo", "--dir", str(folder), "--posts", "500"])
    return result.exit_code, " ".join((result.output + str(result.exception or "")).split())


def _own_workspace(root: Path, config: str | None = None) -> None:
    """A workspace holding one post the user ingested."""
    ws = init_workspace(root, config_text=config)
    try:
        ingest_records(ws, "posts", [POST])
    finally:
        ws.close()


def _posts(root: Path) -> int:
    with Workspace.open(root, read_only=True) as ws:
        return ws.store.count("posts")


@pytest.mark.parametrize("config", [None, config_text()], ids=["own-config", "demo-config"])
def test_demo_refuses_a_workspace_with_the_users_own_posts(tmp_path: Path, config) -> None:
    """Own posts in a workspace of the template config, or of a copy of the demo's config:
    the demo would delete the store (it did, silently: 1,580 posts replaced by simulated ones)."""
    root = tmp_path / "mine"
    _own_workspace(root, config)
    before = (root / "brandhalo.toml").read_text(encoding="utf-8")
    code, out = _demo(root)
    assert code != 0
    assert f"{root} holds a" in out and "would" in out and "delete its store" in out
    assert "pass --dir with a new or empty folder" in out
    assert _posts(root) == 1
    assert (root / "brandhalo.toml").read_text(encoding="utf-8") == before
    assert not (root / "data").exists()


def test_demo_refuses_a_file_and_a_folder_of_other_files(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    code, out = _demo(notes)
    assert code != 0 and f"{notes} is a file, not a folder" in out
    code, out = _demo(tmp_path)
    assert code != 0 and "holds other files" in out and "notes.txt" in out
    assert notes.read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "brandhalo.toml").exists()


def test_a_new_empty_or_interrupted_demo_folder_is_accepted(tmp_path: Path) -> None:
    """Nothing to lose: a missing or empty folder, or one where a demo stopped while
    simulating (only its data/ with the demo's brandhalo.toml)."""
    from brandhalo.demo import check_demo_folder

    check_demo_folder(tmp_path / "new")
    check_demo_folder(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "brandhalo.toml").write_text(config_text(), encoding="utf-8")
    check_demo_folder(tmp_path)
