"""A workspace on a read-only mount (a restored backup mounted read-only): commands that only
read work, the dashboard answers, and commands that write say so in one sentence.

The suite runs as root, where ``chmod`` stops nothing, so the folder is made read-only by a
read-only bind mount inside a private mount namespace (``unshare -rm``: no root needed, and
the mount disappears with the process). Where that is not permitted the tests are skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from brandhalo.workspace import Workspace, init_workspace

_MOUNT = 'mount --bind "$0" "$0.ro" && mount -o remount,ro,bind "$0.ro" && exec "$@"'


def _ro_run(src: Path, *cmd: str) -> subprocess.CompletedProcess[str]:
    """Run `cmd` with `src` mounted read-only at `<src>.ro` (a private mount namespace)."""
    Path(f"{src}.ro").mkdir(exist_ok=True)
    env = {**os.environ, "BRANDHALO_LOCK_TIMEOUT": "5", "NO_COLOR": "1", "COLUMNS": "300"}
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", _MOUNT, str(src), *cmd],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A workspace with one token (its secret), and the check that read-only mounts work."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) for a read-only bind mount")
    root = tmp_path_factory.mktemp("rows") / "ws"
    init_workspace(root).close()
    from brandhalo.web.tokens import create_token

    with Workspace.open(root) as ws:
        _, secret = create_token(ws, "read", name="backup-check")
    probe = _ro_run(root, sys.executable, "-c", f"import os; print(os.access('{root}.ro', 2))")
    if probe.returncode != 0 or probe.stdout.strip() != "False":
        pytest.skip(f"read-only bind mounts are not permitted here: {probe.stderr.strip()}")
    return root, secret


def _brandhalo(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from brandhalo.cli import main; sys.argv[0] = 'brandhalo'; main()"
    return _ro_run(root, sys.executable, "-c", code, *args, "-p", f"{root}.ro")


def test_read_commands_work_on_a_read_only_workspace(workspace: tuple[Path, str]) -> None:
    root, _ = workspace
    listed = _brandhalo(root, "token", "list")
    assert listed.returncode == 0, listed.stderr
    assert "backup-check" in listed.stdout and "Traceback" not in listed.stderr
    metric = _brandhalo(root, "metrics", "net_sentiment", "--brand", "Xiaomi")
    assert metric.returncode == 0, metric.stderr
    assert "Traceback" not in metric.stderr


@pytest.mark.parametrize(
    "args",
    [("analyze",), ("token", "create", "--role", "read"), ("report",)],
    ids=["analyze", "token-create", "report-into-the-workspace"],
)
def test_write_commands_say_the_folder_is_read_only(
    workspace: tuple[Path, str], args: tuple[str, ...]
) -> None:
    root, _ = workspace
    done = _brandhalo(root, *args)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("error: ") and "read-only" in lines[-1], done.stderr
    assert f"{root}.ro" in done.stderr  # names the folder
    assert "writable copy" in done.stderr  # and what to do


def test_the_dashboard_reads_a_read_only_workspace(workspace: tuple[Path, str]) -> None:
    root, secret = workspace
    script = textwrap.dedent(
        f"""
        from brandhalo.web.state import AppState
        state = AppState({str(root) + ".ro"!r})
        try:
            info = state.verify({secret!r}, "read")
            print("ROLE", info.role)
            print("GEN", state.read(lambda ws: ws.store.count("tokens")))
        finally:
            state.close()
        """
    )
    done = _ro_run(root, sys.executable, "-c", script)
    assert done.returncode == 0, done.stderr
    assert "ROLE read" in done.stdout and "GEN 1" in done.stdout, done.stdout
    assert not (root / "brandhalo.snapshots").exists()  # nothing was written
