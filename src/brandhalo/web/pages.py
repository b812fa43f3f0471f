"""Dashboard pages: the report model and the API's answers laid out as HTML.

Pages compute nothing: they fetch the same models the JSON API serves, shape them with
:mod:`brandhalo.report.render` and fill the templates the report uses too
(``brandhalo/templates``; a workspace's ``templates/`` folder overrides them). Scripts come only
from /static (no inline script; see the CSP), and chart data travels in a non-executed JSON
block.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BeforeValidator

from brandhalo.errors import BrandhaloError, NotFoundError, QueryError, TemplateError
from brandhalo.report.i18n import labels, pick_lang
from brandhalo.report.templating import render
from brandhalo.views import local_time
from brandhalo.web.api import Day
from brandhalo.web.auth import LANG_COOKIE, require_read, state_of
from brandhalo.web.data import AlertsAsked
from brandhalo.web.security import root_path, route_path

if TYPE_CHECKING:
    from brandhalo.report.model import AlertView
    from brandhalo.report.render import Evidence
    from brandhalo.web.export import Search
    from brandhalo.web.schemas import PostPage

router = APIRouter(include_in_schema=False)


def _blank_is_none(value: Any) -> Any:
    """An empty date field (a filter form sent without a date) means no bound."""
    return None if value == "" else value


#: A date as the pages take it: as the API's, and empty for none (what a form sends).
PageDay = Annotated[Day, BeforeValidator(_blank_is_none)]


_LABEL_NAV = {"zh": "标注", "en": "Label"}
#: The sign-in page's sentence when the token given (link, form or cookie) was refused.
_REFUSED = {
    "zh": "这个访问令牌无效或已被撤销：请输入有效的令牌（用 `brandhalo token create --role read` 创建）。",
    "en": "This access token is unknown or revoked: enter a valid one (create one with "
    "`brandhalo token create --role read`).",
}


def _token_given(request: Request) -> bool:
    """Whether the request carried a token (a ?token= link, the sign-in form, the login
    cookie or a header): a 401 then means that token was refused, not that one is needed."""
    from brandhalo.web.auth import COOKIE, bearer

    given = getattr(request.state, "token_given", False)
    return bool(given or request.query_params.get("token") or request.cookies.get(COOKIE)) or (
        bearer(request) is not None
    )


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


#: The filters the nav bar's links to the overview, alerts and posts pages keep: the brand
#: and period a reader picked (a crisis day stays picked from page to page). Each page's own
#: filters (query, kind, origin, page number) are not kept; the labelling page takes none,
#: and a page that refused its filters (an error status) keeps none.
NAV_KEEPS = ("brand", "since", "until")


def _nav(request: Request, lang: str, active: str, *, keep: bool = True) -> Nav:
    lb = labels(lang)
    other = "en" if lang == "zh" else "zh"
    items = [("/", "overview"), ("/alerts", "alerts"), ("/posts", "posts"), ("/label", "label")]
    names = {**lb, "label": _LABEL_NAV.get(lang, "Label")}
    params = request.query_params.multi_items() if keep else []
    kept = [(k, v) for k, v in params if k in NAV_KEEPS and v]
    query = f"?{urlencode(kept)}" if kept else ""
    root = root_path(request.scope)
    links = [
        Link(root + href + (query if key != "label" else ""), names[key], on=key == active)
        for href, key in items
    ]
    return Nav(links, _switch_href(request, other), lb["language"])


def _switch_href(request: Request, lang: str) -> str:
    """The page shown, in `lang`: the same path and query (dates, search, origin, page), so
    switching the language never changes what the page shows."""
    here = root_path(request.scope) + route_path(request.scope)
    return f"{here}?{urlencode([*_kept_query(request), ('lang', lang)])}"


def _asked_href(request: Request) -> str:
    """The page asked for (its path and query, less `lang` and `token`): where the sign-in
    form returns to. A path inside the app: the sign-in puts the root path in front."""
    keep = _kept_query(request)
    path = route_path(request.scope)
    return f"{path}?{urlencode(keep)}" if keep else path


def _kept_query(request: Request) -> list[tuple[str, str]]:
    """The request's query parameters less `lang` and `token`, in order."""
    return [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "token")]


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
    nav = _nav(request, lang, active, keep=status < 400)
    # `root`: the path a reverse proxy serves the dashboard under, in front of every link
    values = {**context, "lang": lang, "title": title, "nav": nav, "root": root_path(request.scope)}
    response = HTMLResponse(render(template, values, root=root), status_code=status)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(
            LANG_COOKIE,
            lang,
            samesite="strict",
            max_age=365 * 86400,
            path=root_path(request.scope) or "/",
        )
    return response


