"""Classifying origins does not import the store (duckdb: ~0.1 CPU-s per enrich worker
start); the store's names stay importable from brandhalo.text.origin."""

from __future__ import annotations

import subprocess
import sys

from brandhalo.store import origin as origin_store
from brandhalo.text import origin


def test_importing_origin_leaves_the_store_origin_unimported() -> None:
    code = (
        "import sys, brandhalo.text.origin as o\n"
        "assert 'brandhalo.store.origin' not in sys.modules, 'imported at the top'\n"
        "assert o.OriginRules and o.PROMO_SIGNALS\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_promo_signals_are_the_store_rules() -> None:
    # the evidence the classifier writes is what the cluster rule's SQL reads
    assert origin.PROMO_SIGNALS == origin_store.PROMO_SIGNALS


def test_store_names_are_still_importable_from_origin() -> None:
    from brandhalo.text.origin import (
        PENDING,
        campaign_clusters_sql,
        cluster_evidence_sql,
        mark_campaigns,
        own_evidence_sql,
    )

    assert PENDING == origin_store.PENDING
    assert mark_campaigns is origin_store.mark_campaigns
    assert campaign_clusters_sql is origin_store.campaign_clusters_sql
    assert cluster_evidence_sql is origin_store.cluster_evidence_sql
    assert own_evidence_sql is origin_store.own_evidence_sql
    try:
        origin.no_such_name  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown name must raise AttributeError")
