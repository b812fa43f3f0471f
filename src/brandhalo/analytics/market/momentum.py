"""Business momentum (DESIGN metric 4), per brand and month.

``BM_m`` = mean of the available z-scores of three monthly components:

1. **units growth**: year over year (``u_m / u_{m-12} - 1``) when both months are fully
   reported, else the last 3 months over the 3 before (``sum(m-2..m) / sum(m-5..m-3) - 1``)
   when all six are; units are the brand's units over all categories.
2. **premium-band share change**: the brand's share of market units in premium bands
   (``>= premium_from``, summed over categories, market table else sum over brands) minus
   the same month a year before, else the mean of the last 3 months minus the mean of the
   3 before.
3. **revenue growth**: like units growth, on the brand's revenue from the financials table
   (all lines; quarters spread evenly over their days), else from sales (row revenue, else
   units x price).

Each component's z-score at month m uses the brand's own expanding history of that component
up to and including m: ``(x_m - mean) / std`` (sample std). It needs at least
``params.momentum_min_points`` (default 6) values, else that z is not reported. ``bm`` is
reported when at least one z is; ``reason`` says what is missing and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from brandhalo.analytics._common import last_full_month
from brandhalo.analytics.market import select as _sel
from brandhalo.analytics.market.daily import market_data
from brandhalo.analytics.market.result import finish
from brandhalo.store import market as market_store

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from brandhalo.analytics.market.daily import MarketData
    from brandhalo.workspace import Workspace

COMPONENTS = ("units_growth", "premium_share_change", "revenue_growth")
_NEEDS = {
    "units_growth": "needs the month a year before or 6 fully reported months",
    "premium_share_change": "needs premium-band shares a year before or for 6 months",
    "revenue_growth": "needs revenue a year before or for 6 fully reported months",
}
_LABELS = {
    "units_growth": "units growth",
    "premium_share_change": "premium-band share change",
    "revenue_growth": "revenue growth",
}


def _monthly(data: MarketData) -> pd.DataFrame:
    """Per brand and month: units (+ days reported), premium share, revenue (+ days); with a
    region (``data.region``) no financials revenue (the financials keep no region)."""
    from brandhalo.analytics.market import share as _share

    units = data.df(
        "SELECT p.period AS month, p.pstart, p.days AS period_days, d.brand, sum(d.u) AS units, "
        "count(DISTINCT d.day) AS units_days, sum(d.rev) AS sales_revenue "
        "FROM bh_sd d JOIN bh_pday p ON p.day = d.day "
        "WHERE d.counted GROUP BY ALL"
    )
    mix = _share.mix_from_share(_share._share_frame(data))
    # a category whose premium market units do not cover the month leaves the month empty
    prem = mix.groupby(["period", "brand"], as_index=False).agg(
        premium_units=("premium_units", "sum"),
        premium_market_units=("premium_market_units", lambda s: s.sum(skipna=False)),
    )
    prem["premium_share"] = prem["premium_units"] / prem["premium_market_units"].where(
        prem["premium_market_units"] > 0
    )
    market_store.stage_financial_days(data.con)
    fin = data.df(
        "SELECT p.period AS month, d.brand, sum(d.rev) AS fin_revenue, "
        "count(DISTINCT d.day) AS fin_days "
        "FROM bh_fd d JOIN bh_pday p ON p.day = d.day WHERE ?::VARCHAR IS NULL GROUP BY ALL",
        [data.region],
    )
    out = units.merge(
        prem[["period", "brand", "premium_share"]].rename(columns={"period": "month"}),
        on=["month", "brand"], how="outer",
    ).merge(fin, on=["month", "brand"], how="outer")  # fmt: skip
    return out


def _growth(values: Any, full: Any, ratio: bool) -> tuple[Any, Any]:
    """The YoY change and the 3-month over prior 3 months change of a month-indexed series
    (the component is the first where there is one, :func:`_component`)."""
    v = values.where(full)
    if ratio:
        yoy = v / v.shift(12).where(v.shift(12) > 0) - 1
        s3, p3 = v.rolling(3).sum(), v.shift(3).rolling(3).sum()
        m3 = s3 / p3.where(p3 > 0) - 1
    else:
        yoy = v - v.shift(12)
        m3 = v.rolling(3).mean() - v.shift(3).rolling(3).mean()
    return yoy, m3


def _component(yoy: Any, m3: Any, min_points: int) -> tuple[Any, ...]:
    """A component's value (YoY where there is one, else 3m/3m), its basis, and the z-score,
    points of history and std of the value over the brand's expanding history of it (every
    month's value, whichever its basis: DESIGN metric 4)."""
    import pandas as pd

    basis = pd.Series(None, index=yoy.index, dtype="object")
    basis[m3.notna()] = "3m/3m"
    basis[yoy.notna()] = "yoy"
    value = yoy.fillna(m3)
    return (value, basis, *_expanding_z(value, min_points))


