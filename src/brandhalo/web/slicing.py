"""A platform and language slice on every dashboard page that shows numbers of posts.

The overview's platform and language selects (``source``, ``post_lang``) pick the posts of
one platform or language (:class:`~brandhalo.web.data.Channel`). The overview then shows what
the opinion metrics say of those posts (:func:`brandhalo.web.data.sliced_overview`): with this
module, also the themes of the brand in them (:func:`themes_table`), the alerts that hold some
of them (:func:`slice_alerts`), and the sales and market sections, which no post makes, as
they are for every platform, marked so (:func:`brandhalo.web.data.market_sections`). The
alerts page and ``/api/alerts`` take the same slice (:func:`slice_alerts`).

Alert episodes are found on the posts of every platform and language (one detector over the
brand's daily negatives): their severity, z and expected counts are not split. What is split
is the count: how many of an episode's negative posts (and posts) on its days are of the
slice. An episode none of whose negative posts (of a buzz: posts) is of the slice is not the
slice's story and is left out, and the page says how many were.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from brandhalo.workspace import Workspace

if TYPE_CHECKING:
    from brandhalo.report.model import AlertView, Table
    from brandhalo.web.data import Channel

#: The words of a slice that the report's labels do not hold: (zh, en).
_TEXT = {
    "themes_title": ("{brand}在这些帖子中的主题", "Themes of {brand} in these posts"),
    "theme": ("主题", "Theme"),
    "mentions": ("提及帖子", "Posts"),
    "negative_pct": ("负面占比 %", "Negative %"),
    "ns_slice": ("净情感（所选）", "NS (this slice)"),
    "ns_every": ("净情感（全部平台与语言）", "NS (every platform and language)"),
    "themes_note": (
        "每条帖子按其提及的每个主题各计一次，按其在该主题上的子句情感计（与 `brandhalo metrics "
        "net_sentiment --theme --source/--lang` 相同）；按负面帖子数排序，最多 {n} 个主题。",
        "A post counts once for each theme it mentions, by the label of its clauses on it (as "
        "`brandhalo metrics net_sentiment --theme --source/--lang`); most negative posts first, "
        "{n} themes at most.",
    ),
    "themes_none": (
        "所选平台与语言的帖子中没有提及{brand}的主题。",
        "No post of this platform and language mentions a theme of {brand}.",
    ),
    "market_note": (
        "全部平台与语言：销售与市场数据不来自帖子，不按平台或语言拆分。",
        "Every platform and language: sales and market numbers come from no post and are not "
        "split by platform or language.",
    ),
    "overview_note": (
        "发现和评分卡不按平台或语言拆分，此处不显示；选“全部平台”和“全部语言”即可看到。"
        "预警在全部平台和语言的帖子上检测，此处列出其期间含所选帖子的预警及其条数；"
        "销售与市场部分为全部平台的数据。",
        "Findings and the scorecard are not split by platform or language and are left out "
        "here: choose all platforms and all languages to see them. The alerts listed are "
        "found on every platform's posts and hold posts of this slice (with how many); the "
        "sales and market sections are of every platform.",
    ),
    "alerts_note": (
        "预警在全部平台和语言的帖子上检测（严重度与预期数为全部帖子的），不按平台或语言拆分；"
        "此处列出其期间含{slice}帖子的预警，并注明其中多少条来自{slice}。",
        "Alerts are found on the posts of every platform and language (their severity, z and "
        "expected counts are of all of them), not split by platform or language: listed are "
        "those with posts of {slice} on their days, each saying how many.",
    ),
    "alerts_left_out": (
        "另有 {n} 个预警期间没有{slice}的帖子，未列出。",
        "{n} more alerts have no post of {slice} on their days and are left out.",
    ),
    "alerts_left_out_one": (
        "另有 1 个预警期间没有{slice}的帖子，未列出。",
        "1 more alert has no post of {slice} on its days and is left out.",
    ),
    "no_slice_alerts": (
        "本期没有含{slice}帖子的预警（预警在全部平台和语言的帖子上检测，不按平台或语言拆分）。",
        "No alert episode of this period holds posts of {slice} (alerts are found on every "
        "platform's posts, not split by platform or language).",
    ),
    "count_short": (
        "{slice}：负面帖 {all:,} 条中 {neg:,} 条（{pct}）",
        "{slice}: {neg:,} of {all:,} negative posts ({pct})",
    ),
    "count_short_buzz": (
        "{slice}：帖子 {all:,} 条中 {posts:,} 条（{pct}）",
        "{slice}: {posts:,} of {all:,} posts ({pct})",
    ),
    "count_label": ("{slice}", "Of {slice}"),
    "count_line": (
        "{days}：{brand}的负面帖 {all:,} 条中 {neg:,} 条来自{slice}（{pct}）；{slice}共 {posts:,} 条"
        "帖子（全部平台与语言 {posts_all:,} 条）。",
        "{days}: {neg:,} of the {all:,} negative posts about {brand} are of {slice} ({pct}); "
        "{posts:,} posts there in all ({posts_all:,} on every platform and language).",
    ),
}

#: How many themes the sliced overview's themes table lists.
THEMES_SHOWN = 10
#: The report's sections that read no post (sales, targets, financials): the sliced overview
#: shows them for every platform, saying so.
MARKET_SECTIONS = ("bands", "pacing", "concentration", "financials")


def words(lang: str) -> dict[str, str]:
    """This module's words in `lang` (zh or en)."""
    at = 0 if lang == "zh" else 1
    return {k: v[at] for k, v in _TEXT.items()}


