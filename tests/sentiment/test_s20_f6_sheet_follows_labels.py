"""The labelling sheet follows the labels already given (walk-through s20 w1).

A first sheet labelled 83 negative / 6 neutral / 11 positive made `train` warn "label more
neutral and positive posts: `brandhalo label`", but the next sheet gave 30 % of its rows to
likely negatives again. With labels mostly of one class (more than ``SKEWED_SHARE``), that
share goes to posts predicted (then leaning) in the other classes, reason ``rare-class``; with
no labels or balanced ones the sheet is exactly as before.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from domain_helpers import domain_rows
from typer.testing import CliRunner

from brandhalo.cli import app
from brandhalo.store.posts import unlabelled_scored
from brandhalo.text.enrich import config_hashes
from brandhalo.text.sentiment import active
from brandhalo.text.sentiment._base import SentimentResult
from brandhalo.text.sentiment.active import (
    POOL_CAP,
    SHARES,
    SKEWED_SHARE,
    label_skew,
    sample_sentiment,
    select_for_labelling,
    workspace_candidates,
    workspace_engine,
)
from brandhalo.text.sentiment.labels import SHEET_HEADERS_ZH, SHEET_REASONS_ZH, SHEET_WORDS_ZH
from brandhalo.text.sentiment.workspace_model import stored_engine_name
from brandhalo.workspace import Workspace, init_workspace

runner = CliRunner()
N = 60
PROMISED = round(N * SHARES["negative"])  # the share the likely negatives had: 18 rows


def _workspace(root: Path, labels: dict[str, int]) -> None:
    """An analyzed lexicon workspace of 400 launch-week posts (30 % planted negative) with
    `labels` (class -> how many) stored on its first posts."""
    init_workspace(root).close()
    texts = [t for t, _ in domain_rows(400, seed=6, negative_share=0.3)]
    path = root.parent / "posts.csv"
    pd.DataFrame(
        {
            "post_id": [f"p{i}" for i in range(len(texts))],
            "text": texts,
            "created_at": [f"2026-03-{1 + i % 20:02d} 10:00:00" for i in range(len(texts))],
        }
    ).to_csv(path, index=False)
    res = runner.invoke(app, ["ingest", "posts", str(path), "-p", str(root)])
    assert res.exit_code == 0, res.output
    given = [name for name, k in labels.items() for _ in range(k)]
    if given:
        sheet = root.parent / "labels.csv"
        ids = [f"p{i}" for i in range(len(given))]
        pd.DataFrame({"post_id": ids, "label": given}).to_csv(sheet, index=False)
        res = runner.invoke(app, ["ingest", "labels", str(sheet), "-p", str(root)])
        assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["analyze", "-p", str(root)])
    assert res.exit_code == 0, res.output


def _predicted(ws: Workspace) -> dict[str, str]:
    """The engine's label of every unlabelled post, by id (what the sheet's `predicted` says)."""
    engine = workspace_engine(ws)
    sample = unlabelled_scored(
        ws.store.con,
        POOL_CAP,
        stored_engine_name(engine),
        config_hashes(ws.config)[0],
        active._model_written(engine),
    )
    result = sample_sentiment(engine, sample)
    names = active.LABEL_NAMES
    return {p: names[int(v)] for p, v in zip(sample.post_ids, result.labels.tolist(), strict=True)}


def _sheet(root: Path, out: Path, seed: int = 0) -> tuple[pd.DataFrame, str]:
    res = runner.invoke(
        app, ["label", "-p", str(root), "-n", str(N), "--seed", str(seed), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    (csv,) = out.glob("*.csv")
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    # a zh workspace's sheet (the default): Chinese headers, predicted labels and reasons
    assert list(frame.columns) == [SHEET_HEADERS_ZH[c] for c in active.SHEET_COLUMNS]
    frame.columns = list(active.SHEET_COLUMNS)
    assert set(frame["reason"]) <= set(SHEET_REASONS_ZH.values())
    for col, words in (("predicted", SHEET_WORDS_ZH), ("reason", SHEET_REASONS_ZH)):
        back = {v: k for k, v in words.items()}
        frame[col] = [back[v] for v in frame[col]]
    return frame, " ".join(res.output.split())


def test_skewed_labels_lean_the_sheet_toward_the_rare_classes(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root, {"negative": 40, "neutral": 3, "positive": 5})  # 83 % negative
    with Workspace.open(root) as ws:
        predicted = _predicted(ws)
        today = workspace_candidates(ws, N)  # the sheet as it was picked before
    # the stream has enough rare-class posts to keep the promise, and the old sheet did not
    rare_in_stream = Counter(v for v in predicted.values() if v != "negative")
    assert sum(rare_in_stream.values()) > 3 * PROMISED
    assert Counter(p.reason for p in today)["negative"] == PROMISED

    sheet, said = _sheet(root, tmp_path / "sheet")
    assert len(sheet) == N
    assert (sheet["predicted"] == [predicted[p] for p in sheet["post_id"]]).all()
    rare = sheet[sheet["reason"] == "rare-class"]
    assert len(rare) == PROMISED  # the likely negatives' share, all of it
    assert set(rare["predicted"]) <= {"neutral", "positive"}
    assert set(rare["predicted"]) == {"neutral", "positive"}  # both rare classes, in turn
    assert (sheet["predicted"] != "negative").sum() >= PROMISED
    assert "negative" not in set(sheet["reason"])
    before = sum(p.predicted == "negative" for p in today)
    assert (sheet["predicted"] == "negative").sum() < before
    assert (
        "83% of your labels are negative: this sheet leans toward neutral and positive posts"
        in said
    )


def test_skewed_toward_positive_leans_toward_negative_and_neutral(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    _workspace(root, {"negative": 1, "neutral": 2, "positive": 20})
    sheet, said = _sheet(root, tmp_path / "sheet")
    rare = sheet[sheet["reason"] == "rare-class"]
    assert len(rare) == PROMISED
    assert set(rare["predicted"]) == {"negative", "neutral"}
    assert "87% of your labels are positive: this sheet leans toward negative and neutral" in said


@pytest.mark.parametrize(
    "labels",
    [{}, {"negative": 10, "neutral": 9, "positive": 11}, {"negative": 14, "neutral": 6}],
    ids=["none", "balanced", "at-the-threshold"],
)
def test_no_or_balanced_labels_keep_the_sheet_as_it_was(
    tmp_path: Path, labels: dict[str, int]
) -> None:
    """14 of 20 is 70 %: not more than SKEWED_SHARE, so no lean."""
    root = tmp_path / "ws"
    _workspace(root, labels)
    for seed in (0, 3):
        with Workspace.open(root) as ws:
            before = workspace_candidates(ws, N, seed=seed)
            assert workspace_candidates(ws, N, seed=seed, balance=True) == before
        sheet, said = _sheet(root, tmp_path / f"sheet{seed}", seed)
        assert sheet["post_id"].tolist() == [p.post_id for p in before]
        assert sheet["reason"].tolist() == [p.reason for p in before]
        assert Counter(sheet["reason"])["negative"] == PROMISED
        assert "leans toward" not in said


def test_select_with_lean_keeps_the_other_streams_and_the_draws() -> None:
    """The uncertain and diverse streams pick the same posts; only the negative share moves."""
    rows = domain_rows(300, seed=2, negative_share=0.3)
    texts = [t for t, _ in rows]
    rng = np.random.default_rng(1)
    labels = np.array([y for _, y in rows])
    scores = np.round(labels * 0.5 + rng.uniform(-0.4, 0.4, len(rows)), 3)
    result = SentimentResult.build(labels, scores, np.round(rng.uniform(0.3, 1, len(rows)), 2))
    ids = [f"p{i}" for i in range(len(rows))]
    plain = select_for_labelling(ids, texts, result, N, seed=4)
    lean = select_for_labelling(ids, texts, result, N, seed=4, lean=["positive", "neutral"])
    rare = [p for p in lean if p.reason == "rare-class"]
    assert len(rare) == PROMISED
    assert {p.predicted for p in rare} == {"positive", "neutral"}
    first = [p for p in lean if p.reason != "rare-class"][:5]
    assert first == [p for p in plain if p.reason != "negative"][:5]
    assert select_for_labelling(ids, texts, result, N, seed=4, lean=[]) == plain


def test_the_skew_rule_is_trains_and_the_zh_sheet_names_the_reason() -> None:
    from brandhalo.cli.sentiment import label_skew as train_skew

    counts = {"negative": 83, "neutral": 6, "positive": 11}
    assert label_skew(counts) == train_skew(counts)
    assert label_skew(counts) == {
        "class": "negative",
        "share": 0.83,
        "label_more": ["neutral", "positive"],
    }
    assert label_skew({"negative": 7, "positive": 3}) is None  # 70 %: not more than
    assert SKEWED_SHARE == 0.7
    assert SHEET_REASONS_ZH["rare-class"] and SHEET_REASONS_ZH["rare-class"].isascii() is False
