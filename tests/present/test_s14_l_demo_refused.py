"""A demo refused for its options writes nothing: ``brandhalo demo --dir d --posts 300`` says
which option is wrong and leaves no ``d/data/`` behind, so the next run with a good size is not
refused because "d holds other files"; a folder holding only such an empty ``data/`` (left by
an earlier version) is taken as empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandhalo.cli import app


def test_a_too_small_demo_names_the_option_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    got = CliRunner().invoke(app, ["demo", "--dir", str(folder), "--posts", "300"])
    said = got.output + str(got.exception or "")
    assert got.exit_code == 1
    assert "--posts 300 is too small" in said and "at least 2,000 posts" in said
    assert not folder.exists()


def test_simulate_refuses_before_making_its_folder(tmp_path: Path) -> None:
    from brandhalo.demo import simulate
    from brandhalo.errors import InputError

    with pytest.raises(InputError, match="at least 2000 posts"):
        simulate(tmp_path / "sim", posts=10)
    assert not (tmp_path / "sim").exists()


def test_an_empty_data_folder_left_behind_is_no_obstacle(tmp_path: Path) -> None:
    from brandhalo.demo import check_demo_folder
    from brandhalo.errors import InputError

    (tmp_path / "d" / "data").mkdir(parents=True)
    check_demo_folder(tmp_path / "d")  # no error: nothing there to lose
    (tmp_path / "d" / "data" / "mine.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(InputError, match="holds other files"):
        check_demo_folder(tmp_path / "d")
