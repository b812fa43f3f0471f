"""Text normalization: for matching (NFKC, full/half width, Traditional -> Simplified, case),
and the named variants the other stages use (the table below).

Matching runs on a *normalized* copy of each post; the stored text is never changed.
Normalization is done for a whole batch at once: the posts are joined into one string
(separated by ``SEP``), turned into a numpy array of code points and mapped through one
lookup table that folds NFKC width forms, Traditional characters (OpenCC ``t2s``, character
level) and case. The table is length-preserving, so positions in the normalized text stay
valid for every later step (entity spans, NEAR distances, clauses). Posts holding characters
whose NFKC form is longer than one character (``㎏``, ``①``, combining marks) take the slow
path: real ``unicodedata.normalize("NFKC")`` first, then the table.

Emoji and Weibo emoticons (``[怒]``, ``[哈哈]``) are extracted as features by
:func:`extract_emotes`.

This module is the one home of the text normalisers. Each variant is named for what it feeds;
they differ on purpose (width, Traditional characters, mentions, white space), and the stored
values that depend on them (``text_hash``, lexicon hits, the models' hashed n-grams, labelled
row keys) must not change, so do not merge two of them without re-deriving those values.

=============================  ===========================================================
variant                        what it does, who uses it
=============================  ===========================================================
``normalize_batch``            enrichment: NFKC, width, Traditional -> Simplified, lower
                               case, control characters -> space; length-preserving
                               (``NormBatch``), so positions stay valid. Matcher, query
                               evaluator, language, targets, near-duplicates, origin.
``normalize_text``             one string as ``normalize_batch`` does it (aliases, query
                               terms, origin's account names).
``fold``                       NFKC, lower case. Frames' trigger search on raw text, the
                               query parser's "term has no characters" check.
``fold_key``                   ``fold``, ``str.split`` white space collapsed, trimmed:
                               labelled texts' row keys (``workspace_model.row_key``).
``fold_for_lexicon``           NFKC (not for ASCII), lower case, ``’`` -> ``'``, ``@name``
                               -> ``@``: the lexicon's entries and the texts it scores.
``fold_for_lexicon_joined``    the same for a batch, joined by ``SEP`` in one pass with
                               ``nfkc`` (bit-identical per text).
``fold_for_lexicon_codes``     the same joined text and its code points, NFKC and case
                               from one table (the lexicon's batch path).
``nfkc``                       exactly ``unicodedata.normalize("NFKC")``, faster on long
                               joined strings (only the runs that can change).
``ngram_codepoints``           hashing, positions not kept: lower case, full-width ASCII
                               and U+3000 folded (no full NFKC), URLs -> ``http``, ``@name``
                               -> ``@``, digits -> ``0``, spaces collapsed; int64 code
                               points, texts separated by 0 (``fastgrams``, ``embed``).
``fold_for_ngrams``            one text as ``ngram_codepoints`` sees it, as a string.
``dedup_key_arrow``            Arrow in and out: NFKC, lower case, RE2 ``\\s`` runs -> one
                               space, trimmed; md5 of it is ``text_hash`` (ingest's
                               de-duplication and repost links).
=============================  ===========================================================
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from brandhalo.text.arrays import distinct

#: Separator between posts in the joined batch text (mapped away inside posts).
SEP = "\x00"
#: Bump when the table's construction changes (invalidates on-disk caches).
_TABLE_VERSION = 1
#: The code-point table covers the BMP and the first two supplementary planes.
_TABLE_SIZE = 0x30000
_HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0))

# Character classes (bit flags) used by the matcher, language detection and NEAR.
LATIN = 1  # a-z and Latin letters with diacritics (after lowering)
DIGIT = 2
HAN = 4
KANA = 8
HANGUL = 16
OTHER_LETTER = 32  # Cyrillic, Greek, Arabic, Hebrew, Thai, Devanagari ...
HANDLE = 64  # characters allowed inside an @handle besides letters/digits/Han: _ -
WORD = LATIN | DIGIT  # a Latin alias needs a non-WORD character on each side

_EMOTICON = re.compile(r"\[[\u4e00-\u9fffa-z0-9]{1,8}\]")
_EMOJI = re.compile(
    "[\U0001f1e6-\U0001f1ff\U0001f300-\U0001f5ff\U0001f600-\U0001f64f\U0001f680-\U0001f6ff"
    "\U0001f900-\U0001f9ff\U0001fa70-\U0001faff\u2600-\u26ff\u2700-\u27bf\u2b50\u2b55\u2764]"
)


@cache
def _t2s_map() -> dict[int, int]:
    """Traditional -> Simplified, character level, from OpenCC (built once per process)."""
    import opencc

    han = [c for lo, hi in _HAN_RANGES for c in range(lo, hi)]
    # One conversion of all characters separated by newlines: OpenCC phrase rules never span
    # a newline, so each character converts on its own.
    out = opencc.OpenCC("t2s").convert("\n".join(map(chr, han))).split("\n")
    return {c: ord(o) for c, o in zip(han, out, strict=True) if len(o) == 1 and ord(o) != c}


@cache
def tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mapping, needs_nfkc, char_class) lookup arrays indexed by code point.

    Built once per machine (about half a second) and cached on disk, so worker processes
    start fast; the cache key holds the Unicode and OpenCC versions that decide the table.
    """
    path = _cache_path()
    if path is not None and path.exists():
        try:
            with np.load(path) as data:
                return data["mapping"], data["slow"], data["cls"]
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache is rebuilt below
    mapping, slow = _build_tables()
    cls = _char_classes()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(tmp, mapping=mapping, slow=slow, cls=cls)
            tmp.replace(path)
        except OSError:
            pass  # read-only home: every process builds its own table
    return mapping, slow, cls


