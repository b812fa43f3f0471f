"""A workspace for the labelling page's tests: launch posts, none labelled, and two tokens."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sentiment"))
from domain_helpers import domain_rows  # noqa: E402


def label_workspace(root: Path, posts: int, seed: int) -> tuple[str, str]:
    """Create a workspace at `root` with `posts` simulated launch posts (none labelled); its
    (read, admin) tokens."""
    from brandhalo.ingest import ingest_records
    from brandhalo.web.tokens import create_token
    from brandhalo.workspace import init_workspace

    with init_workspace(root) as ws:
        records = [
            {"id": f"p{i}", "text": t, "created_at": "2026-03-01T10:00:00+08:00"}
            for i, (t, _) in enumerate(domain_rows(posts, seed=seed))
        ]
        ingest_records(ws, "posts", records)
        read = create_token(ws, "read", name="r")[1]
        admin = create_token(ws, "admin", name="a")[1]
    return read, admin
