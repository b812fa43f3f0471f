"""The writer's copy of the cluster index hands freed slots back instead of dropping itself
(issue 19: the 10M run's writer went back to store lookups, a scan of the whole index per
batch, once the copy's slots, live and freed, passed MAX_CLUSTERS)."""

from __future__ import annotations

import pytest
from test_text_neardup_memory import _both, _stream, _tables

from brandhalo.text import neardup


def test_a_copy_whose_live_clusters_fit_survives_its_size_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the stream's copy peaks at about 1,650 slots with at most about 430 live clusters:
    # past 600 slots it is flushed and shrunk to its live clusters, and goes on
    monkeypatch.setattr(neardup, "MAX_CLUSTERS", 600)
    plain, copied, index = _both(_stream(5))
    assert _tables(plain) == _tables(copied)
    assert index.memory is not None  # the copy answered every batch
