"""Spike / crisis detection and change points (DESIGN metric 14).

Spikes: on daily and hourly negative counts per brand (theme ``'*'``) and per brand x theme.
Baseline = median of the same weekday (daily: t-7, t-14, t-21, t-28) or the same hour of the
day (hourly: t-24h ... t-28*24h) over the trailing 28 days; robust
``z = (x - median) / (1.4826 * MAD + 1)`` where the MAD is taken over the trailing 28 days
(daily: all 28 days, since four same-weekday points give an unstable spread; hourly: the 28
same-hour points); an alert when ``z >= spike_z`` and
``x >= spike_min_count``. A series is tested only once it has 28 days of history. Severity
``= clip(1 + floor(3 * log2(z / spike_z)), 1, 10)`` (1 at the threshold, +1 per ~26 % more z,
10 at 8x the threshold); persistence = consecutive periods over the threshold, this one
included. Alerts of one brand whose periods touch or lie within one day of each other (any
grain, any theme) form one episode; ``episode_id`` = hash of brand and the first alerted period.

Change points: PELT (as ``ruptures.Pelt``, vectorized with numpy; min_size 7 days) per brand x target type (brand, competitor,
persona, product) on daily NS (days with >= 5 posts; days inside the brand's spike episodes
left out, since metric 14 reports those). Cost: l2 over the individual posts, i.e. days weighted
by their posts. Penalty, one rule for every series (BIC for a mean shift: a change adds a
location and a mean): ``pen = 2 * sigma^2 * ln(N)``, N = posts in the series, sigma^2 = the
larger of the post-level variance of X in {-100, 0, 100} and the robust day-level estimate
``median(n_i * (x_i - m_i)^2) / 0.4549`` with m the centred 15-day running median (series whose
days vary more than their posts explain, e.g. founder mood). Two changes less than 14 days apart after which NS returns to within half the
excursion are dropped (a transient, not a regime). A change found within 3 days after a spike
episode is dated to the episode's first day (the regime changed during the episode).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import numpy as np
import pandas as pd

from brandhalo.workspace import Workspace

METRIC_VERSION = "1.0"
BASELINE_DAYS = 28
#: Episodes: alerts of a brand closer than this are the same episode.
EPISODE_GAP = pd.Timedelta(days=1)
CP_MIN_SIZE = 7
#: Days with fewer posts than this are left out of change-point series.
CP_MIN_POSTS = 1
#: A change this many days or fewer after a spike episode is dated to the episode's start.
CP_SNAP_DAYS = 3


def severity(z: np.ndarray, threshold: float) -> np.ndarray:
    """1..10 from the robust z: 1 at the threshold, 10 at 8x the threshold."""
    with np.errstate(divide="ignore", invalid="ignore"):
        s = 1 + np.floor(3 * np.log2(np.maximum(z, threshold) / threshold))
    return np.clip(s, 1, 10).astype(int)


def robust_scores(
    values: np.ndarray,
    cells: tuple[np.ndarray, np.ndarray],
    med_lags: list[int],
    mad_lags: list[int],
) -> tuple[np.ndarray, ...]:
    """Baseline median, MAD and robust z at the given (series, time) `cells` of `values`.

    The median of cell t is over ``values[s, t - lag]`` for `med_lags`; the MAD is over the
    values at `mad_lags`, about their own median. NaN where a lag falls before the start.
    Only candidate cells are scored (x >= min_count), which keeps hourly series cheap.
    """
    si, ti = cells
    med = np.median(_gather(values, si, ti, med_lags), axis=1)
    window = _gather(values, si, ti, mad_lags)
    mad = np.median(np.abs(window - np.median(window, axis=1)[:, None]), axis=1)
    z = (values[si, ti] - med) / (1.4826 * mad + 1.0)
    return med, mad, z


def _gather(values: np.ndarray, si: np.ndarray, ti: np.ndarray, lags: list[int]) -> np.ndarray:
    """[cells, len(lags)] values at t - lag (NaN before the series start)."""
    lag = np.asarray(lags)[None, :]
    t = ti[:, None] - lag
    out = values[si[:, None], np.maximum(t, 0)].astype(float)
    out[t < 0] = np.nan
    return out


def _runs(flags: np.ndarray) -> np.ndarray:
    """Length of the run of True ending at each position (per row)."""
    idx = np.arange(flags.shape[1])[None, :]
    last_false = np.maximum.accumulate(np.where(flags, -1, idx), axis=1)
    return np.where(flags, idx - last_false, 0)


def negative_series(ws: Workspace, grain: str) -> pd.DataFrame:
    """Negative counts per brand x theme x period ('*' = all themes), zero-filled grid."""
    if grain == "day":
        sql = (
            "SELECT brand, theme, CAST(day AS TIMESTAMP) AS period, SUM(negative) AS neg "
            "FROM agg_daily WHERE target_type = '*' AND theme <> '(none)' "
            "AND (theme <> '*' OR touchpoint = '*') GROUP BY ALL"
        )
    else:
        sql = (
            "SELECT brand, theme, hour AS period, SUM(negative) AS neg FROM agg_hourly "
            "WHERE target_type = '*' AND theme <> '(none)' "
            "AND (theme <> '*' OR touchpoint = '*') GROUP BY ALL"
        )
    return ws.store.query(sql)


def detect(frame: pd.DataFrame, grain: str, z_min: float, min_count: int) -> pd.DataFrame:
    """Alerts from a long frame (brand, theme, period, neg) of one grain."""
    cols = ["grain", "brand", "theme", "period", "count", "expected", "mad", "z", "severity",
            "persistence"]  # fmt: skip
    if frame.empty:
        return pd.DataFrame(columns=cols)
    freq = "D" if grain == "day" else "h"
    grid = pd.date_range(frame["period"].min(), frame["period"].max(), freq=freq)
    wide = frame.pivot_table(
        index=["brand", "theme"], columns="period", values="neg", aggfunc="sum", fill_value=0
    ).reindex(columns=grid, fill_value=0)
    values = wide.to_numpy(dtype=float)
    if grain == "day":
        med_lags = [7 * k for k in range(1, BASELINE_DAYS // 7 + 1)]
        mad_lags = list(range(1, BASELINE_DAYS + 1))
    else:
        med_lags = mad_lags = [24 * k for k in range(1, BASELINE_DAYS + 1)]
    si, ti = np.nonzero(values >= min_count)
    med, mad, z = robust_scores(values, (si, ti), med_lags, mad_lags)
    over = (z >= z_min) & ~np.isnan(med)
    flags = np.zeros(values.shape, dtype=bool)
    flags[si[over], ti[over]] = True
    runs = _runs(flags)
    si, ti, med, mad, z = si[over], ti[over], med[over], mad[over], z[over]
    out = pd.DataFrame(
        {
            "grain": grain,
            "brand": wide.index.get_level_values(0)[si],
            "theme": wide.index.get_level_values(1)[si],
            "period": grid[ti],
            "count": values[si, ti].astype(int),
            "expected": med,
            "mad": mad,
            "z": z,
        }
    )
    out["severity"] = severity(out["z"].to_numpy(), z_min)
    out["persistence"] = runs[si, ti]
    return out[cols]


def find_alerts(ws: Workspace) -> pd.DataFrame:
    """Every alert of both grains, with ``alert_id`` and ``episode_id``."""
    p = ws.config.params
    parts = [
        detect(negative_series(ws, g), g, p.spike_z, p.spike_min_count) for g in ("day", "hour")
    ]
    alerts = (
        pd.concat([x for x in parts if not x.empty], ignore_index=True)
        if any(not x.empty for x in parts)
        else parts[0]
    )
    if alerts.empty:
        return alerts.assign(alert_id=[], episode_id=[])
    alerts["alert_id"] = [
        _hash(g, b, t, str(per))
        for g, b, t, per in alerts[["grain", "brand", "theme", "period"]].itertuples(index=False)
    ]
    alerts["episode_id"] = _episodes(alerts)
    return alerts


def _episodes(alerts: pd.DataFrame) -> list[str]:
    """Group alerts per brand into episodes (overlapping or within EPISODE_GAP)."""
    length = np.where(alerts["grain"] == "day", pd.Timedelta(days=1), pd.Timedelta(hours=1))
    end = alerts["period"] + pd.to_timedelta(length)
    ids = pd.Series("", index=alerts.index)
    order = alerts.assign(end=end).sort_values(["brand", "period"])
    current: str | None = None
    cur_brand, cur_end = None, None
    for idx, row in order.iterrows():
        if row["brand"] != cur_brand or row["period"] > cur_end + EPISODE_GAP:
            current = _hash(row["brand"], str(row["period"]))
            cur_brand, cur_end = row["brand"], row["end"]
        cur_end = max(cur_end, row["end"])
        ids[idx] = current
    return ids.tolist()


def summarize_episodes(alerts: pd.DataFrame) -> pd.DataFrame:
    """One row per episode: span, peak, severity, persistence, alerted themes."""
    if alerts.empty:
        return pd.DataFrame(columns=["episode_id", "brand", "start_at", "end_at"])
    length = np.where(alerts["grain"] == "day", pd.Timedelta(days=1), pd.Timedelta(hours=1))
    a = alerts.assign(end=alerts["period"] + pd.to_timedelta(length))
    rows = []
    for eid, g in a.groupby("episode_id", sort=False):
        hourly = g[g["grain"] == "hour"]
        # the peak is dated at the finest grain that alerted (the hour when there is one)
        peak = (hourly if len(hourly) else g).loc[lambda x: x["z"].idxmax()]
        day_brand = g[(g["grain"] == "day") & (g["theme"] == "*")]
        themes = g[g["theme"] != "*"].groupby("theme")["z"].max().sort_values(ascending=False).index
        rows.append(
            {
                "episode_id": eid,
                "brand": peak["brand"],
                "start_at": g["period"].min(),
                "end_at": g["end"].max(),
                "peak_period": peak["period"],
                "peak_grain": peak["grain"],
                "peak_z": float(g["z"].max()),
                "severity": int(g["severity"].max()),
                "persistence": int(g["persistence"].max()),
                "n_alerts": len(g),
                "themes": list(themes),
                "count": int(day_brand["count"].sum()) if len(day_brand) else None,
                "expected": float(day_brand["expected"].sum()) if len(day_brand) else None,
            }
        )
    return pd.DataFrame(rows)


def change_points(
    ws: Workspace, brand: str | None = None, episodes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """PELT change points of daily NS per brand x target type (see module docstring).

    Days inside the brand's spike `episodes` are left out of the series (metric 14 reports
    them); a change found right after such a gap is dated to the gap's first day, since the
    regime changed during the episode (so is one found up to CP_SNAP_DAYS after it).
    """
    sql = (
        "SELECT brand, target_type, day, SUM(posts) AS n, SUM(positive) AS pos, "
        "SUM(negative) AS neg FROM agg_daily WHERE theme = '*' AND touchpoint = '*' "
        "AND target_type <> '*' "
        + ("AND brand = ? " if brand else "")
        + "GROUP BY ALL HAVING SUM(posts) >= ? ORDER BY brand, target_type, day"
    )
    df = ws.store.query(sql, [brand, CP_MIN_POSTS] if brand else [CP_MIN_POSTS])
    df["day"] = pd.to_datetime(df["day"]).dt.date
    masked = _masked_days(episodes)
    rows: list[dict[str, Any]] = []
    for (b, tt), g in df.groupby(["brand", "target_type"], sort=True):
        g = g[~g["day"].isin(masked.get(b, set()))]
        ns = (100.0 * (g["pos"] - g["neg"]) / g["n"]).to_numpy()
        days = list(g["day"])
        n, polar = g["n"].to_numpy(dtype=float), (g["pos"] + g["neg"]).to_numpy(dtype=float)
        for i, pen in drop_excursions(pelt(ns, n, polar), ns, days):
            rows.append(
                {
                    "brand": b,
                    "target_type": tt,
                    "day": _gap_start(days[i - 1], days[i], masked.get(b, set())),
                    "ns_before": float(np.mean(ns[max(0, i - 14) : i])),
                    "ns_after": float(np.mean(ns[i : i + 14])),
                    "penalty": pen,
                }
            )
    cols = ["brand", "target_type", "day", "ns_before", "ns_after", "penalty"]
    return pd.DataFrame(rows, columns=cols)


def drop_excursions(
    cps: list[tuple[int, float]], ns: np.ndarray, days: list[Any]
) -> list[tuple[int, float]]:
    """Drop pairs of changes less than ``2 * CP_MIN_SIZE`` days apart after which NS returns
    to within half the excursion of its level before: a transient, not a regime shift."""
    out = list(cps)
    k = 0
    while k + 1 < len(out):
        (i, _), (j, _) = out[k], out[k + 1]
        nxt = out[k + 2][0] if k + 2 < len(out) else len(ns)
        prev = out[k - 1][0] if k else 0
        before, during, after = ns[prev:i].mean(), ns[i:j].mean(), ns[j:nxt].mean()
        short = (days[j] - days[i]).days < 2 * CP_MIN_SIZE
        if short and abs(after - before) < abs(during - before) / 2:
            del out[k : k + 2]
        else:
            k += 1
    return out


def _masked_days(episodes: pd.DataFrame | None) -> dict[str, set[Any]]:
    """Local days covered by each brand's spike episodes."""
    out: dict[str, set[Any]] = {}
    if episodes is None or episodes.empty:
        return out
    for r in episodes.itertuples():
        first = pd.Timestamp(r.start_at).date()
        last = (pd.Timestamp(r.end_at) - pd.Timedelta(microseconds=1)).date()
        days = pd.date_range(first, last, freq="D").date
        out.setdefault(r.brand, set()).update(days)
    return out


