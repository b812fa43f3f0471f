"""The server's one owner of the workspace: one store connection, one lock, a read cache.

DuckDB connections are not safe to share between threads, and DuckDB allows one writing
process per file, so the server opens the workspace once and every route runs its store work
through :meth:`AppState.run`, one at a time. Read answers are cached until the data changes:
the cache is keyed on a data version (last ingest, last aggregation, last episode update), read
at most once a second, and dropped on every write this server makes. A cached answer and a
recently verified token are served without waiting for the store lock, so the dashboard stays
responsive while a long computation or a watcher round holds it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from brandhalo.web.security import RateLimiter
from brandhalo.workspace import Workspace

T = TypeVar("T")

TOUCH_EVERY_S = 60.0
VERSION_EVERY_S = 1.0
#: A verified token is trusted this long without asking the store (revocation delay).
TOKEN_CACHE_S = 1.0
_VERSION_SQL = (
    "SELECT (SELECT max(ingest_id) FROM ingest_log), (SELECT max(aggregated_at) FROM agg_days), "
    "(SELECT max(updated_at) FROM episodes), (SELECT count(*) FROM episodes)"
)


def data_version(ws: Workspace) -> tuple[object, ...]:
    """What changes whenever the data behind any answer changes."""
    row = ws.store.con.execute(_VERSION_SQL).fetchone()
    return tuple(row) if row else ()


class AppState:
    """Per-app state: the workspace, its lock, the read cache and the write rate limiter."""

    def __init__(
        self,
        root: Path | str,
        *,
        cache_ttl: float = 600.0,
        write_rate: float = 5.0,
        burst: int = 20,
    ):
        self.root = Path(root).resolve()
        self.cache_ttl = cache_ttl
        self.limiter = RateLimiter(rate=write_rate, burst=burst)
        self._lock = threading.RLock()
        self._ws: Workspace | None = None
        self._cache: dict[Hashable, tuple[float, Any]] = {}
        self._touched: dict[str, float] = {}
        self._version: tuple[object, ...] = ()
        self._version_at = -VERSION_EVERY_S
        self._tokens: dict[str, tuple[float, Any]] = {}

    @property
    def lock(self) -> threading.RLock:
        """The store lock (a background watcher holds it around its store work)."""
        return self._lock

    @property
    def ws(self) -> Workspace:
        """The workspace, opened (and migrated) on first use."""
        with self._lock:
            if self._ws is None:
                ws = Workspace.open(self.root)
                # Opened and migrated now, not inside a request; no progress bars in a server.
                ws.store.con.execute("SET enable_progress_bar = false")
                ws.store.release_when_waited(self._lock)  # other processes get turns
                self._ws = ws
            return self._ws

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn(ws, *args, **kwargs)`` holding the store lock."""
        with self._lock:
            return fn(self.ws, *args, **kwargs)

    def verify(self, secret: str | None, role: str) -> Any:
        """The token's info if `secret` is active and grants `role` (else AuthError)."""
        from brandhalo.web.tokens import check_allows, hash_secret, verify_token

        if not secret:
            return self.run(verify_token, secret, role)  # raises the "needs a token" error
        digest, now = hash_secret(secret), time.monotonic()
        hit = self._tokens.get(digest)
        if hit is not None and hit[0] > now:
            info = hit[1]
        else:
            info = self.run(verify_token, secret, "read")
            if len(self._tokens) > 1024:
                self._tokens.clear()
            self._tokens[digest] = (now + TOKEN_CACHE_S, info)
        check_allows(info, role)
        return info

    def cached(self, key: Hashable, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Like :meth:`run`, but reuse the answer while the data has not changed."""
        now = time.monotonic()
        hit = self._peek(key, now)
        if hit is not None:
            return hit[1]  # type: ignore[no-any-return]
        with self._lock:
            self._check_version(now)
            hit = self._cache.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]  # type: ignore[no-any-return]
            value = fn(self.ws, *args, **kwargs)
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[key] = (now + self.cache_ttl, value)
            return value

    def _peek(self, key: Hashable, now: float) -> tuple[float, Any] | None:
        """A cached answer without waiting for the store lock (None: compute it)."""
        hit = self._cache.get(key)
        if hit is None or hit[0] <= now:
            return None
        if now - self._version_at < VERSION_EVERY_S:
            return hit
        if not self._lock.acquire(blocking=False):
            return hit  # the store is busy (a write, a long computation): serve what we have
        try:
            self._check_version(now)
        finally:
            self._lock.release()
        return self._cache.get(key)

    def _check_version(self, now: float) -> None:
        if now - self._version_at < VERSION_EVERY_S:
            return
        self._version_at = now
        version = data_version(self.ws)
        if version != self._version:
            self._version = version
            self._cache.clear()

    def invalidate(self) -> None:
        """Forget cached answers (after a write)."""
        with self._lock:
            self._cache.clear()

    def should_touch(self, token_id: str) -> bool:
        """True at most once a minute per token: last-used times are a write."""
        now = time.monotonic()
        with self._lock:
            if now - self._touched.get(token_id, -TOUCH_EVERY_S) < TOUCH_EVERY_S:
                return False
            self._touched[token_id] = now
            return True

    def close(self) -> None:
        with self._lock:
            if self._ws is not None:
                self._ws.close()
                self._ws = None
