"""What the API and pages serve, taken from the library (metrics registry, alerts, ingest).

Each function takes the workspace first so :meth:`AppState.read` / ``cached`` can call it on the
published read snapshot (``ingest_posts`` is a write: :meth:`AppState.run`, under the store
lock). They reshape typed results for display; they compute no metric.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from brandhalo.analytics.episodes import ALERT_ORIGINS as ALERT_ORIGINS  # the pages' filter
from brandhalo.analytics.episodes import of_origin
from brandhalo.errors import NotFoundError
from brandhalo.report.model import AlertView, ReportModel
from brandhalo.report.notes import analysis_note
from brandhalo.report.origin import origin_alerts
from brandhalo.report.origin import other_origins_note as other_origins_note  # alerts page
from brandhalo.web.schemas import IngestOut, MetricInfo, MetricOut
from brandhalo.web.slicing import SlicedAlerts, ns_cell, rounded
from brandhalo.workspace import Workspace


@dataclass(frozen=True)
class Slice:
    """The part of the posts an opinion metric reads: one theme, touchpoint or target type,
    some platforms (``source``) or languages (``lang``), comma-separated, one configured
    ``product`` (as ``metrics --product``), one buyer ``segment`` (as ``metrics --segment``;
    None: all); hashable, so a cached answer is per slice."""

    theme: str | None = None
    touchpoint: str | None = None
    target_type: str | None = None
    source: str | None = None
    lang: str | None = None
    product: str | None = None
    segment: str | None = None


def metric_infos(ws: Workspace) -> list[MetricInfo]:
    """Every registered metric with its description and version."""
    from brandhalo.analytics.metrics import METRICS

    return [
        MetricInfo(name=name, description=spec.description, metric_version=spec.version)
        for name, spec in METRICS.items()
    ]


def metric_out(
    ws: Workspace,
    name: str,
    brand: str | None,
    since: dt.date | None,
    until: dt.date | None,
    freq: str | None,
    types: str | None = None,
    origin: str | None = None,
    cut: Slice | None = None,
) -> MetricOut:
    """One metric through the registry, as JSON-ready rows (`types`: post types counted;
    `origin`: the posts opinion metrics read, as ``metrics --origin``; `cut`: one theme,
    touchpoint or target type, some platforms or languages, as ``metrics --theme/--touchpoint/
    --target-type/--source/--lang``)."""
    from brandhalo.analytics.metrics import METRICS, compute_metric
    from brandhalo.views import EPISODE_METRICS, episode_times, jsonable

    check_period(since, until)
    if name not in METRICS:
        raise NotFoundError(
            f"no metric named {name!r}; GET /api/metrics lists them ({', '.join(sorted(METRICS))})"
        )
    result = compute_metric(
        ws,
        name,
        brand=brand or None,
        since=since,
        until=until,
        freq=freq,
        types=types,
        origin=origin,
        **asdict(cut or Slice()),
    )
    data = jsonable(result)
    rows = list(data.get("rows") or [])
    if name in EPISODE_METRICS:  # times with the zone's offset, as /api/alerts gives them
        rows = [episode_times(r, ws.timezone) for r in rows]
    return MetricOut(
        name=data.get("name", name),
        metric_version=_str(data.get("metric_version")),
        params=data.get("params") or {},
        rows=rows,
        notes=_with_note(data.get("notes"), analysis_note(ws, "en")),
    )


def _with_note(notes: Any, note: str | None) -> list[str] | str | None:
    """A metric's notes as served, with `note` (why posts are left out) added when there is one."""
    if not isinstance(notes, list | str) and notes is not None:
        notes = [str(notes)]
    if note is None:
        return notes  # type: ignore[no-any-return]
    if isinstance(notes, str):
        return [notes, note]
    return [*(notes or []), note]


def check_period(since: dt.date | None, until: dt.date | None) -> None:
    """Raise InputError (400) when `since` is after `until`: the period would be empty, and
    an empty answer would read as "no posts" instead of "swap the dates"."""
    from brandhalo.analytics._common import check_range

    check_range(since, until, names=("since", "until"))


