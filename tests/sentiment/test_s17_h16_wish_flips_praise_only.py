"""A wish flips praise only (issue 14).

A wish negator ("wish the", "if only", "would be great if": a negator with its own flip) turns
the praise after it into the complaint it is ("wish this app was good"). Before, it flipped a
complaint into praise too: "I wish the pain would stop" and "if only the lag was gone" read as
positive. Both walks of the batch path (numpy and Python) give what the reference gives.
"""

from __future__ import annotations

import pytest
from tests.support.lexicon_parity import assert_same

from brandhalo.text.sentiment.lexicon import LexiconEngine, _automaton, analyze


@pytest.mark.parametrize(
    "text",
    [
        "I wish the pain would stop",
        "wish the lag was gone",
        "if only the battery was not so bad",  # two negators cancel: "bad" stays bad
        "wish the camera was less awful",
        "wish this app was good",  # praise after a wish is still flipped
        "it would be great if it did not crash",
    ],
)
def test_a_wish_is_never_praise(text: str) -> None:
    result = LexiconEngine().score([text])
    assert result.labels[0] == -1, (text, result.scores[0], result.evidence[0])


def test_a_wish_leaves_a_complaint_as_strong_as_it_is() -> None:
    auto = _automaton(())
    assert analyze(auto, "I wish the pain would stop")[0] == analyze(auto, "the pain")[0]


def test_if_only_because_is_a_reason_not_a_wish() -> None:
    auto = _automaton(())
    text = "I liked it, if only because it is good"
    assert analyze(auto, text)[0] > 0


@pytest.mark.parametrize(
    "texts",
    [
        # numpy walk: words, negators, degree words, emoji
        ["I wish the pain would stop", "wish the lag was gone 😡", "wish it was very bad"],
        ["if only it were not terrible", "wish the battery was not not awful", "wish it sucks"],
        # Python walk: a contrast, a concession, a pending 好 after a wish
        ["wish the pain would stop but it is fine", "although wish it was bad, good"],
        ["wish the 好", "wish the 好差", "wish the 很好", "wish the 好贵"],
    ],
)
def test_batch_walks_match_the_reference(texts: list[str]) -> None:
    assert_same(texts)
    assert_same(["很好", *texts, "", "不好"])
