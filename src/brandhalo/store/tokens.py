"""API and dashboard access tokens (``tokens``): hashed secrets with a role.

Part of the data-access layer (issue 18); :mod:`brandhalo.web.tokens` makes, checks and
revokes tokens, these are its statements. Writers expect ``store.transaction()``.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import duckdb

_COLUMNS = "token_id, name, role, created_at, last_used_at, revoked_at"


class TokenRow(NamedTuple):
    """A stored token without its digest."""

    token_id: str
    name: str | None
    role: str
    created_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def insert(
    con: duckdb.DuckDBPyConnection, token_id: str, name: str | None, role: str, token_hash: str
) -> None:
    """Store a new token (created now) by the digest of its secret."""
    con.execute(
        "INSERT INTO tokens (token_id, name, role, token_hash) VALUES (?, ?, ?, ?)",
        [token_id, name, role, token_hash],
    )


def get(con: duckdb.DuckDBPyConnection, token_id: str) -> TokenRow | None:
    """The token `token_id` (None when there is none)."""
    row = con.execute(f"SELECT {_COLUMNS} FROM tokens WHERE token_id = ?", [token_id]).fetchone()
    return TokenRow(*row) if row is not None else None


def all_tokens(con: duckdb.DuckDBPyConnection, *, include_revoked: bool = True) -> list[TokenRow]:
    """Every token (or only those not revoked), oldest first (ties by id)."""
    where = "" if include_revoked else "WHERE revoked_at IS NULL"
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM tokens {where} ORDER BY created_at, token_id"
    ).fetchall()
    return [TokenRow(*r) for r in rows]


def active_digests(con: duckdb.DuckDBPyConnection) -> list[tuple[TokenRow, str]]:
    """Every token not revoked with the digest of its secret (unordered)."""
    rows = con.execute(
        f"SELECT {_COLUMNS}, token_hash FROM tokens WHERE revoked_at IS NULL"
    ).fetchall()
    return [(TokenRow(*r[:6]), r[6]) for r in rows]


def revoke(con: duckdb.DuckDBPyConnection, token_id: str) -> None:
    """Mark a token revoked now (a revoked one keeps its first revocation time)."""
    con.execute(
        "UPDATE tokens SET revoked_at = current_timestamp WHERE token_id = ? AND revoked_at IS NULL",
        [token_id],
    )


def touch(con: duckdb.DuckDBPyConnection, token_id: str) -> None:
    """Record that a token was used now."""
    con.execute("UPDATE tokens SET last_used_at = current_timestamp WHERE token_id = ?", [token_id])
