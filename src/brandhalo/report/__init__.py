"""The self-contained HTML report: a :class:`ReportModel` rendered into one file.

The report computes nothing: :func:`build_report_model` gathers metric results, and
:func:`render_report` lays them out with the vendored Apache ECharts inlined, so the file opens
offline and can be mailed as is.

Example:
    >>> path = write_report(ws, lang="en")          # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from brandhalo.report.model import ReportModel
    from brandhalo.workspace import Workspace

#: The vendored chart library (src/brandhalo/web/static/echarts.min.js, from npm).
ECHARTS_VERSION = "6.1.0"

__all__ = ["ECHARTS_VERSION", "render_report", "write_report"]


def static_text(name: str) -> str:
    """A file of the dashboard's static folder (ECharts, chart script, stylesheet)."""
    return resources.files("brandhalo.web").joinpath("static", name).read_text(encoding="utf-8")


def render_report(model: ReportModel) -> str:
    """The report's HTML text, with styles, ECharts and the chart script inlined."""
    from brandhalo import __version__
    from brandhalo.report.html import Markup, render_template
    from brandhalo.report.render import data_block, report_body

    return render_template(
        "brandhalo.report",
        "report.html",
        lang=model.lang,
        title=f"{model.title} · {model.brand}",
        version=__version__,
        echarts_version=ECHARTS_VERSION,
        footer=model.labels.get("footer", ""),
        css=Markup(static_text("brandhalo.css")),
        body=report_body(model),
        data=data_block(model),
        echarts=Markup(static_text("echarts.min.js")),
        charts_js=Markup(static_text("charts.js")),
    )


def write_report(
    ws: Workspace,
    out: Path | str | None = None,
    lang: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Path:
    """Write the report and return its path (default: ``reports/report-YYYYMMDD-HHMM.html``)."""
    from brandhalo.report.model import build_report_model

    model = build_report_model(ws, lang=lang, since=since, until=until)
    if out is None:
        stamp = model.generated_at.strftime("%Y%m%d-%H%M%S")
        out = ws.path("reports", f"report-{stamp}-{model.lang}.html")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render_report(model), encoding="utf-8")
    tmp.replace(path)  # never leave a half-written report behind
    return path.resolve()
