"""The ``brandhalo`` console script.

A Ctrl-C pressed while the command is still starting (importing the CLI takes a moment, more
on a busy machine) ends it like one pressed later: "interrupted" and exit code 130, never a
Python traceback. This module imports nothing heavy before it can answer one.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point: load the CLI, then run it (:func:`brandhalo.cli.main`)."""
    try:
        from brandhalo.cli import main as cli_main
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    cli_main()
