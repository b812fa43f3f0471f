"""English brand-tweet readings of the `lexicon` engine (issue 14, second pass), on made-up tweets.

Misreadings found on real brand tweets: finance and court headlines read as complaints by one
word ("lawsuit", "shares fall", "patent ... falls"); promotion copy read as opinion; "sick" and
other slang praise read as complaints or as nothing; "surprised", "do you agree?" and "is it bad
that I ..." read as verdicts; everyday cheers, sneers and hearts (``woot``, ``props``, ``sux``,
``&lt;3`` as the Twitter API escapes it) missing. Every case is checked on the batch path and on
the per-text reference (they must agree bit for bit).
"""

from __future__ import annotations

import pytest
from test_s15_a_english_tweets import _label  # both paths, checked to agree bit for bit

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.frames import frame_of

POSITIVE = [
    # "sick" said of a thing is praise
    "the new Acme laptop is so sick",
    "that camera app is pretty sick! might get one",
    "the next update to the Acme app is going to be sick.",
    # cheers, slang and misspellings of praise
    "woot! my new headphones just arrived",
    "props to the Acme support team",
    "this phone is awsome",
    "the battery on this thing is rad",
    "honestly blown away by the new display",
    # a heart as the Twitter API escapes it
    "new Acme watch today &lt;3",
    "my new tablet ♥",
    # someone else's complaint is not the writer's
    "my brother hates the new phone but I love it",
]
NEGATIVE = [
    "this update sux",
    "ughh the Acme app is glitchy again",
    "the new checkout flow makes me sick",
    "acme support, stfu and fix my order",
    "epic fail on the launch stream tonight",
]
NEUTRAL = [
    # finance and court headlines: the frame reports, one word does not judge
    "Acme faces $1B lawsuit over old music players",
    "Acme Lawsuit Heads To Court Next Week",
    "Analyst sees risk of production cuts for the Acme X2",
    "Acme shares fall 5% in early trading",
    "Acme gets patent for a phone that rotates as it falls",
    "Acme stock price dropped after the keynote, investors wait for the numbers",
    # promotion copy
    "Put your account on autopilot and let it gain followers for you #teamfollowback",
    # questions and confessions that judge nothing
    "Acme should open a store in our town, do you agree?",
    "I'm surprised the store is open on a holiday",
    "is it bad that I already want the next Acme phone",
    "picked up the Lonely Planet guide for the trip",
]


@pytest.mark.parametrize("text", POSITIVE)
def test_praise_reads_positive(text: str) -> None:
    label, evidence = _label(text)
    assert label == 1, evidence


@pytest.mark.parametrize("text", NEGATIVE)
def test_complaints_read_negative(text: str) -> None:
    label, evidence = _label(text)
    assert label == -1, evidence


@pytest.mark.parametrize("text", NEUTRAL)
def test_headlines_ads_and_questions_read_neutral(text: str) -> None:
    label, evidence = _label(text)
    assert label == 0, evidence


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # illness is no praise, whatever "sick" means elsewhere
        ("I'm sick today so no store visit", -1),
        ("my dog is sick", -1),  # "is sick" alone is illness: praise needs "so", "pretty", "looks"
        ("so sick of this phone freezing", -1),
        # a headline keeps a strong verdict inside it: damped, not erased
        ("Acme lawsuit: the worst, most disgusting cover-up I have ever seen", -1),
    ],
)
def test_sick_and_framed_verdicts(text: str, label: int) -> None:
    got, evidence = _label(text)
    assert got == label, evidence


def test_headline_frame_is_the_evidence() -> None:
    result = get_engine("lexicon").score(["Acme faces $1B lawsuit over old music players"])
    assert result.evidence[0][0] == "~news:lawsuit", result.evidence[0]


def test_frame_triggers_match_whole_words_only() -> None:
    # "sued" inside "pursued", "patent" inside "patently", "analyst" inside "psychoanalyst"
    for text in ["i pursued a refund for weeks", "this is patently absurd", "my psychoanalysts"]:
        assert frame_of(text) is None, text
    assert frame_of("acme sued over battery claims") == ("news", "sued")
    # the phrase named is the first whole-word trigger, not a word that holds one
    assert frame_of("pursued by critics, acme faces a lawsuit") == ("news", "lawsuit")
