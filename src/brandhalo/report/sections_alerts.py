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
from dataclasses import dataclass, replace
from typing import Any

from brandhalo.analytics.explain import assigned, shown_expected, top_themes, usual_count
from brandhalo.report.i18n import labels, pick_lang, post_marks
from brandhalo.report.model import AlertView, ExampleView
from brandhalo.views import clip, iso_time, local_time
from brandhalo.workspace import Workspace

MAX_EXAMPLES = 5
_TOP = 5
#: How much of the first post a card's "First post" line shows (cut with "…").
FIRST_POST_CHARS = 80


def load_alert_views(
    ws: Workspace,
    *,
    since: dt.date | None = None,
    lang: str | None = None,
    until: dt.date | None = None,
    brand: str | None = None,
    kind: str | None = None,
) -> list[AlertView]:
    """Alert episodes (newest first) with explanations and example posts: those
    :func:`~brandhalo.analytics.episodes.list_alerts` gives for the same filters (with
    `until`, only the episodes that started on or before it, an "as of" view)."""
    from brandhalo.analytics.episodes import list_alerts

    lang = pick_lang(lang, ws.config.workspace.language)
    show = _Show(labels(lang), lang, ws.config, ws.timezone)
    found = list_alerts(ws, since=since, until=until, brand=brand, kind=kind)
    return [_view(a, show) for a in found]


@dataclass(frozen=True)
class _Show:
    """How a view reads: labels and names in one language, times in the workspace zone."""

    lb: dict[str, str]
    lang: str
    config: Any
    zone: str
    #: author ids marked "most engaged" on an explanation's authors line (:func:`_lines`)
    standouts: frozenset[str] = frozenset()
    #: the explanation's themes count its posts of every label (:func:`by_volume`: a buzz),
    #: not its negatives (:func:`_lines`)
    volume: bool = False

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
        baseline_days=getattr(alert, "baseline_days", None),
        summary=_summary(alert, show),
        explanation=_lines(alert, show) if expl else [],
        terms=[t.term for t in expl.terms[:10]] if expl else [],
        examples=[_example(p, show) for p in posts[:MAX_EXAMPLES]],
        raw=_raw(expl, show) if expl else {},
    )


#: The explanation's lists of posts (their ``created_at`` is stored in UTC, without a zone).
_POST_LISTS = ("examples", "first_posts", "repost_origins", "marked")


def _raw(expl: Any, show: _Show) -> dict[str, Any]:
    """The full explanation for the API, its post times ISO 8601 in the workspace zone with
    its offset (as every time the API answers, and as ``brandhalo alerts --json`` writes
    them): stored naive UTC, "2026-11-19T03:58:26" read as local time was 8 hours off."""
    raw: dict[str, Any] = expl.model_dump(mode="json")
    for key in _POST_LISTS:
        for post in raw.get(key) or []:
            post["created_at"] = show.iso(post.get("created_at"), utc=True)
    return raw


def headline_themes(alert: Any) -> list[str]:
    """The themes an alert is named by (a webhook's title, its themes line): the explanation's,
    largest share of the excess first (a buzz's: of its rise in posts, :func:`by_volume`;
    ``(none)``: posts without a theme), as its summary and ``brandhalo alerts`` read; the
    themes whose series spiked when it has none."""
    expl = alert.explanation
    if expl and expl.driving_themes:
        return [t.theme for t in expl.driving_themes[:3]]
    return list(alert.themes)


def _summary(alert: Any, show: _Show) -> str:
    """The headline of a card, a webhook and ``brandhalo alerts``: the kind, what the alerted
    days counted and, when they are not the whole episode, what the whole episode counted
    (each number says what it covers), the top theme and the peak z."""
    parts = [show.lb.get(f"kind_{alert.kind}", alert.kind), alerted_phrase(alert, show)]
    if alert.explanation is not None and not _same_cover(alert):
        parts.append(episode_phrase(alert.explanation, show))
    top = top_theme_phrase(alert, show)
    if top:
        parts.append(top)
    parts.append(f"{Z_PART}{alert.peak_z:.1f}")
    return " · ".join(parts)


