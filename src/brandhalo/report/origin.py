"""The origin section: organic opinion vs campaign copy, news and official posts (issue 15).

It also holds what an origin asked for (``report --origin``, the dashboard's origin filter)
does to the alerts a model lists (:func:`origin_alerts`) and the method note that says which
origin a report shows (:func:`origin_method_note`).

Numbers come from :func:`brandhalo.analytics.campaigns.origin_mix` (posts per brand x day x
origin, from ``agg_daily``) and :func:`brandhalo.analytics.campaigns.campaign_clusters` (the
near-duplicate templates posted by many accounts); this module only lays them out: the own
brand's posts per day stacked by origin, every brand's organic share per week, and the top
campaign clusters of the own brand (template text, accounts, posts, first seen).
"""

from __future__ import annotations

from typing import Any

from brandhalo.config import ORIGINS
from brandhalo.report.i18n import labels
from brandhalo.report.model import Chart, MethodNote, ReportModel, Section, Series, Table
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
    from brandhalo.analytics.campaigns import campaign_clusters, first_post_origins, origin_mix

    lb = ctx.lb
    mix = origin_mix(ctx.ws, ctx.brand, ctx.since, ctx.until).to_dict("records")
    weekly = origin_mix(ctx.ws, None, ctx.since, ctx.until, freq="week").to_dict("records")
    clusters = campaign_clusters(
        ctx.ws, ctx.brand, ctx.since, ctx.until, limit=2 * TOP_CLUSTERS
    ).to_dict("records")
    # a cluster whose first post is official (the brand's own statement, an apology reposted
    # by many accounts) is no campaign template: listed apart, under its own title
    first = first_post_origins(ctx.ws, [str(r["cluster_id"]) for r in clusters])
    official = [r for r in clusters if first.get(str(r["cluster_id"])) == "official"]
    campaign = [r for r in clusters if first.get(str(r["cluster_id"])) != "official"]
    zone = ctx.ws.timezone
    tables = [_clusters_table(lb, campaign[:TOP_CLUSTERS], zone)]
    if official:
        tables.append(_clusters_table(lb, official[:TOP_CLUSTERS], zone, official=True))
    left_out = _left_out(ctx)
    return Section(
        key="origin",
        title=lb["origin"],
        intro=lb["origin_note"] + ("" if not left_out else lb["origin_sep"] + left_out),
        charts=[_mix_chart(ctx, mix), _share_chart(ctx, weekly)],
        tables=tables,
    )


#: Origins whose posts the report names when its opinion metrics leave them out: an official
#: apology (label -1), a news report or a platform's default review is no opinion, and the
#: reader is told it is not counted.
NAMED_LEFT_OUT = ("official", "news", "system")


def _left_out(ctx: Ctx) -> str:
    """What the opinion metrics leave out, per origin of
    :data:`NAMED_LEFT_OUT` that has posts about the brand in the period and that the opinion
    metrics of this report leave out (``[origin] default`` or the origin asked for): "12
    official account posts (3 negative) are left out of opinion"; '' when none."""
    from brandhalo.analytics.opinion import ORIGIN_FILTERS, current_origin, slices

    kept = ORIGIN_FILTERS[current_origin(ctx.ws)]
    if kept is None:  # every origin counts
        return ""
    df = slices(ctx.ws, brand=ctx.brand, since=ctx.since, until=ctx.until, freq=None,
                by=("origin",), origin="all")  # fmt: skip
    if df.empty:
        return ""
    df = df[df["brand"] == ctx.brand]
    said = []
    for origin in (o for o in NAMED_LEFT_OUT if o not in kept):
        rows = df[df["origin"] == origin]
        n = int(rows["posts"].sum())
        if n > 0:
            neg = int(rows["negative"].sum())
            key = f"origin_left_out_{origin}" + ("_1" if n == 1 else "")  # "1 news post"
            said.append(ctx.lb[key].format(n=f"{n:,}", neg=f"{neg:,}"))
    return ctx.lb["origin_sep"].join(said)


