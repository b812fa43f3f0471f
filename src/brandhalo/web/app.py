"""The FastAPI application: JSON API, dashboard pages, static files, one error shape.

Errors are translated once, here: a :class:`BrandhaloError` becomes
``{"error": {"status", "code", "message"}}`` with its status; anything unexpected becomes a 500
with the same shape and no stack trace (the trace goes to the server log).
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from brandhalo.errors import AuthError, BrandhaloError
from brandhalo.web.auth import COOKIE, state_of
from brandhalo.web.security import (
    DEFAULT_MAX_BODY,
    BodyLimit,
    SecurityHeaders,
    root_path,
    route_path,
)
from brandhalo.web.state import AppState

log = logging.getLogger("brandhalo.web")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
}


def create_app(
    ws_root: Path | str,
    *,
    max_body: int = DEFAULT_MAX_BODY,
    cache_ttl: float = 600.0,
    write_rate: float = 5.0,
    write_burst: int = 20,
    publish_every_s: float | None = None,
) -> FastAPI:
    """Build the app for the workspace at `ws_root` (opened on the first request).

    Args:
        ws_root: workspace folder (holds brandhalo.toml).
        max_body: largest accepted request body in bytes (413 above).
        cache_ttl: seconds after which a read answer is recomputed in the background (the
            old one is served meanwhile; a new snapshot generation has its own answers).
        write_rate: write requests per second allowed per admin token (bursts up to
            `write_burst`); more get 429.
        publish_every_s: the server publishes its own writes for readers at most once per
            this many seconds (batched; default ``state.PUBLISH_EVERY_S``).
    """
    from brandhalo import __version__
    from brandhalo.web import api, pages

    app = FastAPI(
        title="brandhalo",
        version=__version__,
        description="Brand perception, business and alerts of one brandhalo workspace. "
        "Every route except /health needs 'Authorization: Bearer <token>'.",
        docs_url=None,  # the Swagger page loads scripts from a CDN; the schema is enough
        redoc_url=None,
    )
    app.state.bh = AppState(
        ws_root,
        cache_ttl=cache_ttl,
        write_rate=write_rate,
        burst=write_burst,
        **({} if publish_every_s is None else {"publish_every_s": publish_every_s}),
    )
    _add_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(SecurityHeaders)
    static = resources.files("brandhalo.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _add_public_routes(app)
    _add_snapshot_header(app)
    app.router.add_event_handler("shutdown", app.state.bh.close)
    return app


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    *,
    page_text: dict[str, str] | None = None,
) -> Response:
    """The one error shape; dashboard pages asked for by a browser get it as a page.

    `page_text`: what the page says instead of `message`, by language (the JSON answer keeps
    the API's English sentence; a page speaks the dashboard's language).
    """
    if _wants_html(request):
        from brandhalo.web.pages import error_page

        return error_page(request, status, message, page_text=page_text)
    body = {"error": {"status": status, "code": code, "message": message}}
    headers = {"www-authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _wants_html(request: Request) -> bool:
    path = route_path(request.scope)
    if path.startswith(("/api", "/health", "/openapi", "/static")):
        return False
    return "text/html" in request.headers.get("accept", "")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BrandhaloError)
    async def _brandhalo(request: Request, exc: BrandhaloError) -> Response:
        return error_response(request, exc.status_code, exc.code, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "error")
        detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        page = None
        if exc.status_code == 404:
            detail = f"there is nothing at {request.url.path}; see /openapi.json for the routes"
            page = page_texts("page_not_found", path=_clipped(request.url.path))
        elif exc.status_code == 405:
            page = page_texts("page_bad_method", method=request.method)
        return error_response(request, exc.status_code, code, detail, page_text=page)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        message = _validation_message(exc)
        return error_response(
            request, 422, "invalid_request", message, page_text=_invalid_page_text(exc)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(
            request,
            500,
            "internal_error",
            "the server failed on this request; the server log has the details",
            page_text=page_texts("page_failed"),
        )


def page_texts(key: str, **values: str) -> dict[str, str]:
    """The dashboard label `key` filled with `values`, in every language (an error page
    shows the one of its language)."""
    from brandhalo.report.i18n import LANGS, labels

    return {lang: labels(lang)[key].format(**values) for lang in LANGS}


def _clipped(text: str, most: int = 80) -> str:
    """`text` cut to `most` characters (an address typed or pasted can be long)."""
    return text if len(text) <= most else text[: most - 1] + "…"


def _invalid_page_text(exc: RequestValidationError) -> dict[str, str] | None:
    """What a page says of an address parameter that does not validate: the parameter and its
    value, how to write a date; None when the problem is not one query parameter."""
    errors: list[Any] = list(exc.errors())
    loc = [str(p) for p in errors[0].get("loc", ())] if errors else []
    if len(loc) != 2 or loc[0] != "query":
        return None
    name, value = loc[1], _clipped(str(errors[0].get("input", "")), 40)
    key = "page_bad_date" if name in ("since", "until") else "page_bad_param"
    return page_texts(key, name=name, value=value)


def _validation_message(exc: RequestValidationError) -> str:
    errors: list[Any] = list(exc.errors())
    if not errors:
        return "the request is not valid; check it against /openapi.json"
    first = errors[0]
    loc = [str(p) for p in first.get("loc", ())]
    where = f"{loc[0]} {'.'.join(loc[1:])!r}" if len(loc) > 1 else ".".join(loc) or "request"
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")  # our own sentence
    return f"{where}: {msg}; fix it and retry{more}"


def _add_snapshot_header(app: FastAPI) -> None:
    """Every answer says which read snapshot generation answered it: the oldest its reads
    used, or the one served now when it read nothing (monitoring, and tests that wait for a
    writer's published state). Not the one served when the answer is sent: a newer one can
    be put in service while an answer is computed on the previous one."""
    from brandhalo.web.state import ANSWERED_FROM

    @app.middleware("http")
    async def _snapshot(request: Request, call_next: Any) -> Response:
        answered: list[int] = []
        token = ANSWERED_FROM.set(answered)  # reads in this request's threads append to it
        try:
            response: Response = await call_next(request)
        finally:
            ANSWERED_FROM.reset(token)
        generation = min(answered) if answered else app.state.bh.generation
        response.headers["x-brandhalo-snapshot"] = str(generation)
        return response


def _add_public_routes(app: FastAPI) -> None:
    @app.get("/health", tags=["public"], summary="Liveness check (no token, no data).")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/login", tags=["public"], include_in_schema=False)
    async def login(request: Request) -> Response:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        secret = (form.get("token") or [""])[0].strip()
        target = safe_next((form.get("next") or [""])[0])
        request.state.token_given = bool(secret)  # a refusal then says the token was wrong
        try:
            # as ?token= does: a token created after the server started signs in at once
            state_of(request).verify(secret, "read")  # never waits for a writer
        except AuthError as exc:  # the form again, still going to the page asked for
            return error_response(_asking_for(request, target), exc.status_code, exc.code, str(exc))
        return login_redirect(
            target, secret, secure=request.url.scheme == "https", root=root_path(request.scope)
        )


def safe_next(value: str) -> str:
    """The page the sign-in form returns to: a path on this server, else ``/``.

    Only ``/path?query``: never another site (``//host``, ``/\\host``, a scheme), nor a value
    with white space or control characters (browsers drop them, which can make ``//host``);
    a ``token`` in its query is dropped (it would sign in with that token instead).
    """
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 or c == "\\" for c in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path in ("/login", ""):
        return "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "token"]
    return parts.path + (f"?{urlencode(query)}" if query else "")


def _asking_for(request: Request, target: str) -> Request:
    """`request` as if made for `target`: the sign-in form shown again keeps that page (and
    its language switch shows that page, not the form's POST-only address)."""
    path, _, query = target.partition("?")
    path = root_path(request.scope) + path  # as the server writes a path (the root in front)
    scope = dict(request.scope, path=path, raw_path=path.encode())
    scope["query_string"] = query.encode()
    return Request(scope, request.receive)


def login_redirect(target: str, secret: str, *, secure: bool = False, root: str = "") -> Response:
    """Set the login cookie (HttpOnly, same-site only; Secure over https) and go to `target`
    (a path inside the app; `root`, the path a reverse proxy serves it under, goes in front
    of it and is the cookie's path)."""
    response = RedirectResponse(root + target, status_code=303)
    response.set_cookie(
        COOKIE,
        secret,
        httponly=True,
        samesite="strict",
        secure=secure,
        max_age=7 * 86400,
        path=root or "/",
    )
    return response
