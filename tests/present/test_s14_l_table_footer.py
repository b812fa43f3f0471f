"""A table's footer counts in the singular for one: ``1 more column: revoked_at`` (``brandhalo
token list`` at a narrow terminal), ``... 1 more row``; plural otherwise."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.cli._common import print_frame


def test_token_list_names_one_hidden_column_in_the_singular(tmp_ws) -> None:
    from brandhalo.web.tokens import create_token

    create_token(tmp_ws, "read", name="PR team laptop")
    got = CliRunner().invoke(
        app, ["token", "list", "--project", str(tmp_ws.root)], env={"COLUMNS": "90"}
    )
    assert got.exit_code == 0, got.output
    assert "1 more column: revoked_at (--wide or --json)" in got.output, got.output


def test_footers_say_one_row_and_many_columns(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    frame = pd.DataFrame({c: ["x" * 12, "y" * 12] for c in ("a", "b", "c", "d")})
    print_frame(frame, max_rows=1)
    out = capsys.readouterr().out
    assert "2 more columns: c, d" in out and "... 1 more row (use --json for all)" in out, out