def _token_in_query(request: Request) -> Response | None:
    """``?token=`` logs in: set the cookie and redirect to the same page without the token."""
    secret = request.query_params.get("token")
    if not secret:
        return None
    from brandhalo.web.app import login_redirect

    state_of(request).verify(secret, "read")  # from the read snapshot: never waits for a writer
    rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
    target = route_path(request.scope) + (f"?{urlencode(rest)}" if rest else "")
    return login_redirect(
        target, secret, secure=request.url.scheme == "https", root=root_path(request.scope)
    )


def error_page(
    request: Request,
    status: int,
    message: str,
    *,
    form: bool | None = None,
    page_text: dict[str, str] | None = None,
) -> HTMLResponse:
    """An error as a page; 401 (or `form`) shows the sign-in form.

    `page_text`: the page's sentence by language, instead of `message` (the API's English).
    When a workspace template override is what fails, the built-in templates show that
    error (file and line) instead.
    """
    lang = page_lang(request)
    lb = labels(lang)
    message = (page_text or {}).get(lang, message)
    show_form = form if form is not None else status == 401
    if status == 401:  # the sign-in form in the page's language, not the API's sentence
        message = _REFUSED[lang] if _token_given(request) else lb["login_help"]
    title = lb["login"] if show_form else lb["error"]
    context = {"lb": lb, "heading": title, "message": message, "error": status >= 400,
               "next": _asked_href(request)}  # fmt: skip
    try:
        context["form"] = show_form
        return page(request, "login.html", context, lang=lang, title=title, status=status)
    except TemplateError as exc:  # a broken override: say which, with the built-in templates
        context.update(heading=lb["error"], message=str(exc), error=True, form=False)
        return page(
            request, "login.html", context, lang=lang, title=lb["error"], status=500, builtin=True
        )