@dataclass(frozen=True)
class AlertsAsked:
    """The filters of /api/alerts and the alerts page, as ``brandhalo alerts`` takes them:
    episodes ending on or after `since`, starting on or before `until`, of one `brand` (a
    configured name or alias), one `kind` and one `origin` (:data:`ALERT_ORIGINS`; None: no
    filter)."""

    since: dt.date | None = None
    until: dt.date | None = None
    brand: str | None = None
    kind: str | None = None
    origin: str | None = None

    def key(self) -> tuple[Any, ...]:
        """The cache key part (the filters set, each with its name)."""
        return tuple((k, v) for k, v in vars(self).items() if v is not None)


def cached_alerts(state: Any, asked: AlertsAsked, lang: str | None) -> list[AlertView]:
    """:func:`alert_views` for `asked` through the state's cache (one entry per filters).

    Raises:
        InputError: `since` after `until`, or an unknown kind (400).
        NotFoundError: a brand not in brandhalo.toml (404).
    """
    check_period(asked.since, asked.until)
    views: list[AlertView] = state.cached(
        ("alerts", lang, *asked.key()),
        alert_views,
        asked.since,
        lang,
        asked.brand,
        until=asked.until,
        kind=asked.kind,
    )
    return of_origin(views, asked.origin)


def cached_sliced_alerts(
    state: Any, asked: AlertsAsked, lang: str | None, channel: Channel
) -> SlicedAlerts:
    """The alerts of `asked` that hold posts of `channel` (a platform and language checked by
    :func:`checked_channel`), each with what the slice counts of it
    (:func:`brandhalo.web.slicing.slice_alerts`); every alert, no count, for an empty
    `channel`. Cached per filters and slice.

    Raises:
        InputError: `since` after `until`, or an unknown kind (400).
        NotFoundError: a brand not in brandhalo.toml (404).
    """
    if not channel:
        return SlicedAlerts(cached_alerts(state, asked, lang), {}, 0)
    check_period(asked.since, asked.until)
    key = ("alerts_slice", lang, channel.source, channel.lang, *asked.key())
    return state.cached(key, _sliced_alerts, asked, lang, channel)  # type: ignore[no-any-return]


def _sliced_alerts(
    ws: Workspace, asked: AlertsAsked, lang: str | None, channel: Channel
) -> SlicedAlerts:
    """:func:`cached_sliced_alerts` on the read snapshot."""
    from brandhalo.report.i18n import pick_lang
    from brandhalo.web.slicing import slice_alerts

    views = alert_views(ws, asked.since, lang, asked.brand, until=asked.until, kind=asked.kind)
    said = pick_lang(lang, ws.config.workspace.language)
    return slice_alerts(ws, of_origin(views, asked.origin), channel, said)


def alert_views(
    ws: Workspace,
    since: dt.date | None,
    lang: str | None,
    brand: str | None = None,
    *,
    until: dt.date | None = None,
    kind: str | None = None,
) -> list[AlertView]:
    """Alert episodes, newest first, as shown on the dashboard and in the report: those
    ``brandhalo alerts`` lists for the same filters (`brand`: a configured name or alias;
    `kind`: negative_spike, buzz or campaign)."""
    from brandhalo.analytics._common import check_brand
    from brandhalo.report.sections_alerts import load_alert_views

    name = check_brand(ws, brand or None)
    return load_alert_views(ws, since=since, until=until, lang=lang, brand=name, kind=kind)


def alert_view(ws: Workspace, episode_id: str, lang: str | None) -> AlertView:
    """One episode by id."""
    for view in alert_views(ws, None, lang):
        if view.episode_id == episode_id:
            return view
    raise NotFoundError(f"no alert episode {episode_id!r}; GET /api/alerts lists them")


