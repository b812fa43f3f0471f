"""Language of each post: ``zh``, ``en``, ``mixed`` or ``other`` — fast and fine on 5 characters.

Detection counts scripts over a whole normalized batch with numpy: Chinese characters, Latin
words, kana, Hangul and other alphabets. A Chinese word is about 1.7 characters, so Han
characters are divided by 1.7 to compare with Latin *words*. Latin words inside brand/product names (``SU7``,
``Ultra``) are not evidence of English and can be excluded by the caller. Posts written in a
Latin-script language other than English are recognized by their function words.
"""

from __future__ import annotations

import numpy as np

from brandhalo.text.matcher import Pattern, PatternIndex
from brandhalo.text.normalize import HAN, HANGUL, KANA, LATIN, OTHER_LETTER, NormBatch

LANGS = ("zh", "en", "mixed", "other")
_HAN_PER_WORD = 1.7
# Function words of common Latin-script languages that are (nearly) never English words.
_NON_ENGLISH = (
    "el los las una por para pero muy también está qué gracias "
    "le les est une avec pour pas très mais c'est je suis "
    "der die das und ist nicht ein eine sehr mit auch ich "
    "não com uma muito você obrigado "
    "di della che sono molto anche grazie "
    "yang dan ini itu tidak dengan saya untuk"
).split()


class _Functions:
    index: PatternIndex | None = None

    @classmethod
    def get(cls) -> PatternIndex:
        if cls.index is None:
            cls.index = PatternIndex([Pattern.of(w) for w in _NON_ENGLISH])
        return cls.index


def detect_batch(
    batch: NormBatch,
    exclude_start: np.ndarray | None = None,
    exclude_end: np.ndarray | None = None,
) -> np.ndarray:
    """Language code per post (object array of ``zh``/``en``/``mixed``/``other``).

    Args:
        batch: normalized posts.
        exclude_start, exclude_end: spans (e.g. entity mentions) whose Latin words do not
            count as English.
    """
    n = len(batch)
    if n == 0:
        return np.zeros(0, dtype=object)
    cls = batch.classes
    latin = (cls & LATIN) > 0
    word_start = latin & ~np.r_[False, latin[:-1]]
    if exclude_start is not None and exclude_end is not None and len(exclude_start):
        cover = np.zeros(len(cls) + 1, dtype=np.int64)
        np.add.at(cover, exclude_start, 1)
        np.add.at(cover, exclude_end, -1)
        word_start &= np.cumsum(cover[:-1]) == 0
    han = batch.count_per_post((cls & HAN) > 0).astype(np.float64)
    words = batch.count_per_post(word_start).astype(np.float64)
    kana = batch.count_per_post((cls & KANA) > 0)
    hangul = batch.count_per_post((cls & HANGUL) > 0)
    others = batch.count_per_post((cls & OTHER_LETTER) > 0)
    letters = batch.count_per_post(latin)

    hz = han / _HAN_PER_WORD
    share = np.divide(hz, hz + words, out=np.zeros(n), where=(hz + words) > 0)
    out = np.full(n, "mixed", dtype=object)
    out[share >= 0.7] = "zh"
    out[(share <= 0.3) & (words > 0)] = "en"
    out[(words <= 1) & (han >= 2)] = "zh"
    out[(han <= 1) & (words >= 2)] = "en"
    out[(han > 0) & (words == 0)] = "zh"
    out[(han == 0) & (words > 0)] = "en"
    if (out == "en").any():
        out[_non_english(batch, words) & (out == "en")] = "other"
    foreign = (kana >= np.maximum(2, 0.1 * han)) | (hangul > han + letters) | (others > han + letters)
    out[foreign] = "other"
    out[(han == 0) & (words == 0) & (letters == 0)] = "other"
    return out


def _non_english(batch: NormBatch, words: np.ndarray) -> np.ndarray:
    hits = _Functions.get().scan(batch)
    found = np.bincount(hits.post, minlength=len(batch))
    return (found >= 1) & (found >= 0.2 * np.maximum(words, 1))


def detect(texts: list[str]) -> list[str]:
    """Language of each text (convenience wrapper over :func:`detect_batch`).

    Example:
        >>> detect(["刹车太差了", "Love it", "小米SU7 so cool but 太贵", "¡Me encanta el nuevo!"])
        ['zh', 'en', 'mixed', 'other']
    """
    from brandhalo.text.normalize import normalize_batch

    return [str(x) for x in detect_batch(normalize_batch(texts))]
