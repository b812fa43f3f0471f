"""`brandhalo quarantine` on an 80-column terminal tells apart files of one name in two
folders (MediaCrawler writes ``xhs/csv/search_contents_<day>.csv`` and
``douyin/csv/search_contents_<day>.csv``): both read ``search_cont…-11-21.csv`` before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from brandhalo.ingest import ingest_files

BRANDHALO = [sys.executable, "-c", "from brandhalo.cli import main; main()"]


def test_same_named_files_of_two_folders_read_apart(tmp_ws, tmp_path: Path) -> None:
    paths = []
    for platform in ("xhs", "douyin"):
        folder = tmp_path / platform / "csv"
        folder.mkdir(parents=True)
        path = folder / "search_contents_2026-11-21.csv"
        path.write_text(
            "id,text,created_at\n"
            f"{platform}1,小米SU7 真不错,2026-11-20 10:00\n"
            f"{platform}2,小米SU7 一般,not a time\n",
            encoding="utf-8",
        )
        paths.append(path)
    for path in paths:
        ingest_files(tmp_ws, "posts", [path], mapping="source='weibo'")
    root = tmp_ws.root
    tmp_ws.close()  # the CLI opens it itself
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    out = subprocess.run(
        [*BRANDHALO, "quarantine", "--project", str(root)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    assert "xhs/" in out.stdout and "douyin/" in out.stdout, out.stdout
