"""Separation index (DESIGN metric 5): business momentum vs perception, monthly.

``SI_m = z(BM_m) - z(PI_m)``. BM_m comes from :func:`brandhalo.analytics.market.business_momentum`
(metric 4); PI_m is the monthly mean of the daily perception index PI_t (metric 3) in a month
with posts. Both z-scores are expanding-window z-scores over the same months — those where BM
is reported and the brand has posts — using all such months up to and including m (mean and
sample std, ddof 1), reported from the ``separation_min_months``-th (12) month on. Positive
SI: business runs ahead of perception (the seed's "separation"); ``|SI| >= separation_flag``
(2.0) is flagged.

Why 12 and 2.0 (checked against the simulator's planted truth, tests/signals): with n months
an expanding z is bounded by (n - 1) / sqrt(n), so 6 months give jumpy z-scores (and a year
spans the seasons); SI is the difference of two z-scores, whose spread is about sqrt(2) when
business and perception move independently, so 1.5 flagged about a quarter of ordinary months.
At 6 / 1.5 the seed demo flagged five 2024 months where nothing was planted; at 12 / 2.0 none
(seeds 3, 7, 11), while the planted spring-2025 separation (SI 2.2 to 3.5) is still flagged.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from brandhalo.analytics._common import (
    POST_TYPES,
    brand_names,
    current_types,
    last_full_month,
)
from brandhalo.analytics.opinion import daily_pi
from brandhalo.workspace import Workspace

METRIC_VERSION = "1.0"


def expanding_z(x: np.ndarray, min_points: int) -> np.ndarray:
    """z of each value against all values up to it (NaN before `min_points` or when sd = 0)."""
    out = np.full(len(x), np.nan)
    for i in range(len(x)):
        if i + 1 >= min_points:
            w = x[: i + 1]
            sd = float(np.std(w, ddof=1))
            if sd > 0:
                out[i] = (x[i] - float(np.mean(w))) / sd
    return out


def monthly_pi(ws: Workspace, brand: str | None = None) -> pd.DataFrame:
    """PI_m per brand and month ('YYYY-MM'), for the months with at least one post.

    A month without posts (a gap in the collection) has no perception of its own: PI_t only
    carries the last value through it, so it gets no PI_m and no separation index.
    """
    df = daily_pi(ws, brand=brand)
    if df.empty:
        return pd.DataFrame(columns=["brand", "month", "pi"])
    df = df.assign(month=pd.to_datetime(df["day"]).dt.strftime("%Y-%m"))
    out = df.groupby(["brand", "month"], as_index=False).agg(
        pi=("pi", "mean"), posts=("posts", "sum")
    )
    return out[out["posts"] > 0][["brand", "month", "pi"]].reset_index(drop=True)


def separation_index(
    ws: Workspace,
    brand: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """SI per brand x month with its parts, the flag, and why a month is not reported.

    `until` keeps the months that end on or before it (see :func:`last_full_month`); every
    value of a kept month uses only its own and earlier months (expanding z-scores).
    """
    from brandhalo.analytics.market import business_momentum

    bm = business_momentum(ws, brand=brand)
    pi = monthly_pi(ws, brand)
    p = ws.config.params
    bm = bm[bm["reported"].astype(bool)][["brand", "month", "bm"]] if not bm.empty else bm
    rows = []
    for b in brand_names(ws, brand):
        g = (
            pd.merge(
                bm[bm["brand"] == b][["month", "bm"]]
                if not bm.empty
                else pd.DataFrame(columns=["month", "bm"]),
                pi[pi["brand"] == b][["month", "pi"]],
                on="month",
                how="inner",
            )
            .dropna()
            .sort_values("month")
        )
        if g.empty:
            continue
        zb = expanding_z(g["bm"].to_numpy(float), p.separation_min_months)
        zp = expanding_z(g["pi"].to_numpy(float), p.separation_min_months)
        g = g.assign(brand=b, z_bm=zb, z_pi=zp, si=zb - zp)
        rows.append(g)
    cols = ["brand", "month", "bm", "pi", "z_bm", "z_pi", "si", "flag", "reported"]
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.concat(rows, ignore_index=True)
    out["reported"] = out["si"].notna()
    out["flag"] = out["si"].abs() >= p.separation_flag
    if since is not None:
        out = out[out["month"] >= since.strftime("%Y-%m")]
    if until is not None:
        out = out[out["month"] <= last_full_month(until)]
    return out[cols].reset_index(drop=True)


def _month_after(month: str, n: int) -> str:
    """The month ``n`` months after ``month`` (``'2025-05'``, 11 -> ``'2026-04'``)."""
    y, m = (int(x) for x in month.split("-"))
    k = y * 12 + m - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def _what_to_add(ws: Workspace, brand: str, bm: pd.DataFrame) -> str:
    """Which side starts later, as the data to add: posts of the months before the first
    month with posts, or sales before the first month with momentum (which comes
    ``momentum_min_points`` growth values after the first growth value, itself 6 months of
    sales, or the month a year before, after the sales start)."""
    reported = bm.loc[bm["reported"].astype(bool), "month"]
    posts = monthly_pi(ws, brand)["month"]
    if reported.empty or posts.empty:
        return ""
    first_bm, first_pi = str(reported.min()), str(posts.min())
    if first_pi > first_bm:
        return (f"; its posts start in {first_pi}, its business momentum in {first_bm}: "
                f"ingest posts about {brand} from before {first_pi}")  # fmt: skip
    if first_bm > first_pi:
        sold = bm.loc[bm["units"].notna(), "month"] if "units" in bm.columns else reported
        first_sales = str(sold.min()) if len(sold) else first_bm
        points = ws.config.params.momentum_min_points
        return (f"; its business momentum starts in {first_bm}, its posts in {first_pi}: its "
                f"sales start in {first_sales}, and momentum needs 6 months of sales (or the "
                f"month a year before) for a first growth value, then {points} growth values "
                "([params] momentum_min_points) for a z-score; ingest sales of "
                f"{brand} from before {first_sales}, or lower [params] momentum_min_points "
                "and separation_min_months, to see it sooner")  # fmt: skip
    return f"; both start in {first_bm}: ingest earlier posts and sales of {brand}"


def _first_value(ws: Workspace, brand: str, si: pd.DataFrame, bm: pd.DataFrame, need: int) -> str:
    """When the first separation value comes if sales and posts keep coming every month:
    month `need` of those with both momentum and posts."""
    if len(si):
        last = str(si["month"].iloc[-1])
        return (f"; its first value comes in {_month_after(last, need - len(si))} if sales "
                "and posts keep coming every month")  # fmt: skip
    reported = bm.loc[bm["reported"].astype(bool), "month"]
    posts = monthly_pi(ws, brand)["month"]
    if reported.empty or posts.empty:
        return ""
    start = max(str(reported.min()), str(posts.min()))
    return (f"; its first value comes in {_month_after(start, need - 1)} if sales and posts "
            "keep coming every month")  # fmt: skip


def why_not_reported(ws: Workspace, brand: str) -> str | None:
    """Why `brand` (a configured name) has no reported separation month; None when it has one.

    Names the missing side first: no sales or financials rows of the brand, no posts about it,
    business momentum not reported yet, or too few months with both (with how many it has).
    """
    from brandhalo.analytics.market import business_momentum

    si = separation_index(ws, brand)
    if si["reported"].any():
        return None
    bm = business_momentum(ws, brand=brand)
    if bm.empty:
        return (
            f"no sales or financials rows for {brand}: the separation index compares its "
            f"business momentum with its perception; ingest a sales file with {brand} rows "
            "(brandhalo ingest sales FILE)"
        )
    if monthly_pi(ws, brand).empty:
        if set(current_types()) != set(POST_TYPES):  # posts there, but none of these types
            from brandhalo.analytics.events import no_posts_reason

            return no_posts_reason().replace("the brand", brand, 1)
        return (
            f"no analyzed posts about {brand}: add the names people write for it to its aliases "
            "in brandhalo.toml, or ingest posts that mention it, then run brandhalo analyze"
        )
    if not bm["reported"].astype(bool).any():
        return (
            f"business momentum of {brand} is not reported in any month yet (usually too short "
            f"a sales history); brandhalo market momentum --brand {_arg(brand)} says why"
        )
    months, need = len(si), ws.config.params.separation_min_months
    if months < need:
        span = f"{si['month'].iloc[0]} to {si['month'].iloc[-1]}" if months else "none"
        return (
            f"{brand} has {months} months with both business momentum and posts ({span}); the "
            f"separation index is reported from month {need} on ([params] separation_min_months)"
            + _first_value(ws, brand, si, bm, need)
            + _what_to_add(ws, brand, bm)
        )
    return (
        f"{brand}'s business momentum or perception index does not vary over its {months} "
        "months, so neither has a z-score"
    )


def _arg(value: str) -> str:
    """`value` as typed on a command line (quoted when it holds a space: ``"Li Auto"``)."""
    return f'"{value}"' if any(c.isspace() for c in value) else value
