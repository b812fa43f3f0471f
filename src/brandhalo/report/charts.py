"""Section builders: metric rows re-shaped into charts and tables.

Every number comes from a metric result (``Ctx.metric``) or an analytics function; builders
only pick columns, order rows and format labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

from brandhalo.report.model import Chart, Marker, ScoreItem, Section, Series, Table
from brandhalo.report.origin import origin_section
from brandhalo.report.sections import (
    Builder,
    Ctx,
    chart_every_period,
    missing_input,
    pi_line,
)
from brandhalo.report.sections_benchmark import benchmark_part
from brandhalo.report.sections_market import concentration_section, financials_section
from brandhalo.report.sections_opinion import controversy_part
from brandhalo.report.sections_platforms import platform_part
from brandhalo.report.sections_signals import (
    change_points_section,
    interplay_section,
    spillover_section,
)
from brandhalo.views import clip

MAX_EVENT_PATHS = 6
#: Overlapping events named in an event's notes (the nearest; the others are counted).
MAX_OVERLAPS_NAMED = 3
TOP_POINTS = 10


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    return list(result.get("rows") or [])


def _num(value: Any, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def _day(value: Any) -> str:
    return str(value)[:10]


def _pct(share: Any) -> float | None:
    """A share (0..1) as a percentage with one decimal (0.165 -> 16.5)."""
    return None if share is None else round(100 * float(share), 1)


def _pivot(
    rows: Iterable[dict[str, Any]], x: str, y: str, group: str, digits: int = 1
) -> tuple[list[str], dict[str, list[float | None]]]:
    """x labels (sorted) and one value list per group, aligned on x (None where missing)."""
    rows = list(rows)
    xs = sorted({_day(r[x]) for r in rows})
    index = {v: i for i, v in enumerate(xs)}
    out: dict[str, list[float | None]] = {}
    for r in rows:
        series = out.setdefault(str(r[group]), [None] * len(xs))
        series[index[_day(r[x])]] = _num(r.get(y), digits)
    return xs, out


def every_day(
    days: list[str], series: dict[str, list[float | None]]
) -> tuple[list[str], dict[str, list[float | None]]]:
    """Counts per day on every day from the first to the last (0 where nothing was posted).

    >>> every_day(["2025-01-01", "2025-01-03"], {"X": [2.0, None]})
    (['2025-01-01', '2025-01-02', '2025-01-03'], {'X': [2.0, 0.0, 0.0]})
    """
    if not days:
        return days, series
    first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    full = [(first + dt.timedelta(d)).isoformat() for d in range((last - first).days + 1)]
    at = {d: i for i, d in enumerate(days)}
    return full, {
        k: [0.0 if (i := at.get(d)) is None or v[i] is None else v[i] for d in full]
        for k, v in series.items()
    }


def _events(ctx: Ctx) -> list[Marker]:
    """Event markers of the report's brand (input rows, shown as they were given), whose
    events file names it by its name or an alias (诺瓦 for Nova), as the event study reads it."""
    from brandhalo.analytics.events import brand_of
    from brandhalo.store.inputs import brand_events, event_brands

    written = [b for b in event_brands(ctx.ws.store.con) if (brand_of(ctx.ws, b) or b) == ctx.brand]
    rows = brand_events(ctx.ws.store.con, written)
    keep = [
        (d, t)
        for d, t in rows
        if (ctx.since is None or d >= ctx.since) and (ctx.until is None or d <= ctx.until)
    ]
    return [Marker(x=d.isoformat(), label=str(t)[:24]) for d, t in keep]


def scorecard(ctx: Ctx) -> list[ScoreItem]:
    """The three premium-readiness elements and the overall score (metric 13)."""
    rows = _rows(ctx.metric("scorecard"))
    if not rows:
        return []
    row, lb = rows[0], ctx.lb
    keys = ("overall", "products", "users", "brand_system")
    need = ctx.ws.config.params.min_posts
    return [
        ScoreItem(
            key=k, label=lb[k], score=_num(row.get(k)), detail=_score_missing(row, k, lb, need)
        )
        for k in keys
    ]


def _score_missing(row: dict[str, Any], key: str, lb: dict[str, str], need: int) -> str | None:
    """What a score shown as "–" needs (a tile with a dash alone does not say); None when
    it has one."""
    if row.get(key) is not None:
        return None
    return lb[f"score_missing_{key}"].format(min=need)


def separation(ctx: Ctx) -> Section:
    """Business momentum vs perception, monthly z-scores and the separation index (5); with
    no month reported, the metric's reason (too few months, no sales for the brand)."""
    result = ctx.metric("separation_index")
    rows = [r for r in _rows(result) if r.get("brand") == ctx.brand]
    x = [_day(r["month"])[:7] for r in rows]
    chart = Chart(
        key="separation",
        title=ctx.lb["separation"],
        kind="line",
        x=x,
        series=[
            Series(name="z(BM)", data=[_num(r.get("z_bm"), 2) for r in rows]),
            Series(name="z(PI)", data=[_num(r.get("z_pi"), 2) for r in rows]),
            Series(name="SI", data=[_num(r.get("si"), 2) for r in rows], kind="bar"),
        ],
        axis_names=["z"],
    )
    chart = chart_every_period(chart, "month")  # a month without data is a gap
    flagged = [f"{_day(r['month'])[:7]}: SI {r['si']:+.2f}" for r in rows if r.get("flag")]
    limit = ctx.ws.config.params.separation_flag  # the flag's threshold, not a constant
    text = ctx.lb["flagged_months"].format(limit=_limit_text(limit), months=", ".join(flagged))
    notes = [text] if flagged else []
    why = None if any(r.get("si") is not None for r in rows) else _separation_why(ctx, result)
    return Section(key="separation", title=ctx.lb["separation"], charts=[chart], notes=notes,
                   unavailable=why)  # fmt: skip


