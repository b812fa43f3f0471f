"""A match dropped for cutting a word no longer hides the words inside it (issue 14).

The automaton matches leftmost-longest, and a Latin match that cuts a word is dropped: "I liked
the movie" matched the key ``i like``, which ends inside "liked", and ``liked`` after it was
never seen, so the post read neutral. "really liked it", "installation was hell" (``as hell``)
and "#winner" (``#win``) lost their words the same way. Such texts are read again where the
match was dropped (:func:`lexicon._long_matches`), and the batch path gives what the reference
gives. Also: general English verdicts the lists lacked, and a swear after a word that is no
verdict of its own.
"""

from __future__ import annotations

import pytest
from tests.support.lexicon_parity import assert_same

from brandhalo.text.sentiment.lexicon import LexiconEngine


@pytest.mark.parametrize(
    ("text", "label", "phrase"),
    [
        ("I liked the movie", 1, "+liked"),
        ("we really liked it", 1, "+really liked"),
        ("#winner tonight", 1, "+winner"),
        ("the installation was hell", -1, "-hell"),
        ("it has shit gigs", -1, "-shit"),
    ],
)
def test_a_dropped_match_does_not_hide_the_word_inside_it(
    text: str, label: int, phrase: str
) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == label, result.evidence[0]
    assert result.evidence[0][0] == phrase
    assert_same([text])


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("the new update did not work on my phone", -1),
        ("don't waste your money on this case", -1),
        ("the plot is dull and tedious", -1),
        ("the song is catchy as hell", 0),  # the swear after a word is no verdict
        ("that show was funny as fuck", 1),
        ("the upgrade to iOS 5 is out", 0),
        ("support was unhelpful and condescending", -1),
        ("the new menu is clunky", -1),
        ("the app is intuitive and seamless", 1),
        ("staff were attentive and knowledgeable", 1),
    ],
)
def test_everyday_english_verdicts(text: str, label: int) -> None:
    result = LexiconEngine().score([text])
    assert int(result.labels[0]) == label, result.evidence[0]


def test_batch_equals_reference_around_dropped_matches() -> None:
    # shadowing keys cut on either side, in runs, next to links, tags and emoticons
    texts = [
        "so i really liked it, wow",
        "i liked, i likes, i like it",
        "http://t.co/x was hell:) really likedd #winners #notbad",
        "still best, will be great, ill be there",
        "word:) and:( it was hell!",
        "really like really liked really likes",
        "I liked the movie\nreally liked it",
    ]
    assert_same(texts)
    assert_same(texts * 3)
