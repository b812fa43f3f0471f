"""English brand-tweet constructions the lexicon misread (made-up sentences of the same kinds).

On the Sanders and Apple 2014 brand tweets, most neutral tweets called positive came from a
few phrases: offers ("free"), Apple's repair desk ("Genius Bar"), giveaways ("win a ..."),
jobs ("working on"), wishes ("would be great if ..."); and complaints went unread where no
single word carried them ("can't stand", "for the love of ...", "can you fix", "#not").
Each case is checked on the batch path and on the per-text reference.
"""

from __future__ import annotations

import pytest

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.lexicon import _automaton, analyze

NEUTRAL = [
    "Get a free case with every order this week",
    "Booked a Genius Bar appointment for Tuesday morning",
    "Win an e-reader from our shop, entries close Friday",
    "The team is working on the next version of the app",
    "Would be great if the app had a dark mode",
    "She works at the phone store downtown",
]
NEGATIVE = [
    "Great service as always #not",
    "For the love of all that is holy, stop moving the buttons",
    "Can you fix the calendar sync already",
    "I can't stand the new keyboard layout",
    "Third cable this month, give me a break",
]


@pytest.mark.parametrize("text", NEUTRAL)
def test_offers_giveaways_jobs_and_wishes_are_not_praise(text: str) -> None:
    result = get_engine("lexicon").score([text])
    assert int(result.labels[0]) == 0, result.evidence[0]
    total, evidence = analyze(_automaton(()), text)
    assert not any(e.startswith("+") for e in evidence), evidence
    assert float(result.scores[0]) == pytest.approx(total / (total * total + 6.0) ** 0.5)


@pytest.mark.parametrize("text", NEGATIVE)
def test_complaint_constructions_read_negative(text: str) -> None:
    result = get_engine("lexicon").score([text])
    assert int(result.labels[0]) == -1, result.evidence[0]
    total, evidence = analyze(_automaton(()), text)
    assert total < 0 and result.evidence[0] == evidence


def test_phrases_keep_their_praise_outside_these_constructions() -> None:
    """The plain words still praise: a free-standing "great", "works" and "welcome"."""
    labels = (
        get_engine("lexicon")
        .score(
            ["The new camera is great", "Works perfectly after the update", "Welcome to the team!"]
        )
        .labels
    )
    assert labels.tolist() == [1, 1, 1]
