"""Spike examples on the spike's theme (s22 F4 walk-through).

A recall spike whose excess was 94 % "Recall & safety" showed "@蔚来 内饰，太失望了" (an interior
complaint, the window's most engaged post) as its first example, and a price-cut spike showed a
range complaint: examples were ordered by alerted period, trust and engagement only. Posts on
the episode's top driving theme now come first; news and campaign posts are still never the
top example of a negative spike; stored explanations are refreshed (version 1.5)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from brandhalo.analytics import explain
from brandhalo.analytics.explain_data import Window, WindowRows
from brandhalo.store.aggregates import key_themes

DAY = dt.date(2026, 11, 27)
RECALL = "recall_safety\x1fproduct"  # a theme key: theme<US>touchpoint pairs joined by <RS>
INTERIOR = "interior\x1fproduct"


def _posts(rows: list[tuple[str, str, int, str, str]]) -> pd.DataFrame:
    """Sample rows (post_id, theme_key, eng, origin, text) as the store gives them."""
    n = len(rows)
    return pd.DataFrame(
        {
            "post_id": [r[0] for r in rows],
            "theme_key": [r[1] for r in rows],
            "text": [r[4] for r in rows],
            "url": [f"https://x/{r[0]}" for r in rows],
            "created_at": [pd.Timestamp("2026-11-27 05:00")] * n,
            "author_id": [f"a{r[0]}" for r in rows],
            "author_name": [f"u{r[0]}" for r in rows],
            "followers": [10] * n,
            "eng": [r[2] for r in rows],
            "themed": [bool(r[1]) for r in rows],
            "label": [-1] * n,
            "confidence": [0.9] * n,
            "evidence": [json.dumps(["-失望"])] * n,
            "source": ["weibo"] * n,
            "stored_origin": [r[3] for r in rows],
        }
    )


def _rows(posts: pd.DataFrame) -> WindowRows:
    # 37 recall negatives on the day (none in the baseline), 4 with no theme against 1.5
    days = [DAY - dt.timedelta(days=k) for k in range(1, 29)]
    excess = pd.DataFrame(
        {"theme": ["recall_safety", "(none)"] + ["(none)"] * 28,
         "day": [DAY, DAY] + days, "neg": [37, 6] + [1, 2] * 14}
    )  # fmt: skip
    return WindowRows(excess=excess, posts=posts, baseline=posts.iloc[0:0])


WINDOW = Window("NIO", DAY, DAY, "negative_spike")


def test_posts_on_the_driving_theme_are_the_first_examples() -> None:
    posts = _posts([
        ("interior", INTERIOR, 3396, "organic", "@蔚来 内饰，太失望了"),
        ("range", "", 2655, "organic", "@蔚来 冬天续航，太失望了"),
        ("news", RECALL, 9000, "news", "【蔚来ES6召回2.1万辆】据报道..."),
        ("brake", RECALL, 120, "organic", "刚收到蔚来召回通知，刹车问题，家里人都不敢坐了"),
        ("call", f"{INTERIOR}\x1e{RECALL}", 80, "organic", "召回了，内饰也差，售后电话打不通"),
    ])  # fmt: skip
    expl = explain._explain(WINDOW, _rows(posts))
    assert [t.theme for t in expl.driving_themes][0] == "recall_safety"
    ids = [p.post_id for p in expl.examples]
    # the recall posts first (by engagement), then the off-theme ones; never the news post
    assert ids == ["brake", "call", "interior", "range"]
    assert all("recall_safety" in key_themes(k) for k in posts.set_index("post_id").loc[
        ids[:2], "theme_key"])  # fmt: skip
    assert expl.metric_version == explain.METRIC_VERSION == "1.11"


def test_without_a_driving_theme_or_theme_keys_the_order_is_as_before() -> None:
    win = pd.DataFrame(
        {
            "post_id": ["a", "b", "c", "d"],
            "origin": ["organic", "organic", "news", "organic"],
            "trusted": [True, False, False, True],
            "eng": [50, 0, 900, 0],
            "in_peak": [False, True, True, True],
            "theme_key": [RECALL, "", RECALL, ""],
        }
    )
    before = ["d", "b", "a"]  # the spike's trusted, then its other, then the rest
    assert explain.example_posts(win, "negative_spike")["post_id"].tolist() == before
    no_keys = win.drop(columns="theme_key")
    assert explain.example_posts(no_keys, "negative_spike", frozenset({"recall_safety"}))[
        "post_id"].tolist() == before  # fmt: skip
    # on the theme: the recall post first even outside the alerted hours; news never
    on = explain.example_posts(win, "negative_spike", frozenset({"recall_safety"}))
    assert on["post_id"].tolist() == ["a", "d", "b"]
    # a campaign episode keeps its campaign posts first
    camp = win.assign(origin=["organic", "campaign", "official", "organic"])
    assert explain.example_posts(camp, "campaign", frozenset({"recall_safety"}))[
        "post_id"].tolist() == ["c", "b", "d", "a"]  # fmt: skip


def test_posts_of_no_theme_are_no_preference() -> None:
    shares = [explain.ThemeShare(theme="(none)", observed=9, expected=1, excess=8, share=0.8),
              explain.ThemeShare(theme="app", observed=3, expected=1, excess=2, share=0.2)]  # fmt: skip
    assert explain.top_theme_names(shares) == frozenset()
    tied = [explain.ThemeShare(theme="app", observed=5, expected=0, excess=5, share=0.5),
            explain.ThemeShare(theme="price", observed=5, expected=0, excess=5, share=0.5)]  # fmt: skip
    assert explain.top_theme_names(tied) == frozenset({"app", "price"})