def _separation_why(ctx: Ctx, result: dict[str, Any]) -> str | None:
    """Why no month has a separation index: a missing input with its fix, else the metric's
    notes (4 months of a 12-month minimum) in the report language; None when neither says."""
    from brandhalo.report.method_notes import note_text

    notes = "; ".join(str(n) for n in result.get("notes") or [])
    return missing_input(ctx, SECTION_NEEDS["separation"]) or note_text(notes, ctx.lang) or None


def _limit_text(limit: float) -> str:
    """The flag threshold as the findings write it: one decimal (2.0) unless that would
    round it (2.25)."""
    return f"{limit:.1f}" if round(limit, 1) == limit else f"{limit:g}"


def timelines(ctx: Ctx) -> Section:
    """Perception index and buzz per day, with the own brand's events marked (2, 3); the PI
    line breaks over a stretch of days without posts longer than the PI's half-life. Its
    tables: the controversy themes, every brand side by side (the competitor benchmark) and
    every brand's NS per platform."""
    markers = _events(ctx)
    pi = [r for r in _rows(ctx.metric("perception_index")) if r.get("brand") == ctx.brand]
    x = [_day(r["period"]) for r in pi]
    quiet = ctx.ws.config.params.half_life_days
    pi_chart = Chart(
        key="perception",
        title=f"{ctx.lb['perception']} · {ctx.brand}",
        x=x,
        markers=markers,
        series=[
            Series(name="PI", data=[_num(v) for v in pi_line(pi, quiet)]),
            Series(name="NSw", data=[_num(r.get("nsw")) for r in pi], kind="scatter"),
        ],
        axis_names=["NS"],
    )
    bx, by_brand = _pivot(_rows(ctx.metric("buzz", brand=None)), "period", "buzz", "brand", 0)
    bx, by_brand = every_day(bx, by_brand)  # a day without posts is 0 posts, not a gap
    order = [ctx.brand, *sorted(b for b in by_brand if b != ctx.brand)]
    buzz_chart = Chart(
        key="buzz",
        title=ctx.lb["buzz"],
        x=bx,
        markers=markers,
        series=[Series(name=b, data=by_brand[b]) for b in order if b in by_brand],
        axis_names=[ctx.lb["posts"]],
        y_min=0.0,
    )
    tables, notes = controversy_part(ctx)
    bench_tables, bench_notes = benchmark_part(ctx)  # every brand side by side
    pf_tables, pf_notes = platform_part(ctx)  # every brand's NS on each platform
    tables = [*tables, *bench_tables, *pf_tables]
    notes = [*notes, *bench_notes, *pf_notes]
    return Section(
        key="timelines",
        title=ctx.lb["timelines"],
        charts=[pi_chart, buzz_chart],
        tables=tables,
        notes=notes,
    )


