"""A tiny HTML builder that escapes everything unless it is marked safe.

The report and the dashboard are built with these few functions instead of a template engine:
every value is escaped by :func:`esc` unless it is a :class:`Markup` produced by this module,
so a post containing ``<script>`` or a ``javascript:`` link renders as text.

Example:
    >>> str(el("p", "<b>hi</b>", class_="note"))
    '<p class="note">&lt;b&gt;hi&lt;/b&gt;</p>'
"""

from __future__ import annotations

import html
import json
import string
from collections.abc import Iterable
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

_VOID = {"br", "hr", "img", "input", "link", "meta"}
_SAFE_SCHEMES = {"http", "https"}


class Markup(str):
    """A string of trusted HTML (made only by this module's functions)."""

    __slots__ = ()


def esc(value: Any) -> Markup:
    """Escape a value for HTML text or a quoted attribute; Markup passes through."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(html.escape(str(value), quote=True))


def join(parts: Iterable[Any], sep: str = "") -> Markup:
    """Concatenate escaped parts."""
    return Markup(esc(sep).join(esc(p) for p in parts))


def el(tag: str, *children: Any, **attrs: Any) -> Markup:
    """An element: attribute names drop a trailing ``_`` and turn ``_`` into ``-``.

    Attributes set to None or False are left out; True writes the bare name.
    """
    parts = [tag]
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{esc(value)}"')
    start = "<" + " ".join(parts) + ">"
    if tag in _VOID:
        return Markup(start)
    return Markup(start + join(children) + f"</{tag}>")


def safe_url(url: Any) -> str | None:
    """`url` if it is an absolute http(s) link, else None (shown as text, never as a link)."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() in _SAFE_SCHEMES and parts.netloc:
        return text
    return None


def link(url: Any, text: Any = None) -> Markup:
    """A link for safe http(s) urls; anything else (``javascript:``...) becomes plain text."""
    target = safe_url(url)
    label = url if text is None else text
    if target is None:
        return el("span", label, class_="nolink")
    return el("a", label, href=target, rel="noopener noreferrer nofollow", target="_blank")


def json_for_script(data: Any) -> Markup:
    """JSON safe to place inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # "<", ">" and "&" escaped so no "</script>" or "<!--" can end or confuse the element.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def json_script(element_id: str, data: Any) -> Markup:
    """A non-executed data block read by the chart script (allowed by the CSP)."""
    return Markup(
        f'<script type="application/json" id="{esc(element_id)}">{json_for_script(data)}</script>'
    )


def render_template(package: str, name: str, **values: Any) -> str:
    """Fill a packaged ``string.Template`` file; every value is escaped unless Markup."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return string.Template(text).substitute({k: esc(v) for k, v in values.items()})
