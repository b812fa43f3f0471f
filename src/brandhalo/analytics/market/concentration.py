"""Portfolio concentration (DESIGN metric 8, the seed's hit-product logic).

Per brand, category, band (and ``all``) and period, over the models the brand reports:
``top1_share`` and ``top3_share`` of the brand's units, and ``hhi = sum(s_i^2)`` over model
shares (0..1; 1 = one model sells everything, 1/n for n equal models). A model absent from a
period's rows is missing, not zero: it is not among ``n_models`` and does not lower the HHI.
Brand totals rows are not models and are left out. Nor is a price band: a file of units by
brand and band reads the band as the product (docs/input-formats.md), and the "HHI" of its bands
would be read as a model concentration; such a line has ``reason`` (not available) instead.

A brand-level question counts all of the brand's products: category ``all`` (band ``all``)
holds every model of the brand whatever its category, and models whose category is unknown
(no category column and a product the config does not know) are listed under
``uncategorised`` instead of being dropped.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from brandhalo.analytics.market import measure as _measure
from brandhalo.analytics.market import select as _sel
from brandhalo.analytics.market.result import BASIS_SALES, finish

if TYPE_CHECKING:
    import pandas as pd

    from brandhalo.analytics.market.daily import MarketData
    from brandhalo.analytics.market.measure import Measure
    from brandhalo.workspace import Workspace

_SQL = """
WITH mu AS (
  SELECT p.period, coalesce(d.category, 'uncategorised') AS category, d.brand,
         coalesce(d.band, '(no price)') AS band, d.product, sum(d.{v}) AS units,
         bool_or(d.product = d.band_label) AS is_band
  FROM bh_sd d JOIN bh_pday p ON p.day = d.day
  WHERE d.kind = 'model' AND d.{v} IS NOT NULL GROUP BY ALL
), both_levels AS (
  SELECT period, category, brand, band, product, units, is_band FROM mu
  WHERE band <> '(no price)'
  UNION ALL
  SELECT period, category, brand, 'all', product, sum(units), bool_or(is_band) FROM mu
  GROUP BY ALL
  UNION ALL
  SELECT period, 'all', brand, 'all', product, sum(units), bool_or(is_band) FROM mu
  GROUP BY ALL
), shares AS (
  SELECT *, units / sum(units) OVER g AS s,
         row_number() OVER (PARTITION BY period, category, brand, band
                            ORDER BY units DESC, product) AS rk
  FROM both_levels WHERE units > 0
  WINDOW g AS (PARTITION BY period, category, brand, band)
)
SELECT s.period, p.pstart AS period_start, p.pend AS period_end, p.partial, s.category, s.band,
       coalesce(b.band_ord, 999) AS band_ord, s.brand, sum(s.units) AS units,
       count(*) AS n_models, max(s.s) AS top1_share,
       sum(s.s) FILTER (WHERE s.rk <= 3) AS top3_share, sum(s.s * s.s) AS hhi,
       arg_max(s.product, s.s) AS top_model, bool_or(s.is_band) AS band_rows
FROM shares s JOIN bh_periods p USING (period)
LEFT JOIN bh_bands b ON b.category = s.category AND b.band = s.band
GROUP BY ALL
"""


def concentration(
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
    """Top-1 / top-3 model shares and HHI per brand, category, band and period.

    Returns one row per period x category x band (``all`` = every model of the category) x
    brand, plus category ``all`` (every model of the brand, categories known or not) and
    ``uncategorised`` (models without a known category), with units, n_models, top_model,
    top1_share, top3_share, hhi and their changes vs the previous period (``change_prev``)
    and a year before (``change_yoy``, on hhi). A period holding `until` counts its days
    through `until` only; ``partial`` marks a period that ends after the last day counted.
    `measure`: shares of ``units`` or of ``revenue`` (the ``units`` column is then
    ``revenue``); None: units, unless the sales rows give revenue and no units.
    """
    import pandas as pd

    got = _sel.sales_inputs(
        ws,
        _frame,
        brand=brand,
        category=category,
        since=since,
        until=until,
        freq=freq,
        region=region,
        measure=measure,
    )
    if got.frame is None:
        return finish(pd.DataFrame(), "concentration", BASIS_SALES, got.notes, got.params)
    df = got.select(got.frame, ["category", "band", "brand"], "hhi")
    df = df.sort_values(["category", "period", "brand", "band_ord"]).drop(columns=["band_ord"])
    notes = [*got.notes, *_band_rows_note(df)]
    df = _measure.named(df, got.params["measure"])
    return finish(df, "concentration", BASIS_SALES, notes, got.params)


#: ``reason`` of a line whose "models" are price bands (and the start of its note).
BAND_ROWS_REASON = "not available: the sales rows are price bands, not models"


def _frame(data: MarketData, measure: Measure) -> pd.DataFrame:
    """Model shares of `measure` and HHI per period, category, band and brand (the period
    tables loaded); lines whose products are price bands have none."""
    df = data.df(_SQL.format(v=_measure.DAY_COLUMN[measure]))
    bands = df["band_rows"].fillna(False).astype(bool)
    df.loc[bands, ["n_models", "top1_share", "top3_share", "hhi"]] = float("nan")
    df["top_model"] = df["top_model"].astype(object).where(~bands, None)
    df["reason"] = None
    df.loc[bands, "reason"] = BAND_ROWS_REASON
    return df.drop(columns=["band_rows"])


def _band_rows_note(df: pd.DataFrame) -> list[str]:
    """Say which brands' lines have no model concentration because their rows are bands."""
    brands = sorted({str(b) for b in df.loc[df["reason"] == BAND_ROWS_REASON, "brand"]})
    if not brands:
        return []
    return [
        f"{BAND_ROWS_REASON} ({', '.join(brands)}: the product column holds the price band, "
        "as a file of units by brand and band is read), so top model, top-1/top-3 share and "
        "HHI are left empty; a sales file by model gives them"
    ]