def event_studies(ctx: Ctx) -> Section:
    """Abnormal NS after each event, its CARs with 95 % intervals, trough, status (no dip,
    recovered after n days, ongoing as of the last day, not recovered) and what limits the
    reading (no study possible, a thin baseline, overlapping events) (16)."""
    rows = _rows(ctx.metric("event_study"))
    lb = ctx.lb
    table = Table(
        key="events", title=lb["event_studies"],
        columns=[lb["date"], lb["events"], lb["ev_baseline_ns"], "CAR[0,7]", "CAR[0,30]", lb["trough"],
                 lb["recovery"], lb["ev_notes"]],
        rows=[[_day(r["date"]), r["title"], _num(r.get("baseline_ns")), _car(r, "car_7", lb),
               _car(r, "car_30", lb), _day(r["trough_day"]) if r.get("trough_day") else None,
               _recovery(r, lb, _back_share(ctx, r)), _event_notes(r, ctx.lang, lb)]
              for r in rows],
    )  # fmt: skip
    studied = [r for r in rows if r.get("path")]
    paths = sorted(studied, key=_car_so_far)[:MAX_EVENT_PATHS]
    offsets = sorted({p["offset"] for r in paths for p in r["path"]})
    series = []
    for r in paths:
        by_offset = {p["offset"]: _num(p.get("abnormal_ns")) for p in r["path"]}
        name = f"{_day(r['date'])} {clip(r['title'], 16)}"
        series.append(Series(name=name, data=[by_offset.get(o) for o in offsets]))
    chart = Chart(
        key="event_paths",
        title=lb["abnormal_ns"],
        x=[str(o) for o in offsets],
        series=series,
        axis_names=["ΔNS"],
    )
    spill = _spill_table(ctx)
    return Section(
        key="event_studies",
        title=lb["event_studies"],
        charts=[chart] if series else [],
        tables=[table] if spill is None else [table, spill],
        notes=[lb["ev_car_note"].format(min=ctx.ws.config.params.min_posts)] if studied else [],
    )


def _spill_table(ctx: Ctx) -> Table | None:
    """The other brands' events studied on the report brand's own series (``event_study
    --spillover``, series_role ``other``): what a competitor's incident did to this brand
    (its CARs, status and notes as in the events table); None for a report of every brand
    or when no other brand has an event. Computed apart from ``ctx.metric`` so that the
    spill-over note does not stand for the section's method note (the own study's does)."""
    from brandhalo.analytics.metrics import compute_metric
    from brandhalo.views import jsonable

    if ctx.brand is None:
        return None
    result = compute_metric(ctx.ws, "event_study", since=ctx.since, until=ctx.until,
                            spillover=True)  # fmt: skip
    rows = [r for r in _rows(jsonable(result))
            if r.get("series") == ctx.brand and r.get("series_role") == "other"]  # fmt: skip
    if not rows:
        return None
    lb = ctx.lb
    return Table(
        key="event_spillover", title=lb["ev_spill"].format(brand=ctx.brand),
        columns=[lb["date"], lb["ev_spill_brand"], lb["events"], lb["ev_baseline_ns"],
                 "CAR[0,7]", "CAR[0,30]", lb["recovery"], lb["ev_notes"]],
        rows=[[_day(r["date"]), r["brand"], r["title"], _num(r.get("baseline_ns")),
               _car(r, "car_7", lb), _car(r, "car_30", lb), _recovery(r, lb),
               _event_notes(r, ctx.lang, lb)]
              for r in rows],
    )  # fmt: skip


def _car_so_far(row: dict[str, Any]) -> float:
    """CAR[0,30], or the CAR of the days observed when the window is not over (for order)."""
    value = row.get("car_30") if row.get("car_30") is not None else row.get("car_to_date")
    return float(value or 0.0)


def _car(row: dict[str, Any], key: str, lb: dict[str, str]) -> str | float | None:
    """A CAR with its 95 % interval ("-450.3 [-520, -381]"); a span not yet observed shows the
    CAR of the days observed so far; a row the study could not read shows nothing."""
    car, low, high = row.get(key), row.get(f"{key}_low"), row.get(f"{key}_high")
    if car is None:
        so_far = row.get("car_to_date")
        return None if so_far is None else lb["ev_to_date"].format(v=f"{so_far:,.1f}")
    if low is None or high is None:
        return _num(car)
    return f"{car:,.1f} [{low:,.0f}, {high:,.0f}]"


def _back_share(ctx: Ctx, row: dict[str, Any]) -> dt.date | None:
    """The day the brand's daily negative share was back in its usual band after an event
    the study calls ongoing or not recovered (:func:`brandhalo.analytics.events.back_to_usual`
    from the event's day, as the key finding reads the crisis), None when it is not back (or
    the study cannot tell): the smoothed NS of the status still holds the crisis's worst days
    after the share is back, and the table must not say "ongoing" beside a finding that says
    "ended"."""
    from brandhalo.analytics.events import back_to_usual

    if row.get("status") not in ("ongoing", "not_recovered") or row.get("reason"):
        return None
    path = row.get("path") or []
    until = ctx.until or (dt.date.fromisoformat(_day(path[-1]["day"])) if path else None)
    if until is None:
        return None
    day0 = dt.date.fromisoformat(_day(row["date"]))
    state = back_to_usual(ctx.ws, str(row["brand"]), day0, until)
    back = state["back"] if state["judged"] else None
    return back if isinstance(back, dt.date) else None