#: How a summary (:func:`_summary`) ends: the episode's peak robust z.
Z_PART = "z = "


def without_z(summary: str, counted: bool) -> str:
    """A summary (:func:`_summary`) for a phone screen: without its closing peak z when the
    alerted days were `counted` (the summary then says "187 negative posts vs 9.0 expected,
    negative share 69% (usual 17%)", what "z = 182.0" says to a statistician only); kept
    when nothing else says how unusual the episode is."""
    head, sep, _ = summary.rpartition(f" · {Z_PART}")
    return head if sep and counted else summary


def _neg_vs_expected(show: _Show, count: float, expected: float) -> str:
    return show.lb["alert_neg_vs_expected"].format(
        count=f"{int(count):,}", expected=shown_expected(float(expected))
    )


def _alerted_counts(alert: Any, show: _Show) -> str:
    """What the brand-level alerted days counted: the negatives against the count baseline
    ("12 negative posts vs 1.0 expected"); for a buzz, its volume against the usual and its
    negatives against what that volume explains (posts x usual share, the kind's test): "159
    posts, usually about 16 a day; 12 negative posts vs 6.8 expected for that volume"."""
    posts, base = getattr(alert, "posts", None), alert.base_share
    if alert.kind != "buzz" or posts is None or base is None:
        return _neg_vs_expected(show, alert.count, alert.expected)
    usual = getattr(alert.explanation, "usual_posts", None)
    shown = f"{int(posts):,}"
    volume = (show.lb["alert_buzz_posts"].format(posts=shown) if usual is None
              else show.lb["alert_buzz_volume"].format(posts=shown, usual=usual_count(usual)))  # fmt: skip
    return volume + show.lb["alert_buzz_negatives"].format(
        count=f"{int(alert.count):,}", expected=shown_expected(float(posts) * float(base))
    )


def _span(show: _Show, first: dt.date, last: dt.date, *, count: bool = True) -> str:
    """Local days read as a span, the last included, with the number of days when `count`
    (one day: the day)."""
    if first == last:
        return first.isoformat()
    span = show.lb["alert_span"].format(first=first, last=last)
    return (
        show.lb["alert_span_days"].format(span=span, n=(last - first).days + 1) if count else span
    )


def episode_span(alert: Any, lang: str, zone: str) -> str:
    """An episode's span in `lang` as ``brandhalo alerts`` prints it: whole local days read
    as days, the last included; other spans as times with the zone's offset."""
    from brandhalo.views import local_span

    lo, hi = alert.start_at, alert.end_at
    if lo.time() != dt.time() or hi.time() != dt.time() or hi <= lo:
        return local_span(lo, hi, zone)
    show = _Show(labels(lang), lang, None, zone)
    return _span(show, lo.date(), hi.date() - dt.timedelta(days=1))


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Days as runs of consecutive days: (first, last) of each, in order."""
    runs: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return [(run[0], run[-1]) for run in runs]


def alerted_days(show: _Show, days: list[dt.date]) -> str:
    """The alerted days of an episode as a reader takes them in: one run as a span
    (``2026-08-14 to 2026-08-16, 3 days``); several compactly, each day or run written with
    only what changed since the one before (``2026-08-10, 12, 14–15, 17, 19–20 (7 days)``;
    a new month ``09-01``, a new year the whole date), not "2026-08-14 to 2026-08-15, 2 days,
    2026-08-17, …"."""
    runs = _runs(days)
    if len(runs) <= 1:
        return _span(show, runs[0][0], runs[0][1]) if runs else ""
    out, prev = [], None
    for first, last in runs:
        text = _since(first, prev)
        if last != first:
            text += "–" + _since(last, first)
        out.append(text)
        prev = last
    n = sum((last - first).days + 1 for first, last in runs)
    sep = "、" if show.lang == "zh" else ", "
    return show.lb["alert_days_compact"].format(days=sep.join(out), n=n)