@router.get("/", response_class=HTMLResponse)
def overview_page(
    request: Request,
    since: PageDay = None,
    until: PageDay = None,
    brand: Annotated[str | None, Query(max_length=256)] = None,
    origin: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """Overview: findings, scorecard, every chart section, the latest alerts (with the
    report's note on why there is none); a form above them picks the brand (default: the own
    brand), the origin of the posts its opinion figures read (default: ``[origin] default``,
    organic) and the period."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    from brandhalo.analytics.opinion import ORIGIN_FILTERS
    from brandhalo.report.render import report_context
    from brandhalo.web import data

    lang = page_lang(request)
    lb = labels(lang)
    origin = origin if origin in ORIGIN_FILTERS else None
    own = ("since", "until", "brand", "origin")
    dates = _filters(request, "/", since, until, own=own)
    brands = _brand_options(request, lb, brand or None, everyone=False)
    default = state_of(request).ws.config.origin.default
    origins = _origin_options(lb, origin or default, ORIGIN_FILTERS)
    problem, status = _period_problem(lb, since, until), 400
    if problem is None and not any(b.selected for b in brands):
        problem, status = _brand_problem(request, lb, brand), 404
    if problem is not None:
        form_only = {
            "lb": lb,
            "filters": dates,
            "brands": brands,
            "origins": origins,
            "problem": problem,
        }
        title, active = lb["overview"], "overview"
        return page(
            request,
            "overview.html",
            {**form_only, "model": None},
            lang=lang,
            title=title,
            active=active,
            status=status,
        )
    model = data.overview(state_of(request), since, until, lang, brand=brand, origin=origin)
    context = {
        **report_context(model, alert_limit=5),
        "meta": _overview_meta(request, model, lang),
        "filters": dates,
        "brands": brands,
        "origins": origins,
        "problem": None,
    }
    title = model.labels["overview"]
    return page(request, "overview.html", context, lang=lang, title=title, active="overview")


def _overview_meta(request: Request, model: Any, lang: str) -> str:
    """The overview's header line (brand, period, generated), and posts stored but not
    analyzed yet when there are some (they are in none of its figures until analyze runs;
    new posts keep arriving while the dashboard is read)."""
    from brandhalo.report.notes import analysis_note
    from brandhalo.report.render import header_meta

    meta = header_meta(model)
    command = "`brandhalo analyze`"  # a command to type, in backticks as the report writes them
    key = ("overview_pending", lang)
    note = state_of(request).cached(key, analysis_note, lang, command=command)
    return f"{meta} · {note}" if note else meta


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    since: PageDay = None,
    until: PageDay = None,
    brand: Annotated[str | None, Query(max_length=256)] = None,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    open: Annotated[str | None, Query(max_length=128)] = None,  # noqa: A002
    origin: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """Every alert episode, or those of one brand, kind, origin (organic opinion or
    campaigns) and period (as ``brandhalo alerts`` lists them); a click opens its explanation
    and example posts."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    from brandhalo.report.render import alert_card
    from brandhalo.web.data import ALERT_ORIGINS

    lang = page_lang(request)
    lb = labels(lang)
    origin = origin if origin in ALERT_ORIGINS else None
    asked = AlertsAsked(
        since=since, until=until, brand=brand or None, kind=kind or None, origin=origin
    )
    views, problem = _alerts(request, asked, lang)
    cards = [alert_card(a, lb, open_=a.episode_id == open) for a in views]
    note = None if views or problem is not None else _no_alerts_note(request, asked, lang)
    own = ("since", "until", "brand", "kind", "open", "origin")
    context = {
        "lb": lb,
        "alerts": cards,
        "alerts_note": note,
        "filters": _filters(request, "/alerts", since, until, own=own),
        "brands": _brand_options(request, lb, asked.brand),
        "kinds": _kind_options(lb, asked.kind),
        "origins": _origin_options(lb, origin or "all", ALERT_ORIGINS),
        "problem": problem,
    }
    return page(request, "alerts.html", context, lang=lang, title=lb["alerts"], active="alerts")


def _no_alerts_note(request: Request, asked: AlertsAsked, lang: str) -> str | None:
    """Why the alerts page lists none: episodes of other origins only, else the report's
    reason (no posts, not analyzed, too short to alert)."""
    from dataclasses import replace

    from brandhalo.web import data

    if asked.origin not in (None, "all"):
        every = data.cached_alerts(state_of(request), replace(asked, origin=None), lang)
        if every:
            return data.other_origins_note(lang, len(every))
    from brandhalo.analytics.market.brands import canonical_brand
    from brandhalo.report.sections import why_no_alerts

    lb = labels(lang)
    state = state_of(request)
    brand = canonical_brand(state.ws.config, asked.brand) if asked.brand else None
    key = ("why_no_alerts", lang, brand)
    return state.cached(key, why_no_alerts, lb, brand)  # type: ignore[no-any-return]


def _alerts(request: Request, asked: AlertsAsked, lang: str) -> tuple[list[AlertView], str | None]:
    """The alert episodes asked for, and what to say next to the form in `lang` (a date,
    brand or kind problem); no episode when there is a problem."""
    from brandhalo.analytics.episodes import check_kind
    from brandhalo.analytics.spikes import KINDS
    from brandhalo.web import data

    lb = labels(lang)
    if (problem := _period_problem(lb, asked.since, asked.until)) is not None:
        return [], problem
    if asked.kind is not None:
        try:
            check_kind(asked.kind)
        except BrandhaloError:
            kinds = ", ".join(lb[f"kind_{k}"] for k in KINDS)
            return [], lb["unknown_kind"].format(kind=asked.kind, kinds=kinds)
    try:
        return data.cached_alerts(state_of(request), asked, lang), None
    except NotFoundError:  # a brand not in brandhalo.toml (an old link, a typed address)
        return [], _brand_problem(request, lb, asked.brand)


@router.get("/posts", response_class=HTMLResponse)
def posts_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=2000)] = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    origin: Annotated[str | None, Query(max_length=16)] = None,
    brand: Annotated[str | None, Query(max_length=256)] = None,
    since: PageDay = None,
    until: PageDay = None,
) -> Response:
    """Search posts with the query language, optionally of one brand, origin and date range;
    posts show as text."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    from brandhalo.web.export import matched_text
    from brandhalo.web.search import ORIGIN_CHOICES

    lang = page_lang(request)
    lb = labels(lang)
    origin = origin if origin in ORIGIN_CHOICES else None
    asked = PostsAsked(q=q, brand=brand or None, origin=origin, since=since, until=until)
    result, problem = _search(request, asked, page_no, lang)
    filters = _filters(
        request, "/posts", since, until, own=("q", "origin", "brand", "since", "until", "page")
    )
    matched = None if _refused(result, problem) else _matched(request, asked)
    downloads = _downloads(lang, asked, matched, root_path(request.scope))
    context = {
        "lb": lb,
        "q": q or "",
        "origins": _origin_options(lb, origin),
        "brands": _brand_options(request, lb, asked.brand),
        "filters": filters,
        "problem": problem,
        "posts": _evidence(request, result, lb),
        "pager": _pager(lb, asked, page_no, result.has_more, root_path(request.scope)) + downloads,
        # for a template that shows them apart (the built-in one shows the downloads, with
        # the count in their text, after the pager's links)
        "matched": None if matched is None else matched_text(lang, matched),
        "downloads": downloads,
    }
    return page(request, "posts.html", context, lang=lang, title=lb["posts"], active="posts")


def _refused(result: PostPage, problem: str | None) -> bool:
    """Whether the page's `problem` is a refused filter (dates, brand, query) rather than a
    note on posts left out: then nothing is counted or offered for download."""
    return problem is not None and result.note is None


def _matched(request: Request, asked: PostsAsked) -> int:
    """How many posts the page's filters keep (its download's rows)."""
    from brandhalo.web.export import cached_count

    return cached_count(request, asked.search())


def _downloads(lang: str, asked: PostsAsked, matched: int | None, root: str = "") -> list[Link]:
    """The CSV and XLSX download links of the page's filters, saying how many posts they
    hold (none when nothing matches); `root` goes in front of each."""
    from brandhalo.web.export import download_links

    if not matched:
        return []
    query = {k: v for k, v in asked.query().items() if v}
    return [Link(root + href, text) for href, text in download_links(lang, query, matched)]


@router.get("/posts/export")
def posts_export_page(
    request: Request,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
    q: Annotated[str | None, Query(max_length=2000)] = None,
    origin: Annotated[str | None, Query(max_length=16)] = None,
    brand: Annotated[str | None, Query(max_length=256)] = None,
    since: PageDay = None,
    until: PageDay = None,
) -> Response:
    """The posts page's download: the posts its filters keep as a CSV or XLSX file (the
    columns and rows of ``brandhalo export posts``), or an error page in the page's language
    saying what to change."""
    from brandhalo.web import export

    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    asked = export.Search(q=q, brand=brand or None, origin=origin or None, since=since,
                          until=until)  # fmt: skip
    if (problem := export.problem(request, asked, fmt, page_lang(request))) is not None:
        return error_page(request, problem[0], problem[1])
    return export.download(state_of(request), asked, fmt)


def _search(
    request: Request, asked: PostsAsked, page_no: int, lang: str
) -> tuple[PostPage, str | None]:
    """One page of the posts asked for, and what to say above them in `lang` (a date, brand
    or query problem, or why posts are left out); no posts when there is a problem."""
    from brandhalo.web.schemas import PostPage
    from brandhalo.web.search import search_posts

    lb = labels(lang)
    empty = PostPage(query=asked.q, page=page_no, page_size=20, has_more=False, posts=[])
    if (problem := _period_problem(lb, asked.since, asked.until)) is not None:
        return empty, problem
    key = ("posts", asked.q, asked.brand, asked.since, asked.until, page_no, 20, asked.origin)
    try:
        result = state_of(request).cached(
            key,
            search_posts,
            asked.q,
            brand=asked.brand,
            since=asked.since,
            until=asked.until,
            page=page_no,
            size=20,
            origin=asked.origin,
        )
    except QueryError as exc:  # shown on the page, next to the form that caused it
        from brandhalo.web.query_errors import query_problem

        return empty, query_problem(exc, lang)
    except NotFoundError:  # a brand not in brandhalo.toml (an old link, a typed address)
        return empty, _brand_problem(request, lb, asked.brand)
    if result.note is None:
        return result, None
    return result, _analysis_note(request, lang, analyzed_only=asked.analyzed_only)


@dataclass(frozen=True)
class PostsAsked:
    """What the posts page was asked for (its pager links keep all of it)."""

    q: str | None
    brand: str | None
    origin: str | None
    since: dt.date | None
    until: dt.date | None

    @property
    def analyzed_only(self) -> bool:
        """Whether the filters read what analysis found (brand, origin): posts not analyzed
        yet cannot match them."""
        return bool(self.brand) or self.origin not in (None, "all")

    def search(self) -> Search:
        """The search these filters make (what the page counts and downloads)."""
        from brandhalo.web.export import Search

        return Search(self.q, self.brand, self.origin, self.since, self.until)

    def query(self) -> dict[str, str]:
        """The search as query parameters (empty ones left out, except q)."""
        dates = {"since": self.since, "until": self.until}
        kept = {"brand": self.brand, "origin": self.origin, **dates}
        return {"q": self.q or "", **{k: str(v) for k, v in kept.items() if v}}


@dataclass(frozen=True)
class Filters:
    """A page's filter form: its target, the dates shown, the other query parameters it
    keeps (hidden fields), and the link that drops the dates (None when none is set)."""

    action: str
    since: str
    until: str
    hidden: list[tuple[str, str]]
    all_dates: str | None


def _filters(
    request: Request,
    action: str,
    since: dt.date | None,
    until: dt.date | None,
    *,
    own: tuple[str, ...],
) -> Filters:
    """The filter form of the page at `action`; `own`: the parameters its fields send (every
    other one but the token is kept as a hidden field, the language included)."""
    action = root_path(request.scope) + action  # the form's target, behind a proxy's path too
    hidden = [(k, v) for k, v in request.query_params.multi_items() if k not in (*own, "token")]
    dropped = [
        (k, v)
        for k, v in request.query_params.multi_items()
        if k not in ("since", "until", "page", "token")
    ]
    all_dates = None
    if since or until:
        all_dates = action + (f"?{urlencode(dropped)}" if dropped else "")
    return Filters(
        action=action,
        since=since.isoformat() if since else "",
        until=until.isoformat() if until else "",
        hidden=hidden,
        all_dates=all_dates,
    )


def _period_problem(lb: dict[str, str], since: dt.date | None, until: dt.date | None) -> str | None:
    """The page's sentence for a start date after the end date (an empty period), or None."""
    if since is not None and until is not None and since > until:
        return lb["swap_dates"].format(since=since.isoformat(), until=until.isoformat())
    return None


