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
from brandhalo.web.data import AlertsAsked, Channel
from brandhalo.web.security import root_path, route_path
from brandhalo.web.slicing import words as slice_words

if TYPE_CHECKING:
    from brandhalo.report.model import AlertView
    from brandhalo.report.render import Evidence
    from brandhalo.web.export import Search
    from brandhalo.web.schemas import PostPage
    from brandhalo.web.search import Narrowing

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
        return pick_lang(state_of(request).config.workspace.language)
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
#: The platform and language of the posts (``source``, ``post_lang``): kept besides
#: :data:`NAV_KEEPS` on the links to the pages that apply them: the overview, the alerts
#: page (the alerts holding posts of them, each with how many) and the posts page.
NAV_SLICED = ("/", "/alerts", "/posts")


def _nav(
    request: Request, lang: str, active: str, *, keep: bool = True, sliced: bool = True
) -> Nav:
    """The nav bar; `keep`: its links keep the filters (:data:`NAV_KEEPS`, and with `sliced`
    the platform and language where they apply: never on the sign-in page, whose reader may
    hold no token, so that it tells nothing of the workspace's posts)."""
    lb = labels(lang)
    other = "en" if lang == "zh" else "zh"
    items = [("/", "overview"), ("/alerts", "alerts"), ("/posts", "posts"), ("/label", "label")]
    names = {**lb, "label": _LABEL_NAV.get(lang, "Label")}
    params = request.query_params.multi_items() if keep else []
    kept = [(k, v) for k, v in params if k in NAV_KEEPS and v]
    carried = _nav_slice(request) if keep and sliced else {}
    root = root_path(request.scope)
    links = []
    for href, key in items:
        pairs = [] if key == "label" else kept + carried.get(href, [])
        query = f"?{urlencode(pairs)}" if pairs else ""
        links.append(Link(root + href + query, names[key], on=key == active))
    return Nav(links, _switch_href(request, other), lb["language"])


def _nav_slice(request: Request) -> dict[str, list[tuple[str, str]]]:
    """The platform and language the request names (``source``, ``post_lang``), as the nav
    bar's links to the overview, the alerts page and the posts page carry them: the stored
    values they name (微博 in the address: weibo), only those the workspace holds posts of
    (the overview and the alerts page refuse another), one value each for the posts page (its
    select takes one; posts without a platform or language, ``(none)``, are no value its query
    can match)."""
    source = (request.query_params.get("source") or "").strip()
    post_lang = (request.query_params.get("post_lang") or "").strip()
    if not source and not post_lang:
        return {}
    from brandhalo.ingest.presets import PLATFORM_NAMES
    from brandhalo.text.query import LANG_VALUES
    from brandhalo.web import data

    try:
        sources, langs = state_of(request).cached(("channel_values",), data.channel_values)
    except BrandhaloError:  # no workspace to read (a sign-in page): nothing to carry
        return {}
    out: dict[str, list[tuple[str, str]]] = {href: [] for href in NAV_SLICED}
    named: dict[str, str] = dict(PLATFORM_NAMES)
    asked: list[tuple[str, str, list[str], dict[str, str]]] = [
        ("source", source, sources, named),
        ("post_lang", post_lang, langs, {}),
    ]
    for name, written, held_values, known in asked:
        held = {v.casefold(): v for v in held_values}
        parts = [p.strip().casefold() for p in written.split(",") if p.strip()]
        values = [held.get(known.get(p, p)) for p in parts]
        got = [v for v in values if v is not None]
        if not got or len(got) < len(values):  # a value not held: the overview refuses it
            continue
        out["/"].append((name, ",".join(dict.fromkeys(got))))
        out["/alerts"].append((name, ",".join(dict.fromkeys(got))))
        one = got[0] if len(got) == 1 else None
        takes = one is not None and one != NO_VALUE
        if takes and (name == "source" or one in LANG_VALUES):
            out["/posts"].append((name, str(one)))
    return out


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
    nav = _nav(request, lang, active, keep=status < 400, sliced=template != "login.html")
    # `root`: the path a reverse proxy serves the dashboard under, in front of every link
    values = {**context, "lang": lang, "title": title, "nav": nav, "root": root_path(request.scope)}
    html = render(template, values, root=root)
    if status < 400 and not builtin and template not in NO_UPDATING_SIGN:
        html = with_updating_sign(html, request, lang)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(
            LANG_COOKIE,
            lang,
            samesite="strict",
            max_age=365 * 86400,
            path=root_path(request.scope) or "/",
        )
    return response


