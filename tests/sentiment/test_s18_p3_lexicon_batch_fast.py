"""The lexicon batch path's evidence and frame checks give what the per-text reference gives.

Issue 15's second pass: :func:`lexicon_batch._evidence_of_parts` cuts every evidence item
from the code points at once (one decode, one split) and only walks, item by item, the texts
whose first items may repeat one; spans with white space at their ends are stripped as
``str.strip`` does; :func:`lexicon_batch._maybe_framed` finds the numbers before units and
prices in one pass and skips the texts whose only trigger is a question mark and that cannot
be an English question. These tests pin each to :func:`lexicon.analyze` on inputs built to
reach their edges: repeated emoji and words, different words of one length, first and last
character, more parts than the evidence keeps, keys with white space around them, numbers
with dots, commas and white space before units and prices, question marks in Chinese and
English texts, empty texts, astral and private-use characters.
"""

from __future__ import annotations

import collections
import random

import numpy as np
import pytest
from tests.support.lexicon_parity import assert_same

from brandhalo.text.sentiment import lexicon_batch as lb
from brandhalo.text.sentiment.lexicon import (
    EMOJI,
    WORD,
    default_entries,
    frame_first,
)

#: a user's extra terms with white space around them (their spans are stripped in evidence)
EXTRA = (("  spaced ", 1.5), ("糟 透", -2.0), ("wow effect", 2.0))


def _words(kind: int) -> list[str]:
    return sorted(k for k, e in default_entries().items() if e[0] == kind and "\n" not in k)


def _look_alikes() -> list[list[str]]:
    """Groups of different sentiment words of one sign, length, first and last character."""
    groups = collections.defaultdict(list)
    for key, entry in default_entries().items():
        if entry[0] == WORD and len(key) >= 2 and entry[1] != 0:
            groups[(len(key), key[0], key[-1], entry[1] > 0)].append(key)
    return [g for g in groups.values() if len(g) > 1]


WORDS, EMOJIS = _words(WORD), _words(EMOJI)
LOOK_ALIKES = _look_alikes()
GAPS = ["", " ", "，", "。", "的", "x", "\u3000", "\n", "!!", "🚗", "\ue000"]


def evidence_texts(n: int, seed: int) -> list[str]:
    """Seeded texts with repeats (the same emoji or word again), look-alike words, many parts
    and the extra terms, separated by gaps of every kind."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        pieces: list[str] = []
        for _ in range(rng.choice([0, 1, 2, 3, 6, 9])):
            r = rng.random()
            if r < 0.25 and pieces:
                word = rng.choice(pieces)  # a repeat
            elif r < 0.45:
                word = rng.choice(rng.choice(LOOK_ALIKES))
            elif r < 0.6:
                word = rng.choice(EMOJIS)
            elif r < 0.7:
                word = rng.choice(EXTRA)[0]
            else:
                word = rng.choice(WORDS)
            pieces.append(word)
        out.append("".join(p + rng.choice(GAPS) for p in pieces))
    return out


def test_look_alikes_exist() -> None:
    assert any(len(g[0]) >= 3 for g in LOOK_ALIKES)  # the generator reaches the clash check


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("k", [1, 2, 5])
def test_evidence_equals_reference(seed: int, k: int) -> None:
    assert_same(evidence_texts(400, seed), EXTRA, k)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "😂😂😂",
        "👍 👍 👍 👍 👍 👍 👍",
        "好评好评好评好评好评好评",
        "物有所值，物超所值，物有所值",
        "  spaced   spaced ",
        "糟 透了，糟 透，  spaced ",
        "wow effect! wow effect!! love it love it hate it hate it",
        "unhappy unfunny unhappy",
        "垃圾垃圾垃圾 👎👎 差评 差评",
        "\U00020000好\U00020001差\ue000赞",
        "𝐋𝐎𝐕𝐄 love ＬＯＶＥ",
    ],
)
def test_evidence_edge_cases(text: str) -> None:
    for k in (1, 2, 5):
        assert_same([text, text + "。" + text, ""], EXTRA, k)


def test_evidence_of_a_long_text() -> None:
    rng = random.Random(7)
    long = "，".join(rng.choice(WORDS + EMOJIS) for _ in range(3000))
    assert_same([long, long[::-1], "好"], EXTRA)


#: numbers before units and prices (dots, commas and white space between), question marks in
#: Chinese and English texts, headlines and trailing white space
FRAME_TEXTS = [
    "售价 12.5 万元，太值了",
    "价格：3999元，真香",
    "价格为 1,299 元 还不错",
    "续航 500 km，快充 10 分钟 80%，很好",
    "3.5 kg 和 200 w，垃圾",
    "1, 2 ,3kg 太重了",
    ". kg 好评",
    "3.. 5 .. kg 2 , , w 不错",
    "12 345mm 888 mah 失望",
    "这车怎么样?好看",
    "这车怎么样？",
    "为什么又坏了？垃圾",
    "is the new phone any good? #phones http://t.co/x",
    "is it good? love it",
    "is the camera good? @apple #iphone",
    "does it work well? #fail @bob",
    "3.kg 和 5,w 太差",
    "售价 12. 万元 很好",
    "2 . kg 3 ,  w 垃圾",
    "Love it? yes",
    "好用吗",
    "好用吗  ",
    "【重磅】小米发布新车，太强了",
    "#小米# 【官宣】新车上市，很好",
    "news: the phone is great",
    "  breaking: great phone",
    "垃圾？ \u3000",
    "?",
    "？好",
    "a?b",
    "限时优惠，下定享好礼，很好",
    "据报道，销量很好",
]


@pytest.mark.parametrize("text", FRAME_TEXTS)
def test_frames_equal_reference(text: str) -> None:
    assert_same([text, "好。" + text, text + " 差"])


def test_frames_in_one_batch() -> None:
    rng = random.Random(3)
    texts = [
        rng.choice(FRAME_TEXTS) + rng.choice(GAPS) + rng.choice(FRAME_TEXTS) for _ in range(300)
    ]
    assert_same(FRAME_TEXTS + texts)


def test_frame_first_moves_the_frame_of_neutral_texts_only() -> None:
    labels = np.array([0, 1, 0, 0, -1, 0], dtype=np.int8)
    evidence = [
        ["+好", "~news:据报道"],
        ["+好", "~ad:限时"],
        ["~question:?"],
        [],
        ["-差"],
        ["+a", "-b"],
    ]
    want = [
        ["~news:据报道", "+好"],
        ["+好", "~ad:限时"],
        ["~question:?"],
        [],
        ["-差"],
        ["+a", "-b"],
    ]
    assert frame_first(labels, [list(e) for e in evidence]) == want


def test_characters_past_the_table_are_in_no_key() -> None:
    """A character above every key's (past the automaton's code table) is a placeholder, not
    the key character it would wrap around to."""
    size = lb.tables(()).in_key.shape[0]
    found = []
    for word in (w for w in WORDS if len(w) == 1):
        c = ord(word) + size
        if c <= 0x10FFFF and not 0x2F800 <= c < 0x2FA20 and not 0xD800 <= c < 0xE000:
            found.append(chr(c))
    assert found
    assert_same(["".join(found), " ".join(found) + " 好", found[0] * 3])


@pytest.mark.parametrize(
    "texts", [["i love"], ["差", "so good"], ["good"], ["goodness"], ["", "ok"]]
)
def test_word_boundary_at_the_end_of_a_batch(texts: list[str]) -> None:
    """A Latin key that ends the batch's last text ends at a word boundary."""
    assert_same(texts)
