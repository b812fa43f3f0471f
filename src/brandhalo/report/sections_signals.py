"""Signal sections of the report and dashboard: founder spillover (DESIGN metric 9), change
points on net sentiment, share of voice and the perception index (14), and co-mentions of
brands and personas by week with their spikes (18).

Every number comes from a registry metric (``Ctx.metric``): ``founder_dependence``,
``change_points --of``, ``net_sentiment``, ``buzz``, ``perception_index``,
``co_mentions_weekly`` and ``co_mention_spikes``. Builders pick rows, place markers on the
series they belong to and write the plain-language reading from the values.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from brandhalo.report.model import Chart, Marker, Section, Series, Table
from brandhalo.report.sections import Ctx, every_period, fill_periods, missing_input, pi_line

#: The metrics whose change points are shown, with the series drawn under the markers.
CHANGE_METRICS = ("net_sentiment", "share_of_voice", "perception_index")
#: |r| below this reads as "barely related".
WEAK_R = 0.2
#: A lagged correlation over fewer day pairs is not shown (3 pairs give r = +-1 by chance).
MIN_CORR_DAYS = 10
#: Granger p-values below this read as "helps predict".
ALPHA = 0.05
#: Pairs drawn in the co-mention chart, spike weeks listed, latest weeks tabulated.
TOP_PAIRS = 5
TOP_SPIKES = 10
RECENT_WEEKS = 4


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    return list(result.get("rows") or [])


def _num(value: Any, digits: int = 1) -> float | None:
    if value is None or value != value:  # None or NaN
        return None
    return round(float(value), digits)


def _day(value: Any) -> str:
    return str(value)[:10]


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


# --- founder spillover (metric 9) --------------------------------------------------------


def spillover_section(ctx: Ctx) -> Section:
    """Lagged correlation founder NS -> product NS per brand, Granger p-values, a reading."""
    from brandhalo.analytics.founder import GRANGER_MIN_DAYS, MAX_LAG, MIN_DAY_POSTS

    rows = [r for r in _rows(ctx.metric("founder_dependence", brand=None))
            if r.get("lag_correlations")]  # fmt: skip
    rows.sort(key=lambda r: (r["brand"] != ctx.brand, str(r["brand"])))
    lags = list(range(MAX_LAG + 1))
    lb = ctx.lb
    chart = Chart(
        key="spillover_lags",
        title=lb["lag_chart"],
        kind="bar",
        x=[str(k) for k in lags],
        series=[Series(name=str(r["brand"]), kind="bar", data=_lag_values(r, lags, 3))
                for r in rows if any(v is not None for v in _lag_values(r, lags, 3))],
        axis_names=["r"],
    )  # fmt: skip
    lag_table = Table(
        key="spillover_lags",
        title=lb["lag_table"],
        columns=[lb["brand"], lb["paired_days"], *[f"k={k}" for k in lags]],
        rows=[[r["brand"], _days(r, 0), *_lag_values(r, lags, 2)] for r in rows],
    )  # fmt: skip
    granger = Table(
        key="granger",
        title=lb["granger_table"],
        columns=[lb["brand"], lb["best_lag"], lb["best_r"], lb["granger_lag"], lb["granger_p"]],
        rows=[[r["brand"], _int(r.get("best_lag")), _num(r.get("best_correlation"), 2),
               _int(r.get("granger_lag")), _p_text(r.get("granger_p"))]
              for r in rows if _days(r, r.get("best_lag")) >= MIN_CORR_DAYS],
    )  # fmt: skip
    notes = [line for r in rows for line in _reading(r, lb, GRANGER_MIN_DAYS, MIN_DAY_POSTS)]
    own = any(r["brand"] == ctx.brand for r in rows)
    return Section(
        key="spillover",
        title=lb["spillover"],
        intro=lb["spill_intro"],
        charts=[chart],
        tables=[lag_table, granger] if rows else [],
        notes=notes,
        unavailable=None if own or not rows else _own_missing(ctx),
    )


def _p_text(p: Any) -> str | None:
    """A p-value as text: four decimals, or ``< 0.0001`` (a float cell would show 0.00)."""
    if p is None or p != p:
        return None
    return "< 0.0001" if p < 1e-4 else f"{p:.4f}"


def _int(value: Any) -> int | None:
    return None if value is None or value != value else int(value)


def _days(row: dict[str, Any], lag: Any) -> int:
    """Day pairs behind the correlation at `lag` (0 when the analytics did not count them)."""
    return int((row.get("lag_days") or {}).get(str(_int(lag) or 0), 0))


def _lag_values(row: dict[str, Any], lags: list[int], digits: int) -> list[float | None]:
    """Correlation per lag; None where it rests on fewer than MIN_CORR_DAYS day pairs."""
    return [_num(row["lag_correlations"].get(str(k)), digits)
            if _days(row, k) >= MIN_CORR_DAYS else None for k in lags]  # fmt: skip


def _own_missing(ctx: Ctx) -> str:
    return missing_input(ctx, ("personas", "posts", "persona_posts")) or ctx.lb["nothing"]


def _reading(row: dict[str, Any], lb: dict[str, str], min_days: int, min_posts: int) -> list[str]:
    """Plain words for one brand: who leads by how much, and what the Granger test says."""
    brand, lag, r = row["brand"], _int(row.get("best_lag")), row.get("best_correlation")
    if r is None:
        return []
    if (n := min(_days(row, 0), _days(row, lag))) < MIN_CORR_DAYS:
        return [lb["spill_few_days"].format(brand=brand, n=n, m=min_posts, least=MIN_CORR_DAYS)]
    if abs(r) < WEAK_R:
        first = lb["spill_weak"].format(brand=brand, r=_fmt(abs(r)))
    else:  # a negative r moves the two in opposite directions, not "together"
        key = ("spill_leads" if lag else "spill_same_day") + ("_neg" if r < 0 else "")
        first = lb[key].format(brand=brand, days=_days_text(lb, lag), r=_fmt(r))
    p = row.get("granger_p")
    if p is None:
        second = lb["granger_short"].format(n=min_days, m=min_posts)
    elif p < ALPHA:
        text = _p_text(p) or ""
        shown = text if text.startswith("<") else f"= {text}"
        days = _days_text(lb, _int(row.get("granger_lag")))
        second = lb["granger_yes"].format(days=days, p=shown)
    else:
        second = lb["granger_no"].format(p=_fmt(p, 3))
    return [f"{first} {second}"]


def _days_text(lb: dict[str, str], n: int | None) -> str:
    """A number of days in words, singular or plural by the number ("1 day", "2 days")."""
    return lb["spill_day_1" if n == 1 else "spill_days"].format(n=n)


# --- change points (metric 14 on any series) ----------------------------------------------


def change_points_section(ctx: Ctx) -> Section:
    """Each metric's series with its change points marked, and one table of every change."""
    lb = ctx.lb
    charts, found, notes = [], [], []
    for metric in CHANGE_METRICS:
        cps = _rows(ctx.metric("change_points", of=metric))
        x, values = _series(ctx, metric)
        charts.append(Chart(
            key=f"cp_{metric}", title=lb[f"cp_{metric}"], x=x,
            series=[Series(name=lb[f"m_{metric}"], data=values)],
            markers=_markers(cps, x), axis_names=["%" if metric == "share_of_voice" else "NS"],
        ))  # fmt: skip
        found += cps
        if not cps and any(v is not None for v in values):
            notes.append(lb["cp_none"].format(metric=lb[f"m_{metric}"]))
    table = Table(
        key="change_points",
        title=lb["cp_table"],
        columns=[lb["metric"], lb["series"], lb["cp_day"], lb["before"], lb["after"], "z"],
        rows=[[lb[f"m_{r['metric']}"], _series_label(r, lb), _day(r["day"]),
               _num(r.get("before")), _num(r.get("after")), _num(r.get("z"), 1)]
              for r in sorted(found, key=lambda r: (_day(r["day"]), str(r["metric"])))],
    )  # fmt: skip
    return Section(
        key="change_points",
        title=lb["change_points"],
        intro=lb["cp_intro"],
        charts=charts,
        tables=[table],
        notes=notes,
    )


