"""The JSON API: metrics, alerts, the dashboard model, post search and post ingest.

Routes hold no logic: they validate, call the library through the app state (one store owner)
and return its typed results. Every route needs a token (see :mod:`brandhalo.web.auth`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import AfterValidator

from brandhalo.analytics._common import check_date
from brandhalo.errors import InputError
from brandhalo.report.model import AlertView, ReportModel
from brandhalo.web.auth import require_admin, require_read, state_of
from brandhalo.web.export import MEDIA_TYPES
from brandhalo.web.schemas import (
    AlertSliceOut,
    ErrorOut,
    IngestOut,
    MetricInfo,
    MetricOut,
    PostCount,
    PostPage,
    PostsIn,
    SlicedAlertView,
    WhoAmI,
)
from brandhalo.web.search import Narrowing
from brandhalo.web.tokens import TokenInfo

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 401, 403, 404, 413, 422, 429, 500, 503)
}
router = APIRouter(prefix="/api", responses=_ERRORS)
Reader = Annotated[TokenInfo, Depends(require_read)]
Admin = Annotated[TokenInfo, Depends(require_admin)]


def _supported_day(day: dt.date | None) -> dt.date | None:
    """A day inside the range questions may name (far-off years would overflow windows)."""
    try:
        return check_date(day, "date")
    except InputError as exc:
        raise ValueError(str(exc)) from None


Day = Annotated[
    dt.date | None,
    AfterValidator(_supported_day),
    Query(description="ISO date (YYYY-MM-DD), local day, 1900-01-01 .. 2199-12-31."),
]
Lang = Annotated[Literal["zh", "en"] | None, Query(description="Label language.")]
Types = Annotated[
    str | None,
    Query(
        max_length=64,
        description="Post types counted: post, comment, reply, comma-separated (default all).",
    ),
]
Brand = Annotated[
    str | None,
    Query(max_length=256, description="A configured brand's name or alias (404 if none)."),
]
Kind = Annotated[
    str | None,
    Query(
        max_length=32,
        description="One alert kind: negative_spike, buzz or campaign (default: every kind).",
    ),
]
AlertOrigin = Annotated[
    Literal["all", "organic", "campaign"] | None,
    Query(
        description="Episodes of organic opinion (negative spikes and buzz) or of campaigns "
        "(bursts of mostly campaign or official copy); default: all."
    ),
]
OpinionOrigin = Annotated[
    Literal["all", "organic", "campaign", "news"] | None,
    Query(
        description="Posts opinion metrics read (default: [origin] default, organic); "
        "campaign counts campaign copy and the brand's official posts together."
    ),
]


@router.get("/whoami", response_model=WhoAmI, tags=["access"])
def whoami(token: Reader) -> WhoAmI:
    """The token this request was made with (never its secret)."""
    return WhoAmI(token_id=token.token_id, name=token.name, role=token.role)


@router.get("/metrics", response_model=list[MetricInfo], tags=["metrics"])
def metrics(request: Request, token: Reader) -> list[MetricInfo]:
    """Every metric the workspace can compute (DESIGN section 6)."""
    from brandhalo.web import data

    return state_of(request).cached(("metrics",), data.metric_infos)


@router.get("/metrics/{name}", response_model=MetricOut, tags=["metrics"])
def metric(
    request: Request,
    token: Reader,
    name: str,
    brand: Annotated[str | None, Query(max_length=256)] = None,
    since: Day = None,
    until: Day = None,
    freq: Annotated[
        Literal["day", "week", "month", "quarter", "year"] | None,
        Query(
            description="Period; default: the metric's own (the whole range for "
            "touchpoint_balance and segment_perception, else day), named in params.freq."
        ),
    ] = None,
    types: Types = None,
    origin: OpinionOrigin = None,
    theme: Annotated[
        str | None,
        Query(
            max_length=256,
            description="net_sentiment, buzz, share_of_voice, segment_perception, "
            "event_study: only this theme's mentions (as `metrics --theme`).",
        ),
    ] = None,
    touchpoint: Annotated[
        str | None, Query(max_length=256, description="... only this touchpoint's mentions.")
    ] = None,
    target_type: Annotated[
        str | None, Query(max_length=64, description="... brand, product, persona or competitor.")
    ] = None,
    source: Annotated[
        str | None,
        Query(
            max_length=256,
            description="net_sentiment, buzz, share_of_voice, perception_index, "
            "touchpoint_balance, segment_perception, event_study, change_points: only the "
            "posts of these platforms, comma-separated (weibo, xhs, twitter, ...; as "
            "`metrics --source`).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        Query(
            max_length=64,
            description="... only the posts in these languages (zh, en, "
            "mixed, other; the posts' language, not the answer's; as `metrics --lang`).",
        ),
    ] = None,
    product: Annotated[
        str | None,
        Query(
            max_length=256,
            description="... only the posts naming this configured product (its name or an "
            "alias), each by the product's own label; share of voice among the brand's "
            "products (as `metrics --product`).",
        ),
    ] = None,
    segment: Annotated[
        str | None,
        Query(
            max_length=64,
            description="net_sentiment, buzz, share_of_voice, perception_index, "
            "touchpoint_balance, segment_perception, change_points: only the posts of one of "
            "the workspace's buyer segments (its id or display name: premium, 高端用户, or a "
            "[[segments]] name; 400 listing them for another), as `metrics --segment`.",
        ),
    ] = None,
) -> MetricOut:
    """One metric's rows for a brand and a date range, with its ``metric_version``; the opinion
    metrics that take them narrow to one theme, touchpoint or target type, to the posts of
    some platforms and languages, to one product's, or to one buyer segment's."""
    from brandhalo.web import data

    cut = data.Slice(theme=theme or None, touchpoint=touchpoint or None,
                      target_type=target_type or None, source=source or None,
                      lang=lang or None, product=product or None,
                      segment=segment or None)  # fmt: skip
    key = ("metric", name, brand, since, until, freq, types, origin, cut)
    return state_of(request).cached(
        key, data.metric_out, name, brand, since, until, freq, types, origin, cut
    )


#: The platform select of the dashboard, as /api/overview and /api/alerts take it.
PostSource = Annotated[
    str | None,
    Query(
        max_length=256,
        description="Only the posts of this platform (weibo, xhs, twitter, ... or a known "
        "name such as 微博; comma-separated for several), as the dashboard's platform "
        "select; 400 for one the workspace holds no post of.",
    ),
]
#: The language select of the dashboard (the posts' language; `lang` is the labels').
PostLang = Annotated[
    str | None,
    Query(
        max_length=64,
        description="Only the posts in this language (zh, en, mixed, other: the posts' "
        "language; `lang` stays the labels' language), as the dashboard's language select.",
    ),
]


@router.get("/alerts", response_model=list[SlicedAlertView], tags=["alerts"])
def alerts(
    request: Request,
    token: Reader,
    since: Day = None,
    until: Annotated[
        dt.date | None,
        AfterValidator(_supported_day),
        Query(description="Episodes starting on or before this ISO date (as of that day)."),
    ] = None,
    lang: Lang = None,
    brand: Brand = None,
    kind: Kind = None,
    origin: AlertOrigin = None,
    source: PostSource = None,
    post_lang: PostLang = None,
) -> list[SlicedAlertView]:
    """Alert episodes, newest first, each with its explanation and example posts: those
    ``brandhalo alerts`` lists for the same filters. `since`: episodes ending on or after it;
    `until`: starting on or before it; `brand`: one brand's; `kind`: one kind's; `origin`:
    organic opinion's or campaigns'. `source` and `post_lang` (as the dashboard's alerts
    page): the episodes holding negative posts (a buzz: posts) of that platform and language
    on their days, each with ``slice``, how many of its brand's posts there are of it (its
    summary ends with the count, its explanation starts with it); episodes are found on
    every platform's posts, so severity, z and expected are not split."""
    from brandhalo.web import data

    state = state_of(request)
    channel = data.checked_channel(state, source or None, post_lang or None,
                                   ("source", "post_lang"))  # fmt: skip
    asked = data.AlertsAsked(
        since=since, until=until, brand=brand or None, kind=kind, origin=origin
    )
    got = data.cached_sliced_alerts(state, asked, lang, channel)
    return [
        SlicedAlertView(**dict(v), slice=_slice_out(got.counts.get(v.episode_id), channel))
        for v in got.views
    ]


