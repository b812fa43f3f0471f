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
from brandhalo.workspace import Workspace


@dataclass(frozen=True)
class Slice:
    """The part of the posts an opinion metric reads: one theme, touchpoint or target type,
    some platforms (``source``) or languages (``lang``), comma-separated (None: all);
    hashable, so a cached answer is per slice."""

    theme: str | None = None
    touchpoint: str | None = None
    target_type: str | None = None
    source: str | None = None
    lang: str | None = None


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
