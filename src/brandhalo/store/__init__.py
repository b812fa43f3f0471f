"""The workspace store: one DuckDB file, a versioned schema, one owner of connections.

DuckDB allows one writing process per file. :class:`Store` is that owner inside a process:
every module asks it for the connection (``store.con``) and writes inside
``with store.transaction():`` so a failure leaves the store as it was.

Between processes the store is guarded by :mod:`brandhalo.store.lock`: opening read-write
waits (with a message, up to a timeout) for other brandhalo processes to finish, and a
long-lived process (the server) can :meth:`Store.release_when_waited` so others get their turn.
In a served workspace, a writer publishes a read snapshot (:mod:`brandhalo.store.snapshot`)
before it lets go of the store, so the server's readers never wait for it, and neither does a
command that only reads (``Store(..., only_reads=True)``: ``metrics``, ``report``, ...). See
docs/concurrency.md.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from brandhalo import interrupt
from brandhalo.errors import StoreBusyError, StoreError
from brandhalo.store import snapshot
from brandhalo.store.lock import ProcessLock, lock_for, read_only_message


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


#: Called with the sentence a command that only reads prints when it answers from a published
#: snapshot because another process writes the store (tests replace it).
on_snapshot: Callable[[str], None] = _say

log = logging.getLogger("brandhalo.store")

STORE_FILE = "brandhalo.duckdb"
_MIGRATION = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
#: How often a releasing store checks whether another process waits for it.
RELEASE_POLL_S = 0.1


def all_migrations() -> list[tuple[int, str, str]]:
    """All packaged migrations as (version, name, sql), in order."""
    found = []
    for entry in resources.files("brandhalo.store.migrations").iterdir():
        m = _MIGRATION.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


#: Environment variable that sets DuckDB's memory limit for every store connection.
MEMORY_ENV = "BRANDHALO_MEMORY"


def memory_limit() -> str:
    """DuckDB's memory limit for a store: ``BRANDHALO_MEMORY`` (e.g. ``2GB``) or min(2 GB, RAM / 4).

    The default keeps a process tree within the 4 GB (or RAM/2) budget of docs/scale.md: half
    for DuckDB, half for Python's own frames and the enrich workers. DuckDB's own default is
    80 % of RAM: it keeps the table blocks it read cached up to that, so a 10M-post analyze
    reached 8.8 GB resident (its signals stage alone 7.4 GB); at 3 GB the explanations of that
    workspace still peaked at 4.2 GB, at 2 GB at 3.0 GB (and ran 7 % faster). Under the limit
    DuckDB evicts cached blocks (the OS page cache still holds them) and spills large
    intermediates to disk. Ingest lowers it further while it loads a file
    (``ingest.writer.memory_cap``).
    """
    env = os.environ.get(MEMORY_ENV, "").strip()
    if env:
        return env
    return f"{max(256, min(2 << 30, ram_bytes() // 4) >> 20)}MB"


def ram_bytes() -> int:
    """This machine's physical memory (8 GB where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def _is_disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "no space left" in text or "disk is full" in text or "disk full" in text


#: The file a DuckDB I/O error names: ``file "PATH"`` (``file \"PATH\"`` inside the JSON of an
#: asynchronous write's error).
_FILE_NAMED = re.compile(r'file \\?"(.+?)\\?"')


def _names_other_file(message: str) -> bool:
    """Whether DuckDB's error `message` is about a file that is not the workspace store
    (``brandhalo.duckdb``, its ``.wal`` or a read snapshot): an export's output, an input."""
    named = _FILE_NAMED.search(message)
    return named is not None and ".duckdb" not in named.group(1)


def _names_damage(exc: duckdb.Error) -> bool:
    """Whether DuckDB's error `exc` says a store file is damaged or unreadable: one of its
    corruption errors (a block failing its checksum, a fatal or deserialization error) or an
    I/O error about a store file (``brandhalo.duckdb``, its ``.wal``, a read snapshot). An
    I/O error about another file (an export's output, an input) is not about the store."""
    text = str(exc).lower()
    if "corrupt" in text or "checksum" in text:
        return True
    if isinstance(exc, duckdb.FatalException | duckdb.SerializationException):
        return True
    return isinstance(exc, duckdb.IOException) and ".duckdb" in text


