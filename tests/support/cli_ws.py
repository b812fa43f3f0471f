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


def analyzed_with_config(root: Path, toml: str, records: Sequence[dict]) -> Path:
    """A workspace at `root` with `toml` as its brandhalo.toml and `records` (post dicts)
    ingested, analyzed through the CLI's ``analyze``; its path."""
    from brandhalo.cli import main
    from brandhalo.ingest import ingest_records
    from brandhalo.workspace import Workspace, init_workspace

    init_workspace(root).close()
    (root / "brandhalo.toml").write_text(toml, encoding="utf-8")
    with Workspace.open(root) as ws:
        ingest_records(ws, "posts", list(records))
    main(["analyze", "--project", str(root)])  # returns on success (exits on failure)
    return root
