"""The per-platform and per-language tables: each brand's net sentiment on each platform and in
each language over the report's window ("is Weibo worse than Xiaohongshu for us?", "is
perception the same in the Chinese and the English market?").

One row per brand x platform (the posts' ``source``: weibo, xhs, ...): posts and NS of the
report's origin (organic by default, as the benchmark above it), an NS of fewer than ``[params]
min_posts`` posts flagged thin. The numbers are metric 1's (:func:`brandhalo.analytics.opinion.
net_sentiment` over the whole window, grouped by source, all brands in one call; the registry's
``net_sentiment`` takes no grouping by source, so this calls the function behind it, as the
benchmark does); this module picks rows and formats labels. The per-language table is the same
by the posts' ``lang`` (zh, en, mixed, other, as enrich detects it), shown beside it when the
window holds posts of two languages or more (``brandhalo metrics net_sentiment --lang en``
gives one language's series).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from brandhalo.report.model import Table
from brandhalo.report.sections import Ctx
from brandhalo.report.sections_benchmark import bench_window, opinion_columns, report_origin

#: The ``source`` (and ``lang``) value of a post without one (``post_facts``).
NO_SOURCE = "(none)"


def platform_part(ctx: Ctx) -> tuple[list[Table], list[str]]:
    """The per-platform table, the per-language one beside it and their notes (each left out
    without posts in the window, or when every post counted is of one platform, or of one
    language: nothing to compare)."""
    window = bench_window(ctx)
    if window is None:
        return [], []
    tables, notes = [], []
    for col in ("source", "lang"):
        got = _part(ctx, col, *window)
        if got is not None:
            tables.append(got[0])
            notes.append(got[1])
    return tables, notes


#: Per grouping column: the table's key and its label keys (title, column, note), and how a
#: value reads (:func:`platform_name`, :func:`language_name`).
_PARTS = {
    "source": ("platforms", "pf_table", "pf_platform", "pf_note"),
    "lang": ("languages", "lg_table", "lg_language", "lg_note"),
}


def _part(ctx: Ctx, col: str, since: dt.date, until: dt.date) -> tuple[Table, str] | None:
    """The table of brand x `col` (source or lang) and its note; None with fewer than two
    values among the brands' posts."""
    origin = report_origin(ctx)
    order = {b.name: i for i, b in enumerate(ctx.ws.config.brands)}
    rows = [r for r in _by(ctx, col, since, until, origin) if str(r["brand"]) in order]
    if len({str(r[col]) for r in rows}) < 2:
        return None
    lb = ctx.lb
    key, title, column, note = _PARTS[col]
    name = platform_name if col == "source" else language_name
    # brands in config order, each brand's platforms (languages) by posts (most first)
    rows = sorted(rows, key=lambda r: (order[str(r["brand"])], -int(r["posts"]), str(r[col])))
    ns_col, posts_col = opinion_columns(lb, origin)
    table = Table(
        key=key,
        title=lb[title],
        columns=[lb["brand"], lb[column], posts_col, ns_col],
        rows=[[str(r["brand"]), name(str(r[col]), lb), int(r["posts"]), _ns_cell(r, lb)]
              for r in rows],
    )  # fmt: skip
    least = ctx.ws.config.params.min_posts
    reads = lb[f"bm_reads_{origin}"]
    return table, lb[note].format(since=since, until=until, min=least, reads=reads)


def platform_name(source: str, lb: dict[str, str]) -> str:
    """A platform's display name in the report language (``xhs`` -> 小红书 / Xiaohongshu,
    ``amazon`` -> 亚马逊 / Amazon); another value as a name: a lower-case code capitalised,
    its underscores as spaces (``my_forum`` -> My forum), any other as written (论坛, eBay).

    >>> lb = {"pf_amazon": "Amazon", "pf_none": "no platform given"}
    >>> [platform_name(s, lb) for s in ("amazon", " Amazon", "my_forum", "eBay", "论坛")]
    ['Amazon', 'Amazon', 'My forum', 'eBay', '论坛']
    """
    if source == NO_SOURCE:
        return lb["pf_none"]
    code = source.strip().lower()
    known = lb.get(f"pf_{code}") or lb.get(f"pf_{code.replace(' ', '_').replace('-', '_')}")
    if known:
        return known
    text = source.strip()
    if text.isascii() and text == text.lower():  # a code as stored: a name to read
        text = text.replace("_", " ")
        return text[:1].upper() + text[1:]
    return text


#: The languages enrich detects (brandhalo.text.lang); another stored value reads as written.
LANGS = ("zh", "en", "mixed", "other")


def language_name(lang: str, lb: dict[str, str]) -> str:
    """A language's display name in the report language (``en`` -> 英文 / English)."""
    if lang == NO_SOURCE:
        return lb["lg_none"]
    code = lang.strip().lower()
    return lb[f"lg_{code}"] if code in LANGS else lang


def _by(ctx: Ctx, col: str, since: dt.date, until: dt.date, origin: str) -> list[dict[str, Any]]:
    """Metric 1 over the window per brand x `col` (source or lang; posts of `origin`),
    computed once."""
    from brandhalo.analytics import opinion
    from brandhalo.views import jsonable

    key = (_PARTS[col][0], since, until, origin)
    if key not in ctx.results:
        df = opinion.net_sentiment(ctx.ws, None, since, until, None, by=(col,),
                                   origin=origin)  # fmt: skip
        ctx.results[key] = jsonable(df.to_dict("records"))
    ctx.note("net_sentiment")
    # the rows of all themes and touchpoints keep each post's source and language; '*' is
    # those of the per-theme and per-touchpoint rows, never read here (kept out all the same)
    return [r for r in ctx.results[key] if int(r.get("posts") or 0) > 0 and r[col] != "*"]


def _ns_cell(row: dict[str, Any], lb: dict[str, str]) -> float | str | None:
    """The NS, with the thin flag written beside it when the cell has too few posts."""
    ns = row.get("ns")
    if ns is None or ns != ns:
        return None
    value = round(float(ns), 1)
    return lb["bm_thin"].format(ns=f"{value:.1f}") if row.get("thin") else value
