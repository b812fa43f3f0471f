"""The campaign (cluster) rule runs once per enrich run, over the store (issue 15).

A paid-copy burst whose posts arrive in several chunks and two ingests gets the verdict and
evidence a single run over all posts gives, the aggregates of the days whose posts were
reclassified later are redone, and a run stopped before the rule resumes to the same result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.text.campaign_plant import (
    CHUNK_ROWS,
    burst_posts,
    enrich_in_two_ingests,
    insert,
    two_ingests,
    workspace,
)

from brandhalo.engines import local
from brandhalo.text import enrich_run
from brandhalo.text.enrich import run
from brandhalo.text.origin import PENDING, mark_campaigns
from brandhalo.workspace import Workspace

ROWS = "SELECT post_id, origin, origin_evidence, cluster_id FROM enriched ORDER BY post_id"
#: Origins and evidence of every post. (Cluster ids of look-alike short opinions may differ
#: with the batch sizes: a batch links its own posts by components, later batches join the
#: stored clusters; the burst's cluster is compared on its own.)
ORIGINS = "SELECT post_id, origin, origin_evidence FROM enriched ORDER BY post_id"
AGG = "SELECT * FROM agg_daily ORDER BY ALL"


def _rows(ws: Workspace) -> list[tuple[Any, ...]]:
    return ws.store.con.execute(ROWS).fetchall()


def _origins(ws: Workspace) -> list[tuple[Any, ...]]:
    return ws.store.con.execute(ORIGINS).fetchall()


@pytest.fixture(scope="module")
def once(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Every post in one ingest and one run (one chunk): the reference."""
    first, second = two_ingests()
    ws = workspace(tmp_path_factory.mktemp("once") / "ws")
    insert(ws, first + second)
    run(ws, workers=1)
    local.run(ws)
    yield ws
    ws.close()


def test_burst_split_over_chunks_and_ingests_is_one_campaign(
    once: Workspace, tmp_path: Path
) -> None:
    ws = workspace(tmp_path / "ws")
    enrich_in_two_ingests(ws)
    got = {r[0]: r[1:] for r in _rows(ws)}
    burst = [p["post_id"] for p in burst_posts()]
    assert len({got[i][2] for i in burst}) == 1  # one cluster
    for i in burst:  # every copy, also the three enriched (organic) before the second ingest
        assert got[i][0] == "campaign", (i, got[i])
        assert json.loads(got[i][1]) == ["cluster:9 accounts", "promo"]
    assert _origins(ws) == _origins(once)  # the same as one run over every post
    # the first ingest's days were aggregated with the copies organic, and redone
    assert ws.store.query(AGG).equals(once.store.query(AGG))
    assert ws.store.con.execute(f"SELECT count(*) FROM {PENDING}").fetchall()[0][0] == 0
    ws.close()


def test_before_the_second_ingest_the_three_copies_are_organic(tmp_path: Path) -> None:
    first, _ = two_ingests()
    ws = workspace(tmp_path / "ws")
    insert(ws, first)
    run(ws, workers=1, chunk_rows=CHUNK_ROWS)
    rows = ws.store.con.execute(
        "SELECT origin, origin_evidence FROM enriched WHERE post_id LIKE 'burst%'"
    ).fetchall()
    assert rows == [("organic", '["promo"]')] * 3
    ws.close()


def test_a_run_stopped_before_the_rule_resumes_to_the_same_result(
    once: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_ingests()
    ws = workspace(tmp_path / "ws")
    insert(ws, first + second)

    def stop(*_: Any) -> int:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(enrich_run, "apply_pending", stop)
        with pytest.raises(KeyboardInterrupt):
            run(ws, workers=1)
    assert ws.store.con.execute(f"SELECT count(*) FROM {PENDING}").fetchall()[0][0] > 0
    result = run(ws, workers=1)  # nothing to enrich: the rule only
    assert result.counts["enriched"] == 0
    local.run(ws)
    assert _rows(ws) == _rows(once)
    assert ws.store.query(AGG).equals(once.store.query(AGG))
    ws.close()


def test_the_rule_is_idempotent_and_withdraws_from_a_cluster_that_stops_qualifying(
    once: Workspace,
) -> None:
    con = once.store.con
    con.execute("CREATE OR REPLACE TEMP TABLE _c AS SELECT DISTINCT cluster_id FROM enriched")
    before = _rows(once)
    assert mark_campaigns(con, "_c", 5, 72.0) == 0
    assert _rows(once) == before
    # copies turn into complaints (a fifth or more negative): organic opinion, own signals back
    labels = con.execute(
        "SELECT post_id, label FROM enriched WHERE post_id IN ('burst0', 'burst1')"
    ).fetchall()
    con.execute("UPDATE enriched SET label = -1 WHERE post_id IN ('burst0', 'burst1')")
    assert mark_campaigns(con, "_c", 5, 72.0) == 9
    rows = con.execute(
        "SELECT DISTINCT e.origin, e.origin_evidence, f.origin FROM enriched e "
        "JOIN post_facts f USING (post_id) WHERE post_id LIKE 'burst%'"
    ).fetchall()
    assert rows == [("organic", '["promo"]', "organic")]
    con.executemany("UPDATE enriched SET label = ? WHERE post_id = ?", [[b, a] for a, b in labels])
    assert mark_campaigns(con, "_c", 5, 72.0) == 9
    assert _rows(once) == before


def test_the_store_rule_gives_the_configured_origins() -> None:
    """store.origin spells the two origins it writes itself (the store layer does not import
    config): they are config's ``organic`` and ``campaign``."""
    from brandhalo.config import ORIGINS
    from brandhalo.store import origin as origin_store
    from brandhalo.text import origin

    assert ORIGINS[:2] == (origin_store.ORGANIC, origin_store.CAMPAIGN)
    assert (origin.ORGANIC, origin.CAMPAIGN) == (origin_store.ORGANIC, origin_store.CAMPAIGN)
