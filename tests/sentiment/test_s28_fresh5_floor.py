"""The blind held-out set of session 28 (``data/multicat_fresh5.tsv``: 160 posts of skincare,
a coffee chain, a phone and a robot vacuum, a crawl's mix, written without running the engine
or reading its lexicons): a floor under what the session's rules generalise to, negatives
first (before them: negative precision 0.806, accuracy 0.700; after: 0.900, 0.769)."""

from __future__ import annotations

from sentiment_helpers import handwritten_rows

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.evaluate import metrics


def test_blind_multicategory_floor() -> None:
    texts, gold = handwritten_rows("multicat_fresh5.tsv")
    assert len(texts) == 160
    m = metrics(gold, get_engine("lexicon").score(texts).labels)
    assert m["per_class"]["negative"]["precision"] >= 0.85
    assert m["accuracy"] >= 0.74
