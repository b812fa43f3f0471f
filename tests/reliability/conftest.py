"""Fixtures of the reliability area: a small demo workspace (ingested; and analyzed), copied
per test. Helpers live in rel_helpers.py."""

from __future__ import annotations

import shutil
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from rel_helpers import LOCK_FILES


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