def ingest_posts(ws: Workspace, records: list[dict[str, Any]]) -> IngestOut:
    """Ingest POSTed posts like the CLI does (validation, quarantine, dedupe)."""
    from brandhalo.ingest import ingest_records

    totals = ingest_records(ws, "posts", records, source_name="api").totals
    quarantined = int(totals.get("quarantined", 0))
    note = (
        f"{quarantined} rows were quarantined with a reason; `brandhalo quarantine` lists them"
        if quarantined
        else None
    )
    return IngestOut(
        rows_read=int(totals.get("rows_read", 0)),
        inserted=int(totals.get("inserted", 0)),
        duplicates=int(totals.get("duplicates", 0)),
        quarantined=quarantined,
        note=note,
    )


def overview_out(model: ReportModel) -> ReportModel:
    """`model` as /api/overview serves it: `generated_at` (naive UTC in the model, which the
    report and pages share) aware, in the workspace zone, so the JSON carries its offset."""
    from brandhalo.views import to_local

    return model.model_copy(
        update={"generated_at": to_local(model.generated_at, model.timezone, utc=True)}
    )


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def overview(
    state: Any,
    since: dt.date | None,
    until: dt.date | None,
    lang: str | None,
    types: str | None = None,
    brand: str | None = None,
    origin: str | None = None,
) -> Any:
    """The report model for the dashboard and /api/overview (one cache entry for both);
    `types`: the post types its metrics count (``post,comment``; None: all); `brand`: the
    brand it is about, a configured name or alias (None or empty: the own brand); `origin`:
    the posts its opinion metrics read (all, organic, campaign or news, as ``metrics
    --origin``; None: ``[origin] default``), its latest alerts then those of that origin
    (:func:`origin_alerts`).

    Raises:
        NotFoundError: `brand` is not in brandhalo.toml (404).
        InputError: an unknown `origin` (400).
    """
    from brandhalo.analytics._common import check_brand, check_types, types_scope
    from brandhalo.analytics.opinion import check_origin, origin_scope
    from brandhalo.report.i18n import pick_lang
    from brandhalo.report.model import build_report_model

    check_period(since, until)
    config = state.config  # brandhalo.toml as it is now (edited while serving: read again)
    lang = pick_lang(lang, config.workspace.language)
    chosen = check_types(types)

    def checked(ws: Workspace) -> tuple[str | None, str | None]:
        return (check_origin(ws, origin) if origin is not None else None), check_brand(
            ws, brand or None
        )

    read, name = state.read(checked)  # under the config reads answer with
    about = None if name == config.own_brand.name else name

    def build(ws: Workspace) -> Any:
        with types_scope(chosen), origin_scope(read):
            model = build_report_model(ws, brand=about, lang=lang, since=since, until=until)
        return model if read is None else origin_alerts(model, read)

    key = ("overview", since, until, lang) + ((chosen,) if types is not None else ())
    key += (("origin", read),) if read is not None else ()
    return state.cached(key + ((about,) if about else ()), build)


@dataclass(frozen=True)
class Channel:
    """The overview's platform and language slice (``source``, ``lang``: a stored value each,
    as :func:`~brandhalo.analytics.opinion.check_channel` gives them; None: every one)."""

    source: str | None = None
    lang: str | None = None

    def __bool__(self) -> bool:
        return self.source is not None or self.lang is not None


def channel_values(ws: Workspace) -> tuple[list[str], list[str]]:
    """The platforms and languages the workspace holds analyzed posts of (the choices of the
    overview's platform and language selects), each sorted."""
    from brandhalo.store import aggregates

    con = ws.store.con
    return aggregates.channel_values(con, "source"), aggregates.channel_values(con, "lang")


