"""Lay out a :class:`ReportModel` as HTML: the report and the dashboard share these pieces.

Nothing is computed here; every user-supplied string passes through :func:`esc` (via
:func:`el`), and links only keep http(s) targets.
"""

from __future__ import annotations

import math
import re
from typing import Any

from brandhalo.report.html import Markup, el, join, json_script, link
from brandhalo.report.method_notes import method_note
from brandhalo.report.model import AlertView, Chart, ReportModel, ScoreItem, Section, Table
from brandhalo.views import local_time, shown_time


def chart_data(model: ReportModel) -> dict[str, Any]:
    """The JSON the chart script reads (charts only; everything else is in the HTML)."""
    return {"charts": [c.model_dump(mode="json") for c in model.charts()]}


def data_block(model: ReportModel) -> Markup:
    return json_script("bh-data", chart_data(model))


def header_block(model: ReportModel) -> Markup:
    lb = model.labels
    if model.since is None and model.until is None:
        period = lb["all_data"]
    else:
        period = f"{model.since or '…'} – {model.until or '…'}"
    meta = el(
        "p",
        f"{lb['brand']}: {model.brand} · {lb['period']}: {period} · "
        f"{lb['generated']}: {local_time(model.generated_at, model.timezone, utc=True)}",
        class_="meta",
    )
    banner = el("p", lb["simulated"], class_="banner") if model.simulated else Markup("")
    return join([el("h1", model.title), meta, banner])


def findings_block(model: ReportModel) -> Markup:
    if not model.findings:
        return Markup("")
    items = [el("li", el("strong", f.title), " — ", f.detail) for f in model.findings]
    return join([el("h2", model.labels["findings"]), el("ol", *items, class_="findings")])


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def score_block(items: list[ScoreItem], title: str) -> Markup:
    if not items:
        return Markup("")
    cards = [
        el(
            "div",
            el("div", _fmt(s.score), class_="v"),
            el("div", s.label, class_="l"),
            el("div", s.detail or "", class_="l"),
            class_="score overall" if s.key == "overall" else "score",
            data_score=s.key,
        )
        for s in items
    ]
    return join([el("h2", title), el("div", *cards, class_="scores")])


def chart_div(chart: Chart) -> Markup:
    tall = chart.kind == "heatmap" and len(chart.y) > 6
    return el(
        "div",
        el("h3", chart.title),
        el(
            "div",
            class_="chart tall" if tall else "chart",
            data_chart=chart.key,
            role="img",
            aria_label=chart.title,
        ),
        class_="card",
    )


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


def _cell(value: Any, numeric: bool = False, digits: int | None = None) -> Markup:
    """A table cell; numbers (and the dash of a missing number) right-aligned.

    `digits`: the column's decimals (:func:`column_digits`); a lone number gets its own.
    """
    if isinstance(value, bool) or value is None:
        return el("td", "–" if value is None else str(value), class_="num" if numeric else None)
    if isinstance(value, str):
        return el("td", value, class_="num" if numeric and _is_num(value) else None)
    if _is_num(value):
        shown = _digits(value) if digits is None else digits
        return el("td", _fmt(float(value), shown), class_="num")
    return el("td", value)


def table_block(table: Table) -> Markup:
    """A table; a column whose values are all numbers (or missing) is right-aligned, head too."""
    cols = [[r[i] if i < len(r) else None for r in table.rows] for i in range(len(table.columns))]
    numeric = [any(map(_is_num, c)) and all(_is_num(v) or v is None for v in c) for c in cols]
    head = el(
        "tr",
        *[
            el("th", c, class_="num" if n else None)
            for c, n in zip(table.columns, numeric, strict=True)
        ],
    )
    digits = [column_digits(c) for c in cols]
    rows = [
        el("tr", *[_cell(v, numeric[i], digits[i]) if i < len(numeric) else _cell(v)
                   for i, v in enumerate(row)])
        for row in table.rows
    ]  # fmt: skip
    return el(
        "div",
        el("h3", table.title),
        el("div", el("table", el("thead", head), el("tbody", *rows)), class_="tablewrap"),
        class_="card",
    )


