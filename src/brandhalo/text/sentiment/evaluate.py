"""Scoring an engine against labelled rows: accuracy, macro-F1, per-class P/R, confusion, speed.

When the gold labels are binary (only negative and positive), an engine's neutral predictions
are resolved by the sign of its score (score >= 0 counts as positive), so 3-class engines can
be compared on 2-class sets, as benchmarks/sentiment.py does; how many were resolved is
reported as ``neutral_resolved`` (``neutral_zero_score`` of them had score 0, no signal either
way, and count as positive only by the rule), and ``neutral_as_wrong`` gives accuracy and
macro-F1 with those neutrals counted as wrong instead (a neutral is neither label).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from brandhalo.text.sentiment._base import SentimentEngine, SentimentResult
from brandhalo.text.sentiment.labels import read_labelled

NAMES = {-1: "negative", 0: "neutral", 1: "positive"}
#: First evidence of an `eval --rows` row whose neutral prediction the binary gold resolved.
RESOLVED = "(neutral, counted by score sign)"


def metrics(gold: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    """Accuracy, macro-F1 over the gold classes, per-class P/R/F1 and the confusion matrix."""
    gold = np.asarray(gold, dtype=np.int8)
    pred = np.asarray(pred, dtype=np.int8)
    classes = sorted(set(np.unique(gold).tolist()) | set(np.unique(pred).tolist()))
    gold_classes = sorted(set(np.unique(gold).tolist()))
    per: dict[str, dict[str, float | int]] = {}
    f1s = []
    for c in classes:
        tp = int(np.sum((pred == c) & (gold == c)))
        n_pred, n_gold = int(np.sum(pred == c)), int(np.sum(gold == c))
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        per[NAMES[c]] = {"precision": p, "recall": r, "f1": f1, "support": n_gold}
        if c in gold_classes:
            f1s.append(f1)
    matrix = [[int(np.sum((gold == g) & (pred == p))) for p in classes] for g in classes]
    return {
        "n": int(gold.shape[0]),
        "accuracy": float(np.mean(gold == pred)) if gold.size else 0.0,
        "macro_f1": float(np.mean(f1s)) if f1s else 0.0,
        "per_class": per,
        "confusion": {"labels": [NAMES[c] for c in classes], "rows_gold_cols_pred": matrix},
    }


def predictions_for(gold: np.ndarray, result: SentimentResult) -> tuple[np.ndarray, int]:
    """Engine labels, with neutrals resolved by score sign when the gold set is binary."""
    return resolve_neutral(gold, result.labels, result.scores)


def resolve_neutral(gold: Any, labels: Any, scores: Any) -> tuple[np.ndarray, int]:
    """`labels` with neutrals resolved by the sign of `scores` (>= 0: positive) when `gold`
    holds only negative and positive rows, and how many were resolved (else `labels`, 0).

    Every score on labelled rows goes through here (``eval`` and ``train``'s before, after
    and in-use scores), so the two commands agree on the same rows and engine."""
    pred = np.asarray(labels).astype(np.int8)
    if set(np.unique(gold).tolist()) <= {-1, 1}:
        neutral = pred == 0
        pred = np.where(neutral, np.where(np.asarray(scores) >= 0, 1, -1), pred).astype(np.int8)
        return pred, int(neutral.sum())
    return pred, 0


def false_alarm_share(gold: np.ndarray, pred: np.ndarray) -> float | None:
    """Share of the rows that are not negative (gold 0 or 1) labelled negative; None without
    such rows. Unlike negative precision it does not depend on how many negatives the rows
    hold, so it carries over to a stream with another mix (see :func:`precision_at_share`)."""
    others = np.asarray(gold) != -1
    if not others.any():
        return None
    return float(np.sum((np.asarray(pred) == -1) & others) / others.sum())


def precision_at_share(recall: float, false_alarm: float, share: float) -> float | None:
    """Negative precision to expect on a stream whose share of negative posts is `share`,
    from negative recall and :func:`false_alarm_share` measured on labelled rows (labelled
    samples over-sample negatives, so their own negative precision overstates a stream's).
    None when nothing would be called negative."""
    hits, alarms = share * recall, (1.0 - share) * false_alarm
    return hits / (hits + alarms) if hits + alarms > 0 else None


def evaluate(engine: SentimentEngine, texts: Sequence[str], gold: Any) -> dict[str, Any]:
    """Score `texts` with `engine` and compare with `gold` (-1/0/1); adds docs_per_s and
    ``non_negative_called_negative`` (:func:`false_alarm_share`)."""
    return _scored(engine, texts, gold)[0]


def evaluate_rows(
    engine: SentimentEngine, texts: Sequence[str], gold: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """:func:`evaluate`, and one row per text: its number (1-based, in the order given), the
    text, the gold and predicted label names, ``correct``, the score, the confidence and the
    evidence that decided it (what `eval --rows` writes, to read the misreadings); a neutral
    prediction resolved by score sign (binary gold) has :data:`RESOLVED` first."""
    report, result, gold_arr, pred = _scored(engine, texts, gold)
    evidence = result.evidence or [[] for _ in texts]
    raw = np.asarray(result.labels).astype(np.int8)
    # a neutral the binary gold made negative or positive says so, to tell it from a reading
    evidence = [[RESOLVED, *ev] if r == 0 and p != 0 else ev
                for r, p, ev in zip(raw, pred, evidence, strict=True)]  # fmt: skip
    rows = [
        {
            "row": i + 1,
            "text": text,
            "gold": NAMES[int(g)],
            "predicted": NAMES[int(p)],
            "correct": bool(g == p),
            "score": round(float(score), 4),
            "confidence": round(float(conf), 4),
            "evidence": " ".join(ev),
        }
        for i, (text, g, p, score, conf, ev) in enumerate(
            zip(texts, gold_arr, pred, result.scores, result.confidence, evidence, strict=True)
        )
    ]
    return report, rows


def _scored(
    engine: SentimentEngine, texts: Sequence[str], gold: Any
) -> tuple[dict[str, Any], SentimentResult, np.ndarray, np.ndarray]:
    """(the :func:`evaluate` report, the engine's result, gold and the predicted labels)."""
    gold_arr = np.asarray(gold, dtype=np.int8)
    t0 = time.perf_counter()
    result = engine.score(list(texts))
    seconds = time.perf_counter() - t0
    pred, resolved = predictions_for(gold_arr, result)
    out = metrics(gold_arr, pred)
    out["gold_labels"] = [NAMES[c] for c in sorted(set(np.unique(gold_arr).tolist()))]
    if resolved:
        raw = np.asarray(result.labels).astype(np.int8)
        strict = metrics(gold_arr, raw)  # a neutral matches no binary gold label: wrong
        out["neutral_zero_score"] = int(np.sum((raw == 0) & (np.asarray(result.scores) == 0)))
        out["neutral_as_wrong"] = {
            "accuracy": strict["accuracy"],
            "macro_f1": strict["macro_f1"],
        }
    out.update(
        {
            "engine": engine.describe(),
            "seconds": seconds,
            "docs_per_s": len(texts) / seconds if seconds > 0 else 0.0,
            "neutral_resolved": resolved,
            "non_negative_called_negative": false_alarm_share(gold_arr, pred),
        }
    )
    return out, result, gold_arr, pred


def evaluate_file(
    engine: SentimentEngine, labels_file: str | Path, text_col: str, label_col: str
) -> dict[str, Any]:
    """:func:`evaluate` on the rows of a labelled CSV/TSV/JSONL/Parquet file."""
    texts, gold = read_labelled(labels_file, text_col, label_col)
    out = evaluate(engine, texts, gold)
    out["file"] = str(labels_file)
    return out


def trained_overlap_of(engine: SentimentEngine, texts: Sequence[str]) -> int:
    """How many of `texts` the engine's model file says it was trained on (0 if unknown)."""
    from brandhalo.text.sentiment.workspace_model import trained_overlap

    path = getattr(engine, "model_path", None)
    if not path or not str(path).endswith(".npz"):
        return 0
    from brandhalo.text.sentiment.linear import load_model

    return trained_overlap(load_model(path).meta, texts)