def store_failure(exc: BaseException) -> StoreError | None:
    """The :class:`StoreError` for a DuckDB error that means a damaged file or a failing disk.

    The CLI and the web app call this on unexpected errors so that a store corrupted *inside*
    (found only when a query reads the damaged block) still gives a sentence, not a traceback.
    Returns None for any other error (a bug, which keeps its traceback; an I/O error about
    another file, whose caller says what it could not write or read).
    """
    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc)
    other = _names_other_file(text)  # a full disk under an export's folder is not the store's
    if other and isinstance(exc, duckdb.IOException):
        return None
    first = (text.splitlines() or ["unknown error"])[0]
    if _is_disk_full(exc) and not other:
        return StoreError(
            f"the disk holding the workspace store is full ({first}); free some space and run "
            "the command again (the store keeps its last committed state)"
        )
    if _names_damage(exc):
        return StoreError(
            f"the workspace store is damaged or unreadable ({first}); restore it from a backup, "
            "or move brandhalo.duckdb aside and rebuild it with `brandhalo init` and "
            "`brandhalo ingest`"
        )
    return None


def _on_read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _publish_failed(path: Path, exc: BaseException) -> str:
    """The sentence for a publish that failed: what, what readers see now, what to do."""
    if isinstance(exc, snapshot.NotEnoughSpace):
        what = f"could not publish a read snapshot of {path}: {exc.strerror}"
    else:
        first = (str(exc).splitlines() or ["unknown error"])[0]
        what = f"could not publish a read snapshot of {path} ({first})"
    snap = snapshot.current(path)
    if snap is not None:
        readers = (
            f"the server keeps serving the previous one (generation {snap.generation}), "
            "without the newest writes"
        )
    else:
        readers = (
            "no snapshot has been published yet, so the dashboard reads the store directly "
            "meanwhile (slower, and not while a command writes; the store itself is intact)"
        )
    if isinstance(exc, snapshot.NotEnoughSpace):
        room = f"free at least {(exc.need - exc.free) / 1e6:.1f} MB more on that disk"
    else:
        room = f"free disk space (a snapshot needs about the store's size, {_size_mb(path)})"
    return f"{what}; {readers}; {room} and run any write command or reload the dashboard"


def snapshot_note(path: Path, snap: snapshot.Snapshot, writing: list[dict[str, Any]]) -> str:
    """The line a command that only reads prints when it answered from the published snapshot
    `snap` of the store at `path` while another process writes it (`writing`: lock.d entries).

    >>> import time
    >>> snap = snapshot.Snapshot(3, Path("g3.duckdb"), (), time.time() - 120, 0, 0.0)
    >>> snapshot_note(Path("brandhalo.duckdb"), snap, [{"pid": 42, "command": "analyze"}])
    ... # doctest: +ELLIPSIS
    'the answer is as of ... (2 min ago, the last published state of brandhalo.duckdb): `analyze` (pid 42) is writing newer data; run the command again once it is done to see them'
    """
    when = time.localtime(snap.published_at)
    today = time.localtime().tm_yday == when.tm_yday and time.localtime().tm_year == when.tm_year
    shown = time.strftime("%H:%M" if today else "%Y-%m-%d %H:%M", when)
    minutes = max(0, round((time.time() - snap.published_at) / 60))
    ago = "just now" if minutes == 0 else f"{minutes} min ago"
    if writing:
        who = ", ".join(f"`{h.get('command')}` (pid {h.get('pid')})" for h in writing[:2])
        who += f" and {len(writing) - 2} more" if len(writing) > 2 else ""
        verb = "is" if len(writing) == 1 else "are"
    else:
        who, verb = "another brandhalo process", "is"
    return (
        f"the answer is as of {shown} ({ago}, the last published state of {path.name}): "
        f"{who} {verb} writing newer data; run the command again once it is done to see them"
    )


def _size_mb(path: Path) -> str:
    total = 0
    for file in (path, snapshot.wal_path(path)):
        with contextlib.suppress(OSError):
            total += file.stat().st_size
    return f"{total / 1e6:.1f} MB"


