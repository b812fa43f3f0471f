"""The workspace lock: one writing process or many reading ones, waited for, never a raw error.

DuckDB lets one process open a file read-write, and while it does no other process may open
it at all; a second process gets an immediate ``IO Error: Could not set lock``. Brandhalo puts
an advisory lock in front of that rule so commands *wait their turn* instead of failing:

* ``brandhalo.lock`` next to the store is ``flock``-ed exclusive by a read-write opener and
  shared by read-only ones (the same rule DuckDB enforces, but blocking, with a timeout);
* ``brandhalo.lock.wait`` is held shared by every process that is waiting, so a long-lived
  holder (the web server, the alert watcher) can see that someone waits and let go between
  requests (:meth:`ProcessLock.waiters`);
* ``brandhalo.lock.d/<pid>.json`` says who holds the lock, for the waiting message;
* ``brandhalo.lock.writers`` is held shared by every process waiting to *write*: a command that
  only reads does not take the lock shared while one does (``behind_writers``), so a stream of
  readers sharing the lock cannot keep a writer (the nightly ``analyze``) out.

On a read-only workspace folder (a restored backup mounted read-only) a reader opens
``brandhalo.lock`` read-only (``flock`` works on such a file, and still orders it after a writer
that reaches the same file through a writable mount); when the file is missing and cannot be
created, nobody writes the store through this folder and the reader goes without it. A writer
gets :class:`~brandhalo.errors.StoreError` naming the folder.

Within one process all stores on the same file share one lock (a reference count), because
``flock`` would otherwise make a process wait for itself.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from brandhalo.errors import StoreBusyError, StoreError

#: Seconds a command waits for another brandhalo process before giving up.
DEFAULT_WAIT_S = 300.0
WAIT_ENV = "BRANDHALO_LOCK_TIMEOUT"
POLL_S = 0.05
#: Errors that mean "this folder cannot be written here" (a read-only mount, no permission).
READ_ONLY_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)
#: `ProcessLock._fd` of a reader that holds no file lock (read-only folder without the file).
_NO_FILE = -1

_registry: dict[Path, ProcessLock] = {}
_registry_lock = threading.Lock()


def default_wait_s() -> float:
    """The wait limit: ``$BRANDHALO_LOCK_TIMEOUT`` seconds, else 300."""
    raw = os.environ.get(WAIT_ENV, "")
    try:
        return max(0.0, float(raw)) if raw.strip() else DEFAULT_WAIT_S
    except ValueError:
        return DEFAULT_WAIT_S


def command_name() -> str:
    """What this process is, for other processes' waiting messages (``ingest``, ``serve``)."""
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    prog = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if prog in ("brandhalo", "__main__.py") and args:
        return args[0]
    return prog or "python"


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


#: Called once with a sentence when a process starts waiting (tests replace it).
on_wait: Callable[[str], None] = _say


def lock_for(store_path: Path) -> ProcessLock:
    """The process-wide lock object for the store at `store_path`.

    Keyed by the lock *file*: every store file of one folder shares ``brandhalo.lock``, and two
    ``flock`` holds of one process on one file would make the process wait for itself.
    """
    resolved = store_path.resolve()
    key = resolved.with_name("brandhalo.lock")
    with _registry_lock:
        lock = _registry.get(key)
        if lock is None or lock.pid != os.getpid():
            lock = _registry[key] = ProcessLock(resolved)
        return lock


