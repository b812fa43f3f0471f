"""Dashboard pages: the report model and the API's answers laid out as HTML.

Pages compute nothing: they fetch the same models the JSON API serves, shape them with
:mod:`brandhalo.report.render` and fill the templates the report uses too
(``brandhalo/templates``; a workspace's ``templates/`` folder overrides them). Scripts come only
from /static (no inline script; see the CSP), and chart data travels in a non-executed JSON
block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from brandhalo.errors import BrandhaloError, QueryError, TemplateError
from brandhalo.report.i18n import labels, pick_lang
from brandhalo.report.templating import render
from brandhalo.views import local_time
from brandhalo.web.api import Day
from brandhalo.web.auth import LANG_COOKIE, require_read, state_of

if TYPE_CHECKING:
    from brandhalo.report.render import Evidence
    from brandhalo.web.schemas import PostPage

router = APIRouter(include_in_schema=False)


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


@dataclass(frozen=True)
class Link:
    """A link as shown: its target, its text, whether it is the page shown (nav bar)."""

    href: str
    text: str
    on: bool = False


@dataclass(frozen=True)
class Nav:
    """The nav bar: the pages, then the language switch."""

    items: list[Link]
    switch_href: str
    switch_text: str


def _nav(request: Request, lang: str, active: str) -> Nav:
    lb = labels(lang)
    other = "en" if lang == "zh" else "zh"
    items = [("/", "overview"), ("/alerts", "alerts"), ("/posts", "posts"), ("/label", "label")]
    names = {**lb, "label": _LABEL_NAV.get(lang, "Label")}
    links = [Link(href, names[key], on=key == active) for href, key in items]
    return Nav(links, _switch_href(request, other), lb["language"])


def _switch_href(request: Request, lang: str) -> str:
    """The page shown, in `lang`: the same path and query (dates, search, origin, page), so
    switching the language never changes what the page shows."""
    keep = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "token")]
    return f"{request.url.path}?{urlencode([*keep, ('lang', lang)])}"


def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    lang: str,
    title: str,
    active: str = "",
    status: int = 200,
    builtin: bool = False,
) -> HTMLResponse:
    """A full dashboard page: `template` (a ``page.html`` child) filled with `context`.

    The workspace's ``templates/`` folder overrides the built-in templates, unless `builtin`
    (the error page's fallback when an override is what failed).
    """
    root = None if builtin else state_of(request).root
    values = {**context, "lang": lang, "title": title, "nav": _nav(request, lang, active)}
    response = HTMLResponse(render(template, values, root=root), status_code=status)
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
    """An error as a page; 401 (or `form`) shows the sign-in form.

    When a workspace template override is what fails, the built-in templates show that
    error (file and line) instead.
    """
    lang = page_lang(request)
    lb = labels(lang)
    show_form = form if form is not None else status == 401
    if status == 401:  # the sign-in form in the page's language, not the API's sentence
        message = lb["login_help"]
    title = lb["login"] if show_form else lb["error"]
    context = {"lb": lb, "heading": title, "message": message, "error": status >= 400}
    try:
        context["form"] = show_form
        return page(request, "login.html", context, lang=lang, title=title, status=status)
    except TemplateError as exc:  # a broken override: say which, with the built-in templates
        context.update(heading=lb["error"], message=str(exc), error=True, form=False)
        return page(
            request, "login.html", context, lang=lang, title=lb["error"], status=500, builtin=True
        )


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, since: Day = None, until: Day = None) -> Response:
    """Overview: findings, scorecard, every chart section, the latest alerts."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    from brandhalo.report.render import report_context
    from brandhalo.web import data

    lang = page_lang(request)
    model = data.overview(state_of(request), since, until, lang)
    context = report_context(model, alert_limit=5)
    if not context["alerts"]:  # also say when posts are missing or not analyzed
        context["alerts_note"] = _joined(_analysis_note(request, lang), context["alerts_note"])
    title = model.labels["overview"]
    return page(request, "overview.html", context, lang=lang, title=title, active="overview")


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    since: Day = None,
    open: Annotated[str | None, Query(max_length=128)] = None,  # noqa: A002
) -> Response:
    """Every alert episode; a click opens its explanation and example posts."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    from brandhalo.report.render import alert_card
    from brandhalo.web import data

    lang = page_lang(request)
    lb = labels(lang)
    views = state_of(request).cached(("alerts", since, lang), data.alert_views, since, lang)
    cards = [alert_card(a, lb, open_=a.episode_id == open) for a in views]
    note = None
    if not views:  # say why: no posts, posts not analyzed, or too short for any day to alert
        from brandhalo.report.sections import alerts_note

        history = state_of(request).cached(("alerts_note", lang), alerts_note, lb)
        note = _joined(_analysis_note(request, lang), history)
    context = {"lb": lb, "alerts": cards, "alerts_note": note}
    return page(request, "alerts.html", context, lang=lang, title=lb["alerts"], active="alerts")


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
    from brandhalo.web.schemas import PostPage
    from brandhalo.web.search import ORIGIN_CHOICES, search_posts

    lang = page_lang(request)
    lb = labels(lang)
    origin = origin if origin in ORIGIN_CHOICES else None
    problem = None
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
        problem = str(exc)
    if problem is None and result.note is not None:  # why posts are missing, in `lang`
        problem = _analysis_note(request, lang, analyzed_only=origin not in (None, "all"))
    context = {
        "lb": lb,
        "q": q or "",
        "origins": _origin_options(lb, origin),
        "problem": problem,
        "posts": _evidence(request, result, lb),
        "pager": _pager(lb, q, origin, page_no, result.has_more),
    }
    return page(request, "posts.html", context, lang=lang, title=lb["posts"], active="posts")


def _analysis_note(request: Request, lang: str, *, analyzed_only: bool = True) -> str | None:
    """Why the page leaves posts out (none yet, not analyzed), in the page's language."""
    from brandhalo.web.data import analysis_note

    key = ("analysis_note", lang, analyzed_only)
    return state_of(request).cached(key, analysis_note, lang, analyzed_only=analyzed_only)