#: Pages without the "updating…" sign: the sign-in page (its reader has no token to ask
#: with) and the labelling page (its own label writes publish new snapshots as it is used).
NO_UPDATING_SIGN = frozenset({"login.html", "label.html"})
#: How often the sign's script asks /updating (milliseconds; the page's data-every).
UPDATING_POLL_MS = 2000


def with_updating_sign(html: str, request: Request, lang: str) -> str:
    """`html` with the "updating…" sign before its ``</body>`` and the script that keeps it
    current (static/updating.js asks /updating).

    The sign shows while a newer snapshot than the one served exists (an ``analyze`` that
    finished is warmed for some seconds before it is served: the page still shows the data
    before it); once a newer generation than the page's own is served, it becomes a link
    that reloads the page. Shown from the start when the page is rendered while one warms.
    """
    from markupsafe import escape

    from brandhalo.web.state import ANSWERED_FROM

    state = state_of(request)
    served, newest = state.freshness()
    answered = ANSWERED_FROM.get()
    shown = min(answered) if answered else served
    lb = labels(lang)
    warming = newest > shown
    root = escape(root_path(request.scope))
    text, updated = escape(lb["dash_updating"]), escape(lb["dash_updated"])
    hidden = "" if warming else " hidden"
    sign = (
        f'<div id="bh-updating" class="updating" role="status" aria-live="polite" '
        f'data-shown="{shown}" data-every="{UPDATING_POLL_MS}" data-updating="{text}" '
        f'data-updated="{updated}"{hidden}>{text}</div>\n'
        f'<script src="{root}/static/updating.js"></script>\n'
    )
    at = html.rfind("</body>")
    return html + sign if at < 0 else html[:at] + sign + html[at:]


