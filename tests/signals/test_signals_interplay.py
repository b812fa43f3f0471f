"""Competitive interplay over time (issue 17): weekly co-mentions per pair with spike
detection find the seed's Huawei spat without querying by hand."""

from __future__ import annotations

import datetime as dt

from brandhalo.analytics import interplay
from brandhalo.analytics.metrics import compute_metric

SPAT_WEEK = dt.date(2025, 6, 16)  # the spat with Yu Chengdong (events.csv), a Monday


def test_the_rivalry_episode_is_the_top_co_mention_spike(demo_ws) -> None:
    ws, _ = demo_ws
    spikes = interplay.co_mention_spikes(ws)
    top = spikes.iloc[0]
    assert top["week"] == SPAT_WEEK
    assert {top["source"], top["target"]} == {"Lei Jun", "Yu Chengdong"} and top["cross_brand"]
    assert top["ns"] < 0  # a spat: mostly negative
    weekly = interplay.co_mentions_weekly(ws, cross_brand=True)
    pair = weekly[(weekly["source"] == "Lei Jun") & (weekly["target"] == "Yu Chengdong")]
    by_week = pair.set_index("week")["posts"]
    month_before = by_week[SPAT_WEEK - dt.timedelta(weeks=4)]
    assert by_week[SPAT_WEEK] >= 20 * max(month_before, 1)  # the demo: ~1,200 vs ~15
    # no other week of this rivalry is a spike as large as a tenth of it
    others = spikes[(spikes["week"] != SPAT_WEEK) & (spikes["source"] == "Lei Jun")
                    & (spikes["target"] == "Yu Chengdong")]  # fmt: skip
    assert (others["posts"] < by_week[SPAT_WEEK] / 10).all()


def test_weekly_pairs_through_the_registry(demo_ws) -> None:
    ws, _ = demo_ws
    rows = compute_metric(ws, "co_mentions_weekly", brand="华为",
                          since="2025-06-01", until="2025-06-30").rows  # fmt: skip
    assert rows and all(r["week"] >= "2025-05-26" for r in rows)
    assert all("Huawei" in (r["source"], r["target"]) or "Yu Chengdong" in (r["source"],
               r["target"]) for r in rows)  # fmt: skip
    spat = [r for r in rows if r["week"] == SPAT_WEEK.isoformat() and r["spike"]]
    assert spat
