"""English brand-tweet frames of the `lexicon` engine (issue 14), on made-up tweets of each kind.

Ad copy sells with superlatives ("the best deals", "don't miss our amazing sale") and is no
opinion; feature requests ("please add ...", "would love if ...") ask rather than judge; a wish
that a complaint stops ("I wish it would stop crashing") is the complaint, not praise; someone
else's dislike ("my mom hates it") is reported, not the writer's verdict; and a question that
asks for an opinion ("is X any good?"), also between mentions and trailing tags and links, is no
opinion. Every case is checked on the batch path and on the per-text reference (they must agree
bit for bit).
"""

from __future__ import annotations

import numpy as np
import pytest

from brandhalo.text.normalize import fold_for_lexicon
from brandhalo.text.sentiment import get_engine
from brandhalo.text.sentiment.frames import frame_of
from brandhalo.text.sentiment.lexicon import _automaton, analyze
from brandhalo.text.sentiment.lexicon_batch import analyze_batch

NEUTRAL = [
    # ad copy: its superlatives sell
    "The best deals on the new Galaxy S5 are here! Shop now",
    "Get the best price on the Acme X2 laptop today",
    "Don't miss our amazing holiday sale on all Acme TVs",
    # feature requests ask
    "Please add a dark mode to the app, thank you in advance!",
    "Would love if you added split screen to the tablet",
    "Would love to see a bigger screen on the next phone",
    "@acme can you add an option for longer vibration?",
    # someone else's dislike is reported
    "My mom hates my new phone lol",
    # questions that ask for an opinion
    "Is the Galaxy S5 any good?",
    "@acme is the new tablet any good for gaming? #tablets http://t.co/abc123",
    "Which is better, the X1 or the Z2?",
    "RT @techfan: Is the new laptop worth it? #tech",
]
NEGATIVE = [
    # a wish that a complaint stops or gets fixed is the complaint
    "I wish it would stop crashing",
    "Wish they would fix the bugs already",
    # a wish for a better part stays a complaint about it
    "wish my laptop had a better keyboard",
    # complaints dressed as questions stay complaints
    "why is my screen broken again? #fail",
    "Which planet is the CEO living on? #fail",
    "what the hell is this update @acme???",
    "How frustrating is it that the keyboard autocorrects every word? #annoyed",
]
POSITIVE = [
    "my mom hates it, I love it",
    "my mom hates it but I love it",
    "Amazing new update, the camera is so much better",
    "I love my new phone",
]


def _label(text: str) -> tuple[int, list[str]]:
    """The engine's label of `text`; checks that the batch sum equals the reference's."""
    result = get_engine("lexicon").score([text])
    total, evidence = analyze(_automaton(()), text)
    sums, batch_evidence = analyze_batch((), [text])
    assert sums[0].tobytes() == np.float64(total).tobytes(), text
    assert batch_evidence[0] == evidence, text
    return int(result.labels[0]), evidence


@pytest.mark.parametrize("text", NEUTRAL)
def test_ads_requests_reports_and_questions_read_neutral(text: str) -> None:
    label, evidence = _label(text)
    assert label == 0, evidence


@pytest.mark.parametrize("text", NEGATIVE)
def test_complaints_stay_negative(text: str) -> None:
    label, evidence = _label(text)
    assert label == -1, evidence


@pytest.mark.parametrize("text", POSITIVE)
def test_the_writers_praise_stays_positive(text: str) -> None:
    label, evidence = _label(text)
    assert label == 1, evidence


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ("The best deals on the new Galaxy S5 are here!", ("ad", "best deals")),
        ("Don't miss our amazing holiday sale", ("ad", "don't miss")),
        ("Please add a dark mode to the app", ("request", "please add")),
        ("I'd love to see a bigger screen", ("request", "i'd love to see")),
        ("Is the Galaxy S5 any good?", ("question", "any good")),
        ("@acme will the X2 come in gold? :) #phones http://t.co/x", ("question", "?")),
        ("RT @techfan: Does it work with the Z2? via @gadgets", ("question", "?")),
    ],
)
def test_frames_and_the_phrase_that_shows_them(text: str, frame: tuple[str, str]) -> None:
    assert frame_of(fold_for_lexicon(text)) == frame
    assert frame_of(text) == frame  # raw text: folded and its triggers found here


@pytest.mark.parametrize(
    "text",
    [
        "I love it. Is it out yet? #x",  # two sentences: an opinion and a question
        "why is it broken? #fail",
        "Which planet is he living on? #fail",  # the tag after it is the verdict
        "这车怎么样？#澜岳L9#",  # Chinese: only the plain single-sentence questions
        "为什么我的车又坏了？",
    ],
)
def test_no_question_frame(text: str) -> None:
    assert frame_of(fold_for_lexicon(text)) is None


def test_chinese_frames_are_unchanged_by_the_question_mark_trigger() -> None:
    texts = ["L9和问界M7到底选哪个？", "限时权益：月底前下定享5000元选装基金？", "这车落地要多少钱"]
    assert [frame_of(t) for t in texts] == [
        ("question", "选哪个"),
        ("ad", "限时"),
        ("question", "多少钱"),
    ]


def test_batch_equals_reference_on_all_cases_together() -> None:
    texts = NEUTRAL + NEGATIVE + POSITIVE + ["", "?", "??", "? #a", "好吗？ #话题", "worth it?"]
    sums, evidence = analyze_batch((), texts)
    auto = _automaton(())
    for i, text in enumerate(texts):
        total, ev = analyze(auto, text)
        assert sums[i].tobytes() == np.float64(total).tobytes(), text
        assert evidence[i] == ev, text
