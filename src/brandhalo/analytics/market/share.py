"""Price-band share and premium mix (DESIGN metric 6).

``share(brand, band, period) = brand units in band / market units in band``. The market
units come from the ``market`` table when it holds the category; otherwise from the sum over
all brands in the sales table, and every row says which in its ``basis`` column. Band
``all`` is the category as a whole (rows without a price included); its market total is the
market table's category total (or the sum of its bands), else the sales totals rows
('合计', 'market total'), else the sum over brands.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from brandhalo.analytics.market import measure as _measure
from brandhalo.analytics.market import select as _sel
from brandhalo.analytics.market.result import (
    BASIS_BRANDS,
    BASIS_MARKET,
    BASIS_TOTALS,
    finish,
)

if TYPE_CHECKING:
    import pandas as pd

    from brandhalo.analytics.market.daily import MarketData
    from brandhalo.analytics.market.measure import Measure
    from brandhalo.workspace import Workspace

# Brand units (or revenue: ``{v}`` is the day-level column of the measure) per period,
# category and band; rows without the measure are in none (the notes count them).
_BRAND_UNITS = """
CREATE OR REPLACE TEMP TABLE bh_bu AS
SELECT p.period, d.category, d.brand, d.band, sum(d.{v}) AS units
FROM bh_sd d JOIN bh_pday p ON p.day = d.day
WHERE d.counted AND d.category IS NOT NULL AND d.band IS NOT NULL AND d.{v} IS NOT NULL
GROUP BY ALL
UNION ALL
SELECT p.period, d.category, d.brand, 'all', sum(d.{v})
FROM bh_sd d JOIN bh_pday p ON p.day = d.day
WHERE d.counted AND d.category IS NOT NULL AND d.{v} IS NOT NULL
GROUP BY ALL
"""

# The market table's days of the measure (a market file of units only is no revenue market).
_MARKET_MEASURE = """
CREATE OR REPLACE TEMP TABLE bh_mdm AS
SELECT day, category, band, region, {v} AS u FROM bh_md WHERE {v} IS NOT NULL
"""

# Denominators per (period, category, band) with their basis and the days they cover.
_MARKET_UNITS = f"""
CREATE OR REPLACE TEMP TABLE bh_mu AS
WITH mt AS (
  SELECT p.period, m.category, m.band, sum(m.u) AS units, count(DISTINCT m.day) AS days
  FROM bh_mdm m JOIN bh_pday p ON p.day = m.day
  WHERE m.band IS NOT NULL AND m.band <> 'all' GROUP BY ALL
), mt_all AS (
  SELECT p.period, m.category, sum(m.u) FILTER (WHERE m.band = 'all') AS u_total,
         count(DISTINCT m.day) FILTER (WHERE m.band = 'all') AS d_total,
         sum(m.u) FILTER (WHERE m.band IS DISTINCT FROM 'all') AS u_bands,
         count(DISTINCT m.day) FILTER (WHERE m.band IS DISTINCT FROM 'all') AS d_bands
  FROM bh_mdm m JOIN bh_pday p ON p.day = m.day GROUP BY ALL
), st AS (
  SELECT period, category, band, sum(units) AS units FROM bh_bu GROUP BY ALL
), tot AS (
  SELECT p.period, d.category, sum(d.{{v}}) AS units, count(DISTINCT d.day) AS days
  FROM bh_sd d JOIN bh_pday p ON p.day = d.day
  WHERE d.kind = 'market_total' AND d.category IS NOT NULL AND d.{{v}} IS NOT NULL
  GROUP BY ALL
)
SELECT period, category, band, units, days, '{BASIS_MARKET}' AS basis FROM mt
UNION ALL
SELECT period, category, 'all',
       CASE WHEN d_total > 0 THEN u_total ELSE u_bands END,
       CASE WHEN d_total > 0 THEN d_total ELSE d_bands END, '{BASIS_MARKET}' FROM mt_all
UNION ALL
SELECT st.period, st.category, st.band,
       CASE WHEN st.band = 'all' AND tot.units IS NOT NULL THEN tot.units ELSE st.units END,
       CASE WHEN st.band = 'all' AND tot.units IS NOT NULL THEN tot.days END,
       CASE WHEN st.band = 'all' AND tot.units IS NOT NULL THEN '{BASIS_TOTALS}'
            ELSE '{BASIS_BRANDS}' END