@router.get("/updating", include_in_schema=False)
def updating_state(request: Request) -> dict[str, Any]:
    """The snapshot generations the dashboard's "updating…" sign compares: ``served`` (reads
    answer from it), ``newest`` (published; warmed before it is served) and ``updating``
    (newest > served). Asking starts the warming when no read did."""
    require_read(request)
    served, newest = state_of(request).freshness()
    return {"served": served, "newest": newest, "updating": newest > served}


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
    source: Annotated[str | None, Query(max_length=256)] = None,
    post_lang: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Overview: findings, scorecard, every chart section, the latest alerts (with the
    report's note on why there is none); a form above them picks the brand (default: the own
    brand), the origin of the posts its opinion figures read (default: ``[origin] default``,
    organic), the period, and (when the workspace holds posts of two platforms or languages)
    one platform (`source`) and language (`post_lang`: the posts' language, not the page's):
    the page then shows what the opinion metrics say of those posts alone, the alerts that
    hold some of them (with how many), the sales and market sections for every platform, and
    says what it leaves out (:func:`brandhalo.web.data.sliced_overview`)."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    from brandhalo.analytics.opinion import ORIGIN_FILTERS
    from brandhalo.report.render import report_context
    from brandhalo.web import data

    lang = page_lang(request)
    lb = labels(lang)
    origin = origin if origin in ORIGIN_FILTERS else None
    own = ("since", "until", "brand", "origin", "source", "post_lang")
    dates = _filters(request, "/", since, until, own=own)
    brands = _brand_options(request, lb, brand or None, everyone=False)
    default = state_of(request).config.origin.default
    origins = _origin_options(lb, origin or default, ORIGIN_FILTERS)
    channel, bad = _channel_asked(request, lang, source or None, post_lang or None)
    channels = _channel_options(request, lb, channel, source or None, post_lang or None)
    problem, status = _period_problem(lb, since, until), 400
    if problem is None and not any(b.selected for b in brands):
        problem, status = _brand_problem(request, lb, brand), 404
    if problem is None and bad is not None:
        problem, status = bad, 400
    if problem is not None:
        form_only = {
            "lb": lb,
            "filters": dates,
            "brands": brands,
            "origins": origins,
            "channels": channels,
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
    if channel:  # one platform or language: the opinion numbers of those posts alone
        model = data.sliced_overview(state_of(request), since, until, lang, brand, origin, channel)
    else:
        model = data.overview(state_of(request), since, until, lang, brand=brand, origin=origin)
    context = {
        **report_context(model, alert_limit=5),
        "meta": _overview_meta(request, model, lang)
        + (f" · {data.slice_name(channel, lb)}" if channel else ""),
        "filters": dates,
        "brands": brands,
        "origins": origins,
        "channels": channels,
        "sliced": slice_words(lang)["overview_note"] if channel else None,
        "problem": None,
    }
    title = model.labels["overview"]
    return page(request, "overview.html", context, lang=lang, title=title, active="overview")


def _channel_asked(
    request: Request, lang: str, source: str | None, post_lang: str | None
) -> tuple[Channel, str | None]:
    """The platform and language asked (stored values: 微博 or Weibo in the address is
    weibo), and the page's sentence when the workspace holds no post of one (None: fine)."""
    from brandhalo.analytics.opinion import check_channel
    from brandhalo.web import data

    if source is None and post_lang is None:
        return Channel(), None
    lb = labels(lang)
    state = state_of(request)
    try:
        got = state.read(lambda ws: check_channel(ws, source, post_lang))
    except BrandhaloError:
        sources, langs = state.cached(("channel_values",), data.channel_values)
        held_sources = source is None or source.casefold() in {s.casefold() for s in sources}
        what, value, held = (
            (lb["pf_platform"], source, listed(lb, [_platform_text(s, lb) for s in sources]))
            if not held_sources
            else (lb["lg_language"], post_lang, listed(lb, [_lang_text(x, lb) for x in langs]))
        )
        sentence = lb["dash_slice_unknown"].format(what=what.lower(), value=value, held=held)
        return Channel(), sentence
    return Channel(source=got.get("source"), lang=got.get("lang")), None


def _platform_text(source: str, lb: dict[str, str]) -> str:
    from brandhalo.report.sections_platforms import platform_name

    return platform_name(source, lb)


def _lang_text(code: str, lb: dict[str, str]) -> str:
    from brandhalo.report.sections_platforms import language_name

    return language_name(code, lb)


@dataclass(frozen=True)
class ChannelOptions:
    """The overview's platform and language selects: each None when the workspace holds
    posts of fewer than two (nothing to split)."""

    sources: list[Option] | None
    langs: list[Option] | None


def _channel_options(
    request: Request,
    lb: dict[str, str],
    channel: Channel,
    source: str | None,
    post_lang: str | None,
) -> ChannelOptions:
    """The platform and language selects, the values the workspace holds by their display
    names (cached per snapshot), the one asked selected (an unknown one: all)."""
    from brandhalo.web import data

    sources, langs = state_of(request).cached(("channel_values",), data.channel_values)
    source_options = [Option("", lb["dash_all_platforms"], channel.source is None)] + [
        Option(s, _platform_text(s, lb), s == channel.source) for s in sources
    ]
    lang_options = [Option("", lb["dash_all_langs"], channel.lang is None)] + [
        Option(x, _lang_text(x, lb), x == channel.lang) for x in langs
    ]
    return ChannelOptions(
        source_options if len(sources) > 1 or source else None,
        lang_options if len(langs) > 1 or post_lang else None,
    )


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
    source: Annotated[str | None, Query(max_length=256)] = None,
    post_lang: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Every alert episode, or those of one brand, kind, origin (organic opinion or
    campaigns) and period (as ``brandhalo alerts`` lists them); a click opens its explanation
    and example posts. With a platform (`source`) or language (`post_lang`) chosen, as on
    the overview: the episodes holding posts of them, each saying how many of its negative
    posts (of a buzz: posts) they are, and how many episodes hold none (episodes are found
    on every platform's posts: :mod:`brandhalo.web.slicing`)."""
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
    channel, bad = _channel_asked(request, lang, source or None, post_lang or None)
    channels = _channel_options(request, lb, channel, source or None, post_lang or None)
    views, problem, left_out = _alerts(request, asked, lang, channel)
    if problem is None and bad is not None:
        views, problem = [], bad
    cards = [alert_card(a, lb, open_=a.episode_id == open) for a in views]
    note, sliced = None, None
    if problem is None and channel and (views or left_out):
        sliced = _slice_alerts_note(lang, _slice_text(channel, lb), left_out)
    elif problem is None and not views:  # no alert at all: why (an origin's, the report's)
        note = _no_alerts_note(request, asked, lang)
    own = ("since", "until", "brand", "kind", "open", "origin", "source", "post_lang")
    context = {
        "lb": lb,
        "alerts": cards,
        "alerts_note": note,
        "filters": _filters(request, "/alerts", since, until, own=own),
        "brands": _brand_options(request, lb, asked.brand),
        "kinds": _kind_options(lb, asked.kind),
        "origins": _origin_options(lb, origin or "all", ALERT_ORIGINS),
        "channels": channels,
        "sliced": sliced,
        "problem": problem,
    }
    status = 400 if bad is not None else 200
    return page(
        request, "alerts.html", context, lang=lang, title=lb["alerts"], active="alerts",
        status=status,
    )  # fmt: skip


def _slice_text(channel: Channel, lb: dict[str, str]) -> str:
    from brandhalo.web.data import slice_name

    return slice_name(channel, lb)


def _slice_alerts_note(lang: str, named: str, left_out: int) -> str:
    from brandhalo.web.slicing import alerts_note

    return alerts_note(lang, named, left_out)


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
    brand = canonical_brand(state.config, asked.brand) if asked.brand else None
    key = ("why_no_alerts", lang, brand)
    return state.cached(key, why_no_alerts, lb, brand)  # type: ignore[no-any-return]


def _alerts(
    request: Request, asked: AlertsAsked, lang: str, channel: Channel | None = None
) -> tuple[list[AlertView], str | None, int]:
    """The alert episodes asked for (with a `channel`, those holding posts of it, each
    saying how many), what to say next to the form in `lang` (a date, brand or kind
    problem; no episode then), and how many episodes the `channel` left out."""
    from brandhalo.analytics.episodes import check_kind
    from brandhalo.analytics.spikes import KINDS
    from brandhalo.web import data

    lb = labels(lang)
    if (problem := _period_problem(lb, asked.since, asked.until)) is not None:
        return [], problem, 0
    if asked.kind is not None:
        try:
            check_kind(asked.kind)
        except BrandhaloError:
            kinds = listed(lb, [lb[f"kind_{k}"] for k in KINDS])
            return [], lb["unknown_kind"].format(kind=asked.kind, kinds=kinds), 0
    try:
        got = data.cached_sliced_alerts(state_of(request), asked, lang, channel or Channel())
    except NotFoundError:  # a brand not in brandhalo.toml (an old link, a typed address)
        return [], _brand_problem(request, lb, asked.brand), 0
    return got.views, None, got.left_out


#: The posts page's own filters besides the query, dates and page: each is a query parameter.
NARROWING = ("product", "segment", "label", "rating_min", "rating_max")
#: The posts page's words that the report's labels do not hold (zh, en).
_POSTS_TEXT = {
    "all_products": ("全部产品", "All products"),
    "all_segments": ("全部人群", "All segments"),
    "sentiment": ("情感", "Sentiment"),
    "all_sentiments": ("全部情感", "All sentiments"),
    "negative": ("负面", "Negative"),
    "neutral": ("中性", "Neutral"),
    "positive": ("正面", "Positive"),
    "rating": ("评分", "Rating"),
    "rating_min": ("最低评分", "Lowest rating"),
    "rating_max": ("最高评分", "Highest rating"),
    "rating_to": ("至", "to"),
    "rating_of": ("评分 {value}（满分 {top}）", "Rated {value} of {top}"),
    "rating_is": ("评分 {value}", "Rated {value}"),
    "bad_rating": (
        "评分 “{value}” 不是 0 到 100 之间的数字：请填写如 1 或 4.5 的数字，或留空表示不限。",
        "The rating '{value}' is not a number from 0 to 100: enter one such as 1 or 4.5, or "
        "leave it empty for no bound.",
    ),
    "swap_ratings": (
        "最低评分 {lo} 高于最高评分 {hi}：没有帖子能匹配，请交换两个评分。",
        "The lowest rating {lo} is above the highest rating {hi}: no post can match; swap them.",
    ),
    "unknown_product": (
        "产品 “{product}” 不在 brandhalo.toml 中（{names}）：从列表中选一个产品，"
        "或在 [[products]] 下添加它。",
        "The product '{product}' is not in brandhalo.toml ({names}): pick one from the list, "
        "or add it under [[products]].",
    ),
}
#: The posts page's own words in one language (:data:`_POSTS_TEXT`, by key).
Words = dict[str, str]


def posts_words(lang: str) -> Words:
    """The posts page's own words in `lang` (zh or en)."""
    at = 0 if lang == "zh" else 1
    return {k: v[at] for k, v in _POSTS_TEXT.items()}


#: A filter field of the posts page as sent (text; its meaning is checked by the page).
Text = Annotated[str | None, Query(max_length=256)]


@router.get("/posts", response_class=HTMLResponse)
def posts_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=2000)] = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    origin: Annotated[str | None, Query(max_length=16)] = None,
    brand: Annotated[str | None, Query(max_length=256)] = None,
    since: PageDay = None,
    until: PageDay = None,
    product: Text = None,
    segment: Text = None,
    label: Text = None,
    rating_min: Text = None,
    rating_max: Text = None,
    source: Text = None,
    post_lang: Text = None,
) -> Response:
    """Search posts with the query language, optionally of one brand, origin, date range,
    product, segment, sentiment, rating range, platform (`source`) and language (`post_lang`:
    the posts', as ``source:`` and ``lang:`` in the query); posts show as text, with their
    stars when the workspace holds rated reviews."""
    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    from brandhalo.web.export import matched_text
    from brandhalo.web.search import ORIGIN_CHOICES

    lang = page_lang(request)
    lb = labels(lang)
    words = posts_words(lang)
    origin = origin if origin in ORIGIN_CHOICES else None
    fields = NarrowingFields(product, segment, label, rating_min, rating_max)
    more, bad = fields.narrowing(words, state_of(request).config.segment_names())
    asked = PostsAsked(q=q, brand=brand or None, origin=origin, since=since, until=until, more=more,
                       source=_field_value(source), post_lang=_post_lang(post_lang))  # fmt: skip
    problem: str | None = bad
    if bad is not None:
        result = _empty_page(asked, page_no)
    else:
        result, problem = _search(request, asked, page_no, lang)
    own = ("q", "origin", "brand", "since", "until", "page", "source", "post_lang", *NARROWING)
    filters = _filters(request, "/posts", since, until, own=own)
    matched = None if _refused(result, problem) else _matched(request, asked)
    downloads = _downloads(lang, asked, matched, root_path(request.scope))
    span = _rating_span(request)
    ratings = [_rating(p.rating, span, words) for p in result.posts]
    context = {
        "lb": lb,
        "words": words,
        "q": q or "",
        "origins": _origin_options(lb, origin),
        "brands": _brand_options(request, lb, asked.brand),
        "products": _product_options(request, words, fields.product),
        "segments": _segment_options(request, words, lang, fields.segment),
        "sentiments": _sentiment_options(words, fields.label),
        "channels": _posts_channel_options(request, lb, asked.source, asked.post_lang),
        # the rating fields when some post has a rating (or the address names a bound)
        "rating": None if span is None and not fields.rating_asked() else fields.rating_range(span),
        "filters": filters,
        "problem": problem,
        "posts": _evidence(request, result, lb),
        # each post's stars (None: not rated), and whether the page shows the column
        "ratings": ratings,
        "rated": any(r is not None for r in ratings),
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


def _empty_page(asked: PostsAsked, page_no: int) -> PostPage:
    """No posts: what a page whose filters were refused shows."""
    from brandhalo.web.schemas import PostPage

    return PostPage(query=asked.q, page=page_no, page_size=20, has_more=False, posts=[])


@dataclass(frozen=True)
class NarrowingFields:
    """The posts page's product, segment, sentiment and rating fields as the address sent
    them (text; empty: no filter)."""

    product: str | None = None
    segment: str | None = None
    label: str | None = None
    rating_min: str | None = None
    rating_max: str | None = None

    def rating_asked(self) -> bool:
        """Whether the address names a rating bound."""
        return bool((self.rating_min or "").strip() or (self.rating_max or "").strip())

    def narrowing(self, words: Words, segments: list[str]) -> tuple[Narrowing | None, str | None]:
        """The search's narrowing (None: none asked), and the page's sentence for a rating
        that is no number from 0 to 100, or a range upside down (then no narrowing). A
        segment (of `segments`: the workspace's) or sentiment not among the choices is left
        out, as an unknown origin is."""
        from brandhalo.web.search import LABEL_CHOICES, Narrowing

        bounds: list[float | None] = []
        for text in (self.rating_min, self.rating_max):
            value, bad = _rating_bound(text)
            if bad:
                return None, words["bad_rating"].format(value=(text or "").strip())
            bounds.append(value)
        lo, hi = bounds
        if lo is not None and hi is not None and lo > hi:
            return None, words["swap_ratings"].format(lo=f"{lo:g}", hi=f"{hi:g}")
        more = Narrowing(
            product=(self.product or "").strip() or None,
            segment=self.segment if self.segment in segments else None,
            label=self.label if self.label in LABEL_CHOICES else None,
            rating_min=lo,
            rating_max=hi,
        )
        return (None if more == Narrowing() else more), None

    def rating_range(self, span: tuple[float, float] | None) -> RatingRange:
        """The rating fields as shown: the bounds sent, and the top of the stored ratings'
        scale (5 stars, unless some rating is higher: then the highest a filter takes)."""
        from brandhalo.store.posts import STAR_MAX

        top = STAR_MAX if span is None or span[1] <= STAR_MAX else 100
        return RatingRange(
            lo=(self.rating_min or "").strip(),
            hi=(self.rating_max or "").strip(),
            top=f"{top:g}",
        )


@dataclass(frozen=True)
class RatingRange:
    """The posts page's rating fields: the lowest and highest rating kept (as sent), and
    the highest rating of the workspace's scale."""

    lo: str
    hi: str
    top: str


@dataclass(frozen=True)
class Stars:
    """A post's rating as the posts page shows it: the number, filled and empty stars
    (none on a scale past 5 stars), and the sentence a screen reader says."""

    value: str
    stars: str
    title: str


def _rating_bound(text: str | None) -> tuple[float | None, bool]:
    """A rating field's value (None when empty), and whether it is no number from 0 to 100."""
    import math

    text = (text or "").strip()
    if not text:
        return None, False
    try:
        value = float(text)
    except ValueError:
        return None, True
    return value, not (math.isfinite(value) and 0 <= value <= 100)


def _rating(rating: float | None, span: tuple[float, float] | None, words: Words) -> Stars | None:
    """How a post's `rating` shows (None: not rated): stars out of 5 when every stored
    rating is a star rating (:data:`~brandhalo.store.posts.STAR_MAX` at most), else the
    number alone."""
    from brandhalo.store.posts import STAR_MAX

    if rating is None:
        return None
    value = f"{rating:g}"
    if span is not None and span[1] > STAR_MAX:
        return Stars(value, "", words["rating_is"].format(value=value))
    filled = max(0, min(int(STAR_MAX), int(rating + 0.5)))
    stars = "★" * filled + "☆" * (int(STAR_MAX) - filled)
    return Stars(value, stars, words["rating_of"].format(value=value, top=f"{STAR_MAX:g}"))


def _rating_span(request: Request) -> tuple[float, float] | None:
    """The lowest and highest rating stored (None: no post is rated), cached per snapshot."""
    from brandhalo.web.search import rating_span

    return state_of(request).cached(("rating_span",), rating_span)


def _product_options(request: Request, words: Words, chosen: str | None) -> list[Option]:
    """The product filter: all products, then each configured product (a name or alias in
    the address selects its product); none when brandhalo.toml names no product."""
    from brandhalo.analytics.market.brands import name_key, product_lookup

    config = state_of(request).config
    if not config.products:
        return []
    text = (chosen or "").strip()
    name = product_lookup(config).get(name_key(text), text) if text else None
    options = [Option("", words["all_products"], name is None)]
    return options + [Option(p.name, p.name, p.name == name) for p in config.products]


def _segment_options(request: Request, words: Words, lang: str, chosen: str | None) -> list[Option]:
    """The segment filter: all segments, then each segment the workspace's rules assign
    (the built-in ones in built-in order, then its own), by its display name."""
    config = state_of(request).config
    ruled = config.segment_names()
    options = [Option("", words["all_segments"], chosen not in ruled)]
    for s in ruled:
        name = config.label("segment", s, lang)  # "mass users": a list entry starts upper case
        options.append(Option(s, name[:1].upper() + name[1:], s == chosen))
    return options


def _sentiment_options(words: Words, chosen: str | None) -> list[Option]:
    """The sentiment filter: all, then negative, neutral, positive."""
    from brandhalo.web.search import LABEL_CHOICES

    options = [Option("", words["all_sentiments"], chosen not in LABEL_CHOICES)]
    return options + [Option(k, words[k], k == chosen) for k in LABEL_CHOICES]


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
    product: Text = None,
    segment: Text = None,
    label: Text = None,
    rating_min: Text = None,
    rating_max: Text = None,
    source: Text = None,
    post_lang: Text = None,
) -> Response:
    """The posts page's download: the posts its filters keep as a CSV or XLSX file (the
    columns and rows of ``brandhalo export posts``), or an error page in the page's language
    saying what to change."""
    from brandhalo.web import export

    if (redirect := _token_in_query(request)) is not None:
        return redirect
    require_read(request)
    lang = page_lang(request)
    fields = NarrowingFields(product, segment, label, rating_min, rating_max)
    more, bad = fields.narrowing(posts_words(lang), state_of(request).config.segment_names())
    if bad is not None:
        return error_page(request, 400, bad)
    channel = PostsAsked(q=q, brand=None, origin=None, since=None, until=None,
                         source=_field_value(source), post_lang=_post_lang(post_lang))  # fmt: skip
    asked = export.Search(q=channel.searched, brand=brand or None, origin=origin or None,
                          since=since, until=until, more=more)  # fmt: skip
    if (problem := export.problem(request, asked, fmt, lang)) is not None:
        return error_page(request, problem[0], problem[1])
    return export.download(state_of(request), asked, fmt)


