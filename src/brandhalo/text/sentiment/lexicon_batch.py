"""The `lexicon` engine's batch path: the sums and evidence of :func:`lexicon.analyze` for many
texts at once, with the per-text work cut to the rule walk itself.

:func:`lexicon.analyze` stays the reference (one text, readable); :func:`analyze_batch` must
give the same floats and the same evidence for every text (``tests/sentiment`` checks it on
generated texts). What it does differently:

- the batch is normalised as one string (:func:`brandhalo.text.normalize.fold_for_lexicon_joined`:
  texts joined by ``\\x00``, which no lexicon entry contains and which NFKC, lower-casing and
  the ``@name`` rule never cross), and the automaton walks each text's range of it (no Python
  per text or per hit), returning entry ids instead of entry tuples;
- word-boundary checks, neutral-frame trigger bits, clause and sentence breaks and ``!`` counts
  are numpy arrays over the whole batch; "is there a clause break between a and b" becomes
  "is the last break before b after a" (one comparison instead of a regex search);
- texts without a sentiment hit skip the rule walk, and a sentiment word that no modifier can
  touch (no pending ``好``, no open concession) costs one comparison.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from brandhalo.text.normalize import SEP, fold_for_lexicon_joined
from brandhalo.text.sentiment.frames import (
    _HEAD_CHARS,
    _QUESTION_END,
    DAMP,
    PRICE_SEPARATORS,
    PRICE_UNITS,
    PRICE_WORD_ENDS,
    UNIT_HEADS,
    frame_of,
)
from brandhalo.text.sentiment.lexicon import (
    CONCESSION,
    CONTRAST,
    DEG,
    DEGWORD,
    DISPEL,
    DISPEL_FLIP,
    EMOJI,
    FRAME,
    NEG,
    NEG_FLIP,
    OPENER,
    WORD,
    _automaton,
    _evidence,
    analyze,
    automaton_entries,
    opens,
    punctuation_chars,
    unescape,
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
    classes: np.ndarray  # uint16 per code point below CLASS_LIMIT: ALNUM | BREAK | ... bits
    excl: tuple[str, ...]
    head: np.ndarray  # code points that may start a framed text (headline, lead words)
    tail: np.ndarray  # code points that may end a framed text (question marks, white space)
    safe: bool  # no key contains the separator (else every text takes the reference path)


@lru_cache(maxsize=8)
def tables(extra: tuple[tuple[str, float], ...]) -> Tables:
    """The batch tables of the automaton :func:`lexicon._automaton` builds for `extra`."""
    entries = automaton_entries(extra)
    used = np.asarray(sorted({ord(c) for key in entries for c in key}), dtype=np.int64)
    in_key = np.zeros(int(used.max(initial=0)) + 2, dtype=bool)
    in_key[used] = True
    rows = list(entries.values())
    col = list(zip(*rows, strict=True)) if rows else [()] * 7
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
        classes=_classes(breaks, sentence, excl),
        excl=excl,
        head=np.asarray(sorted(ord(c) for c in _HEAD_CHARS), dtype=np.int64),
        tail=np.asarray(sorted(ord(c) for c in _QUESTION_END) + _SPACES, dtype=np.int64),
        safe=not any(SEP in key for key in entries) and all(len(m) == 1 for m in excl),
    )


#: stands for every character that is in no key (no trie node has it as a child)
PLACEHOLDER = 0xE000
#: a run of placeholders this long is a match (of no entry): the trie needs an end for it
_PLACEHOLDER_RUN = 64


def _automaton_for(tab: Tables, sample: str) -> Any:
    """The automaton of `tab`'s keys (values: entry ids), built once per process.

    pyahocorasick finds a node's child by scanning the children in insertion order, and the
    root has hundreds: keys are inserted by how often their first character occurs in the
    first batch (`sample`), after a run of :data:`PLACEHOLDER` (which stands for every
    character in no key, so that one costs one comparison). Neither the order nor the
    extra root children change a match (the test suite compares with :func:`lexicon.analyze`).
    """
    if tab.built:
        return tab.built[0]
    import ahocorasick

    freq = collections.Counter(sample)
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    none = len(tab.keys)  # the id of matches of no entry
    auto.add_word(chr(PLACEHOLDER) * _PLACEHOLDER_RUN, none)
    # a character inside keys but first in none gets a root child too (a key that cannot
    # match: it ends in a placeholder-like character that masked text never holds), so
    # that from the root it is found, not looked for among every child
    firsts = {k[0] for k in tab.keys}
    inner = sorted({c for k in tab.keys for c in k} - firsts)
    words = [*tab.keys, *(c + chr(PLACEHOLDER + 1) for c in inner)]
    for i in sorted(range(len(words)), key=lambda i: -freq[words[i][0]]):
        auto.add_word(words[i], min(i, none))
    auto.make_automaton()
    tab.built.append(auto)
    return auto


def _masked(tab: Tables, cp: np.ndarray) -> str:
    """The joined text with every character that is in no key (but the separator) replaced by
    :data:`PLACEHOLDER`: the same matches, found faster."""
    size = tab.in_key.shape[0]
    keep = tab.in_key[np.minimum(cp, size - 1)] | (cp == 0)
    return np.where(keep, cp, PLACEHOLDER).astype(np.uint32).tobytes().decode("utf-32-le")


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
    joined = fold_for_lexicon_joined(clean)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    seps = np.flatnonzero(cp == 0)
    lo = np.concatenate(([0], seps + 1))
    hi = np.concatenate((seps, [cp.shape[0]]))
    cls = tab.classes[np.minimum(cp, CLASS_LIMIT)]
    hits = _hits(tab, cp, cls, seps, joined)
    maybe, price, units = _maybe_framed(tab, cp, cls, seps, lo, hi, hits.hint)
    sums = [0.0] * len(texts)
    evidence: list[list[str]] = [[] for _ in texts]
    _walk_all(hits, joined, k, sums, evidence)
    # empty texts (and SEP-holding ones, blanked) have no hit, and no frame: nonempty is False
    for i in np.flatnonzero(maybe).tolist():
        framed = frame_of(joined[lo[i] : hi[i]], hits.hint[i], price=price[i], units=units[i])
        if framed is not None:
            kind, phrase = framed
            sums[i] *= DAMP[kind]
            if k:
                evidence[i] = [*evidence[i][: k - 1], f"~{kind}:{phrase[:24]}"]
    for i in odd:
        sums[i], ev = analyze(_automaton(extra), texts[i], k)
        evidence[i] = ev if k else []
    return sums, evidence


def _maybe_framed(
    tab: Tables,
    cp: np.ndarray,
    cls: np.ndarray,
    seps: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    hint: list[int],
) -> tuple[np.ndarray, list[bool], list[bool]]:
    """Per text, whether :func:`frames.frame_of` can find a frame (False: it returns None),
    whether ``frames._PRICE`` can match, and whether ``frames._UNIT`` can match twice.

    A frame needs a trigger word (`hint`), a headline or lead character first, a question mark
    or white space last, a price (``frames._PRICE``: a number before 万 or 元, or 价 or 格
    before a number) or two numbers with a unit (``frames._UNIT``).
    """
    n = lo.shape[0]

    def per_text(at: np.ndarray) -> np.ndarray:
        return np.bincount(np.searchsorted(seps, at), minlength=n)[:n]

    if cls.shape[0] > 1:
        word = (cls[:-1] & PRICE_WORD) != 0
        priced = np.flatnonzero(word & ((cls[1:] & (DIGIT | SPACE | PRICE_SEP)) != 0))
    else:
        priced = np.zeros(0, dtype=np.int64)
    price = per_text(_after_number(cls, PRICE_UNIT)) + per_text(priced) > 0
    units = per_text(_after_number(cls, UNIT)) >= 2
    nonempty = hi > lo
    first = np.where(nonempty, cp[np.minimum(lo, cp.shape[0] - 1)], 0) if cp.size else lo
    last = np.where(nonempty, cp[np.maximum(hi - 1, 0)], 0) if cp.size else lo
    edge = np.isin(first, tab.head) | np.isin(last, tab.tail)
    maybe = nonempty & (edge | price | units | (np.asarray(hint) != 0))
    return maybe, price.tolist(), units.tolist()


def _after_number(cls: np.ndarray, bit: int) -> np.ndarray:
    """Positions just before the characters of class `bit` that may follow a number
    (``\\d[\\d.,]*\\s*``, as ``frames._UNIT`` and ``frames._PRICE`` have them): the character
    before, white space aside, ends a run of digits, dots and commas that holds a digit. Each
    match of such a pattern has one (two matches: two of them)."""
    if cls.shape[0] < 2:
        return np.zeros(0, dtype=np.int64)
    after = (cls[:-1] & (DIGIT | MARK | SPACE)) != 0
    prev = np.flatnonzero(after & ((cls[1:] & bit) != 0))
    space = (cls[prev] & SPACE) != 0
    if space.any():  # the last character before the run of white space
        blank = np.flatnonzero((cls & SPACE) != 0)
        run_first = blank[np.r_[True, np.diff(blank) != 1]]
        prev[space] = run_first[np.searchsorted(run_first, prev[space], "right") - 1] - 1
    prev = prev[prev >= 0]
    digit = (cls[prev] & DIGIT) != 0
    mark = (cls[prev] & MARK) != 0
    if mark.any():  # "3.5 ", "1,": only dots and commas back to the last digit
        at = prev[mark]
        digits = np.flatnonzero((cls & DIGIT) != 0)
        i = np.searchsorted(digits, at, "right") - 1
        last = np.where(i >= 0, digits[np.maximum(i, 0)] if digits.size else 0, -1)
        marks = np.flatnonzero((cls & MARK) != 0)
        between = np.searchsorted(marks, at, "right") - np.searchsorted(marks, last, "right")
        digit[mark] = (last >= 0) & (between == at - last)
    return prev[digit]


@dataclass
class Hits:
    """The sentiment-relevant automaton hits of a chunk, in text order, as Python lists."""

    rows: list[tuple[int, float, float, int, int, int, int, int]]
    bounds: dict[int, tuple[int, int]]  # text -> (first, last + 1) index into rows
    hint: list[int]  # per text, neutral-frame trigger bits
    excl: list[int]  # per text, exclamation marks


def _hits(tab: Tables, cp: np.ndarray, cls: np.ndarray, seps: np.ndarray, joined: str) -> Hits:
    n = seps.shape[0] + 1  # texts of the chunk
    end, eid = _matches(tab, _masked(tab, cp))
    start = end - tab.length[eid] + 1
    alnum = np.zeros(cp.shape[0] + 1, dtype=bool)  # one False past the end
    alnum[:-1] = (cls & ALNUM) != 0
    ok = ~((tab.left[eid] & (start > 0) & alnum[start - 1]) | (tab.right[eid] & alnum[end + 1]))
    doc = np.searchsorted(seps, end)
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
    at = np.flatnonzero((cls & EXCLAIM) != 0)
    excl = np.bincount(np.searchsorted(seps, at), minlength=n)[:n]
    rows = list(
        zip(
            kind.tolist(),
            val.tolist(),
            tab.fb[eid].tolist(),
            start.tolist(),
            end.tolist(),
            tab.scope[eid].tolist(),
            _last_before(np.flatnonzero((cls & BREAK) != 0), start).tolist(),
            _last_before(np.flatnonzero((cls & SENTENCE_END) != 0), start).tolist(),
            strict=True,
        )
    )
    first = np.flatnonzero(np.concatenate(([True], doc[1:] != doc[:-1]))) if doc.size else doc
    edges = np.append(first, doc.size).tolist()
    bounds = {int(doc[a]): (a, b) for a, b in zip(edges[:-1], edges[1:], strict=True)}
    return Hits(rows=rows, bounds=bounds, hint=hint.tolist(), excl=excl.tolist())


_flatten = itertools.chain.from_iterable


def _matches(tab: Tables, joined: str) -> tuple[np.ndarray, np.ndarray]:
    """(end, entry id) of every match of every text, as ``auto.iter_long(text + SEP)`` gives
    them (see :func:`lexicon._analyze`): one pass over the joined string, which ends with the
    separator too, so every text is followed by one."""
    auto = _automaton_for(tab, joined)
    flat = np.fromiter(_flatten(auto.iter_long(joined + SEP)), dtype=np.int64)
    end, eid = flat[0::2], flat[1::2]
    real = eid < len(tab.keys)  # not a run of placeholders
    return end[real], eid[real]


def _last_before(marks: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """Per position, the last of the sorted `marks` before it (-1 if none)."""
    i = np.searchsorted(marks, pos) - 1
    return np.where(i >= 0, marks[np.maximum(i, 0)], -1) if marks.size else np.full_like(pos, -1)


def _walk_all(
    hits: Hits, joined: str, k: int, sums: list[float], evidence: list[list[str]]
) -> None:
    """Sum and evidence of every text with a hit, into `sums` and `evidence` (same rules and
    float order as the reference; `k` = 0: no evidence)."""
    excl = hits.excl
    for i, (a, b) in hits.bounds.items():
        parts = _walk(hits.rows[a:b])
        if not parts:
            continue
        total = parts[0][0] if len(parts) == 1 else float(sum(p[0] for p in parts))
        if total and excl[i]:
            total *= 1.0 + 0.15 * min(excl[i], 3)
        sums[i] = total
        if k:
            evidence[i] = _evidence(joined, parts, k)


def _walk(rows: list[tuple[int, float, float, int, int, int, int, int]]) -> list[list[Any]]:
    """The rule walk of :func:`lexicon._analyze` over one text's hits.

    ``brk(t, x + 1, start)`` is ``pb > x`` (``pb``: the last clause break before the hit) and
    ``sentence_end(t, x + 1, start)`` is ``ps > x``.
    """
    parts: list[list[Any]] = []
    neg_n, neg_start, neg_end, neg_scope = 0, 0, -100, 0
    flip = NEG_FLIP  # what the open negation multiplies a word by (a wish flips fully)
    deg, deg_start, deg_end, deg_scope = 1.0, 0, -100, 0
    dw_fb, dw_start, dw_end, dw_deg = 0.0, 0, -1, 1.0
    weight, conc_end = 1.0, -1
    for kind, val, fb, start, end, scope, pb, ps in rows:
        if kind == WORD and dw_end < 0 and conc_end < 0:
            # nothing pending: only the scopes matter, and they are checked here
            if val == 0.0:
                continue  # expiry is monotone, so the next hit's checks see the same state
        elif dw_end >= 0 and not (
            kind == WORD and val and start - dw_end <= deg_scope and pb <= dw_end
        ):
            c = dw_fb * dw_deg * (flip if neg_n % 2 else 1.0)
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
                if neg_n % 2:
                    val *= flip
                s0 = min(s0, neg_start)
            parts.append([val * weight, s0, end])
            neg_n, deg, deg_end, dw_end = 0, 1.0, -100, -1
        elif kind == EMOJI:
            parts.append([val, start, end])
        elif kind == NEG:
            if not neg_n:
                neg_start, flip = start, fb or NEG_FLIP
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
            flip = NEG_FLIP
            deg, deg_end, dw_end = 1.0, -100, -1
        elif kind == CONTRAST:
            for p in parts:
                p[0] *= 0.5
            neg_n, deg, deg_end, weight, conc_end = 0, 1.0, -100, val, -1
        else:  # CONCESSION
            neg_n, deg, deg_end, weight, conc_end = 0, 1.0, -100, val, end
    if dw_end >= 0:
        c = dw_fb * dw_deg * (flip if neg_n % 2 else 1.0)
        parts.append([c * weight, min(dw_start, neg_start) if neg_n else dw_start, dw_end])
    return parts