def _recovery(row: dict[str, Any], lb: dict[str, str], back: dt.date | None = None) -> str | None:
    """The event's status in words: no dip, recovered after n days, ongoing as of the last
    observed day, not recovered, inconclusive (or, when its CAR is clear, a clear negative /
    positive effect whose recovery cannot be judged: a crisis the baseline is too thin to
    date is not "inconclusive" about its effect); None for an event the study could not read.
    `back` (:func:`_back_share`): the day the daily negative share was back in its usual
    band, said beside "ongoing" and "not recovered"."""
    status = row.get("status")
    if status == "recovered" and row.get("recovery_days") is not None:
        return lb["days_n"].format(n=int(row["recovery_days"]))
    share = lb["ev_back_share"].format(day=f"{back:%Y-%m-%d}") if back is not None else ""
    if status == "ongoing":
        n = int(row.get("days_observed") or 1) - 1  # day 0 is the event's day
        path = row.get("path") or []
        last = _day(path[-1]["day"]) if path else _day(row["date"])
        return lb["ev_ongoing"].format(day=last, n=n) + share
    if status == "no_dip":
        return lb["ev_no_dip"]
    if status == "not_recovered":
        return lb["not_recovered"] + share
    if status == "inconclusive":  # the baseline is too thin or noisy to judge (notes say why)
        effect = _clear_effect(row)
        return lb["ev_inconclusive"] if effect is None else lb[f"ev_unjudged_{effect}"]
    return None


def _clear_effect(row: dict[str, Any]) -> str | None:
    """``negative`` / ``positive`` when the study's CAR interval excludes 0 (``effect``,
    :func:`brandhalo.analytics.events.effect`), else None."""
    effect = row.get("effect")
    return effect if effect in ("negative", "positive") else None


def _effect_note(row: dict[str, Any], lb: dict[str, str]) -> str | None:
    """The CAR behind a clear effect ("but CAR[0,30] -1,604 (95 % -2,454..-755) is a clear
    negative effect"), for a status that does not say it (inconclusive, no dip); None when
    the effect is not clear or its CAR is not in the row."""
    effect, span = _clear_effect(row), row.get("effect_window")
    if effect is None or span not in ("0,30", "0,7"):
        return None
    key = "car_7" if span == "0,7" else "car_30"
    car, low, high = row.get(key), row.get(f"{key}_low"), row.get(f"{key}_high")
    if car is None or low is None or high is None:
        return None
    return lb[f"ev_effect_{effect}"].format(
        span=span, car=f"{car:,.0f}", low=f"{low:,.0f}", high=f"{high:,.0f}"
    )


def _event_notes(row: dict[str, Any], lang: str, lb: dict[str, str]) -> str:
    """Why the event was not studied, or what limits its reading (thin baseline, other
    events inside its baseline or window), in the report language."""
    from brandhalo.report.method_notes import note_text

    if row.get("reason"):
        return note_text(str(row["reason"]), lang)
    notes = [lb["ev_thin"]] if row.get("thin") else []
    if row.get("inconclusive"):
        notes.append(lb["ev_inconclusive_why"].format(
            posts=f"{float(row['baseline_volume']):.1f}", sd=f"{float(row['baseline_sd']):.0f}"))  # fmt: skip
    if row.get("status") in ("inconclusive", "no_dip"):  # the status does not say the effect
        clear = _effect_note(row, lb)
        if clear:
            notes.append(clear)
    if row.get("inconclusive"):
        loud = _loudest(row, lb)
        if loud:
            notes.append(loud)
    overlaps = row.get("overlaps") or []
    if overlaps:
        notes.append(_overlap_note(overlaps, lb))
    return lb["ev_sep"].join(notes)


def _loudest(row: dict[str, Any], lb: dict[str, str]) -> str | None:
    """The window's loudest day (original posts + reposts) against the baseline's days, so an
    inconclusive study still shows how loud the event was; None without a path."""
    path = row.get("path") or []
    if not path:
        return None
    top = max(path, key=lambda p: int(p["volume"]) + int(p.get("reposts") or 0))
    base_r = row.get("baseline_reposts")
    return lb["ev_loudest"].format(
        day=int(top["offset"]), posts=int(top["volume"]), reposts=int(top.get("reposts") or 0),
        base=f"{float(row.get('baseline_volume') or 0):.1f}",
        base_reposts=f"{float(base_r):.1f}" if base_r is not None else "-",
    )  # fmt: skip


def _overlap_note(overlaps: list[dict[str, Any]], lb: dict[str, str]) -> str:
    """The nearest overlapping events (title and day offset), in date order; the rest counted."""
    nearest = sorted(overlaps, key=lambda o: abs(int(o["offset"])))[:MAX_OVERLAPS_NAMED]
    near = [lb["ev_overlap_item"].format(title=clip(str(o["title"]), 20), day=int(o["offset"]))
            for o in sorted(nearest, key=lambda o: int(o["offset"]))]  # fmt: skip
    more = len(overlaps) - len(near)
    events = lb["ev_list_sep"].join(near) + (lb["ev_more"].format(n=more) if more else "")
    return lb["ev_overlap"].format(events=events)