def section_block(section: Section, labels: dict[str, str]) -> Markup:
    parts: list[Any] = [el("h2", section.title)]
    if section.intro:
        parts.append(el("p", section.intro))
    if section.unavailable:
        parts.append(
            el("p", f"{labels['unavailable']}: {section.unavailable}", class_="unavailable")
        )
    parts += [chart_div(c) for c in section.charts]
    parts += [table_block(t) for t in section.tables]
    parts += [el("p", n, class_="meta") for n in section.notes]
    return el("section", *parts, id=f"s-{section.key}")


def example_block(ex: Any, labels: dict[str, str] | None = None) -> Markup:
    origin = getattr(ex, "origin", "organic") or "organic"
    name = (labels or {}).get(f"origin_{origin}", origin)
    marked = f"[{name}]" if origin != "organic" else None  # news / campaign / official
    who = " · ".join(
        str(x) for x in (marked, ex.author, shown_time(ex.created_at), ex.post_id) if x
    )
    tail = [" ", link(ex.url)] if ex.url else []
    return el("div", el("div", who, class_="who"), ex.text, *tail, class_="post")


def alert_block(alert: AlertView, labels: dict[str, str], open_: bool = False) -> Markup:
    crisis = alert.kind == "negative_spike"  # a buzz or campaign is not shown as a crisis
    sev = el(
        "span",
        f"{alert.severity}/10",
        class_="sev high" if crisis and alert.severity >= 7 else "sev",
    )
    summary = el(
        "summary",
        sev,
        el("strong", alert.brand),
        " · ",
        shown_time(alert.start_at),
        " — ",
        alert.summary,
    )
    lines = [join([el("dt", k), el("dd", v)]) for k, v in alert.explanation]
    if alert.terms:
        lines.append(join([el("dt", labels["terms"]), el("dd", ", ".join(alert.terms))]))
    body = [el("dl", *lines, class_="explain")]
    if alert.examples:
        body.append(el("h3", labels["examples"]))
        body += [example_block(e, labels) for e in alert.examples]
    return el(
        "details",
        summary,
        el("div", *body, class_="alert-body"),
        class_="alert",
        id=f"a-{alert.episode_id}",
        data_episode=alert.episode_id,
        open=open_,
    )


def alerts_block(model: ReportModel, limit: int | None = None, open_first: bool = False) -> Markup:
    """The alert list; each opens to its explanation and example posts on a click."""
    lb = model.labels
    alerts = model.alerts[:limit] if limit else model.alerts
    body = [alert_block(a, lb, open_=open_first and i == 0) for i, a in enumerate(alerts)]
    body = body or [el("p", lb["no_alerts"])]
    return el("section", el("h2", lb["alerts"]), *body, id="s-alerts")


def method_block(model: ReportModel) -> Markup:
    lb = model.labels
    rows = [
        [el("code", n.metric), n.metric_version, method_note(n.metric, n.note, model.lang)]
        for n in model.method_notes
    ]
    table = Table(
        key="method",
        title=lb["method"],
        columns=[lb["metric"], lb["version"], lb["note"]],
        rows=rows,
    )
    return el("section", table_block(table), id="s-method")


def contents_block(model: ReportModel) -> Markup:
    """One line of links to every section (the report and the overview are long)."""
    if not model.sections:
        return Markup("")
    links = [el("a", s.title, href=f"#s-{s.key}") for s in model.sections]
    links.append(el("a", model.labels["alerts"], href="#s-alerts"))
    return el(
        "nav",
        f"{model.labels['contents']}: ",
        join(links, " · "),
        class_="meta contents",
        aria_label=model.labels["contents"],
    )


def report_body(model: ReportModel) -> Markup:
    """The whole report body: header, findings, scorecard, sections, alerts, method notes."""
    lb = model.labels
    parts = [
        header_block(model),
        findings_block(model),
        score_block(model.scorecard, lb["scorecard"]),
        contents_block(model),
    ]
    parts += [section_block(s, lb) for s in model.sections]
    parts += [alerts_block(model, open_first=True), method_block(model)]
    return join(parts)