def _days(rows: list[dict[str, Any]]) -> list[str]:
    return sorted({str(r["period"])[:10] for r in rows})


def _mix_chart(ctx: Ctx, mix: list[dict[str, Any]]) -> Chart:
    """The own brand's original posts per day, one stacked bar series per origin (reposts and
    copies are linked to their original, not counted again: DESIGN section 3), titled so: a
    campaign of one post copied by 39 accounts is one post here, 40 in the clusters table."""
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
        axis_names=[ctx.lb["original_posts"]],
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


def _clusters_table(
    lb: dict[str, str], rows: list[dict[str, Any]], zone: str, official: bool = False
) -> Table:
    """The top campaign clusters (`official`: the clusters whose first post is an official
    one, titled so, their copies counted as official and campaign posts); first seen in the
    workspace zone with its offset."""
    key = "official_clusters" if official else "campaign_clusters"
    return Table(
        key=key,
        title=lb[key],
        columns=[lb["official_text"] if official else lb["template"], lb["accounts"],
                 lb["posts"], lb["official_copies"] if official else lb["campaign_posts"],
                 lb["first_seen"]],
        rows=[[clip(r["template"], TEMPLATE_CHARS), int(r["accounts"]), int(r["posts"]),
               int(r["campaign_posts"]), local_time(r["first_seen"], zone, utc=True)]
              for r in rows],
    )  # fmt: skip


def other_origins_note(lang: str, hidden: int) -> str:
    """Why an origin filter leaves no alert: `hidden` episodes are of other origins (the
    report, the dashboard and ``brandhalo alerts`` say it in these words)."""
    return labels(lang)["alerts_other_origins"].format(n=f"{hidden:,}")


def no_news_note(lang: str) -> str:
    """Why alerts of the news origin are none: alerts are not split by news."""
    return labels(lang)["alerts_no_news"]


def origin_alerts(model: ReportModel, origin: str) -> ReportModel:
    """`model` with the alert episodes of `origin` only (news: none, and why), so the report
    and the overview list the alerts ``brandhalo alerts --origin`` and the alerts page list
    for the same origin; its key findings keep a negative spike only where that origin lists
    negative spikes."""
    from brandhalo.analytics.episodes import ALERT_ORIGINS, of_origin

    findings = model.findings if _lists_spikes(origin) else _without_spikes(model.findings)
    if origin not in ALERT_ORIGINS:
        update = {"alerts": [], "alerts_note": no_news_note(model.lang), "findings": findings}
        return model.model_copy(update=update)
    kept = of_origin(model.alerts, origin)
    note = model.alerts_note
    if model.alerts and not kept:
        note = other_origins_note(model.lang, len(model.alerts))
    return model.model_copy(update={"alerts": kept, "alerts_note": note, "findings": findings})


def _lists_spikes(origin: str) -> bool:
    """Whether the alerts of `origin` include negative spikes (all and organic do)."""
    from brandhalo.analytics.episodes import ALERT_ORIGINS

    if origin not in ALERT_ORIGINS:
        return False  # news: alerts are not split by news
    kinds = ALERT_ORIGINS[origin]
    return kinds is None or "negative_spike" in kinds


def _without_spikes(findings: list[Any]) -> list[Any]:
    """`findings` less the negative-spike one (the finding of the alerts metric)."""
    return [f for f in findings if f.metric != "alerts"]


def origin_method_note(lb: dict[str, str], origin: str) -> MethodNote:
    """The method note of a report asked for one origin: which posts its opinion metrics
    read, that buzz and share of voice keep every origin, which alerts it lists."""
    note = lb["origin_shown"].format(
        reads=lb[f"origin_reads_{origin}"], origin=origin, alerts=lb[f"origin_alerts_{origin}"]
    )
    return MethodNote(metric=lb["origin_filter"], metric_version="", note=note)