def _joined(*notes: str | None) -> str | None:
    """The notes given, in order, as one (None when there is none)."""
    return " ".join(n for n in notes if n) or None


def _evidence(request: Request, result: PostPage, lb: dict[str, str]) -> list[Evidence]:
    """The posts found, as example posts (times in the workspace zone)."""
    from brandhalo.report.model import ExampleView
    from brandhalo.report.render import evidence

    zone = state_of(request).ws.timezone
    return [
        evidence(
            ExampleView(
                post_id=p.post_id,
                text=p.text,
                url=p.url,
                author=p.author_name,
                created_at=local_time(p.created_at, zone) or None,
                origin=p.origin or "organic",
            ),
            lb,
        )
        for p in result.posts
    ]


def _pager(
    lb: dict[str, str], q: str | None, origin: str | None, page_no: int, has_more: bool
) -> list[Link]:
    """Previous / next page links that keep the query and the origin filter."""
    keep = {"q": q or "", **({"origin": origin} if origin else {})}
    pager = []
    if page_no > 1:
        pager.append(Link("/posts?" + urlencode({**keep, "page": page_no - 1}), lb["previous"]))
    if has_more:
        pager.append(Link("/posts?" + urlencode({**keep, "page": page_no + 1}), lb["next"]))
    return pager


@dataclass(frozen=True)
class Option:
    """One choice of a select box."""

    value: str
    text: str
    selected: bool = False


def _origin_options(lb: dict[str, str], chosen: str | None) -> list[Option]:
    """The posts page's origin filter: all, organic, campaign, news, official."""
    from brandhalo.web.search import ORIGIN_CHOICES

    return [Option(o, lb[f"origin_{o}"], o == (chosen or "all")) for o in ORIGIN_CHOICES]


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
