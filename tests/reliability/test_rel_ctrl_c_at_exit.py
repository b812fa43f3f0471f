"""Ctrl-C while the process exits, after the command's work is done, keeps the command's code.

Python puts back the default SIGINT action before it closes modules; a signal landing while it
closed the store killed the process by SIGINT (returncode -2, no "interrupted"): CI saw it once
in `test_ctrl_c_during_the_demo_build_is_always_a_clean_interrupt` (Ctrl-C 8 s into the demo,
as the report was written and the process was ending).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from rel_helpers import cli_env

# An object of __main__ is destroyed as Python closes its modules (where DuckDB's connection
# is closed): it presses Ctrl-C there, as a user would while the process ends.
SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, time

    class CtrlCAtExit:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.3)

    late = CtrlCAtExit()
    from brandhalo.cli import main
    sys.argv = ["brandhalo", *sys.argv[1:]]
    main()
    """
)


def test_ctrl_c_while_the_process_exits_keeps_the_commands_exit_code() -> None:
    ok = subprocess.run(
        [sys.executable, "-c", SCRIPT, "--version"], capture_output=True, text=True,
        env=cli_env(), timeout=120,
    )  # fmt: skip
    assert ok.returncode == 0, (ok.returncode, ok.stderr[-2000:])
    assert ok.stdout.startswith("brandhalo "), ok.stdout
    failed = subprocess.run(
        [sys.executable, "-c", SCRIPT, "no-such-command"], capture_output=True, text=True,
        env=cli_env(), timeout=120,
    )  # fmt: skip
    assert failed.returncode == 2, (failed.returncode, failed.stderr[-2000:])
    assert "Traceback" not in failed.stderr, failed.stderr[-2000:]
