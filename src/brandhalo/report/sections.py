"""Build the :class:`ReportModel` from the metrics registry, one builder per section.

Each builder asks :class:`Ctx` for metric results (which records ``metric_version`` for the
method notes) and re-shapes their rows into charts and tables. A metric the workspace cannot
compute (no sales file, no events) makes its section say so instead of failing the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from brandhalo.errors import BrandhaloError
from brandhalo.report.i18n import check_lang, labels, pick_lang
from brandhalo.report.model import Chart, MethodNote, ReportModel, ScoreItem, Section
from brandhalo.workspace import Workspace


@dataclass
class Ctx:
    """What a section builder may use: the workspace, the window, labels, metric access."""

    ws: Workspace
    brand: str
    lang: str
    since: dt.date | None
    until: dt.date | None
    lb: dict[str, str]
    notes: dict[str, MethodNote] = field(default_factory=dict)

    def metric(self, name: str, **kwargs: Any) -> Any:
        """A registry metric's result (rows as a list of dicts); records its version."""
        from brandhalo.analytics.metrics import compute_metric
        from brandhalo.cli._common import jsonable

        kwargs.setdefault("brand", self.brand)
        result = compute_metric(self.ws, name, since=self.since, until=self.until, **kwargs)
        data = jsonable(result)
        version = str(data.get("metric_version", ""))
        notes = data.get("notes") or []
        note = "; ".join(notes) if isinstance(notes, list) else str(notes)
        self.notes.setdefault(name, MethodNote(metric=name, metric_version=version, note=note))
        return data

    def note(self, name: str, note: str = "") -> None:
        """Record a metric used through an analytics function (not the registry call)."""
        from brandhalo.analytics.metrics import METRICS

        version = METRICS[name].version
        self.notes.setdefault(name, MethodNote(metric=name, metric_version=version, note=note))


Builder = Callable[[Ctx], Section | None]


def _guard(ctx: Ctx, key: str, builder: Builder) -> Section | None:
    """Run a builder; a BrandhaloError (missing input, unknown metric) marks it unavailable."""
    try:
        section = builder(ctx)
    except BrandhaloError as exc:
        return Section(key=key, title=ctx.lb.get(key, key), unavailable=str(exc))
    if section is None:
        return None
    charts = [c for c in section.charts if _has_data(c)]
    tables = [t for t in section.tables if t.rows]
    unavailable = section.unavailable or (None if charts or tables else ctx.lb["no_data"])
    return section.model_copy(
        update={"charts": charts, "tables": tables, "unavailable": unavailable}
    )


def _has_data(chart: Chart) -> bool:
    if chart.kind == "heatmap":
        return any(v is not None for _, _, v in chart.cells)
    return any(v is not None for s in chart.series for v in s.data)


def build(
    ws: Workspace,
    *,
    lang: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> ReportModel:
    """The whole report model for `ws` (own brand), in `lang`.

    With `until` the report is "as of" that day: findings, alerts and every section use no
    later data (pacing runs to the last data day on or before it).

    Raises:
        InputError: `lang` is given and is not one of the report languages.
    """
    from brandhalo.report.alerts import load_alert_views
    from brandhalo.report.charts import SECTION_BUILDERS, scorecard

    lang = pick_lang(check_lang(lang), ws.config.workspace.language)
    lb = labels(lang)
    brand = ws.config.own_brand.name
    ctx = Ctx(ws=ws, brand=brand, lang=lang, since=since, until=until, lb=lb)
    try:
        score: list[ScoreItem] = scorecard(ctx)
    except BrandhaloError:  # e.g. no brand data yet: the report still renders the rest
        score = []
    sections = [s for key, b in SECTION_BUILDERS for s in [_guard(ctx, key, b)] if s is not None]
    alerts = load_alert_views(ws, since=since, until=until, lang=lang)
    ctx.note("alerts")
    ctx.note("spike_explanation")
    return ReportModel(
        title=lb["report_title"],
        workspace=ws.config.workspace.name,
        brand=brand,
        brands=[b.name for b in ws.config.brands],
        lang=lang,
        generated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        since=since,
        until=until,
        simulated=_simulated(ws),
        labels=lb,
        findings=_findings(ws, until, lang),
        scorecard=score,
        sections=sections,
        alerts=alerts,
        method_notes=sorted(ctx.notes.values(), key=lambda n: n.metric),
    )


def _simulated(ws: Workspace) -> bool:
    row = ws.store.con.execute("SELECT coalesce(bool_or(simulated), false) FROM posts").fetchone()
    return bool(row and row[0])


def _findings(ws: Workspace, until: dt.date | None, lang: str) -> list[Any]:
    from brandhalo.analytics.findings import top_findings

    return list(top_findings(ws, n=3, until=until, lang=lang))
