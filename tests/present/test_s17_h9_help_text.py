"""`brandhalo --help` lists each command with a one-line summary, and a command's own --help
does not break its text mid-sentence in an 80-column terminal (s17 H9: the `alerts` summary
read "... the episodes the report," then "the dashboard and ..." on the next line). Typer keeps
the line breaks of a docstring's paragraphs, so the first paragraph is one line and the lines
of the others fit 80 columns."""

from __future__ import annotations

import inspect

import pytest
import typer
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.cli._common import command_tree

#: The commands of the files this test covers (cli/signals.py, cli/text.py, cli/present.py).
COMMANDS = ["alerts", "metrics", "campaigns", "export posts", "query", "report", "serve"]


def _help(name: str) -> str:
    commands = dict(command_tree(typer.main.get_command(app)))
    return inspect.cleandoc(commands[name].help or "")


@pytest.mark.parametrize("name", COMMANDS)
def test_the_summary_is_one_line_and_the_rest_fits_80_columns(name: str) -> None:
    summary, *rest = _help(name).split("\n\n")
    assert "\n" not in summary, summary
    assert all(len(line) <= 78 for p in rest for line in p.splitlines()), rest


def test_the_alerts_summary_reads_as_one_sentence() -> None:
    got = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"})
    assert got.exit_code == 0
    row = [line for line in got.output.splitlines() if "│ alerts " in line]
    assert row and "List spike alerts, one per episode, with what drove them." in row[0]