def _brand_problem(request: Request, lb: dict[str, str], brand: str | None) -> str:
    """The page's sentence for a brand that brandhalo.toml does not name."""
    names = ", ".join(b.name for b in state_of(request).ws.config.brands)
    return lb["unknown_brand"].format(brand=brand, names=names)


def _brand_options(
    request: Request, lb: dict[str, str], chosen: str | None, *, everyone: bool = True
) -> list[Option]:
    """A brand filter: all brands (when `everyone`, as on the posts and alerts pages), then
    each configured brand; an alias given in the address selects its brand. Without
    `everyone` (the overview picks the brand it is about) no choice is the own brand, and an
    unknown brand selects nothing."""
    from brandhalo.analytics.market.brands import canonical_brand

    config = state_of(request).ws.config
    name = canonical_brand(config, chosen) if chosen else None
    if not everyone and not chosen:
        name = config.own_brand.name
    options = [Option("", lb["all_brands"], name is None)] if everyone else []
    return options + [Option(b.name, b.name, b.name == name) for b in config.brands]


def _kind_options(lb: dict[str, str], chosen: str | None) -> list[Option]:
    """The alerts page's kind filter: every kind, then each kind (``negative-spike`` given
    in the address selects negative_spike)."""
    from brandhalo.analytics.episodes import check_kind
    from brandhalo.analytics.spikes import KINDS

    try:
        name = check_kind(chosen) if chosen else ""
    except BrandhaloError:
        name = None
    options = [Option("", lb["all_kinds"], name == "")]
    return options + [Option(k, lb[f"kind_{k}"], k == name) for k in KINDS]


