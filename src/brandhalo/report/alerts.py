"""Alert episodes as shown: the detector's stored explanation (metric 15) put into labelled
lines, with its example posts (text, author, link) — every claim traceable to real posts.

Nothing is recomputed here: :func:`brandhalo.analytics.alerts.list_alerts` returns the episodes
with their :class:`~brandhalo.analytics.explain.Explanation`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from brandhalo.report.i18n import labels, pick_lang
from brandhalo.report.model import AlertView, ExampleView
from brandhalo.workspace import Workspace

MAX_EXAMPLES = 5
_TOP = 5


def load_alert_views(
    ws: Workspace,
    *,
    since: dt.date | None = None,
    lang: str | None = None,
    until: dt.date | None = None,
) -> list[AlertView]:
    """Alert episodes (newest first) with explanations and example posts; with `until`,
    only the episodes that started on or before it (an "as of" view)."""
    from brandhalo.analytics.alerts import list_alerts

    lb = labels(pick_lang(lang, ws.config.workspace.language))
    found = list_alerts(ws, since=since)
    if until is not None:
        found = [a for a in found if a.start_at.date() <= until]
    return [_view(a, lb) for a in found]


def _minute(value: dt.datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else None


def _view(alert: Any, lb: dict[str, str]) -> AlertView:
    expl = alert.explanation
    posts = list(expl.examples) if expl else []
    if expl and not posts:  # never a news or campaign post as the example of a crisis
        posts = [
            p
            for p in [*expl.first_posts, *expl.repost_origins]
            if getattr(p, "origin", "organic") == "organic" or alert.kind == "campaign"
        ]
    return AlertView(
        episode_id=alert.episode_id,
        brand=alert.brand,
        severity=int(alert.severity),
        kind=getattr(alert, "kind", "negative_spike"),
        start_at=_minute(alert.start_at) or "",
        end_at=_minute(alert.end_at),
        peak=_minute(alert.peak_period),
        themes=list(alert.themes),
        count=alert.count,
        expected=alert.expected,
        summary=_summary(alert, lb),
        explanation=_lines(expl, lb) if expl else [],
        terms=[t.term for t in expl.terms[:10]] if expl else [],
        examples=[_example(p) for p in posts[:MAX_EXAMPLES]],
        raw=expl.model_dump(mode="json") if expl else {},
    )


def _summary(alert: Any, lb: dict[str, str]) -> str:
    kind = getattr(alert, "kind", "negative_spike")
    parts = [lb.get(f"kind_{kind}", kind)]
    share, base = getattr(alert, "negative_share", None), getattr(alert, "base_share", None)
    if share is not None and base is not None:
        parts.append(f"{lb['negative_share']} {share:.0%} ({lb['usual']} {base:.0%})")
    if alert.count is not None:
        parts.append(f"{lb['count']} {int(alert.count):,}")
    if alert.expected is not None:
        parts.append(f"{lb['expected']} {float(alert.expected):,.0f}")
    expl = alert.explanation
    if expl and expl.themes:
        top = expl.themes[0]
        parts.append(f"{lb['top_theme']}: {top.theme} ({top.share:.0%})")
    elif alert.themes:
        parts.append(f"{lb['themes']}: {', '.join(alert.themes)}")
    parts.append(f"z = {alert.peak_z:.1f}")
    return " · ".join(parts)


#: (explanation attribute, label key, separator, how one item reads), in the order a reader
#: needs them; the first `_TOP` items of each non-empty list become one line.
_LISTS: tuple[tuple[str, str, str, Callable[[Any], str]], ...] = (
    ("themes", "themes", "; ",
     lambda t: f"{t.theme} {t.share:.0%} ({t.observed:,} vs {t.expected:,.0f})"),
    ("clusters", "clusters", "; ", lambda c: f"{c.label} ({c.size:,})"),
    ("entities", "entities", ", ", lambda c: f"{c.name} ({c.posts:,})"),
    ("touchpoints", "touchpoints", ", ", lambda c: f"{c.name} ({c.posts:,})"),
    ("segments", "segments", ", ", lambda c: f"{c.name} ({c.posts:,})"),
    ("authors", "drivers", ", ",
     lambda a: f"{a.author_name or a.author_id} ({a.posts:,} · {a.engagement:,})"),
)  # fmt: skip


def _lines(expl: Any, lb: dict[str, str]) -> list[tuple[str, str]]:
    """(label, text) lines of an explanation, in the order a reader needs them."""
    lines = [
        (lb["excess"], f"{expl.observed:,} vs {expl.expected:,.0f} ({expl.start} – {expl.end})"),
    ]
    for attr, key, sep, show in _LISTS:
        items = getattr(expl, attr)
        if items:
            lines.append((lb[key], sep.join(show(x) for x in items[:_TOP])))
    if expl.first_posts:
        first = expl.first_posts[0]
        lines.append((lb["first_post"], f"{first.created_at or ''} {first.text[:80]}".strip()))
    return lines


def _example(post: Any) -> ExampleView:
    return ExampleView(
        post_id=post.post_id,
        text=post.text,
        url=post.url,
        author=post.author,
        created_at=post.created_at,
        engagement=float(post.engagement),
        origin=getattr(post, "origin", "organic"),
    )
