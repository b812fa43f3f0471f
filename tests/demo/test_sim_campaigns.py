"""Planted campaigns (issue 15): a template burst and a repost ring are recovered as campaign
origin, and organic net sentiment moves by exactly what the campaign added."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from brandhalo.demo import build_demo_workspace, simulate
from brandhalo.workspace import Workspace


@pytest.fixture(scope="module")
def camp_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict]]:
    from brandhalo.engines import local
    from brandhalo.text.enrich import run

    root = tmp_path_factory.mktemp("campaigns")
    ws, _ = build_demo_workspace(root, seed=7, posts=20_000, campaigns=True)
    run(ws, workers=1)
    local.run(ws)
    planted = json.loads((root / "data" / "planted.json").read_text(encoding="utf-8"))
    yield ws, planted
    ws.close()


def test_campaigns_are_planted_with_truth(tmp_path: Path) -> None:
    sim = simulate(tmp_path, seed=3, posts=5_000, campaigns=True)
    kinds = {c.kind: c for c in sim.planted.campaigns}
    assert set(kinds) == {"burst", "ring"}
    assert kinds["burst"].accounts == kinds["burst"].posts >= 60  # one post per new account
    assert kinds["ring"].accounts == 12 and kinds["ring"].posts == 60
    truth = pq.read_table(sim.truth)
    camp = truth.filter(pc.equal(truth["origin"], "campaign"))
    assert camp.num_rows == sum(c.posts for c in sim.planted.campaigns)
    assert set(pq.read_table(sim.posts)["id"].to_pylist()) >= set(kinds["ring"].post_ids)
    assert kinds["burst"].ns_all > kinds["burst"].ns_organic  # the campaign flatters the brand


def test_burst_and_ring_recovered(camp_ws: tuple[Workspace, dict]) -> None:
    ws, planted = camp_ws
    rows = ws.store.con.execute("SELECT post_id, origin FROM enriched").fetchall()
    pred = {pid for pid, origin in rows if origin in ("campaign", "official")}
    for c in planted["campaigns"]:
        ids = set(c["post_ids"])
        assert len(ids & pred) / len(ids) >= 0.9, c["kind"]  # recall per campaign
    planted_ids = {i for c in planted["campaigns"] for i in c["post_ids"]}
    assert len(pred & planted_ids) / len(pred) >= 0.9  # precision over every post


def test_campaign_clusters_listed(camp_ws: tuple[Workspace, dict]) -> None:
    from brandhalo.analytics.campaigns import campaign_clusters

    ws, planted = camp_ws
    df = campaign_clusters(ws, "Xiaomi")
    burst = next(c for c in planted["campaigns"] if c["kind"] == "burst")
    top = df.iloc[0]
    assert top["template"].startswith(burst["template"][:20])
    assert top["accounts"] >= 0.9 * burst["accounts"]
    assert str(top["first_seen"])[:10] == burst["start"][:10]


def _counts(ws: Workspace, days: list[dt.date]) -> dict[str, tuple[int, int, int]]:
    """(posts, positive, negative) of Xiaomi per origin on `days` (every post once)."""
    rows = ws.store.con.execute(
        "SELECT origin, sum(posts), sum(positive), sum(negative) FROM agg_daily "
        "WHERE brand = 'Xiaomi' AND target_type = '*' AND theme = '*' AND touchpoint = '*' "
        "AND day IN (SELECT unnest($days)) GROUP BY origin",
        {"days": days},
    ).fetchall()
    return {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in rows}


def _ns(parts: list[tuple[int, int, int]]) -> float:
    n, p, m = (sum(x[i] for x in parts) for i in range(3))
    return (p - m) / n


@pytest.mark.parametrize("kind", ["burst", "ring"])
def test_organic_net_sentiment_moves_by_the_planted_amount(
    camp_ws: tuple[Workspace, dict], kind: str
) -> None:
    from brandhalo.analytics.opinion import net_sentiment, origin_scope

    ws, planted = camp_ws
    c: dict[str, Any] = next(c for c in planted["campaigns"] if c["kind"] == kind)
    days = [dt.date.fromisoformat(d) for d in c["days"]]
    by = _counts(ws, days)
    camp = [v for k, v in by.items() if k in ("campaign", "official")]
    rest = [v for k, v in by.items() if k not in ("campaign", "official")]
    # every campaign original is counted, as campaign, and (nearly) all are positive
    assert abs(sum(x[0] for x in camp) - c["originals"]) <= max(1, 0.1 * c["originals"])
    assert _ns(camp) >= 0.9
    # the planted shift: NS of every post minus NS without the campaign (truth labels)
    shift = c["ns_all"] - c["ns_organic"]
    measured = _ns(camp + rest) - _ns(rest)
    assert shift > 0 and 0.5 * shift <= measured <= 1.5 * shift, (shift, measured)
    # and the metrics read organic posts by default, every origin on request
    with origin_scope("all"):
        every = net_sentiment(ws, "Xiaomi", freq="day")
    organic = net_sentiment(ws, "Xiaomi", freq="day")
    sel = every["period"].isin(days), organic["period"].isin(days)
    assert int(every[sel[0]]["posts"].sum()) == sum(x[0] for x in camp + rest)
    assert int(organic[sel[1]]["posts"].sum()) == by.get("organic", (0, 0, 0))[0]
