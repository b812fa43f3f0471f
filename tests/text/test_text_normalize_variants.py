"""The named normaliser variants in :mod:`brandhalo.text.normalize` (issue 18 item 5) give, bit for
bit, what the copies they replaced gave: they feed the lexicon's hits, the sentiment models'
hashed n-grams, ``text_hash`` (de-duplication, repost links) and labelled row keys.

Each moved variant runs on a mixed corpus (full width, emoji, ``’``, ``@mentions``, Latin and CJK,
combining marks, odd white space, empty strings and, where a variant takes them, nulls) and is
compared with the old implementation, copied below as the reference.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from brandhalo.ingest.dedup import text_columns
from brandhalo.text.normalize import (
    SEP,
    dedup_key_arrow,
    fold,
    fold_for_lexicon,
    fold_for_lexicon_joined,
    fold_for_ngrams,
    fold_key,
    nfkc,
    ngram_codepoints,
)
from brandhalo.text.sentiment.workspace_model import row_key

# ---------------------------------------------------------------------------------------------
# REFERENCE: the old implementations, copied verbatim from the commit before the move (7164ef9).
# Do not "fix" them: they define the outputs the moved variants must keep.
# ---------------------------------------------------------------------------------------------

# text/sentiment/lexicon.py: _MENTION and _norm
_OLD_LEX_MENTION = re.compile(r"@[^\s:,.。!?@/()\[\]#、;]{1,30}")


def old_lexicon_norm(text: str) -> str:
    # NFKC folds full-width forms; lower-casing makes Latin matching case-insensitive.
    t = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).lower()
    if "\u2019" in t:
        t = t.replace("\u2019", "'")
    # user names carry no sentiment (@王宝强, @幸福妈妈, @user): keep only the "@"
    return _OLD_LEX_MENTION.sub("@", t) if "@" in t else t


# text/sentiment/lexicon_batch.py: _MENTION and _join (its nfkc() is unicodedata's NFKC by
# contract, checked in tests/sentiment/test_sentiment_lexicon_batch.py and below)
_OLD_BATCH_MENTION = re.compile(r"@[^\s:,.。!?@/()\[\]#、;\x00]{1,30}")


def old_lexicon_join(texts: list[str]) -> str:
    joined = "\x00".join(texts)
    if not joined.isascii():
        joined = unicodedata.normalize("NFKC", joined)
    joined = joined.lower()
    if "\u2019" in joined:
        joined = joined.replace("\u2019", "'")
    return _OLD_BATCH_MENTION.sub("@", joined) if "@" in joined else joined


# text/sentiment/frames.py (frame_of without a hint) and text/query.py (_make_term's check)
def old_frames_fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


# text/sentiment/workspace_model.py: row_key
def old_row_key(text: str) -> str:
    norm = " ".join(unicodedata.normalize("NFKC", str(text)).lower().split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:12]


# text/sentiment/fastgrams.py: normalize_batch / ngram_codepoints, text_of
_OLD_SEP = 0
_OLD_URL = re.compile(r"(?:https?://|www\.)[^\s\x00]+")
_OLD_NG_MENTION = re.compile(r"@[^\s\x00@:,.。!?/()\[\]#、;，：！？]{1,30}")


def old_ngram_codepoints(texts: Sequence[str]) -> np.ndarray:
    joined = "\x00".join(t.replace("\x00", " ") for t in texts).lower()
    if "http" in joined or "www." in joined:
        joined = _OLD_URL.sub(" http ", joined)
    if "@" in joined or "\uff20" in joined:
        joined = _OLD_NG_MENTION.sub("@", joined.replace("\uff20", "@"))
    cp = np.frombuffer((" " + joined + " ").encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    wide = (cp >= 0xFF01) & (cp <= 0xFF5E)
    if wide.any():
        cp = np.where(wide, cp - 0xFEE0, cp)
        cp = np.where((cp >= 65) & (cp <= 90), cp + 32, cp)
    cp = np.where((cp >= 48) & (cp <= 57), 48, cp)
    cp = np.where(cp == 0x2019, 39, cp)
    white = (cp == 32) | ((cp >= 9) & (cp <= 13)) | (cp == 0x3000) | (cp == 0xA0)
    sep = cp == _OLD_SEP
    cp = np.where(white | sep, 32, cp)
    cp = np.where(sep, _OLD_SEP, cp)
    keep = ~white | ~np.concatenate(([False], white[:-1] | sep[:-1]))
    cp = cp[keep]
    sep = cp == _OLD_SEP
    out = np.repeat(cp, np.where(sep, 3, 1))
    pos = np.flatnonzero(np.repeat(sep, np.where(sep, 3, 1)))
    if pos.size:
        out[pos[0::3]] = 32
        out[pos[2::3]] = 32
    dup = (out[1:] == 32) & (out[:-1] == 32)
    return out[np.concatenate(([True], ~dup))]


# text/sentiment/linear.py: normalize (with fastgrams.text_of inlined)
def old_linear_normalize(text: str) -> str:
    return old_ngram_codepoints([text]).astype(np.uint32).tobytes().decode("utf-32-le").strip()


# ingest/dedup.py: _WS_FIX, normalize_arrow and _fold
_OLD_WS_FIX = r"\s\s|[\t\n\r\v\f]|^\s|\s$"


def old_normalize_arrow(texts: Any) -> Any:
    import pyarrow.compute as pc

    folded = _old_fold(texts)
    needs = pc.fill_null(pc.match_substring_regex(folded, _OLD_WS_FIX), False)
    if not pc.any(needs).as_py():
        return folded
    fixed = pc.utf8_trim_whitespace(
        pc.replace_substring_regex(pc.filter(folded, needs), r"\s+", " ")
    )
    return pc.replace_with_mask(folded, needs, fixed)


def _old_fold(texts: Any) -> Any:
    import pyarrow.compute as pc

    ascii_ = pc.fill_null(pc.string_is_ascii(texts), True)
    n_ascii = pc.sum(ascii_).as_py() or 0
    if n_ascii == len(texts):
        return pc.ascii_lower(texts)
    if n_ascii == 0:
        return pc.utf8_lower(pc.utf8_normalize(texts, "NFKC"))
    other = pc.invert(ascii_)
    wide = pc.utf8_lower(pc.utf8_normalize(pc.filter(texts, other), "NFKC"))
    return pc.replace_with_mask(pc.ascii_lower(texts), other, wide)


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------

#: pieces joined at random into the corpus's texts
# fmt: off
PIECES = [
    "ＳＵ７", "Ｕｌｔｒａ", "ＡＢＣ！", "\u3000", "\xa0", " ", "  ", "\t", "\n", "\v", "\f", "\r",
    "\x85", "\u2028", "\x1c", "😡", "👍🏻", "👨\u200d👩\u200d👧", "❤️", "Don’t", "’", "'",
    "@小米公司", "＠名字", "@user:", "@a_b-c", "@", "//@某人:", "RT @x:", "華為", "售後服務",
    "小米", "真香", "好", "不", "[怒]", "Café", "cafe\u0301", "e\u0301\u0300", "㎏", "①", "ﬁ",
    "ΟΔΟΣ", "İstanbul", "Straße", "ｶﾞ", "\u1100\u1161\u11a8", "한국", "カタカナ", "Москва",
    "http://t.cn/AbC", "https://x.co/Q?a=1", "www.Example.com", "2025", "１２３", "SU7", "Hello",
    "WORLD", "!", "，", "。", ":", "#话题#", "【新闻】", "\U0002f800", "\U0001d400",
]
# fmt: on

LITERAL = [
    "",
    " ",
    "ＳＵ７　Ｕｌｔｒａ 華為的售後服務",
    "@小米公司 好评！Don’t buy",
    "RT @user: Great CAR 👍🏻 http://t.cn/x 2025",
    "  a\t\tb\nc  ",
    "cafe\u0301 ﬁne ① 5㎏",
    "\u2028line\u2028",
    "x\vy",
    "ΟΔΟΣ Straße İ",
]


def corpus(n: int = 1500, seed: int = 18) -> list[str]:
    rng = random.Random(seed)
    out = list(LITERAL)
    for _ in range(n):
        out.append("".join(rng.choice(PIECES) for _ in range(rng.randint(0, 9))))
    return out


TEXTS = corpus()

# ---------------------------------------------------------------------------------------------
# Literal outputs (so that the reference and the variant cannot drift together)
# ---------------------------------------------------------------------------------------------


def test_literal_outputs() -> None:
    assert fold("ＳＵ７　Ｕｌｔｒａ 華為") == "su7 ultra 華為"
    assert fold_key("  Ｇｏｏｄ\u3000 Car\n") == "good car"
    assert fold_for_lexicon("＠小米公司 Don’t buy") == "@ don't buy"
    assert fold_for_lexicon_joined(["@小米 好", "Don’t"]) == "@ 好\x00don't"
    assert fold_for_ngrams("Ｇｒｅａｔ @小米 2025 http://t.cn/x") == "great @ 0000 http"
    assert nfkc("cafe\u0301 ①") == "café 1"
    key = dedup_key_arrow(pa.array(["  Ａ\t B ", None, "x", "華為\u3000ＳＵ７"]))
    assert key.to_pylist() == ["a b", None, "x", "華為 su7"]


# ---------------------------------------------------------------------------------------------
# Each variant against its reference, on the whole corpus
# ---------------------------------------------------------------------------------------------


def test_fold_equals_frames_and_query_fold() -> None:
    for t in TEXTS:
        assert fold(t) == old_frames_fold(t), ascii(t)
        # query.py only asks whether anything is left after strip()
        assert bool(fold(t).strip()) == bool(unicodedata.normalize("NFKC", t).strip())


def test_fold_key_and_row_key_equal_old_row_key() -> None:
    for t in TEXTS:
        assert row_key(t) == old_row_key(t), ascii(t)
        assert hashlib.sha1(fold_key(t).encode()).hexdigest()[:12] == old_row_key(t)


def test_fold_for_lexicon_equals_old_norm() -> None:
    for t in TEXTS:
        assert fold_for_lexicon(t) == old_lexicon_norm(t), ascii(t)


@pytest.mark.parametrize("size", [1, 7, 64, 1500])
def test_fold_for_lexicon_joined_equals_old_join_and_per_text(size: int) -> None:
    texts = [t for t in TEXTS if SEP not in t]
    for lo in range(0, len(texts), size):
        chunk = texts[lo : lo + size]
        joined = fold_for_lexicon_joined(chunk)
        assert joined == old_lexicon_join(chunk)
        assert joined == SEP.join(map(old_lexicon_norm, chunk))
    assert fold_for_lexicon_joined([]) == old_lexicon_join([]) == ""


def test_nfkc_equals_unicodedata() -> None:
    for t in TEXTS:
        assert nfkc(t) == unicodedata.normalize("NFKC", t), ascii(t)
    big = "\x00".join(TEXTS)
    assert nfkc(big) == unicodedata.normalize("NFKC", big)


@pytest.mark.parametrize("size", [1, 5, 100, 1500])
def test_ngram_codepoints_equal_old(size: int) -> None:
    texts = [*TEXTS, "a\x00b", "\x00", "ＡＢＣ\x00１２３"]  # a NUL inside a text becomes a space
    for lo in range(0, len(texts), size):
        chunk = texts[lo : lo + size]
        new, old = ngram_codepoints(chunk), old_ngram_codepoints(chunk)
        assert new.dtype == old.dtype == np.int64
        assert np.array_equal(new, old)
    assert np.array_equal(ngram_codepoints([]), old_ngram_codepoints([]))


def test_fold_for_ngrams_equals_old_linear_normalize() -> None:
    for t in TEXTS:
        assert fold_for_ngrams(t) == old_linear_normalize(t), ascii(t)


def _arrow_cases() -> list[list[str | None]]:
    with_nulls = [None if i % 11 == 0 else t for i, t in enumerate(TEXTS)]
    ascii_only = [t for t in TEXTS if t.isascii()]
    wide_only = [t for t in TEXTS if not t.isascii()]
    return [
        with_nulls,  # mixed ASCII and not: the masked path
        ascii_only,  # the all-ASCII fast path
        wide_only,  # no ASCII string at all
        [None, None],  # nulls only
        ["a  b", "c"],  # ASCII, some needing the white-space rewrite
        ["abc", "def"],  # nothing to rewrite
        [],
    ]


@pytest.mark.parametrize("case", range(7))
def test_dedup_key_arrow_equals_old_normalize_arrow(case: int) -> None:
    texts = pa.array(_arrow_cases()[case], pa.string())
    new, old = dedup_key_arrow(texts), old_normalize_arrow(texts)
    assert new.type == old.type
    assert new.to_pylist() == old.to_pylist()


def test_dedup_text_columns_use_the_same_key() -> None:
    texts = pa.array([None if i % 13 == 0 else t for i, t in enumerate(TEXTS)], pa.string())
    norm, _link, _marker = text_columns(texts)
    assert norm.to_pylist() == old_normalize_arrow(texts).to_pylist()