def _search(
    request: Request, asked: PostsAsked, page_no: int, lang: str
) -> tuple[PostPage, str | None]:
    """One page of the posts asked for, and what to say above them in `lang` (a date, brand
    or query problem, or why posts are left out); no posts when there is a problem."""
    from brandhalo.web.search import search_posts

    lb = labels(lang)
    empty = _empty_page(asked, page_no)
    if (problem := _period_problem(lb, asked.since, asked.until)) is not None:
        return empty, problem
    searched = asked.searched
    key: tuple[object, ...] = ("posts", searched, asked.brand, asked.since, asked.until,
                               page_no, 20, asked.origin)  # fmt: skip
    key += asked.more.key() if asked.more is not None else ()
    try:
        result = state_of(request).cached(
            key,
            search_posts,
            searched,
            brand=asked.brand,
            since=asked.since,
            until=asked.until,
            page=page_no,
            size=20,
            origin=asked.origin,
            more=asked.more,
        )
    except QueryError as exc:  # shown on the page, next to the form that caused it
        from brandhalo.web.query_errors import query_problem

        return empty, query_problem(_own_query_error(asked.q, exc), lang)
    except NotFoundError:  # a brand or product not in brandhalo.toml (an old link, typed)
        return empty, not_found_problem(request, lang, asked.brand, asked.more)
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
    more: Narrowing | None = None
    #: one platform and one language of the posts (the platform and language selects)
    source: str | None = None
    post_lang: str | None = None

    @property
    def searched(self) -> str | None:
        """The query searched: the one typed, with ``source:`` and ``lang:`` of the platform
        and language selects added (the query typed alone when neither is chosen)."""
        extra = []
        if self.source:
            extra.append(f'source:"{self.source}"')
        if self.post_lang:
            extra.append(f"lang:{self.post_lang}")
        if not extra:
            return self.q
        typed = (self.q or "").strip()
        return " AND ".join([f"({typed})", *extra] if typed else extra)

    @property
    def analyzed_only(self) -> bool:
        """Whether the filters read what analysis found (brand, origin, product, segment,
        sentiment): posts not analyzed yet cannot match them."""
        more = self.more
        read = more is not None and any((more.product, more.segment, more.label))
        return bool(self.brand) or self.origin not in (None, "all") or read

    def search(self) -> Search:
        """The search these filters make (what the page counts and downloads)."""
        from brandhalo.web.export import Search

        return Search(self.searched, self.brand, self.origin, self.since, self.until, self.more)

    def query(self) -> dict[str, str]:
        """The search as query parameters (empty ones left out, except q)."""
        dates = {"since": self.since, "until": self.until}
        kept: dict[str, object] = {"brand": self.brand, "origin": self.origin, **dates,
                                   "source": self.source, "post_lang": self.post_lang}  # fmt: skip
        if (more := self.more) is not None:
            kept |= {"product": more.product, "segment": more.segment, "label": more.label}
            for k, v in (("rating_min", more.rating_min), ("rating_max", more.rating_max)):
                kept[k] = None if v is None else f"{v:g}"
        return {"q": self.q or "", **{k: str(v) for k, v in kept.items() if v}}