def _cache_path() -> Path | None:
    try:
        from importlib.metadata import version

        occ = version("opencc")
    except Exception:  # noqa: BLE001  (no metadata: do not cache)
        return None
    root = os.environ.get("BRANDHALO_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "brandhalo"
    )
    key = f"normalize-v{_TABLE_VERSION}-u{unicodedata.unidata_version}-opencc{occ}.npz"
    return Path(root) / key


def _build_tables() -> tuple[np.ndarray, np.ndarray]:
    t2s = _t2s_map()
    values = list(range(_TABLE_SIZE))
    slow_at = []
    for c in range(_TABLE_SIZE):
        if 0xD800 <= c < 0xE000:
            continue
        ch = chr(c)
        nf = unicodedata.normalize("NFKC", ch)
        if len(nf) != 1 or (c >= 0x300 and unicodedata.combining(ch)) or 0x1100 <= c < 0x1200:
            slow_at.append(c)
            continue
        m = t2s.get(ord(nf), ord(nf))
        low = chr(m).lower()
        values[c] = ord(low) if len(low) == 1 else m
    mapping = np.array(values, dtype=np.uint32)
    slow = np.zeros(_TABLE_SIZE, dtype=bool)
    slow[slow_at] = True
    for ws in "\t\n\r\x0b\x0c\x85\u2028\u2029" + "".join(map(chr, range(0x20))):
        mapping[ord(ws)] = ord(" ")
    return mapping, slow


def _char_classes() -> np.ndarray:
    cls = np.zeros(_TABLE_SIZE, dtype=np.uint8)
    cls[ord("a") : ord("z") + 1] = LATIN
    cls[ord("A") : ord("Z") + 1] = LATIN
    cls[0xC0:0x250] = LATIN
    cls[[0xD7, 0xF7]] = 0
    cls[ord("0") : ord("9") + 1] = DIGIT
    for lo, hi in _HAN_RANGES:
        cls[lo : min(hi, _TABLE_SIZE)] = HAN
    cls[0x3040:0x3100] = KANA
    cls[0x31F0:0x3200] = KANA
    cls[0xAC00:0xD7B0] = HANGUL
    cls[0x1100:0x1200] = HANGUL
    for lo, hi in ((0x370, 0x400), (0x400, 0x530), (0x590, 0x700), (0x900, 0x980), (0xE00, 0xE80)):
        cls[lo:hi] = OTHER_LETTER
    cls[[ord("_"), ord("-")]] = HANDLE
    return cls


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


_T = TypeVar("_T")


