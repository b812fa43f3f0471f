"""Market analytics over the user's own business files (DESIGN metrics 4, 6, 7, 8).

Every function takes a :class:`~brandhalo.workspace.Workspace` and returns a pandas
DataFrame whose ``attrs`` carry ``metric``, ``metric_version``, ``basis`` (where the market
denominators come from) and ``notes`` (unknown brands, rows without a price, totals rows,
pro-rating); :meth:`MarketResult.of` turns one into the typed, JSON-ready result.

>>> from brandhalo.analytics.market import band_share, MarketResult
>>> df = band_share(ws, brand="小米", category="phone", freq="year")  # doctest: +SKIP
>>> MarketResult.of(df).basis  # doctest: +SKIP
'market table'
"""

from __future__ import annotations

from brandhalo.analytics.market.concentration import concentration
from brandhalo.analytics.market.financials import financial_lines
from brandhalo.analytics.market.momentum import business_momentum
from brandhalo.analytics.market.pacing import target_pacing
from brandhalo.analytics.market.result import METRIC_VERSIONS, MarketResult
from brandhalo.analytics.market.share import band_share, premium_mix

__all__ = [
    "METRIC_VERSIONS",
    "MarketResult",
    "band_share",
    "business_momentum",
    "concentration",
    "financial_lines",
    "premium_mix",
    "target_pacing",
]
