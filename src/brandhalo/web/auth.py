"""Route guards: every route but the public ones needs a token; writes need an admin token.

Reads accept ``Authorization: Bearer <token>`` or the dashboard's login cookie. Writes accept
only the header (a cookie is sent by the browser on its own, so it could be abused from another
site) and are rate-limited per token.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from brandhalo.errors import AuthError, BrandhaloError
from brandhalo.web.state import AppState
from brandhalo.web.tokens import TokenInfo, touch

COOKIE = "brandhalo_token"
LANG_COOKIE = "brandhalo_lang"
#: Paths served without a token: they hold no workspace data.
PUBLIC_PATHS = ("/health", "/openapi.json", "/login", "/static/")


class RateLimited(BrandhaloError):
    """Too many write requests from one token."""

    code = "rate_limited"
    status_code = 429


def state_of(request: Request) -> AppState:
    """The app's :class:`AppState`."""
    return request.app.state.bh  # type: ignore[no-any-return]


def bearer(request: Request) -> str | None:
    """The token from an ``Authorization: Bearer`` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _check(request: Request, secret: str | None, role: str) -> TokenInfo:
    st = state_of(request)
    info = st.verify(secret, role)
    if st.should_touch(info.token_id):
        st.run(touch, info.token_id)
    request.state.token = info
    return info


def require_read(request: Request) -> TokenInfo:
    """Dependency: a read (or admin) token from the header or the login cookie."""
    return _check(request, bearer(request) or request.cookies.get(COOKIE), "read")


def require_admin(request: Request) -> TokenInfo:
    """Dependency: an admin token in the Authorization header, within its rate limit."""
    secret = bearer(request)
    if secret is None and request.cookies.get(COOKIE):
        raise AuthError(
            "writes need 'Authorization: Bearer <admin token>'; the dashboard cookie only reads"
        )
    info = _check(request, secret, "admin")
    if not state_of(request).limiter.allow(info.token_id):
        raise RateLimited("too many write requests with this token; wait a second and retry")
    return info


def require(role: str) -> Callable[[Request], TokenInfo]:
    """The guard for `role` ("read" or "admin")."""
    return require_admin if role == "admin" else require_read