@dataclass(frozen=True)
class SliceCount:
    """What the posts of a slice make of one alert episode, over the episode's local days
    (`first` .. `last`): its brand's negative posts and posts of the slice, and of every
    platform and language (every origin and type, as the detector counts them)."""

    first: dt.date
    last: dt.date
    negative: int
    negative_all: int
    posts: int
    posts_all: int

    def holds(self, kind: str) -> bool:
        """Whether the episode is (partly) the slice's: some of its negatives (of a buzz,
        some of its posts) are of the slice."""
        return (self.posts if kind == "buzz" else self.negative) > 0


def episode_days(view: AlertView) -> tuple[dt.date, dt.date]:
    """The local days an episode spans (its end is exclusive: an episode of whole days ends
    at the next midnight)."""
    lo = dt.datetime.fromisoformat(view.start_at)
    hi = dt.datetime.fromisoformat(view.end_at) if view.end_at else lo
    last = (hi - dt.timedelta(microseconds=1)).date() if hi > lo else lo.date()
    return lo.date(), last


def slice_counts(ws: Workspace, views: list[AlertView], channel: Channel) -> dict[str, SliceCount]:
    """Per episode id: the :class:`SliceCount` of `channel` over its days; two reads of the
    daily aggregates (with and without the slice) for every episode together."""
    from brandhalo.analytics.opinion import channel_of, channel_scope, slices

    if not views:
        return {}
    spans = {v.episode_id: episode_days(v) for v in views}
    lo = min(a for a, _ in spans.values())
    hi = max(b for _, b in spans.values())
    cut = {k: v for k, v in (("source", channel.source), ("lang", channel.lang)) if v}
    every = slices(ws, since=lo, until=hi, freq="day", origin="all")
    with channel_scope(*channel_of(cut)):
        sliced = slices(ws, since=lo, until=hi, freq="day", origin="all")
    mine, whole = _by_brand_day(sliced), _by_brand_day(every)
    out = {}
    for v in views:
        first, last = spans[v.episode_id]
        neg, posts = _summed(mine, v.brand, first, last)
        neg_all, posts_all = _summed(whole, v.brand, first, last)
        out[v.episode_id] = SliceCount(first, last, neg, neg_all, posts, posts_all)
    return out


def _by_brand_day(df: Any) -> dict[tuple[str, dt.date], tuple[int, int]]:
    """A daily slices frame as (brand, day) -> (negative posts, posts)."""
    out: dict[tuple[str, dt.date], tuple[int, int]] = {}
    for brand, period, neg, posts in zip(
        df["brand"], df["period"], df["negative"], df["posts"], strict=True
    ):
        day = period.date() if isinstance(period, dt.datetime) else period
        old = out.get((str(brand), day), (0, 0))
        out[(str(brand), day)] = (old[0] + int(neg), old[1] + int(posts))
    return out


def _summed(
    cells: dict[tuple[str, dt.date], tuple[int, int]], brand: str, first: dt.date, last: dt.date
) -> tuple[int, int]:
    neg = posts = 0
    day = first
    while day <= last:
        n, p = cells.get((brand, day), (0, 0))
        neg, posts, day = neg + n, posts + p, day + dt.timedelta(days=1)
    return neg, posts


@dataclass(frozen=True)
class SlicedAlerts:
    """The alerts of a slice: the episodes kept (newest first; each view's headline and
    first line say what the slice counts of it), each one's count, and how many episodes of
    the filters hold no post of the slice (left out)."""

    views: list[AlertView]
    counts: dict[str, SliceCount]
    left_out: int


def slice_alerts(
    ws: Workspace, views: list[AlertView], channel: Channel, lang: str
) -> SlicedAlerts:
    """`views` (the alerts of some filters) narrowed to those holding posts of `channel`,
    each saying in `lang` how many (every view unchanged, no count, for an empty
    `channel`)."""
    from brandhalo.report.i18n import labels
    from brandhalo.web.data import slice_name

    if not channel:
        return SlicedAlerts(list(views), {}, 0)
    lb = labels(lang)
    named = slice_name(channel, lb)
    counts = slice_counts(ws, views, channel)
    kept = [v for v in views if counts[v.episode_id].holds(v.kind)]
    shown = [counted(v, counts[v.episode_id], named, lang, lb) for v in kept]
    return SlicedAlerts(shown, {v.episode_id: counts[v.episode_id] for v in kept},
                        len(views) - len(kept))  # fmt: skip


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def count_summary(view: AlertView, count: SliceCount, slice_text: str, lang: str) -> str:
    """The short count a card's headline ends with (``Twitter: 12 of 80 negative posts
    (15%)``; a buzz: of its posts)."""
    w = words(lang)
    if view.kind == "buzz":
        return w["count_short_buzz"].format(slice=slice_text, posts=count.posts,
                                            all=count.posts_all,
                                            pct=_pct(count.posts, count.posts_all))  # fmt: skip
    return w["count_short"].format(slice=slice_text, neg=count.negative, all=count.negative_all,
                                   pct=_pct(count.negative, count.negative_all))  # fmt: skip


