"""Language of each post: ``zh``, ``en``, ``mixed`` or ``other`` — fast and fine on 5 characters.

Detection counts scripts over a whole normalized batch with numpy: Chinese characters, Latin
words, kana, Hangul and other alphabets. A Chinese word is about 1.7 characters, so Han
characters are divided by 1.7 to compare with Latin *words*. Latin words inside brand/product names (``SU7``,
``Ultra``) are not evidence of English and can be excluded by the caller. Posts written in a
Latin-script language other than English are recognized by their function words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

import numpy as np

from brandhalo.text.arrays import distinct
from brandhalo.text.matcher import Hits, Pattern, PatternIndex
from brandhalo.text.normalize import (
    _EMOTICON,
    HAN,
    HANGUL,
    KANA,
    LATIN,
    OTHER_LETTER,
    NormBatch,
    running_count,
)
from brandhalo.text.query import LANG_VALUES

LANGS = LANG_VALUES  # what detect_batch gives; the query language checks lang: against it
_HAN_PER_WORD = 1.7
#: Share of Chinese (in words) at or above which a post is zh; at or below 1 - it, en.
_ZH_SHARE = 0.88
#: A newswire dateline names the agency ("Reuters1月7日电"), not the language.
_DATELINE = re.compile(r"[a-z]+(?=\d{1,2}月\d{1,2}日电)")
_DATE = re.compile(r"\d{1,2}月\d{1,2}日电")
_DATE_CHARS = 7  # the longest match of _DATE: "12月31日电"
#: @mentions of other accounts name people, not the post's language. A handle is what Weibo
#: links: letters, digits, ``_``, ``-`` and Chinese characters, at most 30 (the normalized
#: text is lower case and half width); anything else (a space, ``：``, ``【``, ``#``, an
#: emoji) ends it.
_HANDLE = re.compile(r"@[a-z0-9_\-\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,30}")
#: Chinese internet praise written in digits (666 "smooth, awesome", 2333 laughter), which the
#: lexicon scores: a post of them, emoji and punctuation and no letter is Chinese, not a
#: language the engine does not read.
_NUMBER_SLANG = re.compile(r"(?<!\d)(?:6{3,}|23{2,})(?!\d)")
#: Fewer words (Chinese characters / 1.7 + Latin words) of its own than this, outside names
#: and handles, and a post's language also counts the Chinese characters of its handles.
_FEW_WORDS = 2
# Function words of common Latin-script languages that are never English words.
_NON_ENGLISH = (
    "una por pero muy también está qué que como esta eso porque cuando donde ahora hoy tiene "
    "bien nuevo mejor siempre gracias une avec très mais c'est je suis dans vous nous und ist "
    "nicht ein eine sehr auch ich aber wie oder não nao uma muito você voce isso pra também "
    "tambem obrigado het een niet voor naar maar nog sono molto anche grazie ini itu tidak "
    "dengan saya untuk"
)
#: Function words that are also English words or names ("do or die", "Dan", "Las Vegas",
#: "apple.com", "EST", "MIT", "pour", "en route"): one of them is no evidence; a post needs two.
_HOMOGRAPHS = (
    "el los las para de la en es lo del con se un mi te al mas le les est pour pas der die "
    "das mit von auf com di della che yang dan van op ik"
)
#: Names in English text whose words are other languages' function words ("Los Angeles to Las
#: Vegas" holds two different ones): words inside them are no evidence of a language.
_PLACES = (
    "los angeles|las vegas|el paso|la jolla|los alamos|las cruces|la paz|el salvador|la crosse|"
    "del mar|la liga|el nino|de la soul|la la land|san jose del cabo|des moines|los cabos|"
    "la quinta|del taco|el capitan|de niro|van gogh|die hard"
)


# Latin tokens that Chinese posts use as Chinese (internet slang, emoticon names, acronyms):
# no evidence of English.
_CHINESE_LATIN = (
    "yyds xswl nb awsl emo pk bba suv ev os ui app ai cpu gpu soc ota nfc 5g wifi plog dd cp kol"
)


class _Functions:
    """The Latin words that tell a language: Chinese-internet slang (no evidence of English)
    and other languages' function words, found in one pass (slang patterns first)."""

    index: PatternIndex | None = None
    slang_count = len(_CHINESE_LATIN.split())
    strong_end = slang_count + len(_NON_ENGLISH.split())  # patterns from here: homographs
    places_start = strong_end + len(_HOMOGRAPHS.split())  # patterns from here: place names

    @classmethod
    def get(cls) -> PatternIndex:
        if cls.index is None:
            cls.index = PatternIndex(function_word_patterns())
        return cls.index

    @classmethod
    def scan(cls, batch: NormBatch) -> tuple[Hits, Hits]:
        """(slang hits, non-English function-word hits outside place names) of `batch`."""
        return cls.split(cls.get().scan(batch))

    @classmethod
    def split(cls, hits: Hits) -> tuple[Hits, Hits]:
        """(slang hits, function-word hits outside place names) of the hits of
        :func:`function_word_patterns` (numbered from 0, in any order)."""
        slang = hits.pattern < cls.slang_count
        words = ~slang & (hits.pattern < cls.places_start)
        places = hits.pattern >= cls.places_start
        if places.any():
            words &= ~in_spans(hits.start, hits.start[places], hits.end[places])
        return hits.select(slang), hits.select(words)


