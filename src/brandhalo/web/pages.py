"""Dashboard pages: the report model and the API's answers laid out as HTML.

Pages compute nothing: they fetch the same models the JSON API serves and render them with the
report's pieces. Scripts come only from /static (no inline script; see the CSP), and chart data
travels in a non-executed JSON block.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from brandhalo.errors import BrandhaloError, QueryError
from brandhalo.report.html import Markup, el, join, json_script, render_template
from brandhalo.report.i18n import labels, pick_lang
from brandhalo.views import local_time
from brandhalo.web.auth import LANG_COOKIE, require_read, state_of

router = APIRouter(include_in_schema=False)
_SCRIPTS = Markup(
    '<script src="/static/echarts.min.js"></script>\n<script src="/static/charts.js"></script>'
)


_LABEL_NAV = {"zh": "标注", "en": "Label"}


def page_lang(request: Request) -> str:
    """?lang= (remembered in a cookie), else the cookie, else the workspace language."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked in ("zh", "en"):
        return asked
    try:
        return pick_lang(state_of(request).ws.config.workspace.language)
    except BrandhaloError:
        return "zh"


def _nav(request: Request, lang: str, active: str) -> Markup:
    lb = labels(lang)
    other = "en" if lang == "zh" else "zh"
    items = [("/", "overview"), ("/alerts", "alerts"), ("/posts", "posts"), ("/label", "label")]
    names = {**lb, "label": _LABEL_NAV.get(lang, "Label")}
    links = [
        el("a", names[key], href=href, class_="on" if key == active else None)
        for href, key in items
    ]
    switch = el("a", lb["language"], href=f"{request.url.path}?lang={other}", id="lang-switch")
    return join(
        [el("span", "brandhalo", class_="brand"), *links, el("span", class_="spacer"), switch]
    )


