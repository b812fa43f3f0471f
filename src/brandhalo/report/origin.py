"""The origin section: organic opinion vs campaign copy, news and official posts (issue 15).

Numbers come from :func:`brandhalo.analytics.campaigns.origin_mix` (posts per brand x day x
origin, from ``agg_daily``) and :func:`brandhalo.analytics.campaigns.campaign_clusters` (the
near-duplicate templates posted by many accounts); this module only lays them out: the own
brand's posts per day stacked by origin, every brand's organic share per week, and the top
campaign clusters of the own brand (template text, accounts, posts, first seen).
"""

from __future__ import annotations

from typing import Any

from brandhalo.config import ORIGINS
from brandhalo.report.model import Chart, Section, Series, Table
from brandhalo.report.sections import Ctx
from brandhalo.views import clip, local_time

#: Campaign clusters listed, and characters of their template shown.
TOP_CLUSTERS = 10
TEMPLATE_CHARS = 80


def origin_label(origin: str, lb: dict[str, str]) -> str:
    """The origin's display name in the report language (the raw value when unknown)."""
    return lb.get(f"origin_{origin}", origin)


def origin_section(ctx: Ctx) -> Section:
    """Posts by origin over time, organic share per brand, top campaign clusters."""
    from brandhalo.analytics.campaigns import campaign_clusters, origin_mix

    lb = ctx.lb
    mix = origin_mix(ctx.ws, ctx.brand, ctx.since, ctx.until).to_dict("records")
    weekly = origin_mix(ctx.ws, None, ctx.since, ctx.until, freq="week").to_dict("records")
    clusters = campaign_clusters(ctx.ws, ctx.brand, ctx.since, ctx.until, limit=TOP_CLUSTERS)
    return Section(
        key="origin",
        title=lb["origin"],
        intro=lb["origin_note"],
        charts=[_mix_chart(ctx, mix), _share_chart(ctx, weekly)],
        tables=[_clusters_table(lb, clusters.to_dict("records"), ctx.ws.timezone)],
    )


def _days(rows: list[dict[str, Any]]) -> list[str]:
    return sorted({str(r["period"])[:10] for r in rows})


def _mix_chart(ctx: Ctx, mix: list[dict[str, Any]]) -> Chart:
    """The own brand's posts per day, one stacked bar series per origin."""
    own = [r for r in mix if r["brand"] == ctx.brand]
    x = _days(own)
    at = {d: i for i, d in enumerate(x)}
    data: dict[str, list[float | None]] = {o: [None] * len(x) for o in ORIGINS}
    for r in own:
        if r["origin"] in data:
            data[r["origin"]][at[str(r["period"])[:10]]] = float(r["posts"])
    return Chart(
        key="origin_mix",
        title=f"{ctx.lb['origin_mix']} · {ctx.brand}",
        kind="bar",
        x=x,
        series=[
            Series(name=origin_label(o, ctx.lb), data=data[o], kind="bar", stack="origin")
            for o in ORIGINS
            if any(v is not None for v in data[o])
        ],
        axis_names=[ctx.lb["posts"]],
    )


def _share_chart(ctx: Ctx, mix: list[dict[str, Any]]) -> Chart:
    """Organic share of each brand's posts per week (%), own brand first."""
    x = _days(mix)
    at = {d: i for i, d in enumerate(x)}
    brands = sorted({r["brand"] for r in mix}, key=lambda b: (b != ctx.brand, b))
    share: dict[str, list[float | None]] = {b: [None] * len(x) for b in brands}
    for r in mix:
        if r["origin"] == "organic" and r["share"] is not None and r["share"] == r["share"]:
            share[r["brand"]][at[str(r["period"])[:10]]] = round(100 * float(r["share"]), 1)
    return Chart(
        key="organic_share",
        title=ctx.lb["organic_share"],
        x=x,
        series=[Series(name=b, data=share[b]) for b in brands],
        axis_names=["%"],
        y_min=0.0,  # a share: 0 to 100 %, not zoomed around a constant 100 %
        y_max=100.0,
    )


def _clusters_table(lb: dict[str, str], rows: list[dict[str, Any]], zone: str) -> Table:
    """The top campaign clusters; first seen in the workspace zone with its offset."""

    return Table(
        key="campaign_clusters",
        title=lb["campaign_clusters"],
        columns=[lb["template"], lb["accounts"], lb["posts"], lb["campaign_posts"],
                 lb["first_seen"]],
        rows=[[clip(r["template"], TEMPLATE_CHARS), int(r["accounts"]), int(r["posts"]),
               int(r["campaign_posts"]), local_time(r["first_seen"], zone, utc=True)]
              for r in rows],
    )  # fmt: skip
