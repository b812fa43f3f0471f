"""Shape a :class:`ReportModel` for the templates: the report and the dashboard share these.

Nothing is computed from data here, and nothing is laid out: numbers are formatted, table
columns told numeric or not, alert and post lines put in reading order, links checked; the
templates (``brandhalo/templates``, see :mod:`brandhalo.report.templating`) escape and lay
out what these views hold.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from brandhalo.report.html import safe_url
from brandhalo.report.i18n import labels as i18n_labels
from brandhalo.report.i18n import post_marks
from brandhalo.report.method_notes import method_note
from brandhalo.report.model import (
    AlertView,
    Chart,
    ExampleView,
    ReportModel,
    ScoreItem,
    Section,
    Table,
)
from brandhalo.views import local_time, shown_time


@dataclass(frozen=True)
class Cell:
    """A table cell's text; `num`: right-aligned; `code`: shown as code (metric names);
    `user`: words from the posts (terms), not the report's own wording."""

    text: str
    num: bool = False
    code: bool = False
    user: bool = False


@dataclass(frozen=True)
class TableView:
    """A table as shown: the header cells and the rows of cells."""

    title: str
    head: list[Cell]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class ChartView:
    """A chart's placeholder; the chart script draws `key` from the JSON data block."""

    key: str
    title: str
    tall: bool = False


@dataclass(frozen=True)
class SectionView:
    """A report section / dashboard panel: intro, why it is empty, charts, tables, notes."""

    key: str
    title: str
    intro: str | None
    unavailable: str | None
    charts: list[ChartView]
    tables: list[TableView]
    notes: list[str]


@dataclass(frozen=True)
class ScoreCard:
    """One scorecard tile: the formatted score, its label and detail."""

    key: str
    value: str
    label: str
    detail: str
    overall: bool


@dataclass(frozen=True)
class Evidence:
    """An example post: who/when line, its text, its url (`href` only when it is safe)."""

    who: str
    text: str
    url: str | None
    href: str | None


@dataclass(frozen=True)
class AlertCard:
    """An alert episode as a card that opens to its explanation and example posts."""

    episode_id: str
    severity: str
    high: bool
    brand: str
    start: str
    summary: str
    lines: list[tuple[str, str]]
    examples: list[Evidence] = field(default_factory=list)
    open: bool = False


def chart_data(model: ReportModel) -> dict[str, Any]:
    """The JSON the chart script reads (charts only; everything else is in the HTML)."""
    return {"charts": [c.model_dump(mode="json") for c in model.charts()]}


def header_meta(model: ReportModel) -> str:
    """The line under the title: brand, period and when the model was made (workspace zone)."""
    lb = model.labels
    if model.since is None and model.until is None:
        period = lb["all_data"]
    else:
        period = f"{model.since or '…'} – {model.until or '…'}"
    generated = local_time(model.generated_at, model.timezone, utc=True)
    origin = (
        f" · {lb['origin_filter']}: {lb.get(f'origin_{model.origin}', model.origin)}"
        if model.origin is not None
        else ""
    )  # only when asked for (report --origin): the default report's header is unchanged
    return (
        f"{lb['brand']}: {model.brand} · {lb['period']}: {period}{origin} · "
        f"{lb['generated']}: {generated}"
    )


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def score_cards(items: list[ScoreItem]) -> list[ScoreCard]:
    """The scorecard tiles, the overall score marked."""
    return [
        ScoreCard(s.key, _fmt(s.score), s.label, s.detail or "", s.key == "overall") for s in items
    ]


def chart_view(chart: Chart) -> ChartView:
    """A chart placeholder; a heatmap of more than six rows is drawn taller."""
    return ChartView(chart.key, chart.title, tall=chart.kind == "heatmap" and len(chart.y) > 6)


#: Text that reads as a number: "58.8 %", "+12", "1,207", "12 天", "12 d", "3.2x".
_NUMBER_TEXT = re.compile(r"[−+-]?[\d,]+(\.\d+)?\s?(%|天|d|x|×)?")


def _is_num(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_NUMBER_TEXT.fullmatch(value.strip()))
    return isinstance(value, int | float) and not isinstance(value, bool)


