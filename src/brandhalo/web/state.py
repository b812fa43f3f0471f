"""The server's view of the workspace: reads from a published snapshot, writes to the store.

DuckDB allows one writing process per file, and while it writes no other process may even
read the file. So the server never reads the store itself: every read (metrics, alerts, the
overview, post search, token checks) runs on the newest *published snapshot*, a read-only copy
that each writer publishes before it lets go of the store (:mod:`brandhalo.store.snapshot`,
docs/concurrency.md). Reads therefore never wait for an ``ingest`` or ``analyze`` in another
process: they are answered from the state before it, then from the state after it.

Writes this server makes (API posts, labels, the in-server watcher) run through
:meth:`AppState.run`, one at a time under the store lock, and :meth:`AppState.invalidate` asks
the *publisher* thread to publish them. It batches: at most one publish per
``publish_every_s`` (1 s) or twice the last publish's duration, whichever is longer, so a
stream of writes costs one store copy per interval, not one per write. A read that finds the
snapshot behind a store nobody holds (a writer killed before it published) publishes it first,
but only when the store is free at once: it never waits.

Read answers are cached per snapshot generation. A new generation is *warmed* before it is
served: a background thread opens it and recomputes the answers asked for recently, while
requests keep being answered from the previous generation; then it swaps. So a new generation
never makes the dashboard compute everything cold at once.

An edited ``brandhalo.toml`` (a product added, then ``brandhalo analyze`` run) is read again
while the server runs: reads check the file at most once per :data:`CONFIG_CHECK_S` and answer
under the new config from then on (cached answers of the old one are not served again); a
write of this server reads it again first, under the store lock, so a write never runs with a
config the file no longer holds. Neither waits for a writer.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import logging
import threading
import time
import weakref
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from brandhalo.config import Config, load_config
from brandhalo.errors import BrandhaloError, ConfigError, StoreError
from brandhalo.store import STORE_FILE, Store, snapshot
from brandhalo.web.security import RateLimiter
from brandhalo.workspace import Workspace

T = TypeVar("T")
log = logging.getLogger("brandhalo.web")

TOUCH_EVERY_S = 60.0
#: A verified token is trusted this long without asking the store (revocation delay).
TOKEN_CACHE_S = 1.0
#: After a failed snapshot refresh, reads serve the current snapshot this long before retrying.
REFRESH_RETRY_S = 5.0
#: Before the first generation is served, opening the newest snapshot is retried this long
#: (other processes may publish and delete one after another) before a read answers 503.
FIRST_OPEN_S = 5.0
#: Read connections kept per snapshot generation (reads run in parallel on them).
READ_POOL = 4
#: Cached reads asked within this many seconds are recomputed on a new generation first.
WARM_RECENT_S = 120.0
#: At most this many (the most recently asked first) ...
WARM_KEYS = 48
#: ... and for at most this long; then the new generation is served anyway.
WARM_MAX_S = 15.0
#: Per HTTP request (the app sets it): the snapshot generations the request's reads answered
#: from, so the answer can say which one it is (not the one served when it is sent).
ANSWERED_FROM: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "brandhalo_answered_from", default=None
)
#: The server publishes its own writes at most once per this many seconds (batched) ...
PUBLISH_EVERY_S = 1.0
#: ... and waits at least this many times the last publish's duration between two publishes
#: (so copying a large store takes at most a third of the time while writes stream in).
PUBLISH_GAP_FACTOR = 2.0
#: Reading the store directly (no snapshot fits), a request waits this long for this
#: server's own write to end (DuckDB opens a file read-write or read-only per process).
DIRECT_WAIT_S = 5.0
#: How long closing waits for each background thread (publisher, warmer, refreshes).
JOIN_S = 60.0
#: Reads check at most this often whether brandhalo.toml was edited (then read it again).
CONFIG_CHECK_S = 1.0


class _Flight:
    """One computation of a cached answer that other requests for it wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.waiters = 0  # requests waiting for it besides the one computing
        self.value: Any = None
        self.error: BaseException | None = None


