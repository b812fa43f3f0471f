"""A default workspace built as a user builds it: `brandhalo init`, a posts CSV
(``id,text,created_at`` rows), `brandhalo ingest posts` and `brandhalo analyze` through the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from typer.testing import CliRunner


def analyzed_from_rows(root: Path, rows: Sequence[str]) -> Path:
    """`root`/ws analyzed from `rows` (CSV lines ``id,text,created_at``); its path."""
    from brandhalo.cli import app
    from brandhalo.workspace import init_workspace

    init_workspace(root / "ws").close()
    csv = root / "posts.csv"
    csv.write_text("id,text,created_at\n" + "\n".join(rows) + "\n", encoding="utf-8")
    args = ["--project", str(root / "ws")]
    for cmd in (["ingest", "posts", str(csv)], ["analyze"]):
        got = CliRunner().invoke(app, [*cmd, *args], env={"COLUMNS": "200"})
        assert got.exit_code == 0, got.output
    return root / "ws"