FROM st LEFT JOIN tot USING (period, category)
WHERE st.category NOT IN (SELECT DISTINCT category FROM bh_mdm)
"""

_SHARE = """
WITH grid AS (
  SELECT b.period, b.category, b.brand, k.band, k.band_ord, k.premium
  FROM (SELECT DISTINCT period, category, brand FROM bh_bu) b
  JOIN (SELECT category, band, band_ord, premium FROM bh_bands
        UNION ALL SELECT DISTINCT category, 'all', 999, false FROM bh_bu) k USING (category)
)
SELECT g.period, p.pstart AS period_start, p.pend AS period_end, p.partial,
       p.through, g.category, g.band,
       g.band_ord, g.premium, g.brand, coalesce(bu.units, 0) AS units, mu.units AS market_units,
       mu.days AS market_days, p.days AS period_days, coalesce(mu.basis, {dflt}) AS basis
FROM grid g
JOIN bh_periods p USING (period)
LEFT JOIN bh_bu bu USING (period, category, brand, band)
LEFT JOIN bh_mu mu USING (period, category, band)
"""


def _share_frame(data: MarketData, measure: Measure = "units") -> pd.DataFrame:
    """Brand x band shares of `measure` (its columns say ``units`` and ``market_units``
    whatever the measure; :func:`~brandhalo.analytics.market.measure.named` renames them)."""
    import numpy as np

    v = _measure.DAY_COLUMN[measure]
    data.con.execute(_BRAND_UNITS.format(v=v))
    data.con.execute(_MARKET_MEASURE.format(v=v))
    data.con.execute(_MARKET_UNITS.format(v=v))
    dflt = (
        "CASE WHEN g.category IN (SELECT DISTINCT category FROM bh_mdm) "
        f"THEN '{BASIS_MARKET}' ELSE '{BASIS_BRANDS}' END"
    )
    df = data.df(_SHARE.format(dflt=dflt))
    partial = df["market_days"].notna() & (df["market_days"] < df["period_days"])
    empty = df["market_units"].isna() | (df["market_units"] <= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        df["share"] = np.where(partial | empty, np.nan, df["units"] / df["market_units"])
    df["market_partial"] = partial & ~empty
    df["reason"] = None
    df.loc[empty, "reason"] = f"no market {measure} in this band and period"
    df.loc[partial & ~empty, "reason"] = (
        "market data cover "
        + df["market_days"].astype("Int64").astype(str)
        + " of "
        + df["period_days"].astype(str)
        + " days"
    )
    return df


# A brand's store count per period and category: at the last period end inside the period
# (through its last day counted) that gives one, summed over the rows of a product (regions
# that no national row covers), the largest over its products (a file by model gives each
# model's stores, which overlap; a brand's totals row, or a store-count file's row, gives them
# all). A row without a category (a store-count file of 品牌, 月份, 门店数) is the brand's only
# category in the sales rows, else ``?`` (the workspace's only category; NULL: none).
_STORES = """
WITH one AS (
  SELECT brand, any_value(category) AS category FROM bh_rows
  WHERE brand IS NOT NULL AND category IS NOT NULL AND kind <> 'market_total'
  GROUP BY brand HAVING count(DISTINCT category) = 1
), r AS (
  SELECT r.pe, r.brand, r.product, r.stores, coalesce(r.category, one.category, ?) AS category
  FROM bh_store_rows r LEFT JOIN one USING (brand)
  WHERE r.kind <> 'market_total' AND r.brand IS NOT NULL
), s AS (
  SELECT p.period, r.category, r.brand, r.product, r.pe, sum(r.stores) AS stores
  FROM r JOIN bh_periods p ON r.pe BETWEEN p.pstart AND p.through
  GROUP BY ALL
), last AS (
  SELECT period, category, brand, max(pe) AS pe FROM s GROUP BY ALL
)
SELECT s.period, s.category, s.brand, 'all' AS band, max(s.stores) AS stores,
       s.pe AS stores_as_of
FROM s JOIN last ON last.period = s.period AND last.brand = s.brand AND last.pe = s.pe
 AND last.category IS NOT DISTINCT FROM s.category