class _Generation:
    """One opened snapshot generation: a pool of read-only workspaces and who uses them.

    The snapshot file is opened once; every pooled workspace reads through its own cursor of
    that one database. A newer publish may delete the file while this generation is still
    served (only the last `snapshot.KEEP_OLD` are kept): the open database keeps it, so a
    request needing one more connection never opens the file again.
    """

    def __init__(self, snap: snapshot.Snapshot, root: Path, config: Callable[[], Config]):
        self.snap = snap
        self.generation = snap.generation
        self._root, self._config = root, config  # the config to answer under, now
        # Generation 0 is the store itself, read directly (no snapshot can be published: see
        # AppState._read_store_directly); it takes the workspace lock shared, never waiting.
        direct = snap.generation == 0
        self._base = Store(snap.path, read_only=True, locked=direct)
        if direct and not self._base.try_open():
            raise StoreError(f"{snap.path} is held by a writer")
        self._base.con.execute("SET enable_progress_bar = false")  # a deleted file fails here
        self._free: list[Workspace] = []
        self._opened: list[Workspace] = []
        self.users = 0
        self.retired = False
        self._free.append(self.take())

    def take(self) -> Workspace:
        """A read-only workspace on this generation for one request (give it back); it
        holds the server's current config (brandhalo.toml may have been edited since the
        pooled workspace was last used)."""
        if self._free:
            ws = self._free.pop()
            ws.config = self._config()
            return ws
        store = self._base.reader()
        store.con.execute("SET enable_progress_bar = false")
        ws = Workspace(self._root, self._config(), store)
        self._opened.append(ws)
        return ws

    def give_back(self, ws: Workspace) -> None:
        if len(self._free) < READ_POOL:
            self._free.append(ws)
        else:
            self._opened.remove(ws)
            ws.close()

    def close(self) -> None:
        for ws in self._opened:
            ws.close()
        self._opened, self._free = [], []
        self._base.close()