def _expanding_z(x: Any, min_points: int) -> Any:
    """z of each value against the expanding history up to and including it."""
    import numpy as np

    n = x.notna().cumsum()
    mean = x.expanding(min_periods=1).mean()
    std = x.expanding(min_periods=2).std(ddof=1)
    z = (x - mean) / std.where(std > 0)
    return z.where((n >= min_points) & x.notna(), np.nan), n, std


def _brand_momentum(g: pd.DataFrame, min_points: int) -> pd.DataFrame:
    import numpy as np

    g = g.sort_values("pstart").set_index("month")
    full_u = g["units_days"] == g["period_days"]
    has_fin = g["fin_revenue"].notna().any()
    g["revenue"] = g["fin_revenue"] if has_fin else g["sales_revenue"]
    g["revenue_source"] = "financials" if has_fin else "sales"
    full_r = (g["fin_days"] == g["period_days"]) if has_fin else full_u
    changes = {
        "units_growth": _growth(g["units"], full_u, True),
        "premium_share_change": _growth(g["premium_share"], g["premium_share"].notna(), False),
        "revenue_growth": _growth(g["revenue"], full_r, True),
    }
    seen = g["units"].notna().cumsum().astype(int).astype(str)
    hist = seen + np.where(seen == "1", " month", " months") + " of history"
    why = []
    for comp in COMPONENTS:
        g[comp], g[f"{comp}_basis"], z, n, std = _component(*changes[comp], min_points)
        g[f"z_{comp}"] = z
        label = _LABELS[comp]
        why.append(
            np.select(
                [g[comp].isna(), n < min_points, z.isna() & ~(std > 0)],
                [
                    f"{label} not available ({_NEEDS[comp]}; " + hist + ")",
                    f"{label}: "
                    + n.astype(int).astype(str)
                    + f" of {min_points} points of history",
                    f"{label}: no variation in its history",
                ],
                default="",
            )
        )
    zs = g[[f"z_{c}" for c in COMPONENTS]]
    g["n_components"] = zs.notna().sum(axis=1)
    g["bm"] = zs.mean(axis=1, skipna=True)
    g["reported"] = g["n_components"] > 0
    g["reason"] = ["; ".join(x for x in parts if x) or None for parts in zip(*why, strict=True)]
    g.loc[~g["reported"], "reason"] = "not reported: " + g.loc[~g["reported"], "reason"]
    # a month inside the history with no rows at all: its own rows are missing, whatever a
    # component would need from the months around it
    gap = ~g["reported"] & g["units"].isna() & g["revenue"].isna()
    g.loc[gap, "reason"] = [
        f"not reported: no sales rows of {b} in {m} (a gap in its sales history: missing, not "
        "zero); ingest that month's sales"
        for b, m in zip(g.loc[gap, "brand"], g.index[gap], strict=True)
    ]
    return g.reset_index()


def business_momentum(
    ws: Workspace,
    brand: str | None = None,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    region: str | None = None,
) -> pd.DataFrame:
    """Monthly business momentum per brand (all brands when `brand` is None).

    `region`: only the sales (and market) rows of this region (``--region US``); revenue
    growth is then the region's sales revenue (the financials keep no region).

    `since` / `until` keep the months that overlap the window, less a month that `until` cuts
    short (its momentum reads the whole month's sales, after the "as of" day; the separation
    index leaves it out too); the z-scores still use the brand's whole history before them (a
    window does not restart the expanding history).

    Returns:
        DataFrame(brand, month, bm, units_growth, premium_share_change, revenue_growth,
        z_units_growth, z_premium_share_change, z_revenue_growth, n_components, reported,
        reason, units, premium_share, revenue, revenue_source, units_growth_basis,
        premium_share_change_basis, revenue_growth_basis).
        ``month`` is ``YYYY-MM``; ``bm`` is NaN where not reported.
    """
    from brandhalo.analytics.memo import cached

    full = cached(
        ("business_momentum", id(ws.store), brand, region), lambda: _momentum(ws, brand, region)
    )
    if since is None and until is None:
        return full
    lo = f"{since:%Y-%m}" if since else ""
    hi = last_full_month(until) if until else "9999-99"
    out = full[(full["month"] >= lo) & (full["month"] <= hi)].reset_index(drop=True)
    out.attrs = {**full.attrs, "params": {**full.attrs.get("params", {}), "since": since,
                                          "until": until}}  # fmt: skip
    return out