#: The platform or language value of posts without one (``post_facts``).
NO_VALUE = "(none)"


def _field_value(value: str | None) -> str | None:
    """A platform as a ``source:"..."`` value (quotes dropped; None when empty)."""
    text = (value or "").replace('"', "").strip()
    return text or None


def _post_lang(value: str | None) -> str | None:
    """A posts' language the query's ``lang:`` takes (zh, en, mixed, other), else None."""
    from brandhalo.text.query import LANG_VALUES

    code = (value or "").strip().lower()
    return code if code in LANG_VALUES else None


def _own_query_error(typed: str | None, exc: QueryError) -> QueryError:
    """The error of the query as typed when that is what fails (its positions then point into
    what the reader typed, not the query with the platform and language added)."""
    from brandhalo.text.query import parse_query

    if not (typed or "").strip():
        return exc
    try:
        parse_query(typed or "")
    except QueryError as own:
        return own
    return exc


def _posts_channel_options(
    request: Request, lb: dict[str, str], source: str | None, post_lang: str | None
) -> ChannelOptions:
    """The posts page's platform and language selects: the values the workspace holds (as
    the overview's), a platform asked that none of them is kept as an option."""
    from brandhalo.web import data

    sources, langs = state_of(request).cached(("channel_values",), data.channel_values)
    sources = [s for s in sources if s != NO_VALUE]  # no source: no `source:` value to match
    chosen = next((s for s in sources if source and s.casefold() == source.casefold()), source)
    if chosen is not None and chosen not in sources:
        sources = [*sources, chosen]
    held = [x for x in langs if x != NO_VALUE]
    if post_lang is not None and post_lang not in held:
        held.append(post_lang)
    return ChannelOptions(
        [Option("", lb["dash_all_platforms"], chosen is None)]
        + [Option(s, _platform_text(s, lb), s == chosen) for s in sources]
        if len(sources) > 1 or source
        else None,
        [Option("", lb["dash_all_langs"], post_lang is None)]
        + [Option(x, _lang_text(x, lb), x == post_lang) for x in held]
        if len(held) > 1 or post_lang
        else None,
    )


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


