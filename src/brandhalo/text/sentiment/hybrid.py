"""`hybrid`: the lexicon's rules plus the linear model's n-gram evidence in one score.

The lexicon sum ``s`` (negation, degree, contrast, emoticons, domain terms) and the linear
model's log-odds ``z`` (clipped) are added as ``s + beta * z`` (beta 0.3) and squashed like the
lexicon score; |score| < 0.3 is neutral (both tuned on the public dev sets, see
docs/sentiment.md). The lexicon keeps its explainable evidence; when it found nothing, the linear model's
strongest n-grams are the evidence. Slower than ``lexicon`` (the n-gram hashing dominates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from brandhalo.text.sentiment._base import (
    SentimentEngine,
    SentimentResult,
    as_text_list,
    register_engine,
)
from brandhalo.text.sentiment.lexicon import LexiconEngine, _automaton, analyze
from brandhalo.text.sentiment.linear import explain, featurize, load_model

DEFAULT_BETA = 0.3
LOGIT_CLIP = 4.0


@register_engine("hybrid")
class HybridEngine(SentimentEngine):
    """Lexicon rules + linear n-gram model.

    Args:
        model_path: linear model file; None = the shipped default model.
        beta: weight of the linear log-odds next to the lexicon sum.
        threshold: |score| below which a text is neutral.
        extra_terms: extra lexicon words with signed weights.
        batch_size: texts vectorised at once.
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        beta: float = DEFAULT_BETA,
        threshold: float = 0.3,
        extra_terms: Mapping[str, float] | None = None,
        batch_size: int = 4096,
    ) -> None:
        self.lexicon = LexiconEngine(extra_terms=extra_terms, threshold=threshold)
        self.model_path = str(model_path) if model_path else None
        self.beta = float(beta)
        self.batch_size = max(1, int(batch_size))
        load_model(self.model_path)  # fail early if the model is missing or bad

    def score(self, texts: Sequence[str]) -> SentimentResult:
        """Score texts in batches."""
        items = as_text_list(texts)
        parts = [
            self._score_batch(items[i : i + self.batch_size])
            for i in range(0, len(items), self.batch_size)
        ]
        return SentimentResult.concat(parts)

    def _score_batch(self, items: list[str]) -> SentimentResult:
        auto = _automaton(self.lexicon.extra)
        totals = np.zeros(len(items), dtype=np.float64)
        evidence: list[list[str]] = []
        for i, text in enumerate(items):
            totals[i], ev = analyze(auto, text)
            evidence.append(ev)
        model = load_model(self.model_path)
        x = featurize(items, model.n_features)
        logit = _log_odds(model, x)
        blank = np.fromiter((not t.strip() for t in items), dtype=bool, count=len(items))
        combined = totals + self.beta * np.where(blank, 0.0, logit)
        result = self.lexicon._result(combined, evidence)
        missing = [i for i, ev in enumerate(evidence) if not ev and result.labels[i] != 0]
        if missing:
            extra = explain(model, x[missing], result.labels[missing], [items[i] for i in missing])
            for i, ev in zip(missing, extra, strict=True):
                evidence[i] = ev
        return result

    def describe(self) -> dict[str, Any]:
        """Engine name, beta, threshold and the linear model's path."""
        return {
            "engine": self.name,
            "beta": self.beta,
            "threshold": self.lexicon.threshold,
            "model_path": self.model_path or "default",
        }


def _log_odds(model: Any, x: Any) -> np.ndarray:
    """Clipped log p(positive)/p(negative), damped by p(neutral) for 3-class models."""
    proba = np.clip(model.proba(x), 1e-6, 1.0)
    classes = model.classes.tolist()
    pos, neg = proba[:, classes.index(1)], proba[:, classes.index(-1)]
    z = np.clip(np.log(pos) - np.log(neg), -LOGIT_CLIP, LOGIT_CLIP)
    return z * (1.0 - proba[:, classes.index(0)]) if 0 in classes else z
