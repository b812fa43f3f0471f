"""The post that started a crisis is an example even when its label is not trusted (explain
1.7; walk-through s23 W1: the Douyin video of a food-safety crisis, 356k likes, had one deciding
phrase each way, "-异物" and "+安全" of 食品安全, so it was untrusted, never an example, and its
author was missing from the driving authors; it also came an hour before the alerted hours).

A post whose engagement dwarfs the rest (``STANDOUT_FACTOR`` times the next organic post's) is
shown, marked with why it is not trusted; confident examples still come first, and news and
campaign posts are never examples of a negative spike however engaged."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd

from brandhalo.analytics import explain
from brandhalo.analytics.explain_data import Window, WindowRows

DAY = dt.date(2026, 11, 5)
SAFETY = "food_safety\x1fproduct"  # a theme key: theme<US>touchpoint pairs joined by <RS>
MIXED = json.dumps(["-异物", "+安全"])
STRONG = json.dumps(["-异物", "-恶心"])
VIDEO = "禾悦气泡水喝出异物？？救命 刚打开的禾悦气泡水里有絮状异物 #食品安全"


def _row(pid: str, eng: int, *, evidence: str = STRONG, origin: str = "organic",
         text: str | None = None, hour: int = 13, conf: float = 0.9) -> dict:  # fmt: skip
    return {
        "post_id": pid, "theme_key": SAFETY, "text": text or f"禾悦气泡水有异物，恶心 {pid}",
        "url": f"https://x/{pid}", "created_at": pd.Timestamp(f"2026-11-05 {hour:02d}:00"),
        "author_id": f"a-{pid}", "author_name": f"u-{pid}", "followers": 10, "eng": eng,
        "themed": True, "label": -1, "confidence": conf, "evidence": evidence,
        "source": "weibo", "stored_origin": origin,
    }  # fmt: skip


def _rows(rows: list[dict], alerted: set[str]) -> WindowRows:
    # 40 food-safety negatives on the day against none in the 28 days before
    days = [DAY - dt.timedelta(days=k) for k in range(1, 29)]
    excess = pd.DataFrame({"theme": ["food_safety", "*"] + ["*"] * 28,
                           "day": [DAY, DAY] + days, "neg": [40, 40] + [0] * 28})  # fmt: skip
    posts = pd.DataFrame(rows)
    return WindowRows(excess=excess, posts=posts, baseline=posts.iloc[0:0],
                      alerted_ids=frozenset(alerted))  # fmt: skip


def _crisis(video_eng: int) -> WindowRows:
    """30 confident complaints of the alerted hours (200-229 engagement), the video at 09:00
    before them (mixed evidence), a news report and a campaign post more engaged than all."""
    rows = [_row(f"c{i:02d}", 200 + i) for i in range(30)]
    rows.append(_row("video", video_eng, evidence=MIXED, text=VIDEO, hour=9, conf=0.79))
    rows.append(
        _row("news", 900_000, origin="news", text="【禾悦气泡水被曝喝出异物】据澎湃新闻报道")
    )
    rows.append(_row("camp", 800_000, origin="campaign", text="支持禾悦！限时优惠戳链接"))
    return _rows(rows, {f"c{i:02d}" for i in range(30)})


def test_the_video_that_started_it_is_an_example_marked_mixed() -> None:
    expl = explain._explain(Window("禾悦", DAY, DAY), _crisis(356_000))
    ids = [p.post_id for p in expl.examples]
    # a confident complaint first, the video right after it, never news or campaign copy
    assert ids[:2] == ["c29", "video"], ids
    assert "news" not in ids and "camp" not in ids
    video = expl.examples[1]
    assert video.trusted is False and video.doubt == "mixed" and video.standout
    assert expl.examples[0].trusted and expl.examples[0].doubt is None
    # its author drives the episode (most engaged), marked; no news or campaign author
    authors = {a.author_id: a for a in expl.authors}
    assert expl.authors[0].author_id == "a-video" and authors["a-video"].doubt == "mixed"
    assert "a-news" not in authors and "a-camp" not in authors
    assert authors["a-c29"].doubt is None
    assert expl.metric_version == "1.11"


def test_a_trusted_standout_before_the_alerted_hours_leads() -> None:
    rows = _crisis(356_000)
    posts = rows.posts.copy()
    posts.loc[posts["post_id"] == "video", ["evidence", "confidence"]] = [STRONG, 0.95]
    rows.posts = posts
    expl = explain._explain(Window("禾悦", DAY, DAY), rows)
    assert [p.post_id for p in expl.examples][:2] == ["video", "c29"]
    assert expl.examples[0].trusted and expl.examples[0].standout


def test_no_post_stands_out_when_none_dwarfs_the_rest() -> None:
    # the video at 1,500 (under 10 x 229): ordinary order, trusted posts only, no mark
    expl = explain._explain(Window("禾悦", DAY, DAY), _crisis(1_500))
    ids = [p.post_id for p in expl.examples]
    assert ids == ["c29", "c28", "c27", "c26", "c25"], ids
    assert not any(p.standout for p in expl.examples)
    assert "a-video" not in {a.author_id for a in expl.authors}


def test_standouts_take_the_head_of_the_ranking_only() -> None:
    win = pd.DataFrame(
        {
            "post_id": list("abcde"),
            "text": ["一", "二", "三", "四", "五"],
            "eng": [420_000, 79_000, 214, 213, 0],
            "origin": ["organic"] * 5,
        }
    )
    assert explain.standouts(win).tolist() == [0, 1]
    # news never stands out; the organic post after it is measured against the rest
    news = win.assign(origin=["news", "organic", "organic", "organic", "organic"])
    assert explain.standouts(news).tolist() == [1]
    # a flat ranking, and a handful of likes over zeros, have none
    flat = win.assign(eng=[300, 250, 214, 213, 0])
    assert explain.standouts(flat).tolist() == []
    assert explain.standouts(win.assign(eng=[5, 0, 0, 0, 0])).tolist() == []


def test_doubt_says_why_a_label_is_not_trusted() -> None:
    assert explain.doubt(MIXED, -1) == "mixed"
    assert explain.doubt(json.dumps(["+安全"]), -1) == "mixed"  # only phrases against it
    assert explain.doubt(json.dumps(["~news:【标题】"]), -1) == "weak"
    assert explain.doubt(STRONG, -1, sure=False) == "unsure"
    assert explain.doubt(STRONG, -1) is None


def test_the_most_engaged_post_is_read_beside_the_sample(tmp_ws, monkeypatch) -> None:
    # a window of more negatives than the sample holds: the sample is drawn by hash, so the
    # video (356k likes) was in it by chance only; it is read beside it and is an example
    from tests.signals.signals_data import P, insert_posts

    from brandhalo.analytics.explain_data import fetch
    from brandhalo.engines import local

    d0 = dt.date(2025, 1, 1)
    spike = d0 + dt.timedelta(days=35)
    safety = [("quality", "product")]
    posts = []
    for d in range(35):  # a calm baseline: 8 posts a day, 1 negative
        day = d0 + dt.timedelta(days=d)
        posts += [P(f"b{d}-{i}", day, 1 if i else -1, engagement=1) for i in range(8)]
    # the store's engagement weight, 1 + ln(1 + likes + reposts + comments), as enrich sets it
    posts += [P(f"n{i:03d}", spike, -1, themes=safety, engagement=5 + i % 7, hour=13,
                weight=1 + math.log1p(5 + i % 7), text=f"刹车失灵，太吓人了 第{i}条")
              for i in range(120)]  # fmt: skip
    posts += [P("video", spike, -1, themes=safety, engagement=356_000, hour=9,
                weight=1 + math.log1p(356_000), text="刹车失灵的视频，大家看看",
                evidence=["-失灵", "+安全"])]  # fmt: skip
    insert_posts(tmp_ws, posts)
    local.run(tmp_ws)
    (rows,) = fetch(tmp_ws, [Window("Xiaomi", spike, spike)], 20)
    assert len(rows.posts) == 20 and "video" not in set(rows.posts["post_id"])
    assert rows.top is not None and rows.top["post_id"].iloc[0] == "video"
    monkeypatch.setattr(explain, "MAX_POSTS", 20)
    expl = explain.explain(tmp_ws, "Xiaomi", spike, spike)
    ids = [p.post_id for p in expl.examples]
    assert ids[1] == "video" and expl.examples[1].doubt == "mixed", ids
    assert expl.authors[0].author_id == "avideo" and expl.authors[0].doubt == "mixed"
    # the counts are the sample's: the extra rows are examples and authors only
    assert expl.trusted_posts <= 20