def page(
    request: Request,
    lang: str,
    title: str,
    body: Markup,
    *,
    active: str = "",
    charts: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """A full dashboard page (escaped title and body, optional chart data + scripts)."""
    html = render_template(
        "brandhalo.web.templates",
        "page.html",
        lang=lang,
        title=f"{title} · brandhalo",
        nav=_nav(request, lang, active),
        body=body,
        data=json_script("bh-data", charts) if charts else Markup(""),
        scripts=_SCRIPTS if charts else Markup(""),
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", max_age=365 * 86400)
    return response


def _token_in_query(request: Request) -> Response | None:
    """``?token=`` logs in: set the cookie and redirect to the same page without the token."""
    secret = request.query_params.get("token")
    if not secret:
        return None
    from brandhalo.web.app import login_redirect

    state_of(request).verify(secret, "read")  # from the read snapshot: never waits for a writer
    rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
    target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
    return login_redirect(target, secret, secure=request.url.scheme == "https")


def error_page(
    request: Request, status: int, message: str, *, form: bool | None = None
) -> HTMLResponse:
    """An error as a page; 401 (or `form`) shows the sign-in form."""
    lang = page_lang(request)
    lb = labels(lang)
    show_form = form if form is not None else status == 401
    if status == 401:  # the sign-in form in the page's language, not the API's sentence
        message = lb["login_help"]
    parts = [
        el("h1", lb["login"] if show_form else lb["error"]),
        el("p", message, class_="error" if status >= 400 else None),
    ]
    if show_form:
        parts += [
            el(
                "form",
                el("label", lb["token"], for_="token"),
                el("input", type="password", name="token", id="token", autocomplete="off"),
                el("input", type="submit", value=lb["login"]),
                method="post",
                action="/login",
            ),
        ]
    title = lb["login"] if show_form else lb["error"]
    return page(request, lang, title, el("div", *parts, class_="login card"), status=status)


@router.get("/", response_class=HTMLResponse)
def overview_page(
    request: Request,
    since: Annotated[dt.date | None, Query()] = None,
    until: Annotated[dt.date | None, Query()] = None,
) -> Response:
    """Overview: findings, scorecard, every chart section, the latest alerts."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    from brandhalo.report.render import (
        alerts_block,
        chart_data,
        contents_block,
        findings_block,
        header_block,
        score_block,
        section_block,
    )
    from brandhalo.web import data

    lang = page_lang(request)
    model = data.overview(state_of(request), since, until, lang)
    lb = model.labels
    body = join(
        [
            header_block(model),
            findings_block(model),
            score_block(model.scorecard, lb["scorecard"]),
            contents_block(model),
            alerts_block(model, limit=5),
            *[section_block(s, lb) for s in model.sections],
        ]
    )
    return page(request, lang, lb["overview"], body, active="overview", charts=chart_data(model))


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    since: Annotated[dt.date | None, Query()] = None,
    open: Annotated[str | None, Query(max_length=128)] = None,  # noqa: A002
) -> Response:
    """Every alert episode; a click opens its explanation and example posts."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    from brandhalo.report.render import alert_block
    from brandhalo.web import data

    lang = page_lang(request)
    lb = labels(lang)
    views = state_of(request).cached(("alerts", since, lang), data.alert_views, since, lang)
    items = [alert_block(a, lb, open_=a.episode_id == open) for a in views]
    body = join([el("h1", lb["alerts"]), *(items or [el("p", lb["no_alerts"])])])
    return page(request, lang, lb["alerts"], body, active="alerts")


@router.get("/posts", response_class=HTMLResponse)
def posts_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=2000)] = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    origin: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """Search posts with the query language, optionally of one origin; posts show as text."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    from brandhalo.report.model import ExampleView
    from brandhalo.report.render import example_block
    from brandhalo.web.schemas import PostPage
    from brandhalo.web.search import ORIGIN_CHOICES, search_posts

    lang = page_lang(request)
    lb = labels(lang)
    origin = origin if origin in ORIGIN_CHOICES else None
    try:
        result = state_of(request).cached(
            ("posts", q, None, None, None, page_no, 20, origin),
            search_posts,
            q,
            page=page_no,
            size=20,
            origin=origin,
        )
    except QueryError as exc:  # shown on the page, next to the form that caused it
        result = PostPage(query=q, page=page_no, page_size=20, has_more=False, posts=[])
        problem = el("pre", str(exc), class_="error")
    else:
        problem = Markup("")
    form = el(
        "form",
        el(
            "input",
            type="text",
            name="q",
            value=q or "",
            placeholder=lb["query"],
            aria_label=lb["query"],
        ),
        _origin_select(lb, origin),
        el("input", type="submit", value=lb["search"]),
        method="get",
        action="/posts",
        class_="search",
    )
    posts = [
        example_block(
            ExampleView(
                post_id=p.post_id,
                text=p.text,
                url=p.url,
                author=p.author_name,
                created_at=local_time(p.created_at, state_of(request).ws.timezone) or None,
                origin=p.origin or "organic",
            ),
            lb,
        )
        for p in result.posts
    ] or [el("p", lb["no_posts"])]
    keep = {"q": q or "", **({"origin": origin} if origin else {})}
    pager = []
    if page_no > 1:
        pager.append(
            el("a", lb["previous"], href="/posts?" + urlencode({**keep, "page": page_no - 1}))
        )
    if result.has_more:
        pager.append(el("a", lb["next"], href="/posts?" + urlencode({**keep, "page": page_no + 1})))
    body = join(
        [
            el("h1", lb["posts"]),
            form,
            problem,
            el("div", *posts, id="results"),
            el("div", *pager, class_="pager"),
        ]
    )
    return page(request, lang, lb["posts"], body, active="posts")


def _origin_select(lb: dict[str, str], chosen: str | None) -> Markup:
    """The posts page's origin filter: all, organic, campaign, news, official."""
    from brandhalo.web.search import ORIGIN_CHOICES

    options = [
        el("option", lb[f"origin_{o}"], value=o, selected=True if o == (chosen or "all") else None)
        for o in ORIGIN_CHOICES
    ]
    return el("select", *options, name="origin", id="origin", aria_label=lb["origin_filter"])


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    """The sign-in form (also shown on any page asked for without a token)."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    lang = page_lang(request)
    return error_page(request, 200, labels(lang)["login_help"], form=True)


def _include_labelling() -> None:
    """The labelling page (brandhalo.web.labelling) joins the dashboard's pages."""
    from brandhalo.web.labelling import pages as labelling_pages

    router.include_router(labelling_pages)


_include_labelling()
