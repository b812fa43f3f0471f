"""Sentiment words inside a capitalised name are no verdict; tweet idioms (issue 14).

"Mehgan James from Bad Girls Club will be in the building Friday" named a show, and "bad"
made the post a complaint; "the new tv show The Bastard Executioner kicks off" read as an
insult. The sentiment words of a run of capitalised words that holds two or more other
capitalised words (not counting a sentence's first word) are blanked before matching
(:func:`lexicon.unname`), on the reference and the batch path alike. A word that opens a
sentence, a greeting ("a Happy New Year"), a two-word run ("my flight got Cancelled Flightled")
and a text in Title Case keep their verdict.

Also general idioms: demands ("do better", "are you kidding me"), orders ("X better not"),
hedges ("may or may not"), kinship and place names ("great grandpa", "Great Britain"), and
praise for a performance ("stole the show").
"""

from __future__ import annotations

import pytest
from tests.support.lexicon_parity import assert_same

from brandhalo.text.sentiment.lexicon import LexiconEngine, unname


@pytest.mark.parametrize(
    "text",
    [
        "Mehgan James from Bad Girls Club will be in the building Friday",
        "first pic of Ed Sheeran in the new tv show The Bastard Executioner, kicks off Sept 15th",
        "Tomorrow I'll be dancing to Black Noise Sound System at the Horn from 7:30pm",
        "the sermon this Sunday is on the Web of Lies Series, see you there",
    ],
)
def test_a_sentiment_word_inside_a_name_is_no_verdict(text: str) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == 0, result.evidence[0]
    assert result.evidence[0] == []
    assert len(unname(text)) == len(text)  # blanked in place: every offset stays
    assert_same([text])


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Bad Girls Club was awful last night", -1),  # a sentence's first word keeps its verdict
        ("@AirlineX my flight got Cancelled Flightled and nobody can tell us anything", -1),
        ("wishing you all a Happy New Year from the team", 1),  # a greeting
        ("Happy Star Wars Day from your friends at the shop", 1),
        ("Worst Airline Service Ever From United Today", -1),  # Title Case throughout
        ("the staff at Grand Hotel Central were terrible", -1),  # the verdict is no name word
        ("this phone is bad", -1),
    ],
)
def test_verdicts_outside_names_stay(text: str, label: int) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == label, result.evidence[0]
    assert_same([text])


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("@AirlineX do better, three delays this month", -1),
        ("are you kidding me @AirlineX, 4 hours on the tarmac", -1),
        ("the service leaves a lot to be desired", -1),
        ("the wifi on this plane is sucking", -1),
        ("the new episode better be on tonight", 0),  # an order, not praise
        ("I may or may not be the happiest person right now", 1),  # a hedge negates nothing
        ("my great grandpa flew with them in 1950", 0),
        ("sales in Germany and Great Britain are out today", 0),
        ("she stole the show at the launch", 1),
        ("the pan is versatile and heats with ease", 1),
    ],
)
def test_tweet_idioms(text: str, label: int) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == label, result.evidence[0]
    assert_same([text])


def test_batch_equals_reference_around_names() -> None:
    texts = [
        "Mehgan James from Bad Girls Club will be in the building Friday",
        "I hate Bad Girls Club Reunion shows, not good",
        '"Web of Lies" in Acts 5 via @user Great Day Church Choir sings',
        "Fancy Dress Ballroom Party this Sunday! so good",
        "so bad. Bad Girls Club Tonight",
        "没想到 Bad Girls Club 这么好看",
        "RT @user: Sunday Bloody Sunday Tour was amazing",
        "",
        "ALL CAPS BAD GIRLS CLUB",
    ]
    assert_same(texts)
    assert_same(texts, k=0)
