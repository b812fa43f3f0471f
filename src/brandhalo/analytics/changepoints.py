"""Change points on any metric series (DESIGN metric 14: "PELT on any metric series").

One search for every metric: PELT (Killick et al. 2012, the algorithm of ``ruptures.Pelt``)
with a weighted l2 cost, where each point is weighted by how precisely it is measured
(``1 / variance``), so a day with 200 posts counts more than a day with 3. Several series that
share their regime shifts are searched **jointly** (the cost is summed over them): the target
types of one brand (brand, persona, product) move together when the brand's regime changes,
and pooling them finds shifts that no single thin series shows. Each joint change is then
reported for every series whose own step is clear (``|z| >= REPORT_Z``, step over its standard
error, on the segments either side).

Penalty per change, in units of the standardized cost (a chi-square): ``BETA * 2 * ln(N)``
with N the observations (posts, or points for series without counts): BIC with a margin.
Series and their weights:

=================  ==================================  ============================================
``--of``           series (per brand)                  weight of a point
=================  ==================================  ============================================
net_sentiment      daily NS per target type (joint)    posts / sigma^2 (post-level or day-level)
perception_index   daily NSw, the input of PI_t        posts / sigma^2 (PI_t is its EW smoothing)
share_of_voice     daily brand posts / tracked posts   tracked posts / (s (1 - s))
persona_share      daily persona-only / brand posts    brand posts / (s (1 - s))
band_share         monthly share per category x band  1 / sigma^2 of month-to-month differences
=================  ==================================  ============================================

Days inside the brand's spike episodes are left out of opinion series (metric 14 reports those
as spikes, not regimes). ``BETA``, ``REPORT_Z`` and ``MIN_SIZE`` were tuned on simulator seeds
101-116 (30k posts each, real pipeline) and are reported on seeds 1-20
(``benchmarks/detection.py --pipeline``; docs/metrics.md has the numbers). Swept there and left
as they are: BETA 0.5-3 (below 1.5 false alarms rise faster than hits), MIN_SIZE 5-14 (no
effect), leaving out more days after each episode (worse), and weights ``1 / (sigma^2 / n +
tau^2)`` with a day-level variance (worse: the thin days' noise is mostly binomial). Most
misses left are planted shifts smaller than the noise, or dated 11-25 days off where ~10 posts a
day cannot place them (the benchmark's ``cp_clean_visible_*`` and ``cp_ceiling_f1_7_days``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from brandhalo.errors import InputError
from brandhalo.store import aggregates
from brandhalo.store import signals as store_signals
from brandhalo.workspace import Workspace

#: 2.1: a change after a short run of days without posts is dated to the run's first day
METRIC_VERSION = "2.1"
#: Penalty multiplier on the BIC penalty of one change (tuned, see the module docstring).
BETA = 2.0
#: A joint change is reported for a series whose own step has at least this |z| (1.5 over
#: 2.0: change-point F1 within 7 days 0.530 -> 0.545 on seeds 101-116, 0.582 -> 0.590 on 1-20).
REPORT_Z = 1.5
#: Shortest regime in days (months for band_share).
MIN_SIZE = 7
MIN_SIZE_MONTHS = 3
#: A change this many days or fewer after a spike episode is dated to the episode's start; one
#: after a run of at most this many days without posts, to the run's first day.
SNAP_DAYS = 3
#: Opinion days with fewer posts are left out of a series.
MIN_DAY_POSTS = 1
COLUMNS = ["metric", "brand", "series", "day", "before", "after", "z", "penalty"]


@dataclass(frozen=True)
class Panel:
    """Series that are searched together: values and weights on one grid of periods."""

    brand: str
    names: list[str]
    periods: list[dt.date]
    values: np.ndarray  # [period, series]
    weights: np.ndarray  # [period, series]; 0 where the series has no point
    n_obs: float  # N of the BIC penalty
    daily: bool = True  # periods are days (False: months, band_share)


def pelt_joint(x: np.ndarray, w: np.ndarray, pen: float, min_size: int) -> list[int]:
    """Optimal segmentation of the panel `x` (weights `w`) under summed weighted l2 cost.

    Args:
        x: values, one column per series (any value where the weight is 0).
        w: weights (1 / variance of each point); 0 = no point.
        pen: penalty per change.
        min_size: fewest periods in a segment.

    Returns:
        The index of the first period of every segment after the first.

    >>> x = np.r_[np.zeros(20), np.ones(20) * 5][:, None]
    >>> pelt_joint(x, np.ones_like(x), pen=10.0, min_size=5)
    [20]
    """
    t_len = x.shape[0]
    if t_len < 2 * min_size:
        return []
    zero = np.zeros((1, x.shape[1]))
    cw = np.vstack([zero, np.cumsum(w, 0)])
    c1 = np.vstack([zero, np.cumsum(w * x, 0)])
    c2 = np.vstack([zero, np.cumsum(w * x * x, 0)])
    f = np.full(t_len + 1, np.inf)
    f[0] = -pen
    last = np.zeros(t_len + 1, dtype=int)
    alive: list[int] = [0]
    for t in range(min_size, t_len + 1):
        starts = np.array([s for s in alive if s <= t - min_size])
        if len(starts):
            sw = cw[t] - cw[starts]
            s1 = c1[t] - c1[starts]
            with np.errstate(divide="ignore", invalid="ignore"):
                seg = np.where(sw > 0, c2[t] - c2[starts] - s1 * s1 / np.where(sw > 0, sw, 1), 0)
            val = f[starts] + seg.sum(axis=1)
            j = int(np.argmin(val))
            f[t], last[t] = val[j] + pen, starts[j]
            # PELT pruning: a start already worse than f[t] can never be optimal later
            keep = set(starts[val <= f[t]].tolist())
            alive = [s for s in alive if s in keep or s > t - min_size]
        if t <= t_len - min_size:
            alive.append(t)
    out, t = [], t_len
    while t > 0:
        t = int(last[t])
        if t > 0:
            out.append(t)
    return sorted(out)


def panel_changes(
    panel: Panel, metric: str, min_size: int, masked: set[dt.date] | None = None
) -> list[dict[str, Any]]:
    """Joint change points of a panel, one row per series whose step is clear.

    A change found at most ``SNAP_DAYS`` after days left out for a spike episode is dated to
    the episode's first day: the regime changed during the episode (a crash, a scandal); one
    found after a short run of days without posts, to the run's first day (:func:`first_day`).
    """
    pen = BETA * 2.0 * float(np.log(max(panel.n_obs, 2.0)))
    cps = pelt_joint(panel.values, panel.weights, pen, min_size)
    bounds = [0, *cps, len(panel.periods)]
    rows = []
    for q, i in enumerate(cps):
        lo, hi = bounds[q], bounds[q + 2]
        prev, day = panel.periods[i - 1], panel.periods[i]
        day = first_day(prev, day, masked or set()) if panel.daily else day
        for k, name in enumerate(panel.names):
            step = _step(panel.values[:, k], panel.weights[:, k], lo, i, hi)
            if step is not None and abs(step[2]) >= REPORT_Z:
                rows.append({"metric": metric, "brand": panel.brand, "series": name,
                             "day": day, "before": step[0], "after": step[1],
                             "z": step[2], "penalty": pen})  # fmt: skip
    return rows


def first_day(prev: dt.date, day: dt.date, masked: set[dt.date]) -> dt.date:
    """The first day of the regime that starts at the point `day` (the point before: `prev`).

    A spike episode's days before it: the episode's first day (:func:`snap`). Days without
    posts between `prev` and `day`: the new regime began after `prev`, on a day no post shows;
    a run of at most ``SNAP_DAYS`` such days is dated to its first day (a shift planted on a
    day nobody posted is found there, not on the next day with posts), a longer one (a gap in
    the collection) to `day`, the first day seen.

    >>> first_day(dt.date(2025, 3, 6), dt.date(2025, 3, 9), set())
    datetime.date(2025, 3, 7)
    """
    snapped = snap(prev, day, masked)
    if snapped != day:
        return snapped
    empty = (day - prev).days - 1
    return prev + dt.timedelta(days=1) if 0 < empty <= SNAP_DAYS else day


def snap(prev: dt.date, day: dt.date, masked: set[dt.date]) -> dt.date:
    """`day`, or the first day of a masked run that ends at most SNAP_DAYS before it (or lies
    between the previous point `prev` and it)."""
    if not isinstance(day, dt.date) or not masked:
        return day
    lo = min(prev, day - dt.timedelta(days=SNAP_DAYS))
    near = [d for d in masked if lo <= d < day]
    if not near:
        return day
    start = max(near)
    while start - dt.timedelta(days=1) in masked:
        start -= dt.timedelta(days=1)
    return start


def _step(
    x: np.ndarray, w: np.ndarray, lo: int, i: int, hi: int
) -> tuple[float, float, float] | None:
    """(mean before, mean after, z of the step) of one series around a change at `i`."""
    w1, w2 = float(w[lo:i].sum()), float(w[i:hi].sum())
    if w1 <= 0 or w2 <= 0:
        return None
    m1 = float((w[lo:i] * x[lo:i]).sum() / w1)
    m2 = float((w[i:hi] * x[i:hi]).sum() / w2)
    return m1, m2, (m2 - m1) / float(np.sqrt(1 / w1 + 1 / w2))


def ns_sigma2(ns: np.ndarray, n: np.ndarray, polar: np.ndarray) -> float:
    """Post-level variance of NS (X in {-100, 0, 100}), or the day-level variance scaled to
    one post when days vary more than their posts explain (residuals from a centred 15-day
    running median, times n; the median of chi2(1) is 0.4549)."""
    total = float(n.sum())
    mean = float((ns * n).sum() / total)
    binom = 100.0**2 * float(polar.sum()) / total - mean**2
    local = pd.Series(ns).rolling(15, center=True, min_periods=1).median().to_numpy()
    day_level = float(np.median(n * (ns - local) ** 2)) / 0.4549
    return max(binom, day_level, 1.0)


def masked_days(episodes: pd.DataFrame | None) -> dict[str, set[dt.date]]:
    """Local days covered by each brand's spike episodes."""
    out: dict[str, set[dt.date]] = {}
    if episodes is None or episodes.empty:
        return out
    for r in episodes.itertuples():
        first = pd.Timestamp(r.start_at).date()
        last = (pd.Timestamp(r.end_at) - pd.Timedelta(microseconds=1)).date()
        out.setdefault(str(r.brand), set()).update(pd.date_range(first, last, freq="D").date)
    return out


