"""Run the app with uvicorn: loopback by default, a printed read token for the demo."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from brandhalo.workspace import Workspace


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
) -> None:
    """Serve `root`'s dashboard and API until interrupted.

    Args:
        host: address to bind; default from ``[server]`` in brandhalo.toml (127.0.0.1).
        port: port; default from ``[server]`` (8000).
        announce_token: create a read token and print a ready-to-open dashboard URL (demo).
    """
    import uvicorn

    from brandhalo.cli._common import console, err_console
    from brandhalo.web.app import create_app
    from brandhalo.web.tokens import create_token

    with Workspace.open(root) as ws:
        host = host or ws.config.server.host
        port = port or ws.config.server.port
        secret = create_token(ws, "read", name="demo --serve")[1] if announce_token else None
    shown = f"[{host}]" if ":" in host else host
    console.print(f"brandhalo dashboard: http://{shown}:{port}/")
    if secret:
        console.print(f"open: http://{shown}:{port}/?token={secret}")
        console.print(
            "(a read token was created for this; revoke it with `brandhalo token revoke`)"
        )
    if not is_loopback(host):
        err_console.print(
            f"[yellow]warning:[/yellow] listening on {host}, not only this machine; put it behind "
            "a TLS reverse proxy (docs/security.md) and give out read tokens only"
        )
    uvicorn.run(create_app(root), host=host, port=port, log_level="warning", server_header=False)