def checked_channel(
    state: Any,
    source: str | None,
    lang: str | None,
    names: tuple[str, str] = ("--source", "--lang"),
) -> Channel:
    """The platform and language asked (`source`, `lang`: stored values, any case, or a
    platform's known name such as 微博; comma-separated), as the stored values they name
    (an empty Channel when neither is asked); `names`: the asker's names of the two, which
    the error names (``source``, ``post_lang`` for /api/overview).

    Raises:
        InputError: a value the workspace holds no post of (the message lists those it holds).
    """
    from brandhalo.analytics.opinion import check_channel
    from brandhalo.errors import InputError

    if source is None and lang is None:
        return Channel()
    try:
        got = state.read(lambda ws: check_channel(ws, source, lang))
    except InputError as exc:  # check_channel names the CLI's options
        said = str(exc).replace("--source", names[0]).replace("--lang", names[1])
        raise InputError(said) from None
    return Channel(source=got.get("source"), lang=got.get("lang"))


def sliced_overview(
    state: Any,
    since: dt.date | None,
    until: dt.date | None,
    lang: str | None,
    brand: str | None,
    origin: str | None,
    channel: Channel,
    types: str | None = None,
) -> ReportModel:
    """The overview of the posts of one platform and/or language (`channel`, checked against
    :func:`channel_values` by the caller): what the opinion metrics that take ``--source`` /
    ``--lang`` say of those posts (each brand's share of voice, NS and posts over the window,
    its latest perception index; the brand's perception index and every brand's buzz per day;
    the brand's themes in them, :func:`brandhalo.web.slicing.themes_table`); the alerts of
    the unsliced overview that hold posts of the slice, each saying how many
    (:func:`brandhalo.web.slicing.slice_alerts`); the sales and market sections, which no post
    makes, for every platform, each saying so. Findings and the scorecard are not split by
    platform or language: left out (the page says so). `lang`: the labels' language (None:
    the workspace's); `types`: the post types counted (as :func:`overview`). One cache entry
    per slice; the unsliced overview is :func:`overview`, untouched. The dashboard's overview
    and /api/overview (``?source=&post_lang=``) both serve it.

    Raises:
        NotFoundError: `brand` is not in brandhalo.toml (404).
        InputError: `since` after `until`, an unknown `origin`, or a platform or language
            the workspace holds no post of (400).
    """
    from brandhalo.analytics._common import check_brand, check_types
    from brandhalo.analytics.opinion import check_origin
    from brandhalo.report.i18n import pick_lang

    check_period(since, until)
    config = state.config
    lang = pick_lang(lang, config.workspace.language)
    chosen = check_types(types) if types is not None else None

    def checked(ws: Workspace) -> tuple[str, str | None]:
        return check_origin(ws, origin), check_brand(ws, brand or None)

    read, name = state.read(checked)
    about = name or config.own_brand.name
    key: tuple[Any, ...] = ("overview_slice", since, until, lang, read, about, channel.source,
                            channel.lang)  # fmt: skip
    key += (chosen,) if chosen is not None else ()
    model: ReportModel = state.cached(
        key, _sliced_model, since, until, lang, read, about, channel, chosen
    )
    return _with_unsliced_parts(state, model, channel, origin)


def _with_unsliced_parts(
    state: Any, model: ReportModel, channel: Channel, origin: str | None
) -> ReportModel:
    """The sliced `model` with the parts of the unsliced overview (same brand, period, origin)
    it can show: its alerts that hold posts of `channel`, each with its count
    (:func:`cached_sliced_alerts`), and its sales and market sections, each saying it is of
    every platform (:func:`market_sections`)."""
    from brandhalo.analytics.episodes import ALERT_ORIGINS
    from brandhalo.report.origin import no_news_note
    from brandhalo.report.sections import why_no_alerts
    from brandhalo.web.slicing import words

    lb, lang = model.labels, model.lang
    brand = None if model.brand == state.config.own_brand.name else model.brand
    asked = AlertsAsked(since=model.since, until=model.until, brand=brand, origin=origin)
    if origin is not None and origin not in ALERT_ORIGINS:  # news: alerts are not split so
        got, note = SlicedAlerts([], {}, 0), no_news_note(lang)
    else:
        got, note = cached_sliced_alerts(state, asked, lang, channel), None
    if not got.views and note is None:
        note = words(lang)["no_slice_alerts"].format(slice=slice_name(channel, lb))
        if not got.left_out:  # no alert at all: the report's reason too
            about = model.brand
            why = state.cached(("why_no_alerts", lang, about), why_no_alerts, lb, about)
            note += ("" if lang == "zh" or not why else " ") + (why or "")
    key = ("market_sections", model.since, model.until, lang, model.brand)
    market = state.cached(key, market_sections, model.since, model.until, lang, model.brand)
    return model.model_copy(update={"alerts": got.views, "alerts_note": note,
                                    "sections": [*model.sections, *market]})  # fmt: skip


