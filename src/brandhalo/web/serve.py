"""Run the app with uvicorn: loopback by default, a printed read token for the demo."""

from __future__ import annotations

import errno
import ipaddress
import logging
import shlex
import socket
import sys
import threading
from pathlib import Path
from typing import Any

import duckdb

from brandhalo.errors import BrandhaloError
from brandhalo.workspace import Workspace

log = logging.getLogger("brandhalo.web")


class ServeError(BrandhaloError):
    """The server cannot listen where it was asked to (port taken, address not here...)."""

    code = "serve_error"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_workspace(
    root: Path | str,
    *,
    host: str | None = None,
    port: int | None = None,
    announce_token: bool = False,
    watch: bool = False,
    inbox: Path | None = None,
    interval: float | None = None,
    root_path: str | None = None,
) -> None:
    """Serve `root`'s dashboard and API until interrupted.

    Args:
        host: address to bind; default from ``[server]`` in brandhalo.toml (127.0.0.1).
        port: port; default from ``[server]`` (8000).
        announce_token: create a read token and print a ready-to-open dashboard URL (demo).
        watch: also run the alert watcher in this process (it shares the server's store,
            which DuckDB's one-writer rule requires while the server runs).
        inbox: folder the watcher ingests dropped post files from.
        interval: seconds between watcher rounds (default ``[alerts] interval_s``).
        root_path: the path a reverse proxy serves the dashboard under, stripping it before
            passing requests on (default ``[server] root_path``; "" serves it at ``/``): every
            link, redirect, cookie and script fetch of the pages starts with it.

    Raises:
        ServeError: `root_path` is not a plain URL path.
    """
    import uvicorn

    from brandhalo.config import check_root_path
    from brandhalo.views import console, err_console
    from brandhalo.web.app import create_app
    from brandhalo.web.tokens import create_token, list_tokens

    with Workspace.open(root) as ws:
        host = host or ws.config.server.host
        port = port if port is not None else ws.config.server.port
        try:
            prefix = check_root_path(
                root_path if root_path is not None else ws.config.server.root_path
            )
        except ValueError as exc:
            raise ServeError(str(exc)) from exc
        # Bound before a token or a link exists: a taken port fails here, cleanly, instead of
        # printing a link that opens another server (where the new token does not work).
        sock = bind_socket(host, port)
        port = int(sock.getsockname()[1])  # the port picked when 0 was asked for
        try:
            secret = create_token(ws, "read", name="demo --serve")[1] if announce_token else None
            # never waits for a writer: a busy store skips the hint (the server starts at once)
            no_token = (
                not announce_token
                and ws.store.try_open()
                and not list_tokens(ws, include_revoked=False)
            )
        except BaseException:
            sock.close()
            raise
    # Plain writes, not rich: a URL must never be wrapped (it is copied or clicked).
    sys.stdout.write("\n".join(link_lines(host, port, secret, root=prefix)) + "\n")
    sys.stdout.flush()
    if no_token:  # the dashboard would only show a sign-in form nobody can pass
        err_console.print(
            "note: this workspace has no access token yet, so the dashboard only shows its "
            f"sign-in form: create one with `brandhalo token create --role read -p {shlex.quote(str(root))}`",
            markup=False,
            highlight=False,
        )
    if not is_loopback(host):
        err_console.print(
            f"[yellow]warning:[/yellow] listening on {host}, not only this machine; put it behind "
            "a TLS reverse proxy (docs/security.md) and give out read tokens only"
        )
    app = create_app(root)
    app.state.bh.spawn(lambda: _warm(app), "brandhalo-warm")
    if watch:
        start_watcher(app, interval=interval, inbox=inbox, link=watch_link(app, host, port))
        console.print("alert watcher running" + (f" on {inbox}" if inbox else ""))
    # root_path: uvicorn puts it in every request's scope (never taken from a request header);
    # the app writes it in front of its links and strips it before routing
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", server_header=False, root_path=prefix
    )
    uvicorn.Server(config).run(sockets=[sock])


def link_lines(host: str, port: int, secret: str | None = None, *, root: str = "") -> list[str]:
    """The lines ``serve`` prints: the dashboard's link (with `secret`, a ready-to-open one
    too). A wildcard `host` (0.0.0.0, ::) is no address to open: the link names this
    machine's own address, and a line says so and gives the link for this machine. With a
    `root` path, a line says the pages are meant to be opened through the proxy there."""
    shown = _url_host(link_host(host))
    lines = [f"brandhalo dashboard: http://{shown}:{port}/"]
    if secret:
        lines.append(f"open: http://{shown}:{port}/?token={secret}")
        lines.append("(a read token was created for this; `brandhalo token revoke` ends it)")
    if link_host(host) != host:
        local = "[::1]" if ":" in host else "127.0.0.1"
        lines.append(
            f"(listening on {host}, every address of this machine: the link names one of them; "
            f"on this machine http://{local}:{port}/ opens it too)"
        )
    if root:
        lines.append(
            f"(root path {root}: its pages link to {root}/..., so open the dashboard through the "
            f"reverse proxy that serves it at {root}/ and strips {root} before passing requests "
            "here; docs/security.md)"
        )
    return lines


