"""Every command's --help reads whole sentences in an 80-column terminal (s17 H14, after H9's
test of some commands): Typer keeps the line breaks of a docstring's later paragraphs, so a
docstring line longer than the terminal was wrapped by the terminal and left a stub ("warns
about" alone, "... with `brandhalo label" then "--read SHEET`" in `check` and `label`). The
summary is one line (Typer joins it and the terminal wraps it); each later line fits."""

from __future__ import annotations

import inspect

import pytest
import typer
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.cli._common import command_tree

COMMANDS = [name for name, _ in command_tree(typer.main.get_command(app))]


def _paragraphs(name: str) -> list[str]:
    commands = dict(command_tree(typer.main.get_command(app)))
    help_text = inspect.cleandoc(commands[name].help or "").partition("\f")[0]
    return help_text.split("\n\n")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_help_line_is_printed_whole_at_80_columns(name: str) -> None:
    summary, *rest = _paragraphs(name)
    assert "\n" not in summary, summary
    got = CliRunner().invoke(app, [*name.split(), "--help"], env={"COLUMNS": "80"})
    assert got.exit_code == 0, got.output
    shown = {line.strip() for line in got.output.splitlines()}
    cut = [line for p in rest for line in p.splitlines() if line.strip() not in shown]
    assert not cut, f"{name} --help breaks these lines at 80 columns: {cut}"