@dataclass
class NormBatch:
    """A batch of posts, normalized and joined: post ``i`` is ``text[starts[i]:ends[i]]``."""

    text: str
    codes: np.ndarray  # uint32 code points of `text`
    starts: np.ndarray  # int64 start offset of each post
    ends: np.ndarray  # int64 end offset (exclusive) of each post
    #: what other modules derive from the batch, computed once (:meth:`derived`)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.starts)

    def derived(self, key: str, compute: Callable[[NormBatch], _T]) -> _T:
        """``compute(self)``, computed once per batch and kept under `key`: what several
        stages read (the @handle spans, the repost comments) is not recomputed by each."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key]  # type: ignore[no-any-return]

    def post_of(self, positions: np.ndarray) -> np.ndarray:
        """Index of the post holding each character position."""
        return np.searchsorted(self.starts, positions, side="right") - 1

    def texts(self) -> list[str]:
        """The normalized posts as separate strings."""
        return self.text.split(SEP) if len(self) else []

    #: the classes when :func:`normalize_batch` found them with the code points (else None)
    _classes: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def classes(self) -> np.ndarray:
        """Character class flags (LATIN, DIGIT, HAN, ...) for every position."""
        if self._classes is None:
            self._classes = _class_table()[np.minimum(self.codes, _TABLE_SIZE)]
        return self._classes

    @cached_property
    def word_start(self) -> np.ndarray:
        """Positions where a Latin word or number starts (a WORD char after a non-WORD one)."""
        word = (self.classes & WORD) > 0
        return word & ~np.r_[False, word[:-1]]

    @cached_property
    def char_post(self) -> np.ndarray:
        """Post index of every character position (separators count to the post before)."""
        lengths = np.diff(np.r_[self.starts, len(self.codes) + 1])
        return np.repeat(np.arange(len(self), dtype=np.int64), lengths)[: len(self.codes)]

    def count_per_post(self, mask: np.ndarray) -> np.ndarray:
        """Number of True positions of `mask` inside each post (int64; a separator counts to
        the post before it, as in :attr:`char_post`)."""
        if not len(self):
            return np.zeros(0, dtype=np.int64)
        if not len(mask) or self.starts[-1] >= len(mask):  # the last post is empty
            mask = np.append(mask, False)
        return np.add.reduceat(mask, self.starts, dtype=np.int64)

    def count_from_running(self, running: np.ndarray) -> np.ndarray:
        """:meth:`count_per_post` of a mask from its :func:`running_count` (int64): no second
        pass over the batch where the running count is needed anyway."""
        n = len(self)
        if not n or not len(running):
            return np.zeros(n, dtype=np.int64)
        last = np.append(self.starts[1:], len(running)) - 1  # each post's last position
        before = self.starts - 1
        upto = running[last].astype(np.int64)
        return upto - np.where(before >= 0, running[np.maximum(before, 0)], 0)


def running_count(mask: np.ndarray) -> np.ndarray:
    """The cumulative sum of a boolean mask over a batch's characters (int32 while it fits:
    numpy's int64 running sum is several times slower)."""
    return np.cumsum(mask, dtype=np.int32 if len(mask) < 2**31 else np.int64)


@cache
def _slow_table() -> np.ndarray:
    """Which code points need real NFKC (:func:`tables`), and one more entry (False) for every
    code point at or above :data:`_TABLE_SIZE`."""
    return np.append(tables()[1], False)


@cache
def _class_table() -> np.ndarray:
    """The class of each code point below :data:`_TABLE_SIZE`, and one more entry for every
    code point at or above it; supplementary ideographs (from U+20000) are all HAN."""
    cls = np.append(tables()[2], np.uint8(HAN))
    cls[0x20000:] = HAN
    return cls


def normalize_batch(texts: Sequence[str | None]) -> NormBatch:
    """Normalize many posts at once (NFKC, width, Traditional -> Simplified, lower case).

    Example:
        >>> normalize_batch(["ＳＵ７ 剎車"]).texts()
        ['su7 刹车']
    """
    mapping = tables()[0]
    posts = ["" if t is None else t for t in texts]
    if not posts:
        empty = np.zeros(0, dtype=np.int64)
        return NormBatch(text="", codes=np.zeros(0, dtype=np.uint32), starts=empty, ends=empty)
    codes = _codes(SEP.join(posts))
    lengths = np.fromiter(map(len, posts), dtype=np.int64, count=len(posts))
    fast = _mapped_with_classes(codes, lengths)
    if fast is not None:
        return fast
    flagged = _slow_table()[np.minimum(codes, _TABLE_SIZE)]
    if flagged.any():
        starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
        for i in distinct(np.searchsorted(starts, np.flatnonzero(flagged), side="right") - 1):
            posts[i] = unicodedata.normalize("NFKC", posts[i])
        codes = _codes(SEP.join(posts))
        lengths = np.fromiter(map(len, posts), dtype=np.int64, count=len(posts))
    if not len(codes) or int(codes.max()) < _TABLE_SIZE:
        out = mapping[codes]
    else:  # code points beyond the table stay as they are
        out = np.where(codes < _TABLE_SIZE, mapping[np.minimum(codes, _TABLE_SIZE - 1)], codes)
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
    ends = starts + lengths
    out[ends[:-1]] = 0  # restore the separators (the table maps NUL inside posts to a space)
    text = out.tobytes().decode("utf-32-le", "surrogatepass")
    return NormBatch(text=text, codes=out, starts=starts, ends=ends)


