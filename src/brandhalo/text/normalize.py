"""Text normalization for matching: NFKC, full/half width, Traditional -> Simplified, case.

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
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

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


@dataclass
class NormBatch:
    """A batch of posts, normalized and joined: post ``i`` is ``text[starts[i]:ends[i]]``."""

    text: str
    codes: np.ndarray  # uint32 code points of `text`
    starts: np.ndarray  # int64 start offset of each post
    ends: np.ndarray  # int64 end offset (exclusive) of each post

    def __len__(self) -> int:
        return len(self.starts)

    def post_of(self, positions: np.ndarray) -> np.ndarray:
        """Index of the post holding each character position."""
        return np.searchsorted(self.starts, positions, side="right") - 1

    def texts(self) -> list[str]:
        """The normalized posts as separate strings."""
        return self.text.split(SEP) if len(self) else []

    @cached_property
    def classes(self) -> np.ndarray:
        """Character class flags (LATIN, DIGIT, HAN, ...) for every position."""
        cls = tables()[2]
        codes = self.codes
        out = np.zeros(len(codes), dtype=np.uint8)
        inside = codes < _TABLE_SIZE
        out[inside] = cls[codes[inside]]
        out[codes >= 0x20000] = HAN  # supplementary ideographs beyond the table
        return out

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
        """Number of True positions of `mask` inside each post."""
        return np.bincount(self.char_post[mask], minlength=len(self))


def normalize_batch(texts: Sequence[str | None]) -> NormBatch:
    """Normalize many posts at once (NFKC, width, Traditional -> Simplified, lower case).

    Example:
        >>> normalize_batch(["ＳＵ７ 剎車"]).texts()
        ['su7 刹车']
    """
    mapping, slow, _ = tables()
    posts = ["" if t is None else t for t in texts]
    if not posts:
        empty = np.zeros(0, dtype=np.int64)
        return NormBatch(text="", codes=np.zeros(0, dtype=np.uint32), starts=empty, ends=empty)
    codes = _codes(SEP.join(posts))
    lengths = np.fromiter(map(len, posts), dtype=np.int64, count=len(posts))
    inside = codes < _TABLE_SIZE
    flagged = np.zeros(len(codes), dtype=bool)
    flagged[inside] = slow[codes[inside]]
    if flagged.any():
        starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
        for i in np.unique(np.searchsorted(starts, np.flatnonzero(flagged), side="right") - 1):
            posts[i] = unicodedata.normalize("NFKC", posts[i])
        codes = _codes(SEP.join(posts))
        lengths = np.fromiter(map(len, posts), dtype=np.int64, count=len(posts))
        inside = codes < _TABLE_SIZE
    out = codes.copy()
    out[inside] = mapping[codes[inside]]
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
    ends = starts + lengths
    out[ends[:-1]] = 0  # restore the separators (the table maps NUL inside posts to a space)
    text = out.tobytes().decode("utf-32-le", "surrogatepass")
    return NormBatch(text=text, codes=out, starts=starts, ends=ends)


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