def market_sections(
    ws: Workspace, since: dt.date | None, until: dt.date | None, lang: str, brand: str
) -> list[Any]:
    """The report's sales and market sections about `brand` (price bands, pacing,
    concentration, revenue and margin: :data:`brandhalo.web.slicing.MARKET_SECTIONS`), built
    by the report's own builders, those with something to show, each saying it is of every
    platform and language (no post makes them: a slice of the posts leaves them as they
    are)."""
    from brandhalo.analytics.memo import report_cache
    from brandhalo.errors import BrandhaloError
    from brandhalo.report.charts import SECTION_BUILDERS, SECTION_NEEDS
    from brandhalo.report.i18n import labels
    from brandhalo.report.sections import Ctx, meaningful, missing_input
    from brandhalo.web.slicing import MARKET_SECTIONS, words

    ctx = Ctx(ws=ws, brand=brand, lang=lang, since=since, until=until, lb=labels(lang))
    note = words(lang)["market_note"]
    builders = dict(SECTION_BUILDERS)
    out = []
    with report_cache():
        for key in MARKET_SECTIONS:
            if missing_input(ctx, SECTION_NEEDS.get(key, ())) is not None:
                continue  # no sales (targets, financials) of the brand: nothing to show
            try:
                section = builders[key](ctx)
            except BrandhaloError:
                continue
            if section is None:
                continue
            charts = [c for c in section.charts if meaningful(c)]
            tables = [t for t in section.tables if t.rows]
            if charts or tables:
                update = {"charts": charts, "tables": tables, "notes": [note, *section.notes]}
                out.append(section.model_copy(update=update))
    return out


def _sliced_model(
    ws: Workspace,
    since: dt.date | None,
    until: dt.date | None,
    lang: str,
    read: str,
    brand: str,
    channel: Channel,
    types: tuple[str, ...] | None = None,
) -> ReportModel:
    """:func:`sliced_overview`'s model, computed on the read snapshot (`types`: the post
    types counted; None: every type)."""
    from brandhalo.analytics._common import types_scope

    with types_scope(types):
        return _sliced_model_of(ws, since, until, lang, read, brand, channel)


