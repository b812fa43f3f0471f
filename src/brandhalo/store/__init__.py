"""The workspace store: one DuckDB file, a versioned schema, one owner of connections.

DuckDB allows one writing process per file. :class:`Store` is that owner inside a process:
every module asks it for the connection (``store.con``) and writes inside
``with store.transaction():`` so a failure leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from brandhalo.errors import StoreBusyError, StoreError

STORE_FILE = "brandhalo.duckdb"
_MIGRATION = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def all_migrations() -> list[tuple[int, str, str]]:
    """All packaged migrations as (version, name, sql), in order."""
    found = []
    for entry in resources.files("brandhalo.store.migrations").iterdir():
        m = _MIGRATION.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    """A workspace's DuckDB file, opened and migrated on first use."""

    def __init__(self, path: Path | str, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.RLock()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The process's connection (opened and migrated lazily)."""
        if self._con is None:
            with self._lock:
                if self._con is None:
                    self._con = self._open()
        return self._con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for use from another thread (same database, same transaction rules)."""
        return self.con.cursor()

    def _open(self) -> duckdb.DuckDBPyConnection:
        if self.read_only and not self.path.exists():
            raise StoreError(
                f"no store at {self.path}; run `brandhalo init` or `brandhalo ingest` first"
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(self.path), read_only=self.read_only)
        except duckdb.IOException as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreBusyError(
                    f"the store {self.path} is in use by another brandhalo process for writing; "
                    "wait for it to finish (or stop it) and run the command again"
                ) from None
            raise StoreError(
                f"cannot open {self.path} as a brandhalo store ({msg.splitlines()[0]}); "
                "check the path, or move the file aside and run `brandhalo init` to start a new store"
            ) from None
        except duckdb.Error as exc:
            raise StoreError(
                f"{self.path} is not a readable DuckDB store ({str(exc).splitlines()[0]}); "
                "move it aside and run `brandhalo init` to create a new one"
            ) from None
        if not self.read_only:
            self._migrate(con)
        return con

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)"
        )
        done = {r[0] for r in con.execute("SELECT version FROM schema_version").fetchall()}
        for version, name, sql in all_migrations():
            if version in done:
                continue
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(sql)
                con.execute(
                    "INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name]
                )
                con.execute("COMMIT")
            except duckdb.Error:
                con.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All writes inside commit together or not at all."""
        with self._lock:
            con = self.con
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def query(self, sql: str, params: list[Any] | None = None) -> Any:
        """Run a read query and return a pandas DataFrame."""
        return self.con.execute(sql, params or []).df()

    def count(self, table: str) -> int:
        row = self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