def _gap_start(prev: Any, day: Any, masked: set[Any]) -> Any:
    """Date a change at `day`: the first day of a spike episode that ends at most
    ``CP_SNAP_DAYS`` before it (or lies between the previous point `prev` and it), else `day`.
    """
    lo = min(prev, day - dt.timedelta(days=CP_SNAP_DAYS))
    near = [d for d in masked if lo <= d < day]
    if not near:
        return day
    start = max(near)
    while start - dt.timedelta(days=1) in masked:
        start -= dt.timedelta(days=1)
    return start


def pelt(ns: np.ndarray, n: np.ndarray, polar: np.ndarray) -> list[tuple[int, float]]:
    """Indices where a new regime starts in a daily NS series with `n` posts per day, of
    which `polar` are positive or negative.

    Cost: the l2 cost of the individual posts (X in {-100, 0, 100}), i.e. days weighted by
    their posts; penalty ``2 * sigma^2 * ln(N)`` (BIC: a change adds a location and a mean)
    with N the series' posts and sigma^2 the larger of the post-level variance of X and the
    robust day-to-day estimate (for series whose days vary more than binomially).
    """
    t = len(ns)
    if t < 3 * CP_MIN_SIZE:
        return []
    total = float(n.sum())
    mean = float((ns * n).sum() / total)
    # post-level variance (E[X^2] = 100^2 * share of non-neutral posts), or the day-level
    # variance scaled to one post when days vary more than their posts explain (overdispersed or
    # autocorrelated days): residuals from a centred 15-day running median, times n; the
    # median of chi2(1) is 0.4549.
    binom = 100.0**2 * float(polar.sum()) / total - mean**2
    local = pd.Series(ns).rolling(15, center=True, min_periods=1).median().to_numpy()
    day_level = float(np.median(n * (ns - local) ** 2)) / 0.4549
    sigma2 = max(binom, day_level)
    if sigma2 <= 0:
        return []
    pen = 2.0 * sigma2 * np.log(total)
    return [(i, float(pen)) for i in pelt_search(ns, n, pen, CP_MIN_SIZE)]


