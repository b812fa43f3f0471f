"""Choosing posts to label, the labelling sheet, and labels stored in the workspace."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from domain_helpers import domain_rows

from brandhalo.errors import InputError
from brandhalo.text.sentiment._base import SentimentResult
from brandhalo.text.sentiment.active import (
    NEAR_DUPLICATE,
    read_sheet,
    select_for_labelling,
    store_labels,
    vectors,
    write_sheet,
)
from brandhalo.text.sentiment.workspace_model import row_key, workspace_labels
from brandhalo.workspace import Workspace


def _stream(n: int = 600, seed: int = 0) -> tuple[list[str], list[str], SentimentResult]:
    """Domain posts plus planted exact and near duplicates, scored by a planted engine: 2 %
    predicted negative, confidence falling with the index (the tail is uncertain)."""
    rows = domain_rows(n, seed=seed)
    texts = [t for t, _ in rows]
    texts += [texts[0], texts[1], texts[2] + "！"]  # duplicates and a near-identical text
    m = len(texts)
    labels = np.where(np.arange(m) % 50 == 0, -1, np.where(np.arange(m) % 2 == 0, 0, 1))
    scores = np.where(labels == -1, -0.8, np.where(labels == 1, 0.5, 0.0))
    confidence = np.linspace(0.99, 0.34, m)
    result = SentimentResult.build(labels, scores, confidence)
    return [f"p{i}" for i in range(m)], texts, result


def test_picks_are_distinct_and_not_near_identical() -> None:
    ids, texts, result = _stream()
    picks = select_for_labelling(ids, texts, result, 120)
    assert len(picks) == 120
    assert len({row_key(p.text) for p in picks}) == 120
    sim = (vectors([p.text for p in picks]) @ vectors([p.text for p in picks]).T).toarray()
    np.fill_diagonal(sim, 0)
    assert sim.max() < NEAR_DUPLICATE


def test_picks_over_sample_likely_negatives_and_uncertain_posts() -> None:
    ids, texts, result = _stream()
    picks = select_for_labelling(ids, texts, result, 100)
    reasons = pd.Series([p.reason for p in picks]).value_counts().to_dict()
    assert set(reasons) == {"uncertain", "negative", "diverse"}
    neg_share = np.mean([p.predicted == "negative" for p in picks])
    base_rate = np.mean(result.labels == -1)
    assert neg_share >= 4 * base_rate  # the rare class is over-sampled
    conf = np.array([p.confidence for p in picks if p.reason == "uncertain"])
    assert conf.mean() < np.median(result.confidence)


def test_labelled_texts_are_never_picked_again() -> None:
    ids, texts, result = _stream()
    exclude = [row_key(t) for t in texts[:300]]
    picks = select_for_labelling(ids, texts, result, 80, exclude=exclude)
    assert not {row_key(p.text) for p in picks} & set(exclude)


def test_sheet_round_trip_csv_and_xlsx(tmp_path: Path) -> None:
    ids, texts, result = _stream(200)
    picks = select_for_labelling(ids, texts, result, 20)
    csv_path, xlsx_path = write_sheet(picks, tmp_path, "sheet")
    assert csv_path.suffix == ".csv" and xlsx_path.suffix == ".xlsx"
    for path in (csv_path, xlsx_path):
        frame = (
            pd.read_csv(path, dtype=str, keep_default_na=False)
            if path.suffix == ".csv"
            else pd.read_excel(path, dtype=str, keep_default_na=False)
        )
        assert list(frame.columns)[:3] == ["post_id", "text", "label"]
        assert (frame["label"] == "").all() and len(frame) == 20
    filled = pd.read_excel(xlsx_path, dtype=str, keep_default_na=False)
    filled.loc[:4, "label"] = ["negative", "neutral", "正面", "pos", "-1"]
    filled.to_excel(tmp_path / "filled.xlsx", index=False)
    rows = read_sheet(tmp_path / "filled.xlsx")
    assert [r["label"] for r in rows] == ["negative", "neutral", "positive", "positive", "negative"]
    assert rows[0]["post_id"] == filled.loc[0, "post_id"]


def test_read_sheet_rejects_unknown_labels(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    pd.DataFrame({"post_id": ["a"], "text": ["x"], "label": ["maybe"]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="maybe"):
        read_sheet(path)


def test_a_later_label_replaces_the_earlier_one(tmp_ws: Workspace) -> None:
    store_labels(tmp_ws, [{"post_id": "", "text": "续航打五折", "label": "positive"}])
    store_labels(tmp_ws, [{"post_id": "", "text": "续航打五折", "label": "negative"}])
    store_labels(tmp_ws, [{"post_id": "", "text": "加速太暴力了", "label": "positive"}])
    rows = workspace_labels(tmp_ws)
    got = dict(zip(rows.texts, rows.labels.tolist(), strict=True))
    assert got == {"续航打五折": -1, "加速太暴力了": 1}