def _sliced_model_of(
    ws: Workspace,
    since: dt.date | None,
    until: dt.date | None,
    lang: str,
    read: str,
    brand: str,
    channel: Channel,
) -> ReportModel:
    """:func:`_sliced_model` inside its post types' scope."""
    from brandhalo.analytics import opinion
    from brandhalo.analytics.metrics import compute_metric
    from brandhalo.report.i18n import labels
    from brandhalo.report.model import Chart, Section, Series, Table
    from brandhalo.report.sections import pi_line
    from brandhalo.report.sections_benchmark import opinion_columns
    from brandhalo.views import jsonable
    from brandhalo.web.slicing import themes_table

    lb = labels(lang)
    cut = {"source": channel.source, "lang": channel.lang}
    brands = [b.name for b in ws.config.brands]
    with opinion.origin_scope(read), opinion.channel_scope(*opinion.channel_of(
            {k: v for k, v in cut.items() if v is not None})):  # fmt: skip
        ns = _by_brand_rows(opinion.net_sentiment(ws, None, since, until, None))
        sov = _by_brand_rows(opinion.buzz(ws, None, since, until, None))
    pi_rows = jsonable(compute_metric(ws, "perception_index", brand=None, since=since,
                                      until=until, origin=read, source=channel.source,
                                      lang=channel.lang).rows)  # fmt: skip
    buzz_rows = jsonable(compute_metric(ws, "buzz", brand=None, since=since, until=until,
                                        freq="day", origin=read, source=channel.source,
                                        lang=channel.lang).rows)  # fmt: skip
    latest: dict[str, Any] = {}
    for r in pi_rows:
        if r.get("pi") is not None:
            latest[str(r["brand"])] = r["pi"]
    rows = []
    for b in brands:
        n, s = ns.get(b, {}), sov.get(b, {})
        rows.append([b, _pct(s.get("share_of_voice")), ns_cell(n, lb), _count(n.get("posts")),
                     rounded(latest.get(b))])  # fmt: skip
    table = Table(key="slice_brands", title=lb["dash_slice_table"],
                  columns=[lb["brand"], lb["bm_sov"], *opinion_columns(lb, read), lb["bm_pi"]],
                  rows=rows)  # fmt: skip
    own = [r for r in pi_rows if r.get("brand") == brand]
    pi_chart = Chart(
        key="slice_perception",
        title=f"{lb['perception']} · {brand}",
        x=[str(r["period"])[:10] for r in own],
        series=[
            Series(
                name="PI", data=[rounded(v) for v in pi_line(own, ws.config.params.half_life_days)]
            ),
            Series(name="NSw", data=[rounded(r.get("nsw")) for r in own], kind="scatter"),
        ],
        axis_names=["NS"],
    )
    days = sorted({str(r["period"])[:10] for r in buzz_rows})
    per: dict[str, dict[str, float]] = {}
    for r in buzz_rows:
        per.setdefault(str(r["brand"]), {})[str(r["period"])[:10]] = float(r.get("buzz") or 0)
    order = [brand, *sorted(b for b in per if b != brand)]
    buzz_chart = Chart(
        key="slice_buzz",
        title=lb["buzz"],
        x=days,
        series=[Series(name=b, data=[per[b].get(d, 0.0) for d in days]) for b in order if b in per],
        axis_names=[lb["posts"]],
        y_min=0.0,
    )
    charts = [c for c in (pi_chart, buzz_chart) if c.x]
    with opinion.origin_scope(read):
        themes, themes_note = themes_table(ws, brand, since, until, channel, lang, lb)
    section = Section(key="slice", title=lb["dash_slice_title"].format(slice=slice_name(channel, lb)),
                      tables=[table, *([themes] if themes is not None else [])], charts=charts,
                      notes=[lb["dash_slice_method"], themes_note])  # fmt: skip
    return ReportModel(
        title=lb["report_title"],
        workspace=ws.config.workspace.name,
        brand=brand,
        brands=brands,
        lang=lang,
        generated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        timezone=ws.timezone,
        since=since,
        until=until,
        labels=lb,
        sections=[section],  # the alerts and market sections: _with_unsliced_parts
    )


def slice_name(channel: Channel, lb: dict[str, str]) -> str:
    """The platform and language of `channel` as the page names them (微博 · 英文)."""
    from brandhalo.report.sections_platforms import language_name, platform_name

    parts = []
    if channel.source is not None:
        parts.append(platform_name(channel.source, lb))
    if channel.lang is not None:
        parts.append(language_name(channel.lang, lb))
    return " · ".join(parts)


def _by_brand_rows(df: Any) -> dict[str, dict[str, Any]]:
    """A whole-window frame's rows by brand."""
    from brandhalo.views import jsonable

    return {str(r["brand"]): r for r in jsonable(df.to_dict("records"))}


def _pct(value: Any) -> float | None:
    share = rounded(None if value is None else float(value) * 100)
    return share


def _count(value: Any) -> int:
    return 0 if value is None or value != value else int(value)