def count_line(
    view: AlertView, count: SliceCount, slice_text: str, lang: str, lb: dict[str, str]
) -> tuple[str, str]:
    """The line an opened card shows: the days counted, the negatives and posts of the slice
    among every platform's."""
    w = words(lang)
    days = (
        count.first.isoformat()
        if count.first == count.last
        else lb["alert_span"].format(first=count.first, last=count.last)
    )
    text = w["count_line"].format(
        days=days, brand=view.brand, neg=count.negative, all=count.negative_all,
        pct=_pct(count.negative, count.negative_all), slice=slice_text, posts=count.posts,
        posts_all=count.posts_all,
    )  # fmt: skip
    return w["count_label"].format(slice=slice_text), text


def counted(
    view: AlertView, count: SliceCount, slice_text: str, lang: str, lb: dict[str, str]
) -> AlertView:
    """`view` saying what the slice counts of its episode: its headline ends with the short
    count, its explanation starts with the line of the days counted."""
    summary = f"{view.summary} · {count_summary(view, count, slice_text, lang)}"
    lines = [count_line(view, count, slice_text, lang, lb), *view.explanation]
    return view.model_copy(update={"summary": summary, "explanation": lines})


def alerts_note(lang: str, slice_text: str, left_out: int) -> str:
    """The alerts page's sentence above a slice's alerts: what is split and what is not,
    and how many episodes hold no post of the slice."""
    w = words(lang)
    note = w["alerts_note"].format(slice=slice_text)
    if left_out:
        key = "alerts_left_out_one" if left_out == 1 else "alerts_left_out"
        gap = "" if lang == "zh" else " "
        note += gap + w[key].format(n=left_out, slice=slice_text)
    return note


def themes_table(
    ws: Workspace,
    brand: str,
    since: dt.date | None,
    until: dt.date | None,
    channel: Channel,
    lang: str,
    lb: dict[str, str],
) -> tuple[Table | None, str]:
    """The themes of `brand` in the posts of `channel` over the window (the origin of the
    enclosing :func:`~brandhalo.analytics.opinion.origin_scope`): posts, negative share, NS
    there and NS over every platform and language, most negative posts first; and the
    table's note (why there is none, when none)."""
    from brandhalo.analytics.opinion import channel_of, channel_scope, net_sentiment
    from brandhalo.report.model import Table

    w = words(lang)
    cut = {k: v for k, v in (("source", channel.source), ("lang", channel.lang)) if v}
    asked: dict[str, Any] = {"theme": None, "touchpoint": None, "by": ("theme",)}
    every = _theme_rows(net_sentiment(ws, brand, since, until, None, **asked))
    with channel_scope(*channel_of(cut)):
        mine = _theme_rows(net_sentiment(ws, brand, since, until, None, **asked))
    if not mine:
        return None, w["themes_none"].format(brand=brand)
    order = sorted(mine, key=lambda t: (-int(mine[t]["negative"]), -int(mine[t]["posts"]), t))
    rows = []
    for theme in order[:THEMES_SHOWN]:
        r = mine[theme]
        rows.append([ws.config.label("theme", theme, lang), int(r["posts"]),
                     rounded(100 * float(r["negative"]) / float(r["posts"])),
                     ns_cell(r, lb), ns_cell(every.get(theme, {}), lb)])  # fmt: skip
    table = Table(
        key="slice_themes",
        title=w["themes_title"].format(brand=brand),
        columns=[w["theme"], w["mentions"], w["negative_pct"], w["ns_slice"], w["ns_every"]],
        rows=rows,
    )
    return table, w["themes_note"].format(n=THEMES_SHOWN)


def _theme_rows(df: Any) -> dict[str, dict[str, Any]]:
    """A whole-window NS frame by theme, the all-themes and no-theme rows left out."""
    from brandhalo.views import jsonable

    rows = jsonable(df.to_dict("records"))
    return {
        str(r["theme"]): r
        for r in rows
        if r.get("theme") not in ("*", "(none)") and int(r.get("posts") or 0) > 0
    }


def ns_cell(row: dict[str, Any], lb: dict[str, str]) -> float | str | None:
    """An NS, flagged thin when too few posts made it (as the benchmark writes it)."""
    value = rounded(row.get("ns"))
    if value is None:
        return None
    return lb["bm_thin"].format(ns=f"{value:.1f}") if row.get("thin") else value


def rounded(value: Any) -> float | None:
    """A number to one decimal; None for a missing one (None or NaN)."""
    if value is None or value != value:
        return None
    return round(float(value), 1)