class ProcessLock:
    """This process's hold on one store file: exclusive or shared, reference counted."""

    def __init__(self, store_path: Path):
        self.store_path = store_path
        self.path = store_path.with_name("brandhalo.lock")
        self.wait_path = store_path.with_name("brandhalo.lock.wait")
        self.info_dir = store_path.with_name("brandhalo.lock.d")
        self.writers_path = store_path.with_name("brandhalo.lock.writers")
        self.pid = os.getpid()
        self._mutex = threading.Condition()
        self._fd: int | None = None
        self._mode = 0  # 0 none, fcntl.LOCK_SH or fcntl.LOCK_EX
        self._holders = 0

    @property
    def held(self) -> bool:
        """True while some store in this process holds the lock."""
        return self._holders > 0

    @property
    def held_exclusive(self) -> bool:
        """True while some store in this process holds the lock for writing."""
        return self._holders > 0 and self._mode == fcntl.LOCK_EX

    def acquire(
        self,
        exclusive: bool,
        *,
        wait_s: float | None = None,
        cancel: threading.Event | None = None,
        behind_writers: bool = False,
    ) -> None:
        """Take the lock (waiting up to `wait_s` seconds), or raise StoreBusyError.

        `cancel`, once set, ends the wait at once with StoreBusyError (a server stopping).
        `behind_writers` (a reader): while another process waits to write, wait for it too
        instead of sharing the lock with the readers that hold it (:meth:`writer_waits`).
        """
        want = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        with self._mutex:
            if self._holders and (self._mode == fcntl.LOCK_EX or want == fcntl.LOCK_SH):
                self._holders += 1
                return
            limit = default_wait_s() if wait_s is None else wait_s
            self._take(want, limit, cancel or threading.Event(), behind_writers)
            self._holders += 1

    def try_acquire(self, exclusive: bool, *, behind_writers: bool = False) -> bool:
        """Take the lock only if that needs no waiting; True when taken (then :meth:`release`).

        `behind_writers` (a reader): not while another process waits to write.
        """
        want = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        with self._mutex:
            if self._holders:
                if self._mode == fcntl.LOCK_EX or want == fcntl.LOCK_SH:
                    self._holders += 1
                    return True
                return False  # this process reads; upgrading could wait for another reader
            self.store_path.parent.mkdir(parents=True, exist_ok=True)
            if self._fd is None:
                self._fd = self._open_file(want)
            if not self._try_now(want, behind_writers):
                self._close_fd()
                return False
            self._holders += 1
            return True

    def release(self) -> None:
        """Give back one hold; the file lock goes when the last store in the process closes."""
        with self._mutex:
            if self._holders == 0:
                return
            self._holders -= 1
            if self._holders == 0 and self._fd is not None:
                with contextlib.suppress(OSError):
                    (self.info_dir / f"{self.pid}.json").unlink()
                if self._fd != _NO_FILE:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                self._close_fd()
                self._mode = 0

    def waiters(self) -> bool:
        """True when another process is waiting for this store (a holder should let go)."""
        try:
            fd = os.open(self.wait_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)  # closing drops the probe lock at once
        return False

    def writer_waits(self) -> bool:
        """True when another process waits to take this store for writing."""
        try:
            fd = os.open(self.writers_path, os.O_RDONLY)
        except OSError:
            return False  # no writer ever waited here (or nobody can write through here)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    def _open_file(self, want: int) -> int:
        """Open ``brandhalo.lock`` (creating it); read-only for a reader in a read-only folder."""
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno not in READ_ONLY_ERRNOS:
                raise
            if want == fcntl.LOCK_EX:
                raise StoreError(read_only_message(self.store_path, exc)) from None
            try:
                return os.open(self.path, os.O_RDONLY)
            except FileNotFoundError:
                return _NO_FILE  # nobody can create it here, so nobody writes through here

    def _close_fd(self) -> None:
        if self._fd is not None and self._fd != _NO_FILE:
            os.close(self._fd)
        self._fd = None

    def _take(
        self, want: int, limit: float, cancel: threading.Event, behind_writers: bool = False
    ) -> None:
        self.store_path.parent.mkdir(parents=True, exist_ok=True)
        if self._fd is None:
            self._fd = self._open_file(want)
        if self._try_now(want, behind_writers):
            return
        deadline = time.monotonic() + limit
        try:
            wait_fd = os.open(self.wait_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # a read-only folder: holders cannot be told, only waited for
            if exc.errno not in READ_ONLY_ERRNOS:
                raise
            wait_fd = os.open("/dev/null", os.O_RDONLY)
        writer_fd = self._mark_writer() if want == fcntl.LOCK_EX else None
        try:
            fcntl.flock(wait_fd, fcntl.LOCK_SH)  # tells holders that someone waits
            on_wait(self._waiting_message(want, limit))
            while not self._try_now(want, behind_writers):
                if cancel.is_set():
                    raise StoreBusyError(
                        f"stopped waiting for {self._who()}: this process is stopping"
                    )
                if time.monotonic() >= deadline:
                    raise StoreBusyError(self._busy_message(limit))
                cancel.wait(POLL_S)
        finally:
            os.close(wait_fd)
            if writer_fd is not None:
                os.close(writer_fd)
            if not self._mode and self._fd is not None and not self._holders:
                self._close_fd()

    def _mark_writer(self) -> int | None:
        """Hold ``brandhalo.lock.writers`` shared while this process waits to write (readers
        that yield to writers see it); None where the file cannot be made."""
        try:
            fd = os.open(self.writers_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return None
        fcntl.flock(fd, fcntl.LOCK_SH)
        return fd

    def _try_now(self, want: int, behind_writers: bool) -> bool:
        """:meth:`_try`, except that a reader `behind_writers` lets a waiting writer go first."""
        if behind_writers and want == fcntl.LOCK_SH and self.writer_waits():
            return False
        return self._try(want)

    def _try(self, want: int) -> bool:
        assert self._fd is not None
        if self._fd == _NO_FILE:
            self._mode = want  # a reader in a read-only folder without the file (see above)
            return True
        try:
            fcntl.flock(self._fd, want | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self._mode = want
        self._write_info(want)
        return True

    def _write_info(self, mode: int) -> None:
        info = {
            "pid": self.pid,
            "command": command_name(),
            "mode": "write" if mode == fcntl.LOCK_EX else "read",
            "since": time.time(),
        }
        with contextlib.suppress(OSError):
            self.info_dir.mkdir(exist_ok=True)
            tmp = self.info_dir / f".{self.pid}.tmp"
            tmp.write_text(json.dumps(info), encoding="utf-8")
            tmp.replace(self.info_dir / f"{self.pid}.json")

    def holders(self) -> list[dict[str, object]]:
        """Other live processes recorded as holding this store (pid, command, mode)."""
        found = []
        with contextlib.suppress(OSError):
            for entry in self.info_dir.glob("*.json"):
                with contextlib.suppress(OSError, ValueError):
                    info = json.loads(entry.read_text(encoding="utf-8"))
                    pid = int(info["pid"])
                    if pid not in (self.pid, os.getpid()) and _alive(pid):  # never itself
                        found.append(info)
        return sorted(found, key=lambda i: float(i.get("since", 0)))  # type: ignore[arg-type]

    def _who(self) -> str:
        holders = self.holders()
        if not holders:
            return "another brandhalo process"
        first = holders[0]
        more = f" and {len(holders) - 1} more" if len(holders) > 1 else ""
        return f"another brandhalo process (pid {first['pid']}, {first['command']}){more}"

    def _waiting_message(self, want: int, limit: float) -> str:
        holders = self.holders()
        doing = "writing" if any(h.get("mode") == "write" for h in holders) else "reading"
        if not holders and want == fcntl.LOCK_EX:
            doing = "using it"
        return (
            f"waiting for {self._who()} to finish {doing} {self.store_path.name} "
            f"(up to {limit:g} s)..."
        )

    def _busy_message(self, limit: float) -> str:
        return (
            f"the store {self.store_path} is still in use by {self._who()} after waiting "
            f"{limit:g} s; wait for it to finish or stop it, or wait longer by setting "
            f"{WAIT_ENV}=<seconds>, then run the command again"
        )


def read_only_message(store_path: Path, exc: OSError) -> str:
    """The sentence for a write refused because the workspace folder is read-only."""
    folder = store_path.parent
    why = exc.strerror or str(exc)
    return (
        f"the workspace folder {folder} is read-only for brandhalo ({why}); this command writes "
        "to it: run it on a writable copy of the workspace, remount the folder read-write or "
        "fix its permissions (commands that only read work on it as it is: `brandhalo "
        "metrics`, `alerts`, `serve`, `report --out <a writable path>`)"
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