def listed(lb: dict[str, str], items: list[str], *, most: int | None = None) -> str:
    """`items` as a list in a sentence of `lb`'s language, with the report's separator
    (``ev_list_sep``: 小米、华为 in zh, "Xiaomi, Huawei" in en); past `most`, the first `most`
    and how many more (``ev_more``: " 等 5 个" / " and 5 more")."""
    shown = items if most is None else items[:most]
    more = len(items) - len(shown)
    return lb["ev_list_sep"].join(shown) + (lb["ev_more"].format(n=more) if more else "")


def _brand_problem(request: Request, lb: dict[str, str], brand: str | None) -> str:
    """The page's sentence for a brand that brandhalo.toml does not name."""
    names = listed(lb, [b.name for b in state_of(request).config.brands])
    return lb["unknown_brand"].format(brand=brand, names=names)


def not_found_problem(
    request: Request, lang: str, brand: str | None, more: Narrowing | None
) -> str:
    """The page's sentence for a brand or a product that brandhalo.toml does not name (the
    product when it is the one unknown)."""
    from brandhalo.analytics.market.brands import name_key, product_lookup

    product = more.product if more is not None else None
    config = state_of(request).config
    if product and name_key(product) not in product_lookup(config):
        names = [p.name for p in config.products]
        shown = listed(labels(lang), names, most=20)
        return posts_words(lang)["unknown_product"].format(product=product, names=shown)
    return _brand_problem(request, labels(lang), brand)


def _brand_options(
    request: Request, lb: dict[str, str], chosen: str | None, *, everyone: bool = True
) -> list[Option]:
    """A brand filter: all brands (when `everyone`, as on the posts and alerts pages), then
    each configured brand; an alias given in the address selects its brand. Without
    `everyone` (the overview picks the brand it is about) no choice is the own brand, and an
    unknown brand selects nothing."""
    from brandhalo.analytics.market.brands import canonical_brand

    config = state_of(request).config
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

    zone = state_of(request).config.workspace.timezone
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