def _digits(value: Any) -> int:
    """Decimals one number asks for: none for integers and for |x| >= 100, else the
    decimals it was rounded to (at most 2)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or isinstance(value, int):
        return 0
    if value != value or abs(value) >= 100 or float(value).is_integer():
        return 0
    text = f"{abs(float(value)):.2f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def column_digits(values: list[Any]) -> int:
    """Decimals of a numeric column: the most any of its numbers asks for, so "100.0" stands
    above "25.5" (not "100" above "25.50")."""
    return max((_digits(v) for v in values), default=0)


def _cell(value: Any, numeric: bool = False, digits: int | None = None) -> Cell:
    """A table cell; numbers (and the dash of a missing number) right-aligned.

    `digits`: the column's decimals (:func:`column_digits`); a lone number gets its own.
    """
    if isinstance(value, bool) or value is None:
        return Cell("–" if value is None else str(value), num=numeric)
    if isinstance(value, str):
        return Cell(value, num=numeric and _is_num(value))
    if _is_num(value):
        shown = _digits(value) if digits is None else digits
        return Cell(_fmt(float(value), shown), num=True)
    return Cell(str(value))


#: Columns of a table (by key) whose cells are words from the posts: marked so, since they are
#: in the posts' language, not the report's.
USER_COLUMNS: dict[str, frozenset[int]] = {"point_terms": frozenset({1, 2})}


def table_view(table: Table, code_columns: frozenset[int] = frozenset()) -> TableView:
    """A table; a column whose values are all numbers (or missing) is right-aligned, head too.

    `code_columns`: columns shown as code (never numeric); :data:`USER_COLUMNS` hold words
    from the posts.
    """
    user = USER_COLUMNS.get(table.key, frozenset())
    cols = [[r[i] if i < len(r) else None for r in table.rows] for i in range(len(table.columns))]
    numeric = [
        i not in code_columns and any(map(_is_num, c)) and all(_is_num(v) or v is None for v in c)
        for i, c in enumerate(cols)
    ]
    head = [Cell(c, num=n) for c, n in zip(table.columns, numeric, strict=True)]
    digits = [column_digits(c) for c in cols]
    rows = [
        [
            Cell(str(v), code=True)
            if i in code_columns
            else Cell(str(v), user=True)
            if i in user
            else _cell(v, numeric[i], digits[i])
            if i < len(numeric)
            else _cell(v)
            for i, v in enumerate(row)
        ]
        for row in table.rows
    ]
    return TableView(table.title, head, rows)


def section_view(section: Section) -> SectionView:
    """A section with its charts and tables shaped for the templates."""
    return SectionView(
        key=section.key,
        title=section.title,
        intro=section.intro,
        unavailable=section.unavailable,
        charts=[chart_view(c) for c in section.charts],
        tables=[table_view(t) for t in section.tables],
        notes=list(section.notes),
    )


def evidence(ex: ExampleView, labels: dict[str, str] | None = None) -> Evidence:
    """An example post: origin mark (news / campaign / official), author, time, id, how it
    counts for the brand; then, bracketed, most engaged and why its label is not trusted
    (explain 1.7: "[most engaged · mixed evidence]"); its url."""
    origin = ex.origin or "organic"
    name = (labels or {}).get(f"origin_{origin}", origin)
    marked = f"[{name}]" if origin != "organic" else None
    marks = post_marks(labels or i18n_labels("en"), ex.doubt, ex.standout)
    who = " · ".join(
        str(x) for x in (marked, ex.author, shown_time(ex.created_at), ex.post_id, ex.assigned) if x
    ) + (f" [{marks}]" if marks else "")
    return Evidence(who=who, text=ex.text, url=ex.url or None, href=safe_url(ex.url))


def alert_card(alert: AlertView, labels: dict[str, str], open_: bool = False) -> AlertCard:
    """An alert; a buzz or a campaign is never shown as a crisis (red severity)."""
    crisis = alert.kind == "negative_spike"
    lines = list(alert.explanation)
    if alert.terms:
        lines.append((labels["terms"], ", ".join(alert.terms)))
    return AlertCard(
        episode_id=alert.episode_id,
        severity=f"{alert.severity}/10",
        high=crisis and alert.severity >= 7,
        brand=alert.brand,
        start=shown_start(alert, labels),
        summary=alert.summary,
        lines=lines,
        examples=[evidence(e, labels) for e in alert.examples],
        open=open_,
    )


def shown_start(alert: AlertView, labels: dict[str, str]) -> str:
    """When an episode happened, as its card's title reads it: a day-level episode (whole
    local days, from midnight to midnight) as its day or days, the last included
    ("2025-06-16 to 2025-06-21, 6 days", as ``brandhalo alerts`` prints it), never as a
    midnight start; an hour-level one as its start time with the offset."""
    try:
        lo = dt.datetime.fromisoformat(alert.start_at)
        hi = dt.datetime.fromisoformat(alert.end_at) if alert.end_at else None
    except ValueError:
        return shown_time(alert.start_at)
    if hi is None or lo.time() != dt.time() or hi.time() != dt.time() or hi <= lo:
        return shown_time(alert.start_at)
    first, last = lo.date(), hi.date() - dt.timedelta(days=1)
    if first == last:
        return first.isoformat()
    span = labels["alert_span"].format(first=first, last=last)
    return labels["alert_span_days"].format(span=span, n=(last - first).days + 1)


def alert_cards(
    model: ReportModel, limit: int | None = None, open_first: bool = False
) -> list[AlertCard]:
    """The alert list (the first `limit`), the first one open when `open_first`."""
    alerts = model.alerts[:limit] if limit else model.alerts
    return [alert_card(a, model.labels, open_=open_first and i == 0) for i, a in enumerate(alerts)]


def method_table(model: ReportModel) -> TableView:
    """Every metric of the report with its version and method note."""
    from brandhalo.config import Params

    lb = model.labels
    params = Params(**model.params) if model.params else None  # a model of before: defaults
    rows: list[list[Any]] = [
        [n.metric, n.metric_version, method_note(n.metric, n.note, model.lang, params)]
        for n in model.method_notes
    ]
    table = Table(
        key="method",
        title=lb["method"],
        columns=[lb["metric"], lb["version"], lb["note"]],
        rows=rows,
    )
    return table_view(table, code_columns=frozenset({0}))


def report_context(
    model: ReportModel, *, alert_limit: int | None = None, open_first: bool = False
) -> dict[str, Any]:
    """What the report and the dashboard's overview show of a model, ready for the templates."""
    return {
        "model": model,
        "lb": model.labels,
        "meta": header_meta(model),
        "scores": score_cards(model.scorecard),
        "sections": [section_view(s) for s in model.sections],
        "alerts": alert_cards(model, alert_limit, open_first),
        "alerts_note": model.alerts_note,
        "method": method_table(model),
        "charts": chart_data(model),
    }
