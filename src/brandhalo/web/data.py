"""What the API and pages serve, taken from the library (metrics registry, alerts, ingest).

Each function takes the workspace first so :meth:`AppState.read` / ``cached`` can call it on the
published read snapshot (``ingest_posts`` is a write: :meth:`AppState.run`, under the store
lock). They reshape typed results for display; they compute no metric.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from brandhalo.errors import NotFoundError
from brandhalo.report.model import AlertView, ReportModel
from brandhalo.web.schemas import IngestOut, MetricInfo, MetricOut
from brandhalo.workspace import Workspace


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
    freq: str,
    types: str | None = None,
    origin: str | None = None,
) -> MetricOut:
    """One metric through the registry, as JSON-ready rows (`types`: post types counted;
    `origin`: the posts opinion metrics read, as ``metrics --origin``)."""
    from brandhalo.analytics.metrics import METRICS, compute_metric
    from brandhalo.views import jsonable

    if name not in METRICS:
        raise NotFoundError(
            f"no metric named {name!r}; GET /api/metrics lists them ({', '.join(sorted(METRICS))})"
        )
    result = compute_metric(
        ws, name, brand=brand, since=since, until=until, freq=freq, types=types, origin=origin
    )
    data = jsonable(result)
    notes = data.get("notes")
    return MetricOut(
        name=data.get("name", name),
        metric_version=_str(data.get("metric_version")),
        params=data.get("params") or {},
        rows=list(data.get("rows") or []),
        notes=notes if isinstance(notes, list | str) or notes is None else [str(notes)],
    )


def alert_views(ws: Workspace, since: dt.date | None, lang: str | None) -> list[AlertView]:
    """Alert episodes, newest first, as shown on the dashboard and in the report."""
    from brandhalo.report.sections_alerts import load_alert_views

    return load_alert_views(ws, since=since, lang=lang)


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
) -> Any:
    """The report model for the dashboard and /api/overview (one cache entry for both);
    `types`: the post types its metrics count (``post,comment``; None: all)."""
    from brandhalo.analytics._common import check_types, types_scope
    from brandhalo.report.i18n import pick_lang
    from brandhalo.report.model import build_report_model

    lang = pick_lang(lang, state.ws.config.workspace.language)
    chosen = check_types(types)

    def build(ws: Workspace) -> Any:
        with types_scope(chosen):
            return build_report_model(ws, lang=lang, since=since, until=until)

    key = ("overview", since, until, lang) + ((chosen,) if types is not None else ())
    return state.cached(key, build)