def _series(ctx: Ctx, metric: str) -> tuple[list[str], list[float | None]]:
    """The own brand's series under the markers: weekly NS, weekly share of voice, daily PI."""
    if metric == "net_sentiment":
        rows, col, scale = _rows(ctx.metric("net_sentiment", freq="week")), "ns", 1.0
    elif metric == "share_of_voice":
        rows, col, scale = _rows(ctx.metric("buzz", freq="week")), "share_of_voice", 100.0
    else:
        own = [r for r in _rows(ctx.metric("perception_index")) if r.get("brand") == ctx.brand]
        own.sort(key=lambda r: _day(r["period"]))
        pi = pi_line(own, ctx.ws.config.params.half_life_days)  # breaks over long silences
        return [_day(r["period"]) for r in own], [_num(v) for v in pi]
    rows = sorted((r for r in rows if r.get("brand") == ctx.brand), key=lambda r: _day(r["period"]))
    values = [None if r.get(col) is None else _num(scale * float(r[col])) for r in rows]
    x, (filled,) = fill_periods([_day(r["period"]) for r in rows], [values], "week")
    return x, filled  # a week without posts is a gap, not the next week


def _markers(cps: list[dict[str, Any]], x: list[str]) -> list[Marker]:
    """One marker per change day, on the period that holds it, arrows for the direction."""
    by_day: dict[str, list[str]] = {}
    for r in cps:
        up = (r.get("after") or 0.0) > (r.get("before") or 0.0)
        by_day.setdefault(_day(r["day"]), []).append("↑" if up else "↓")
    out = []
    for day, arrows in sorted(by_day.items()):
        i = bisect_right(x, day) - 1  # the week (or day) the change falls in
        if i >= 0:
            out.append(Marker(x=x[i], label=f"{day} {''.join(sorted(set(arrows)))}"))
    return out