def pelt_search(x: np.ndarray, w: np.ndarray, pen: float, min_size: int) -> list[int]:
    """Optimal partition of `x` (weights `w`) under weighted l2 cost + `pen` per segment.

    PELT (Killick et al. 2012), the algorithm of ``ruptures.Pelt`` with jump 1, vectorized over
    the admissible set with numpy (ruptures' pure-Python loop took ~100 s for 20 brands x 2
    target types x 1 year). Returns the start index of every segment after the first; the
    tests check equality with ``ruptures.Pelt`` on random series.
    """
    n = len(x)
    cw = np.concatenate([[0.0], np.cumsum(w)])
    c1 = np.concatenate([[0.0], np.cumsum(w * x)])
    c2 = np.concatenate([[0.0], np.cumsum(w * x * x)])
    f = np.full(n + 1, np.inf)
    f[0] = -pen
    last = np.zeros(n + 1, dtype=int)
    admissible = np.array([0])
    for t in range(min_size, n + 1):
        ok = admissible[t - admissible >= min_size]
        if len(ok):
            ws, s1 = cw[t] - cw[ok], c1[t] - c1[ok]
            cost = f[ok] + (c2[t] - c2[ok] - s1 * s1 / ws) + pen
            k = int(np.argmin(cost))
            f[t], last[t] = cost[k], ok[k]
            keep = (t - admissible < min_size) | (
                f[admissible] + _seg_cost(cw, c1, c2, admissible, t) <= f[t]
            )
            admissible = admissible[keep]
        if t <= n - min_size:
            admissible = np.append(admissible, t)
    out, t = [], n
    while t > 0:
        t = int(last[t])
        if t > 0:
            out.append(t)
    return sorted(out)


def _seg_cost(cw: np.ndarray, c1: np.ndarray, c2: np.ndarray, s: np.ndarray, t: int) -> Any:
    ws = cw[t] - cw[s]
    s1 = c1[t] - c1[s]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ws > 0, c2[t] - c2[s] - s1 * s1 / np.where(ws > 0, ws, 1.0), 0.0)


def _hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def as_date(ts: Any) -> dt.date:
    return pd.Timestamp(ts).date()