class Store:
    """A workspace's DuckDB file, opened (waiting for other processes) and migrated on first use.

    Args:
        path: the DuckDB file.
        read_only: open read-only (shares the file with other read-only processes).
        wait_s: seconds to wait for another process that holds the store; default
            ``$BRANDHALO_LOCK_TIMEOUT`` or 300.
        locked: take the workspace lock (False only for a published read snapshot, which
            no process ever writes).
        only_reads: a command that only reads (``metrics``, ``report``): never waits for a
            writer when a published snapshot can answer (:meth:`_open_to_read`); the store
            is then read-only, :attr:`snapshot` says which generation it reads.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: bool = False,
        wait_s: float | None = None,
        locked: bool = True,
        only_reads: bool = False,
    ):
        self.path = Path(path)
        self.read_only = read_only
        self.wait_s = wait_s
        self.locked = locked
        self.only_reads = only_reads
        #: The published generation this store reads instead of the store file (only_reads,
        #: while another process writes), else None.
        self.snapshot: snapshot.Snapshot | None = None
        self._holding = False  # this store holds the workspace lock (released on close)
        if not locked and not read_only:
            raise ValueError("an unlocked store must be read-only")
        #: Why a store opened for writing was opened read-only instead (its folder cannot be
        #: written: a read-only mount, no permission); its first write raises StoreError.
        self.read_only_reason: str | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.RLock()
        # An unlocked store never takes its lock: a private object, not the process's one.
        self._file_lock = (
            lock_for(self.path.absolute()) if locked else ProcessLock(self.path.absolute())
        )
        self._releaser: threading.Thread | None = None
        self._stop = threading.Event()
        #: Once set, a wait for another process ends at once with StoreBusyError (a server
        #: that is stopping does not wait out another process's write).
        self.cancel_wait = threading.Event()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The process's connection (opened and migrated lazily)."""
        con = self._con
        if con is None:
            with self._lock:
                if self._con is None:
                    self._con = self._open()
                con = self._con
        return con

    @property
    def is_open(self) -> bool:
        """True while this store holds a connection (and so the workspace lock)."""
        return self._con is not None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for use from another thread (same database, same transaction rules)."""
        return self.con.cursor()

    def reader(self) -> Store:
        """Another read-only store on this one's open database, through a DuckDB cursor.

        For parallel reads of a read-only store: the new one needs neither the file (a
        published snapshot may be deleted meanwhile; the open database keeps it) nor a
        second copy of the database in memory. Close it before this store.
        """
        if not self.read_only:
            raise ValueError("only a read-only store hands out readers")
        other = Store(self.path, read_only=True, locked=False)
        other._con = self.con.cursor()
        return other

    def _check_writable(self) -> None:
        """Open read-only when the store's folder cannot be written (reads still work there);
        the first write then says so (:meth:`transaction`)."""
        if self.read_only or not self.locked:
            return
        for target in (self.path.parent, self.path, self._file_lock.path):
            if target.exists() and not os.access(target, os.W_OK):
                code = errno.EROFS if _on_read_only_mount(target) else errno.EACCES
                exc = OSError(code, os.strerror(code), str(target))
                self.read_only_reason = read_only_message(self.path, exc)
                self.read_only = True
                log.info("%s is not writable: opened read-only", target)
                return

    def _open(self) -> duckdb.DuckDBPyConnection:
        if self.only_reads and self.locked and not self.read_only:
            con = self._open_to_read()
            if con is not None:
                return con
        self._check_writable()
        if self.read_only and not self.path.exists():
            raise StoreError(
                f"no store at {self.path}; run `brandhalo init` or `brandhalo ingest` first"
            )
        if not self.locked:
            return self._connect_checked()
        self._file_lock.acquire(not self.read_only, wait_s=self.wait_s, cancel=self.cancel_wait)
        self._holding = True
        try:
            return self._connect_checked()
        except BaseException:
            self._release_lock()
            raise

    def _release_lock(self) -> None:
        if self._holding:
            self._holding = False
            self._file_lock.release()

    def _open_to_read(self) -> duckdb.DuckDBPyConnection | None:
        """Open for a command that only reads, never behind a writer when a snapshot can answer.

        In order: a published snapshot holding every commit of the store is read without any
        lock (so no writer ever waits for this reader); else the store itself, read-only, if
        it is free now (the lock taken shared, so readers share it, but not while a writer
        waits for it); else, while another process holds it, the current snapshot (saying so
        on stderr); else, when none was ever published, the store once the writer is done
        (waiting as every command does). None: open as a writer would (the store does not
        exist yet or needs a migration, or this process itself writes it), as before.
        """
        lock = self._file_lock
        if not self.path.exists() or lock.held_exclusive:
            return None
        snap = snapshot.current(self.path) if snapshot.enabled(self.path) else None
        if snap is not None and not snapshot.is_stale(self.path, snap):
            con = self._connect_snapshot(snap)
            if con is not None:
                self._say_snapshot(stale=False)
                return con
        if lock.try_acquire(False, behind_writers=True):
            self._holding = True
            return self._connect_store_to_read()
        snap = snapshot.current(self.path) if snapshot.enabled(self.path) else None
        if snap is not None:  # held by a writer: the last published state, at once
            con = self._connect_snapshot(snap)
            if con is not None:
                self._say_snapshot(stale=snapshot.is_stale(self.path, snap))
                return con
        lock.acquire(False, wait_s=self.wait_s, cancel=self.cancel_wait, behind_writers=True)
        self._holding = True
        return self._connect_store_to_read()

    def _connect_store_to_read(self) -> duckdb.DuckDBPyConnection | None:
        """The store read-only under the shared lock just taken; None (lock let go) when its
        schema needs a migration, which only a writer makes."""
        self.read_only = True
        try:
            con = self._connect_checked()
        except BaseException:
            self.read_only = False
            self._release_lock()
            raise
        if self._behind(con):
            con.close()
            self.read_only = False
            self._release_lock()
            return None
        return con

    def _connect_snapshot(self, snap: snapshot.Snapshot) -> duckdb.DuckDBPyConnection | None:
        """The published generation `snap` (or a newer one, if publishes deleted it meanwhile),
        read-only and without any lock; None when none can be read or it needs a migration."""
        for _ in range(3):
            try:
                con = duckdb.connect(str(snap.path), read_only=True)
            except duckdb.Error:
                newer = snapshot.current(self.path)
                if newer is None or newer.generation == snap.generation:
                    return None
                snap = newer
                continue
            try:
                self._limit_memory(con)
                self._check_brandhalo(con)
                behind = self._behind(con)
            except BaseException:
                con.close()
                raise
            if behind:
                con.close()
                return None
            self.read_only, self.snapshot = True, snap
            return con
        return None

    @staticmethod
    def _behind(con: duckdb.DuckDBPyConnection) -> bool:
        """Whether the store on `con` lacks a migration this brandhalo has."""
        known = max((v for v, _, _ in all_migrations()), default=0)
        try:
            rows = con.execute("SELECT max(version) FROM schema_version").fetchall()
        except duckdb.Error:
            return True  # no schema_version table: an empty file that a writer migrates
        return not rows or rows[0][0] is None or int(rows[0][0]) < known

    def _say_snapshot(self, *, stale: bool) -> None:
        """Say on stderr that the answer is the snapshot's, when another process writes newer
        data: the store is ahead of the snapshot, or a command (not the server, which
        publishes its own writes within a second) holds it for writing."""
        snap = self.snapshot
        assert snap is not None
        writing = [h for h in self._file_lock.holders() if h.get("mode") == "write"]
        if not stale and all(h.get("command") == "serve" for h in writing):
            return
        on_snapshot(snapshot_note(self.path, snap, writing))

    def try_open(self) -> bool:
        """Open the store now if no other process holds it; False at once if one does."""
        with self._lock:
            if self._con is not None:
                return True
            self._check_writable()
            if self.locked and not self._file_lock.try_acquire(not self.read_only):
                return False
            self._holding = self.locked
            try:
                self._con = self._connect_checked()
            except BaseException:
                self._release_lock()
                raise
            return True

    def _connect_checked(self) -> duckdb.DuckDBPyConnection:
        con = self._connect()
        try:
            self._limit_memory(con)
            self._check_brandhalo(con)
            if not self.read_only:
                self._migrate(con)
        except BaseException:
            con.close()
            raise
        return con

    def _connect(self) -> duckdb.DuckDBPyConnection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A process outside brandhalo (a duckdb shell) can still hold DuckDB's own lock, and a
        # connection we closed is released when its last cursor goes: retry briefly.
        for attempt in range(40):
            try:
                return duckdb.connect(str(self.path), read_only=self.read_only)
            except duckdb.IOException as exc:
                msg = str(exc)
                if "lock" in msg.lower():
                    if attempt < 39:
                        threading.Event().wait(0.05 * min(attempt + 1, 5))
                        continue
                    raise StoreBusyError(
                        f"the store {self.path} is locked by a process outside brandhalo "
                        "(for example a duckdb shell); close it and run the command again"
                    ) from None
                raise self._unreadable(msg) from None
            except duckdb.Error as exc:
                raise self._unreadable(str(exc)) from None
        raise AssertionError("unreachable")

    @staticmethod
    def _limit_memory(con: duckdb.DuckDBPyConnection) -> None:
        """Apply :func:`memory_limit` (a bad ``BRANDHALO_MEMORY`` is an error that says so)."""
        limit = memory_limit()
        try:
            con.execute(f"SET memory_limit = '{limit}'")
        except duckdb.Error as exc:
            raise StoreError(
                f"{MEMORY_ENV}={limit!r} is not a memory size DuckDB accepts ({exc}); "
                "use a value such as 2GB or 512MB, or unset it for the default min(2 GB, RAM / 4)"
            ) from None

    def _unreadable(self, msg: str) -> StoreError:
        first = msg.splitlines()[0] if msg else "unknown error"
        if _is_disk_full(Exception(msg)):
            return StoreError(
                f"the disk holding {self.path} is full ({first}); free some space and run the "
                "command again (the store keeps its last committed state)"
            )
        return StoreError(
            f"{self.path} is not a readable DuckDB store ({first}); check the path, or move "
            "the file aside and run `brandhalo init` to create a new one"
        )

    def _check_brandhalo(self, con: duckdb.DuckDBPyConnection) -> None:
        """Refuse a DuckDB file that some other program made (we would write into it)."""
        try:
            tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
            if not tables or "schema_version" not in tables:
                if tables:
                    raise StoreError(
                        f"{self.path} is a DuckDB database but not a brandhalo store (it has "
                        f"tables {', '.join(sorted(tables)[:5])} and no schema_version); move "
                        "it aside and run `brandhalo init`, or point --project at a workspace"
                    )
                return
            row = con.execute("SELECT max(version) FROM schema_version").fetchone()
        except duckdb.Error as exc:
            raise self._unreadable(str(exc)) from None
        known = max((v for v, _, _ in all_migrations()), default=0)
        if row and row[0] is not None and int(row[0]) > known:
            raise StoreError(
                f"{self.path} has schema version {row[0]}, newer than this brandhalo knows "
                f"({known}); upgrade brandhalo (pip install -U brandhalo) and run it again"
            )

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> None:
        try:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                "name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)"
            )
            done = {r[0] for r in con.execute("SELECT version FROM schema_version").fetchall()}
            for version, name, sql in all_migrations():
                if version in done:
                    continue
                con.execute("BEGIN TRANSACTION")
                try:
                    con.execute(sql)
                    con.execute(
                        "INSERT INTO schema_version (version, name) VALUES (?, ?)",
                        [version, name],
                    )
                    con.execute("COMMIT")
                except duckdb.Error:
                    with contextlib.suppress(duckdb.Error):
                        con.execute("ROLLBACK")
                    raise
        except duckdb.Error as exc:  # a damaged file or a full disk; a store problem either way
            raise self._unreadable(str(exc)) from None

    @property
    def schema_version(self) -> int:
        # fetchall, not fetchone: a half-read result blocks the connection's next query.
        rows = self.con.execute("SELECT max(version) FROM schema_version").fetchall()
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All writes inside commit together or not at all.

        A failure of the disk (full, read-only, gone) becomes a :class:`StoreError` that says
        so; the store keeps its last committed state.
        """
        with self._lock:
            con = self.con
            if self.read_only_reason is not None:
                raise StoreError(self.read_only_reason)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
                interrupt.check()  # a Ctrl-C that DuckDB consumed still stops the commit
            except BaseException as exc:
                self._rollback(con)
                if isinstance(exc, duckdb.IOException | duckdb.FatalException):
                    raise self._write_failed(exc) from None
                raise
            try:
                con.execute("COMMIT")
            except (duckdb.IOException, duckdb.FatalException) as exc:
                self._rollback(con)
                raise self._write_failed(exc) from None

    def _rollback(self, con: duckdb.DuckDBPyConnection) -> None:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            # The database was invalidated (e.g. by a failed write): drop the connection so the
            # next use reopens the file and replays its log to the last committed state.
            self.close(publish=False)

    def _write_failed(self, exc: BaseException) -> StoreError:
        first = (str(exc).splitlines() or ["unknown error"])[0]
        self.close(publish=False)  # after an I/O failure DuckDB refuses further work on it
        if _is_disk_full(exc):
            return StoreError(
                f"the disk holding {self.path} is full ({first}); nothing of this write was "
                "kept: free some space and run the command again"
            )
        return StoreError(
            f"writing to {self.path} failed ({first}); nothing of this write was kept: check "
            "the disk and run the command again"
        )

    def query(self, sql: str, params: list[Any] | None = None) -> Any:
        """Run a read query and return a pandas DataFrame."""
        return self.con.execute(sql, params or []).df()

    def count(self, table: str) -> int:
        rows = self.con.execute(f'SELECT count(*) FROM "{table}"').fetchall()
        return int(rows[0][0]) if rows else 0

    def close(self, *, publish: bool = True) -> None:
        """Close the connection and let other processes have the store (reopened on next use).

        In a served workspace a writer first publishes a read snapshot if the store changed
        since the last one (`publish=False` skips that, after a failed write).
        """
        with self._lock:
            if self._con is not None:
                con = self._con
                try:
                    if publish:
                        self._publish_if_stale(con)
                finally:
                    self._con = None
                    with contextlib.suppress(duckdb.Error):
                        con.close()
                    self._release_lock()
                    if self.only_reads:  # the next use chooses again (the store may be free)
                        self.snapshot = None
                        self.read_only = False

    def publish(self) -> snapshot.Snapshot:
        """Publish a read snapshot of the store now (a writer, between units of work).

        Raises:
            StoreError: the store is read-only, or the copy failed (the previous snapshot
                stays current).
        """
        if self.read_only:
            why = "its folder is read-only" if self.read_only_reason else "it is open read-only"
            raise StoreError(f"could not publish a read snapshot of {self.path}: {why}")
        with self._lock:
            try:
                return snapshot.publish(self.con, self.path)
            except (duckdb.Error, OSError) as exc:
                raise StoreError(_publish_failed(self.path, exc)) from None

    def publish_if_stale(self) -> snapshot.Snapshot | None:
        """Publish if this is a served workspace whose snapshot lacks commits; else None."""
        with self._lock:
            if self.read_only or not snapshot.enabled(self.path):
                return None
            if not snapshot.is_stale(self.path):
                return None
            return self.publish()

    def _publish_if_stale(self, con: duckdb.DuckDBPyConnection) -> None:
        """On close: publish for the server's readers; a failure only logs (data is safe)."""
        if self.read_only or not snapshot.enabled(self.path):
            return
        try:
            if snapshot.is_stale(self.path):
                snapshot.publish(con, self.path)
        except (duckdb.Error, OSError) as exc:
            log.warning("%s", _publish_failed(self.path, exc))

    def release_when_waited(self, guard: Any = None) -> None:
        """Let other processes in: close the store whenever one waits and no work runs.

        For long-lived processes (the web server, the alert watcher). A background thread
        checks every 0.1 s whether another brandhalo process waits for this store; if so, and
        `guard` (a lock the process holds around its store work; default this store's own
        lock) is free, it closes the connection. The next use reopens it, waiting its turn.
        """
        if self._releaser is not None:
            return
        held = guard if guard is not None else self._lock
        ref = weakref.ref(self)
        stop = self._stop

        def loop() -> None:
            # Holds only a weak reference: the thread ends when the store is dropped.
            while not stop.wait(RELEASE_POLL_S):
                store = ref()
                if store is None:
                    return
                waited = store._con is not None and store._file_lock.waiters()
                if waited and held.acquire(blocking=False):
                    try:
                        store.close()
                    finally:
                        held.release()
                del store

        self._releaser = threading.Thread(target=loop, name="brandhalo-store-release", daemon=True)
        self._releaser.start()

    def stop_releasing(self) -> None:
        """Stop the thread started by :meth:`release_when_waited`."""
        self._stop.set()
        self._releaser = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
