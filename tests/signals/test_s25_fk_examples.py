"""Examples across the driving themes and platforms (s25 FK walk-through).

A robot-vacuum brand's episode joined an English privacy wave on X and a Chinese mop-pad story
on Xiaohongshu; the examples were ranked by raw engagement, Xiaohongshu likes run ~10x a
tweet's, so all five examples were Xiaohongshu mop-pad posts. The first example of each
driving theme now leads, and engagement is ranked within each platform."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from brandhalo.analytics import explain
from brandhalo.analytics.explain_data import Window, WindowRows

DAY = dt.date(2026, 12, 2)
PRIVACY = "privacy\x1fproduct"
MOP = "mop_pad\x1fproduct"


def _posts(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    """Window rows (post_id, theme_key, eng, source) as the store gives them."""
    n = len(rows)
    return pd.DataFrame(
        {
            "post_id": [r[0] for r in rows],
            "theme_key": [r[1] for r in rows],
            "text": [f"complaint number {r[0]}" for r in rows],
            "url": [f"https://x/{r[0]}" for r in rows],
            "created_at": [pd.Timestamp("2026-12-02 03:00")] * n,
            "author_id": [f"a{r[0]}" for r in rows],
            "author_name": [f"u{r[0]}" for r in rows],
            "followers": [10] * n,
            "eng": [r[2] for r in rows],
            "themed": [True] * n,
            "label": [-1] * n,
            "confidence": [0.9] * n,
            "evidence": [json.dumps(["-disappointed"])] * n,
            "source": [r[3] for r in rows],
            "stored_origin": ["organic"] * n,
        }
    )


def _rows(posts: pd.DataFrame) -> WindowRows:
    # mop_pad 22 negatives on the day, privacy 18 (none of either in the baseline)
    days = [DAY - dt.timedelta(days=k) for k in range(1, 29)]
    excess = pd.DataFrame(
        {"theme": ["mop_pad", "privacy"] + ["(none)"] * 28,
         "day": [DAY, DAY] + days, "neg": [22, 18] + [1] * 28}
    )  # fmt: skip
    return WindowRows(excess=excess, posts=posts, baseline=posts.iloc[0:0])


# Xiaohongshu mop-pad posts with 900..1,700 likes, X privacy posts with 60..140
MOP_XHS = [(f"mop{i}", MOP, 900 + 100 * i, "xhs") for i in range(9)]
PRIVACY_X = [(f"priv{i}", PRIVACY, 60 + 10 * i, "x") for i in range(9)]


def test_each_driving_theme_leads_with_its_top_example() -> None:
    expl = explain._explain(Window("Dreame", DAY, DAY, "negative_spike"),
                            _rows(_posts(MOP_XHS + PRIVACY_X)))  # fmt: skip
    assert [t.theme for t in expl.driving_themes][:2] == ["mop_pad", "privacy"]
    ids = [p.post_id for p in expl.examples]
    # the top mop-pad post, then the top privacy post: both stories are shown
    assert ids[:2] == ["mop8", "priv8"]
    assert {i[:3] for i in ids} == {"mop", "pri"}


def test_one_platforms_scale_does_not_crowd_the_others_out() -> None:
    # one theme, two platforms: the top five are not all Xiaohongshu posts
    both = [(i, MOP, e, s) for i, _, e, s in MOP_XHS] + [(i, MOP, e, s) for i, _, e, s in PRIVACY_X]
    win = explain.judge(_posts(both)).assign(in_peak=True)
    order = explain.example_posts(win, "negative_spike", frozenset({"mop_pad"}), ["mop_pad"])
    top5 = order["post_id"].head(5).tolist()
    assert any(i.startswith("priv") for i in top5) and any(i.startswith("mop") for i in top5)
    # within a platform, still by engagement
    xs = [i for i in order["post_id"] if i.startswith("priv")]
    assert xs == [f"priv{i}" for i in range(8, -1, -1)]
    # a platform rank by percentile: the top post of each platform ranks 1.0
    ranks = explain.platform_rank(win)
    assert ranks[win["post_id"] == "priv8"].iloc[0] == ranks[win["post_id"] == "mop8"].iloc[0]
