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


#: One brand (蒙牛) in UTC: the config of :func:`one_brand_workspace`.
ONE_BRAND_TOML = (
    '[workspace]\ntimezone = "UTC"\n\n[[brands]]\nname = "蒙牛"\naliases = ["蒙牛"]\nown = true\n'
)


def one_brand_workspace(root: Path, posts: int) -> Path:
    """A workspace of one brand (蒙牛, no products, personas or segments) with `posts` posts
    over May 2024, half praising it and half complaining; analyzed through the CLI."""
    records = [
        {"id": f"p{i}", "text": f"蒙牛的牛奶{'很好喝' if i % 2 else '太难喝了，包装漏奶'} 第{i}条",
         "author_name": f"u{i}", "created_at": f"2024-05-{1 + i % 28:02d}T10:00:00Z"}
        for i in range(posts)
    ]  # fmt: skip
    return analyzed_with_config(root, ONE_BRAND_TOML, records)
