"""Premium-readiness scorecard (DESIGN metric 13): the seed's three core elements, 0-100.

Each component is mapped to 0-100 by a piecewise-linear map through the knots in
:data:`MAPS` (flat outside the first and last knot); an element is the mean of its available
components; overall = geometric mean of the available elements (one weak element drags it),
when at least two of the three have data (one alone would read as the whole score).

* Products: premium-band share of the market (``premium_share``, latest 12 months), its
  trend (change vs the 12 months before, percentage points), product NS among the premium
  segment.
* Users: premium-segment NS, premium-segment share of voice relative to parity
  (share x number of brands; 1 = parity). The premium segment is the ``[[segments]]`` rule
  named ``premium`` (built in); a workspace's own segments (``gamers``) do not count here.
* Brand system: touchpoint balance (spread of touchpoint NS), inverse founder dependence
  (persona share of voice; missing for a brand with no configured persona), inverse
  controversy load.

The premium-segment opinion components are missing when their posts are thin (fewer than
``[params] min_posts``); controversy load is missing when no theme is flagged
``controversy = true`` (its load would be 0 by construction) or the brand has no negative
post in its window; the notes say which were left out and why.

Opinion components use the last 90 days up to the latest aggregated day, but controversy
load, as metric 12 defines it (DESIGN: "share of negative posts in the last 30 days"), reads
the last ``[params] controversy_days`` days (30) up to the same day: a crisis two months old
leaves it (:func:`windows` gives both spans, and the report's tile names them).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from brandhalo.analytics import founder, opinion
from brandhalo.analytics._common import types_sql
from brandhalo.store import aggregates
from brandhalo.workspace import Workspace

METRIC_VERSION = "1.0"
WINDOW_DAYS = 90

#: component -> (element, knots x, knots y)
MAPS: dict[str, tuple[str, list[float], list[float]]] = {
    "premium_share": ("products", [0.0, 0.05, 0.20], [0.0, 50.0, 100.0]),
    "premium_share_trend_pp": ("products", [-5.0, 0.0, 5.0], [0.0, 50.0, 100.0]),
    "premium_product_ns": ("products", [-50.0, 0.0, 50.0], [0.0, 50.0, 100.0]),
    "premium_ns": ("users", [-50.0, 0.0, 50.0], [0.0, 50.0, 100.0]),
    "premium_sov_vs_parity": ("users", [0.0, 1.0, 2.0], [0.0, 50.0, 100.0]),
    "touchpoint_spread": ("brand_system", [0.0, 20.0, 60.0], [100.0, 70.0, 0.0]),
    "persona_share": ("brand_system", [0.0, 0.1, 0.5], [100.0, 80.0, 0.0]),
    "controversy_load": ("brand_system", [0.0, 0.2, 0.6], [100.0, 60.0, 0.0]),
}
ELEMENTS = ("products", "users", "brand_system")


#: Elements (products, users, brand_system) with data that overall needs: one alone read as
#: the whole score ("overall 88" beside products and users "–").
MIN_ELEMENTS = 2


def score(component: str, value: float | None) -> float | None:
    """Map one component's raw value to 0-100 (None when the value is missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    _, xs, ys = MAPS[component]
    return float(np.interp(value, xs, ys))


@dataclass(frozen=True)
class Windows:
    """The days the opinion components read: ``since``..``until`` (the last ``days`` =
    :data:`WINDOW_DAYS` days), controversy load ``controversy_since``..``until`` (the last
    ``controversy_days`` = ``[params] controversy_days``, metric 12's window); both start no
    earlier than the first day asked for."""

    since: dt.date
    until: dt.date
    days: int
    controversy_since: dt.date
    controversy_days: int


def windows(
    ws: Workspace, until: dt.date | None = None, first: dt.date | None = None
) -> Windows | None:
    """The scorecard's windows up to `until` (default: the last day with data), from `first`
    at the earliest; None when there is no data or `first` is after the end."""
    end = until or opinion._last_day(ws)
    if end is None or (first is not None and first > end):
        return None
    days = ws.config.params.controversy_days
    since = end - dt.timedelta(days=WINDOW_DAYS - 1)
    cl_since = end - dt.timedelta(days=days - 1)
    if first is not None:
        since, cl_since = max(since, first), max(cl_since, first)
    return Windows(since, end, WINDOW_DAYS, cl_since, days)


def raw_components(
    ws: Workspace, brand: str, until: dt.date | None = None, first: dt.date | None = None
) -> dict[str, Any]:
    """The raw component values for one brand (None where the data is missing); the opinion
    window is the last 90 days up to `until`, starting no earlier than `first`, controversy
    load's the last ``[params] controversy_days`` (:func:`windows`). A ``notes`` key (a list)
    says what a value leaves out."""
    w = windows(ws, until, first)
    if w is None:
        return {k: None for k in MAPS}
    since, end = w.since, w.until
    comp: dict[str, Any] = dict.fromkeys(MAPS)
    comp.update(_market(ws, brand, until))  # with "notes" when months were left out
    notes: list[str] = comp.pop("notes", [])
    comp.update(_premium_opinion(ws, brand, since, end, notes))
    tb = opinion.touchpoint_balance(ws, brand, since, end)
    if tb["spread"].notna().any():
        comp["touchpoint_spread"] = float(tb["spread"].dropna().iloc[0])
    comp["persona_share"] = _persona_share(ws, brand, since, end, notes)
    comp["controversy_load"] = _controversy_load(ws, brand, end, first, notes)
    if notes:
        comp["notes"] = notes
    return comp