GROUP BY ALL
"""


def _only_category(data: MarketData) -> str | None:
    """The category of the workspace when there is one: the config's products and
    [price_bands] name one, or (without them) the sales rows have one; else None."""
    from brandhalo.analytics.market.daily import known_categories

    known = known_categories(data.config)
    if not known:
        known = {c for (c,) in data.con.execute(
            "SELECT DISTINCT category FROM bh_rows WHERE category IS NOT NULL"
        ).fetchall()}  # fmt: skip
    return next(iter(known)) if len(known) == 1 else None


def _with_stores(data: MarketData, share: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """`share` with the brands' store counts (``stores``, ``stores_as_of``) on band ``all``,
    when a sales row gives one; unchanged otherwise. ``frame.attrs["notes"]`` names the
    counts no row shows: those without a category (none in the file, and neither the brand's
    sales rows nor the config give one), and those of a brand, period and category with no
    sales of `measure` (no share row to show them on)."""
    stores = data.df(_STORES, [_only_category(data)])
    if not len(stores):
        return share
    loose = stores[stores["category"].isna()]
    stores = stores[stores["category"].notna()]
    keys = ["period", "category", "brand", "band"]
    out = share.merge(stores, on=keys, how="left")
    alone = stores.merge(share[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    alone = alone[alone["_merge"] == "left_only"]
    notes = _loose_stores_note(data, loose) + _alone_stores_note(alone, measure, share.empty)
    if notes:
        out.attrs["notes"] = notes
    return out


def _alone_stores_note(alone: pd.DataFrame, measure: Measure, empty: bool) -> list[str]:
    """The store counts of brands and periods without sales of `measure` (`alone`; none at
    all: `empty`, which the measure's own note explains)."""
    if empty or not len(alone):
        return []
    by_brand = alone.groupby("brand")["period"].agg(lambda p: sorted(map(str, p)))
    shown = "; ".join(
        f"{b} {', '.join(ps[:4])}{', ...' if len(ps) > 4 else ''}" for b, ps in by_brand.items()
    )
    return [
        f"store counts without sales {measure} of the brand in the period are on no row: "
        f"{shown}; ingest those sales rows (or ask with the other --measure)"
    ]


def _loose_stores_note(data: MarketData, loose: pd.DataFrame) -> list[str]:
    """What to add for store counts that no category holds (`loose`: their rows)."""
    if not len(loose):
        return []
    from brandhalo.analytics.market.daily import known_categories

    brands = ", ".join(sorted({str(b) for b in loose["brand"]}))
    cats = sorted(known_categories(data.config)) or sorted(
        str(c) for (c,) in data.con.execute(
            "SELECT DISTINCT category FROM bh_rows WHERE category IS NOT NULL"
        ).fetchall()
    )  # fmt: skip
    target = cats[0] if len(cats) == 1 else "CATEGORY"
    which = f" (CATEGORY one of {', '.join(cats)})" if len(cats) > 1 else ""
    return [
        f"the store counts (门店数) of {brands} have no category, and neither the brand's sales "
        "rows nor the config give one, so this table (per category) shows them on no row: "
        f"ingest their file again with --map \"category='{target}'\" --replace{which}, or "
        "ask with --category NAME"
    ]


def _share_inputs(
    ws: Workspace,
    brand: str | None,
    category: str | None,
    since: dt.date | None,
    until: dt.date | None,
    freq: str,
    region: str | None,
    measure: Measure | None,
    stores: bool = False,
) -> _sel.SalesInputs:
    """The brand x band share frame of :func:`band_share` and :func:`premium_mix`, a partial
    period compared over the same days (:func:`~brandhalo.analytics.market.select.sales_inputs`);
    with `stores`, the brands' store counts too."""

    def build(data: MarketData, used: Measure) -> pd.DataFrame:
        frame = _share_frame(data, used)
        return _with_stores(data, frame, used) if stores else frame

    return _sel.sales_inputs(
        ws, build, brand=brand, category=category, since=since, until=until, freq=freq,
        compare_same_days=True, region=region, measure=measure, market=True,
    )  # fmt: skip


def band_share(
    ws: Workspace,
    *,
    brand: str | None = None,
    category: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str = "month",
    region: str | None = None,
    measure: Measure | None = "units",
) -> pd.DataFrame:
    """Brand share of market units (or revenue) per price band and period, with trends.

    Args:
        ws: the workspace.
        brand: only this brand (any alias); all brands when None.
        category: only this category (``phone``, ``手机``); all when None.
        since, until: report the periods overlapping this window (with ``freq='year'`` and
            both given: the window is one period).
        freq: ``month``, ``quarter`` or ``year``.
        region: only the rows of this region (a file of US and EU rows); all when None.
        measure: ``units`` (volume share) or ``revenue`` (value share, 销售额份额: the columns
            are ``revenue`` and ``market_revenue``); None: units, unless the sales rows give
            revenue and no units (:mod:`brandhalo.analytics.market.measure`).

    Returns:
        One row per period x category x band (and ``all``) x brand: units, market_units,
        share, share_prev / change_prev (vs the previous period), share_yoy / change_yoy
        (vs the same period a year before), basis, reason (why a share is empty),
        ``partial`` and ``through`` (the last day counted); ``stores`` and ``stores_as_of``
        on band ``all`` when a sales row gives a store count. A partial period (cut by
        `until`, or the data end inside it) is compared with the same days of the previous
        period and of the year before, not with those whole periods; a note names the days.
        ``frame.attrs`` holds metric, metric_version, basis, notes and params (``measure``:
        the one used).
    """
    got = _share_inputs(ws, brand, category, since, until, freq, region, measure, stores=True)
    used = got.params["measure"]
    if got.frame is None:
        empty = _measure.named(_empty_share(), used)
        return finish(empty, "band_share", BASIS_BRANDS, got.notes, got.params)
    df = got.select(got.frame, ["category", "band", "brand"], "share")
    df = df.sort_values(["category", "period", "brand", "band_ord"]).drop(
        columns=["band_ord", "market_days", "period_days", "market_partial"]
    )
    return finish(_measure.named(df, used), "band_share", None, got.notes, got.params)


def premium_mix(
    ws: Workspace,
    *,
    brand: str | None = None,
    category: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    freq: str = "month",
    region: str | None = None,
    measure: Measure | None = "units",
) -> pd.DataFrame:
    """Premium mix per brand, category and period: units in premium bands / priced units.

    The premium threshold is ``[price_bands] premium_from`` per category. Units without a
    price are left out of both sides (they are reported in the notes). Trend columns as in
    :func:`band_share` (``change_prev``, ``change_yoy``) plus the brand's premium-band share
    of the market (``premium_share``). `measure` as in :func:`band_share`: with
    ``revenue``, the mix of revenue (``priced_revenue``, ``premium_revenue``).
    """
    got = _share_inputs(ws, brand, category, since, until, freq, region, measure)
    used = got.params["measure"]
    if got.frame is None:
        empty = _measure.named(_empty_share(), used)
        return finish(empty, "premium_mix", BASIS_BRANDS, got.notes, got.params)
    notes = [*got.notes, *_gap_note(got.frame, got.keep)]
    df = got.select(mix_from_share(got.frame), ["category", "brand"], "premium_mix")
    df = df.sort_values(["category", "period", "brand"])
    return finish(_measure.named(df, used), "premium_mix", None, notes, got.params)


def _premium_gap(share: pd.DataFrame) -> pd.Series:
    """Premium-band rows whose market units do not cover the brand's: the market data cover
    part of the period, or the brand sold in a band the market rows leave out."""
    lacking = share["market_units"].isna() & (share["units"] > 0)
    return share["premium"].astype(bool) & (share["market_partial"].astype(bool) | lacking)


def _gap_note(share: pd.DataFrame, keep: list[str]) -> list[str]:
    """Name the periods whose premium-band share is left empty for a market-data gap."""
    gap = share[_premium_gap(share) & share["period"].isin(keep) & (share["band"] != "all")]
    if gap.empty:
        return []
    periods = ", ".join(sorted(set(gap["period"].astype(str)))[:6])
    return [
        f"premium_share is empty in {periods}: the market rows of the premium bands do not "
        "cover the whole period (or leave out a band the brand sold in), so the brand's "
        "premium units there have no market to compare with; ingest the missing market rows"
    ]


def mix_from_share(share: pd.DataFrame) -> pd.DataFrame:
    """Premium mix and premium-band market share from a band-share frame.

    ``premium_share`` and ``premium_market_units`` are NaN where a premium band's market
    units do not cover the period (:func:`_premium_gap`): a partial denominator would
    overstate the share.
    """
    import numpy as np

    banded = share[share["band"] != "all"].copy()
    banded["premium_units"] = np.where(banded["premium"], banded["units"], 0.0)
    banded["premium_market"] = np.where(banded["premium"], banded["market_units"], 0.0)
    banded["premium_gap"] = _premium_gap(banded)
    keys = ["period", "period_start", "period_end", "partial", "through", "category", "brand",
            "basis"]  # fmt: skip
    g = banded.groupby(keys)
    out = g.agg(
        priced_units=("units", "sum"),
        premium_units=("premium_units", "sum"),
        premium_market_units=("premium_market", "sum"),
        premium_gap=("premium_gap", "any"),
    ).reset_index()
    out.loc[out["premium_gap"], "premium_market_units"] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        out["premium_mix"] = np.where(
            out["priced_units"] > 0, out["premium_units"] / out["priced_units"], np.nan
        )
        out["premium_share"] = np.where(
            out["premium_market_units"] > 0,
            out["premium_units"] / out["premium_market_units"],
            np.nan,
        )
    return out.drop(columns=["premium_gap"])


def _empty_share() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        columns=["period", "period_start", "period_end", "partial", "through", "category",
                 "band", "brand", "units", "market_units", "share", "basis", "reason"]
    )  # fmt: skip