def matrix(ctx: Ctx) -> Section:
    """NS per touchpoint x segment for the own brand (metrics 10 and 11 crossed)."""
    from brandhalo.analytics import opinion

    ctx.note("touchpoint_balance")
    frame = opinion.add_ns(
        opinion.slices(
            ctx.ws,
            brand=ctx.brand,
            since=ctx.since,
            until=ctx.until,
            freq=None,
            touchpoint=None,
            by=("touchpoint", "segment"),
        ),
        ctx.ws.config.params.min_posts,
    )
    frame = frame[~frame["touchpoint"].isin(["*", "(none)"])]
    xs = sorted(frame["segment"].astype(str).unique())
    ys = sorted(frame["touchpoint"].astype(str).unique())
    cells = [
        (xs.index(str(r.segment)), ys.index(str(r.touchpoint)),
         None if r.thin else _num(r.ns))
        for r in frame.itertuples()
    ]  # fmt: skip
    segments = [ctx.ws.config.label("segment", v, ctx.lang) for v in xs]
    touchpoints = [ctx.ws.config.label("touchpoint", v, ctx.lang) for v in ys]
    chart = Chart(
        key="matrix",
        title=ctx.lb["matrix"],
        kind="heatmap",
        x=segments,
        y=touchpoints,
        cells=cells,
        value_range=(-100.0, 100.0),
    )
    return Section(
        key="matrix", title=ctx.lb["matrix"], charts=[chart],
        tables=[_matrix_table(ctx, frame, xs, ys, segments, touchpoints, cells)],
        notes=[ctx.lb["matrix_note"]],
    )  # fmt: skip


def _matrix_table(
    ctx: Ctx,
    frame: Any,
    xs: list[str],
    ys: list[str],
    segments: list[str],
    touchpoints: list[str],
    cells: list[tuple[int, int, float | None]],
) -> Table:
    """The heatmap's numbers, to read and copy: a row per touchpoint, per segment its NS (empty
    where the heatmap's cell is: fewer posts than min_posts) and its posts. No rows when the
    heatmap has no cell (the section then says why)."""
    ns = {(x, y): v for x, y, v in cells}
    posts = {(xs.index(str(r.segment)), ys.index(str(r.touchpoint))): int(r.posts)
             for r in frame.itertuples()}  # fmt: skip
    columns = [ctx.lb["touchpoint"]]
    for name in segments:
        columns += [ctx.lb["matrix_ns_of"].format(segment=name),
                    ctx.lb["matrix_posts_of"].format(segment=name)]  # fmt: skip
    rows = [
        [tp, *(v for x in range(len(xs)) for v in (ns.get((x, y)), posts.get((x, y), 0)))]
        for y, tp in enumerate(touchpoints)
    ]
    shown = any(v is not None for v in ns.values())
    return Table(key="matrix_numbers", title=ctx.lb["matrix_numbers"], columns=columns,
                 rows=rows if shown else [])  # fmt: skip


def founder(ctx: Ctx) -> Section:
    """Founder (persona) vs product: where attention goes (weekly persona share vs product
    share), share of voice, volatility, weekly NS side by side (9)."""
    from brandhalo.analytics import opinion
    from brandhalo.analytics.findings import FOUNDER_MIN_DAYS

    rows = [r for r in _rows(ctx.metric("founder_dependence")) if r.get("brand") == ctx.brand]
    lb = ctx.lb
    weekly = {}
    for target in ("persona", "product"):
        frame = opinion.net_sentiment(
            ctx.ws, ctx.brand, ctx.since, ctx.until, "week", target_type=target
        )
        weekly[target] = {_day(r.period): _num(r.ns) for r in frame.itertuples()}
    x = sorted(set(weekly["persona"]) | set(weekly["product"]))
    persona_weeks = sum(v is not None for v in weekly["persona"].values())
    chart = Chart(
        key="founder",
        title=lb["founder_ns"],
        x=x,
        axis_names=["NS"],
        series=[
            Series(name=lb["persona"], data=[weekly["persona"].get(d) for d in x]),
            Series(name=lb["product"], data=[weekly["product"].get(d) for d in x]),
        ],
    )
    chart = chart_every_period(chart, "week")  # a week without posts is a gap
    # the volatility ratio only where the finding compares swings (enough founder days)
    thin = [r for r in rows if (r.get("persona_days") or 0) < FOUNDER_MIN_DAYS
            and r.get("volatility_ratio") is not None]  # fmt: skip
    table = Table(
        key="founder",
        title=lb["founder"],
        columns=[
            lb["persona_share"],
            lb["volatility_ratio"],
            lb["sigma_persona"],
            lb["sigma_product"],
        ],
        rows=[
            [
                _pct(r.get("persona_share")),  # a percentage, as the other share columns
                None if r in thin else _num(r.get("volatility_ratio"), 2),
                _num(r.get("persona_std")),
                _num(r.get("product_std")),
            ]
            for r in rows
        ],
    )
    notes = [lb["founder_ratio_thin"].format(days=int(r.get("persona_days") or 0),
                                             min=FOUNDER_MIN_DAYS) for r in thin]  # fmt: skip
    if persona_weeks < 2 and not any(r.get("persona_share") for r in rows):
        return Section(key="founder", title=lb["founder"])  # no founder posts at all
    if len(x) < 2:  # the period spans one week: the shares without the weekly charts
        notes = [lb["founder_one_range_week"], *notes]
        return Section(key="founder", title=lb["founder"], tables=[table], notes=notes)
    attention = _attention_chart(ctx)
    charts = [c for c in (attention, chart if persona_weeks >= 2 else None) if c is not None]
    if attention is not None:
        notes = [lb["founder_attention_note"], *notes]
    if persona_weeks < 2:  # founder posts, but in one week: no weekly sentiment chart
        notes = [*notes, lb["founder_one_week"]]
    return Section(key="founder", title=lb["founder"], charts=charts, tables=[table], notes=notes)


