"""The simulated post stream: schema, time zone, reposts, language mix, varied real-looking text."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from brandhalo.demo import Simulation
from brandhalo.demo.scenario import SEGMENTS, THEME_TOUCHPOINT, THEMES

POST_COLUMNS = [
    "id",
    "text",
    "created_at",
    "source",
    "author_id",
    "author_name",
    "author_followers",
    "likes",
    "reposts",
    "comments",
    "url",
    "parent_id",
    "segment",
    "simulated",
]


@pytest.fixture(scope="module")
def posts(sim_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(sim_dir / "posts.parquet")


@pytest.fixture(scope="module")
def truth(sim_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(sim_dir / "truth.parquet")


def test_posts_schema_and_size(sim10k: Simulation, posts: pd.DataFrame) -> None:
    assert list(posts.columns) == POST_COLUMNS
    assert len(posts) == 10_000 == sim10k.planted.posts
    assert posts.id.is_unique
    assert posts.simulated.all()
    assert set(posts.source) <= {"weibo", "douyin", "xiaohongshu", "news", "twitter", "autohome"}
    assert (posts[["likes", "reposts", "comments", "author_followers"]] >= 0).all().all()


def test_created_at_is_local_iso_in_the_window(posts: pd.DataFrame) -> None:
    assert posts.created_at.str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00").all()
    ts = pd.to_datetime(posts.created_at)
    assert ts.min() >= pd.Timestamp("2024-01-01T00:00:00+08:00")
    assert ts.max() <= pd.Timestamp("2025-06-30T23:59:59+08:00")
    hours = ts.dt.hour.value_counts()
    assert hours[21] > 3 * hours[4]  # diurnal: late evening busy, small hours quiet


def test_reposts_point_to_earlier_posts(posts: pd.DataFrame, truth: pd.DataFrame) -> None:
    rep = posts[posts.parent_id.notna()]
    assert 0.1 < len(rep) / len(posts) < 0.2
    by_id = posts.set_index("id")
    parent = by_id.loc[rep.parent_id]
    assert (
        pd.to_datetime(parent.created_at).to_numpy() <= pd.to_datetime(rep.created_at).to_numpy()
    ).all()
    assert rep.text.str.contains("//@").sum() > 0 and rep.text.str.startswith("RT @").sum() > 0
    chained = rep[rep.parent_id.isin(rep.id)]
    assert len(chained) > 0 and chained.text.str.count("//@|RT @").min() >= 2
    # the parent's text is quoted in the repost
    sample = rep.head(200)
    assert all(
        by_id.loc[p, "text"] in t for p, t in zip(sample.parent_id, sample.text, strict=True)
    )
    t = truth.set_index("post_id")
    assert (
        t.loc[rep.id, "is_repost"].all()
        and not t.loc[posts.id[posts.parent_id.isna()], "is_repost"].any()
    )


def test_truth_is_complete_and_canonical(posts: pd.DataFrame, truth: pd.DataFrame) -> None:
    assert set(truth.post_id) == set(posts.id)
    assert set(truth.label.unique()) == {-1, 0, 1}
    assert truth.targets.map(len).min() >= 1
    assert (truth.targets.map(len) == truth.target_labels.map(len)).all()
    kinds = {t.split(":")[0] for ts in truth.targets for t in ts}
    assert kinds == {"brand", "competitor", "persona", "product"}
    themes = {t for ts in truth.themes for t in ts}
    assert themes == set(THEMES)
    for ts, tps in zip(truth.themes, truth.touchpoints, strict=True):
        assert [THEME_TOUCHPOINT[t] for t in ts] == list(tps)
    assert set(truth.segment) == set(SEGMENTS)
    share = truth.lang.value_counts(normalize=True)
    assert 0.7 < share["zh"] < 0.9 and 0.05 < share["en"] < 0.2 and 0.03 < share["mixed"] < 0.15
    hint = posts.segment.dropna()
    assert 0.08 < len(hint) / len(posts) < 0.25
    joined = posts.set_index("id").loc[hint.index.map(lambda i: posts.id[i])]
    assert (
        joined.segment.to_numpy()
        == truth.set_index("post_id").loc[joined.index, "segment"].to_numpy()
    ).all()


def test_per_target_labels_differ_in_contrast_posts(
    truth: pd.DataFrame, posts: pd.DataFrame
) -> None:
    two = truth[truth.target_labels.map(lambda x: len(set(x)) > 1)]
    assert len(two) > 100
    text = posts.set_index("id").loc[two.post_id, "text"]
    assert text.str.contains("但是|可是|不过|但|然而|but|however").mean() > 0.95


def test_texts_are_varied_and_look_like_posts(posts: pd.DataFrame, truth: pd.DataFrame) -> None:
    orig = posts[posts.parent_id.isna()]
    assert orig.text.nunique() / len(orig) > 0.6
    lab = truth.set_index("post_id").loc[orig.id, "label"].to_numpy()
    for label in (-1, 0, 1):
        assert orig.text[lab == label].nunique() > 500
    text = " ".join(posts.text)
    for marker in ("[怒]", "[赞]", "#小米SU7#", "👍", "不是不好", "但是", "yyds", "//@", "RT @"):
        assert marker in text, marker
    assert re.search(r"神马|以经|灰常|真滴|酱紫|teh |realy", text)  # everyday typos
    assert orig.text.str.contains(r"[A-Za-z]{3,}").mean() > 0.2  # English / mixed words
    zh = truth.set_index("post_id").loc[orig.id, "lang"].to_numpy() == "zh"
    assert orig.text[zh].str.contains(r"[\u4e00-\u9fff]").all()


def test_writing_is_chunked_with_bounded_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandhalo.demo import simulate, stream

    monkeypatch.setattr(stream, "CHUNK_POSTS", 1_500)
    sim = simulate(tmp_path, seed=3, posts=6_000)
    meta = pq.ParquetFile(sim.posts).metadata
    assert meta.num_rows == 6_000 and meta.num_row_groups >= 4
    assert pq.ParquetFile(sim.truth).metadata.num_row_groups == meta.num_row_groups
    ids = pd.read_parquet(sim.posts, columns=["id"]).id
    assert ids.is_unique


def test_too_few_posts_is_refused(tmp_path: Path) -> None:
    from brandhalo.demo import simulate
    from brandhalo.errors import InputError

    with pytest.raises(InputError, match="too small"):
        simulate(tmp_path, posts=100)


def test_labels_sample_matches_the_truth(sim10k: Simulation, truth: pd.DataFrame) -> None:
    labels = pd.read_csv(sim10k.paths["labels"])
    assert 300 < len(labels) < 700  # ~5 % of the originals
    t = truth.set_index("post_id").loc[labels.post_id]
    words = {-1: "negative", 0: "neutral", 1: "positive"}
    assert (labels.label.to_numpy() == t.label.map(words).to_numpy()).all()
    assert not t.is_repost.any()
    first = t.touchpoints.map(lambda x: x[0] if len(x) else None)
    assert (labels.aspect.fillna("").to_numpy() == first.fillna("").to_numpy()).all()