def _momentum(ws: Workspace, brand: str | None, region: str | None = None) -> pd.DataFrame:
    import pandas as pd

    min_points = ws.config.params.momentum_min_points
    params: dict[str, Any] = {"brand": brand, "min_points": min_points}
    if region is not None:
        params["region"] = region
    cols = ["brand", "month", "bm", *COMPONENTS, *(f"z_{c}" for c in COMPONENTS),
            "n_components", "reported", "reason", "units", "premium_share", "revenue",
            "revenue_source", *(f"{c}_basis" for c in COMPONENTS)]  # fmt: skip
    with market_data(ws, region=region) as data:
        b = _sel.resolve_brand(data, brand)
        fin_span = _fin_range(data)
        spans = [s for s in (_sel.day_range(data), None if region else fin_span) if s]
        if region is not None and fin_span:
            notes_region = [f"revenue growth is {region}'s sales revenue: the financials have "
                            "no region, so they are not read with --region"]  # fmt: skip
        else:
            notes_region = []
        notes = [*data.notes, *notes_region]
        if not spans:
            notes.append("no sales or financials rows in the store; ingest them first")
            return finish(pd.DataFrame(columns=cols), "business_momentum", None, notes, params)
        first, last = min(s[0] for s in spans), max(s[1] for s in spans)
        _sel.load_periods(data, "month", None, None, first, last)
        monthly = _monthly(data)
    monthly = monthly[monthly["brand"].notna()]
    if b:
        monthly = monthly[monthly["brand"] == b]
    frames = [
        _brand_momentum(_fill_months(g, name), min_points)
        for name, g in monthly.groupby("brand", sort=True)
    ]
    out = pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)
    return finish(out, "business_momentum", _basis(out), [*notes, *_season_note(out)], params)


def _months(months: list[str]) -> str:
    """``2025-06..2025-12`` for a run of months (``2025-06`` for one)."""
    return months[0] if len(months) == 1 else f"{months[0]}..{months[-1]}"


def _season_note(out: pd.DataFrame) -> list[str]:
    """Which comparison each brand's reported momentum reads, month by month: 3m/3m (the
    last 3 months over the 3 before: it rises and falls with the season) or YoY (the same
    month a year before: like for like), and that the first YoY months are z-scored against
    a history of 3m/3m months."""
    said: dict[str, list[str]] = {}
    mixed = False
    for brand, g in out.groupby("brand", sort=True):
        used = []
        for basis in ("3m/3m", "yoy"):
            hit = pd_any([g[f"z_{c}"].notna() & (g[f"{c}_basis"] == basis) for c in COMPONENTS])
            months = list(g.loc[hit, "month"].astype(str))
            if months:
                used.append(f"3m/3m {_months(months)}" if basis == "3m/3m"
                            else f"year over year from {months[0]}")  # fmt: skip
        mixed = mixed or len(used) == 2
        if used:
            said.setdefault(", ".join(used), []).append(str(brand))
    if not said:
        return []
    parts = " | ".join(f"{', '.join(brands)}: {text}" for text, brands in said.items())
    text = (
        f"momentum reads {parts} (the *_basis columns say which, month by month): year over "
        "year compares a month with the same month a year before (like for like), used "
        "wherever both months are reported; 3m/3m (the last 3 months over the 3 before) is "
        "all there is in a brand's first year, and rises and falls with the season in a "
        "seasonal category (a peak season reads as momentum, its end as a fall)"
    )
    if mixed:
        text += (
            "; the z-scores take the brand's whole history, so the first year-over-year "
            "months are set against 3m/3m months: read them with the season in mind until "
            "a year of year-over-year months has built up"
        )
    return [text]


def pd_any(masks: list[Any]) -> Any:
    """Element-wise OR of boolean Series of one index."""
    out = masks[0].copy()
    for m in masks[1:]:
        out = out | m
    return out


def _fill_months(g: pd.DataFrame, brand: str) -> pd.DataFrame:
    """Every month between the brand's first and last, so shifts are calendar shifts."""
    import pandas as pd

    g = g.copy()
    g["pstart"] = pd.to_datetime(g["month"] + "-01")
    months = pd.date_range(g["pstart"].min(), g["pstart"].max(), freq="MS")
    full = pd.DataFrame({"pstart": months})
    full["month"] = full["pstart"].dt.strftime("%Y-%m")
    full["period_days"] = full["pstart"].dt.days_in_month
    out = full.merge(g.drop(columns=["pstart", "period_days"]), on="month", how="left")
    out["brand"] = brand
    return out


def _fin_range(data: MarketData) -> tuple[Any, Any] | None:
    first, last = market_store.financials_span(data.con)
    return (first, last) if first is not None else None


def _basis(frame: pd.DataFrame) -> str:
    from brandhalo.analytics.market.result import BASIS_FINANCIALS, BASIS_SALES

    src = set(frame.get("revenue_source", []))
    return BASIS_SALES + (f" + {BASIS_FINANCIALS}" if "financials" in src else "")
