"""Read snapshots: what a served workspace's readers see while a writer holds the store.

DuckDB lets no other process open a file while one process writes it, so the dashboard would
wait behind every ``ingest`` or ``analyze``. Instead, a writer that is done with a unit of work
(a command, a watcher round, an API write) *publishes* the store: it checkpoints and copies the
file, still holding the write lock, into ``brandhalo.snapshots/`` next to the store. The server
reads the newest published copy, read-only, without any lock (see docs/concurrency.md).

Layout of ``brandhalo.snapshots/`` (its existence turns publishing on; ``brandhalo serve``
creates it):

* ``g<generation>.duckdb``: a published copy; each generation has its own name, because DuckDB
  shares one database instance per path within a process (a file replaced under the same name
  would not be seen while an older handle is open);
* ``current.json``: which generation is current, and the identity (size, mtime, inode) of the
  store file and its write-ahead log when they were copied: the store is *stale* when either
  differs (a commit appends to the log; a checkpoint rewrites the file);
* ``.tmp-<pid>.duckdb``: a copy being written; a copy that fails (a full disk) is removed at
  once, a kill -9 leaves it and the next publisher removes it. ``current.json`` is replaced atomically after the copy is complete and synced, so a
  reader sees the old generation or the new one, never a half-written one.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

log = logging.getLogger("brandhalo.store")

SNAPSHOT_DIR = "brandhalo.snapshots"
CURRENT = "current.json"
#: Published generations kept besides the current one (a reader may still be opening it).
KEEP_OLD = 1
_COPY_CHUNK = 16 * 1024 * 1024
#: Free space a publish leaves on the disk besides its copy, so the store's own next commits
#: (its log, a checkpoint) still fit.
RESERVE_BYTES = 8 * 1024 * 1024


class NotEnoughSpace(OSError):
    """The disk lacks the room for one more copy of the store: nothing was copied."""

    def __init__(self, folder: Path, need: int, free: int):
        super().__init__(
            errno.ENOSPC,
            f"not enough free disk space for a read snapshot in {folder}: a copy needs "
            f"{_mb(need)} and {_mb(free)} is free",
        )
        self.need, self.free = need, free


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


@dataclass(frozen=True)
class Snapshot:
    """One published generation."""

    generation: int
    path: Path
    source: tuple[int, ...]
    published_at: float
    bytes: int
    seconds: float


def snapshot_dir(store_path: Path) -> Path:
    """The snapshot folder of the store at `store_path`."""
    return store_path.with_name(SNAPSHOT_DIR)


def enabled(store_path: Path) -> bool:
    """True when writers publish snapshots of this store (the folder exists)."""
    return snapshot_dir(store_path).is_dir()


def enable(store_path: Path) -> None:
    """Turn publishing on for this store (the server does this when it starts)."""
    snapshot_dir(store_path).mkdir(parents=True, exist_ok=True)


def wal_path(store_path: Path) -> Path:
    """DuckDB's write-ahead log of the store."""
    return store_path.with_name(store_path.name + ".wal")


