"""`analyze` names the part of brandhalo.toml whose change made it enrich posts again (a user
who edits one alias of a 10M-post workspace learns why the run takes minutes), and falls back
to the list of parts that could have when the posts were enriched before configs were kept."""

from __future__ import annotations

from pathlib import Path

import pytest


def _analyze(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    from brandhalo.cli import main

    assert main(["analyze", "--project", str(root)]) in (0, None)
    return " ".join(capsys.readouterr().out.split())


def _workspace(root: Path) -> None:
    from brandhalo.cli import main
    from brandhalo.ingest import ingest_records
    from brandhalo.workspace import Workspace

    main(["init", str(root)])
    with Workspace.open(root) as ws:
        ingest_records(ws, "posts", [
            {"id": f"p{i}", "text": f"小米SU7 第{i}条 刹车 问题", "created_at": "2025-03-01T10:00:00+08:00"}
            for i in range(3)
        ])  # fmt: skip


def test_the_note_names_the_changed_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "ws"
    _workspace(root)
    _analyze(root, capsys)
    toml = root / "brandhalo.toml"
    text = toml.read_text(encoding="utf-8")
    assert "timezone = " in text
    zone = next(line for line in text.splitlines() if line.startswith("timezone = "))
    toml.write_text(text.replace(zone, 'timezone = "Asia/Tokyo"'), encoding="utf-8")
    said = _analyze(root, capsys)
    assert "note: 3 posts enriched again: [workspace] timezone changed in brandhalo.toml" in said
    assert "[[brands]]" not in said  # only what changed is named


def test_posts_enriched_before_configs_were_kept_get_the_general_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from brandhalo.workspace import Workspace

    root = tmp_path / "ws"
    _workspace(root)
    _analyze(root, capsys)
    with Workspace.open(root) as ws, ws.store.transaction() as con:
        con.execute("DELETE FROM enrich_configs")  # as a workspace analyzed by an older version
    toml = root / "brandhalo.toml"
    text = toml.read_text(encoding="utf-8")
    zone = next(line for line in text.splitlines() if line.startswith("timezone = "))
    toml.write_text(text.replace(zone, 'timezone = "Asia/Tokyo"'), encoding="utf-8")
    said = _analyze(root, capsys)
    assert (
        "note: 3 posts enriched again: [[brands]], [[personas]], [[products]], the time zone"
        in said
    )
