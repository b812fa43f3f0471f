"""``metrics event_study`` shows why an event could not be studied in the table itself
(walk-through s20 w2: three events said only ``not_studied``; the reason, "not enough history
before the event ... ingest older posts", was one of the columns named for ``--wide``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.cells import cell_len
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.ingest import ingest_files
from brandhalo.workspace import Workspace


def _table(root: Path) -> str:
    got = CliRunner().invoke(
        app,
        ["metrics", "event_study", "--project", str(root)],
        env={"COLUMNS": "80", "NO_COLOR": "1"},
    )
    assert got.exit_code == 0, got.output
    return got.stdout


def test_a_not_studied_event_says_why_in_the_table(tmp_ws: Workspace, tmp_path: Path) -> None:
    start = dt.date(2026, 11, 20)
    posts = tmp_path / "posts.csv"
    rows = [
        f"p{d}-{i},小米SU7 第{d}天第{i}条 {'很好' if i % 2 else '一般'},"
        f"{start + dt.timedelta(days=d)} 10:00"
        for d in range(10)
        for i in range(5)
    ]
    posts.write_text("post_id,text,created_at\n" + "\n".join(rows) + "\n", encoding="utf-8")
    events = tmp_path / "events.csv"
    events.write_text("date,brand,title\n2026-11-23,Xiaomi,发布会\n", encoding="utf-8")
    ingest_files(tmp_ws, "posts", [posts])
    ingest_files(tmp_ws, "events", [events])
    root = tmp_ws.root
    tmp_ws.close()
    assert CliRunner().invoke(app, ["analyze", "--project", str(root)]).exit_code == 0
    out = _table(root)
    flat = " ".join(line.strip("│┃ ") for line in out.splitlines())
    assert "not_studied" in out
    assert "not enough history" in flat and "ingest older" in flat, out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
