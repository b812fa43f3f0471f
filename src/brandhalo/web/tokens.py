"""Access tokens for the API and dashboard: created once, stored hashed, compared in constant time.

A token's secret (``bh_...``) is shown only when it is created; the store keeps its sha256
digest. Roles are ordered: ``admin`` can do everything ``read`` can, plus writes.

Example:
    >>> info, secret = create_token(ws, "read", name="exec dashboard")   # doctest: +SKIP
    >>> verify_token(ws, secret).role                                    # doctest: +SKIP
    'read'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Literal

from pydantic import BaseModel, ConfigDict

from brandhalo.errors import AuthError, InputError, NotFoundError
from brandhalo.store import tokens
from brandhalo.workspace import Workspace

Role = Literal["read", "admin"]
ROLES: tuple[str, ...] = ("read", "admin")
_RANK = {"read": 1, "admin": 2}
PREFIX = "bh_"


class TokenInfo(BaseModel):
    """A token as listed: never the secret, only its public id."""

    model_config = ConfigDict(frozen=True)

    token_id: str
    name: str | None
    role: str
    created_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None

    def allows(self, role: str) -> bool:
        """True when this token's role is at least `role`."""
        return self.revoked_at is None and _RANK.get(self.role, 0) >= _RANK[role]


def hash_secret(secret: str) -> str:
    """sha256 hex digest of a token secret (what the store keeps)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_role(role: str) -> str:
    """Validate a role name at the boundary."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
    return role


def create_token(ws: Workspace, role: str, name: str | None = None) -> tuple[TokenInfo, str]:
    """Create a token with `role` and return its info and the secret (shown only now)."""
    check_role(role)
    secret = PREFIX + secrets.token_urlsafe(32)
    token_id = "tok_" + secrets.token_hex(4)
    with ws.store.transaction() as con:
        tokens.insert(con, token_id, name, role, hash_secret(secret))
    return _get(ws, token_id), secret


def list_tokens(ws: Workspace, *, include_revoked: bool = True) -> list[TokenInfo]:
    """All tokens, oldest first (secrets are never stored, so never listed)."""
    rows = tokens.all_tokens(ws.store.con, include_revoked=include_revoked)
    return [_info(r) for r in rows]


def revoke_token(ws: Workspace, token_id: str) -> TokenInfo:
    """Revoke a token by its id (``tok_...``) or its name; it stops working at once."""
    matches = [t for t in list_tokens(ws) if token_id in (t.token_id, t.name)]
    if not matches:
        raise NotFoundError(
            f"no token with id or name {token_id!r}; `brandhalo token list` shows them"
        )
    if len(matches) > 1:
        raise InputError(
            f"{len(matches)} tokens are named {token_id!r}; revoke one by its id (tok_...)"
        )
    with ws.store.transaction() as con:
        tokens.revoke(con, matches[0].token_id)
    return _get(ws, matches[0].token_id)


def verify_token(ws: Workspace, secret: str | None, role: str = "read") -> TokenInfo:
    """Return the active token for `secret` if it grants `role`, else raise AuthError.

    Every active token's digest is compared with ``hmac.compare_digest`` and the loop never
    exits early, so the time taken does not tell how close a guess was.
    """
    if not secret:
        raise AuthError(
            "this needs an access token; send 'Authorization: Bearer <token>' "
            "(create one with `brandhalo token create --role read`)"
        )
    digest = hash_secret(secret)
    found = None
    for row, stored in tokens.active_digests(ws.store.con):
        if hmac.compare_digest(stored, digest):
            found = row
    if found is None:
        raise AuthError(
            "the access token is unknown or revoked; create a new one with `brandhalo token create`"
        )
    info = _info(found)
    check_allows(info, role)
    return info


def check_allows(info: TokenInfo, role: str) -> None:
    """Raise Forbidden unless `info`'s role is at least `role`."""
    if not info.allows(role):
        raise Forbidden(
            f"this token has the {info.role!r} role, but this needs {role!r}; use an admin token"
        )


class Forbidden(AuthError):
    """A valid token whose role is too low for the route."""

    code = "forbidden"
    status_code = 403


def touch(ws: Workspace, token_id: str) -> None:
    """Record that a token was used (callers throttle this; it is a write)."""
    with ws.store.transaction() as con:
        tokens.touch(con, token_id)


def _get(ws: Workspace, token_id: str) -> TokenInfo:
    row = tokens.get(ws.store.con, token_id)
    if row is None:
        raise NotFoundError(f"no token {token_id!r}; `brandhalo token list` shows them")
    return _info(row)


def _info(row: tokens.TokenRow) -> TokenInfo:
    return TokenInfo(
        token_id=row[0],
        name=row[1],
        role=row[2],
        created_at=row[3],
        last_used_at=row[4],
        revoked_at=row[5],
    )