def _attention_chart(ctx: Ctx) -> Chart | None:
    """Weekly persona share of voice and product share of the brand's original posts, in %
    (:func:`brandhalo.analytics.founder.attention`); None unless founder-only posts fall in
    two weeks or more (one week's founder posts: nothing to set side by side over time)."""
    from brandhalo.analytics.founder import attention

    df = attention(ctx.ws, ctx.brand, ctx.since, ctx.until, "week")
    if len(df) < 2 or int((df["persona_only"] > 0).sum()) < 2:
        return None
    x = [_day(p) for p in df["period"]]
    chart = Chart(
        key="founder_attention",
        title=ctx.lb["founder_attention"],
        x=x,
        axis_names=["%"],
        series=[
            Series(name=ctx.lb["persona_only_share"], data=[_pct(v) for v in df["persona_share"]]),
            Series(
                name=ctx.lb["product_share"],
                data=[None if v != v else _pct(v) for v in df["product_share"]],
            ),
        ],
        y_min=0.0,
        y_max=100.0,
    )
    return chart_every_period(chart, "week")


def bands(ctx: Ctx) -> Section:
    """The own brand's unit share per price band, monthly, one chart per category (6); with
    sales only in categories without configured bands, which [price_bands] to add."""
    every = _rows(ctx.metric("price_band_share", freq="month"))
    rows = [r for r in every if r.get("band") != "all"]
    charts = []
    for category in sorted({str(r["category"]) for r in rows}):
        sub = [r for r in rows if str(r["category"]) == category]
        x, by_band = _pivot(sub, "period", "share", "band", 4)
        pct = {
            b: [None if v is None else round(100 * v, 1) for v in vals]
            for b, vals in by_band.items()
        }
        # one month (a report of that month) is a bar per band: a line needs two points
        kind: Literal["line", "bar"] = "bar" if len(x) < 2 else "line"
        chart = Chart(
            key=f"bands_{category}",
            title=f"{ctx.lb['bands']} · {ctx.ws.config.label('category', category, ctx.lang)}",
            kind=kind,
            x=[d[:7] for d in x],
            axis_names=["%"],
            series=[Series(name=b, data=v, kind=kind) for b, v in pct.items()],
        )
        charts.append(chart_every_period(chart, "month"))  # a month without sales is a gap
    unbanded = sorted({str(r["category"]) for r in every} - {str(r["category"]) for r in rows})
    why = None
    if unbanded and not charts:  # sales in categories no [price_bands] line splits
        first = unbanded[0]  # as a TOML key: 乳品 needs quotes
        key = first if first.isascii() and first.isidentifier() else f'"{first}"'
        why = ctx.lb["bands_none"].format(categories=", ".join(unbanded), example=key)
    return Section(key="bands", title=ctx.lb["bands"], charts=charts, unavailable=why)


