"""Helpers of the reliability tests (and benchmarks/fuzz.py, load.py): run the real
`brandhalo` command, write post files, inspect stores."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

LOCK_FILES = ("brandhalo.lock", "brandhalo.lock.wait", "brandhalo.lock.d")


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


def wait_health(
    url: str, server: subprocess.Popen[Any], *, timeout_s: float = 120, log: Path | None = None
) -> None:
    """Wait until `server` answers ``/health``; raise (with its log) if it exits or never does."""
    import httpx

    def detail() -> str:
        return ":\n" + log.read_text() if log is not None else ""

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited" + detail())
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not start" + detail())


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
