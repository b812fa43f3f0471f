"""The `lexicon` engine's batch path: the sums and evidence of :func:`lexicon.analyze` for many
texts at once, with the per-text work cut to the rule walk itself.

:func:`lexicon.analyze` stays the reference (one text, readable); :func:`analyze_batch` must
give the same floats and the same evidence for every text (``tests/sentiment`` checks it on
generated texts). What it does differently:

- the batch is normalised as one string and its code points
  (:func:`brandhalo.text.normalize.fold_for_lexicon_codes`: texts joined by ``\\x00``, which
  no lexicon entry contains and which NFKC, lower-casing and the ``@name`` rule never cross),
  and the automaton walks each text's range of it (no Python per text or per hit), returning
  entry ids instead of entry tuples;
- word-boundary checks, neutral-frame trigger bits, clause and sentence breaks and ``!`` counts
  are numpy arrays over the whole batch; "is there a clause break between a and b" becomes
  "is the last break before b after a" (one comparison instead of a regex search);
- the automaton reads each character as two symbols (:func:`_automaton_for`): pyahocorasick
  looks a child up by scanning a node's children, and a node then has a few dozen, not the
  root's thousand or so; the spelled text is Latin-1 (every symbol is below 256), which
  Python builds from bytes without decoding;
- texts whose hits are only words, emoji, negators, degree words and contrast words (about
  95% of real-length posts) are walked with numpy, chains of modifiers and all
  (:func:`_plain_parts`); the others (好, concessions, dispelled worries, irony, 不如) hit by hit in
  Python (:func:`_walk`); texts without a sentiment hit skip the walk;
- :func:`frames.frame_of` runs only on the texts a frame may hold (:func:`_maybe_framed`: a
  frame trigger, a headline bracket, a lead word, a price, two units, a question's shape;
  about a tenth of real-length posts), each checked first by numpy or one string search;
- names that may hold a sentiment word (:func:`lexicon.unname`) are found with one numpy
  pass over the batch (three capitalised words), and only those texts are read in Python;
- texts where a match that cuts a word could hide other keys (:func:`lexicon._shadowing`,
  a few per cent of English tweets) take the reference path, which reads them again there.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from brandhalo.text.arrays import distinct
from brandhalo.text.normalize import SEP, fold_for_lexicon_codes
from brandhalo.text.sentiment.frames import (
    _EN_TAIL_WORD,
    _LEAD_CHARS,
    _QUESTION_END,
    AD,
    ASK,
    DAMP,
    HEADLINE_OPEN,
    HEADLINE_STARTS,
    LEAD_AT,
    NEWS,
    NOTICE,
    PLAIN_QUESTION_MAX,
    PRICE_SEPARATORS,
    PRICE_UNITS,
    PRICE_WORD_ENDS,
    QMARK,
    QUESTION_MARKS,
    REPLY,
    REPLY_AT,
    REPORT,
    REPORT_MARK,
    REQUEST,
    SENTENCE_MARKS,
    UNIT_HEADS,
    UNITS,
    frame_of,
)
from brandhalo.text.sentiment.lexicon import (
    CLAP,
    COMPARE,
    CONCESSION,
    CONTRAST,
    DEG,
    DEGWORD,
    DISPEL,
    DISPEL_FLIP,
    EMOJI,
    FRAME,
    IRONY,
    NEG,
    NEG_FLIP,
    OPENER,
    SCARE_QUOTE,
    SHADOW_ANY,
    SHADOW_RIGHT,
    WORD,
    _automaton,
    _evidence,
    analyze,
    automaton_entries,
    ironic,
    named_texts,
    opens,
    punctuation_chars,
    scare_open,
    unescape,
    unname_candidate,
)

#: texts normalised and matched in one go (bounds the joined string's memory)
CHUNK = 8192
#: every code point that str.isspace() accepts (the last one is U+3000)
_SPACES = [c for c in range(0x3001) if chr(c).isspace()]


@dataclass(frozen=True)
class Tables:
    """An automaton of entry ids and the entries as arrays (one row per id)."""

    keys: tuple[str, ...]
    in_key: np.ndarray  # per code point up to the largest in a key: it is in some key
    built: list[Any]  # the automaton, built on the first batch (see :func:`_automaton_for`)
    kind: np.ndarray
    val: np.ndarray
    fb: np.ndarray
    length: np.ndarray
    left: np.ndarray
    right: np.ndarray
    scope: np.ndarray
    shadow: np.ndarray  # bits: a match of it that cuts a word can hide others (lexicon._shadowing)
    classes: np.ndarray  # uint16 per code point below CLASS_LIMIT: ALNUM | BREAK | ... bits
    excl: tuple[str, ...]
    starts: np.ndarray  # code points a headline's first non-space character may be
    lead: np.ndarray  # code points a news lead word starts with
    ends: np.ndarray  # code points a question may end with (white space aside)
    unit_one: np.ndarray  # code points that are a unit of frames.UNITS alone
    unit_two: np.ndarray  # the first two code points of the longer units (_pair_codes)
    safe: bool  # no key contains the separator (else every text takes the reference path)


@lru_cache(maxsize=8)
def tables(extra: tuple[tuple[str, float], ...]) -> Tables:
    """The batch tables of the automaton :func:`lexicon._automaton` builds for `extra`."""
    entries = automaton_entries(extra)
    used = np.asarray(sorted({ord(c) for key in entries for c in key}), dtype=np.int64)
    in_key = np.zeros(int(used.max(initial=0)) + 2, dtype=bool)
    in_key[used] = True
    rows = list(entries.values())
    col = list(zip(*rows, strict=True)) if rows else [()] * 8
    breaks, sentence, excl = punctuation_chars()
    return Tables(
        keys=tuple(entries),
        in_key=in_key,
        built=[],
        kind=np.asarray(col[0], dtype=np.int64),
        val=np.asarray(col[1], dtype=np.float64),
        fb=np.asarray(col[2], dtype=np.float64),
        length=np.asarray(col[3], dtype=np.int64),
        left=np.asarray(col[4], dtype=bool),
        right=np.asarray(col[5], dtype=bool),
        scope=np.asarray(col[6], dtype=np.int64),
        shadow=np.asarray(col[7], dtype=np.int64),
        classes=_classes(breaks, sentence, excl),
        excl=excl,
        starts=np.asarray(sorted(ord(c) for c in HEADLINE_STARTS), dtype=np.int64),
        lead=np.asarray(sorted(ord(c) for c in _LEAD_CHARS), dtype=np.int64),
        ends=np.asarray(sorted(ord(c) for c in _QUESTION_END), dtype=np.int64),
        unit_one=np.asarray(sorted({ord(u) for u in UNITS if len(u) == 1}), dtype=np.int64),
        unit_two=np.unique(
            _pair_codes(
                np.asarray([ord(u[0]) for u in UNITS if len(u) > 1], dtype=np.int64),
                np.asarray([ord(u[1]) for u in UNITS if len(u) > 1], dtype=np.int64),
            )
        ),
        safe=not any(SEP in key for key in entries) and all(len(m) == 1 for m in excl),
    )


#: stands for every character that is in no key (no trie node has it as a child)
PLACEHOLDER = 0xE000
#: a run of placeholders this long is a match (of no entry): the trie needs an end for it
_PLACEHOLDER_RUN = 64
#: lower symbols per upper symbol of a character's two-symbol code (see :func:`_automaton_for`)
_LOW = 24


@dataclass(frozen=True)
class Coded:
    """The automaton of a :class:`Tables` over two-symbol character codes."""

    auto: Any
    #: per code point below len(in_key), its two symbols: as Latin-1 (uint16) when every
    #: symbol is below 256 (a few thousand characters in keys), else as UTF-32-LE (uint64)
    codes: np.ndarray


def _automaton_for(tab: Tables, cp: np.ndarray) -> Coded:
    """The automaton of `tab`'s keys (values: entry ids), built once per process.

    pyahocorasick finds a node's child by scanning the children in insertion order, and the
    root has a child per character that starts a key: about a thousand. So every character
    of a key, and :data:`PLACEHOLDER` (which stands for every character in no key), is
    spelled as two symbols, an upper one (its rank by frequency in the first batch, `cp`,
    divided by :data:`_LOW`) and a lower one (the remainder), from two disjoint ranges: a
    node has a few dozen children at most, the frequent ones first. The separator is two
    NULs, which no node has as a child. A key can only match where a character starts (keys
    start with an upper symbol, which never follows one), and with ``iter_long`` every match,
    failover and restart of the spelled text is that of the text (the tests compare with
    :func:`lexicon.analyze`, which matches characters). A character that is in keys but starts
    none gets a root child too (a key that cannot match: it ends in a placeholder-like
    character that masked text never holds), as the automaton of characters had it.
    """
    if tab.built:
        return tab.built[0]  # type: ignore[no-any-return]
    import ahocorasick

    size = tab.in_key.shape[0]
    counts = np.bincount(np.minimum(cp, size - 1), minlength=size)
    firsts = {k[0] for k in tab.keys}
    inner = sorted({c for k in tab.keys for c in k} - firsts)
    run = chr(PLACEHOLDER) * _PLACEHOLDER_RUN
    words = [*tab.keys, *(c + chr(PLACEHOLDER + 1) for c in inner)]
    placed = int(counts[~tab.in_key].sum()) - int(counts[0])  # characters in no key
    chars = sorted({c for w in [*words, run] for c in w})

    def freq(c: str) -> int:
        o = ord(c)
        return placed if o == PLACEHOLDER else int(counts[o]) if o < size else 0

    rank = {c: r for r, c in enumerate(sorted(chars, key=lambda c: (-freq(c), c)))}
    upper = -(-len(rank) // _LOW)  # upper symbols: 1..upper, lower: upper + 1..upper + _LOW
    code = {c: chr(1 + r // _LOW) + chr(1 + upper + r % _LOW) for c, r in rank.items()}
    pairs = np.zeros((size, 2), dtype=np.uint32)
    hole = [ord(s) for s in code[chr(PLACEHOLDER)]]
    pairs[1:] = hole  # every character in no key (but the separator) is a placeholder
    for c, spelled in code.items():
        if ord(c) < size and tab.in_key[ord(c)]:  # not the placeholders themselves
            pairs[ord(c)] = [ord(s) for s in spelled]
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    none = len(tab.keys)  # the id of matches of no entry
    auto.add_word("".join(code[c] for c in run), none)
    for i in sorted(range(len(words)), key=lambda i: rank[words[i][0]]):
        auto.add_word("".join(code[c] for c in words[i]), min(i, none))
    auto.make_automaton()
    if int(pairs.max()) < 256:
        tab.built.append(Coded(auto, (pairs[:, 0] | (pairs[:, 1] << 8)).astype(np.uint16)))
    else:
        tab.built.append(Coded(auto, pairs.view(np.uint64).reshape(-1)))
    return tab.built[0]  # type: ignore[no-any-return]


def _spelled(coded: Coded, cp: np.ndarray) -> str:
    """The joined text, followed by the separator, in two-symbol codes (every character in no
    key as :data:`PLACEHOLDER`): the same matches as the text, found faster."""
    out = np.empty(cp.shape[0] + 1, dtype=coded.codes.dtype)
    np.take(coded.codes, cp, out=out[:-1], mode="clip")  # past the table: its last entry
    out[-1] = 0
    return out.tobytes().decode("latin-1" if out.dtype == np.uint16 else "utf-32-le")


#: character classes (bits) looked up per code point
ALNUM, BREAK, SENTENCE_END, DIGIT, EXCLAIM, SPACE = 1, 2, 4, 8, 16, 32
#: for :func:`_maybe_framed`: unit and price characters (``frames.UNIT_HEADS`` ...), "." and ","
UNIT, PRICE_UNIT, PRICE_WORD, PRICE_SEP, MARK = 64, 128, 256, 512, 1024
#: every decimal digit (what ``\\d`` matches) is below this code point
CLASS_LIMIT = 0x20000


def _classes(breaks: frozenset[str], sentence: frozenset[str], excl: tuple[str, ...]) -> np.ndarray:
    """The class bits of every code point below :data:`CLASS_LIMIT` (one more entry: 0)."""
    out = np.zeros(CLASS_LIMIT + 1, dtype=np.uint16)
    out[[ord(c) for c in "abcdefghijklmnopqrstuvwxyz0123456789"]] |= ALNUM
    pairs = ((breaks, BREAK), (sentence, SENTENCE_END), (excl, EXCLAIM), (".,", MARK))
    frames = ((UNIT_HEADS, UNIT), (PRICE_UNITS, PRICE_UNIT), (PRICE_WORD_ENDS, PRICE_WORD))
    for chars, bit in (*pairs, *frames, (PRICE_SEPARATORS, PRICE_SEP)):
        out[[ord(c) for c in chars if len(c) == 1]] |= bit
    out[[c for c in range(CLASS_LIMIT) if chr(c).isdecimal()]] |= DIGIT
    out[_SPACES] |= SPACE
    return out


def analyze_batch(
    extra: tuple[tuple[str, float], ...], texts: Sequence[str], max_evidence: int = 5
) -> tuple[np.ndarray, list[list[str]]]:
    """Per text the result of ``lexicon.analyze(_automaton(extra), text, max_evidence)``.

    Args:
        extra: the engine's extra terms (as :attr:`LexiconEngine.extra`).
        texts: the batch (str only; the engines turn None into ``""`` first).
        max_evidence: evidence items per text at most; 0 builds no evidence at all (every
            list is empty, the sums are the same: callers that need only the scores).

    Returns:
        (float64 sums, evidence lists), one row per text.
    """
    totals = np.zeros(len(texts), dtype=np.float64)
    evidence: list[list[str]] = []
    tab = tables(extra)
    for lo in range(0, len(texts), CHUNK):
        chunk = list(texts[lo : lo + CHUNK])
        if tab.safe:
            sums, ev = _chunk(extra, chunk, max_evidence)
        else:
            sums, ev = _reference(extra, chunk, max_evidence)
        totals[lo : lo + len(chunk)] = sums
        evidence.extend(ev)
    return totals, evidence


def _reference(
    extra: tuple[tuple[str, float], ...], texts: list[str], max_evidence: int
) -> tuple[list[float], list[list[str]]]:
    auto = _automaton(extra)
    found = [analyze(auto, t, max_evidence) for t in texts]
    return [s for s, _ in found], [e if max_evidence else [] for _, e in found]


def _chunk(
    extra: tuple[tuple[str, float], ...], texts: list[str], k: int
) -> tuple[list[float], list[list[str]]]:
    """Sums and evidence of one chunk of texts (texts holding SEP take the reference path)."""
    tab = tables(extra)
    odd: list[int] = []
    raw = SEP.join(texts)
    if raw.count(SEP) != max(len(texts) - 1, 0):
        odd = [i for i, t in enumerate(texts) if SEP in t]
    clean = [("" if SEP in t else t) for t in texts] if odd else texts
    if "\\u" in raw:  # literal escapes left by an export (lexicon.unescape)
        clean = [unescape(t) for t in clean]
    named = named_texts(clean, raw if clean is texts else SEP.join(clean))
    if named:  # names that may hold a sentiment word (lexicon.unname)
        clean = list(clean)
        for i in named:
            clean[i] = unname_candidate(clean[i])
    joined, codes = fold_for_lexicon_codes(clean, raw if clean is texts else None)
    cp = codes.astype(np.int64)
    seps = np.flatnonzero(cp == 0)
    lo = np.concatenate(([0], seps + 1))
    hi = np.concatenate((seps, [cp.shape[0]]))
    cls = tab.classes.take(cp, mode="clip")  # CLASS_LIMIT and above: the last entry
    hits = _hits(tab, cp, cls, seps, joined)
    maybe, price, units = _maybe_framed(tab, joined, cp, cls, seps, lo, hi, hits.hint)
    sums = [0.0] * len(texts)
    evidence: list[list[str]] = [[] for _ in texts]
    _walk_all(hits, joined, k, sums, evidence, (codes, cls))
    # empty texts (and SEP-holding ones, blanked) have no hit, and no frame: nonempty is False
    at = np.flatnonzero(maybe)
    for i, a, b in zip(at.tolist(), lo[at].tolist(), hi[at].tolist(), strict=True):
        framed = frame_of(joined[a:b], hits.hint[i], price=price[i], units=units[i])
        if framed is not None:
            kind, phrase = framed
            sums[i] *= DAMP[kind]
            if k:
                evidence[i] = [*evidence[i][: k - 1], f"~{kind}:{phrase[:24]}"]
    # texts where a dropped match may hide others are read again there (lexicon._long_matches)
    for i in sorted(set(odd) | set(hits.reread)):
        sums[i], ev = analyze(_automaton(extra), texts[i], k)
        evidence[i] = ev if k else []
    return sums, evidence


def _maybe_framed(
    tab: Tables,
    joined: str,
    cp: np.ndarray,
    cls: np.ndarray,
    seps: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    hint: list[int],
) -> tuple[np.ndarray, list[bool], list[bool]]:
    """Per text, whether :func:`frames.frame_of` can find a frame (False: it returns None),
    whether ``frames._PRICE`` can match, and whether ``frames._UNIT`` can match twice.

    What each frame needs (numpy over the first and last characters and the trigger bits;
    then, for the texts still undecided that one may frame, a string search or a regex match
    at the text's place in `joined`: :func:`_headline_at`, :func:`_lead_at` ...):

    - a news, notice, ad or request trigger (`hint`) is a frame;
    - a price or two units (``frames._PRICE``, ``frames._UNIT``): `price`, `units`;
    - a plain question (``frames._plain_question``): a question word or a question end last,
      and at most ``frames.PLAIN_QUESTION_MAX`` characters without the white space at its ends;
    - a headline (``frames._HEADLINE``): ``#`` or ``【`` first, white space aside, and ``【``
      (``frames.HEADLINE_OPEN``) in the text;
    - a news lead (``frames._LEAD``): ``frames.LEAD_AT`` matches at the text's start;
    - a report (``frames._REPORT``): its trigger and ``据`` (``frames.REPORT_MARK``);
    - a reply headline (``frames.REPLY_AT``): its trigger (回应) and the match at the text's start;
    - a tagged English question (``frames._tagged_question``): ``?`` among the triggers, an
      ASCII first character, and a body that ends with ``?`` followed by white space, the end
      or a tail word; neither the body before that ``?`` nor the lead before the body holds a
      mark of :data:`_STOP_MARKS`, so the text's first such mark is a ``?`` of that run.
    """
    n = lo.shape[0]
    no = np.zeros(n, dtype=bool)
    if not cp.size:
        return no, no.tolist(), no.tolist()

    def per_text(at: np.ndarray) -> np.ndarray:
        return np.bincount(np.searchsorted(seps, at), minlength=n)[:n]

    if cls.shape[0] > 1:
        word = np.flatnonzero((cls[:-1] & PRICE_WORD) != 0)
        priced = word[(cls[word + 1] & (DIGIT | SPACE | PRICE_SEP)) != 0]
    else:
        priced = np.zeros(0, dtype=np.int64)
    price_at, unit_at = _after_number(cls, (PRICE_UNIT, UNIT), lambda at: _unit_at(tab, cp, at))
    price = per_text(price_at) + per_text(priced) > 0
    units = per_text(unit_at) >= 2
    nonempty = hi > lo
    a, b = np.minimum(lo, cp.shape[0] - 1), np.maximum(hi - 1, 0)
    first, last = cp[a], cp[b]
    blank_first = (cls[a] & SPACE) != 0
    blank = blank_first | ((cls[b] & SPACE) != 0)  # white space first or last
    bits = np.asarray(hint, dtype=np.int64)
    maybe = nonempty & (((bits & (NEWS | NOTICE | AD | REQUEST)) != 0) | price | units)
    asks = ((bits & ASK) != 0) | np.isin(last, tab.ends)
    maybe |= nonempty & asks & (hi - lo <= PLAIN_QUESTION_MAX) & ~blank
    # the rest by a string search or a regex match at the text's place, each on the texts
    # still undecided that it may frame
    for check, may in (
        (_headline_at, np.isin(first, tab.starts) | blank_first),
        (_lead_at, np.isin(first, tab.lead) | blank_first),
        (_report_at, (bits & REPORT) != 0),
        (_reply_at, (bits & REPLY) != 0),
        (_plain_question_at, blank),
        (_tagged_question_at, ((bits & QMARK) != 0) & (first < 128)),
    ):
        at = np.flatnonzero(may & nonempty & ~maybe)
        if at.size:
            maybe[at] = check(joined, lo[at].tolist(), hi[at].tolist(), bits[at].tolist())
    return maybe, price.tolist(), units.tolist()


def _headline_at(joined: str, lo: list[int], hi: list[int], hint: list[int]) -> list[bool]:
    """Per text ``joined[lo:hi]`` (that starts with ``#`` or ``【``, white space aside), whether
    it holds ``【``."""
    return [joined.find(HEADLINE_OPEN, a, b) >= 0 for a, b in zip(lo, hi, strict=True)]


def _lead_at(joined: str, lo: list[int], hi: list[int], hint: list[int]) -> list[bool]:
    """Per text, whether it starts with a news lead (``frames._LEAD``)."""
    return [LEAD_AT.match(joined, a, b) is not None for a, b in zip(lo, hi, strict=True)]


def _report_at(joined: str, lo: list[int], hi: list[int], hint: list[int]) -> list[bool]:
    """Per text (with a REPORT trigger), whether it holds ``据``."""
    return [joined.find(REPORT_MARK, a, b) >= 0 for a, b in zip(lo, hi, strict=True)]


def _reply_at(joined: str, lo: list[int], hi: list[int], hint: list[int]) -> list[bool]:
    """Per text (with a REPLY trigger), whether it starts with a reply headline
    (``frames.REPLY_AT``)."""
    return [REPLY_AT.match(joined, a, b) is not None for a, b in zip(lo, hi, strict=True)]


def _plain_question_at(joined: str, lo: list[int], hi: list[int], hint: list[int]) -> list[bool]:
    """Per text that starts or ends with white space, whether it has a question word or ends
    like a question (white space aside) and is short enough for one."""
    out = []
    for a, b, h in zip(lo, hi, hint, strict=True):
        body = joined[a:b].strip()
        asks = h & ASK or body[-1:] in _QUESTION_END
        out.append(bool(asks) and len(body) <= PLAIN_QUESTION_MAX)
    return out


def _tagged_question_at(joined: str, lo: list[int], hi: list[int], hint: list[int]) -> list[bool]:
    """Per text (ASCII first, a ``?`` trigger), whether the body of
    ``frames._tagged_question`` may end in it: the text's first mark of :data:`_STOP_MARKS` is
    a ``?`` after which come question marks and white space (the rest of the body, the white
    space stripped from it and before the tail), then the text's end or a tail word
    (``frames._EN_TAIL_WORD``)."""
    out = []
    for a, b in zip(lo, hi, strict=True):
        m = _TAGGED_HEAD.match(joined, a, b)
        out.append(
            m is not None and (m.end() == b or bool(_EN_TAIL_WORD.match(joined, m.end(), b)))
        )
    return out


#: the marks a tagged question's lead and body hold none of before its question mark:
#: ``frames.SENTENCE_MARKS`` (but the new line, which the lead may hold) and
#: ``frames.QUESTION_MARKS``
_STOP_MARKS = "".join(sorted(set(SENTENCE_MARKS + QUESTION_MARKS) - {"\n"}))
#: a text up to its first mark of _STOP_MARKS, a "?", and the question marks and white space
#: after it
_TAGGED_HEAD = re.compile("[^" + re.escape(_STOP_MARKS) + "]*[?][?\\s]*")


def _pair_codes(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One int64 per pair of code points (each below 2**21)."""
    return (first << 21) | second


def _unit_at(tab: Tables, cp: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Per position `at` of the code points `cp`, whether a unit of ``frames.UNITS`` may start
    there: a one-character unit, or the first two characters of a longer one."""
    nxt = np.where(at + 1 < cp.shape[0], cp[np.minimum(at + 1, cp.shape[0] - 1)], 0)
    head = cp[at]
    return np.isin(head, tab.unit_one) | np.isin(_pair_codes(head, nxt), tab.unit_two)


def _after_number(
    cls: np.ndarray,
    bits: tuple[int, ...],
    unit: Callable[[np.ndarray], np.ndarray] | None = None,
) -> list[np.ndarray]:
    """Per class bit of `bits`, the positions just before the characters of that class that may
    follow a number (``\\d[\\d.,]*\\s*``, as ``frames._UNIT`` and ``frames._PRICE`` have them):
    the character before, white space aside, ends a run of digits, dots and commas that holds a
    digit. Each match of such a pattern has one (two matches: two of them).

    One pass over the classes finds the digits, dots, commas and white space (but the last
    character): every position these rules look at is one of them or follows one. `unit`:
    per position of a :data:`UNIT` character, whether a whole unit may start there.
    """
    if cls.shape[0] < 2:
        return [np.zeros(0, dtype=np.int64) for _ in bits]
    near = _Near(cls, np.flatnonzero((cls[:-1] & (DIGIT | MARK | SPACE)) != 0))
    follow = cls[near.at + 1]
    out = []
    for bit in bits:
        prev = near.at[(follow & bit) != 0]
        heads = prev + 1
        at, kept = near.number_before(prev)
        if bit == UNIT and unit is not None:
            at = at[unit(heads[kept])]
        out.append(at)
    return out


class _Near:
    """The digits, dots, commas and white space of a batch's classes `cls` (`at`: all but the
    last character's), with the runs of white space, digits and marks found once."""

    def __init__(self, cls: np.ndarray, at: np.ndarray):
        self.cls, self.at, self.kind = cls, at, cls[at]

    @cached_property
    def run_first(self) -> np.ndarray:
        blank = self.at[(self.kind & SPACE) != 0]
        return blank[np.r_[True, np.diff(blank) != 1]]

    @cached_property
    def digits(self) -> np.ndarray:
        return self.at[(self.kind & DIGIT) != 0]

    @cached_property
    def marks(self) -> np.ndarray:
        return self.at[(self.kind & MARK) != 0]

    def number_before(self, prev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions `prev` (digits, dots, commas or white space before a unit) whose
        character, white space aside, ends a run of digits, dots and commas holding a digit
        (moved back over the white space; `prev` is changed), and their places in `prev`."""
        cls = self.cls
        space = (cls[prev] & SPACE) != 0
        if space.any():  # the last character before the run of white space
            run_first = self.run_first
            prev[space] = run_first[np.searchsorted(run_first, prev[space], "right") - 1] - 1
        kept = np.flatnonzero(prev >= 0)
        prev = prev[kept]
        digit = (cls[prev] & DIGIT) != 0
        mark = (cls[prev] & MARK) != 0
        if mark.any():  # "3.5 ", "1,": only dots and commas back to the last digit
            at, digits, marks = prev[mark], self.digits, self.marks
            i = np.searchsorted(digits, at, "right") - 1
            last = np.where(i >= 0, digits[np.maximum(i, 0)] if digits.size else 0, -1)
            between = np.searchsorted(marks, at, "right") - np.searchsorted(marks, last, "right")
            digit[mark] = (last >= 0) & (between == at - last)
        return prev[digit], kept[digit]


@dataclass
class Hits:
    """The sentiment-relevant automaton hits of a chunk, in text order, one array item per hit:
    entry kind, value, fallback, span, scope, the last clause break (`pb`) and sentence end
    (`ps`) before the hit, and the text it is in (`doc`)."""

    kind: np.ndarray
    val: np.ndarray
    fb: np.ndarray
    start: np.ndarray
    end: np.ndarray
    scope: np.ndarray
    pb: np.ndarray
    ps: np.ndarray
    doc: np.ndarray
    hint: list[int]  # per text, neutral-frame trigger bits
    excl: np.ndarray  # per text, exclamation marks
    reread: list[int]  # texts with a dropped match of a shadowing key (lexicon._long_matches)


def _hits(tab: Tables, cp: np.ndarray, cls: np.ndarray, seps: np.ndarray, joined: str) -> Hits:
    n = seps.shape[0] + 1  # texts of the chunk
    end, eid = _matches(tab, cp)
    start = end - tab.length[eid] + 1
    last = cp.shape[0] - 1
    before = (start > 0) & ((cls[np.maximum(start - 1, 0)] & ALNUM) != 0)
    after = (end < last) & ((cls[np.minimum(end + 1, last)] & ALNUM) != 0)
    left_cut = tab.left[eid] & before
    ok = ~(left_cut | (tab.right[eid] & after))
    doc = np.searchsorted(seps, end)
    # a dropped match that may hide others: its text is read again (lexicon._long_matches)
    shadow = tab.shadow[eid]
    again = ~ok & (((shadow & SHADOW_ANY) != 0) | (((shadow & SHADOW_RIGHT) != 0) & ~left_cut))
    reread = distinct(doc[again]).tolist()
    kind = tab.kind[eid]
    frame = ok & (kind == FRAME)
    hint = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(hint, doc[frame], tab.val[eid[frame]].astype(np.int64))
    keep = np.flatnonzero(ok & (kind != FRAME))
    end, eid, start, doc = end[keep], eid[keep], start[keep], doc[keep]
    kind, val = kind[keep], tab.val[eid]
    op = np.flatnonzero(kind == OPENER)
    if op.size:  # openers are words, worth nothing where they open a sentence (lexicon.opens)
        kind[op] = WORD
        val[op] = np.where([opens(joined, s) for s in start[op].tolist()], 0.0, val[op])
    # a word worth nothing changes nothing unless a 好 (DEGWORD) or a concession is pending
    # (see _walk), and only those two kinds set them: other texts drop such words here
    idle = (kind == WORD) & (val == 0.0)
    if idle.any():
        held = np.zeros(n, dtype=bool)
        held[doc[(kind == DEGWORD) | (kind == CONCESSION)]] = True
        live = np.flatnonzero(~idle | held[doc])
        end, eid, start, doc, kind, val = (x[live] for x in (end, eid, start, doc, kind, val))
    marks = np.flatnonzero((cls & (EXCLAIM | BREAK | SENTENCE_END)) != 0)  # the three at once
    of = cls[marks]
    at = marks[(of & EXCLAIM) != 0]
    excl = np.bincount(np.searchsorted(seps, at), minlength=n)[:n]
    return Hits(
        kind=kind,
        val=val,
        fb=tab.fb[eid],
        start=start,
        end=end,
        scope=tab.scope[eid],
        pb=_last_before(marks[(of & BREAK) != 0], start),
        ps=_last_before(marks[(of & SENTENCE_END) != 0], start),
        doc=doc,
        hint=hint.tolist(),
        excl=excl,
        reread=reread,
    )


_flatten = itertools.chain.from_iterable


def _matches(tab: Tables, cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(end, entry id) of every match of every text, as ``auto.iter_long(text + SEP)`` gives
    them (see :func:`lexicon._analyze`): one pass over the joined text (`cp`, code points),
    which ends with the separator too, so every text is followed by one."""
    coded = _automaton_for(tab, cp)
    found = coded.auto.iter_long(_spelled(coded, cp))
    flat = np.fromiter(_flatten(found), dtype=np.int64)
    end, eid = flat[0::2] >> 1, flat[1::2]  # a character's lower symbol ends a match
    real = eid < len(tab.keys)  # not a run of placeholders
    return end[real], eid[real]


def _last_before(marks: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Per position, the last of the sorted `marks` before it (-1 if none)."""
    i = np.searchsorted(marks, pos) - 1
    return np.where(i >= 0, marks[np.maximum(i, 0)], -1) if marks.size else np.full_like(pos, -1)


#: kinds of hit that only the rule walk in Python (:func:`_walk`) follows
_WALKED = (DEGWORD, CONCESSION, DISPEL, IRONY, COMPARE)
#: texts with more sentiment words and emoji than this are walked in Python too
_MAX_PARTS = 48


def _walk_all(
    hits: Hits,
    joined: str,
    k: int,
    sums: list[float],
    evidence: list[list[str]],
    chars: tuple[np.ndarray, np.ndarray],
) -> None:
    """Sum and evidence of every text with a hit, into `sums` and `evidence` (same rules and
    float order as the reference; `k` = 0: no evidence). `chars`: the code points of `joined`
    (uint32) and their class bits.

    Texts whose hits are only words, emoji, negators, degree words and contrast words (most
    posts) are walked with numpy (:func:`_plain_parts`); the others by :func:`_walk`, hit by hit.
    """
    n = len(sums)
    worded = (hits.kind == WORD) | (hits.kind == EMOJI)
    idle = _idle_quotes(hits, worded, joined, chars[0])
    hard = np.zeros(n, dtype=bool)
    hard[hits.doc[np.isin(hits.kind, _WALKED) & ~idle]] = True
    hard |= np.bincount(hits.doc[worded], minlength=n)[:n] > _MAX_PARTS
    walked = hard[hits.doc]
    _walk_rows(hits, np.flatnonzero(walked), joined, k, sums, evidence)
    plain = np.flatnonzero(~walked & ~idle & ~((hits.kind == WORD) & (hits.val == 0.0)))
    val, s0, end, doc = _plain_parts(hits, plain)
    if not doc.size:
        return
    _sum_parts(hits.excl, val, doc, sums)
    if k:
        _evidence_of_parts((joined, *chars), val, s0, end, doc, k, evidence)


def _idle_quotes(hits: Hits, worded: np.ndarray, joined: str, codes: np.ndarray) -> np.ndarray:
    """Per hit: a closing quote mark (:data:`SCARE_QUOTE`) that flips nothing, as it closes no
    scare quote (:func:`lexicon.scare_open`) or no sentiment word or emoji ends inside it: it
    alone does not send a text to the rule walk (quotes are common in posts). `codes`: the
    code points of `joined`; a straight single quote after no CJK character (an English
    apostrophe, it's) closes none and is not looked at further."""
    quote = (hits.kind == IRONY) & (hits.fb == SCARE_QUOTE)
    if not quote.any():
        return quote
    ends = np.sort(hits.end[worded & (hits.val != 0.0)])
    at = np.flatnonzero(quote)
    close = hits.end[at]
    before = codes[np.maximum(close - 1, 0)]
    apostrophe = (codes[close] == ord("'")) & ((before < 0x3400) | (before > 0x9FFF))
    opened = np.full(close.size, -1, dtype=np.int64)
    look = np.flatnonzero(~apostrophe)
    opened[look] = [scare_open(joined, c) for c in close[look].tolist()]
    inside = np.searchsorted(ends, close) - np.searchsorted(ends, opened, side="right")
    quote[at] = (opened < 0) | (inside <= 0)
    return quote


def _walk_rows(
    hits: Hits, at: np.ndarray, joined: str, k: int, sums: list[float], evidence: list[list[str]]
) -> None:
    """:func:`_walk` over the hits `at` (whole texts), text by text."""
    if not at.size:
        return
    cols = (hits.kind, hits.val, hits.fb, hits.start, hits.end, hits.scope, hits.pb, hits.ps)
    rows = list(zip(*(c[at].tolist() for c in cols), strict=True))
    doc = hits.doc[at]
    first = np.flatnonzero(np.concatenate(([True], doc[1:] != doc[:-1])))
    edges = np.append(first, doc.size).tolist()
    excl = hits.excl
    for i, a, b in zip(doc[first].tolist(), edges[:-1], edges[1:], strict=True):
        marks: list[tuple[float, int, int]] = []
        parts = _walk(rows[a:b], marks)
        if marks:
            ironic(joined, parts, marks)
        if not parts:
            continue
        total = parts[0][0] if len(parts) == 1 else float(sum(p[0] for p in parts))
        if total and excl[i]:
            total *= 1.0 + 0.15 * min(int(excl[i]), 3)
        sums[i] = total
        if k:
            evidence[i] = _evidence(joined, parts, k)


def _plain_parts(
    hits: Hits, at: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(contribution, span start, span end, text) of every word and emoji among the hits `at`,
    whose texts hold no hit of :data:`_WALKED` kinds and no word worth 0: what :func:`_walk`
    gives there, in its order and with its float operations.

    With those kinds gone the walk is: a negator or degree word opens a chain or extends the
    open one, a sentiment word takes the open chains and closes them, an emoji leaves them
    open, a contrast word (但是, but) closes them, halves every part before it and weighs the
    words after it by its value. A chain stays open from one hit to the next unless the next
    is past its last member's scope or a clause break lies in between; both only grow along a
    text, so a chain that is still open at its next member (or at the word) was open at every
    hit before.
    """
    kind, val, start, end = hits.kind[at], hits.val[at], hits.start[at], hits.end[at]
    doc, fb, scope, pb = hits.doc[at], hits.fb[at], hits.scope[at], hits.pb[at]
    word = kind == WORD
    contrast = kind == CONTRAST
    # a word or a contrast closes the chains: a segment runs from a text's first hit (or the
    # hit after a word or contrast) to the next word or contrast
    opened = np.ones(kind.shape[0], dtype=bool)
    opened[1:] = (doc[1:] != doc[:-1]) | word[:-1] | contrast[:-1]
    seg = np.cumsum(opened)

    def chains(mod: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per hit, the last `mod` hit at or before it in its segment whose chain is still open
        there (-1: none), that chain's first hit, and the last hit's place in its chain."""
        rows = np.flatnonzero(mod)
        linked = np.zeros(rows.shape[0], dtype=bool)
        prev, cur = rows[:-1], rows[1:]
        linked[1:] = (seg[prev] == seg[cur]) & ~_expired(start, end, scope, pb, prev, cur)
        heads = np.flatnonzero(~linked)
        chain = np.cumsum(~linked) - 1
        head = np.full(kind.shape[0], -1, dtype=np.int64)
        place = np.zeros(kind.shape[0], dtype=np.int64)
        head[rows] = rows[heads[chain]] if rows.size else rows
        place[rows] = np.arange(rows.shape[0]) - heads[chain] if rows.size else rows
        last = np.maximum.accumulate(np.where(mod, np.arange(kind.shape[0]), -1))
        return last, head, place

    w = np.flatnonzero(word)
    neg_last, neg_head, neg_place = chains(kind == NEG)
    deg_last, deg_head, deg_place = chains(kind == DEG)
    deg = np.ones(kind.shape[0], dtype=np.float64)  # per degree hit, its chain's product so far
    mods = np.flatnonzero(kind == DEG)
    deg[mods] = val[mods]  # 1.0 * the first value
    for p in range(1, int(deg_place.max(initial=0)) + 1):
        rows = mods[deg_place[mods] == p]
        deg[rows] = deg[_prev_in(mods, rows)] * val[rows]

    def open_at(last: np.ndarray) -> np.ndarray:
        lw = last[w]
        ok = (lw >= 0) & (seg[np.maximum(lw, 0)] == seg[w])
        return ok & ~_expired(start, end, scope, pb, np.maximum(lw, 0), w)

    v, s0 = val[w], start[w]
    has_deg = open_at(deg_last)
    d = deg_last[w]
    v = np.where(has_deg, v * deg[d], v)
    s0 = np.where(has_deg, start[np.maximum(deg_head[d], 0)], s0)
    negated = open_at(neg_last) & (fb[w] == 0)  # fb: the word carries its own negator
    g = neg_last[w]
    head = np.maximum(neg_head[g], 0)
    wish = fb[head] != 0  # the first negator has its own flip: a wish, which flips praise only
    flip = np.where(wish, fb[head], NEG_FLIP)
    odd = negated & (neg_place[g] % 2 == 0)  # an odd count: the last one is at an even place
    odd &= (v > 0) | ~wish
    v = np.where(odd, v * flip, v)
    s0 = np.where(negated, np.minimum(s0, start[head]), s0)
    val = val.copy()
    span0 = start.copy()
    if contrast.any():
        v = v * _contrast_weight(contrast, val, doc, w)
    val[w], span0[w] = v, s0
    keep = np.flatnonzero(word | (kind == EMOJI))
    if contrast.any():
        val[keep] = _halved_before_contrasts(contrast, doc, val[keep], keep)
    return val[keep], span0[keep], end[keep], doc[keep]


def _contrast_weight(
    contrast: np.ndarray, val: np.ndarray, doc: np.ndarray, w: np.ndarray
) -> np.ndarray:
    """Per word hit `w`, the walk's ``weight``: the value of the last contrast hit before it
    in its text, 1.0 if none (``x * 1.0`` is ``x``)."""
    last = np.maximum.accumulate(np.where(contrast, np.arange(contrast.shape[0]), -1))[w]
    ok = (last >= 0) & (doc[np.maximum(last, 0)] == doc[w])
    return np.where(ok, val[np.maximum(last, 0)], 1.0)


def _halved_before_contrasts(
    contrast: np.ndarray, doc: np.ndarray, parts: np.ndarray, at: np.ndarray
) -> np.ndarray:
    """The `parts` (the values of hits `at`) halved once per contrast hit after them in their
    text, one ``* 0.5`` at a time as the walk does (`contrast`, `doc`: per hit)."""
    seen = np.cumsum(contrast)  # contrasts up to and including each hit
    last = np.r_[np.flatnonzero(doc[1:] != doc[:-1]), doc.shape[0] - 1]  # each text's last hit
    text_of = np.cumsum(np.r_[False, doc[1:] != doc[:-1]])  # per hit, its text's place in `last`
    after = (seen[last[text_of]] - seen)[at]
    out = parts.copy()
    for p in range(int(after.max(initial=0))):
        rows = np.flatnonzero(after > p)
        out[rows] = out[rows] * 0.5
    return out


def _prev_in(rows: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The item of sorted `rows` before each of `at` (which are in `rows`)."""
    return rows[np.searchsorted(rows, at) - 1]


def _expired(
    start: np.ndarray,
    end: np.ndarray,
    scope: np.ndarray,
    pb: np.ndarray,
    mod: np.ndarray,
    at: np.ndarray,
) -> np.ndarray:
    """Whether the modifier hits `mod` no longer reach the hits `at` (past their scope, or a
    clause break in between: :func:`_walk`'s checks)."""
    return (start[at] - end[mod] > scope[mod]) | (pb[at] > end[mod])


def _sum_parts(excl: np.ndarray, val: np.ndarray, doc: np.ndarray, sums: list[float]) -> None:
    """Each text's sum of its parts `val` (in order, as Python's ``sum``: 0 + p0 + p1 ...; one
    part: itself), times the exclamation boost, into `sums`."""
    n = len(sums)
    count = np.bincount(doc, minlength=n)
    first = np.flatnonzero(np.concatenate(([True], doc[1:] != doc[:-1])))
    place = np.arange(doc.shape[0]) - np.repeat(first, count[doc[first]])
    total = np.zeros(n, dtype=np.float64)
    for p in range(int(place.max()) + 1):
        at = np.flatnonzero(place == p)
        total[doc[at]] += val[at]
    texts = doc[first]
    one = texts[count[texts] == 1]
    total[one] = val[first[count[texts] == 1]]
    got = total[texts]
    marks = excl[texts]
    boost = (got != 0) & (marks > 0)
    got[boost] *= 1.0 + 0.15 * np.minimum(marks[boost], 3)
    for i, s in zip(texts.tolist(), got.tolist(), strict=True):
        sums[i] = s


def _evidence_of_parts(
    chars: tuple[str, np.ndarray, np.ndarray],
    val: np.ndarray,
    s0: np.ndarray,
    end: np.ndarray,
    doc: np.ndarray,
    k: int,
    evidence: list[list[str]],
) -> None:
    """:func:`lexicon._evidence` of every text's parts: strongest first (ties in text order),
    parts worth 0 left out, each item once, `k` at most (`chars`: the joined text, its code
    points and their classes).

    Every item (sign and stripped span) is cut from the code points at once and decoded as one
    string; a text whose first `k` items may repeat one (same sign, length, first and last
    character) takes them one by one, as the reference does.
    """
    order = np.lexsort((np.arange(doc.shape[0]), -np.abs(val), doc))
    order = order[val[order] != 0.0]
    if not order.size:
        return
    joined, codes, cls = chars
    d = doc[order]
    first = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
    rank = np.arange(d.shape[0]) - np.repeat(first, np.diff(np.r_[first, d.shape[0]]))
    a, b = _stripped(joined, cls, s0[order], end[order] + 1)
    signs = np.where(val[order] > 0, ord("+"), ord("-"))
    items = _items(codes, signs, a, b)
    lead = np.flatnonzero(rank < k)
    clash = _repeats(codes, d[lead], signs[lead], a[lead], b[lead], k)
    texts = d[first]
    stops = np.r_[first[1:], d.shape[0]]
    slow = np.isin(texts, clash)
    for i, lo, hi in zip(
        texts[~slow].tolist(),
        first[~slow].tolist(),
        np.minimum(stops, first + k)[~slow].tolist(),
        strict=True,
    ):
        evidence[i] = items[lo:hi]
    for i, lo, hi in zip(
        texts[slow].tolist(), first[slow].tolist(), stops[slow].tolist(), strict=True
    ):
        out: list[str] = []
        for item in items[lo:hi]:
            if item not in out:
                out.append(item)
                if len(out) >= k:
                    break
        evidence[i] = out


def _repeats(
    codes: np.ndarray, doc: np.ndarray, signs: np.ndarray, a: np.ndarray, b: np.ndarray, k: int
) -> np.ndarray:
    """The texts (`doc`, sorted, at most `k` items each) in which two of the items (sign, span
    [a, b) of `codes`) may be equal: they have the same sign, length, first and last character."""
    size = b - a
    some = size > 0
    head = np.where(some, codes[np.minimum(a, b - 1)], 0)
    tail = np.where(some, codes[np.maximum(b - 1, 0)], 0)
    same = np.zeros(doc.shape[0], dtype=bool)
    for step in range(1, min(k, doc.shape[0])):
        x, y = slice(step, None), slice(None, -step)
        same[x] |= (
            (doc[x] == doc[y])
            & (signs[x] == signs[y])
            & (size[x] == size[y])
            & (head[x] == head[y])
            & (tail[x] == tail[y])
        )
    return distinct(doc[same])


def _stripped(
    joined: str, cls: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The spans [a, b) of `joined` without the white space at their ends (``str.strip``)."""
    some = b > a
    edge = some & (
        ((cls[np.minimum(a, cls.shape[0] - 1)] & SPACE) != 0)
        | ((cls[np.maximum(b - 1, 0)] & SPACE) != 0)
    )
    if not edge.any():
        return a, b
    a, b = a.copy(), b.copy()
    for i in np.flatnonzero(edge).tolist():
        span = joined[a[i] : b[i]]
        kept = span.strip()
        a[i] += len(span) - len(span.lstrip()) if kept else 0
        b[i] = a[i] + len(kept)
    return a, b


def _items(codes: np.ndarray, signs: np.ndarray, a: np.ndarray, b: np.ndarray) -> list[str]:
    """Per span [a, b) of `codes`, its sign character followed by its characters, as strings
    (one buffer, one decode, one split at the separator, which no span holds)."""
    size = b - a + 2  # sign, characters, separator
    stop = np.cumsum(size)
    start = stop - size
    buf = np.zeros(int(stop[-1]), dtype=np.uint32)
    pos = np.arange(buf.shape[0]) - np.repeat(start, size)  # place in its item
    src = np.repeat(a - 1, size) + pos
    chars = (pos > 0) & (pos < np.repeat(size - 1, size))
    buf[chars] = codes[src[chars]]
    buf[start] = signs
    out = buf.tobytes().decode("utf-32-le").split(SEP)
    out.pop()
    return out


def _walk(
    rows: list[tuple[int, float, float, int, int, int, int, int]],
    marks: list[tuple[float, int, int]],
) -> list[list[Any]]:
    """The rule walk of :func:`lexicon._analyze` over one text's hits (the irony hits go to
    `marks`, as (mode, start, end), for :func:`lexicon.ironic`).

    ``brk(t, x + 1, start)`` is ``pb > x`` (``pb``: the last clause break before the hit) and
    ``sentence_end(t, x + 1, start)`` is ``ps > x``.
    """
    parts: list[list[Any]] = []
    neg_n, neg_start, neg_end, neg_scope = 0, 0, -100, 0
    flip = NEG_FLIP  # what the open negation multiplies a word by (a wish flips fully)
    wish = False  # the open negation is a wish (its own flip): it flips praise only
    compared: list[Any] | None = None  # the part of the open comparison (不如), if any
    deg, deg_start, deg_end, deg_scope = 1.0, 0, -100, 0
    dw_fb, dw_start, dw_end, dw_deg = 0.0, 0, -1, 1.0
    weight, conc_end = 1.0, -1
    for kind, val, fb, start, end, scope, pb, ps in rows:
        if kind == IRONY:
            marks.append((fb, start, end))
            if val:  # a clap is an emoji: no clause weighs it
                parts.append([val if fb == CLAP else val * weight, start, end])
            continue
        if kind == WORD and dw_end < 0 and conc_end < 0:
            # nothing pending: only the scopes matter, and they are checked here
            if val == 0.0:
                continue  # expiry is monotone, so the next hit's checks see the same state
        elif dw_end >= 0 and not (
            kind == WORD and val and start - dw_end <= deg_scope and pb <= dw_end
        ):
            c = dw_fb * dw_deg
            if neg_n % 2 and (c > 0 or not wish):
                c *= flip
                if compared is not None:  # the flipped praise carries the comparison
                    compared[0], compared = 0.0, None
            parts.append([c * weight, min(dw_start, neg_start) if neg_n else dw_start, dw_end])
            neg_n, deg, deg_end, dw_end = 0, 1.0, -100, -1
        if neg_n and (start - neg_end > neg_scope or pb > neg_end):
            neg_n = 0
        if deg_end >= 0 and (start - deg_end > deg_scope or pb > deg_end):
            deg, deg_end = 1.0, -100
        if conc_end >= 0 and pb > conc_end:
            weight = 1.0 if ps > conc_end else 1.5
            conc_end = -1
        if kind == WORD:
            if val == 0.0:
                continue
            s0 = start
            if deg_end >= 0:
                val *= deg
                s0 = deg_start
            if neg_n and not fb:  # fb: the word carries its own negator (_self_negated)
                if neg_n % 2 and (val > 0 or not wish):
                    val *= flip
                    if compared is not None:
                        compared[0], compared = 0.0, None
                s0 = min(s0, neg_start)
            parts.append([val * weight, s0, end])
            neg_n, deg, deg_end, dw_end = 0, 1.0, -100, -1
        elif kind == EMOJI:
            parts.append([val, start, end])
        elif kind == NEG:
            if not neg_n:
                neg_start, flip, wish = start, fb or NEG_FLIP, bool(fb)
                compared = None
            neg_n += 1
            neg_end, neg_scope = end, scope
        elif kind == COMPARE:  # 不如: a complaint of its own, and a wish-like flip of praise
            part = [fb * weight, start, end]
            parts.append(part)
            compared = None if neg_n else part
            if not neg_n:
                neg_start, flip, wish = start, fb, True
            neg_n += 1
            neg_end, neg_scope = end, scope
        elif kind in (DEG, DEGWORD):
            if deg_end < 0:
                deg, deg_start = 1.0, start
            if kind == DEGWORD:
                dw_fb, dw_start, dw_end, dw_deg = fb, deg_start, end, deg
            deg *= val
            deg_end, deg_scope = end, scope
        elif kind == DISPEL:
            for p in parts:
                if p[0] < 0:
                    p[0] *= DISPEL_FLIP
            parts.append([val * weight, start, end])
            neg_n, neg_start, neg_end, neg_scope = 1, start, end, scope
            flip, wish, compared = NEG_FLIP, False, None
            deg, deg_end, dw_end = 1.0, -100, -1
        elif kind == CONTRAST:
            for p in parts:
                p[0] *= 0.5
            neg_n, deg, deg_end, weight, conc_end = 0, 1.0, -100, val, -1
        else:  # CONCESSION
            neg_n, deg, deg_end, weight, conc_end = 0, 1.0, -100, val, end
    if dw_end >= 0:
        c = dw_fb * dw_deg
        if neg_n % 2 and (c > 0 or not wish):
            c *= flip
            if compared is not None:
                compared[0] = 0.0
        parts.append([c * weight, min(dw_start, neg_start) if neg_n else dw_start, dw_end])
    return parts