def _mapped_with_classes(codes: np.ndarray, lengths: np.ndarray) -> NormBatch | None:
    """The batch of joined `codes` (post lengths `lengths`) from one lookup in
    :func:`_packed_table`: mapped code point, its class and the needs-NFKC flag at once.
    None when a post needs real NFKC or holds a code point beyond the table (the general
    path of :func:`normalize_batch` handles those)."""
    if not len(codes) or int(codes.max()) >= _TABLE_SIZE:
        return None
    packed = _packed_table().take(codes)
    if int(packed.max()) >> _SLOW_BIT:
        return None
    out = packed & np.uint32(_CODE_MASK)
    classes = (packed >> np.uint32(_CLASS_SHIFT)).astype(np.uint8)
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
    ends = starts + lengths
    out[ends[:-1]] = 0  # the separators (the table maps NUL inside posts to a space)
    classes[ends[:-1]] = _class_table()[0]
    text = out.tobytes().decode("utf-32-le", "surrogatepass")
    return NormBatch(text=text, codes=out, starts=starts, ends=ends, _classes=classes)


#: :func:`_packed_table`'s layout: the mapped code point in the low 21 bits, its class
#: (:func:`_class_table`, 7 bits) above them, and the needs-NFKC flag in the top bit.
_CODE_MASK = (1 << 21) - 1
_CLASS_SHIFT = 21
_SLOW_BIT = 31


@cache
def _packed_table() -> np.ndarray:
    """Per code point below :data:`_TABLE_SIZE`: its mapping (:func:`tables`), the class of
    that mapped code point and whether it needs real NFKC, packed in one uint32, so
    :func:`normalize_batch` reads all three with one lookup per character."""
    mapping, slow, _ = tables()
    cls = _class_table()[np.minimum(mapping, _TABLE_SIZE)].astype(np.uint32)
    if int(mapping.max()) > _CODE_MASK or int(cls.max()) >= 1 << (_SLOW_BIT - _CLASS_SHIFT):
        raise AssertionError("normalize tables do not fit the packed layout")
    packed = mapping.astype(np.uint32) | (cls << np.uint32(_CLASS_SHIFT))
    return packed | (slow.astype(np.uint32) << np.uint32(_SLOW_BIT))


def normalize_text(text: str) -> str:
    """Normalize one string the way posts are normalized (aliases and query terms use it)."""
    return normalize_batch([text]).text


def extract_emotes(batch: NormBatch) -> list[list[str]]:
    """Emoji and Weibo emoticons (``[怒]``) of each post, in order of appearance."""
    out: list[list[str]] = [[] for _ in range(len(batch))]
    found = [(m.start(), m.group()) for m in _EMOTICON.finditer(batch.text)]
    found += [(m.start(), m.group()) for m in _EMOJI.finditer(batch.text)]
    if not found:
        return out
    found.sort()
    posts = batch.post_of(np.array([p for p, _ in found], dtype=np.int64))
    for post, (_, emote) in zip(posts.tolist(), found, strict=True):
        out[post].append(emote)
    return out


# --- The named variants besides the enrichment's (see the module docstring's table) -------------


def fold(text: str) -> str:
    """NFKC, then lower case: the plain fold (frames' trigger search, query-term checks).

    Example:
        >>> fold("ＳＵ７ Ｕｌｔｒａ 華為")
        'su7 ultra 華為'
    """
    return unicodedata.normalize("NFKC", text).lower()


def fold_key(text: str) -> str:
    """:func:`fold`, white-space runs (``str.split``) collapsed to one space, trimmed: a key that
    ignores width, case and spacing (the row keys of labelled texts).

    Example:
        >>> fold_key("  Ｇｏｏｄ\\u3000 Car\\n")
        'good car'
    """
    return " ".join(fold(text).split())


#: ``@name``: user names carry no sentiment (``@王宝强``, ``@user``), the lexicon keeps the ``@``
_LEXICON_MENTION = re.compile(r"@[^\s:,.。!?@/()\[\]#、;]{1,30}")
#: :data:`_LEXICON_MENTION` that also stops at :data:`SEP` (texts joined into one string)
_LEXICON_MENTION_JOINED = re.compile(r"@[^\s:,.。!?@/()\[\]#、;\x00]{1,30}")


def fold_for_lexicon(text: str) -> str:
    """The sentiment lexicon's fold of one text (its entries and the texts it scores):
    NFKC (skipped for ASCII, which it leaves as is), lower case, ``’`` -> ``'``,
    ``@name`` -> ``@``.

    Example:
        >>> fold_for_lexicon("＠小米公司 Don’t buy")
        "@ don't buy"
    """
    t = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).lower()
    if "\u2019" in t:
        t = t.replace("\u2019", "'")
    return _LEXICON_MENTION.sub("@", t) if "@" in t else t


