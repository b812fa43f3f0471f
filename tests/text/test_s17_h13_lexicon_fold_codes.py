"""``fold_for_lexicon_codes`` (the lexicon batch path's fold: NFKC and lower case from one table,
``@name`` cut from the code points) gives exactly ``fold_for_lexicon`` of every text, joined.

The inputs reach every branch: characters whose NFKC is longer (ﬁ, ㎏, ①), combining marks and
Hangul (normalised as runs with the character before them), a lower case of two characters
(İ), Σ (its lower case depends on the neighbours: the batch takes the string fold), ’ and ＠
that fold to ' and @, mentions of every length around the 30-character limit and next to each
stop character and the separator, astral and private-use characters, and empty texts.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from brandhalo.text.normalize import (
    SEP,
    fold_for_lexicon,
    fold_for_lexicon_codes,
    fold_for_lexicon_joined,
)

PIECES = [
    "",
    "好",
    "Good",
    "ＡＢＣ",
    "＠小米公司",
    "@",
    "@@",
    "@a",
    "@" + "x" * 29,
    "@" + "x" * 30,
    "@" + "x" * 31,
    "@" + "中" * 45,
    "@小米:",
    "@a,b",
    "@a。",
    "@a、b",
    "@a\u3000b",
    "@a\tb",
    "@(x)",
    "@#话题#",
    "Don’t",
    "\u2019@x\u2019",
    "ﬁne",
    "5㎏",
    "①②",
    "e\u0301",
    "É",
    "한글",
    "\u1100\u1161",
    "İstanbul",
    "\u0130@\u0130",
    "😀",
    "👍🏻",
    "👨\u200d👩\u200d👧",
    "\U00030000",
    "\U000e0041",
    "\ue000\uf8ff",
    "\U0010fffd",
    " ",
    "\n",
    "。",
    "!!",
]


def assert_folds(texts: list[str]) -> None:
    joined, codes = fold_for_lexicon_codes(texts)
    want = SEP.join(fold_for_lexicon(t) for t in texts)
    assert joined == want
    assert joined == fold_for_lexicon_joined(texts)
    assert codes.dtype == np.uint32
    assert codes.tobytes() == want.encode("utf-32-le")


@pytest.mark.parametrize("piece", PIECES)
def test_each_piece_alone_and_between_others(piece: str) -> None:
    assert_folds([piece])
    assert_folds(["a" + piece + "b", piece, "", piece + piece, "@" + piece])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_mixes(seed: int) -> None:
    rng = random.Random(seed)
    texts = ["".join(rng.choices(PIECES, k=rng.randint(0, 12))) for _ in range(400)]
    assert_folds(texts)


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["", ""],
        ["ΟΔΟΣ"],  # a final sigma: the whole batch takes the string fold
        ["ΣΑΣ @ΟΔΟΣ", "ok"],
        ["Ϲ\u03a3", "ΑΣ"],
        ["ΑΣΑ"],  # Σ between letters is σ, at a word's end ς: the neighbours decide
        ["ΟΔΟΣ ΑΣΑ", "Α.Σ", "Α'Σ'Α"],
        ["@x" * 5000],
        ["好" * 100_000 + "@" + "y" * 40],
    ],
)
def test_edge_batches(texts: list[str]) -> None:
    assert_folds(texts)