def link_host(host: str) -> str:
    """The address a link to a server bound to `host` names: `host` itself, or for a
    wildcard (0.0.0.0, ::) this machine's primary address (else its host name)."""
    try:
        wildcard = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return host
    return (_primary_address(":" in host) or socket.gethostname()) if wildcard else host


def _primary_address(v6: bool) -> str | None:
    """The address this machine sends from by default (None: no route): a UDP socket's
    ``connect`` picks it without sending anything."""
    family, probe = (socket.AF_INET6, "2001:db8::1") if v6 else (socket.AF_INET, "192.0.2.1")
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe_sock:
            probe_sock.connect((probe, 9))  # documentation address; nothing is sent
            address = str(probe_sock.getsockname()[0])
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_unspecified else address


def _url_host(host: str) -> str:
    """`host` as a URL writes it (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host else host


def bind_socket(host: str, port: int) -> socket.socket:
    """A socket bound to `host`:`port` (0: a free port), handed to uvicorn as is.

    Raises:
        ServeError: the port is out of range or taken, or the address is not this machine's.
    """
    if not 0 <= port <= 65535:
        raise ServeError(f"port {port} is not a port number: pass --port with 1-65535 (0: any)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(_bind_problem(host, port, exc)) from exc
    sock.listen(2048)  # uvicorn's backlog: a link opened while the app starts waits, not fails
    return sock


def _bind_problem(host: str, port: int, exc: OSError) -> str:
    """What went wrong binding `host`:`port`, and what to do."""
    if isinstance(exc, socket.gaierror):
        return (
            f"host {host!r} is not a known address: pass --host with an IP address of this machine"
        )
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is in use (another brandhalo serve?): stop it, or pass "
            "--port N (--port 0 picks a free one)"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine: pass --host 127.0.0.1 or one of its own"
    if exc.errno == errno.EACCES:
        return f"port {port} needs administrator rights here: pass --port 1024 or higher"
    return f"cannot listen on {host} port {port}: {exc.strerror or exc}"


def _warm(app: Any) -> None:
    """Build the overview once at start, so the first dashboard visit is quick."""
    from brandhalo.web.data import overview

    try:
        overview(app.state.bh, None, None, None)
    except BrandhaloError as exc:  # the page will show the same error when asked
        log.warning("could not prepare the overview: %s", exc)
    except duckdb.InterruptException:  # Ctrl-C while warming: the server is stopping
        log.info("overview not prepared: the server is stopping")


def watch_link(app: Any, host: str, port: int) -> str:
    """The dashboard address the served watcher's alerts link to (each to its card):
    ``[alerts] link`` when set (the address users reach, e.g. behind a reverse proxy), else
    the address this server listens on."""
    configured: str | None = app.state.bh.config.alerts.link
    return configured or f"http://{_url_host(link_host(host))}:{port}/"


def start_watcher(
    app: Any,
    *,
    interval: float | None = None,
    inbox: Path | None = None,
    link: str | None = None,
) -> threading.Thread:
    """Run the alert watcher in a thread of the server; a POST of posts wakes it at once.

    `link` is the dashboard's address: each alert sent carries a link to its card there
    (``<link>alerts?open=<episode>``)."""
    from brandhalo.alerts.watch import pause, watch_once

    state = app.state.bh
    stop, wake = threading.Event(), threading.Event()
    app.state.on_ingest = lambda _out: wake.set()
    every = interval if interval is not None else state.config.alerts.interval_s

    def loop() -> None:
        first = True  # the first round compares every episode with what was sent (recheck)
        while not stop.is_set():
            wake.clear()
            try:
                with state.units:  # readers see the state before the round or after it
                    watch_once(
                        state.ws, inbox=inbox, guard=lambda: state.lock, link=link, recheck=first
                    )
                    # Published after the round (batched; a round that wrote nothing is not
                    # copied). Deliveries are writes too, not only ingest and analyze.
                    state.invalidate()
                first = False
            except BrandhaloError as exc:  # reported, and the next round tries again
                log.error("alert watcher: %s", exc)
            except duckdb.InterruptException:  # Ctrl-C during a round (rolled back): stopping
                return
            app.state.watch_rounds += 1  # observable progress (tests wait on it, not on time)
            pause(every, stop, wake)

    thread = threading.Thread(target=loop, name="brandhalo-watch", daemon=True)
    app.router.add_event_handler("shutdown", stop.set)
    app.state.watcher = (thread, stop, wake)
    app.state.watch_rounds = 0
    thread.start()
    return thread