def _grid(
    frames: dict[str, pd.DataFrame], brand: str, n_obs: float, *, daily: bool = True
) -> Panel | None:
    """Put series (frames with period, value, weight) on one grid of periods (days, or months
    when not `daily`)."""
    frames = {k: f for k, f in frames.items() if len(f)}
    if not frames:
        return None
    periods = sorted(set().union(*(set(f["period"]) for f in frames.values())))
    index = {p: i for i, p in enumerate(periods)}
    x = np.zeros((len(periods), len(frames)))
    w = np.zeros_like(x)
    for k, f in enumerate(frames.values()):
        rows = [index[p] for p in f["period"]]
        x[rows, k], w[rows, k] = f["value"].to_numpy(float), f["weight"].to_numpy(float)
    return Panel(brand, list(frames), periods, x, w, n_obs, daily)


def _opinion_days(
    ws: Workspace,
    brand: str,
    target_type: str,
    since: dt.date | None,
    until: dt.date | None,
    skip: set[dt.date],
) -> pd.DataFrame:
    from brandhalo.analytics.opinion import slices

    df = slices(ws, brand=brand, since=since, until=until, freq="day", target_type=target_type)
    df = df[(df["posts"] >= MIN_DAY_POSTS) & ~df["period"].isin(skip)]
    return df.reset_index(drop=True)