def fold_for_lexicon_joined(texts: Sequence[str]) -> str:
    """:func:`fold_for_lexicon` of every text, joined by :data:`SEP` in one pass (the lexicon's
    batch path); equal to ``SEP.join(map(fold_for_lexicon, texts))`` for texts without ``SEP``.
    """
    joined = SEP.join(texts)
    if not joined.isascii():
        # NFKC and lower() act per character here: SEP is a starter that composes with
        # nothing and is neither cased nor case-ignorable (final sigma stops at it)
        joined = nfkc(joined)
    joined = joined.lower()
    if "\u2019" in joined:
        joined = joined.replace("\u2019", "'")
    return _LEXICON_MENTION_JOINED.sub("@", joined) if "@" in joined else joined


def fold_for_lexicon_codes(texts: Sequence[str], raw: str | None = None) -> tuple[str, np.ndarray]:
    """:func:`fold_for_lexicon_joined` of `texts` and its code points (uint32); `raw`: the
    texts already joined by :data:`SEP`, when the caller has them.

    One lookup per character (:func:`_lexicon_fold_table`) gives NFKC, lower case and
    ``’`` -> ``'`` of every character that :func:`nfkc` leaves alone or maps to one character
    and whose lower case is one character; the runs of the others are normalised and lowered
    as strings, with the character before them (as :func:`nfkc` does). ``@name`` -> ``@`` is
    cut from the code points. A batch holding ``Σ`` after NFKC (whose lower case depends on
    its neighbours) is folded by :func:`fold_for_lexicon_joined`.
    """
    if raw is None:
        raw = SEP.join(texts)
    if not raw:
        return raw, np.zeros(0, dtype=np.uint32)
    cp = np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32)
    table = _lexicon_fold_table()
    packed = table.take(cp, mode="clip")  # from NFKC_LIMIT on: the last entry
    codes = packed & np.uint32(_CODE_MASK)
    odd = np.flatnonzero(packed >= np.uint32(1 << _SLOW_BIT))  # (bool: a faster nonzero)
    if odd.size:
        folded = _fold_runs(cp, codes, odd)
        if folded is None:
            joined = fold_for_lexicon_joined(texts)
            return joined, np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        codes = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32)
    if (codes == 0x40).any():
        codes = _cut_mentions(codes)
    return codes.tobytes().decode("utf-32-le"), codes


def _fold_runs(cp: np.ndarray, codes: np.ndarray, odd: np.ndarray) -> str | None:
    """The folded text when the characters `odd` need NFKC and lower case as strings: each
    run of them with the character before it, the rest from `codes`; None if one gives Σ."""
    single = _nfkc_tables()[0]
    flag = np.zeros(cp.shape[0], dtype=np.int8)
    flag[odd] = 1
    edge = np.flatnonzero(np.diff(flag, prepend=0, append=0))
    starts, ends = np.maximum(edge[0::2] - 1, 0).tolist(), edge[1::2].tolist()
    mapped = np.where(cp < NFKC_LIMIT, single[np.minimum(cp, NFKC_LIMIT)], cp)
    text = codes.tobytes().decode("utf-32-le")
    pieces: list[str] = []
    done = 0
    for a, b in zip(starts, ends, strict=True):
        run = _nfkc_run(mapped[a:b].tobytes().decode("utf-32-le"))
        if "\u03a3" in run:
            return None
        pieces.append(text[done:a])
        pieces.append(run.lower().replace("\u2019", "'"))
        done = b
    pieces.append(text[done:])
    return "".join(pieces)


#: what ends an ``@name`` in :data:`_LEXICON_MENTION_JOINED` (white space, punctuation, SEP),
#: per code point up to 。 and one more entry (False) for every code point above it
_MENTION_STOP = np.zeros(0x3004, dtype=bool)
_MENTION_STOP[[c for c in range(0x3003) if chr(c).isspace()]] = True
_MENTION_STOP[[ord(c) for c in ":,.。!?@/()[]#、;" + SEP]] = True