def pacing(ctx: Ctx) -> Section:
    """Cumulative units vs the annual target, run rate and projection (7); a note for each
    target that is not paced (no sales rows for its product, a year not started) and each
    whose data stop before the as-of day (its cumulative and projection stop there)."""
    paced = _rows(ctx.metric("target_pacing"))
    rows = [r for r in paced if r.get("reported", True)]
    lb = ctx.lb
    names = [f"{r['product']} {r['year']}" for r in rows]
    chart = Chart(
        key="pacing",
        title=lb["pacing"],
        kind="bar",
        x=names,
        series=[
            Series(name=lb["target"], data=[_num(r.get("target"), 0) for r in rows], kind="bar"),
            Series(
                name=lb["cumulative"], data=[_num(r.get("cumulative"), 0) for r in rows], kind="bar"
            ),
            Series(
                name=lb["projected"],
                data=[_num(r.get("projected_year_end"), 0) for r in rows],
                kind="bar",
            ),
        ],
        axis_names=[lb["units"]],
    )
    table = Table(key="pacing", title=lb["pacing"],
                  columns=[lb["product"], lb["target"], lb["cumulative"], "%", lb["run_rate"],
                           lb["projected"], lb["required"], lb["on_track"]],
                  rows=[[n, _num(r.get("target"), 0), _num(r.get("cumulative"), 0),
                         _num(100 * r["pct_of_target"]) if r.get("pct_of_target") is not None
                         else None, _num(r.get("run_rate_per_month"), 0),
                         _num(r.get("projected_year_end"), 0),
                         _num(r.get("required_per_month"), 0),
                         lb["yes"] if r.get("on_track") else lb["no"]]
                        for n, r in zip(names, rows, strict=True)])  # fmt: skip
    return Section(key="pacing", title=lb["pacing"], charts=[chart] if rows else [],
                   tables=[table], notes=_pacing_notes(paced, ctx.lang, lb))  # fmt: skip


def _pacing_notes(rows: list[dict[str, Any]], lang: str, lb: dict[str, str]) -> list[str]:
    """Why a target is not paced, or what its figures leave out, in the report language."""
    from brandhalo.report.method_notes import note_text

    return [
        lb["pacing_reason" if r.get("reported", True) else "pacing_not_paced"].format(
            name=f"{r['product']} {r['year']}", reason=note_text(r["reason"], lang)
        )
        for r in rows
        if r.get("reason")
    ]


def pain(ctx: Ctx) -> Section:
    """The strongest pain points and selling points per product x segment (17); each pain
    point with its trend, the last 30 days against the 30 before (:func:`pain_trend_part`)."""
    rows = _rows(ctx.metric("pain_points"))
    lb = ctx.lb
    tables = []
    trends, notes = pain_trend_part(ctx)
    for kind in ("pain", "selling"):
        top = sorted(
            (r for r in rows if r.get("kind") == kind), key=lambda r: -(r.get("z") or 0.0)
        )[:TOP_POINTS]
        columns = [lb["product"], lb["segment"], lb["touchpoint"], lb["theme"], lb["posts"], "z"]
        cells = [[r["product"], _name(ctx, "segment", r["segment"]),
                  _name(ctx, "touchpoint", r["touchpoint"]), _name(ctx, "theme", r["theme"]),
                  r.get("posts"), _num(r.get("z"), 2)] for r in top]  # fmt: skip
        if kind == "pain" and trends is not None:
            columns.append(lb["pain_trend"])
            cells = [[*c, trends.get(_point_key(r), "–")] for c, r in zip(cells, top, strict=True)]
        tables.append(Table(key=f"points_{kind}", title=lb[f"{kind}_points"], columns=columns,
                            rows=cells))  # fmt: skip
    tables.append(_terms_table(ctx))
    return Section(key="pain", title=lb["pain"], tables=tables, notes=notes)


def _point_key(row: dict[str, Any]) -> tuple[str, str | None, str, str]:
    """A pain point's product, segment, touchpoint and theme (a row of either table)."""
    seg = row.get("segment")
    return (str(row["product"]), None if seg is None else str(seg), str(row["touchpoint"]),
            str(row["theme"]))  # fmt: skip


def pain_trend_part(ctx: Ctx) -> tuple[dict[tuple[str, str | None, str, str], str] | None,
                                       list[str]]:  # fmt: skip
    """Each pain point's trend cell ("rising +120% (11 → 24 posts)") by its key, and the
    section's note naming the products' new and rising complaints (a product's theme over
    every segment, most negative posts now first); (None, []) when the range is too short
    for a trend (:func:`~brandhalo.analytics.painpoints.trend_windows`). The windows go
    into the method notes."""
    from brandhalo.analytics.painpoints import TREND_ALPHA, pain_trend
    from brandhalo.report.model import MethodNote

    df = pain_trend(ctx.ws, ctx.brand, ctx.since, ctx.until)
    windows = df.attrs.get("windows")
    if windows is None:
        return None, []
    lb = ctx.lb
    (b0, b1), (n0, n1) = windows
    days = (n1 - n0).days + 1
    ctx.notes["pain_trend"] = MethodNote(
        metric=lb["pain_trend_metric"], metric_version="",
        note=lb["pain_trend_method"].format(days=days, n0=n0, n1=n1, b0=b0, b1=b1,
                                            alpha=f"{TREND_ALPHA:g}"),
    )  # fmt: skip
    cells = {_point_key(r): _trend_cell(lb, r) for r in df.to_dict("records")}
    by = pain_trend(ctx.ws, ctx.brand, ctx.since, ctx.until, by=("product", "theme"))
    news = by[by["trend"].isin(["new", "rising"])]
    news = news.sort_values(["now", "product", "theme"], ascending=[False, True, True])
    shown = [lb["pain_trend_item"].format(what=f"{r['product']} · {_name(ctx, 'theme', r['theme'])}",
                                          trend=_trend_cell(lb, r))
             for r in news.head(PAIN_NEWS).to_dict("records")]  # fmt: skip
    if not shown:
        return cells, []
    sep = "；" if ctx.lang == "zh" else "; "
    more = lb["pain_trend_more"].format(n=len(news) - PAIN_NEWS) if len(news) > PAIN_NEWS else ""
    return cells, [lb["pain_trend_news"].format(days=days, items=sep.join(shown), more=more)]