def _premium_opinion(
    ws: Workspace, brand: str, since: dt.date, end: dt.date, notes: list[str]
) -> dict[str, float | None]:
    """Premium-segment NS, its share of voice vs parity and the premium product NS, each
    missing when its posts are thin (fewer than ``[params] min_posts``): a segment of 3 posts
    would score 0 or 100 on chance, and one element at 0 zeroes the geometric mean. A note
    in `notes` names what is left out."""
    need = ws.config.params.min_posts
    out: dict[str, float | None] = {}
    seg = opinion.segment_perception(ws, None, since, end, freq=None)
    prem = seg[(seg["brand"] == brand) & (seg["segment"] == "premium")]
    n_brands = max(1, seg["brand"].nunique())
    posts = int(prem["posts"].iloc[0]) if not prem.empty else 0
    if posts >= need:
        out["premium_ns"] = float(prem["ns"].iloc[0])
        out["premium_sov_vs_parity"] = float(prem["share_of_voice"].iloc[0]) * n_brands
    elif posts:
        notes.append(_thin_note(brand, "premium_ns and premium_sov_vs_parity", posts, need,
                                "premium-segment posts"))  # fmt: skip
    else:  # none at all: the users element is blank, and the reader needs to know why
        notes.append(_no_premium_note(ws, brand))
    n, ns = _premium_product_ns(ws, brand, since, end)
    if n >= need:
        out["premium_product_ns"] = ns
    elif n:
        notes.append(_thin_note(brand, "premium_product_ns", n, need,
                                "premium-segment posts about its products"))  # fmt: skip
    return out


def _no_premium_note(ws: Workspace, brand: str) -> str:
    """Why the premium-segment components are blank for a brand without any premium post:
    a workspace whose own ``[[segments]]`` name no ``premium`` rule (``gamers`` and ``mass``
    alone) puts no post there; else, when no product of it is priced at the premium
    threshold, that is the usual cause."""
    note = (f"{brand}: premium_ns, premium_sov_vs_parity and premium_product_ns left out: no "
            "premium-segment posts in the window")  # fmt: skip
    if "premium" not in ws.config.segment_names():
        return f"{note} (no [[segments]] rule is named premium)"
    if _has_premium_product(ws, brand):
        return note
    return f"{note} (no product of {brand} is priced at or above [price_bands] premium_from)"


def _has_premium_product(ws: Workspace, brand: str) -> bool:
    """Whether a configured product of `brand` has a list price (any price step) at or above
    its category's ``[price_bands] premium_from``."""
    start = ws.config.price_bands.premium_from
    return any(
        price >= start[p.category]
        for p in ws.config.products
        if p.brand == brand and p.category in start
        for price in [p.price, *(q.price for q in p.prices)]
        if price is not None
    )


def _thin_note(brand: str, what: str, n: int, need: int, of: str) -> str:
    return (f"{brand}: {what} left out: {n} {of} in the window, fewer than {need} "
            "([params] min_posts)")  # fmt: skip


def _persona_share(
    ws: Workspace, brand: str, since: dt.date, end: dt.date, notes: list[str]
) -> float | None:
    """Persona share of voice; missing (with a note) for a brand with no configured persona,
    whose share of 0 says nothing about founder dependence and would score 100."""
    if not any(p.brand == brand for p in ws.config.personas):
        notes.append(f"{brand}: persona_share left out: no [[personas]] configured for {brand}")
        return None
    ps = founder.persona_share(ws, brand, since, end)
    return None if ps.empty else float(ps["persona_share"].iloc[0])


def _controversy_load(
    ws: Workspace, brand: str, end: dt.date, first: dt.date | None, notes: list[str]
) -> float | None:
    """Controversy load (metric 12); missing, with a note, when no theme is flagged
    ``controversy = true``: the load is then 0 by construction and would score 100. Missing
    too when the brand has no negative post in its window (no load to measure)."""
    if not any(t.controversy for t in ws.config.effective_themes()):
        notes.append(f"{brand}: controversy_load left out: no theme is flagged controversy = "
                     "true; flag the [[themes]] that are controversies (safety, scandals)")  # fmt: skip
        return None
    cl = opinion.controversy_load(ws, brand, end, since=first)
    if cl.empty or not cl["negative"].iloc[0] > 0:
        days = ws.config.params.controversy_days
        notes.append(f"{brand}: controversy_load left out: no negative post about {brand} in "
                     f"its window ([params] controversy_days = {days}, up to {end})")  # fmt: skip
        return None
    return float(cl["load"].iloc[0])