def _since(day: dt.date, prev: dt.date | None) -> str:
    """`day` with only what changed since `prev`: ``17`` (same month), ``09-01`` (same
    year), else ``2026-08-10``.

    >>> d = dt.date(2026, 9, 1)
    >>> _since(d, None), _since(d, dt.date(2026, 8, 30)), _since(d, dt.date(2026, 9, 1))
    ('2026-09-01', '09-01', '1')
    """
    if prev is None or prev.year != day.year:
        return day.isoformat()
    return str(day.day) if prev.month == day.month else f"{day:%m-%d}"


def _same_cover(alert: Any) -> bool:
    """Whether the alerted days are every day of the explained episode (both counts agree)."""
    expl, days = alert.explanation, alert.alerted_days
    return (
        expl is not None
        and alert.count is not None
        and len(days) == (expl.end - expl.start).days + 1
        and int(alert.count) == expl.observed
    )


def alerted_phrase(alert: Any, show: _Show) -> str:
    """What the brand-level alerted days counted (the episode's `count` and `expected`, its
    negative share against the usual one): "On the 3 alerted days: 1,094 negative posts vs
    116 expected, negative share 48% (usual 25%)"; when no whole day of the brand alerted
    (`count` None), which series did (:func:`episode_phrase` then gives the numbers)."""
    lb = show.lb
    if alert.count is None or alert.expected is None:
        source = (
            lb["alert_source_themes"].format(
                names=", ".join(show.name("theme", t) for t in alert.themes)
            )
            if alert.themes
            else lb["alert_source_hours"]
        )
        return lb["alert_no_day"].format(brand=alert.brand, source=source) + (
            short_baseline_phrase(alert, show)
        )
    days = alert.alerted_days
    where = (
        lb["alert_days_n"].format(n=len(days))
        if len(days) > 1
        else lb["alert_day_1"]
        if days
        else lb["alert_days_any"]
    )
    if days and _same_cover(alert):
        span = _span(show, days[0], days[-1], count=False)
        if alert.peak_grain == "hour":
            hour = _peak_hour(alert.peak_period, with_day=len(days) > 1)
            span = lb["alert_peak_hour"].format(span=span, hour=hour)
        where += lb["alert_whole_episode"].format(span=span)
    text = f"{where}{lb['alert_colon']}{_alerted_counts(alert, show)}"
    share, base = alert.negative_share, alert.base_share
    if share is not None and base is not None:
        text += lb["alert_share"].format(share=f"{share:.0%}", base=f"{base:.0%}")
    return text + short_baseline_phrase(alert, show)


def short_baseline_phrase(alert: Any, show: _Show) -> str:
    """The "; baseline: 15 days of history (short of 28)" note when the episode was scored on
    a young workspace's shorter baseline (``Alert.baseline_days``); "" for a whole one."""
    held = getattr(alert, "baseline_days", None)
    if held is None:
        return ""
    need = show.config.params.spike_baseline_days if show.config is not None else None
    if need is None:
        from brandhalo.analytics.spikes import BASELINE_DAYS

        need = BASELINE_DAYS
    return show.lb["alert_short_baseline"].format(n=held, need=need)


def _peak_hour(peak: dt.datetime, *, with_day: bool) -> str:
    """The local hour an episode peaked in ("14:00–15:00"; "2024-05-13 14:00–15:00" when the
    episode covers more than one day)."""
    hour = f"{peak:%H:%M}–{peak + dt.timedelta(hours=1):%H:%M}"
    return f"{peak:%Y-%m-%d} {hour}" if with_day else hour


def episode_phrase(expl: Any, show: _Show) -> str:
    """What the whole explained episode counted (metric 15's observed and expected over its
    local days): "Over the episode (2025-06-16 to 2025-06-21, 6 days): 1,409 negative posts
    vs 430 expected"."""
    where = show.lb["alert_over_episode"].format(span=_span(show, expl.start, expl.end))
    return f"{where}{show.lb['alert_colon']}{_neg_vs_expected(show, expl.observed, expl.expected)}"


#: The label keys of a top theme phrase, (label, share) for one theme and for tied ones: of
#: the excess of negative posts, or (True) of a buzz's rise in posts (:func:`by_volume`).
_TOP_WORDS = {
    False: (("top_theme", "alert_top_share"), ("top_themes", "alert_top_share_each")),
    True: (("alert_volume_top", "alert_volume_top_share"),
           ("alert_volume_top", "alert_volume_top_share_each")),
}  # fmt: skip