def function_word_patterns() -> list[Pattern]:
    """The patterns language detection looks for: Chinese-internet Latin slang, other
    languages' function words, their homographs and place names (in this order). The enrich
    stage adds them to its shared index and passes their hits to :func:`detect_batch`."""
    words = [*_CHINESE_LATIN.split(), *_NON_ENGLISH.split(), *_HOMOGRAPHS.split()]
    return Pattern.many([*words, *_PLACES.split("|")])


def dateline_spans(text: str, codes: np.ndarray | None = None) -> list[tuple[int, int]]:
    """The spans :data:`_DATELINE` finds, found from the date instead of from every letter.

    A match is a whole run of ``a-z`` right before a date (``Reuters1月7日电``): scanning for
    the date and walking back over the letters gives the same spans without trying the
    pattern at every Latin letter of the batch (a third of the time). `codes`: the code
    points of `text` (a batch's), where ``日电`` is found with numpy.
    """
    out = []
    for m in _dates(text, None if codes is None else _pair_at(codes, "日电")):
        end = start = m.start()
        while start > 0 and "a" <= text[start - 1] <= "z":
            start -= 1
        if start < end:
            out.append((start, end))
    return out


def _dates(text: str, found: list[int] | None = None) -> Iterator[re.Match[str]]:
    """``_DATE.finditer(text)``, tried only in the few characters before each ``日电``
    (`found`: where ``日电`` occurs, in order; None: searched here).

    A match ends with ``日电`` and is at most :data:`_DATE_CHARS` long, so the leftmost match
    after the previous one that ends at a given ``日电`` starts in that window; a batch without
    ``日电`` costs one substring search instead of a regex attempt at every character.
    """
    done = 0  # end of the previous match: finditer never overlaps matches
    for at in _all_at(text, "日电") if found is None else found:
        m = _DATE.search(text, max(done, at + 2 - _DATE_CHARS), at + 2)
        if m is not None:
            done = m.end()
            yield m


def _all_at(text: str, pair: str) -> Iterator[int]:
    """Where `pair` (two characters that cannot overlap themselves) occurs in `text`."""
    at = text.find(pair)
    while at >= 0:
        yield at
        at = text.find(pair, at + 2)


