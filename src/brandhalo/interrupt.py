"""Ctrl-C that is never lost.

DuckDB turns a SIGINT that arrives during a query into "Query interrupted", but a signal that
lands while a statement is finishing is consumed and the statement completes: a command would
then carry on (an ingest committing its file, a watcher looping). :func:`install` records every
SIGINT in a flag before raising as usual; :func:`check` raises ``KeyboardInterrupt``
wherever work may stop safely (before each commit, between watch rounds).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

_REQUESTED = threading.Event()


def _handler(signum: int, frame: FrameType | None) -> None:
    _REQUESTED.set()
    raise KeyboardInterrupt


def install() -> None:
    """Route SIGINT through the flag (main thread only; a no-op elsewhere)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _handler)


def finish() -> None:
    """The command is over: ignore Ctrl-C while the process exits.

    Python puts back the default SIGINT action before it closes its modules; a Ctrl-C while it
    then closed the store or collected garbage killed the process by the signal (exit -2, no
    "interrupted") after the work was done. Ignored, the command's own exit code stands.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def requested() -> bool:
    """True once the process was asked to stop."""
    return _REQUESTED.is_set()


def check() -> None:
    """Raise ``KeyboardInterrupt`` if the process was asked to stop (even if DuckDB ate it)."""
    if _REQUESTED.is_set():
        raise KeyboardInterrupt