def by_volume(expl: Any) -> bool:
    """Whether `expl`'s themes are its posts of every label against the baseline's volume (a
    buzz, explain 1.11: what made its volume jump), not its negative posts."""
    return getattr(expl, "excess_of", "negatives") == "posts"


def top_theme_phrase(alert: Any, show: _Show) -> str | None:
    """The theme with the largest share of the episode's excess of negative posts (the themes
    that spiked when there is no explanation); for a buzz, the theme with the largest share of
    its rise in posts (:func:`by_volume`: "声量主要来自：创始人与直播（占增量的 53%）", what
    the surge was, not the themes of its few negatives); a campaign's, after its note."""
    lb, expl = show.lb, alert.explanation
    note = lb.get(f"alert_note_{alert.kind}")
    if expl and expl.driving_themes:
        tied = top_themes(expl.driving_themes)
        share = f"{tied[0].share:.0%}"
        one, each = _TOP_WORDS[by_volume(expl)]
        if len(tied) == 1:
            name = show.name("theme", tied[0].theme)
            text = f"{lb[one[0]]}{lb['alert_colon']}" + lb[one[1]].format(name=name, share=share)
        else:
            names = lb["alert_top_sep"].join(show.name("theme", t.theme) for t in tied)
            text = f"{lb[each[0]]}{lb['alert_colon']}" + lb[each[1]].format(
                names=names, share=share
            )
    elif alert.themes:
        names = ", ".join(show.name("theme", t) for t in alert.themes)
        text = f"{lb['themes']}{lb['alert_colon']}{names}"
    else:
        return note
    return f"{note} · {text}" if note else text


def cli_lines(alert: Any, lang: str, config: Any, zone: str) -> list[str]:
    """The lines ``brandhalo alerts`` prints under an episode's title, in `lang`: the same
    numbers and wording as the report's card and the webhook summary, and the entities (the
    product) its posts name most."""
    show = _Show(labels(lang), lang, config, zone)
    lines = [alerted_phrase(alert, show)]
    expl = alert.explanation
    if expl is not None and not _same_cover(alert):
        lines.append(episode_phrase(expl, show))
    top = top_theme_phrase(alert, show)
    terms = ", ".join(t.term for t in expl.terms[:5]) if expl else ""
    if terms:
        top = " · ".join(
            x for x in (top, f"{show.lb['terms']}{show.lb['alert_colon']}{terms}") if x
        )
    if top:
        lines.append(top)
    # what the episode is about (the product most of its posts name), as the card lists it
    entities = [e for e in (expl.entities if expl else []) if e.name != alert.brand][:_CLI_ENTITIES]
    if entities:
        named = ", ".join(entity_item(e, show.lb) for e in entities)
        lines.append(f"{show.lb['entities']}{show.lb['alert_colon']}{named}")
    return lines


#: Entities (products, personas, competitors; the alert's own brand left out) an alert's CLI
#: lines name, most posts first.
_CLI_ENTITIES = 3


#: (explanation attribute, label key, separator, how one item reads), in the order a reader
#: needs them; the first `_TOP` items of each non-empty list become one line (the themes: those
#: above their baseline, never one that fell).
_LISTS: tuple[tuple[str, str, str, Callable[[Any, _Show], str]], ...] = (
    ("driving_themes", "themes", "; ",
     lambda t, s: s.lb["alert_volume_theme_item" if s.volume else "alert_theme_item"].format(
         name=s.name("theme", t.theme), share=f"{t.share:.0%}", counts=_theme_counts(t, s))),
    ("clusters", "clusters", "; ", lambda c, s: f"{c.label} ({c.size:,})"),
    ("entities", "entities", ", ", lambda c, s: entity_item(c, s.lb)),
    ("touchpoints", "touchpoints", ", ",
     lambda c, s: f"{s.name('touchpoint', c.name)} ({c.posts:,})"),
    ("segments", "segments", ", ", lambda c, s: f"{s.name('segment', c.name)} ({c.posts:,})"),
    ("authors", "drivers", ", ",
     lambda a, s: f"{a.author_name or a.author_id} ({a.posts:,} · {a.engagement:,})"
                  + _marked(post_marks(s.lb, a.doubt, a.author_id in s.standouts))),
)  # fmt: skip