def _pair_at(codes: np.ndarray, pair: str) -> list[int]:
    """Where the two characters `pair` occur in the code points `codes`, in order (one
    comparison over the array instead of a substring search of the text)."""
    first, second = (np.uint32(ord(c)) for c in pair)
    at = np.flatnonzero(codes[1:] == second)
    return at[codes[at] == first].tolist()


def handle_spans(
    text: str, name_start: np.ndarray | None = None, name_end: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the @handles in `text`, the ``@`` included.

    Chinese typed straight after a handle reads as more of it (``@小米公司哪个store可以试驾``:
    Weibo links all of it too). Where a handle starts with a known name (`name_start`,
    `name_end`: entity mentions, ``小米公司``), the handle ends with that name.
    """
    spans = [m.span() for m in _HANDLE.finditer(text)]
    start = np.array([a for a, _ in spans], np.int64)
    end = np.array([b for _, b in spans], np.int64)
    return _end_at_names(start, end, name_start, name_end)


def batch_handle_spans(batch: NormBatch) -> tuple[np.ndarray, np.ndarray]:
    """:func:`handle_spans` of a batch's text (no names), computed once per batch: language
    detection and the segment rules both read them."""
    return batch.derived("handle_spans", _handle_spans_of)


def _handle_spans_of(batch: NormBatch) -> tuple[np.ndarray, np.ndarray]:
    """The matches of :data:`_HANDLE` in the batch, from its code points: each ``@`` followed by
    at least one handle character, up to 30 of them (an ``@`` is no handle character, so
    every ``@`` starts a match of its own and matches never overlap)."""
    codes = batch.codes
    at = np.flatnonzero(codes == ord("@"))
    if not len(at):
        return at, at.copy()
    window = at[:, None] + np.arange(1, _HANDLE_MAX + 1)
    ok = _handle_chars()[np.minimum(codes[np.minimum(window, len(codes) - 1)], _HANDLE_TABLE)]
    ok &= window < len(codes)
    length = np.where(ok.all(axis=1), _HANDLE_MAX, ok.argmin(axis=1))
    found = length > 0
    start = at[found].astype(np.int64)
    return start, start + 1 + length[found]


_HANDLE_MAX = 30  # characters of a handle after its @ (:data:`_HANDLE`)
_HANDLE_TABLE = 0x10000  # code points at or above are no handle characters


@cache
def _handle_chars() -> np.ndarray:
    """Which code points :data:`_HANDLE` takes after the ``@`` (one more entry: none above)."""
    table = np.zeros(_HANDLE_TABLE + 1, dtype=bool)
    for lo, hi in (("a", "z"), ("0", "9"), ("_", "_"), ("-", "-")):
        table[ord(lo) : ord(hi) + 1] = True
    for lo_cp, hi_cp in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
        table[lo_cp : hi_cp + 1] = True
    return table


def _end_at_names(
    start: np.ndarray,
    end: np.ndarray,
    name_start: np.ndarray | None,
    name_end: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Handle spans where a handle that starts with a known name ends with it."""
    if name_start is None or name_end is None or not len(name_start) or not len(start):
        return start, end
    order = np.argsort(name_start, kind="stable")
    first, last = name_start[order], name_end[order]
    at = np.minimum(np.searchsorted(first, start + 1), len(first) - 1)
    named = first[at] == start + 1
    return start, np.where(named, np.minimum(end, last[at]), end)


def _not_evidence(
    batch: NormBatch, slang: Hits, handles: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Spans of Weibo emoticons ([doge]), @handles (`handles`) and Chinese-internet Latin
    slang (yyds, `slang`)."""
    spans = [m.span() for m in _EMOTICON.finditer(batch.text)]
    spans += dateline_spans(batch.text, batch.codes)
    starts = np.array([a for a, _ in spans], np.int64)
    ends = np.array([b for _, b in spans], np.int64)
    return np.concatenate([starts, handles[0], slang.start]), np.concatenate(
        [ends, handles[1], slang.end]
    )


def merge_spans(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The union of spans [start, end) (any order, overlapping, empty) as sorted, disjoint,
    non-empty spans."""
    keep = ends > starts
    order = np.argsort(starts[keep], kind="stable")
    s, e = starts[keep][order], ends[keep][order]
    if not len(s):
        return s, e
    reach = np.maximum.accumulate(e)  # the furthest end of the spans so far
    first = np.r_[True, s[1:] > reach[:-1]]  # starts a new run of touching spans
    last = np.r_[first[1:], True]
    return s[first], reach[last]


def in_spans(positions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether each position lies inside any of the spans [start, end) (any order, may
    overlap): words inside an @handle, a place name, a name."""
    s, e = merge_spans(starts, ends)
    if not len(s):
        return np.zeros(len(positions), dtype=bool)
    at = np.searchsorted(s, positions, side="right") - 1
    return (at >= 0) & (positions < e[np.maximum(at, 0)])


def _count_in_spans(
    batch: NormBatch, running: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """Per post, how many positions counted by `running` (the cumulative sum of a mask) lie in
    the spans (merged; a span lies within one post)."""
    s, e = merge_spans(starts, ends)
    inside = running[e - 1] - np.where(s > 0, running[np.maximum(s - 1, 0)], 0)
    return np.bincount(batch.post_of(s), weights=inside, minlength=len(batch)).astype(np.int64)


def detect_batch(
    batch: NormBatch,
    exclude_start: np.ndarray | None = None,
    exclude_end: np.ndarray | None = None,
    hits: Hits | None = None,
    offset: int = 0,
) -> np.ndarray:
    """Language code per post (object array of ``zh``/``en``/``mixed``/``other``).

    Args:
        batch: normalized posts.
        exclude_start, exclude_end: spans (e.g. entity mentions) whose Latin words do not
            count as English; a handle that starts with one of them ends with it.
        hits, offset: hits of a shared index that holds :func:`function_word_patterns` from
            pattern `offset` on (the enrich stage's); without them the batch is scanned here.

    A post with fewer than :data:`_FEW_WORDS` words of its own (``btw，@小米公司哪个store可以试驾``)
    also counts its handles' Chinese characters: the Chinese typed after a handle cannot be
    told from the handle, and one Latin word does not make a post English.
    """
    n = len(batch)
    if n == 0:
        return np.zeros(0, dtype=object)
    cls = batch.classes
    latin = (cls & LATIN) > 0
    word_start = latin & ~np.r_[False, latin[:-1]]
    is_han = (cls & HAN) > 0
    han_running = running_count(is_han)
    word_running = running_count(word_start)
    han = batch.count_from_running(han_running).astype(np.float64)
    words = batch.count_from_running(word_running).astype(np.float64)
    slang, foreign_words = _function_hits(batch, hits, offset)
    handles = _end_at_names(*batch_handle_spans(batch), exclude_start, exclude_end)
    noise_start, noise_end = _not_evidence(batch, slang, handles)
    if exclude_start is not None and exclude_end is not None:
        noise_start = np.concatenate([noise_start, exclude_start])
        noise_end = np.concatenate([noise_end, exclude_end])
    if len(noise_start):
        # Names (SU7, 小米) are no evidence of a language, unless they are all there is.
        han_in = _count_in_spans(batch, han_running, noise_start, noise_end)
        words_in = _count_in_spans(batch, word_running, noise_start, noise_end)
        han_out = (han - han_in).astype(np.float64)
        words_out = (words - words_in).astype(np.float64)
        some = (han_out + words_out) > 0
        han, words = np.where(some, han_out, han), np.where(some, words_out, words)
        few = some & (han_out / _HAN_PER_WORD + words_out < _FEW_WORDS)
        if few.any() and len(handles[0]):
            in_handle = _count_in_spans(batch, han_running, *handles)
            han = np.where(few, han + in_handle, han)
    kana, hangul, others = _rare_scripts(batch)
    letters = batch.count_per_post(latin)

    hz = han / _HAN_PER_WORD
    share = np.divide(hz, hz + words, out=np.zeros(n), where=(hz + words) > 0)
    out = np.full(n, "mixed", dtype=object)
    out[share >= _ZH_SHARE] = "zh"
    out[(share <= 1 - _ZH_SHARE) & (words > 0)] = "en"
    if (out == "en").any():
        out[_non_english(foreign_words, n, words) & (out == "en")] = "other"
    foreign = (
        (kana >= np.maximum(2, 0.1 * han)) | (hangul > han + letters) | (others > han + letters)
    )
    out[foreign] = "other"
    bare = (han == 0) & (words == 0) & (letters == 0)
    out[bare] = "other"
    for i in np.flatnonzero(bare & (kana + hangul + others == 0)).tolist():
        if _NUMBER_SLANG.search(batch.text, int(batch.starts[i]), int(batch.ends[i])):
            out[i] = "zh"  # 666, 2333: Chinese praise slang the lexicon reads
    return out


def _function_hits(batch: NormBatch, hits: Hits | None, offset: int) -> tuple[Hits, Hits]:
    """:meth:`_Functions.split` of the function-word hits: those of the shared index (from
    pattern `offset` on), else of a scan of `batch`."""
    if hits is None:
        return _Functions.scan(batch)
    count = _Functions.places_start + len(_PLACES.split("|"))
    mine = hits.select((hits.pattern >= offset) & (hits.pattern < offset + count))
    mine.pattern = mine.pattern - offset
    return _Functions.split(mine)


def _rare_scripts(batch: NormBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per post, its kana, Hangul and other-alphabet letters, from one pass over the batch
    (most batches have few of them)."""
    rare = np.flatnonzero((batch.classes & (KANA | HANGUL | OTHER_LETTER)) != 0)
    cls, post = batch.classes[rare], batch.post_of(rare)

    def count(flag: int) -> np.ndarray:
        return np.bincount(post[(cls & flag) > 0], minlength=len(batch))

    return count(KANA), count(HANGUL), count(OTHER_LETTER)


def _non_english(hits: Hits, n: int, words: np.ndarray) -> np.ndarray:
    """Posts with enough other-language function words: at least a fifth of their words, and
    one that is never English or two different ones that may be (:data:`_HOMOGRAPHS`; "La La
    La" is a song title)."""
    found = np.bincount(hits.post, minlength=n)
    width = int(hits.pattern.max()) + 1 if len(hits.pattern) else 1
    pairs = distinct(hits.post.astype(np.int64) * width + hits.pattern)  # each word once
    post, pattern = pairs // width, pairs % width
    strong = np.bincount(post[pattern < _Functions.strong_end], minlength=n)
    enough = (strong >= 1) | (np.bincount(post, minlength=n) >= 2)
    return enough & (found >= 0.2 * np.maximum(words, 1))


def detect(texts: list[str]) -> list[str]:
    """Language of each text (convenience wrapper over :func:`detect_batch`).

    Example:
        >>> detect(["刹车太差了", "Love it", "小米SU7 so cool but 太贵", "¡Me encanta el nuevo!"])
        ['zh', 'en', 'mixed', 'other']
    """
    from brandhalo.text.normalize import normalize_batch

    return [str(x) for x in detect_batch(normalize_batch(texts))]


def fill_langs(langs: list[str | None], texts: Sequence[str]) -> list[str | None]:
    """`langs` (a language stored per text, None where the text is not analyzed yet) with the
    missing ones detected (:func:`detect`) from their `texts`: a stored language is kept, so a
    ``lang:`` filter reads what analysis stored. Changes `langs` in place and returns it."""
    missing = [k for k, lang in enumerate(langs) if lang is None]
    if missing:
        for k, lang in zip(missing, detect([texts[k] for k in missing]), strict=True):
            langs[k] = lang
    return langs
