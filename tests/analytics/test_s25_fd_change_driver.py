"""What drives a drop of net sentiment: the theme that moved at the change, not today's
controversy (walk-through s25).

A cosmetics brand's key finding read "net sentiment of its products fell from +52 to -5 from
2026-05-20; Price drives it": the drop came from the ¥499 serum's launch and its texture
complaints, while "Price" was only the top controversy *now* (a streamer's price remark in
September, months later). The driver was the top controversy theme of the last 30 days.

Planted here: a product launch (YU7, day ``LAUNCH``) whose quality complaints drive the
products' drop, and a later, unrelated controversy (a competitor spat about the brand, days
``SPAT`` to ``SPAT + 9``) that is the top controversy now. The driver is now the theme (and
the product) whose share of the series' posts moved most across the change, said with its
numbers; thin windows fall back to the former rule.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from tests.signals.signals_data import P, insert_posts

from brandhalo.analytics import changepoints, findings, signals
from brandhalo.analytics.opinion import controversy_themes
from brandhalo.engines import local

D0 = dt.date(2025, 1, 6)
DAYS = 220
LAUNCH = 100  # YU7 launches: six posts a day, four of them quality complaints
SPAT = 200  # a competitor spat about the brand: 18 negative posts a day for 10 days
BRAND = ("brand", "Xiaomi", "Xiaomi", None)
SU7 = ("product", "SU7", "Xiaomi", None)
YU7 = ("product", "YU7", "Xiaomi", None)


def _day(d: int) -> dt.date:
    return D0 + dt.timedelta(days=d)


def _posts() -> list[P]:
    posts: list[P] = []
    for d in range(DAYS):
        for i, label in enumerate((1, 0)):
            posts.append(P(f"b{d}-{i}", _day(d), label, segment="mass", targets=[BRAND]))
        for i, label in enumerate((1, 1, 1, 0, 0, -1)):  # SU7: steady, about its price
            posts.append(P(f"s{d}-{i}", _day(d), label, segment="mass", targets=[SU7],
                           themes=[("price_value", "product")]))  # fmt: skip
        if d >= LAUNCH:  # YU7: a new product whose quality draws complaints
            for i, label in enumerate((-1, -1, -1, -1, 0, 1)):
                posts.append(P(f"y{d}-{i}", _day(d), label, segment="mass", targets=[YU7],
                               themes=[("quality", "product")]))  # fmt: skip
        if SPAT <= d < SPAT + 10:  # months later, about the brand: no product named
            for i in range(18):
                posts.append(P(f"c{d}-{i}", _day(d), -1, targets=[BRAND],
                               themes=[("competitor_spat", "communication")]))  # fmt: skip
    return posts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from brandhalo.workspace import init_workspace

    ws = init_workspace(tmp_path_factory.mktemp("driver") / "ws")
    insert_posts(ws, _posts())
    local.run(ws)
    signals.run(ws, explain=False)
    yield ws
    ws.close()


def _change(found: list) -> object:
    change = [f for f in found if f.metric == "change_points"]
    assert len(change) == 1, found
    return change[0]


def test_the_theme_that_moved_drives_the_drop_not_the_controversy_now(built) -> None:
    # the planted setting: the products' drop at the launch, the spat the top controversy now
    cps = changepoints.change_points(built, "net_sentiment", "Xiaomi")
    step = cps[cps["series"] == "product"].iloc[-1]
    assert step["day"] == _day(LAUNCH), cps
    a, b = round(step["before"]), round(step["after"])
    ct = controversy_themes(built, "Xiaomi")
    assert ct[ct["rank"] == 1].iloc[0]["theme"] == "competitor_spat"

    f = _change(findings.top_findings(built, n=9, lang="en"))
    assert f.title == (
        f"Xiaomi: net sentiment of its products fell from {a:+d} to {b:+d} from "
        f"{_day(LAUNCH)}; Quality (YU7) drives it"
    ), f.title
    # 28 days either side: 168 SU7 posts before; 168 SU7 + 168 YU7 after, 112 complaints;
    # quality: +33 % negative share, -8 % positive share = 25 of the windows' 42 points
    assert (
        "Quality complaints went from 0% to 33% of the posts about its products (0 of 168 "
        f"posts in the 28 days before {_day(LAUNCH)}, 112 of 336 in the 28 days from it; "
        "YU7: 0 then 112 of them): 25 of the 42 points net sentiment fell"
    ) in f.detail, f.detail
    assert f.detail.startswith("Quality complaints went from 0% to 33%"), f.detail
    assert "Competitor spat" not in f.title + f.detail  # today's controversy tells no drop
    # the brand's own posts did not fall at the launch: their windows tell no driver
    about = findings._About(built, "Xiaomi", None, None, "en")
    assert findings._theme_shift(about, _day(LAUNCH), "brand") is None
    assert findings._theme_shift(about, _day(LAUNCH), "product") is not None

    zh = _change(findings.top_findings(built, n=9, lang="zh"))
    assert zh.title.endswith("；主要推手：质量（YU7）"), zh.title
    assert "「质量」的负面帖占其产品帖子的比例从 0% 升至 33%" in zh.detail, zh.detail
    assert "净情感下降的 42 个点中占 25 个点" in zh.detail
    # no English words on a zh page: only the brand and product names are Latin (and the
    # change point's "z" after the driver's sentences)
    said = zh.title + zh.detail.split("；每日净情感的转折点")[0]
    assert not re.search(r"[A-Za-z]", re.sub(r"Xiaomi|YU7|SU7", "", said)), said


def test_thin_windows_fall_back_to_the_controversy_now(built, monkeypatch) -> None:
    # fewer posts than SHIFT_MIN_POSTS in a window: too thin to tell what moved
    monkeypatch.setattr(findings, "SHIFT_MIN_POSTS", 10_000)
    f = _change(findings.top_findings(built, n=9, lang="en"))
    assert f.title.endswith("; Competitor spat drives it"), f.title
    assert f.detail.startswith("Competitor spat: the top controversy of the last 30 days")
    assert "complaints went from" not in f.detail
