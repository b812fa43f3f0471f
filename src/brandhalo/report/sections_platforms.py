"""The per-platform table: each brand's net sentiment on each platform over the report's window
("is Weibo worse than Xiaohongshu for us?").

One row per brand x platform (the posts' ``source``: weibo, xhs, ...): posts and NS of the
report's origin (organic by default, as the benchmark above it), an NS of fewer than ``[params]
min_posts`` posts flagged thin. The numbers are metric 1's (:func:`brandhalo.analytics.opinion.
net_sentiment` over the whole window, grouped by source, all brands in one call; the registry's
``net_sentiment`` takes no grouping by source, so this calls the function behind it, as the
benchmark does); this module picks rows and formats labels.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from brandhalo.report.model import Table
from brandhalo.report.sections import Ctx
from brandhalo.report.sections_benchmark import bench_window, opinion_columns, report_origin

#: The ``source`` value of a post without one (``post_facts``).
NO_SOURCE = "(none)"


def platform_part(ctx: Ctx) -> tuple[list[Table], list[str]]:
    """The per-platform table and its note (none without posts in the window, or when every
    post counted is of one platform: nothing to compare)."""
    window = bench_window(ctx)
    if window is None:
        return [], []
    since, until = window
    origin = report_origin(ctx)
    order = {b.name: i for i, b in enumerate(ctx.ws.config.brands)}
    rows = [r for r in _by_source(ctx, since, until, origin) if str(r["brand"]) in order]
    if len({str(r["source"]) for r in rows}) < 2:
        return [], []
    lb = ctx.lb
    # brands in config order, each brand's platforms by posts (most first)
    rows = sorted(rows, key=lambda r: (order[str(r["brand"])], -int(r["posts"]), str(r["source"])))
    ns_col, posts_col = opinion_columns(lb, origin)
    table = Table(
        key="platforms",
        title=lb["pf_table"],
        columns=[lb["brand"], lb["pf_platform"], posts_col, ns_col],
        rows=[[str(r["brand"]), platform_name(str(r["source"]), lb), int(r["posts"]),
               _ns_cell(r, lb)] for r in rows],
    )  # fmt: skip
    least = ctx.ws.config.params.min_posts
    reads = lb[f"bm_reads_{origin}"]
    note = lb["pf_note"].format(since=since, until=until, min=least, reads=reads)
    return [table], [note]


def platform_name(source: str, lb: dict[str, str]) -> str:
    """A platform's display name in the report language (``xhs`` -> 小红书 / Xiaohongshu);
    a value the presets do not know as written."""
    if source == NO_SOURCE:
        return lb["pf_none"]
    return lb.get(f"pf_{source.strip().lower()}", source)


def _by_source(ctx: Ctx, since: dt.date, until: dt.date, origin: str) -> list[dict[str, Any]]:
    """Metric 1 over the window per brand x source (posts of `origin`), computed once."""
    from brandhalo.analytics import opinion
    from brandhalo.views import jsonable

    key = ("platforms", since, until, origin)
    if key not in ctx.results:
        df = opinion.net_sentiment(ctx.ws, None, since, until, None, by=("source",),
                                   origin=origin)  # fmt: skip
        ctx.results[key] = jsonable(df.to_dict("records"))
    ctx.note("net_sentiment")
    # the rows of all themes and touchpoints keep each post's source; '*' is the source of
    # the per-theme and per-touchpoint rows, never read here (kept out all the same)
    return [r for r in ctx.results[key] if int(r.get("posts") or 0) > 0 and r["source"] != "*"]


def _ns_cell(row: dict[str, Any], lb: dict[str, str]) -> float | str | None:
    """The NS, with the thin flag written beside it when the cell has too few posts."""
    ns = row.get("ns")
    if ns is None or ns != ns:
        return None
    value = round(float(ns), 1)
    return lb["bm_thin"].format(ns=f"{value:.1f}") if row.get("thin") else value
