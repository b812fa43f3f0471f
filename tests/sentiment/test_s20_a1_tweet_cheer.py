"""English tweet cheer that no single word carries; "bitter"; "-wise" as a suffix (issue 14).

Positive tweets the lexicon missed often look forward to something ("bring it on", "counting
down to ..."), praise a record or a song ("made history", "on repeat", "ahead of his time") or
invite people along ("who's coming", "come support"). The phrases live in ``data/constructions.tsv``; the batch path and
the per-text reference agree on every text (sums bit for bit, evidence).

The tweets here are hand-written for the tests.
"""

from __future__ import annotations

import pytest
from tests.support.lexicon_parity import assert_same

from brandhalo.text.sentiment.lexicon import LexiconEngine


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("the derby is on saturday. bring it on", "+bring it on"),
        ("that new synth record has been on repeat since monday", "+on repeat"),
        ("the keeper made history tonight at the old ground", "+made history"),
        ("that band from the 70s was ahead of their time", "+ahead of their time"),
        ("the third album is so underrated", "+so underrated"),
    ],
)
def test_hype_and_records_are_praise(text: str, phrase: str) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == 1, result.evidence[0]
    assert phrase in result.evidence[0]
    assert_same([text])


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("counting down to the release on monday", "+counting down"),
        ("two days to go until the season opener", "+days to go"),
        ("get well soon coach, the bench misses you", "+get well soon"),
    ],
)
def test_looking_forward_and_wishes_are_warm(text: str, phrase: str) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == 1, result.evidence[0]
    assert phrase in result.evidence[0]
    assert_same([text])


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("who's coming to the meetup at the library tonight", "+who's coming"),
        ("come support the junior team at the rink on sunday", "+come support"),
    ],
)
def test_invitations_are_warm(text: str, phrase: str) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == 1, result.evidence[0]
    assert phrase in result.evidence[0]
    assert_same([text])


def test_bitter_is_a_complaint() -> None:
    text = "the new roast from that cafe chain tastes so bitter"
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == -1, result.evidence[0]
    assert "-so bitter" in result.evidence[0]
    assert_same([text])


@pytest.mark.parametrize(
    "text",
    [
        "price-wise it sits between the two older models",
        "story-wise the second episode covers the trial",
    ],
)
def test_wise_after_a_hyphen_judges_nothing(text: str) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == 0, result.evidence[0]
    assert result.evidence[0] == []
    assert_same([text])


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("a wise choice, the older model still runs fine", 1),  # "wise" alone is praise
        ("once i get to the office i will send the report", 0),  # "get to" is arriving
        ("who's going to pay for the repair, this is useless", -1),
        ("bring on the next update, this one crashes daily and support is useless", -1),
    ],
)
def test_other_words_still_decide(text: str, label: int) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == label, result.evidence[0]
    assert_same([text])
