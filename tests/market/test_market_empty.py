"""Every market function answers on an empty store with a note that says what to ingest."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from brandhalo.analytics import market
from brandhalo.workspace import Workspace


@pytest.mark.parametrize(
    ("func", "hint"),
    [
        (market.band_share, "ingest a sales file"),
        (market.premium_mix, "ingest a sales file"),
        (market.concentration, "ingest a sales file"),
        (market.financial_lines, "ingest a financials file"),
        (market.business_momentum, "ingest them"),
        (market.target_pacing, "ingest a targets file"),
    ],
)
def test_empty_store(mws: Workspace, func: Callable, hint: str) -> None:
    df = func(mws)
    assert len(df) == 0
    result = market.MarketResult.of(df)
    assert any(hint in n for n in result.notes)
    assert result.metric_version == market.METRIC_VERSIONS[result.metric]
