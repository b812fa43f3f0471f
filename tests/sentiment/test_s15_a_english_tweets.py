"""English tweet readings of the `lexicon` engine (issue 14), on made-up tweets of each kind.

On the TweetEval validation tweets the largest error buckets came from a few general misreadings:
"ok" opening a sentence read as approval, wishes for what is missing ("it would be great if it
didn't crash") as praise, business news as complaints, swearing before praise as a complaint,
"couldn't be happier" as nothing, tweet spellings and idioms ("ill be there", "hell yeah", "my
copy of", "this track is fire", "my late uncle") the wrong way round, common insults and slang
missing, and literal ``\\u2019`` escapes (``can\\u2019t``) hiding a negation. Every case is
checked on the batch path and on the per-text reference (they must agree bit for bit).
"""

from __future__ import annotations

import numpy as np
import pytest

from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.lexicon import _automaton, analyze, unescape
from brandhalo.text.sentiment.lexicon_batch import analyze_batch

POSITIVE = [
    # "ok" is approval where it does not open a sentence, in English and in Chinese
    "the new case is ok I guess",
    "这副耳机还OK，",
    "这副耳机还OK，音质不错",
    # swearing before praise intensifies it
    "got tickets for friday and im so fucking excited",
    "fucking love the new camera app",
    # nothing could beat it
    "Couldn't be happier with the new headphones",
    "couldn't ask for a better support team tbh",
    "I couldn't be more proud of this crew",
    # tweet idioms and slang
    "the new single is fire",
    "hell yeah, new album drops friday",
    "so stoked for the launch event this weekend",
    "had a blast at the store opening",
    "I can\\u2019t wait for the new console",  # a literal escape, as exports leave them
    "new phone day \\ud83d\\ude0d",  # an escaped emoji
]
NEGATIVE = [
    # a wish for what is missing is a complaint
    "It would be great if the app didn't freeze every single morning",
    "would be nice if the charger actually worked",
    "wish my laptop had a better keyboard",
    # swearing alone, and before a complaint
    "this charger is fucking useless",
    # nothing could be worse
    "the service couldn't be worse",
    "you couldn't be more wrong about this phone",
    # a blaze is still a complaint, a delay says so
    "my charger caught on fire last night",
    "flight is 3 hours late again",
    # insults and slang the lists lacked
    "what a bunch of hypocrites, the ad is so cringe",
    "I can\\u2019t stand the new update",  # the escape had hidden the negation
    # requests to a brand that are complaints (already read, kept)
    "why can't @acme just make a battery that lasts",
    "please fix the battery @acme",
]
NEUTRAL = [
    # "ok" opening a sentence is a discourse marker
    "ok so the new update moved every button",
    "OK, I give up on the charger",
    "@acme ok so when does the store open",
    # business news
    "Acme agrees to settle lawsuit",
    "Acme to settle patent lawsuit with rival",
    # spellings and names that held a sentiment word
    "ill be at the store tomorrow morning",
    "got my copy of the game today",
    "fire up the stream at 9pm tonight",
    "watching movies late night with my sister",
    "wearing my late grandfather's watch today",
    "watching the third season of american horror story tonight",
    "lmao my cat just sat on the keyboard",
    # a wish with no sentiment word after it stays neutral
    "Would be great if the app had a dark mode",
]


def _label(text: str) -> tuple[int, list[str]]:
    """The engine's label of `text`; checks that the batch sum equals the reference's."""
    result = get_engine("lexicon").score([text])
    total, evidence = analyze(_automaton(()), text)
    sums, batch_evidence = analyze_batch((), [text])
    assert sums[0].tobytes() == np.float64(total).tobytes(), text
    assert batch_evidence[0] == evidence, text
    return int(result.labels[0]), evidence


@pytest.mark.parametrize("text", POSITIVE)
def test_praise_reads_positive(text: str) -> None:
    label, evidence = _label(text)
    assert label == 1, evidence


@pytest.mark.parametrize("text", NEGATIVE)
def test_complaints_read_negative(text: str) -> None:
    label, evidence = _label(text)
    assert label == -1, evidence


@pytest.mark.parametrize("text", NEUTRAL)
def test_markers_news_and_names_read_neutral(text: str) -> None:
    label, evidence = _label(text)
    assert label == 0, evidence
    assert not any(e.startswith("+") for e in evidence), evidence


def test_news_frame_is_the_evidence() -> None:
    result = get_engine("lexicon").score(["Acme agrees to settle lawsuit"])
    assert result.evidence[0][0].startswith("~news:"), result.evidence[0]


def test_opening_ok_counts_nowhere_but_at_a_sentence_start() -> None:
    texts = ["ok", "ok.", "Fine. OK so what now", "it's ok", "还ok", '"okay... fine']
    sums, evidence = analyze_batch((), texts)
    assert evidence == [[], [], ["+fine"], ["+ok"], ["+ok"], ["+fine"]]
    assert sums.tolist() == [analyze(_automaton(()), t)[0] for t in texts]


def test_unescape_decodes_what_exports_leave_and_keeps_the_rest() -> None:
    assert unescape("can\\u2019t\\u002c ok") == "can\u2019t, ok"
    assert unescape("\\ud83d\\ude0d") == "\U0001f60d"
    # control characters (the batch separator among them) and lone surrogates stay as written
    assert unescape("a\\u0000b \\ud83d x") == "a\\u0000b \\ud83d x"
    assert unescape("no escapes 很好") == "no escapes 很好"


def test_escaped_batches_equal_the_reference() -> None:
    texts = [
        "I can\\u2019t stand it\\u002c but the camera is great",
        "plain text, not great",
        "\\u4e0d\\u597d",  # 不好, escaped
        "a\\u0000b good",
        "很好",
    ]
    sums, evidence = analyze_batch((), texts)
    for i, text in enumerate(texts):
        total, ev = analyze(_automaton(()), text)
        assert sums[i].tobytes() == np.float64(total).tobytes(), text
        assert evidence[i] == ev, text
    assert evidence[2] == ["-不好"]
