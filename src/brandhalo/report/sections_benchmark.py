"""The competitor benchmark table: every configured brand side by side over the report's window.

One row per brand: share of voice (every origin), net sentiment with its thin flag, the
latest perception index, the premium-band share of the market per category (when sales exist)
and the weakest touchpoint. NS, PI and the weakest touchpoint read the posts of the report's
origin (``report --origin``, the dashboard's origin filter; organic by default), as the charts
above the table do; its headers and note name that origin. Each column is one metric call for
all brands (metrics 2, 1, 3, 6 and 10); this module picks rows and formats labels, it computes
nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from brandhalo.errors import BrandhaloError
from brandhalo.report.model import Table
from brandhalo.report.sections import Ctx


def benchmark_part(ctx: Ctx) -> tuple[list[Table], list[str]]:
    """The benchmark table and its notes (none with fewer than two brands, or no post of
    any brand in the window)."""
    brands = [b.name for b in ctx.ws.config.brands]
    window = bench_window(ctx)
    if len(brands) < 2 or window is None:
        return [], []
    since, until = window
    lb = ctx.lb
    origin = report_origin(ctx)
    sov = _by_brand(_opinion(ctx, "share_of_voice", since, until))
    if not set(sov) & set(brands):  # no post of any brand counted (--types comment alone)
        return [], []
    ns = _by_brand(_opinion(ctx, "net_sentiment", since, until, origin))
    pi = _latest_pi(ctx, origin)
    weakest = _weakest(ctx, origin)
    premium = _premium(ctx, since, until)
    cats = sorted({c for per in premium.values() for c, v in per.items() if v is not None})
    least = ctx.ws.config.params.min_posts
    columns = [lb["brand"], lb["bm_sov"], *opinion_columns(lb, origin), lb["bm_pi"],
               *(lb["bm_premium"].format(category=_label(ctx, "category", c)) for c in cats),
               lb["bm_weakest"]]  # fmt: skip
    rows = []
    for b in brands:
        s, n = sov.get(b, {}), ns.get(b, {})
        rows.append([
            b, _pct(s.get("share_of_voice")), _ns_cell(n, lb), _int(n.get("posts")),
            _num((pi.get(b) or {}).get("pi")),
            *(_pct(premium.get(b, {}).get(c)) for c in cats),
            _weakest_cell(ctx, weakest.get(b, [])),
        ])  # fmt: skip
    table = Table(key="benchmark", title=lb["bm_table"], columns=columns, rows=rows)
    notes = [_note(lb, origin).format(since=since, until=until, min=least)]
    late = [(b, r["period"]) for b, r in pi.items() if str(r["period"])[:10] < until.isoformat()]
    if late:
        sep = "、" if ctx.lang == "zh" else ", "
        notes.append(lb["bm_pi_late"].format(
            brands=sep.join(lb["bm_pi_day"].format(brand=b, day=str(d)[:10]) for b, d in late)))  # fmt: skip
    return [table], notes


def report_origin(ctx: Ctx) -> str:
    """The origin of the posts the report's opinion figures read (the ``origin_scope`` that
    :func:`~brandhalo.report.sections.build` or the dashboard set, else ``[origin] default``)."""
    from brandhalo.analytics.opinion import current_origin

    return current_origin(ctx.ws)


def opinion_columns(lb: dict[str, str], origin: str) -> list[str]:
    """The NS and posts column headers, naming the origin their posts are of."""
    if origin == "organic":
        return [lb["bm_ns"], lb["bm_posts"]]
    name = lb[f"bm_origin_{origin}"]
    return [lb["bm_ns_of"].format(origin=name), lb["bm_posts_of"].format(origin=name)]


def _note(lb: dict[str, str], origin: str) -> str:
    """The benchmark's note, saying which posts its NS, PI and weakest touchpoint read."""
    if origin == "organic":
        return lb["bm_note"]
    return lb["bm_note_of"].replace("{reads}", lb[f"bm_reads_{origin}"])