def _identity(path: Path) -> tuple[int, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (0, 0, 0)
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def source_identity(store_path: Path) -> tuple[int, ...]:
    """(size, mtime in ns, inode) of the store file, then of its log; zeros when missing."""
    wal = _identity(wal_path(store_path))
    return (*_identity(store_path), *(wal if wal[0] else (0, 0, 0)))


def current(store_path: Path) -> Snapshot | None:
    """The current published snapshot, or None when none is (or it cannot be read)."""
    folder = snapshot_dir(store_path)
    try:
        info = json.loads((folder / CURRENT).read_text(encoding="utf-8"))
        snap = Snapshot(
            generation=int(info["generation"]),
            path=folder / str(info["file"]),
            source=tuple(int(x) for x in info["source"]),
            published_at=float(info["published_at"]),
            bytes=int(info.get("bytes", 0)),
            seconds=float(info.get("seconds", 0.0)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return snap if len(snap.source) == 6 else None


def is_stale(store_path: Path, snap: Snapshot | None = None) -> bool:
    """True when the store may hold commits the current snapshot lacks.

    Cheap (two ``stat`` calls): a commit goes to the write-ahead log first and a checkpoint
    rewrites the file, so one of them differs from what was copied.
    """
    snap = snap if snap is not None else current(store_path)
    return snap is None or source_identity(store_path) != snap.source


def publish(con: duckdb.DuckDBPyConnection, store_path: Path) -> Snapshot:
    """Checkpoint the store and publish a copy of it as the next generation.

    The caller holds the store's write lock and its in-process lock, so nothing writes the
    file while it is copied. Raises ``duckdb.Error`` or ``OSError`` on failure (the previous
    generation stays current).
    """
    t0 = time.perf_counter()
    folder = snapshot_dir(store_path)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(folder)
    # Another connection of this process may hold a transaction open (DuckDB then refuses to
    # checkpoint): the log is then copied with the file; a reader replays it when it opens it.
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("CHECKPOINT")
    source = source_identity(store_path)
    old = current(store_path)
    generation = (old.generation if old else 0) + 1
    _make_room(folder, source[0] + source[3], old)
    tmp = folder / f".tmp-{os.getpid()}.duckdb"
    final = folder / f"g{generation:08d}.duckdb"
    try:
        size = _copy_synced(store_path, tmp)
        if source[3]:
            size += _copy_synced(wal_path(store_path), wal_path(tmp))
        _check_copy(tmp)
        if source[3]:
            os.replace(wal_path(tmp), wal_path(final))
        os.replace(tmp, final)
    except BaseException:
        # A failed copy (a full disk) must not keep the disk full: remove it at once.
        for leftover in (tmp, wal_path(tmp), wal_path(final)):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    seconds = time.perf_counter() - t0
    info = {
        "generation": generation,
        "file": final.name,
        "source": list(source),
        "published_at": time.time(),
        "bytes": size,
        "seconds": round(seconds, 3),
        "pid": os.getpid(),
    }
    _write_synced(folder / CURRENT, json.dumps(info))
    _fsync_dir(folder)
    _drop_old(folder, generation)
    log.info("published snapshot %d (%d bytes, %.2f s)", generation, size, seconds)
    snap = current(store_path)
    assert snap is not None
    return snap


def _make_room(folder: Path, need: int, keep: Snapshot | None) -> None:
    """Raise :class:`NotEnoughSpace` unless the disk holds a copy of `need` bytes and
    :data:`RESERVE_BYTES` besides; generations other than the current (`keep`) are deleted
    first when that makes the room (a reader opening one looks again)."""
    want = need + RESERVE_BYTES
    free = _free_bytes(folder)
    if free >= want:
        return
    for entry in folder.glob("g*.duckdb*"):
        if keep is None or not entry.name.startswith(keep.path.name):
            with contextlib.suppress(OSError):
                entry.unlink()
    free = _free_bytes(folder)
    if free < want:
        raise NotEnoughSpace(folder, want, free)


def _free_bytes(folder: Path) -> int:
    """Bytes an unprivileged writer may still use on the disk holding `folder`."""
    return shutil.disk_usage(folder).free


def _copy_synced(src: Path, dest: Path) -> int:
    """Copy `src` to `dest` in the kernel where it can, then fsync; return the size."""
    with src.open("rb") as fin, dest.open("wb") as fout:
        size = os.fstat(fin.fileno()).st_size
        done = 0
        while done < size:
            try:
                n = os.copy_file_range(fin.fileno(), fout.fileno(), min(_COPY_CHUNK, size - done))
            except OSError:
                n = 0
            if n <= 0:  # not supported here (or the source shrank): plain copy of the rest
                fin.seek(done)
                fout.seek(done)
                while chunk := fin.read(_COPY_CHUNK):
                    fout.write(chunk)
                    done += len(chunk)
                break
            done += n
        fout.flush()
        os.fsync(fout.fileno())
    return done


def _check_copy(path: Path) -> None:
    """Open the copy read-only once: a damaged copy is never published."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SELECT max(version) FROM schema_version").fetchall()
    finally:
        con.close()


def _write_synced(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_leftovers(folder: Path) -> None:
    """Copies and markers a killed publisher left (only the write-lock holder publishes)."""
    for entry in folder.glob(".*"):
        with contextlib.suppress(OSError):
            entry.unlink()


def _drop_old(folder: Path, generation: int) -> None:
    """Delete generations older than the last `KEEP_OLD` (readers holding one keep its inode)."""
    for entry in folder.glob("g*.duckdb*"):
        with contextlib.suppress(ValueError, OSError):
            if int(entry.name[1:].split(".")[0]) < generation - KEEP_OLD:
                entry.unlink()
