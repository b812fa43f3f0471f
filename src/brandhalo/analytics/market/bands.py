"""Price bands per category, list prices by date, and band labels found in market files.

Bands come from ``[price_bands]``: lower edges per category, ``[0, 2000, 4000, 6000]`` gives
``<2000``, ``2000-4000``, ``4000-6000``, ``>=6000``. A price belongs to the band whose
``[low, high)`` holds it. A band is premium when its lower edge is at or above the category's
``premium_from``. Band labels found in market files are read by
:func:`~brandhalo.ingest.units.parse_band_label` (``15-25万``, ``40万以上``), re-exported here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

# The rule the ingest stores price_low / price_high by: one parser for both.
from brandhalo.ingest.units import parse_band_label

__all__ = ["ALL_BANDS", "band_label", "band_table", "match_band", "parse_band_label", "price_table"]

if TYPE_CHECKING:
    import pandas as pd

    from brandhalo.config import Config

ALL_BANDS = "all"  # the category as a whole (every band, and rows that carry no price)


def _fmt(x: float) -> str:
    return f"{x:g}" if x < 1e6 else f"{x:.0f}"


def band_label(low: float, high: float | None) -> str:
    """Label of the band ``[low, high)``: ``<2000``, ``2000-4000`` or ``>=6000``."""
    if high is None or math.isinf(high):
        return f">={_fmt(low)}"
    if low <= 0:
        return f"<{_fmt(high)}"
    return f"{_fmt(low)}-{_fmt(high)}"


def band_table(config: Config) -> pd.DataFrame:
    """One row per (category, band): label, [low, high), order and premium flag."""
    import pandas as pd

    premium_from = config.price_bands.premium_from
    rows = []
    for category, edges in config.price_bands.edges().items():
        uppers: list[float | None] = [*edges[1:], None]
        for i, (lo, hi) in enumerate(zip(edges, uppers, strict=True)):
            floor = premium_from.get(category)
            premium = floor is not None and lo >= floor
            rows.append(
                (category, band_label(lo, hi), lo, math.inf if hi is None else hi, i, premium)
            )
    return pd.DataFrame(
        rows, columns=["category", "band", "low", "high", "band_ord", "premium"]
    ).astype({"category": "string", "band": "string"})


def match_band(bands: pd.DataFrame, category: str, low: float, high: float) -> str | None:
    """The configured band of `category` that holds ``[low, high)``; None when it spans bands."""
    sub = bands[bands["category"] == category]
    for b in sub.itertuples(index=False):
        if b.low <= low and high <= b.high:
            return str(b.band)
    return None


def price_table(config: Config) -> pd.DataFrame:
    """List price intervals per product: (product, valid_from, valid_to, price).

    Mirrors :meth:`Product.price_on`: the latest ``prices`` entry on or before the day, else
    the base ``price``. Open ends are written as far-past / far-future dates for SQL joins.
    """
    import datetime as dt

    import pandas as pd

    far_past, far_future = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
    rows = []
    for p in config.products:
        points = sorted(p.prices, key=lambda x: x.since)
        first = points[0].since if points else far_future
        if p.price is not None:
            rows.append((p.name, far_past, first, float(p.price)))
        for i, pt in enumerate(points):
            until = points[i + 1].since if i + 1 < len(points) else far_future
            rows.append((p.name, pt.since, until, float(pt.price)))
    frame = pd.DataFrame(rows, columns=["product", "valid_from", "valid_to", "price"])
    for col in ("valid_from", "valid_to"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[us]")
    return frame