def _slice_out(count: Any, channel: Any) -> AlertSliceOut | None:
    """An episode's :class:`~brandhalo.web.slicing.SliceCount` as the API gives it."""
    if count is None:
        return None
    return AlertSliceOut(source=channel.source, post_lang=channel.lang, first=count.first,
                         last=count.last, negative=count.negative,
                         negative_all=count.negative_all, posts=count.posts,
                         posts_all=count.posts_all)  # fmt: skip


@router.get("/alerts/{episode_id}", response_model=AlertView, tags=["alerts"])
def alert(request: Request, token: Reader, episode_id: str, lang: Lang = None) -> AlertView:
    """One alert episode with its explanation and example posts."""
    from brandhalo.web import data

    return state_of(request).cached(("alert", episode_id, lang), data.alert_view, episode_id, lang)


@router.get("/overview", response_model=ReportModel, tags=["dashboard"])
def overview(
    request: Request,
    token: Reader,
    since: Day = None,
    until: Day = None,
    lang: Lang = None,
    types: Types = None,
    brand: Brand = None,
    origin: OpinionOrigin = None,
    source: PostSource = None,
    post_lang: PostLang = None,
) -> ReportModel:
    """The dashboard and report model about `brand` (default: the own brand): scorecard,
    charts, tables, alerts, method notes. `origin`: the posts its opinion metrics read, and
    its alerts those /api/alerts lists for that origin (news: none). `source` and
    `post_lang`: the overview of one platform's or language's posts, as the dashboard shows
    it (a ``slice`` section: each brand's share of voice, NS, posts and perception index
    among them, the brand's themes in them, the brand's perception index and every brand's
    buzz per day; the alerts holding posts of them, each saying how many, as /api/alerts
    lists them; the sales and market sections for every platform, each saying so; findings
    and the scorecard are not split: none); 400 for a value the workspace holds no post of.

    `generated_at` is ISO 8601 in the workspace zone (`timezone`) with its offset."""
    from brandhalo.web import data

    state = state_of(request)
    names = ("source", "post_lang")
    channel = data.checked_channel(state, source or None, post_lang or None, names)
    if channel:  # one platform or language: the opinion numbers of those posts alone
        model = data.sliced_overview(state, since, until, lang, brand, origin, channel, types)
    else:
        model = data.overview(state, since, until, lang, types, brand, origin)
    return data.overview_out(model)