def _analysis_note(request: Request, lang: str, *, analyzed_only: bool = True) -> str | None:
    """Why the page leaves posts out (none yet, not analyzed), in the page's language."""
    from brandhalo.report.notes import analysis_note

    key = ("analysis_note", lang, analyzed_only)
    return state_of(request).cached(key, analysis_note, lang, analyzed_only=analyzed_only)


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
    lb: dict[str, str], asked: PostsAsked, page_no: int, has_more: bool, root: str = ""
) -> list[Link]:
    """Previous / next page links that keep the query, the brand, origin and date filters
    (`root`, the path a reverse proxy serves the dashboard under, in front)."""
    keep = asked.query()
    pager = []
    here = root + "/posts?"
    if page_no > 1:
        pager.append(Link(here + urlencode({**keep, "page": page_no - 1}), lb["previous"]))
    if has_more:
        pager.append(Link(here + urlencode({**keep, "page": page_no + 1}), lb["next"]))
    return pager


@dataclass(frozen=True)
class Option:
    """One choice of a select box."""

    value: str
    text: str
    selected: bool = False


def _origin_options(
    lb: dict[str, str], chosen: str | None, choices: Iterable[str] | None = None
) -> list[Option]:
    """An origin filter: `choices` (default: the posts page's all, organic, campaign, news,
    official), `chosen` (None: all) selected."""
    from brandhalo.web.search import ORIGIN_CHOICES

    values = ORIGIN_CHOICES if choices is None else tuple(choices)
    return [Option(o, lb[f"origin_{o}"], o == (chosen or "all")) for o in values]


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
