"""Simulated texts agree with the built-in theme queries, and the demo workspace ingests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from brandhalo.demo import Simulation
from brandhalo.demo.scenario import THEMES


def test_theme_truth_agrees_with_the_builtin_theme_queries(sim10k: Simulation) -> None:
    from brandhalo.text.default_themes import DEFAULT_THEMES
    from brandhalo.text.query import compile_query

    posts = pd.read_parquet(sim10k.posts, columns=["id", "text", "parent_id"])
    truth = pd.read_parquet(sim10k.truth, columns=["post_id", "themes"])
    df = posts[posts.parent_id.isna()].merge(truth, left_on="id", right_on="post_id")
    texts = df.text.tolist()
    queries = {t["name"]: t["query"] for t in DEFAULT_THEMES}
    assert set(THEMES) <= set(queries)  # the canonical names are shared
    for name in THEMES:
        hit = compile_query(queries[name]).matches(texts)
        planted = df.themes.map(lambda ts, n=name: n in ts).to_numpy()
        tp = int((hit & planted).sum())
        assert planted.sum() > 50, name
        assert tp / planted.sum() >= 0.9, (name, "recall")
        assert tp / max(1, hit.sum()) >= 0.85, (name, "precision")
    extra = [t for t in queries if t not in THEMES]  # other built-ins stay quiet on our texts
    for name in extra:
        assert compile_query(queries[name]).matches(texts).mean() < 0.01, name


def test_segment_markers_and_hints_follow_the_truth(sim10k: Simulation) -> None:
    posts = pd.read_parquet(sim10k.posts, columns=["id", "text", "parent_id"])
    truth = pd.read_parquet(sim10k.truth, columns=["post_id", "segment"])
    df = posts[posts.parent_id.isna()].merge(truth, left_on="id", right_on="post_id")
    openers = {  # segment markers lead a post (names in @mentions are other people)
        "premium": "开了十年BBA|作为商务人士|家里已经有保时捷|高端用户说一句|换车前开的是奔驰S|Coming "
        "from a Porsche|As a luxury car owner|开过BBA的说一句|high-end用户表示",
        "enthusiast": "作为十年米粉|发烧友说一句|刷机党来了|数码爱好者报到|老米粉了|As a long-time "
        "enthusiast|Tech geek here|作为geek|发烧友review",
        "mass": "学生党预算有限|打工人路过|普通上班族一枚|预算不多的话|宝妈路过|On a budget here|"
        "Regular commuter here|学生党budget有限|打工人daily",
    }
    for segment, pattern in openers.items():
        marked = df.text.str.match(pattern)
        assert marked.sum() > 100 and (df.segment[marked] == segment).all(), segment
    assert np.isin(df.segment.unique(), ["enthusiast", "mass", "premium"]).all()


@pytest.mark.slow
def test_build_demo_workspace_ingests_everything_and_can_rerun(tmp_path: Path) -> None:
    from brandhalo.demo import build_demo_workspace

    ws, stage = build_demo_workspace(tmp_path / "demo", seed=7, posts=5_000)
    try:
        assert stage.name == "ingest"
        assert stage.counts["posts_inserted"] == 5_000 and stage.counts["posts_quarantined"] == 0
        for kind in ("sales", "market", "financials", "events", "targets", "labels"):
            assert stage.counts[f"{kind}_quarantined"] == 0, kind
            assert stage.counts[f"{kind}_inserted"] > 0, kind
        assert ws.store.count("posts") == 5_000
        assert ws.store.query("select bool_and(simulated) as s from posts").s[0]
        reposts = ws.store.query("select count(*) as n from posts where parent_id is not null")
        assert reposts.n[0] == 750
        assert "simulated" in ws.config.workspace.name
    finally:
        ws.close()
    ws, stage = build_demo_workspace(tmp_path / "demo", seed=7, posts=5_000)  # rebuilds
    try:
        assert ws.store.count("posts") == 5_000
    finally:
        ws.close()
