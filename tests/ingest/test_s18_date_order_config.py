"""``[workspace] date_order`` is the default order of dates like 05/06/2025 for every ingest of
the workspace (the CLI, the folder watcher); ``--date-order`` still overrides it, and a value
other than mdy/dmy is refused when the config is read."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from brandhalo.workspace import Workspace, init_workspace

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BRANDHALO, *args], capture_output=True, text=True, timeout=120)


def _workspace(tmp_path: Path, order: str) -> Path:
    root = init_workspace(tmp_path / "ws")
    path = root.root / "brandhalo.toml"
    root.close()
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("[workspace]\n", f'[workspace]\ndate_order = "{order}"\n', 1),
        encoding="utf-8",
    )
    return path.parent


def _stored(root: Path) -> dict[str, dt.datetime]:
    with Workspace.open(root) as ws:
        rows = ws.store.con.execute("SELECT text, created_at FROM posts").fetchall()
    return dict(rows)


def test_the_workspace_date_order_reads_day_first_dates_without_the_option(
    tmp_path: Path,
) -> None:
    root = _workspace(tmp_path, "dmy")
    csv = tmp_path / "t.csv"
    csv.write_text("Date,Text\n03/04/2026 10:00,a\n05/06/2026 11:00,b\n", encoding="utf-8")
    out = _cli("ingest", "posts", str(csv), "--project", str(root), "--timezone", "UTC")
    assert out.returncode == 0, out.stderr
    at = _stored(root)
    # day first: 3 April and 5 June (the column alone proves nothing: no field above 12)
    assert at == {"a": dt.datetime(2026, 4, 3, 10, 0), "b": dt.datetime(2026, 6, 5, 11, 0)}


def test_the_option_overrides_the_workspace_date_order(tmp_path: Path) -> None:
    root = _workspace(tmp_path, "dmy")
    csv = tmp_path / "t.csv"
    csv.write_text("Date,Text\n03/04/2026 10:00,a\n", encoding="utf-8")
    args = ("--project", str(root), "--timezone", "UTC", "--date-order", "mdy")
    out = _cli("ingest", "posts", str(csv), *args)
    assert out.returncode == 0, out.stderr
    assert _stored(root) == {"a": dt.datetime(2026, 3, 4, 10, 0)}


def test_a_date_order_other_than_mdy_or_dmy_is_refused_naming_the_key(tmp_path: Path) -> None:
    root = _workspace(tmp_path, "ymd")
    csv = tmp_path / "t.csv"
    csv.write_text("Date,Text\n2026-03-04 10:00,a\n", encoding="utf-8")
    out = _cli("ingest", "posts", str(csv), "--project", str(root))
    assert out.returncode != 0
    assert "date_order" in out.stderr and "ymd" in out.stderr
