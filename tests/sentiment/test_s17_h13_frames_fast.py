"""The frames' fast lookups give what the plain searches give (issue 15).

``_first`` (the trigger word a frame's evidence names) finds every occurrence of every word in
one automaton pass instead of one search per word; ``_tail_start`` finds where ``_EN_TAIL``
(links, mentions, #tags, emoticons ending an English tweet) matches by reading words from
the end instead of trying the regex at every white space. Both are pinned here to the plain
versions on inputs built around their edges.
"""

from __future__ import annotations

import random

import pytest

from brandhalo.text.sentiment import frames
from brandhalo.text.sentiment.frames import _EN_TAIL, TRIGGERS, _find, _first, _tail_start


def first_reference(text: str, words: tuple[str, ...]) -> str:
    """The search per word: the earliest occurrence, of two at one place the smaller word."""
    found = [(i, w) for w in words if (i := _find(text, w)) >= 0]
    return min(found)[1] if found else ""


ALL_WORDS = sorted({w for words in TRIGGERS.values() for w in words})


@pytest.mark.parametrize("bit", sorted(TRIGGERS))
def test_first_matches_the_search_per_word(bit: int) -> None:
    rng = random.Random(bit)
    words = TRIGGERS[bit]
    fillers = ["", "a", "x", "的", " ", "please", "add", "1", "？", "据", "报道", "pleased "]
    texts = []
    for _ in range(1500):
        pieces = rng.choices([*words, *ALL_WORDS[:50], *fillers], k=rng.randint(0, 6))
        texts.append("".join(p + rng.choice(["", "", " ", "a", "9"]) for p in pieces))
    texts += [w[1:] + w for w in words] + [w + w[:-1] for w in words] + [""]
    for text in texts:
        assert _first(text, words) == first_reference(text, words), text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("消息人士称消息称", ("消息称", "消息人士", "消息")),  # two words at one place
        ("据悉消息称", ("消息称", "息")),  # a word inside another ends first, starts later
        ("xabcx", ("abc", "b", "bcx")),
        ("pleased add please add", ("please add",)),  # a Latin end inside a word
        ("please addon, please add", ("please add",)),
        ("xplease add", ("please add",)),
        ("please add", ("please add", "please")),
        ("", ("a",)),
        ("abc", ()),
        ("😀限时😀", ("限时", "时")),
    ],
)
def test_first_edge_cases(text: str, words: tuple[str, ...]) -> None:
    assert _first(text, words) == first_reference(text, words)


TAIL_WORDS = [
    "http://t.co/x",
    "https://a.b/c?d=1",
    "http:/x",
    "{link}",
    "{link}x",
    "@",
    "@abc:",
    "@abc::",
    "@a-b",
    "#tag",
    "#fail",
    "#failing",
    "#not",
    "#notable",
    "#win",
    "#winner",
    "#sucks",
    "#",
    "via",
    "vias",
    "rt",
    "rtx",
    ":)",
    ";-)",
    "8]",
    ":-(",
    "=p",
    ":o",
    "is",
    "good?",
    "it?",
    "中文",
]
SPACES = [" ", " ", "  ", "\t", "\n", "\u3000", "\x1c", " \n "]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_tail_start_matches_the_regex(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        words = rng.choices(TAIL_WORDS, k=rng.randint(0, 7))
        text = rng.choice(["", "", " ", "\n"])
        for w in words:
            text += w + rng.choice(SPACES)
        if rng.random() < 0.5:
            text = text.rstrip(" ") if rng.random() < 0.5 else text.rstrip()
        assert text[: _tail_start(text)] == _EN_TAIL.sub("", text), repr(text)


def tagged_reference(text: str) -> tuple[str, str] | None:
    """``_tagged_question`` with the regex tail."""
    if not text[:1].isascii():
        return None
    body = frames._EN_LEAD.sub("", _EN_TAIL.sub("", text)).strip()
    if not body.endswith("?") or len(body) > 100 or not body.isascii():
        return None
    if frames._MULTI.search(body.rstrip("? ")) or frames._RHETORICAL.search(body):
        return None
    if body.split(" ", 1)[0] not in frames._EN_ASK:
        return None
    return "question", "?"


@pytest.mark.parametrize(
    "text",
    [
        "is it any good? #tablets http://t.co/x",
        "@acme is the new tablet any good? via @",
        "rt @: does it work? :)",
        "does it work?",
        "does it work? rtx",
        "is it? #fail",
        "why is it broken? #tablets",
        "is it good? really? #x",
        " is it good?\n",
        "#tag is it good? #tag",
        "",
        "?",
        "@ ?",
    ],
)
def test_tagged_question_matches_the_regex_tail(text: str) -> None:
    assert frames._tagged_question(text) == tagged_reference(text)


def test_first_with_an_empty_word_or_none() -> None:
    assert _first("abc", ("b", "")) == first_reference("abc", ("b", "")) == ""
    assert _first("abc", ()) == first_reference("abc", ()) == ""