def _ns_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Daily NS with weights posts / sigma^2 (empty when too short to search)."""
    if len(df) < 3 * MIN_SIZE:
        return pd.DataFrame(columns=["period", "value", "weight", "posts"])
    n = df["posts"].to_numpy(float)
    ns = 100.0 * (df["positive"] - df["negative"]).to_numpy(float) / n
    s2 = ns_sigma2(ns, n, (df["positive"] + df["negative"]).to_numpy(float))
    return pd.DataFrame({"period": df["period"], "value": ns, "weight": n / s2, "posts": n})


def _nsw_frame(
    ws: Workspace, brand: str, since: dt.date | None, until: dt.date | None, skip: set[dt.date]
) -> pd.DataFrame:
    """Daily NSw (the input of PI_t) with weights posts / sigma^2 (day-level spread)."""
    from brandhalo.analytics.opinion import daily_pi

    df = daily_pi(ws, brand=brand, until=until)
    df["day"] = pd.to_datetime(df["day"]).dt.date
    keep = (df["posts"] >= MIN_DAY_POSTS) & ~df["day"].isin(skip) & df["nsw"].notna()
    if since is not None:
        keep &= df["day"] >= since
    df = df[keep]
    if len(df) < 3 * MIN_SIZE:
        return pd.DataFrame(columns=["period", "value", "weight", "posts"])
    n, x = df["posts"].to_numpy(float), df["nsw"].to_numpy(float)
    local = pd.Series(x).rolling(15, center=True, min_periods=1).median().to_numpy()
    s2 = max(float(np.median(n * (x - local) ** 2)) / 0.4549, 1.0)
    return pd.DataFrame({"period": df["day"], "value": x, "weight": n / s2, "posts": n})


def _ns_panels(
    ws: Workspace,
    brands: list[str],
    since: dt.date | None,
    until: dt.date | None,
    skip: dict[str, set[dt.date]],
    *,
    pi: bool = False,
) -> list[Panel]:
    panels = []
    for b in brands:
        masked = skip.get(b, set())
        if pi:
            frames = {"nsw": _nsw_frame(ws, b, since, until, masked)}
        else:
            frames = {
                t: _ns_frame(_opinion_days(ws, b, t, since, until, masked))
                for t in _target_types(ws, b)
            }
        panel = _grid(frames, b, float(sum(f["posts"].sum() for f in frames.values())))
        if panel is not None:
            panels.append(panel)
    return panels


def _target_types(ws: Workspace, brand: str) -> list[str]:
    return aggregates.target_types(ws.store.con, brand)


def _share_panels(
    ws: Workspace,
    brands: list[str],
    since: dt.date | None,
    until: dt.date | None,
    skip: dict[str, set[dt.date]],
    *,
    persona: bool,
) -> list[Panel]:
    """Share of voice (brand / tracked posts) or persona share (persona-only / brand posts)."""
    if persona:
        from brandhalo.analytics.founder import persona_share

        df = persona_share(ws, None, since, until, "day").rename(
            columns={"persona_only": "part", "posts": "whole"}
        )
    else:
        from brandhalo.analytics.opinion import buzz

        df = buzz(ws, None, since, until, "day")
        df = df.assign(part=df["buzz"], whole=df["buzz"] / df["share_of_voice"])
    df["period"] = pd.to_datetime(df["period"]).dt.date
    panels = []
    for b in brands:
        g = df[(df["brand"] == b) & (df["whole"] > 0) & ~df["period"].isin(skip.get(b, set()))]
        if len(g) < 3 * MIN_SIZE:
            continue
        s = (g["part"] / g["whole"]).to_numpy(float)
        p = float(g["part"].sum() / g["whole"].sum())
        var = max(p * (1 - p), 1e-4)
        frame = pd.DataFrame({"period": g["period"], "value": 100 * s,
                              "weight": g["whole"].to_numpy(float) / (var * 100**2)})  # fmt: skip
        panel = _grid({b: frame}, b, float(g["whole"].sum()))
        if panel is not None:
            panels.append(panel)
    return panels


def _band_panels(
    ws: Workspace,
    brands: list[str],
    since: dt.date | None,
    until: dt.date | None,
    skip: dict[str, set[dt.date]],
) -> list[Panel]:
    """Monthly price-band share per category x band; weights from month-to-month noise."""
    from brandhalo.analytics.market import band_share

    df = band_share(ws, since=since, until=until, freq="month")
    if df.empty:
        return []
    df = df.dropna(subset=["share"])
    df["period"] = pd.to_datetime(df["period_start"]).dt.date
    panels = []
    for b in brands:
        frames = {}
        for (cat, band), g in df[df["brand"] == b].groupby(["category", "band"], sort=True):
            g = g.sort_values("period")
            if len(g) < 2 * MIN_SIZE_MONTHS:
                continue
            s = 100 * g["share"].to_numpy(float)
            noise = float(np.median(np.abs(np.diff(s)))) / 0.6745 / np.sqrt(2) if len(s) > 2 else 0
            frames[f"{cat} {band}"] = pd.DataFrame(
                {"period": g["period"], "value": s, "weight": 1.0 / max(noise, 0.1) ** 2}
            )
        n = float(sum(len(f) for f in frames.values()))
        for name, frame in frames.items():  # bands are searched one by one
            panel = _grid({name: frame}, b, n, daily=False)
            if panel is not None:
                panels.append(panel)
    return panels


Panels = Callable[
    [Workspace, list[str], dt.date | None, dt.date | None, dict[str, set[dt.date]]], list[Panel]
]
#: --of name -> how its panels are built (and the shortest regime, in periods).
OF: dict[str, tuple[Panels, int]] = {
    "net_sentiment": (lambda ws, b, s, u, k: _ns_panels(ws, b, s, u, k), MIN_SIZE),
    "perception_index": (lambda ws, b, s, u, k: _ns_panels(ws, b, s, u, k, pi=True), MIN_SIZE),
    "share_of_voice": (lambda ws, b, s, u, k: _share_panels(ws, b, s, u, k, persona=False),
                       MIN_SIZE),
    "persona_share": (lambda ws, b, s, u, k: _share_panels(ws, b, s, u, k, persona=True),
                      MIN_SIZE),
    "band_share": (_band_panels, MIN_SIZE_MONTHS),
}  # fmt: skip


def check_of(of: str) -> str:
    """Validate a ``--of`` metric name."""
    if of not in OF:
        raise InputError(f"change points of {of!r} are not available; use one of {', '.join(OF)}")
    return of


def change_points(
    ws: Workspace,
    of: str = "net_sentiment",
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    episodes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Regime shifts in a metric's series, per brand (see the module docstring).

    Args:
        ws: the workspace (after ``brandhalo analyze``).
        of: the metric (a key of :data:`OF`).
        brand: one configured brand, or None for all.
        since, until: inclusive local dates of the series searched.
        episodes: spike episodes whose days are left out (default: the stored ones).

    Returns:
        One row per change and series: metric, brand, series (target type, brand, band),
        day (first day of the new regime), before, after (segment means), z (the step over
        its standard error) and the penalty of the search.

    >>> change_points(ws, "share_of_voice", brand="Xiaomi")  # doctest: +SKIP
    """
    from brandhalo.analytics._common import brand_names

    build, min_size = OF[check_of(of)]
    if episodes is None:
        episodes = store_signals.episode_spans(ws.store.con)
    skip = masked_days(episodes) if of != "band_share" else {}
    rows: list[dict[str, Any]] = []
    for panel in build(ws, brand_names(ws, brand), since, until, skip):
        rows.extend(panel_changes(panel, of, min_size, skip.get(panel.brand)))
    return pd.DataFrame(rows, columns=COLUMNS)


def stored_rows(cps: pd.DataFrame) -> pd.DataFrame:
    """Net-sentiment change points in the shape of the ``change_points`` table."""
    return pd.DataFrame({
        "brand": cps["brand"], "target_type": cps["series"], "day": cps["day"],
        "ns_before": cps["before"], "ns_after": cps["after"],
        "penalty": cps["penalty"],
    })  # fmt: skip
