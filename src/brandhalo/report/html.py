"""The two escaping helpers the templates need beyond autoescape: safe links, JSON blocks.

Every other value is escaped by the templates themselves (Jinja2 with autoescape on, see
:mod:`brandhalo.report.templating`), so a post containing ``<script>`` renders as text.

Example:
    >>> safe_url("javascript:alert(1)") is None
    True
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

_SAFE_SCHEMES = {"http", "https"}


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


def json_for_script(data: Any) -> Markup:
    """JSON safe to place inside a ``<script type="application/json">`` element.

    The templates' ``json_script`` macro writes the element; this escapes its content so no
    value can end the element or start a comment in it.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # "<", ">" and "&" escaped so no "</script>" or "<!--" can end or confuse the element.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)
