"""The lexicon batch path calls :func:`frames.frame_of` only on texts it may frame (issue 15).

:func:`lexicon_batch._maybe_framed` rules texts out before :func:`frames.frame_of` runs: a
headline needs ``【`` and ``#`` or ``【`` first, a lead one of ``frames.LEAD_WORDS`` first, a
report ``据``, a plain question a short body, a tagged English question a ``?`` as its first
sentence mark followed by its tail, two units a whole unit's first characters after a number.
These tests run :func:`frames.frame_of` (prices and units looked for too) on every text the
check rules out and require "no frame"; on the others, the flags it passes must not change
:func:`frames.frame_of`'s answer. The texts put every frame word, lead word, unit, question word
and tail word at the start, after punctuation, after white space, in full width and in mixed
case, and mix them at random with sentiment words, emoji, odd white space and other scripts.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from tests.support.lexicon_parity import assert_same

from brandhalo.text.normalize import fold_for_lexicon_codes
from brandhalo.text.sentiment import frames
from brandhalo.text.sentiment import lexicon_batch as lb

#: every word the frames look for
FRAME_WORDS = sorted(
    {w for words in frames.TRIGGERS.values() for w in words}
    | set(frames.LEAD_WORDS)
    | set(frames.UNITS)
    | set(frames._EN_ASK)
    | {"【澜岳L9正式上市】", "【新品】", "据36氪报道", "据悉", "售价32.98万元起", "价格:3999"}
)
#: what may come before a word (text starts, punctuation, white space of every kind, tags)
BEFORE = [
    "",
    " ",
    "  ",
    "\u3000",
    "\t",
    "\n",
    "\r",
    "\x0b",
    "\x1c",
    "\xa0",
    "，",
    "。",
    "!",
    "? ",
    "#话题# ",
    "#tag#\n",
    "rt @acme: ",
    "@acme ",
    '"',
    "...",
    "5",
    "12 ",
    "3.5",
    "is it ",
]
#: what may come after it (a question end, tags and links, more sentences, units, nothing)
AFTER = [
    "",
    " ",
    "\u3000",
    "\n",
    ":",
    "：",
    "!",
    "?",
    "？",
    "吗",
    " ?  ",
    "? #tag http://t.co/x",
    "?? :)",
    "? via @acme",
    "? #fail",
    "? really. ok",
    "。好用",
    "mm 6mm",
    "kwh和5kw",
    " 2 hours 3 pros",
    " and more text that makes this post longer than any single question may be, ok",
]


def full_width(text: str) -> str:
    """ASCII letters, digits and marks as their full-width forms (NFKC folds them back)."""
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text
    )


def mixed_case(text: str) -> str:
    return "".join(c.upper() if i % 2 else c for i, c in enumerate(text))


def placed_words() -> list[str]:
    """Each frame word in each of its spellings before and after each neighbour."""
    out = []
    rng = random.Random(15)
    for word in FRAME_WORDS:
        for spelled in {word, full_width(word), mixed_case(word), word.upper()}:
            for before in BEFORE:
                # every neighbour on each side once, the other side at random
                out.append(before + spelled + rng.choice(AFTER))
            for after in AFTER:
                out.append(rng.choice(BEFORE) + spelled + after)
    return out


PIECES = [
    *FRAME_WORDS,
    *BEFORE,
    *AFTER,
    "好用",
    "太差了",
    "不错",
    "love it",
    "terrible",
    "🚗",
    "😡",
    "\ue000",
    "𠀀",
    "Ω",
    "ß",
    "İ",
    "ﬁ",
    "①",
    "٣",
    "@",
    "#",
    "【",
    "】",
    "据",
    "价",
    "万",
    "元",
    "13pro",
    "5 m",
    "1,000",
    "x" * 70,
]


def random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 7))) for _ in range(n)]


def framed_checks(texts: list[str]) -> list[tuple[str, int, bool, bool, bool]]:
    """Per text, as the batch path sees it: the folded text, its trigger bits, whether
    :func:`lexicon_batch._maybe_framed` lets :func:`frames.frame_of` run, and the price and
    unit flags it passes."""
    tab = lb.tables(())
    joined, codes = fold_for_lexicon_codes(texts)
    cp = codes.astype(np.int64)
    seps = np.flatnonzero(cp == 0)
    lo = np.concatenate(([0], seps + 1))
    hi = np.concatenate((seps, [cp.shape[0]]))
    cls = tab.classes.take(cp, mode="clip")
    hits = lb._hits(tab, cp, cls, seps, joined)
    maybe, price, units = lb._maybe_framed(tab, joined, cp, cls, seps, lo, hi, hits.hint)
    return [
        (joined[a:b], hits.hint[i], bool(maybe[i]), price[i], units[i])
        for i, (a, b) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True))
    ]


def assert_exact(texts: list[str]) -> int:
    """Every text ruled out has no frame; the others get frame_of's full answer. Returns how
    many were ruled out."""
    skipped = 0
    for text, hint, maybe, price, units in framed_checks(texts):
        full = frames.frame_of(text, hint)
        if maybe:
            assert frames.frame_of(text, hint, price=price, units=units) == full, text
        else:
            skipped += 1
            assert full is None, (text, full)
    return skipped


def test_every_frame_word_in_every_place() -> None:
    texts = placed_words()
    skipped = assert_exact(texts)
    assert 0 < skipped < len(texts)  # the check rules some out, and not all


@pytest.mark.parametrize("seed", range(4))
def test_random_mixes(seed: int) -> None:
    assert_exact(random_texts(3000, seed))


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\u3000\u3000",
        "🚗🚗🚗",
        "x" * 5000 + "?",
        "is it good?" + " #tag" * 500,
        "  【澜岳L9正式上市 售价32.98万元起】",
        "\u3000#话题# 【澜岳L9正式上市】",
        "\r【澜岳L9正式上市】",
        "  BREAKING: Acme recalls phones",
        "ＢＲＥＡＫＩＮＧ：acme",
        " 快讯｜澜岳发布新车",
        "这次据36氪报道说澜岳要涨价",
        "L9和M7到底选哪个？   ",
        "\t请问这车落地多少钱\n",
        "@acme is the new tablet any good? #tablets http://t.co/x",
        "RT @acme: does it work?? :)",
        "@acme\nis it here yet? #tag",  # a new line in the lead before the question
        "is it good ?\t#tag",
        # longer than a plain question, short enough for a tagged one (no tail, or white space)
        "is the new tablet from acme really as good as all the reviews say it is, or not?",
        "is the new tablet from acme really as good as all the reviews say it is, or not?  ",
        "Is It Good？ #Tag",
        "why is it so slow? #fail",
        "is it good? no. #tag",
        "great phone! is it waterproof? #tag",
        "13pro和14pro都不错",
        "5mm 6mm",
        "5 mah and 6 hz",
        "10英寸 5马力",
        "5w 6v 7g 8l",
        "5wifi 6vr",
        "100% 50％",
        "3,5 kg und 4.0 km",
        "\ue000?",
        "𠀀 is it?",
    ],
)
def test_edges(text: str) -> None:
    assert_exact([text, "普通的一句话", text])
    assert_same([text, "普通的一句话", text])


def test_plain_texts_are_ruled_out() -> None:
    """The texts issue 15 names: English posts starting like a lead word, Chinese posts with a
    ``#`` topic and no headline, English posts with a question mark inside a sentence, posts
    with model numbers; none is a frame, none reaches frame_of."""
    texts = [
        "just got my new phone and it is great",
        "breaking down the xiaomi marketing playbook",
        "every day i use it",
        "#打工人日常#红米note13pro的重量太low了,失望",
        "honestly, what do you all think? took the kids to the park",
        "mate60 pro 用了227天",
        "day 181 with it, glad it is almost friday.",
    ]
    checks = framed_checks(texts)
    assert [maybe for _, _, maybe, _, _ in checks] == [False] * len(texts)
    assert_exact(texts)


def test_batch_equals_reference_on_placed_words() -> None:
    assert_same(placed_words()[::7])
