"""Advice against buying is a complaint at post level too ("Never buy Corvo again" read
neutral: the per-target rule gave the brand -1 while the post stayed 0); "don't buy into the
hype" is an idiom, not advice, and a contrast still lets the verdict after it win."""

from __future__ import annotations

import pytest

from brandhalo.text.sentiment.lexicon import LexiconEngine


@pytest.fixture(scope="module")
def engine() -> LexiconEngine:
    return LexiconEngine()


@pytest.mark.parametrize(
    "text",
    ["Don't buy the Brava, it died in a week.", "Never buy anything from them again",
     "Do not buy this grinder", "I would never buy it", "Won’t buy again, sorry",
     "honestly not buying again"],
)  # fmt: skip
def test_advice_against_buying_is_negative(engine: LexiconEngine, text: str) -> None:
    got = engine.score([text])
    assert got.labels[0] == -1, (text, got.evidence[0])


@pytest.mark.parametrize(
    "text",
    ["Don't buy into the hype, this machine is great", "I don't buy many gadgets but this one "
     "is brilliant"],
)  # fmt: skip
def test_idiom_and_contrast_keep_the_verdict(engine: LexiconEngine, text: str) -> None:
    assert engine.score([text]).labels[0] == 1


def test_batch_and_single_paths_agree(engine: LexiconEngine) -> None:
    texts = ["Never buy Corvo again", "don't buy into it", "Do not buy", ""]
    batch = engine.score(texts)
    for i, t in enumerate(texts):
        one = engine.score([t])
        assert one.labels[0] == batch.labels[i] and one.evidence[0] == batch.evidence[i]