def _premium_product_ns(
    ws: Workspace, brand: str, since: dt.date, end: dt.date
) -> tuple[int, float | None]:
    """Premium-segment posts about the brand's products, and their NS (None without any)."""
    df = aggregates.segment_labels(
        ws.store.con, brand, "product", "premium", since, end, types_sql()
    )
    n = df["n"].iloc[0]
    if not n or pd.isna(n):
        return 0, None
    return int(n), float(100.0 * (df["p"].iloc[0] - df["m"].iloc[0]) / n)


def _market(ws: Workspace, brand: str, until: dt.date | None) -> dict[str, Any]:
    """Premium-band share over the latest 12 months (up to `until`) and its change vs the
    12 months before, over the months whose premium-band market units are known (a month
    without them would add the brand's units and no market); ``notes`` names those left out."""
    from brandhalo.analytics.market import premium_mix

    try:
        mix = premium_mix(ws, brand=brand, freq="month")
    except Exception:  # noqa: BLE001 - market data absent or unreadable: component missing
        return {}
    if mix.empty or "premium_units" not in mix:
        return {}
    mix = mix.assign(start=pd.to_datetime(mix["period_start"]))
    if until is not None:  # as of `until`: no later month counts
        mix = mix[mix["start"] <= pd.Timestamp(until)]
    if mix.empty:
        return {}
    last = mix["start"].max()
    cur = mix[mix["start"] > last - pd.DateOffset(months=12)]
    prev = mix[(mix["start"] <= last - pd.DateOffset(months=12))
               & (mix["start"] > last - pd.DateOffset(months=24))]  # fmt: skip
    s_cur, s_prev = _premium_share(cur), _premium_share(prev)
    out: dict[str, Any] = {"premium_share": s_cur}
    if s_cur is not None and s_prev is not None:
        out["premium_share_trend_pp"] = 100.0 * (s_cur - s_prev)
    left_out = _without_market(pd.concat([prev, cur]) if s_prev is not None else cur)
    if left_out:
        out["notes"] = [_left_out_note(brand, left_out)]
    return out


def _known_market(mix: pd.DataFrame) -> pd.Series:
    """Rows whose premium-band market units are present and above 0."""
    return mix["premium_market_units"].fillna(0) > 0


def _premium_share(mix: pd.DataFrame) -> float | None:
    """Brand premium units / market premium units over the rows with market units."""
    known = mix[_known_market(mix)]
    den = float(known["premium_market_units"].sum())
    return float(known["premium_units"].sum()) / den if den > 0 else None


def _without_market(mix: pd.DataFrame) -> list[str]:
    """The months (YYYY-MM) with a row the premium share leaves out, in order."""
    return sorted({d.strftime("%Y-%m") for d in mix.loc[~_known_market(mix), "start"]})


def _left_out_note(brand: str, months: list[str]) -> str:
    shown = ", ".join(months[:6]) + (", ..." if len(months) > 6 else "")
    return (f"{brand}: premium_share and its trend leave out {shown}: no market units of the "
            "premium bands there to compare the brand's premium units with; ingest the "
            "missing market rows")  # fmt: skip


def geometric_mean(values: list[float]) -> float:
    """The geometric mean of scores 0-100; exactly 0.0 when one is 0 (not 0.000204 from a
    floor on the logarithm).

    >>> geometric_mean([0.0, 41.6]), round(geometric_mean([25.0, 100.0]), 6)
    (0.0, 50.0)
    """
    if min(values) <= 0:
        return 0.0
    return float(np.exp(np.mean(np.log(values))))


def scorecard(
    ws: Workspace,
    brand: str | None = None,
    until: dt.date | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """One row per brand: raw components, their scores, the three elements and overall.

    `since` cuts the opinion window (the last 90 days up to `until`) to start no earlier;
    a window with no day left scores nothing (every component missing). ``attrs["notes"]``
    names the months the premium share leaves out (no market units there).
    """
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for b in [brand] if brand else [x.name for x in ws.config.brands]:
        raw = raw_components(ws, b, until, since)
        notes += raw.pop("notes", [])
        row: dict[str, Any] = {"brand": b}
        elements: dict[str, list[float]] = {e: [] for e in ELEMENTS}
        for name, value in raw.items():
            s = score(name, value)
            row[name] = value
            row[f"{name}_score"] = s
            if s is not None:
                elements[MAPS[name][0]].append(s)
        for e, vals in elements.items():
            row[e] = float(np.mean(vals)) if vals else None
        present = [row[e] for e in ELEMENTS if row[e] is not None]
        row["overall"] = geometric_mean(present) if len(present) >= MIN_ELEMENTS else None
        if present and len(present) < MIN_ELEMENTS:  # one element read as the whole score
            scored = ", ".join(e for e in ELEMENTS if row[e] is not None)
            notes.append(
                f"{b}: overall left out: only {scored} of products, users, brand_system "
                f"has data (overall needs {MIN_ELEMENTS})"
            )
        rows.append(row)
    df = pd.DataFrame(rows)
    df.attrs["notes"] = notes
    return df