def _series_label(row: dict[str, Any], lb: dict[str, str]) -> str:
    name = str(row.get("series"))
    return lb.get(f"tt_{name}", name)


# --- co-mentions over time (metric 18) ---------------------------------------------------


def _pair(row: dict[str, Any]) -> str:
    return f"{row['source']} × {row['target']}"


def interplay_section(ctx: Ctx) -> Section:
    """Weekly co-mentions of the report brand's pairs, their spike weeks, the latest weeks;
    when no post names the brand with another, the section says so."""
    lb = ctx.lb
    weekly = _rows(ctx.metric("co_mentions_weekly"))
    if not weekly:
        reason = missing_input(ctx, ("posts",)) or lb["co_none"].format(brand=ctx.brand)
        return Section(key="interplay", title=lb["interplay"], intro=lb["co_intro"],
                       unavailable=reason)  # fmt: skip
    # the spike weeks are the weekly rows flagged by the metric (co_mention_spikes' rows)
    spikes = sorted((r for r in weekly if r.get("spike")), key=lambda r: -(r.get("z") or 0.0))
    spikes = spikes[:TOP_SPIKES]
    totals: dict[str, int] = {}
    for r in weekly:
        totals[_pair(r)] = totals.get(_pair(r), 0) + int(r["posts"])
    top = sorted(totals, key=lambda p: (-totals[p], p))[:TOP_PAIRS]
    notes = [_spike_reading(spikes[0], lb)] if spikes else ([lb["co_no_spike"]] if weekly else [])
    return Section(
        key="interplay",
        title=lb["interplay"],
        intro=lb["co_intro"],
        charts=_co_chart(ctx, weekly, top, spikes),
        tables=[
            _spikes_table(lb, spikes),
            _pairs_table(lb, weekly, totals),
            _recent_table(lb, weekly),
        ],
        notes=notes,
    )