Rating = Annotated[float | None, Query(ge=0, le=100)]


def _narrowing(
    request: Request,
    product: Annotated[
        str | None,
        Query(max_length=256, description="A configured product's name or alias (404 if none)."),
    ] = None,
    segment: Annotated[
        str | None,
        Query(
            max_length=64,
            description="Only posts analysis put in this segment: one of the workspace's "
            "(enthusiast, mass, premium, or its own [[segments]] names).",
        ),
    ] = None,
    label: Annotated[
        Literal["negative", "neutral", "positive"] | None,
        Query(description="Only posts of this overall sentiment."),
    ] = None,
    rating_min: Annotated[
        Rating, Query(description="Only posts rated at least this (stars; unrated left out).")
    ] = None,
    rating_max: Annotated[
        Rating, Query(description="Only posts rated at most this (stars; unrated left out).")
    ] = None,
) -> Narrowing | None:
    """The product, segment, label and rating filters of the posts routes (422 when the
    rating range keeps nothing)."""
    from fastapi.exceptions import RequestValidationError

    from brandhalo.web.search import Narrowing, rating_range_problem

    problem = rating_range_problem(rating_min, rating_max)
    if problem is not None:
        loc = ("query", "rating_min")
        error = {"type": "value_error", "loc": loc, "msg": problem, "input": rating_min}
        raise RequestValidationError([error])
    if segment is not None:  # the workspace's segments, by id or display name
        config = state_of(request).config
        if (found := config.segment_id(segment)) is None:
            msg = f"use one of this workspace's segments: {', '.join(config.segment_names())}"
            error = {"type": "value_error", "loc": ("query", "segment"), "msg": msg,
                     "input": segment}  # fmt: skip
            raise RequestValidationError([error])
        segment = found
    more = Narrowing(product or None, segment, label, rating_min, rating_max)
    return None if more == Narrowing() else more


More = Annotated[Narrowing | None, Depends(_narrowing)]