class AppState:
    """Per-app state: the workspace, its snapshot readers, the read cache, the rate limiter."""

    def __init__(
        self,
        root: Path | str,
        *,
        cache_ttl: float = 600.0,
        write_rate: float = 5.0,
        burst: int = 20,
        publish_every_s: float = PUBLISH_EVERY_S,
    ):
        self.root = Path(root).resolve()
        self.store_path = self.root / STORE_FILE
        self.cache_ttl = cache_ttl
        self.publish_every_s = publish_every_s
        self.limiter = RateLimiter(rate=write_rate, burst=burst)
        self._lock = threading.RLock()  # the store (write) lock
        self._units = threading.RLock()  # held around a unit of several writes (a watch round)
        self._ws_mutex = threading.Lock()
        self._config_mutex = threading.Lock()  # a leaf: nothing is taken while holding it
        self._gen_mutex = threading.Lock()
        self._refresh_mutex = threading.Lock()
        self._ws: Workspace | None = None
        #: What reads answer under (the write workspace's is reloaded by writes, under the
        #: store lock); replaced, never changed, when brandhalo.toml is edited.
        self._config: Config | None = None
        self._config_epoch = 0  # +1 per reload: part of every cached answer's key
        self._config_checked = -1e9
        self._config_problem: str | None = None  # the unusable edit last logged
        self._gen: _Generation | None = None
        self._enabled = False
        self._warned_direct = False
        self._retry_at = 0.0
        self._cache: dict[tuple[int, Hashable], tuple[float, Any]] = {}
        self._cache_gen = -1
        self._recipes: dict[Hashable, tuple[float, Callable[..., Any], tuple[Any, ...], Any]] = {}
        self._flights: dict[tuple[int, Hashable], _Flight] = {}
        self._warming: threading.Thread | None = None
        self._touched: dict[str, float] = {}
        self._pending_touch: set[str] = set()
        self._tokens: dict[str, tuple[float, Any]] = {}
        # The publisher: writes are counted; a publish covers every write counted before it.
        self._pub = threading.Condition(threading.Lock())
        self._written = 0  # writes of this server so far
        self._published = 0  # ... of which this many are in a published snapshot
        self._publishes = 0  # publishes of this server's writes (the cost is one copy each)
        self._own_generation = 0  # the newest generation published with this server's writes
        self._last_publish_end = -1e9
        self._last_publish_s = 0.0
        self._publisher: threading.Thread | None = None
        self._closing = False
        self._stopping = threading.Event()  # set by close(): waits for the store end
        self._workers: set[threading.Thread] = set()  # refresh threads still running
        _OPEN.add(self)

    @property
    def lock(self) -> threading.RLock:
        """The store lock (a background watcher holds it around its store work)."""
        return self._lock

    @property
    def units(self) -> threading.RLock:
        """Held around a unit of several writes (a watcher round): never published halfway."""
        return self._units

    @property
    def ws(self) -> Workspace:
        """The workspace (its store opens, waiting its turn, on first use inside :meth:`run`)."""
        with self._ws_mutex:
            if self._ws is None:
                ws = Workspace.open(self.root)
                ws.store.release_when_waited(self._lock)  # other processes get turns
                ws.store.cancel_wait = self._stopping  # closing ends a wait for the store
                self._ws = ws
            return self._ws

    @property
    def config(self) -> Config:
        """The workspace config as the file holds it now (checked at most once per
        :data:`CONFIG_CHECK_S`): what the pages and read answers use. Never waits for a
        writer."""
        self._fresh_config()
        return self._current_config()

    def _current_config(self) -> Config:
        config = self._config
        if config is None:
            self._fresh_config(force=True)
            config = self._config
            assert config is not None  # noqa: S101 - _fresh_config sets it or raises
        return config

    def _fresh_config(self, *, force: bool = False) -> None:
        """Read brandhalo.toml again when it was edited since the reads' config was read
        (at most once per :data:`CONFIG_CHECK_S` unless `force`; a check another thread is
        making is not waited for). On a reload the cached answers and recent questions are
        dropped, and answers are keyed by the new config epoch, so no answer computed under
        the old config is served again. An edited file that cannot be used (half-saved, a
        typo) is logged once and the old config kept.

        Raises:
            ConfigError: the file cannot be read the first time (nothing to keep serving).
        """
        now = time.monotonic()
        if not force and self._config is not None and now - self._config_checked < CONFIG_CHECK_S:
            return
        if not self._config_mutex.acquire(blocking=force or self._config is None):
            return
        reloaded = False
        try:
            self._config_checked = now
            if self._config is None:
                self._config = load_config(self.root)
            elif self._config.file_changed():
                try:
                    new = load_config(self.root)
                except ConfigError as exc:
                    if str(exc) != self._config_problem:
                        self._config_problem = str(exc)
                        log.warning(
                            "brandhalo.toml changed but cannot be used; still serving the "
                            "config read before (fix the file: it is read again): %s",
                            exc,
                        )
                    return
                self._config, self._config_problem = new, None
                self._config_epoch += 1  # after the config: a key of it is answered under it
                reloaded = True
        finally:
            self._config_mutex.release()
        if reloaded:
            log.info("brandhalo.toml changed: reloaded")
            with self._gen_mutex:
                self._cache.clear()
                self._recipes.clear()

    def _reload_writer(self, ws: Workspace) -> None:
        """Before a write (the caller holds the store lock): read brandhalo.toml again if it
        was edited, so the write runs under what the file holds (stages refuse an older
        config: StaleConfigError). An unusable edit keeps the old config (logged)."""
        try:
            changed = ws.reload_config()
        except ConfigError as exc:
            log.warning("brandhalo.toml changed but cannot be used; writing with the config "
                        "read before: %s", exc)  # fmt: skip
            return
        if changed:
            self._fresh_config(force=True)  # reads agree with the write from now on

    @property
    def generation(self) -> int:
        """The snapshot generation reads are served from now (0 before the first read)."""
        gen = self._gen
        return gen.generation if gen is not None else 0

    def freshness(self) -> tuple[int, int]:
        """(served, newest): the snapshot generation reads are served from now and the newest
        one published (an ``analyze`` in another process, this server's own writes). While
        newest > served the newer one is being warmed (the dashboard says "updating…"); this
        starts the warming when no read did yet. Never waits for a writer."""
        self._fresh_config()
        snap = snapshot.current(self.store_path)
        newest = snap.generation if snap is not None else 0
        with self._gen_mutex:
            served = self._gen.generation if self._gen is not None else 0
            if self._gen is not None and newest > served:
                self._start_warming()
        return served, max(newest, served)

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn(ws, *args, **kwargs)`` on the store itself, holding the store lock.

        For writes (they wait for another process that writes); the write is published for
        readers by the publisher thread (:meth:`invalidate`), batched with others. An edited
        brandhalo.toml is read again first (:meth:`_reload_writer`).
        """
        with self._lock:
            ws = self.ws
            self._reload_writer(ws)
            if not ws.store.is_open:
                ws.store.con.execute("SET enable_progress_bar = false")  # no bars in a server
            self._flush_touches(ws)
            try:
                return fn(ws, *args, **kwargs)
            finally:
                self.invalidate()  # published for readers by the publisher thread

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn(ws, *args, **kwargs)`` on the current read snapshot (never waits for a
        writer; `fn` must only read)."""
        self._fresh_config()
        gen = self._take_generation()
        try:
            return self._on(gen, fn, *args, **kwargs)
        finally:
            self._release_generation(gen)

    def verify(self, secret: str | None, role: str) -> Any:
        """The token's info if `secret` is active and grants `role` (else AuthError)."""
        from brandhalo.web.tokens import check_allows, hash_secret, verify_token

        if not secret:
            return self.read(verify_token, secret, role)  # raises the "needs a token" error
        digest, now = hash_secret(secret), time.monotonic()
        hit = self._tokens.get(digest)
        if hit is not None and hit[0] > now:
            info = hit[1]
        else:
            info = self._verify_on_newest(secret)
            if len(self._tokens) > 1024:
                self._tokens.clear()
            self._tokens[digest] = (now + TOKEN_CACHE_S, info)
        check_allows(info, role)
        return info

    def _verify_on_newest(self, secret: str) -> Any:
        """Check a token on the newest published generation, even while it is warming: a
        token created or revoked counts as soon as its write is published."""
        from brandhalo.web.tokens import verify_token

        snap = snapshot.current(self.store_path)
        if snap is not None and snap.generation > self.generation:
            try:
                store = Store(snap.path, read_only=True, locked=False)
                with Workspace(self.root, self._current_config(), store) as ws:
                    return verify_token(ws, secret, "read")
            except StoreError:  # deleted by newer publishes meanwhile: the served one decides
                pass
        return self.read(verify_token, secret, "read")

    def cached(self, key: Hashable, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Like :meth:`read`, but reuse the answer while the snapshot is the same.

        A published generation never changes, so its answers stay right; after ``cache_ttl``
        (answers relative to today) the old answer is still served while one background
        thread recomputes it. Requests asking the same question at once share one computation.
        """
        self._fresh_config()
        key = (self._config_epoch, key)  # an answer under an older config is never served
        now = time.monotonic()
        gen = self._take_generation()
        try:
            if gen.generation == 0:  # the store read directly: it may change, nothing is kept
                return self._on(gen, fn, *args, **kwargs)
            with self._gen_mutex:
                self._recipes.pop(key, None)
                self._recipes[key] = (now, fn, args, kwargs)  # newest last
                while len(self._recipes) > WARM_KEYS:
                    self._recipes.pop(next(iter(self._recipes)))
                hit = self._cache.get((gen.generation, key))
            if hit is not None:
                if hit[0] <= now:
                    self._refresh_in_background(gen, key, fn, args, kwargs)
                return hit[1]  # type: ignore[no-any-return]
            return self._compute_once(gen, key, fn, args, kwargs)
        finally:
            self._release_generation(gen)

    def _compute_once(
        self, gen: _Generation, key: Hashable, fn: Callable[..., T], args: Any, kwargs: Any
    ) -> T:
        """Compute and cache an answer; concurrent callers of the same key wait for it."""
        with self._gen_mutex:
            flight = self._flights.get((gen.generation, key))
            leader = flight is None
            if flight is None:
                flight = self._flights[(gen.generation, key)] = _Flight()
            else:
                flight.waiters += 1
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value  # type: ignore[no-any-return]
        try:
            flight.value = self._on(gen, fn, *args, **kwargs)
            self._remember(gen.generation, key, flight.value, time.monotonic())
            return flight.value  # type: ignore[no-any-return]
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._gen_mutex:
                self._flights.pop((gen.generation, key), None)
            flight.done.set()

    def _refresh_in_background(
        self, gen: _Generation, key: Hashable, fn: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        """Recompute an expired answer in a thread (unless one does); the caller holds `gen`."""
        with self._gen_mutex:
            if (gen.generation, key) in self._flights:
                return
            gen.users += 1  # kept open until the thread is done

        def refresh() -> None:
            try:
                self._compute_once(gen, key, fn, args, kwargs)
            except Exception:  # noqa: BLE001, S110 - a request for it will report the error
                pass
            finally:
                self._release_generation(gen)

        self.spawn(refresh, "brandhalo-refresh")

    def spawn(self, target: Callable[[], None], name: str) -> None:
        """Start a tracked background thread (close() waits for it, so no thread is inside
        DuckDB when the interpreter exits)."""

        def run() -> None:
            try:
                target()
            finally:
                with self._gen_mutex:
                    self._workers.discard(threading.current_thread())

        thread = threading.Thread(target=run, name=name, daemon=True)
        with self._gen_mutex:
            self._workers.add(thread)
        thread.start()

    def _remember(self, generation: int, key: Hashable, value: Any, now: float) -> None:
        with self._gen_mutex:
            # answers of generations older than the one served are not needed (those of the
            # one served are, while a newer one is warmed: requests still read it)
            served = self._gen.generation if self._gen is not None else generation
            self._drop_answers_before(min(generation, served))
            if len(self._cache) > 1024:
                self._cache.clear()
            self._cache[(generation, key)] = (now + self.cache_ttl, value)

    def _drop_answers_before(self, generation: int) -> None:
        """Forget the answers of generations older than `generation` (caller holds the
        generation mutex)."""
        if generation > self._cache_gen:
            self._cache = {k: v for k, v in self._cache.items() if k[0] >= generation}
            self._cache_gen = generation

    def invalidate(self) -> None:
        """After a write of this server: have it published for readers (batched, async).

        Returns at once. The publisher thread publishes every write made before it starts,
        at most once per :attr:`publish_every_s` (or :data:`PUBLISH_GAP_FACTOR` times the last
        publish's duration, if longer), and never while a unit of writes (a watcher round)
        runs, so a round is never published halfway. Readers see the write once the new
        generation is warmed and served (docs/concurrency.md states the bound);
        :meth:`wait_published` waits for it.
        """
        with self._pub:
            self._written += 1
            if self._publisher is None or not self._publisher.is_alive():
                self._publisher = threading.Thread(
                    target=self._publish_loop, name="brandhalo-publish", daemon=True
                )
                self._publisher.start()
            self._pub.notify_all()

    @property
    def publishes(self) -> int:
        """How many times this server published its own writes (each is one store copy)."""
        return self._publishes

    def wait_published(self, timeout: float = 60.0) -> bool:
        """Wait until every write made so far is published and the newest published
        generation (another process's too) is served (tests, shutdown).

        Returns False if that did not happen within `timeout` seconds.
        """
        deadline = time.monotonic() + timeout
        if self._own_writes_published(deadline) is None:
            return False
        snap = snapshot.current(self.store_path)
        return snap is None or self._served_from(snap.generation, deadline)

    def wait_own_writes(self, timeout: float) -> bool:
        """Wait until this server's own writes so far are published and served (a labeller
        then reads the labels they saved), never for a newer generation of another process:
        a reader does not wait while another process's ingest or analyze is warmed.

        Returns False if that did not happen within `timeout` seconds.
        """
        deadline = time.monotonic() + timeout
        own = self._own_writes_published(deadline)
        return own is not None and self._served_from(own, deadline)

    def _own_writes_published(self, deadline: float) -> int | None:
        """Wait until every write made so far is published; the newest generation holding
        them (0: none), or None at `deadline`."""
        with self._pub:
            want = self._written
            while self._published < want:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._pub.wait(left)
            return self._own_generation

    def _served_from(self, generation: int, deadline: float) -> bool:
        """Wait until `generation` (or a newer one) is served; False at `deadline`."""
        while self.generation < generation:
            if time.monotonic() > deadline:
                return False
            self._take_generation_released()  # starts warming it if nothing else did
            time.sleep(0.05)
        return True

    def _take_generation_released(self) -> None:
        self._release_generation(self._take_generation())

    def _publish_loop(self) -> None:
        """The publisher thread: publish this server's writes, batched (see :meth:`invalidate`)."""
        while True:
            with self._pub:
                while self._published >= self._written and not self._closing:
                    self._pub.wait()
                if self._closing:
                    return
                gap = max(self.publish_every_s, PUBLISH_GAP_FACTOR * self._last_publish_s)
                due = self._last_publish_end + gap
                while (left := due - time.monotonic()) > 0 and not self._closing:
                    self._pub.wait(left)  # writes arriving meanwhile join this publish
                if self._closing:
                    return
            self._publish_own()

    def _publish_own(self) -> None:
        """Publish every write made so far (waits for a running unit, e.g. a watcher round)."""
        t0 = time.monotonic()
        done, own = False, 0
        try:
            with self._units, self._lock:
                with self._pub:
                    upto = self._written
                ws = self.ws
                if ws.store.is_open:  # else its close() published (another process waited)
                    self._flush_touches(ws)
                    if ws.store.publish_if_stale() is not None:
                        self._publishes += 1
                        with self._gen_mutex:
                            if self._gen is not None:  # warm it now, not on the next request
                                self._start_warming()
                # the newest snapshot holds every write made so far (the store lock is held)
                newest = snapshot.current(self.store_path)
                own = newest.generation if newest is not None else 0
                done = True
        except BrandhaloError as exc:  # the store keeps the writes; the next round retries
            log.warning("%s", exc)
        finally:
            with self._pub:
                if done:
                    self._published = max(self._published, upto)
                    self._own_generation = max(self._own_generation, own)
                self._last_publish_s = time.monotonic() - t0
                self._last_publish_end = time.monotonic()
                self._pub.notify_all()

    def should_touch(self, token_id: str) -> bool:
        """Note that a token was used; False: this server records it itself, later.

        Last-used times are a write; a read must never wait for the store, so they are
        written (at most once a minute per token) with this server's next write or at exit.
        """
        now = time.monotonic()
        with self._gen_mutex:
            if now - self._touched.get(token_id, -TOUCH_EVERY_S) >= TOUCH_EVERY_S:
                self._touched[token_id] = now
                self._pending_touch.add(token_id)
        return False

    def _flush_touches(self, ws: Workspace) -> None:
        """Write the pending last-used times (the caller holds the store lock)."""
        from brandhalo.web.tokens import touch

        with self._gen_mutex:
            pending, self._pending_touch = self._pending_touch, set()
        for token_id in sorted(pending):
            touch(ws, token_id)

    # -- snapshots -------------------------------------------------------------------------

    def _take_generation(self) -> _Generation:
        """The generation to answer from, marked in use.

        A stale snapshot is first refreshed if that needs no wait (then served at once). A
        newer generation published by another process is warmed in the background and served
        when ready; until then the previous one answers.
        """
        mine = self._refresh_if_free()
        try:
            snap = snapshot.current(self.store_path) or self._publish_waiting()
        except StoreError as exc:
            return self._read_store_directly(exc)
        # Nothing served yet and the newest snapshot replaced while it was opened (writers
        # publishing one after another): look again for a while before answering 503.
        deadline = time.monotonic() + FIRST_OPEN_S
        attempt = 0
        while attempt < 3 or (self._gen is None and time.monotonic() < deadline):
            if attempt >= 3:
                time.sleep(0.05)
            attempt += 1
            with self._gen_mutex:
                gen = self._gen
                if gen is not None and gen.generation < snap.generation and not mine:
                    self._start_warming()
                elif gen is None or gen.generation < snap.generation:
                    new = self._open_generation(snap)
                    if new is not None:
                        self._retire(gen)
                        self._gen = gen = new
                        self._drop_answers_before(new.generation)
                if gen is not None and (gen.generation >= snap.generation or not mine or attempt):
                    gen.users += 1  # at worst the previous generation: still consistent
                    answered = ANSWERED_FROM.get()
                    if answered is not None:
                        answered.append(gen.generation)
                    return gen
            snap = snapshot.current(self.store_path) or snap
        raise StoreError(
            f"could not open a read snapshot of {self.store_path}; check the disk and that "
            f"{snapshot.SNAPSHOT_DIR} is readable, then reload"
        )

    def _read_store_directly(self, failure: StoreError) -> _Generation:
        """No snapshot exists and none can be published (a full disk, a read-only workspace
        folder): answer this request from the store itself, opened read-only for this request
        only, under the workspace lock taken shared *without waiting* (so it never delays a
        writer by more than one request, and never reads while one writes). Nothing is
        cached: the store may change between requests. Raises `failure` when the store is
        held by a writer or cannot be opened so."""
        now = time.time()
        snap = snapshot.Snapshot(0, self.store_path, (0,) * 6, now, 0, 0.0)
        if self.ws.store.is_open:
            # DuckDB opens a file one way per process: let go of this server's own read-write
            # connection (kept after its last write) so it can be read; a write of this
            # server that runs is waited for a little (the publisher's failing publish is).
            with (
                _try_lock(self._units, DIRECT_WAIT_S) as units,
                _try_lock(self._lock, DIRECT_WAIT_S) as store_lock,
            ):
                if units and store_lock:
                    self.ws.store.close()
        try:
            gen = _Generation(snap, self.root, self._current_config)
        except (BrandhaloError, duckdb.Error):
            raise failure from None
        if not self._warned_direct:
            self._warned_direct = True
            log.warning("%s; reading the store directly until a snapshot is published", failure)
        with self._gen_mutex:
            gen.retired = True  # closed (the lock let go) when this request is done
            gen.users += 1
            answered = ANSWERED_FROM.get()
            if answered is not None:
                answered.append(0)
        return gen

    def _open_generation(self, snap: snapshot.Snapshot) -> _Generation | None:
        try:
            return _Generation(snap, self.root, self._current_config)
        except BrandhaloError:  # deleted by newer publishes meanwhile: the caller looks again
            return None

    def _start_warming(self) -> None:
        """Start the warming thread unless it runs (the caller holds the generation mutex)."""
        if self._warming is not None and self._warming.is_alive():
            return
        self._warming = threading.Thread(target=self._warm, name="brandhalo-warm-snapshot")
        self._warming.daemon = True
        self._warming.start()

    def _warm(self) -> None:
        """Open the newest generation, recompute the recent answers on it, then serve it."""
        while True:
            snap = snapshot.current(self.store_path)
            with self._gen_mutex:
                served = self._gen.generation if self._gen is not None else 0
                recent = time.monotonic() - WARM_RECENT_S
                recipes = [(k, r) for k, r in self._recipes.items() if r[0] >= recent][::-1]
            if snap is None or snap.generation <= served:
                return
            gen = self._open_generation(snap)
            if gen is None:
                continue
            deadline = time.monotonic() + WARM_MAX_S
            for key, (_, fn, args, kwargs) in recipes:
                if time.monotonic() > deadline:
                    break
                try:
                    value = self._on(gen, fn, *args, **kwargs)
                except Exception:  # noqa: BLE001 - a request for it will report the error
                    continue
                self._remember(gen.generation, key, value, time.monotonic())
            with self._gen_mutex:
                if self._gen is None or self._gen.generation < gen.generation:
                    self._retire(self._gen)
                    self._gen = gen
                    self._drop_answers_before(gen.generation)
                else:
                    self._retire(gen)

    def _on(self, gen: _Generation, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn` on a pooled read-only workspace of `gen`."""
        with self._gen_mutex:
            ws = gen.take()
        try:
            return fn(ws, *args, **kwargs)
        finally:
            with self._gen_mutex:
                gen.give_back(ws)

    def _release_generation(self, gen: _Generation) -> None:
        with self._gen_mutex:
            gen.users -= 1
            if gen.retired and gen.users == 0:
                gen.close()

    def _retire(self, gen: _Generation | None) -> None:
        """Close an older generation once its last request is done (caller holds the mutex)."""
        if gen is None:
            return
        gen.retired = True
        if gen.users == 0:
            gen.close()

    def _refresh_if_free(self) -> bool:
        """Publish a stale snapshot if the store can be had without waiting (True if it did)."""
        if not self._enabled:
            with contextlib.suppress(OSError):  # a read-only folder: nobody can publish there
                snapshot.enable(self.store_path)  # from now on every writer publishes
            self._enabled = True
        snap = snapshot.current(self.store_path)
        if snap is not None and (
            not snapshot.is_stale(self.store_path, snap) or time.monotonic() < self._retry_at
        ):
            return False
        if not self._refresh_mutex.acquire(blocking=False):
            return False  # another request is publishing: serve the current snapshot
        try:
            with _try_lock(self._units) as units, _try_lock(self._lock) as store_lock:
                if not (units and store_lock):
                    return False
                store = self.ws.store
                if store.is_open:
                    return False  # the lag is this server's own writes: the publisher's job
                if not store.try_open():
                    return False  # another process writes: it publishes when it is done
                try:
                    self._flush_touches(self.ws)
                    return store.publish_if_stale() is not None
                finally:
                    store.close()
        except BrandhaloError as exc:
            log.warning("could not refresh the read snapshot: %s", exc)
            self._retry_at = time.monotonic() + REFRESH_RETRY_S
            return False
        finally:
            self._refresh_mutex.release()

    def _publish_waiting(self) -> snapshot.Snapshot:
        """No snapshot yet (first serve while another process writes): wait, then publish."""
        with self._units, self._lock:
            snap = snapshot.current(self.store_path)
            if snap is not None:
                return snap
            store = self.ws.store
            was_open = store.is_open
            try:
                return store.publish()
            finally:
                if not was_open:
                    store.close()

    def close(self) -> None:
        """Write pending last-used times (if the store is free), publish what this server
        wrote (closing the store does), close everything.

        Waits for the background threads first: a thread still inside DuckDB when the
        interpreter exits aborts the process ("FATAL: exception not rethrown").
        """
        with self._pub:
            self._closing = True
            self._pub.notify_all()
        self._stopping.set()  # a thread waiting for another process's write gives up
        self._join_workers()
        with self._lock:
            if self._ws is not None:
                with contextlib.suppress(BrandhaloError):
                    if self._pending_touch and self._ws.store.try_open():
                        self._flush_touches(self._ws)
                self._ws.close()
                self._ws = None
        with self._gen_mutex:
            self._retire(self._gen)
            self._gen = None

    def _join_workers(self) -> None:
        """Wait (bounded) for the publisher, the warmer and the refresh threads to end."""
        with self._gen_mutex:
            threads = [self._publisher, self._warming, *self._workers]
        me = threading.current_thread()
        for thread in threads:
            if thread is not None and thread is not me and thread.is_alive():
                thread.join(JOIN_S)
        _OPEN.discard(self)


#: App states not closed yet: closed at interpreter exit (a test or embedding program that
#: never ran the app's shutdown), so no background thread is inside DuckDB when Python stops.
_OPEN: weakref.WeakSet[AppState] = weakref.WeakSet()


@atexit.register
def _close_open_states() -> None:
    for state in list(_OPEN):
        with contextlib.suppress(Exception):
            state.close()


@contextlib.contextmanager
def _try_lock(lock: Any, wait_s: float = 0.0) -> Any:
    """Yield True holding `lock` if it was free (or got free within `wait_s`), else False."""
    got = lock.acquire(timeout=wait_s) if wait_s > 0 else lock.acquire(blocking=False)
    try:
        yield got
    finally:
        if got:
            lock.release()
