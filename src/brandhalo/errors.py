"""One root error; every message is a full sentence that says what to do.

The CLI turns any :class:`BrandhaloError` into a clean message and exit code 1; the web API
turns it into the one JSON error shape. Nothing else should be caught at those edges.
"""

from __future__ import annotations


class BrandhaloError(Exception):
    """Root of every error brandhalo raises on purpose."""

    #: HTTP status the web API answers with for this kind of error.
    status_code: int = 400
    #: Short machine-readable code used in JSON error bodies.
    code: str = "error"


class ConfigError(BrandhaloError):
    """`brandhalo.toml` is missing, malformed or inconsistent; names the key and the fix."""

    code = "config_error"

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None):
        self.key = key
        self.path = path
        where = f"{path}: " if path else ""
        at = f"[{key}] " if key else ""
        super().__init__(f"{where}{at}{message}")


class InputError(BrandhaloError):
    """A user-supplied file or value cannot be read; names the file, row and column."""

    code = "input_error"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ):
        self.file, self.line, self.column = file, line, column
        parts = [p for p in (file, f"line {line}" if line else None) if p]
        if column:
            parts.append(f"column {column!r}")
        where = (", ".join(parts) + ": ") if parts else ""
        super().__init__(f"{where}{message}")


class TemplateError(InputError):
    """A report or dashboard template (built-in or a workspace override) does not parse or
    fails while rendering; names the template file and line."""

    code = "template_error"
    status_code = 500


class QueryError(BrandhaloError):
    """A theme or search query does not parse; points at the position."""

    code = "query_error"

    def __init__(self, message: str, *, query: str = "", position: int | None = None):
        self.query, self.position = query, position
        if position is not None and query:
            pointer = " " * _display_width(query[:position]) + "^"
            message = f"{message}\n  {query}\n  {pointer}"
        super().__init__(message)


def _display_width(text: str) -> int:
    """Terminal columns of `text`: wide (CJK) characters take two, so the caret lines up."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class StoreError(BrandhaloError):
    """The workspace store cannot be opened, migrated or written."""

    code = "store_error"
    status_code = 503


class StoreBusyError(StoreError):
    """Another process holds the workspace store for writing."""

    code = "store_busy"


class NotFoundError(BrandhaloError):
    """A named thing (metric, brand, model file, workspace) does not exist."""

    code = "not_found"
    status_code = 404


class EngineError(BrandhaloError):
    """A sentiment or aggregation engine cannot run (missing model, missing package)."""

    code = "engine_error"


class AuthError(BrandhaloError):
    """Missing, unknown or under-privileged token."""

    code = "unauthorized"
    status_code = 401