@router.get("/posts", response_model=PostPage, tags=["posts"])
def posts(
    request: Request,
    token: Reader,
    q: Annotated[str | None, Query(max_length=2000, description="Query language.")] = None,
    brand: Annotated[
        str | None,
        Query(max_length=256, description="A configured brand's name or alias (404 if none)."),
    ] = None,
    since: Day = None,
    until: Day = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 20,
    origin: Annotated[
        Literal["all", "organic", "campaign", "news", "official"] | None,
        Query(description="Only posts of this origin (all: every post)."),
    ] = None,
    more: More = None,
) -> PostPage:
    """Posts matching a query (AND, OR, NOT, quotes, NEAR/n, author:, source:, lang:), newest
    first; `brand` resolves aliases as the metrics do; `origin` keeps organic opinion, campaign
    copy, news or official posts only; `product` (a name or alias), `segment`, `label` and
    `rating_min`/`rating_max` (stars) narrow it further. Each post carries its `rating` (a
    review's stars) and `segment`. `created_at` is ISO 8601 in the workspace zone with its
    offset (`2025-05-20T05:18:00+08:00`)."""
    from brandhalo.web.search import search_posts

    key: tuple[object, ...] = ("posts", q, brand, since, until, page, page_size, origin)
    key += more.key() if more is not None else ()
    return state_of(request).cached(
        key,
        search_posts,
        q,
        brand=brand,
        since=since,
        until=until,
        page=page,
        size=page_size,
        origin=origin,
        more=more,
    )


PostsQ = Annotated[str | None, Query(max_length=2000, description="Query language.")]
PostsBrand = Annotated[
    str | None,
    Query(max_length=256, description="A configured brand's name or alias (404 if none)."),
]
PostsOrigin = Annotated[
    Literal["all", "organic", "campaign", "news", "official"] | None,
    Query(description="Only posts of this origin (all: every post)."),
]


@router.get("/posts/count", response_model=PostCount, tags=["posts"])
def posts_count(
    request: Request,
    token: Reader,
    q: PostsQ = None,
    brand: PostsBrand = None,
    since: Day = None,
    until: Day = None,
    origin: PostsOrigin = None,
    more: More = None,
) -> PostCount:
    """How many posts /api/posts pages through for the same filters: the rows
    /api/posts/export writes for them."""
    from brandhalo.web.export import Search, cached_count

    search = Search(q=q, brand=brand or None, origin=origin, since=since, until=until, more=more)
    return PostCount(query=search.text or None, matched=cached_count(request, search))


@router.get(
    "/posts/export",
    tags=["posts"],
    response_class=StreamingResponse,
    responses={200: {"content": {m: {} for m in MEDIA_TYPES.values()}}},
)
def posts_export(
    request: Request,
    token: Reader,
    fmt: Annotated[
        Literal["csv", "xlsx"],
        Query(
            alias="format",
            description="csv (as `brandhalo export posts` writes it) or xlsx (an Excel "
            "workbook of the same columns; up to 1,048,575 posts).",
        ),
    ] = "csv",
    q: PostsQ = None,
    brand: PostsBrand = None,
    since: Day = None,
    until: Day = None,
    origin: PostsOrigin = None,
    more: More = None,
) -> Response:
    """Every post /api/posts finds for the same filters, oldest first, with the columns of
    ``brandhalo export posts``, as an attachment named after the brand, origin and dates
    (``posts-Xiaomi-2025-05-01_2025-05-31.csv``); the ``x-brandhalo-rows`` header says how
    many. 400 when an xlsx would pass an Excel sheet's rows (ask for csv, or fewer posts)."""
    from brandhalo.web.export import Search, download

    search = Search(q=q, brand=brand or None, origin=origin, since=since, until=until, more=more)
    return download(state_of(request), search, fmt)


@router.post("/posts", response_model=IngestOut, status_code=201, tags=["posts"])
def ingest_posts(request: Request, token: Admin, body: PostsIn) -> IngestOut:
    """Ingest posts (admin token). Invalid rows are quarantined with a reason, as in the CLI;
    reposting the same posts is a no-op."""
    from brandhalo.web import data

    st = state_of(request)
    records = [p.model_dump(exclude_none=True) for p in body.posts]
    out = st.run(data.ingest_posts, records)
    st.invalidate()
    notify = getattr(request.app.state, "on_ingest", None)
    if notify is not None:
        notify(out)
    return out


def _include_labelling() -> None:
    """The labelling routes (/api/labels/queue, /api/labels) live with their page."""
    from brandhalo.web.labelling import api as labelling_api

    router.include_router(labelling_api)


_include_labelling()
