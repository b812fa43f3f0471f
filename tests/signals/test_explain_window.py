"""Explanations read only the episode's window and baseline: far-away days change nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.signals.signals_data import P, insert_posts, stream

from brandhalo.analytics import explain as ex
from brandhalo.engines import local
from brandhalo.workspace import Workspace

START = dt.date(2025, 1, 1)
SPIKE = START + dt.timedelta(days=45)


def _case() -> list[P]:
    """60 days of Xiaomi posts (a Huawei side stream) with a negative spike on SPIKE, and
    reposts in the window of some spike posts."""
    posts = stream(START, 60, seed=3, spikes=[(SPIKE, 10, "quality", 80)])
    posts += stream(START, 60, seed=4, brand="Huawei", per_day=20)
    posts += [
        P(f"rp-{i}", SPIKE, -1, hour=14, is_repost=True, text=f"转发 刹车 {i}") for i in range(12)
    ]
    # unthemed negatives with a shared new phrase: an emerging cluster
    posts += [
        P(f"new-{i}", SPIKE, -1, hour=9, text=f"车机 死机 黑屏 screen freeze {i % 3}")
        for i in range(40)
    ]
    return posts


def _shifted(posts: list[P], days: int, tag: str) -> list[P]:
    return [
        dataclasses.replace(p, post_id=f"{tag}{p.post_id}", day=p.day + dt.timedelta(days=days))
        for p in posts
    ]


def _link_reposts(ws: Workspace, prefix: str = "") -> None:
    """rp-i reposts spike post Xiaomi-s0-(i % 4) (same prefix: the same era)."""
    ws.store.con.execute(
        "UPDATE posts SET origin_id = ? || 'Xiaomi-s0-' || CAST(CAST(regexp_extract(post_id, "
        "'[0-9]+$') AS INTEGER) % 4 AS VARCHAR) WHERE post_id LIKE ? || 'rp-%'",
        [prefix, prefix],
    )


def _explain(ws: Workspace) -> dict[str, object]:
    return ex.explain(ws, "Xiaomi", SPIKE, SPIKE).model_dump()


def test_far_away_days_do_not_change_the_explanation(tmp_ws: Workspace) -> None:
    posts = _case()
    insert_posts(tmp_ws, posts)
    _link_reposts(tmp_ws)
    local.run(tmp_ws)
    alone = _explain(tmp_ws)
    # the explanation says something on every count the window filter touches
    assert alone["observed"] >= 80 and alone["themes"][0]["theme"] == "quality"
    assert alone["terms"] and alone["entities"] and alone["touchpoints"] and alone["segments"]
    assert [r["engagement"] for r in alone["repost_origins"]] == [3, 3, 3, 3]
    assert alone["examples"] and alone["first_posts"] and alone["clusters"]

    # the same stream two years later and three years earlier, reposts and all
    for days, tag in ((730, "late-"), (-1095, "early-")):
        insert_posts(tmp_ws, _shifted(posts, days, tag))
        _link_reposts(tmp_ws, tag)
    local.run(tmp_ws, full=True)
    assert _explain(tmp_ws) == alone
    # ... while the shifted window itself is explained the same way from its own posts
    late = ex.explain(
        tmp_ws, "Xiaomi", SPIKE + dt.timedelta(days=730), SPIKE + dt.timedelta(days=730)
    )
    assert late.observed == alone["observed"]
    assert [r.engagement for r in late.repost_origins] == [3, 3, 3, 3]
    assert all(r.post_id.startswith("late-") for r in late.repost_origins + late.examples)


def test_a_summary_says_when_the_excess_has_no_theme() -> None:
    """"84% of the excess is theme 'no theme'" now reads "84% of the excess has no theme"."""
    day = dt.date(2025, 4, 26)
    shares = [ex.ThemeShare(theme=ex.NO_THEME, observed=26, expected=1.0, excess=25.0, share=0.84),
              ex.ThemeShare(theme="app", observed=9, expected=0.5, excess=8.5, share=0.16)]  # fmt: skip
    e = ex.Explanation(brand="Luckin", start=day, end=day, observed=41, expected=2, themes=shares)
    assert "84% of the excess has no theme" in e.summary()
    flipped = e.model_copy(update={"themes": shares[::-1]})
    assert "16% of the excess is theme 'App'" in flipped.summary(lambda t: t.capitalize())
