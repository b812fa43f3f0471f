"""scripts/table_map.py: the table of docs/architecture.md (who writes and reads each table)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "table_map.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("table_map", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _package(root: Path) -> Path:
    """A tiny package: two tables, a writer, a reader, a formatted-name writer, a deleter."""
    pkg = root / "brandhalo"
    (pkg / "store" / "migrations").mkdir(parents=True)
    (pkg / "store" / "migrations" / "0001.sql").write_text(
        "CREATE TABLE IF NOT EXISTS posts (id INT);\nCREATE TABLE alerts (id INT);\n"
        "CREATE TABLE posts_0005 (id INT);\n"
    )
    (pkg / "ingest").mkdir()
    (pkg / "ingest" / "__init__.py").write_text('SQL = "INSERT INTO posts SELECT * FROM _staged"\n')
    (pkg / "web").mkdir()
    (pkg / "web" / "search.py").write_text(
        'Q = "SELECT p.id FROM posts p JOIN alerts a ON a.id = p.id"\n'
    )
    (pkg / "engines").mkdir()
    (pkg / "engines" / "load.py").write_text(
        'for t in ("alerts",):\n    con.execute(f"INSERT INTO {t} SELECT 1")\n'
    )
    (pkg / "prune.py").write_text('con.execute("DELETE FROM alerts WHERE id IN (SELECT 1)")\n')
    return pkg


def test_the_map_of_a_planted_package(tmp_path: Path) -> None:
    mapping = _script().table_map(_package(tmp_path))
    assert mapping == {
        "alerts": {"written": ["engines.load*", "prune"], "read": ["web.search"]},
        "posts": {"written": ["ingest"], "read": ["web.search"]},
    }


def test_the_real_map_names_the_known_owners() -> None:
    mapping = _script().table_map()
    assert "posts" in mapping and "tokens" in mapping
    assert "store.ingest" in mapping["posts"]["written"]
    assert "store.tokens" in mapping["tokens"]["written"]
    assert len({m.split(".")[0] for m in mapping["posts"]["read"]}) >= 3


def test_the_script_prints_a_markdown_table() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=True, timeout=60
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("| table | written by | read by |")
    assert any(line.startswith("| `posts` |") for line in lines)