#: The new and rising complaints the pain section's note names (the others are counted).
PAIN_NEWS = 5


def _trend_cell(lb: dict[str, str], r: dict[str, Any]) -> str:
    """The trend of a pain point in words with its counts (``上升 +120%（11 → 24 帖）``)."""
    before, now = int(r["before"]), int(r["now"])
    change = r.get("change")
    pct = "" if change is None else f"{100 * float(change):+.0f}%"
    return lb[f"pain_trend_{r['trend']}"].format(before=before, now=now, pct=pct)


#: How many pain (and selling) terms the report names per product.
TOP_TERMS = 5


def _terms_table(ctx: Ctx) -> Table:
    """Per product of the report's brand, its strongest pain terms and selling terms with
    their post counts (metric ``pain_terms``); a product with neither has no row."""
    lb = ctx.lb
    rows = _rows(ctx.metric("pain_terms"))
    products = list(dict.fromkeys(str(r["product"]) for r in rows))
    cells = [[p, *(_terms_cell(lb, [r for r in rows if r["product"] == p and r["kind"] == k])
                   for k in ("pain", "selling"))] for p in products]  # fmt: skip
    return Table(key="point_terms", title=lb["point_terms"],
                 columns=[lb["product"], lb["pain_terms"], lb["selling_terms"]],
                 rows=cells)  # fmt: skip


def _terms_cell(lb: dict[str, str], rows: list[dict[str, Any]]) -> str:
    """``续航（12 帖）、发热（8 帖）``: the strongest terms with their posts ("–": none)."""
    top = sorted(rows, key=lambda r: -(r.get("z") or 0.0))[:TOP_TERMS]
    named = [lb["term_posts"].format(term=r["term"], n=r["posts"]) for r in top]
    return lb["term_sep"].join(named) or "–"


#: The origin section's time charts and their periods.
_ORIGIN_PERIODS = {"origin_mix": "day", "organic_share": "week"}


def origin_over_time(ctx: Ctx) -> Section:
    """The origin section (:func:`origin_section`) with every day and week on its time axes:
    a stretch without posts shows as a gap."""
    section = origin_section(ctx)
    charts = [
        chart_every_period(c, _ORIGIN_PERIODS[c.key]) if c.key in _ORIGIN_PERIODS else c
        for c in section.charts
    ]
    return section.model_copy(update={"charts": charts})


def _name(ctx: Ctx, kind: str, value: Any) -> str:
    """A theme's, touchpoint's, segment's or category's display name in the report language."""
    return str(ctx.ws.config.label(kind, str(value), ctx.lang))


#: Report order (the dashboard shows the same sections).
SECTION_BUILDERS: list[tuple[str, Builder]] = [
    ("separation", separation),
    ("timelines", timelines),
    ("origin", origin_over_time),
    ("event_studies", event_studies),
    ("matrix", matrix),
    ("founder", founder),
    ("spillover", spillover_section),
    ("change_points", change_points_section),
    ("interplay", interplay_section),
    ("bands", bands),
    ("pacing", pacing),
    ("concentration", concentration_section),
    ("financials", financials_section),
    ("pain", pain),
]

#: What each section needs (keys of ``sections.CHECKS``, checked in order): an empty section
#: names the first one missing and how to add it.
SECTION_NEEDS: dict[str, tuple[str, ...]] = {
    "separation": ("posts", "sales", "brand_sales"),
    "timelines": ("posts",),
    "origin": ("posts",),
    "event_studies": ("events", "brand_events", "posts"),
    "matrix": ("posts",),
    "founder": ("personas", "posts", "persona_posts"),
    "spillover": ("personas", "posts", "persona_posts"),
    "change_points": ("posts",),
    "interplay": ("posts",),
    "bands": ("sales", "brand_sales"),
    "pacing": ("sales", "brand_sales", "targets", "brand_targets"),
    "concentration": ("sales", "brand_sales"),
    "financials": ("financials", "brand_financials", "financials_window"),
    "pain": ("products", "posts"),
}
