"""A Ctrl-C pressed while `brandhalo` is still starting (importing its CLI) is a clean
interrupt: "interrupted", exit code 130, no traceback.

CI saw a watcher stopped by the test before it had finished importing on a busy machine: its
log held a KeyboardInterrupt traceback from inside `from brandhalo.cli import main`. The
Ctrl-C is pressed deterministically here: the process sends SIGINT to itself when the CLI
imports one of its modules.
"""

from __future__ import annotations

import subprocess
import sys

from rel_helpers import cli_env

PRESS_DURING_IMPORT = """
import builtins, os, signal, sys
real = builtins.__import__
def pressing(name, *args, **kwargs):
    if name == "brandhalo.cli._common":
        builtins.__import__ = real
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, default handler: KeyboardInterrupt
    return real(name, *args, **kwargs)
builtins.__import__ = pressing
sys.argv = ["brandhalo", "--help"]
from brandhalo._console import main  # what the installed console script runs
sys.exit(main())
"""


def test_ctrl_c_while_the_cli_imports_is_a_clean_interrupt() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PRESS_DURING_IMPORT],
        capture_output=True, text=True, timeout=120, env=cli_env(),
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 130 and done.stderr.strip() == "interrupted", done


def test_the_console_script_is_the_guarded_entry_point() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "brandhalo"]
    assert script.value == "brandhalo._console:main"
