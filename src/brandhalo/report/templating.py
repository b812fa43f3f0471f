"""The one Jinja2 template set of the report and the dashboard, overridable per workspace.

The templates ship in the package (``brandhalo/templates/*.html``). A workspace may hold a
``templates/`` folder beside ``brandhalo.toml``: a file there replaces the built-in template of
the same name (``macros.html`` changes a section everywhere it is shown), every other template
still comes from the package. Autoescape is on for every template (as in datasette), so a
value is shown as text unless Python marked it safe (the inlined styles and scripts, JSON data
blocks); a name a template uses but was not given is an error, not an empty string.

A broken template, built-in or from the workspace, raises :class:`~brandhalo.errors.TemplateError`
naming the file and the line.

Example:
    >>> html = render("report.html", {...}, root=ws.root)          # doctest: +SKIP
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from markupsafe import Markup

from brandhalo.errors import TemplateError
from brandhalo.report.html import json_for_script, safe_url

#: The workspace folder whose files replace the built-in templates of the same name.
WORKSPACE_FOLDER = "templates"


def workspace_templates(root: Path | str | None) -> Path | None:
    """The workspace's ``templates/`` folder, if `root` has one."""
    if root is None:
        return None
    folder = Path(root) / WORKSPACE_FOLDER
    return folder.resolve() if folder.is_dir() else None


def _shown(value: Any) -> Any:
    """What ``{{ value }}`` prints: nothing for None (not the word "None"); text with quotes
    escaped with the entities brandhalo has always written (``&quot;``, ``&#x27;``, where
    MarkupSafe writes ``&#34;``, ``&#39;``). Autoescape then escapes the rest (``&<>``, the
    same entities either way) and passes markup from a macro or marked safe as it is.
    """
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value
    text = value if isinstance(value, str) else str(value)
    if '"' in text or "'" in text:
        return Markup(html.escape(text, quote=True))
    return value


def _stamp(folder: Path | None) -> tuple[tuple[str, int], ...]:
    """The override folder's template files and their modification times."""
    if folder is None:
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()))


@functools.lru_cache(maxsize=16)
def environment(
    override: Path | None = None, stamp: tuple[tuple[str, int], ...] = ()
) -> jinja2.Environment:
    """The environment, built once per override folder state: that folder first, then the package.

    Args:
        override: a folder of templates that take precedence (a workspace's ``templates/``).
        stamp: the folder's files and modification times (:func:`_stamp`): adding, changing
            or deleting an override gives a new environment, so a running server never keeps a
            compiled template the folder no longer holds.
    """
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(str(override), encoding="utf-8"))
    loaders.append(jinja2.PackageLoader("brandhalo", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json_for_script"] = json_for_script
    env.filters["safe_url"] = safe_url
    return env


def render(name: str, context: dict[str, Any], *, root: Path | str | None = None) -> str:
    """Render template `name` with `context`, preferring the workspace's override of it.

    Args:
        name: the template's file name (``report.html``, ``posts.html``...).
        context: the values the template shows (view models, labels).
        root: the workspace folder whose ``templates/`` may override the built-in ones;
            None renders the built-in templates.

    Raises:
        TemplateError: a template does not parse or fails while rendering (file and line).
    """
    override = workspace_templates(root)
    try:
        return environment(override, _stamp(override)).get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax_error(exc, override) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"there is no template {exc.name!r}; a workspace may only replace the templates "
            "that brandhalo ships (brandhalo/templates), under the same names"
        ) from exc
    except Exception as exc:
        where = _template_frame(exc.__traceback__)
        if where is None:
            raise  # not a template's fault: the caller's bug, with its own traceback
        raise _runtime_error(exc, where, override) from exc


def _syntax_error(exc: jinja2.TemplateSyntaxError, override: Path | None) -> TemplateError:
    file = exc.filename or exc.name or "?"
    return TemplateError(
        f"the template does not parse: {exc.message}. {_fix(file, override)}",
        file=file,
        line=exc.lineno,
    )


def _runtime_error(exc: Exception, where: tuple[str, int], override: Path | None) -> TemplateError:
    file, line = where
    what = str(exc) or type(exc).__name__
    return TemplateError(
        f"the template failed: {what}. {_fix(file, override)}", file=file, line=line
    )


def _fix(file: str, override: Path | None) -> str:
    """What to do: fix or remove a workspace override; a built-in template is a bug to report."""
    if override is not None and Path(file).resolve().is_relative_to(override):
        return (
            "Fix this workspace override, or delete it to use the built-in template "
            "(brandhalo/templates/ has the originals)"
        )
    return "This is a built-in template: please report it as a bug"


def _template_frame(tb: TracebackType | None) -> tuple[str, int] | None:
    """The innermost template file and line in a traceback (Jinja maps them back to files)."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