def bench_window(ctx: Ctx) -> tuple[dt.date, dt.date] | None:
    """The report's window, its open ends closed by the first and last day with posts."""
    from brandhalo.store import aggregates

    first, last = aggregates.day_span(ctx.ws.store.con)
    if first is None or last is None:
        return None
    since, until = max(first, ctx.since or first), min(last, ctx.until or last)
    return (since, until) if since <= until else None


def _opinion(
    ctx: Ctx, name: str, since: dt.date, until: dt.date, origin: str = "all"
) -> list[dict[str, Any]]:
    """Metric `name` (net_sentiment: posts of `origin`; share_of_voice: every origin) over
    the whole window, one row per brand, all brands in one call."""
    from brandhalo.analytics import opinion
    from brandhalo.views import jsonable

    key = ("benchmark", name, since, until, origin)
    if key not in ctx.results:
        if name == "share_of_voice":
            df = opinion.buzz(ctx.ws, None, since, until, None)
        else:
            df = opinion.net_sentiment(ctx.ws, None, since, until, None, origin=origin)
        ctx.results[key] = jsonable(df.to_dict("records"))
    ctx.note(name)
    return list(ctx.results[key])


def _by_brand(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(r["brand"]): r for r in rows}


def _latest_pi(ctx: Ctx, origin: str) -> dict[str, dict[str, Any]]:
    """Each brand's last perception-index row in the window (posts of `origin`)."""
    rows = ctx.metric("perception_index", brand=None, origin=origin).get("rows") or []
    out: dict[str, dict[str, Any]] = {}
    for r in rows:  # in day order per brand
        if r.get("pi") is not None:
            out[str(r["brand"])] = r
    return out


def _weakest(ctx: Ctx, origin: str) -> dict[str, list[dict[str, Any]]]:
    """Each brand's weakest touchpoint rows over the window (metric 10, posts of `origin`)."""
    rows = ctx.metric("touchpoint_balance", brand=None, origin=origin).get("rows") or []
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r.get("weakest"):
            out.setdefault(str(r["brand"]), []).append(r)
    return out


def _premium(ctx: Ctx, since: dt.date, until: dt.date) -> dict[str, dict[str, float | None]]:
    """Brand -> category -> premium-band share of the market over the window (metric 6,
    ``premium_mix`` as one yearly period spanning the window); empty without sales."""
    from brandhalo.analytics.metrics import compute_metric
    from brandhalo.views import jsonable

    key = ("benchmark", "premium_mix", since, until)
    if key not in ctx.results:
        try:
            result = compute_metric(ctx.ws, "premium_mix", since=since, until=until, freq="year")
            ctx.results[key] = jsonable(result)
        except BrandhaloError:
            ctx.results[key] = {}
    data = ctx.results[key]
    rows = data.get("rows") or []
    if not rows:
        return {}
    ctx.note("premium_mix")
    out: dict[str, dict[str, float | None]] = {}
    for r in rows:
        out.setdefault(str(r["brand"]), {})[str(r["category"])] = r.get("premium_share")
    return out


def _ns_cell(row: dict[str, Any], lb: dict[str, str]) -> float | str | None:
    """The NS, with the thin flag written beside it when the brand has too few posts."""
    ns = _num(row.get("ns"))
    if ns is None or not row.get("thin"):
        return ns
    return lb["bm_thin"].format(ns=f"{ns:.1f}")


def _weakest_cell(ctx: Ctx, rows: list[dict[str, Any]]) -> str | None:
    """``售后（-12.5）``: the weakest touchpoint(s) with their NS; None: no two solid ones."""
    if not rows:
        return None
    sep = "、" if ctx.lang == "zh" else ", "
    return sep.join(ctx.lb["bm_weakest_cell"].format(
        touchpoint=_label(ctx, "touchpoint", r["touchpoint"]), ns=f"{float(r['ns']):.1f}")
        for r in rows)  # fmt: skip


def _label(ctx: Ctx, kind: str, value: Any) -> str:
    return str(ctx.ws.config.label(kind, str(value), ctx.lang))


def _num(value: Any) -> float | None:
    return None if value is None or value != value else round(float(value), 1)


def _int(value: Any) -> int | None:
    return None if value is None or value != value else int(value)


def _pct(share: Any) -> float | None:
    return None if share is None or share != share else round(100 * float(share), 1)
