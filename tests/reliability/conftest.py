"""Fixtures of the reliability area: a small analyzed demo workspace, copied per test, and
helpers that run the real `brandhalo` command in subprocesses."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

LOCK_FILES = ("brandhalo.lock", "brandhalo.lock.wait", "brandhalo.lock.d")


@pytest.fixture(scope="session")
def base_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000-post demo workspace, ingested (not analyzed), built once per session."""
    from brandhalo.demo import build_demo_workspace

    root = tmp_path_factory.mktemp("relbase") / "ws"
    with warnings.catch_warnings():  # the simulator's small-size numpy warning is not ours
        warnings.simplefilter("ignore", RuntimeWarning)
        ws, _ = build_demo_workspace(root, seed=11, posts=2000)
    ws.close()
    return root


@pytest.fixture
def ws_dir(base_ws: Path, tmp_path: Path) -> Path:
    """A private copy of the base workspace (store closed, no lock files)."""
    dest = tmp_path / "ws"
    shutil.copytree(base_ws, dest, ignore=shutil.ignore_patterns(*LOCK_FILES))
    return dest


def write_posts_csv(path: Path, start: int, n: int, prefix: str = "rel") -> Path:
    """`n` distinct posts with ids `prefix-start..` as CSV (what an analyst drops in)."""
    lines = ["id,text,created_at,source,author_name,likes"]
    for i in range(start, start + n):
        day = 1 + i % 28
        lines.append(
            f'{prefix}-{i},"小米 SU7 刹车 问题 第{i}条 quality {prefix}{i}",'
            f"2025-03-{day:02d}T10:{i % 60:02d}:00+08:00,weibo,user{i % 97},{i % 13}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for a `brandhalo` subprocess (same interpreter, unbuffered, no color)."""
    env = dict(os.environ)
    env.update({"PYTHONUNBUFFERED": "1", "NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"})
    env.update(extra)
    return env


def cli(*args: str) -> list[str]:
    """The argv that runs `brandhalo *args` with this interpreter (the installed script)."""
    script = shutil.which("brandhalo")
    assert script, "the brandhalo console script is not installed"
    return [sys.executable, script, *args]


def run_cli(*args: str, timeout: float = 240, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `brandhalo *args` to completion and return the finished process."""
    return subprocess.run(
        cli(*args), capture_output=True, text=True, timeout=timeout, env=cli_env(**env)
    )


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[str]]]:
    """Background processes started by a test, killed (by their own pid) at the end."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for p in started:
        if p.poll() is None:
            p.kill()
        p.wait(timeout=30)


@pytest.fixture(scope="session")
def analyzed_ws(base_ws: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base workspace after one clean `analyze` (the reference for fault tests)."""
    from brandhalo import pipeline
    from brandhalo.workspace import Workspace

    dest = tmp_path_factory.mktemp("relanalyzed") / "ws"
    shutil.copytree(base_ws, dest, ignore=shutil.ignore_patterns(*LOCK_FILES))
    with warnings.catch_warnings(), Workspace.open(dest) as ws:
        warnings.simplefilter("ignore", RuntimeWarning)
        pipeline.analyze(ws)
    return dest


def copy_ws(src: Path, dest: Path) -> Path:
    """Copy a closed workspace folder (without lock files)."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(*LOCK_FILES))
    return dest


def table_counts(ws: Path) -> dict[str, int]:
    """Row count of every table of a workspace's store (read-only)."""
    from brandhalo.store import Store

    with Store(ws / "brandhalo.duckdb", read_only=True) as st:
        names = [r[0] for r in st.con.execute("SHOW TABLES").fetchall()]
        return {n: st.count(n) for n in names}
