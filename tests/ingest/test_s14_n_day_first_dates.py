"""Year-last dates (21/05/2025, 21.05.2025 14:30): read in the order the file's column proves,
never guessed; an ambiguous 05/06/2025 with no proof is quarantined with a reason that says how
to write it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from brandhalo.ingest import ingest_files
from brandhalo.ingest.validate import REASONS
from brandhalo.workspace import Workspace


def _load(ws: Workspace, tmp_path: Path, name: str, values: list[str]) -> tuple[object, list]:
    path = tmp_path / f"{name}.csv"
    lines = ["id,text,created_at"] + [f"{name}{i},t{i},{v}" for i, v in enumerate(values)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest_files(ws, "posts", [path])
    rows = ws.store.con.execute(
        "SELECT post_id, created_at FROM posts WHERE post_id LIKE ? ORDER BY post_id", [f"{name}%"]
    ).fetchall()
    return report, rows


def test_a_column_that_proves_day_first_is_read_day_first_with_a_note(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    report, rows = _load(
        tmp_ws, tmp_path, "a", ["21/05/2025", "05/06/2025 14:30", "21.05.2025 09:15"]
    )
    assert report.totals["quarantined"] == 0
    # Asia/Shanghai (UTC+8): midnight local is 16:00 UTC the day before
    assert [r[1] for r in rows] == [
        dt.datetime(2025, 5, 20, 16, 0),
        dt.datetime(2025, 6, 5, 6, 30),  # 5 June, read day first as the column proves
        dt.datetime(2025, 5, 21, 1, 15),
    ]
    notes = " ".join(report.files[0].notes)
    assert "day first" in notes and "created_at" in notes


def test_an_ambiguous_date_nothing_proves_is_quarantined_with_the_iso_fix(
    tmp_ws: Workspace, tmp_path: Path
) -> None:
    report, rows = _load(tmp_ws, tmp_path, "b", ["05/06/2025", "07/07/2025", "2025-05-01"])
    assert report.totals["quarantined"] == 1 and len(rows) == 2
    reason = tmp_ws.store.con.execute("SELECT reason FROM quarantine").fetchall()[0][0]
    assert reason == REASONS["ambiguous_date"] and "2025-06-05" in reason


def test_a_month_first_column_is_read_month_first(tmp_ws: Workspace, tmp_path: Path) -> None:
    report, rows = _load(tmp_ws, tmp_path, "c", ["05/21/2025", "05/06/2025"])
    assert report.totals["quarantined"] == 0
    assert [r[1].date() for r in rows] == [dt.date(2025, 5, 20), dt.date(2025, 5, 5)]
    assert "month first" in " ".join(report.files[0].notes)
