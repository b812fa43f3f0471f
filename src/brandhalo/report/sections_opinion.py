"""The opinion section's controversy part: which controversy drives the brand's negative
posts now (DESIGN metric 12 by theme, ``controversy_themes``).

A sentence ("Top controversy now: Recall & safety, 53 % of negative posts") and a table of
the brand's controversy themes: negative posts each matched, their share of the brand's
negative posts and its change vs the window just before. Numbers come from the registry
metric (organic posts by default, as every opinion metric); this module picks and formats.
"""

from __future__ import annotations

from typing import Any

from brandhalo.report.model import Table
from brandhalo.report.sections import Ctx


def controversy_part(ctx: Ctx) -> tuple[list[Table], list[str]]:
    """The controversy table and sentence of the opinion section (none without a
    controversy theme or a negative post in the window). When no negative post of the window
    matched a controversy theme the table is left out (a row of zeros per theme said
    nothing): the sentence says so, with the themes' shares of the window before."""
    result = ctx.metric("controversy_themes")
    rows = [r for r in result.get("rows") or [] if r.get("brand") == ctx.brand]
    if not rows:
        return [], []
    lb, first = ctx.lb, rows[0]
    days = _days(first)
    if not any(r.get("posts") for r in rows):
        return [], [_sentence(ctx, first, days) + _before(ctx, rows, days)]
    table = Table(
        key="controversy_themes",
        title=lb["controversy_table"].format(days=days),
        columns=[lb["theme"], lb["controversy_posts"], lb["controversy_share"],
                 lb["controversy_change"]],
        rows=[[_theme(ctx, r["theme"]), int(r["posts"]), _pct(r.get("share")),
               _pct(r.get("change_prev"))] for r in rows],
    )  # fmt: skip
    return [table], [_sentence(ctx, first, days)]


def _sentence(ctx: Ctx, top: dict[str, Any], days: int) -> str:
    """The "Top controversy now: X, N % of negative posts" sentence, or that none matched."""
    lb = ctx.lb
    if not top.get("posts"):
        return lb["controversy_none"].format(days=days, negative=int(top["negative"]))
    change = _pct(top.get("change_prev"))
    if change is None:
        trend = lb["controversy_new"].format(days=days)
    else:
        trend = lb["controversy_trend"].format(change=change, days=days)
    return lb["controversy_top"].format(
        theme=_theme(ctx, top["theme"]), share=_pct(top.get("share")), posts=int(top["posts"]),
        negative=int(top["negative"]), trend=trend,
    )  # fmt: skip


#: How many of the themes of the window before a "none now" sentence names.
BEFORE_THEMES = 3


def _before(ctx: Ctx, rows: list[dict[str, Any]], days: int) -> str:
    """" In the N days before: Quality 20 % of negative posts." for a window with no
    controversy post (each theme's share then: its share now, 0, less its change); '' when
    none had one either."""
    lb = ctx.lb
    was = sorted(((-float(r["change_prev"]), _theme(ctx, r["theme"])) for r in rows
                  if r.get("change_prev") is not None and float(r["change_prev"]) < 0),
                 key=lambda x: (-x[0], x[1]))  # fmt: skip
    if not was:
        return ""
    sep = "、" if ctx.lang == "zh" else ", "
    shown = sep.join(lb["controversy_before_item"].format(theme=t, share=_share(v))
                     for v, t in was[:BEFORE_THEMES])  # fmt: skip
    return lb["controversy_before"].format(days=days, themes=shown)


def _share(share: float) -> str:
    """A share as a percentage with at most one decimal ("20", "3.7")."""
    return f"{round(share * 100.0, 1):g}"


def _theme(ctx: Ctx, theme: Any) -> str:
    return str(ctx.ws.config.label("theme", str(theme), ctx.lang))


def _pct(share: Any) -> float | None:
    return None if share is None else round(float(share) * 100.0, 1)


def _days(row: dict[str, Any]) -> int:
    import datetime as dt

    since, until = (dt.date.fromisoformat(str(row[k])[:10]) for k in ("since", "until"))
    return (until - since).days + 1