def entity_item(count: Any, lb: dict[str, str]) -> str:
    """An entity with its posts: "SU7 (12)", or "SU7 (12, 8 inherited from their threads)"
    when some took it from their thread (one pair of brackets, not "12 (8 ...)" inside
    another)."""
    if not count.inherited:
        return f"{count.name} ({count.posts:,})"
    return lb["alert_entity_inherited"].format(
        name=count.name, posts=f"{count.posts:,}", inherited=f"{count.inherited:,}"
    )


def _marked(marks: str) -> str:
    """Marks after an item, bracketed (" [most engaged · mixed evidence]"); "" for none."""
    return f" [{marks}]" if marks else ""


def _theme_counts(theme: Any, show: _Show) -> str:
    """A theme's observed and expected negative posts, labelled ("4 negative posts vs 1.5
    expected"); a theme with no baseline (an expected count that would read 0.0) reads as new
    ("4 negative posts, new"), never "4 / 0.0"; a buzz's (`show.volume`) are its posts ("141
    posts vs 2.0 expected")."""
    pre = "alert_volume_theme" if show.volume else "alert_theme"
    if theme.expected < 0.05:
        return show.lb[f"{pre}_new"].format(observed=f"{theme.observed:,}")
    return show.lb[f"{pre}_counts"].format(
        observed=f"{theme.observed:,}", expected=shown_expected(theme.expected)
    )


def _lines(alert: Any, show: _Show) -> list[tuple[str, str]]:
    """(label, text) lines of an episode's explanation, in the order a reader needs them:
    first what its alerted days counted, then what the whole episode counted (the themes'
    shares are of the whole episode's excess); one line when the alerted days are the whole
    episode (both counts agree)."""
    expl, lb = alert.explanation, show.lb
    lines = []
    if alert.count is not None and alert.expected is not None:
        days = alerted_days(show, alert.alerted_days) or lb["alert_days_any"]
        counted = _alerted_counts(alert, show)
        label = "alert_days_episode_label" if _same_cover(alert) else "alert_days_label"
        lines.append((lb[label], f"{days}{lb['alert_colon']}{counted}"))
    if not _same_cover(alert):  # else the line above already is the whole episode
        counted = _neg_vs_expected(show, expl.observed, expl.expected)
        span = _span(show, expl.start, expl.end)
        lines.append((lb["alert_episode_label"], f"{span}{lb['alert_colon']}{counted}"))
    # the authors of the standout examples (explain 1.7) are marked on the authors line; a
    # buzz's themes read as its posts (explain 1.11)
    show = replace(show, standouts=_standout_authors(expl), volume=by_volume(expl))
    for attr, key, sep, item in _LISTS:
        items = getattr(expl, attr)
        if items:
            lines.append((lb[key], sep.join(item(x, show) for x in items[:_TOP])))
    if expl.first_posts:
        first = expl.first_posts[0]
        when = show.time(first.created_at, utc=True) or ""
        text = clip(first.text, FIRST_POST_CHARS)
        lines.append((lb["first_post"], f"{when} {text}".strip()))
    return lines


def _standout_authors(expl: Any) -> frozenset[str]:
    """The ids of the driving authors listed for a standout example of `expl`: an author of
    the same name as one (an example carries its author's name only)."""
    names = {p.author for p in expl.examples if getattr(p, "standout", False) and p.author}
    return frozenset(a.author_id for a in expl.authors if a.author_name in names)


def _example(post: Any, show: _Show) -> ExampleView:
    return ExampleView(
        post_id=post.post_id,
        text=post.text,
        url=post.url,
        author=post.author,
        created_at=show.iso(post.created_at, utc=True),
        engagement=float(post.engagement),
        origin=getattr(post, "origin", "organic"),
        assigned=assigned(post, show.lang) if getattr(post, "via_thread", None) else None,
        doubt=getattr(post, "doubt", None),
        standout=bool(getattr(post, "standout", False)),
    )
