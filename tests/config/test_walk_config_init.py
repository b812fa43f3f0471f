"""`brandhalo init` where a user points it: an existing workspace, a non-empty folder, a file,
a folder that cannot be made, a path with spaces and Chinese characters."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from config_helpers import run_cli

from brandhalo.config import load_config
from brandhalo.workspace import template_text


def test_init_in_a_folder_with_spaces_and_chinese_prints_a_pasteable_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "咖啡 品牌 ws"
    code, out, err = run_cli(capsys, "init", str(folder))
    assert code == 0 and not err
    assert f"--project {shlex.quote(str(folder))}" in out  # one shell argument
    assert f"  edit {folder / 'brandhalo.toml'} (brands" in out  # not wrapped mid-path
    assert load_config(folder).own_brand.name == "Xiaomi"


def test_init_keeps_the_other_files_of_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert run_cli(capsys, "init", str(tmp_path))[0] == 0
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_init_on_a_file_says_so_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("text\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "init", str(path))
    assert code == 1 and "Traceback" not in err
    assert f"{path} is a file, not a folder" in " ".join(err.split())


def test_init_where_no_folder_can_be_made_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    code, _, err = run_cli(capsys, "init", str(blocker / "ws"))  # a file where a folder must be
    assert code == 1 and "Traceback" not in err
    assert "cannot create the workspace in" in " ".join(err.split())


def test_init_twice_refuses_and_force_keeps_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(capsys, "init", str(tmp_path))
    mine = template_text().replace('name = "My brand"', 'name = "瑞幸 watch"')
    (tmp_path / "brandhalo.toml").write_text(mine, encoding="utf-8")
    code, _, err = run_cli(capsys, "init", str(tmp_path))
    said = " ".join(err.split())
    assert code == 1 and said.count(str(tmp_path)) == 1, said  # the path once, not twice
    assert "already exists; edit it, or pass --force" in said
    code, out, _ = run_cli(capsys, "init", str(tmp_path), "--force", "--json")
    assert code == 0 and json.loads(out)["backup"] == str(tmp_path / "brandhalo.toml.bak")
    assert (tmp_path / "brandhalo.toml.bak").read_text(encoding="utf-8") == mine
    assert (tmp_path / "brandhalo.toml").read_text(encoding="utf-8") == template_text()


def test_init_help_names_force_and_the_backup(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "init", "--help")
    assert code == 0 and "--force" in out and "brandhalo.toml.bak" in " ".join(out.split())
