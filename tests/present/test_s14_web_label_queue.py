"""The labelling queue's reasons say the truth on a small workspace: "model least sure" is never
a post the model is sure of (40 posts and a 50-post queue showed confidence 1.00 as least
sure), and "likely negative" is never a post that leans positive."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from label_helpers import label_workspace

from brandhalo.text.sentiment._base import SentimentResult
from brandhalo.text.sentiment.active import select_for_labelling


def _texts(n: int) -> list[str]:
    """`n` distinct texts with no character n-gram in common (never near-identical)."""
    return ["".join(chr(0x4E00 + (i * 40 + k) % 20_000) for k in range(12)) for i in range(n)]


def test_a_small_pool_shows_no_sure_post_as_least_sure() -> None:
    n = 40
    confidence = np.linspace(0.5, 1.0, n)  # a quarter of the posts sit at 0.88 .. 1.00
    labels = np.where(np.arange(n) % 4 == 0, -1, 1)
    scores = np.where(labels == -1, -0.9, 0.9)
    result = SentimentResult.build(labels, scores, confidence)
    picks = select_for_labelling([f"p{i}" for i in range(n)], _texts(n), result, 50)
    assert len({p.post_id for p in picks}) == len(picks) == n  # still the whole pool
    unsure = sorted(p.confidence for p in picks if p.reason == "uncertain")
    assert unsure and max(unsure) <= float(np.median(confidence))
    likely_negative = [p for p in picks if p.reason == "negative"]
    assert likely_negative and {p.predicted for p in likely_negative} == {"negative"}


def test_likely_negative_is_only_posts_that_lean_negative() -> None:
    n = 20
    labels = np.zeros(n, dtype=int)
    scores = np.linspace(-0.3, 0.3, n)
    result = SentimentResult.build(labels, scores, np.full(n, 0.7))
    picks = select_for_labelling([f"p{i}" for i in range(n)], _texts(n), result, n)
    leaning = {f"p{i}" for i in range(n) if scores[i] < 0}
    negative = {p.post_id for p in picks if p.reason == "negative"}
    assert negative and negative <= leaning


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("s14_label") / "ws"
    read, _ = label_workspace(root, posts=40, seed=3)
    return root, read


def test_the_label_page_queue_of_a_small_workspace(small: tuple[Path, str]) -> None:
    from fastapi.testclient import TestClient

    from brandhalo.web import create_app

    root, read = small
    with TestClient(create_app(root), headers={"authorization": f"Bearer {read}"}) as client:
        items = client.get("/api/labels/queue").json()["items"]
    every = sorted(i["confidence"] for i in items)
    unsure = [i["confidence"] for i in items if i["reason"] == "uncertain"]
    assert unsure and max(unsure) <= every[len(every) // 2]
    assert all(i["predicted"] != "positive" for i in items if i["reason"] == "negative")
