"""Alert episodes as shown: the detector's stored explanation (metric 15) put into labelled
lines, with its example posts (text, author, link) — every claim traceable to real posts.

Nothing is recomputed here: :func:`brandhalo.analytics.episodes.list_alerts` returns the
episodes with their :class:`~brandhalo.analytics.explain.Explanation`. What people read is in
the view's language: themes, touchpoints and segments by their display names
(``Config.label``), times in the workspace zone with its offset
(:func:`brandhalo.views.local_time`); the view model carries machine times (ISO 8601 with the
offset, as the API returns them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from brandhalo.report.i18n import labels, pick_lang
from brandhalo.report.model import AlertView, ExampleView
from brandhalo.views import iso_time, local_time
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
    from brandhalo.analytics.episodes import list_alerts

    lang = pick_lang(lang, ws.config.workspace.language)
    show = _Show(labels(lang), lang, ws.config, ws.timezone)
    found = list_alerts(ws, since=since)
    if until is not None:
        found = [a for a in found if a.start_at.date() <= until]
    return [_view(a, show) for a in found]


@dataclass(frozen=True)
class _Show:
    """How a view reads: labels and names in one language, times in the workspace zone."""

    lb: dict[str, str]
    lang: str
    config: Any
    zone: str

    def name(self, kind: str, value: str) -> str:
        """A theme's, touchpoint's or segment's display name."""
        return str(self.config.label(kind, value, self.lang))

    def time(self, value: Any, *, utc: bool = False) -> str | None:
        """Episode times are local to the workspace zone; post times are stored in UTC."""
        return local_time(value, self.zone, utc=utc) or None

    def iso(self, value: Any, *, utc: bool = False) -> str | None:
        """The machine form a view model carries (ISO 8601 with the zone's offset)."""
        return iso_time(value, self.zone, utc=utc)


def _view(alert: Any, show: _Show) -> AlertView:
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
        start_at=show.iso(alert.start_at) or "",
        end_at=show.iso(alert.end_at),
        peak=show.iso(alert.peak_period),
        themes=headline_themes(alert),
        count=alert.count,
        expected=alert.expected,
        summary=_summary(alert, show),
        explanation=_lines(expl, show) if expl else [],
        terms=[t.term for t in expl.terms[:10]] if expl else [],
        examples=[_example(p, show) for p in posts[:MAX_EXAMPLES]],
        raw=expl.model_dump(mode="json") if expl else {},
    )


def _expected(value: float) -> str:
    """An expected count as read beside an observed one: one decimal below 10 (0.5 is not 0)."""
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def headline_themes(alert: Any) -> list[str]:
    """The themes an alert is named by (a webhook's title, its themes line): the explanation's,
    largest share of the excess first (``(none)``: posts without a theme), as its summary and
    ``brandhalo alerts`` read; the themes whose series spiked when it has none."""
    expl = alert.explanation
    if expl and expl.themes:
        return [t.theme for t in expl.themes[:3]]
    return list(alert.themes)


def _summary(alert: Any, show: _Show) -> str:
    lb = show.lb
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
        parts.append(f"{lb['top_theme']}: {show.name('theme', top.theme)} ({top.share:.0%})")
    elif alert.themes:
        names = ", ".join(show.name("theme", t) for t in alert.themes)
        parts.append(f"{lb['themes']}: {names}")
    parts.append(f"z = {alert.peak_z:.1f}")
    return " · ".join(parts)


#: (explanation attribute, label key, separator, how one item reads), in the order a reader
#: needs them; the first `_TOP` items of each non-empty list become one line.
_LISTS: tuple[tuple[str, str, str, Callable[[Any, _Show], str]], ...] = (
    ("themes", "themes", "; ",
     lambda t, s: f"{s.name('theme', t.theme)} {t.share:.0%} ({t.observed:,} / {_expected(t.expected)})"),
    ("clusters", "clusters", "; ", lambda c, s: f"{c.label} ({c.size:,})"),
    ("entities", "entities", ", ", lambda c, s: f"{c.name} ({c.posts:,})"),
    ("touchpoints", "touchpoints", ", ",
     lambda c, s: f"{s.name('touchpoint', c.name)} ({c.posts:,})"),
    ("segments", "segments", ", ", lambda c, s: f"{s.name('segment', c.name)} ({c.posts:,})"),
    ("authors", "drivers", ", ",
     lambda a, s: f"{a.author_name or a.author_id} ({a.posts:,} · {a.engagement:,})"),
)  # fmt: skip


def _lines(expl: Any, show: _Show) -> list[tuple[str, str]]:
    """(label, text) lines of an explanation, in the order a reader needs them.

    Counts read "observed / expected" (no English "vs" in a Chinese report).
    """
    lb = show.lb
    lines = [
        (lb["excess"], f"{expl.observed:,} / {expl.expected:,.0f} ({expl.start} – {expl.end})"),
    ]
    for attr, key, sep, item in _LISTS:
        items = getattr(expl, attr)
        if items:
            lines.append((lb[key], sep.join(item(x, show) for x in items[:_TOP])))
    if expl.first_posts:
        first = expl.first_posts[0]
        when = show.time(first.created_at, utc=True) or ""
        lines.append((lb["first_post"], f"{when} {first.text[:80]}".strip()))
    return lines


def _example(post: Any, show: _Show) -> ExampleView:
    return ExampleView(
        post_id=post.post_id,
        text=post.text,
        url=post.url,
        author=post.author,
        created_at=show.iso(post.created_at, utc=True),
        engagement=float(post.engagement),
        origin=getattr(post, "origin", "organic"),
    )
