"""`fake`: a deterministic keyword engine for tests (no lexicon files, no model, no state).

It counts fixed positive and negative keywords by substring; the sign of the difference is the
label. Tests of other stages use it when they need sentiment they can predict by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from brandhalo.text.sentiment._base import (
    SentimentEngine,
    SentimentResult,
    as_text_list,
    register_engine,
)

POSITIVE: tuple[str, ...] = ("good", "great", "love", "好", "赞", "喜欢", "👍")
NEGATIVE: tuple[str, ...] = ("bad", "awful", "hate", "差", "烂", "失灵", "😡")


@register_engine("fake")
class FakeEngine(SentimentEngine):
    """Keyword counter: label = sign(#positive - #negative) over substring hits.

    Args:
        positive: keywords that count +1 each (lower-case; default :data:`POSITIVE`).
        negative: keywords that count -1 each (default :data:`NEGATIVE`).
    """

    def __init__(
        self,
        positive: Sequence[str] = POSITIVE,
        negative: Sequence[str] = NEGATIVE,
    ) -> None:
        self.positive = tuple(positive)
        self.negative = tuple(negative)

    def score(self, texts: Sequence[str]) -> SentimentResult:
        """Score `texts` by keyword counts."""
        items = as_text_list(texts)
        n = len(items)
        labels = np.zeros(n, dtype=np.int8)
        scores = np.zeros(n, dtype=np.float64)
        conf = np.full(n, 0.5, dtype=np.float64)
        evidence: list[list[str]] = []
        for i, text in enumerate(items):
            low = text.lower()
            pos = [w for w in self.positive if w in low]
            neg = [w for w in self.negative if w in low]
            total = len(pos) + len(neg)
            if total:
                scores[i] = (len(pos) - len(neg)) / total
                labels[i] = np.sign(len(pos) - len(neg))
                conf[i] = 0.9 if labels[i] else 0.5
            evidence.append([f"+{w}" for w in pos] + [f"-{w}" for w in neg])
        return SentimentResult.build(labels, scores, conf, evidence)

    def describe(self) -> dict[str, object]:
        """Engine name and keyword counts."""
        return {"engine": self.name, "positive": len(self.positive), "negative": len(self.negative)}
