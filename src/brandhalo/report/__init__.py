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


def render_report(model: ReportModel, *, templates_root: Path | str | None = None) -> str:
    """The report's HTML text, with styles, ECharts and the chart script inlined.

    Args:
        model: the report model.
        templates_root: a workspace folder whose ``templates/`` overrides the built-in
            templates (:mod:`brandhalo.report.templating`); None uses the built-in ones.
    """
    from markupsafe import Markup

    from brandhalo import __version__
    from brandhalo.report.render import report_context
    from brandhalo.report.templating import render

    context = {
        **report_context(model, open_first=True),
        "lang": model.lang,
        "version": __version__,
        "echarts_version": ECHARTS_VERSION,
        "css": Markup(static_text("brandhalo.css")),
        "echarts": Markup(static_text("echarts.min.js")),
        "charts_js": Markup(static_text("charts.js")),
    }
    return render("report.html", context, root=templates_root)


def write_report(
    ws: Workspace,
    out: Path | str | None = None,
    lang: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    brand: str | None = None,
    origin: str | None = None,
) -> Path:
    """Write the report about `brand` (a configured name or alias; None: the own brand) and
    return its path (default: ``reports/report-YYYYMMDD-HHMMSS-LANG.html``, with the brand
    before the language when it is not the own brand, then the origin asked for). `origin`:
    the posts its opinion metrics read and its alerts' origin (all, organic, campaign or news;
    None: ``[origin] default`` and every alert, with no origin named)."""
    from brandhalo.report.model import build_report_model

    _check_writable(Path(out).parent if out is not None else ws.path("reports"))
    model = build_report_model(ws, brand=brand, lang=lang, since=since, until=until, origin=origin)
    if out is None:
        stamp = model.generated_at.strftime("%Y%m%d-%H%M%S")
        kept = f"-{model.origin}" if model.origin is not None else ""
        name = f"report-{stamp}{_brand_part(ws, model.brand)}{kept}-{model.lang}.html"
        out = ws.path("reports", name)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render_report(model, templates_root=ws.root), encoding="utf-8")
    tmp.replace(path)  # never leave a half-written report behind
    return path.resolve()


def _check_writable(folder: Path) -> None:
    """Refuse before the report is computed (minutes on a large store) when its folder cannot
    be written: a read-only workspace (a restored backup mounted read-only), or a folder of
    another user."""
    import errno
    import os

    from brandhalo.errors import InputError

    advice = (
        "pass --out with a path in a folder you can write (or run the command on a writable "
        "copy of the workspace)"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise InputError(
                f"cannot write the report into {folder}: the folder is read-only; {advice}"
            ) from None
        raise InputError(
            f"cannot create the folder {folder} for the report ({e.strerror or e}): {advice}"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot write the report into {folder}: the folder is read-only for this user; "
            f"{advice}"
        )


def _brand_part(ws: Workspace, brand: str) -> str:
    """``-NAME`` in a default report file name for a brand other than the own brand (its
    name with characters unsafe in file names replaced), else nothing."""
    import re

    if brand == ws.config.own_brand.name:
        return ""
    return "-" + (re.sub(r"[^\w.-]+", "_", brand).strip("_.") or "brand")
