"""After an upgrade that reads posts differently, `analyze` re-enriches them and says it may be
the upgrade, not only a change in brandhalo.toml (the user had changed nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_the_re_enrich_note_names_an_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from brandhalo.cli import main
    from brandhalo.ingest import ingest_records
    from brandhalo.text import enrich
    from brandhalo.workspace import Workspace

    root = tmp_path / "ws"
    main(["init", str(root)])
    with Workspace.open(root) as ws:
        ingest_records(ws, "posts", [
            {"id": f"p{i}", "text": f"小米SU7 第{i}条 刹车 问题", "created_at": "2025-03-01T10:00:00+08:00"}
            for i in range(3)
        ])  # fmt: skip
    main(["analyze", "--project", str(root)])
    capsys.readouterr()
    monkeypatch.setattr(enrich, "ENRICH_VERSION", enrich.ENRICH_VERSION + 1)
    main(["analyze", "--project", str(root)])
    said = " ".join(capsys.readouterr().out.split())
    # nothing in brandhalo.toml changed: the note names the upgrade alone
    assert (
        "note: 3 posts enriched again: this brandhalo version reads posts differently (an "
        "upgrade)" in said
    )
    assert "changed in brandhalo.toml" not in said
