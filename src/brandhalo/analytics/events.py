"""Event study (DESIGN metric 16) for every row of the events table.

Day 0 = the event's local date. Baseline = the 28 days before (days -28..-1): mean and sample
standard deviation (ddof 1) of daily NS, mean daily volume. For days 0..30: abnormal NS =
NS_t - baseline mean, abnormal volume = n_t - baseline mean volume. Cumulative abnormal NS =
sum of abnormal NS over days [0, 7] and [0, 30] (days without posts add 0). Trough = the day in
0..30 with the lowest NS. Recovery = the first day t after the trough whose trailing 7-day mean
NS (t-6..t, days with posts) is within one baseline sd of the baseline mean; else "not
recovered". NS here is the brand's overall daily NS (target '*', all themes).

Overlaps: another event of the same brand inside an event's baseline (days -28..-1) or window
(days 0..30) mixes the two effects; such an event's row lists them in ``overlaps`` (title,
date, day offset, where) and says so in ``overlap_warning``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from brandhalo.analytics._common import types_sql
from brandhalo.store import aggregates, inputs
from brandhalo.workspace import Workspace

METRIC_VERSION = "1.0"


def brand_of(ws: Workspace, raw: str) -> str | None:
    """Canonical brand name for a name or alias as written in an input file."""
    from brandhalo.analytics.market.brands import canonical_brand

    return canonical_brand(ws.config, raw)


def daily_ns(ws: Workspace, brand: str) -> pd.DataFrame:
    """Daily posts and NS of a brand on a full calendar grid (NS NaN on empty days)."""
    df = aggregates.daily_labels(ws.store.con, brand, types_sql())
    if df.empty:
        return pd.DataFrame(columns=["day", "n", "ns"])
    df["day"] = pd.to_datetime(df["day"]).dt.date
    grid = pd.date_range(df["day"].min(), df["day"].max(), freq="D").date
    df = df.set_index("day").reindex(grid)
    n = df["n"].fillna(0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ns = np.where(n > 0, 100.0 * (df["pos"] - df["neg"]).to_numpy() / n, np.nan)
    return pd.DataFrame({"day": grid, "n": n, "ns": ns})


def study(series: pd.DataFrame, day0: dt.date, baseline: int, window: int) -> dict[str, Any]:
    """Event-study summary and the day-by-day path for one event on one daily series."""
    days = list(series["day"])
    if not days or day0 not in days or days.index(day0) < baseline:
        return {"reason": "not enough history before the event (needs the baseline window)"}
    i0 = days.index(day0)
    ns, n = series["ns"].to_numpy(), series["n"].to_numpy()
    base_ns, base_n = ns[i0 - baseline : i0], n[i0 - baseline : i0]
    mu, sd = float(np.nanmean(base_ns)), float(np.nanstd(base_ns, ddof=1))
    end = min(len(days), i0 + window + 1)
    win = ns[i0:end]
    abn = win - mu
    trough = i0 + int(np.nanargmin(win)) if not np.all(np.isnan(win)) else None
    recovery = None
    if trough is not None:
        for t in range(trough + 1, end):
            m7 = np.nanmean(ns[max(0, t - 6) : t + 1])
            if abs(m7 - mu) <= sd:
                recovery = t
                break
    return {
        "baseline_ns": mu,
        "baseline_sd": sd,
        "baseline_volume": float(np.mean(base_n)),
        "car_7": float(np.nansum(abn[:8])),
        "car_30": float(np.nansum(abn)),
        "trough_day": days[trough] if trough is not None else None,
        "trough_ns": float(ns[trough]) if trough is not None else None,
        "trough_offset": trough - i0 if trough is not None else None,
        "recovery_day": days[recovery] if recovery is not None else None,
        "recovery_days": recovery - i0 if recovery is not None else None,
        "recovered": recovery is not None,
        "path": [
            {
                "offset": k,
                "day": days[i0 + k],
                "ns": _f(ns[i0 + k]),
                "abnormal_ns": _f(abn[k]),
                "volume": int(n[i0 + k]),
                "abnormal_volume": float(n[i0 + k] - np.mean(base_n)),
            }
            for k in range(end - i0)
        ],  # fmt: skip
    }


def event_study(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """One row per event (of `brand`, dated in [since, until]) with the study's results."""
    events = inputs.events(ws.store.con)
    p = ws.config.params
    rows, cache = [], {}
    for ev in events.itertuples():
        name, day = brand_of(ws, ev.brand), pd.Timestamp(ev.date).date()
        if name is None or (brand and name != brand):
            continue
        if (since and day < since) or (until and day > until):
            continue
        if name not in cache:
            cache[name] = daily_ns(ws, name)
        res = study(cache[name], day, p.event_baseline_days, p.event_window_days)
        near = overlaps(ws, events, ev.event_id, name, day)
        rows.append({"event_id": ev.event_id, "date": day, "brand": name,
                     "title": ev.title, "kind": ev.kind, **res, "overlaps": near,
                     "overlap_warning": _warning(near)})  # fmt: skip
    return pd.DataFrame(rows)


def overlaps(
    ws: Workspace, events: pd.DataFrame, event_id: Any, brand: str, day: dt.date
) -> list[dict[str, Any]]:
    """Other events of `brand` inside this event's baseline or window."""
    p = ws.config.params
    out = []
    for other in events.itertuples():
        if other.event_id == event_id or brand_of(ws, other.brand) != brand:
            continue
        offset = (pd.Timestamp(other.date).date() - day).days
        if -p.event_baseline_days <= offset <= p.event_window_days:
            out.append({"title": str(other.title), "date": pd.Timestamp(other.date).date(),
                        "offset": offset, "in": "baseline" if offset < 0 else "window"})  # fmt: skip
    return out


def _warning(near: list[dict[str, Any]]) -> str | None:
    """One sentence naming the overlapping events (None when there are none)."""
    if not near:
        return None
    parts = [f"{o['title']} (day {o['offset']:+d}, in the {o['in']})" for o in near]
    return "overlaps " + "; ".join(parts) + ": the abnormal NS mixes their effects"


def _f(x: float) -> float | None:
    return None if np.isnan(x) else float(x)