def _cut_mentions(codes: np.ndarray) -> np.ndarray:
    """``_LEXICON_MENTION_JOINED.sub("@", text)`` on code points: after each ``@`` the up to
    30 characters before the next stop character go (a stop character is never inside a match
    and ``@`` is one, so the matches are these, one per ``@``)."""
    at = np.flatnonzero(codes == 0x40)
    n = codes.shape[0]
    window = at[:, None] + np.arange(1, 31)  # the 30 characters after each @
    ahead = codes[np.minimum(window, n - 1)]
    stops = _MENTION_STOP[np.minimum(ahead, _MENTION_STOP.shape[0] - 1)] | (window >= n)
    gone = np.where(stops.any(axis=1), stops.argmax(axis=1), 30)
    if not gone.any():
        return codes
    keep = np.ones(n, dtype=bool)
    first = np.repeat(at + 1 - np.cumsum(gone) + gone, gone)
    keep[first + np.arange(first.shape[0])] = False
    return codes[keep]


@lru_cache(maxsize=1)
def _lexicon_fold_table() -> np.ndarray:
    """Per code point below :data:`NFKC_LIMIT` (one more entry for every one above it): the
    lower case of its one-character NFKC with ``’`` -> ``'``, or the code point with the top
    bit set where that takes strings (a run :func:`nfkc` normalises, a lower case of two
    characters, ``Σ``)."""
    single, stable = _nfkc_tables()
    out = np.empty(NFKC_LIMIT + 1, dtype=np.uint32)
    for c, m in enumerate(single.tolist()):
        low = chr(m).lower() if m < NFKC_LIMIT and stable[m] and m != 0x3A3 else ""
        if len(low) == 1:
            out[c] = 0x27 if low == "\u2019" else ord(low)
        else:
            out[c] = c | 1 << _SLOW_BIT
    return out


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, normalising only the runs that can change.

    First every character whose NFKD is one character is replaced by it (NFKD, and so NFKC,
    of the text stays the same: ``，`` -> ``,``). Then the text is cut before each *stable*
    character (no decomposition, combining class 0, never the second of a composition pair,
    not Hangul: NFKC keeps it and never joins it to what comes before), and every run of
    other characters is normalised with the character before it (which a mark may join).
    """
    if not text:
        return text
    single, stable = _nfkc_tables()
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if int(cp.max()) < NFKC_LIMIT:
        mapped = single[cp]
    else:
        mapped = np.where(cp < NFKC_LIMIT, single[np.minimum(cp, NFKC_LIMIT)], cp)
    if (mapped != cp).any():
        text = mapped.tobytes().decode("utf-32-le")
    other = ~stable[np.minimum(mapped, NFKC_LIMIT)]
    if not other.any():
        return text
    edge = np.flatnonzero(np.diff(other.view(np.int8), prepend=0, append=0))
    starts, ends = np.maximum(edge[0::2] - 1, 0).tolist(), edge[1::2].tolist()
    pieces: list[str] = []
    done = 0
    for a, b in zip(starts, ends, strict=True):
        pieces.append(text[done:a])
        pieces.append(_nfkc_run(text[a:b]))
        done = b
    pieces.append(text[done:])
    return "".join(pieces)


#: code points at and above this are never mapped and never stable in :func:`nfkc`
NFKC_LIMIT = 0x30000


@lru_cache(maxsize=1)
def _nfkc_tables() -> tuple[np.ndarray, np.ndarray]:
    """(code point -> its one-character NFKD or itself, code point -> stable) below
    :data:`NFKC_LIMIT` (one more entry for the limit itself: itself-mapped, not stable)."""
    single = np.arange(NFKC_LIMIT + 1, dtype=np.uint32)
    chars = [chr(c) for c in range(NFKC_LIMIT)]
    decomposed = np.flatnonzero(list(map(bool, map(unicodedata.decomposition, chars))))
    second: list[int] = []
    for c in decomposed.tolist():
        d = unicodedata.decomposition(chars[c])
        if not d.startswith("<") and len(d.split()) == 2:
            second.append(int(d.split()[1], 16))
        nfkd = unicodedata.normalize("NFKD", chars[c])
        if len(nfkd) == 1:
            single[c] = ord(nfkd)
    stable = np.zeros(NFKC_LIMIT + 1, dtype=bool)
    stable[:NFKC_LIMIT] = np.fromiter(map(unicodedata.combining, chars), np.int64) == 0
    stable[decomposed] = False
    stable[second] = False
    for a, b in ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)):
        stable[a : b + 1] = False  # Hangul: composed by rule, not by the tables
    return single, stable


@lru_cache(maxsize=1 << 16)
def _nfkc_run(run: str) -> str:
    return unicodedata.normalize("NFKC", run)


_NGRAM_URL = re.compile(r"(?:https?://|www\.)[^\s\x00]+")
_NGRAM_MENTION = re.compile(r"@[^\s\x00@:,.。!?/()\[\]#、;，：！？]{1,30}")
#: code point that separates texts in :func:`ngram_codepoints`' array
NGRAM_SEP = 0


def ngram_codepoints(texts: Sequence[str]) -> np.ndarray:
    """Code points (int64) of the batch normalised for hashing (the sentiment models' n-grams).

    Each text becomes ``" " + text + " "`` and texts are separated by ``0``. Normalisation:
    lower case, full-width ASCII and the ideographic space folded to half width (the part of
    NFKC that matters for n-grams), URLs -> ``http``, ``@name`` -> ``@``, every digit -> ``0``,
    white-space runs -> one space. Hashing only: positions are not kept (the enrichment's
    normaliser, :func:`normalize_batch`, keeps them).
    """
    joined = "\x00".join(t.replace("\x00", " ") for t in texts).lower()
    if "http" in joined or "www." in joined:
        joined = _NGRAM_URL.sub(" http ", joined)
    if "@" in joined or "\uff20" in joined:
        joined = _NGRAM_MENTION.sub("@", joined.replace("\uff20", "@"))
    cp = np.frombuffer((" " + joined + " ").encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    wide = (cp >= 0xFF01) & (cp <= 0xFF5E)
    if wide.any():
        cp = np.where(wide, cp - 0xFEE0, cp)
        cp = np.where((cp >= 65) & (cp <= 90), cp + 32, cp)
    cp = np.where((cp >= 48) & (cp <= 57), 48, cp)
    cp = np.where(cp == 0x2019, 39, cp)
    white = (cp == 32) | ((cp >= 9) & (cp <= 13)) | (cp == 0x3000) | (cp == 0xA0)
    sep = cp == NGRAM_SEP
    cp = np.where(white | sep, 32, cp)
    # put the separators back as " \x00 " and collapse space runs
    cp = np.where(sep, NGRAM_SEP, cp)
    keep = ~white | ~np.concatenate(([False], white[:-1] | sep[:-1]))
    cp = cp[keep]
    sep = cp == NGRAM_SEP
    # every text starts and ends with a space: insert one on each side of each separator
    out = np.repeat(cp, np.where(sep, 3, 1))
    pos = np.flatnonzero(np.repeat(sep, np.where(sep, 3, 1)))
    if pos.size:
        out[pos[0::3]] = 32
        out[pos[2::3]] = 32
    dup = (out[1:] == 32) & (out[:-1] == 32)
    return out[np.concatenate(([True], ~dup))]


def fold_for_ngrams(text: str) -> str:
    """One text as the n-gram models see it (:func:`ngram_codepoints`, outer spaces trimmed).

    Example:
        >>> fold_for_ngrams("Ｇｒｅａｔ @小米 2025 http://t.cn/x")
        'great @ 0000 http'
    """
    return ngram_codepoints([text]).astype(np.uint32).tobytes().decode("utf-32-le").strip()


#: What :func:`dedup_key_arrow` fixes with a regex: space pairs, other ASCII white space, ends.
_DEDUP_WS_FIX = r"\s\s|[\t\n\r\v\f]|^\s|\s$"


def dedup_key_arrow(texts: Any) -> Any:
    """The de-duplication key's text (``text_hash`` = md5 of it; Arrow string array in and out):
    NFKC, lower case, white-space runs (RE2's ``\\s``) collapsed to one space, trimmed.

    Exactly :func:`_dedup_key_exact` (pyarrow's utf8proc kernels), which only the strings that
    need it take: full-width ASCII forms (most of what NFKC changes in Chinese posts) are
    folded on the UTF-8 bytes (:func:`_halfwidth`), and a string then holding only ASCII and
    characters NFKC and lower case keep (:func:`_kept_class`), with no white space to fix, is
    its key once ASCII is lowered (one regex pass instead of NFKC, lower case and the white
    space test: 3.4 -> about 1.5 CPU-s per million posts of real length).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if not pa.types.is_string(texts.type):
        texts = pc.cast(texts, pa.string())
    half = _halfwidth(texts)
    slow = pc.match_substring_regex(half, f"{_kept_class()}|{_DEDUP_WS_FIX}")
    slow = pc.fill_null(slow, False)
    key = pc.ascii_lower(half)
    if not pc.any(slow).as_py():
        return key
    return pc.replace_with_mask(key, slow, _dedup_key_exact(pc.filter(texts, slow)))


def _dedup_key_exact(texts: Any) -> Any:
    """:func:`dedup_key_arrow` by utf8proc for every string (the reference; the fast path's
    test compares against it)."""
    import pyarrow.compute as pc

    folded = pc.utf8_lower(pc.utf8_normalize(texts, "NFKC"))
    needs = pc.fill_null(pc.match_substring_regex(folded, _DEDUP_WS_FIX), False)
    if not pc.any(needs).as_py():
        return folded
    fixed = pc.utf8_trim_whitespace(
        pc.replace_substring_regex(pc.filter(folded, needs), r"\s+", " ")
    )
    return pc.replace_with_mask(folded, needs, fixed)


def _halfwidth(texts: Any) -> Any:
    """`texts` (an Arrow string array) with U+FF01..U+FF5E as the ASCII they stand for (their
    NFKC form), rewritten on the UTF-8 bytes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    data = texts.buffers()[2]
    if data is None or not len(texts):
        return texts
    start = texts.offset
    offsets = np.frombuffer(texts.buffers()[1], np.int32)[start : start + len(texts) + 1]
    lo, hi = int(offsets[0]), int(offsets[-1])
    seg = np.frombuffer(data, np.uint8)[lo:hi]
    # 0xEF is a lead byte (never a continuation byte, 0x80-0xBF): each hit starts a character
    at = np.flatnonzero(seg[:-2] == 0xEF)
    b1, b2 = seg[at + 1], seg[at + 2]
    # U+FF01..U+FF3F: EF BC 81..BF; U+FF40..U+FF5E: EF BD 80..9E
    hit = ((b1 == 0xBC) & (b2 >= 0x81)) | ((b1 == 0xBD) & (b2 <= 0x9E))
    if not hit.any():
        return texts
    at, b1, b2 = at[hit], b1[hit], b2[hit]
    out = seg.copy()
    out[at] = np.where(b1 == 0xBC, 0x20 + (b2 & 0x3F), 0x60 + (b2 & 0x3F)).astype(np.uint8)
    keep = np.ones(len(seg), bool)
    keep[at + 1] = False
    keep[at + 2] = False
    rel = offsets - lo
    new_offsets = (rel - 2 * np.searchsorted(at, rel, "left")).astype(np.int32)
    validity = pc.is_valid(texts).buffers()[1] if texts.null_count else None
    return pa.Array.from_buffers(
        pa.string(),
        len(texts),
        [validity, pa.py_buffer(new_offsets), pa.py_buffer(out[keep])],
        texts.null_count,
    )


#: Blocks searched for characters NFKC and lower case keep (:func:`_kept_class`).
_KEPT_BLOCKS = (
    (0x80, 0x250), (0x370, 0x530), (0x2000, 0x2C00), (0x2E80, 0x2FE0), (0x3000, 0x3400),
    (0x3400, 0x4DC0), (0x4DC0, 0xA000), (0xAC00, 0xD7A4), (0xFE00, 0xFE10),
    (0x1F000, 0x1FB00),
)  # fmt: skip


#: Unassigned, surrogate and private-use characters (never kept: a later Unicode may assign
#: one a decomposition that utf8proc knows).
_UNKNOWN = frozenset({"Cn", "Cs", "Co"})


@cache
def _kept_class() -> str:
    """RE2 pattern matching a character that is neither ASCII nor kept as it is by NFKC and
    lower case whatever stands beside it: a string without one is its own NFKC form (the
    Unicode quick check: every character NFKC_QC=Yes with combining class 0) once ASCII is
    lowered.

    Kept: characters of :data:`_KEPT_BLOCKS` (no Hangul jamo) that are assigned in Python's
    Unicode database, of combining class 0 and never the second of a canonical pair, and that
    pyarrow's utf8proc gives back from its NFKC and from its lower case.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    chars: list[str] = []
    for lo, hi in _KEPT_BLOCKS:
        for cp in range(lo, hi):
            c = chr(cp)
            if not unicodedata.combining(c) and unicodedata.category(c) not in _UNKNOWN:
                chars.append(c)
    second = set()  # the second characters of canonical pairs (composites anywhere)
    for cp in range(0x30000):  # planes 3-16 hold no composite
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<") and len(parts := d.split()) == 2:
            second.add(int(parts[1], 16))
    arr = pa.array(chars, pa.string())
    same = pc.and_(
        pc.equal(pc.utf8_normalize(arr, "NFKC"), arr), pc.equal(pc.utf8_lower(arr), arr)
    ).to_pylist()
    kept = sorted(ord(c) for c, ok in zip(chars, same, strict=True) if ok and ord(c) not in second)
    ranges: list[tuple[int, int]] = []
    for cp in kept:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(rf"\x{{{a:x}}}-\x{{{b:x}}}" if a != b else rf"\x{{{a:x}}}" for a, b in ranges)
    return rf"[^\x00-\x7f{body}]"