def _co_chart(
    ctx: Ctx, weekly: list[dict[str, Any]], top: list[str], spikes: list[dict[str, Any]]
) -> list[Chart]:
    """Weekly posts of the top pairs, spikes marked; none when no pair recurs (one dot)."""
    x = every_period(sorted({_day(r["week"]) for r in weekly}), "week")  # 0 in quiet weeks
    at = {w: i for i, w in enumerate(x)}
    data = {p: [0.0] * len(x) for p in top}
    for r in weekly:
        if _pair(r) in data:
            data[_pair(r)][at[_day(r["week"])]] = float(r["posts"])
    if not any(sum(v > 0 for v in vals) >= 2 for vals in data.values()):
        return []
    # short labels: a spike in the last week sits on the chart's edge (the pair is in the table)
    weeks = sorted({_day(s["week"]) for s in spikes} & set(at))  # one marker per week
    markers = [Marker(x=w, label=w[5:]) for w in weeks]
    title = ctx.lb["co_chart_1" if len(top) == 1 else "co_chart"].format(n=len(top))
    return [Chart(
        key="co_mentions", title=title, x=x,
        series=[Series(name=p, data=list(v)) for p, v in data.items()],
        markers=markers, axis_names=[ctx.lb["posts"]],
    )]  # fmt: skip


def _spikes_table(lb: dict[str, str], spikes: list[dict[str, Any]]) -> Table:
    return Table(
        key="co_spikes",
        title=lb["co_spikes"],
        columns=[lb["week"], lb["pair"], lb["posts"], lb["baseline"], lb["ratio"], "z", lb["ns"]],
        rows=[[_day(r["week"]), _pair(r), int(r["posts"]), _num(r.get("baseline")),
               _num(r.get("ratio")), _num(r.get("z")), _num(r.get("ns"))] for r in spikes],
    )  # fmt: skip


def _pairs_table(lb: dict[str, str], weekly: list[dict[str, Any]], totals: dict[str, int]) -> Table:
    """Each pair: rivals or not, posts over the window, weeks with co-mentions, peak week."""
    peak: dict[str, dict[str, Any]] = {}
    weeks: dict[str, int] = {}
    for r in weekly:
        p = _pair(r)
        weeks[p] = weeks.get(p, 0) + (int(r["posts"]) > 0)
        if p not in peak or int(r["posts"]) > int(peak[p]["posts"]):
            peak[p] = r
    order = sorted(totals, key=lambda p: (-totals[p], p))
    return Table(
        key="co_pairs",
        title=lb["co_pairs"],
        columns=[lb["pair"], lb["rivals"], lb["posts"], lb["weeks"], lb["peak_week"],
                 lb["peak_posts"]],
        rows=[[p, lb["yes"] if peak[p]["cross_brand"] else lb["no"], totals[p], weeks[p],
               _day(peak[p]["week"]), int(peak[p]["posts"])] for p in order if totals[p] > 0],
    )  # fmt: skip


def _recent_table(lb: dict[str, str], weekly: list[dict[str, Any]]) -> Table:
    """Pairs by week over the latest RECENT_WEEKS weeks (weeks with co-mentions only)."""
    last = sorted({_day(r["week"]) for r in weekly})[-RECENT_WEEKS:]
    rows = [r for r in weekly if _day(r["week"]) in last and int(r["posts"]) > 0]
    rows.sort(key=lambda r: (-int(r["posts"]), _pair(r)))
    rows.sort(key=lambda r: _day(r["week"]), reverse=True)  # stable: latest week first
    return Table(
        key="co_recent",
        title=lb["co_recent"],
        columns=[lb["week"], lb["pair"], lb["posts"], lb["ns"]],
        rows=[[_day(r["week"]), _pair(r), int(r["posts"]), _num(r.get("ns"))] for r in rows],
    )


def _spike_reading(row: dict[str, Any], lb: dict[str, str]) -> str:
    return lb["co_spike_read"].format(
        week=_day(row["week"]), pair=_pair(row), posts=int(row["posts"]),
        ratio=_fmt(_num(row.get("ratio")), 0),
    )  # fmt: skip
