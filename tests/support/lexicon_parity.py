"""The check every lexicon fast-path test makes: the batch engine
(:func:`brandhalo.text.sentiment.lexicon_batch.analyze_batch`) gives, text by text, the
per-text reference's sum bit for bit and its evidence."""

from __future__ import annotations

import numpy as np

from brandhalo.text.sentiment import lexicon_batch as lb
from brandhalo.text.sentiment.lexicon import _automaton, analyze


def assert_same(texts: list[str], extra: tuple[tuple[str, float], ...] = (), k: int = 5) -> None:
    """Sums bit for bit and evidence lists (`k` items at most; none for 0) equal to the
    reference's, for `texts` with the `extra` terms."""
    auto = _automaton(extra)
    sums, evidence = lb.analyze_batch(extra, texts, max_evidence=k)
    for i, text in enumerate(texts):
        want_sum, want_ev = analyze(auto, text, k)
        assert sums[i].tobytes() == np.float64(want_sum).tobytes(), (text, sums[i], want_sum)
        assert evidence[i] == (want_ev if k else []), text
