"""Web dashboard and JSON API (FastAPI), built from the same models as the report.

`create_app(ws_root)` builds the app; `serve_workspace(root)` runs it with uvicorn on loopback
unless told otherwise. Every route except /health needs a token (`brandhalo token create`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "serve_workspace"]


def create_app(ws_root: Any, **options: Any) -> FastAPI:
    """The FastAPI app for a workspace folder (see :func:`brandhalo.web.app.create_app`)."""
    from brandhalo.web.app import create_app as _create

    return _create(ws_root, **options)


def serve_workspace(
    root: Any, host: str | None = None, port: int | None = None, announce_token: bool = False
) -> None:
    """Serve the dashboard and API (see :func:`brandhalo.web.serve.serve_workspace`)."""
    from brandhalo.web.serve import serve_workspace as _serve

    _serve(root, host=host, port=port, announce_token=announce_token)
