"""`lexicon`: explainable zh + en sentiment from word lists in one Aho-Corasick pass per text.

The word lists live in ``data/*.tsv`` (hand-written core, emoticons/emoji, phone/car/chip domain
terms, plus lists derived by ``scripts/build_lexicon.py``). One automaton holds every entry;
matching is leftmost-longest, so ``不错`` wins over ``不`` + ``错`` and neutral compounds such
as ``快递`` shadow the sentiment character inside them. Latin entries only match on word
boundaries (``good`` does not fire inside ``goodbye``); where such a dropped match could hide
shorter keys inside it (``i like`` in "i liked it" hides ``liked``), the text is read again
there (:func:`_long_matches`).

Rules applied while walking the matches of one text:

- negators (不 / 没 / not / n't ...) flip and damp the next sentiment word in their scope;
  two negators cancel; a wish for what is missing ("it would be great if it didn't crash",
  "would be nice if it actually worked") is a negator with a longer reach and its own flip,
  which only turns praise: a wish that a complaint go away ("I wish the pain would stop")
  is the complaint;
- degree words (非常 / 太 / very / extremely ...) scale the next sentiment word;
- contrast words (但是 / 不过 / but / however) halve what came before and weigh what follows
  1.5x; concessions (虽然 / although) weigh their own clause 0.5x and the next clause 1.5x;
- punctuation ends a negation/degree scope; ``!`` amplifies the total;
- an *opener* (``ok``, ``okay``) that opens a sentence is a discourse marker and scores nothing
  ("OK, I give up"); elsewhere it is a word (``还OK``, "it's ok");
- emoji and Weibo emoticons (``[怒]`` ``👍``) count as sentiment words that are never negated;
- a comparison (``不如``: value = reach, fallback = weight) is a mild complaint of its own
  (``拍照不如上一代``) and, as a wish does, flips the praise that follows in its reach
  (``不如华为好``: not as good as), which then carries the complaint instead of it;
- irony (:func:`ironic`): a sneer (``love how``, ``great, another``, ``好样的``, ``笑死``) in a text
  that also complains voids the text's praise ("love how it needs a service every 3 months,
  rubbish", ``真是好样的👍 垃圾``; a sneer that complains itself, ``下次别写了``, ``一流的敷衍``,
  voids the praise before it: ``道歉信写得真好，下次别写了``); a trailing ``/s`` tag flips it as
  a negator would, and so does English praise aimed at a failure ("love waiting 6 weeks for
  sheets, great job", "5 stars for the bot that never answers": :func:`_aimed_sarcasm`) and
  a retraction after praise ("finally arrived! just kidding");
- constructions are phrases matched before the characters inside them (``data/constructions.tsv``:
  ``破万`` and ``破纪录`` are milestones, ``不要太`` intensifies, ``怎么拒绝得了`` and ``谁不爱``
  are rhetorical praise, ``没毛病`` is praise); a *dispel* phrase (``打消了``, ``不用担心``)
  turns the worries before it mildly positive and negates the next word (``打消了我的顾虑``);
- sentiment words inside a capitalised name ("Bad Girls Club", "The Bastard Executioner") are
  blanked before matching (:func:`unname`): they name a show or a band, they judge nothing;
- posts in a neutral frame (news, spec and price lists, event notices, ads, pure questions;
  :mod:`frames`) keep only part of their sum, and the frame is part of the evidence
  (``~news:据36氪报道``).

The score is ``s / sqrt(s^2 + alpha)`` of the weighted sum ``s``; the evidence is the matched
spans (with their modifiers) sorted by weight, prefixed with their sign.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from brandhalo.errors import EngineError
from brandhalo.text.arrays import distinct
from brandhalo.text.normalize import SEP, fold_for_lexicon
from brandhalo.text.sentiment._base import (
    ZH_EN,
    SentimentEngine,
    SentimentResult,
    as_text_list,
    register_engine,
)
from brandhalo.text.sentiment.frames import DAMP, TRIGGERS, frame_of

# Entry kinds (small ints: the hot loop compares them).
(
    WORD,
    NEG,
    DEG,
    DEGWORD,
    CONTRAST,
    CONCESSION,
    BREAK,
    SENTENCE,
    EXCLAIM,
    EMOJI,
    DISPEL,
    FRAME,
    OPENER,
    IRONY,
    COMPARE,
) = range(15)
KINDS = {
    "word": WORD,
    "negator": NEG,
    "degree": DEG,
    "degword": DEGWORD,
    "contrast": CONTRAST,
    "concession": CONCESSION,
    "break": BREAK,
    "sentence": SENTENCE,
    "exclaim": EXCLAIM,
    "emoji": EMOJI,
    "dispel": DISPEL,
    "opener": OPENER,
    "irony": IRONY,
    "compare": COMPARE,
}
#: Files loaded in order; later files override earlier ones (hand-written beats derived).
LEXICON_FILES = (
    "zh_derived.tsv",
    "en_derived.tsv",
    "zh_core.tsv",
    "en_core.tsv",
    "emoticons.tsv",
    "domain.tsv",
    "constructions.tsv",
)
NEG_FLIP = -0.7  # a negated word flips and loses some strength ("not good" < "bad")
CJK_SCOPE, LATIN_SCOPE = 4, 14  # max characters between a modifier and its word
ALPHA = 6.0  # squashing constant of s / sqrt(s^2 + alpha)
DEFAULT_THRESHOLD = 0.15
#: |score| a text needs to be labelled negative (stricter than positive: a false alarm on a
#: launch-day post costs an analyst more than a missed mild complaint); see the model card
DEFAULT_NEG_THRESHOLD = 0.4
DISPEL_FLIP = -0.3  # a worry answered by 打消/不用担心 turns mildly positive
#: :data:`IRONY` modes (the entry's fallback): a sneer that voids the praise of a text that also
#: complains (``love how``, ``great, another``, ``好样的``, ``笑死``; an eye-roll ``🙄`` is its own
#: complaint), the ``/s`` tag that ends a sarcastic post (its praise is flipped as by a
#: negator), a closing quote mark: praise in a short quote is scare-quoted
#: (``真是“良心”售后``, 'so "affordable"') and flipped as by a negator, and a sweat smile
#: (``😅``) that flips the praise before it in its clause (``续航真顶😅``: the awkward smile
#: after praise is the sneer; alone it is mild awkwardness), and a clap (``[赞]``, ``👍``) that is
#: praise of its own, but weighs nothing right after a complaint (``吃鸡延迟太高了[赞]``: :func:`_clapped`)
SNEER, SARCASM_TAG, SCARE_QUOTE, SWEAT, CLAP = 1.0, 2.0, 3.0, 4.0, 5.0
#: English sarcasm aimed at a failure (issue 14; :func:`_aimed_sarcasm`): praise that names what
#: it praises (``thanks for``, ``5 stars for``: AIM, weighing its praise), a failure frame (a
#: wait, silence, an order stuck in limbo, a short lifetime: ``waiting``, ``never answers``,
#: ``still processing``, ``after one wash``: FAILURE, weighing its own complaint, if any), and a
#: retraction (``just kidding``, ``jk``: RETRACT) that flips what came before it
AIM, FAILURE, RETRACT = 6.0, 7.0, 8.0
#: Marks a part whose praise a sneer voided (:func:`ironic`): it stays in the evidence.
SNEERED = True
#: the most a scare quote holds: characters when it has a CJK one, else Latin words (and
#: characters)
SCARE_CJK, SCARE_WORDS, SCARE_CHARS = 4, 2, 24
#: what a Latin scare quote follows ('so "affordable"'); after anything else a quote is a title
#: or reported speech ('got "lucky" when the deal fell apart', '"Playful Learning" titles')
_SCARE_LEAD = re.compile(r"\b(?:so|such|such an?|very|really|real|truly|totally|super|how)\s*$")
#: what may follow a ``/s`` tag and still leave it the post's end: hashtags, mentions, laughs
_AFTER_TAG = re.compile(r"[#@][^\s#@]*|\b(?:lol+|lmf?ao+|rofl|(?:ha){2,}h?|(?:he){2,}|xd+)\b")
#: a Chinese character (a sweat smile flips only praise written with one: :func:`_sweated`)
_CJK = re.compile("[\u3400-\u9fff]")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
#: First characters of ASCII emoticons (":/", ";-)", "=)").
_EMOTICON_EYES = frozenset(":;=")

# kind, value (weight or multiplier), fallback weight (degword), length, left/right boundary, scope,
# shadow bits (a match of it dropped for cutting a word can hide other keys: :func:`_shadowing`)
Entry = tuple[int, float, float, int, bool, bool, int, int]


def parse_lexicon_lines(lines: Sequence[str], source: str = "<lexicon>") -> dict[str, Entry]:
    """Parse ``kind<TAB>value<TAB>term|term`` lines into automaton entries keyed by term."""
    out: dict[str, Entry] = {}
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in KINDS:
            raise EngineError(
                f"{source} line {no}: expected 'kind<TAB>value<TAB>term|term' with kind one of "
                f"{sorted(KINDS)}; fix the lexicon file."
            )
        kind = KINDS[parts[0]]
        mult, _, fb = parts[1].partition("/")
        value, fallback = float(mult), float(fb or 0.0)
        for term in parts[2].split("|"):
            key = fold_for_lexicon(term.replace("\\n", "\n"))
            if key:
                out[key] = _entry(kind, value, fallback, key)
    return out


def _entry(kind: int, value: float, fallback: float, key: str) -> Entry:
    latin = key[0] in _ASCII_ALNUM or key[-1] in _ASCII_ALNUM
    scope = LATIN_SCOPE if latin else CJK_SCOPE
    if kind in (NEG, COMPARE) and value > 0:  # a negator's value, when given, is its reach
        scope = int(value)
    return (
        kind,
        value,
        fallback,
        len(key),
        # a slashed emoticon (':/') right after a letter is a link's 'http://', never a face
        key[0] in _ASCII_ALNUM or (key[0] in _EMOTICON_EYES and "/" in key),
        key[-1] in _ASCII_ALNUM,
        scope,
        0,
    )


@lru_cache(maxsize=1)
def default_entries() -> dict[str, Entry]:
    """All shipped lexicon entries (cached per process)."""
    entries: dict[str, Entry] = {}
    pkg = resources.files("brandhalo.text.sentiment") / "data"
    for name in LEXICON_FILES:
        res = pkg / name
        if res.is_file():
            entries.update(parse_lexicon_lines(res.read_text("utf-8").splitlines(), name))
    return entries


@lru_cache(maxsize=8)
def _automaton(extra: tuple[tuple[str, float], ...]) -> Any:
    import ahocorasick

    auto = ahocorasick.Automaton()
    for key, entry in automaton_entries(extra).items():
        auto.add_word(key, entry)
    auto.make_automaton()
    return auto


@lru_cache(maxsize=8)
def automaton_entries(extra: tuple[tuple[str, float], ...]) -> dict[str, Entry]:
    """What the automaton holds: the shipped entries, the `extra` words and the frame triggers
    (punctuation is left out: it is looked up in the gaps between matches, far fewer hits)."""
    entries = dict(default_entries())
    for term, weight in extra:
        key = fold_for_lexicon(term)
        if key:
            entries[key] = _entry(WORD, float(weight), 0.0, key)
    for bit, words in TRIGGERS.items():  # neutral-frame triggers (news, notices, ads, asks)
        for word in words:
            key = fold_for_lexicon(word)
            old = entries.get(key)
            value = float(bit) + (old[1] if old is not None and old[0] == FRAME else 0.0)
            entries[key] = _entry(FRAME, value, 0.0, key)
    return _shadowing(
        _self_negated({k: e for k, e in entries.items() if e[0] not in (BREAK, SENTENCE, EXCLAIM)})
    )


def _self_negated(entries: dict[str, Entry]) -> dict[str, Entry]:
    """Mark the Latin words that start with a negator of their own (``no refund``, ``never
    received``) with fallback 1.0: a negator before them does not flip them again, so in "no
    AC and no updates" the "no" of "no AC" leaves the complaint "no updates" a complaint."""
    negators = {k for k, e in entries.items() if e[0] == NEG and k.isascii() and k.isalpha()}
    out = dict(entries)
    for key, e in entries.items():
        head = key.split(" ", 1)[0]
        if e[0] == WORD and " " in key and head in negators:
            out[key] = (e[0], e[1], 1.0, *e[3:])
    return out


#: :data:`Entry` shadow bits: read again wherever a match of the key is dropped / only where it
#: is dropped for its right end (its shorter keys need the same left boundary)
SHADOW_ANY, SHADOW_RIGHT = 2, 1


def _shadowing(entries: dict[str, Entry]) -> dict[str, Entry]:
    """Mark the keys whose match, when it cuts a word and is dropped, can hide another match:
    ``i like`` in "i liked it" hides ``liked``, ``as hell`` in "installation was hell" hides
    ``hell``, ``really like`` in "really liked" hides ``really`` and ``liked``.

    A key shadows when another key can start inside it on a word boundary (after a space or
    other non-letter, or a key that begins with a non-letter, such as ``#not``):
    :data:`SHADOW_ANY`; or when a shorter key that starts where it starts can end inside it on
    a word boundary: :data:`SHADOW_RIGHT` if that key needs the same left boundary (it only
    fits where the longer one was dropped for its right end), else :data:`SHADOW_ANY`.
    :func:`_long_matches` reads a text again where such a match was dropped."""
    # the /s tag counts only after white space (:func:`ironic`): inside "://s" it hides nothing
    tag = {k for k, e in entries.items() if e[0] == IRONY and e[2] == SARCASM_TAG}
    heads = {k[0] for k in entries if k not in tag}
    tag_heads = {k[0] for k in tag}
    odd_heads = {c for c in heads if c not in _ASCII_ALNUM}
    out = dict(entries)
    for key, e in entries.items():
        if not (e[4] or e[5]):
            continue  # a key without word boundaries is never dropped
        inner = any(
            (key[j] in heads and (key[j - 1] not in _ASCII_ALNUM or key[j] in odd_heads))
            or (key[j] in tag_heads and key[j - 1].isspace())
            for j in range(1, len(key))
        )
        bits = SHADOW_ANY if inner else 0
        for i in range(1, len(key)):
            short = entries.get(key[:i])
            if short is not None and (key[i - 1] not in _ASCII_ALNUM or key[i] not in _ASCII_ALNUM):
                bits |= SHADOW_RIGHT if short[4] else SHADOW_ANY
        if bits:
            out[key] = (*e[:7], bits)
    return out


def shield_terms(names: Iterable[str]) -> dict[str, float]:
    """Neutral extra terms (weight 0) for the names a workspace tracks whose text holds a
    lexicon key: 蒙牛 holds 牛 (awesome), 完美日记 完美, 理想汽车 理想, 不二家 the negator 不, so
    every mention of the brand read as opinion. A weight-0 key is matched first (leftmost-
    longest) and scores nothing, as the shipped neutral compounds do. A name that is itself a
    word (荣耀, the phone brand, is also "glory") is shielded too: in a workspace that tracks
    it, the name is what the posts mean. Names of one character are left alone.
    """
    auto = _automaton(())
    out: dict[str, float] = {}
    for name in names:
        key = fold_for_lexicon(str(name)).strip()
        if len(key) < 2:
            continue
        # a key the analysis would match there: no frame trigger, Latin keys on word
        # boundaries ("fit" is not inside "fitbit")
        if any(
            kind != FRAME and not _inside_word(key, end - ln + 1, end, lb, rb)
            for end, (kind, _, _, ln, lb, rb, _, _) in auto.iter(key)
        ):
            out[key] = 0.0
    return out


def _inside_word(t: str, start: int, end: int, lb: bool, rb: bool) -> bool:
    """Does a match of ``t[start:end + 1]`` cut a Latin word (`lb` / `rb`: the key needs a
    word boundary on its left / right)? Such a match is skipped."""
    return bool(
        (lb and start > 0 and t[start - 1] in _ASCII_ALNUM)
        or (rb and end + 1 < len(t) and t[end + 1] in _ASCII_ALNUM)
    )


@lru_cache(maxsize=1)
def _punctuation() -> tuple[Any, Any, tuple[str, ...]]:
    """(clause-break search, sentence-end search, exclamation marks) from the lexicon files.

    The searches are bound ``re.Pattern.search`` methods: ``brk(t, lo, hi)`` finds a clause
    break in ``t[lo:hi]`` at C speed.
    """
    breaks, sentence, excl = punctuation_chars()
    return _char_class(breaks).search, _char_class(sentence).search, excl


@lru_cache(maxsize=1)
def punctuation_chars() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """(characters that end a clause, characters that end a sentence, exclamation marks).

    An exclamation mark ends a clause too: a negation does not reach across it (``没有！我很喜欢``
    is praise, "No! I love it" too)."""
    entries = default_entries()
    by_kind = {k: [key for key, e in entries.items() if e[0] == k] for k in (BREAK, SENTENCE)}
    excl = tuple(key for key, e in entries.items() if e[0] == EXCLAIM)
    breaks = frozenset(key[:1] for key in by_kind[BREAK] + by_kind[SENTENCE] + list(excl))
    sentence = frozenset(key[:1] for key in by_kind[SENTENCE] if key[:1] != "/")
    return breaks, sentence, excl


def _char_class(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


@register_engine("lexicon")
class LexiconEngine(SentimentEngine):
    """Rule-based zh + en engine with negation, degree, contrast, emoticons and domain terms.

    Args:
        extra_terms: extra sentiment words with signed weights (about -3..3), e.g. from a
            user's domain; they override shipped entries.
        threshold: score at or above which a text is positive.
        neg_threshold: -score at or above which a text is negative (default: the calibrated
            :data:`DEFAULT_NEG_THRESHOLD`, or `threshold` when only that is given).
    """

    languages = ZH_EN  # the word lists and n-grams read Chinese and English only

    def __init__(
        self,
        extra_terms: Mapping[str, float] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        neg_threshold: float | None = None,
    ) -> None:
        if neg_threshold is None:
            explicit = float(threshold) != DEFAULT_THRESHOLD
            neg_threshold = float(threshold) if explicit else DEFAULT_NEG_THRESHOLD
        for name, value in (("threshold", threshold), ("neg_threshold", neg_threshold)):
            if not 0.0 <= float(value) < 1.0:
                raise EngineError(f"{name} must be in [0, 1), got {value!r}.")
        self.extra = tuple(sorted((str(k), float(v)) for k, v in (extra_terms or {}).items()))
        self.threshold = float(threshold)
        self.neg_threshold = float(neg_threshold)

    def score(self, texts: Sequence[str]) -> SentimentResult:
        """Score a batch: the automaton runs once over the batch (:mod:`lexicon_batch`), with
        the same sums and evidence as :func:`analyze` on each text."""
        from brandhalo.text.sentiment.lexicon_batch import analyze_batch

        totals, evidence = analyze_batch(self.extra, as_text_list(texts))
        return self._result(totals, evidence)

    def polarity(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(labels, scores) of :meth:`score`, without building evidence or confidence (what
        targeted sentiment needs for each target's clauses): the same arrays, bit for bit."""
        from brandhalo.text.sentiment.lexicon_batch import analyze_batch

        totals, _ = analyze_batch(self.extra, as_text_list(texts), max_evidence=0)
        labels, scores, _, _ = self._labels(totals)
        return labels, np.clip(scores.astype(np.float64), -1.0, 1.0)  # as SentimentResult.build

    def _labels(self, totals: np.ndarray) -> tuple[np.ndarray, ...]:
        """(labels, scores, |scores|, per-text threshold) of the sums `totals`."""
        scores = totals / np.sqrt(totals * totals + ALPHA)
        mag = np.abs(scores)
        cut = np.where(scores < 0, self.neg_threshold, self.threshold)
        labels = np.where(mag >= cut, np.sign(scores), 0).astype(np.int8)
        return labels, scores, mag, cut

    def _result(self, totals: np.ndarray, evidence: list[list[str]]) -> SentimentResult:
        labels, scores, mag, cut = self._labels(totals)
        polar = mag >= cut
        # polar: 0.5 at the threshold up to 1; neutral: surer the closer the score is to 0,
        # and only 0.5 when nothing at all matched
        neutral_conf = 0.5 + 0.4 * (1.0 - mag / np.maximum(cut, 1e-9))
        has_ev = np.fromiter(map(bool, evidence), dtype=bool, count=len(evidence))
        neutral_conf = np.where(has_ev, neutral_conf, 0.5)
        span = np.maximum(1.0 - cut, 1e-9)
        conf = np.where(polar, 0.5 + 0.5 * (mag - cut) / span, neutral_conf)
        return SentimentResult.build(labels, scores, conf, frame_first(labels, evidence))

    def describe(self) -> dict[str, Any]:
        """Engine name, threshold and how many entries the automaton holds."""
        return {
            "engine": self.name,
            "threshold": self.threshold,
            "neg_threshold": self.neg_threshold,
            "entries": len(_automaton(self.extra)),
        }


def frame_first(labels: np.ndarray, evidence: list[list[str]]) -> list[list[str]]:
    """Evidence with the neutral-frame item (``~news:...``) first for texts labelled neutral
    (the frame decided them) and last for polar ones (their words decided)."""
    for i in np.flatnonzero(np.asarray(labels) == 0).tolist():  # neutral texts only
        ev = evidence[i]
        if len(ev) > 1 and ev[-1][:1] == "~":
            evidence[i] = [ev[-1], *ev[:-1]]
    return evidence


def analyze(auto: Any, text: str, max_evidence: int = 5) -> tuple[float, list[str]]:
    """Weighted sentiment sum of one text and its evidence spans (strongest first).

    A text in a neutral frame (:func:`frames.frame_of`) keeps :data:`frames.DAMP` of its sum
    and gets the frame as its last evidence item, ``~<frame>:<phrase>``.
    """
    if not text:
        return 0.0, []
    total, ev, t, hint = _analyze(auto, text, max_evidence)
    framed = frame_of(t, hint)
    if framed is None:
        return total, ev
    kind, phrase = framed
    item = f"~{kind}:{phrase[:24]}"
    return total * DAMP[kind], [*ev[: max_evidence - 1], item]


#: a ``\\uXXXX`` escape left as text by an export that escaped its JSON twice (``don\\u2019t``,
#: ``great\\u002c``), or a surrogate pair of them (an emoji)
_ESCAPE = re.compile(
    r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})"
)


def unescape(text: str) -> str:
    """`text` with its literal ``\\uXXXX`` escapes decoded: ``can\\u2019t`` is ``can't`` (its
    negation had been lost) and ``\\u002c`` a comma (a clause break). Control characters and
    lone surrogates stay as written."""
    return _ESCAPE.sub(_unescaped, text) if "\\u" in text else text


def _unescaped(m: re.Match[str]) -> str:
    if m.group(3) is None:
        hi, lo = int(m.group(1), 16), int(m.group(2), 16)
        return chr(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
    cp = int(m.group(3), 16)
    return m.group(0) if cp < 0x20 or 0xD800 <= cp < 0xE000 else chr(cp)


#: what a name may hold between its capitalised words ("Trash for Cash", "Web of Lies")
_NAME_LINK_WORDS = ("of", "the", "for", "and", "a", "in", "on", "to", "vs", "&amp;", "&")
_NAME_LINKS = frozenset(_NAME_LINK_WORDS)
#: capitalised words that are no part of a name: pronouns and the like ("Love You All")
_NOT_NAME = frozenset(
    ["you", "your", "my", "me", "we", "us", "our", "it", "its", "this", "that", "he", "she"]
    + ["they", "him", "her", "them", "so", "much", "all", "everyone", "everybody", "guys"]
)
#: sentiment words that head a greeting, not a name ("a Happy New Year", "Merry Christmas")
_GREETINGS = frozenset(
    ["happy", "merry", "congrats", "congratulations", "thanks", "thank", "welcome"]
)
#: what a token may open with / close with around its word (quotes, brackets, punctuation)
_OPENING, _CLOSING = "\"'([*", "\"')].,!?:;*…"
#: the closing marks after which the next word opens a sentence
_SENTENCE_CLOSE = frozenset(".!?…:|")


def unname(text: str) -> str:
    """`text` with the sentiment words inside a capitalised name blanked out (same length, so
    every offset stays): "Bad Girls Club", "The Bastard Executioner", "Web of Lies" name a
    show or a sermon; their words are no verdict of the writer. A name is a run of capitalised
    words (linked by "of", "for", "and" ...) of which the ones that open no sentence hold a
    sentiment word and two or more other words (:func:`_name_words`). A word that opens a
    sentence keeps its verdict ("Happy Star Wars Day!", "Thanks to ..."), and texts that
    capitalise most of their words (headlines, Title Case shouting) are left alone."""
    if not named_texts([text], text):  # no capitalised sentiment word in a run: no name
        return text
    return unname_candidate(text)


def unname_candidate(text: str) -> str:
    """:func:`unname` of a text that :func:`named_texts` picked."""
    toks = text.split()
    words = [_core(t) for t in toks]
    titled = [_titled(w) for w in words]
    if 2 * sum(titled) > len(words):
        return text
    keys = _sentiment_words()
    blank: list[int] = []
    run: list[int] = []
    initial: list[bool] = []
    first = True  # the next token opens a sentence
    for i, tok in enumerate(toks):
        w = words[i]
        initial.append(first)
        link = bool(run) and w in _NAME_LINKS
        if tok[0] in _OPENING or not (titled[i] or link):
            blank += _name_words(run, words, titled, initial, keys)
            run = []
        if titled[i] or link:
            run.append(i)
        closes = tok[-1] in _CLOSING and not tok.endswith("'s")
        if closes or tok[0] in "@#":
            blank += _name_words(run, words, titled, initial, keys)
            run = []
        first = tok[-1] in _SENTENCE_CLOSE or tok.strip("-–—|") == "" or (first and tok[0] == "@")
    blank += _name_words(run, words, titled, initial, keys)
    return _blanked(text, toks, words, blank) if blank else text


def _blanked(text: str, toks: list[str], words: list[str], blank: list[int]) -> str:
    """`text` with the words `blank` (token indices of ``text.split()``) turned to spaces."""
    chars = list(text)
    pos, todo = 0, set(blank)
    for i, tok in enumerate(toks):
        pos = text.index(tok, pos)
        if i in todo:
            lo = pos + tok.index(words[i])
            chars[lo : lo + len(words[i])] = " " * len(words[i])
        pos += len(tok)
    return "".join(chars)


def _name_words(
    run: list[int],
    words: list[str],
    titled: list[bool],
    initial: list[bool],
    keys: frozenset[str],
) -> list[int]:
    """The sentiment words of the name `run` (token indices), or [] when it is no name: two
    or more of its capitalised words that open no sentence must be no sentiment words ("my
    flight got Cancelled Flightled" is no name, "Trash for Cash" is too short to tell). A
    greeting keeps its warmth ("a Happy Mother's Day to all")."""
    caps = [i for i in run if titled[i] and not initial[i]]
    if len(caps) < 3:
        return []
    hits = [i for i in caps if _bare(words[i]) in keys and _bare(words[i]) not in _GREETINGS]
    if not hits or len(caps) - len(hits) < 2:
        return []
    return hits


def _core(token: str) -> str:
    """The word inside a token's quotes, brackets and trailing punctuation."""
    return token.lstrip(_OPENING).rstrip(_CLOSING)


def _titled(word: str) -> bool:
    """Is `word` capitalised ("Club", "Harper's"; not "I", "NASA", "iPhone") and no pronoun?"""
    bare = word[:-2] if word.endswith("'s") else word
    return (
        len(bare) > 1
        and bare.isascii()
        and bare.isalpha()
        and bare[0].isupper()
        and bare[1:].islower()
        and bare.lower() not in _NOT_NAME
    )


def _bare(word: str) -> str:
    return word[:-2].lower() if word.endswith("'s") else word.lower()


@lru_cache(maxsize=1)
def _sentiment_words() -> frozenset[str]:
    """The shipped one-word sentiment keys (words and degree words with a weight)."""
    return frozenset(
        k for k, e in default_entries().items() if e[0] in (WORD, DEGWORD) and e[1] and k.isalpha()
    )


#: a capitalised word and the space after it, maybe a linking word too (possessive: what
#: follows a letter run or a space run is neither, so nothing is given back)
_CAP_WORD = (
    r"[A-Z][a-z]++(?:'s)?\s++(?:(?:" + "|".join(map(re.escape, _NAME_LINK_WORDS)) + r")\s++)?"
)
#: three capitalised words in a row, maybe linked ("Bad Girls Club", "Web of Lies Series")
_CAP_RUN = re.compile(_CAP_WORD * 2 + "[A-Z][a-z]")
#: a capitalised word (or the capitalised end of one: a superset is all the quick test needs)
_CAPITALISED = re.compile(r"[A-Z][a-z]+")


@lru_cache(maxsize=1)
def _capitalised_keys() -> frozenset[str]:
    """The sentiment words of :func:`_sentiment_words`, capitalised (greetings left out)."""
    return frozenset(w[0].upper() + w[1:] for w in _sentiment_words() - _GREETINGS)


def named_texts(texts: Sequence[str], joined: str) -> list[int]:
    """Which of `texts` (`joined`: them joined by SEP, which none holds) may hold a name that
    :func:`unname` blanks: a capitalised sentiment word and a run of three capitalised words. One scan of the batch finds the runs of
    three capitalised words (:data:`_CAP_RUN`: no run crosses SEP, which is no letter nor
    space); only the texts holding one are looked at further (a few per cent of real posts)."""
    starts = [m.start() for m in _CAP_RUN.finditer(joined)]
    if not starts:
        return []
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1) - 1
    held = distinct(np.searchsorted(ends, np.array(starts, dtype=np.int64))).tolist()
    keys = _capitalised_keys()
    return [i for i in held if not keys.isdisjoint(_CAPITALISED.findall(texts[i]))]


def _analyze(auto: Any, text: str, max_evidence: int) -> tuple[float, list[str], str, int]:
    """(sum, evidence, normalised text, frame trigger bits) of one text."""
    t = fold_for_lexicon(unname(unescape(text)))
    hint = 0
    brk, sentence_end, excl_marks = _punctuation()
    parts: list[list[Any]] = []  # [contribution, start, end]
    neg_n, neg_start, neg_end, neg_scope = 0, 0, -100, 0
    flip = NEG_FLIP  # what the open negation multiplies a word by (a wish flips fully)
    wish = False  # the open negation is a wish (its own flip): it flips praise only
    deg, deg_start, deg_end, deg_scope = 1.0, 0, -100, 0
    # a pending "degree word" (好): degree in 好贵, a sentiment word itself in 好东西
    dw_fb, dw_start, dw_end, dw_deg = 0.0, 0, -1, 1.0
    weight, conc_end = 1.0, -1
    # followed by a separator: at the end of its input iter_long drops a match it would report
    # before any further character (质量有问题 lost 问题, a prefix of the key 有问题吗)
    marks: list[tuple[float, int, int]] = []  # irony hits: (mode, start, end)
    compared: list[Any] | None = None  # the part of the open comparison (不如), if any
    for end, (kind, val, fb, ln, lb, rb, scope, _) in _long_matches(auto, t + SEP):
        start = end - ln + 1
        if _inside_word(t, start, end, lb, rb):
            continue
        if kind == FRAME:
            hint |= int(val)
            continue
        if kind == IRONY:  # decided after the walk (ironic); its own weight, never negated
            marks.append((fb, start, end))
            if val:  # a clap is an emoji: no clause weighs it
                parts.append([val if fb == CLAP else val * weight, start, end])
            continue
        if kind == OPENER:  # "ok" opening a sentence is no verdict ("OK, I give up")
            kind, val = WORD, (0.0 if opens(t, start) else val)
        if dw_end >= 0 and not (
            kind == WORD and val and start - dw_end <= deg_scope and not brk(t, dw_end + 1, start)
        ):
            # the pending 好 is not followed by a sentiment word: it is one itself
            c = dw_fb * dw_deg
            if neg_n % 2 and (c > 0 or not wish):
                c *= flip
                if compared is not None:  # the flipped praise carries the comparison
                    compared[0], compared = 0.0, None
            parts.append([c * weight, min(dw_start, neg_start) if neg_n else dw_start, dw_end])
            neg_n, deg, deg_end, dw_end = 0, 1.0, -100, -1
        if neg_n and (start - neg_end > neg_scope or brk(t, neg_end + 1, start)):
            neg_n = 0  # out of scope, or a clause break in between
        if deg_end >= 0 and (start - deg_end > deg_scope or brk(t, deg_end + 1, start)):
            deg, deg_end = 1.0, -100
        if conc_end >= 0 and brk(t, conc_end + 1, start):
            # the clause after a concession is the main one ("虽然贵，质量很好")
            weight = 1.0 if sentence_end(t, conc_end + 1, start) else 1.5
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
            if kind == DEGWORD:  # its span starts at the degree words before it (很好)
                dw_fb, dw_start, dw_end, dw_deg = fb, deg_start, end, deg
            deg *= val
            deg_end, deg_scope = end, scope
        elif kind == DISPEL:
            # 买车最担心的就是安全问题……打消了我的顾虑: the worries before it are answered
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
    if marks:
        ironic(t, parts, marks)
    if not parts:
        return 0.0, [], t, hint
    total = parts[0][0] if len(parts) == 1 else float(sum(p[0] for p in parts))
    if total:
        excl = sum(t.count(m) for m in excl_marks)
        if excl:
            total *= 1.0 + 0.15 * min(excl, 3)
    return total, _evidence(t, parts, max_evidence), t, hint


def ironic(t: str, parts: list[list[Any]], marks: list[tuple[float, int, int]]) -> None:
    """Apply the irony hits `marks` ((mode, start, end) in `t`) to a text's `parts` in place.

    A ``/s`` tag (:data:`SARCASM_TAG`) after a space or at the text's start, with no letter or digit
    after it up to the text's end (`t` may be a joined batch: its end is the next SEP) but
    hashtags, mentions, laughs (``lol``, ``lmao``, ``haha``), emoji and punctuation, marks
    the post sarcastic: its praise is flipped as a negator flips it ("Love how it needs a
    service every 3 months /s"). Else a sneer (:data:`SNEER`: ``love how``, ``great, another``,
    ``好样的``, ``笑死``; the eye-roll ``🙄``, ``🙃`` and ``😏``, each its own complaint) with a
    negative part in its sentence voids the positive parts: the praise is the sneer's ("great,
    another $900 machine that can't steam milk. thanks", ``真是好样的…👍👍 垃圾``,
    ``又遥遥领先了呢🙄``); without a complaint the sneer keeps its own weight ("love how light it
    is"). The voided praise stays in the evidence, signed as what it became, a complaint
    (``价格真的良心…值！🙃``: ``-🙃``, ``-真的良心``, ``-值``), so that a reader sees what was sneered at. First, the praise in a short quote closed by a :data:`SCARE_QUOTE` mark is flipped
    (:func:`_scare_quoted`), the praise before a :data:`SWEAT` smile in its clause
    (:func:`_sweated`), and a :data:`CLAP` right after a complaint is voided (:func:`_clapped`),
    and a :data:`RETRACT` (``just kidding``) flips what came before it. Last, praise aimed at a
    failure (:func:`_aimed_sarcasm`: "love waiting 6 weeks for sheets, great job", "5 stars for
    the bot that never answers") is flipped as the ``/s`` tag flips it.
    """
    for mode, start, _end in marks:
        if mode == SCARE_QUOTE:
            _scare_quoted(t, parts, start)
        elif mode == SWEAT:
            _sweated(t, parts, start)
        elif mode == CLAP:
            _clapped(t, parts, marks, start)
        elif mode == RETRACT:
            _retracted(t, parts, marks, start)
    tagged = False
    for mode, start, end in marks:
        if mode == SARCASM_TAG and (start == 0 or t[start - 1].isspace() or t[start - 1] == SEP):
            stop = t.find(SEP, end + 1)
            rest = _AFTER_TAG.sub("", t[end + 1 : stop if stop >= 0 else len(t)])
            tagged = tagged or not any(c.isalnum() for c in rest)
    if tagged:
        for p in parts:
            if p[0] > 0:
                p[0] *= NEG_FLIP
    elif any(_complains(t, parts, start, end) for mode, start, end in marks if mode == SNEER):
        for p in parts:
            if p[0] > 0:
                p[0] = 0.0
                p.append(SNEERED)  # weighs nothing, but stays in the evidence (_evidence)
    if _aimed_sarcasm(t, parts, marks):
        for p in parts:
            if p[0] > 0:
                p[0] *= NEG_FLIP


def _scare_quoted(t: str, parts: list[list[Any]], close: int) -> None:
    """Flip the praise that ends inside the short quote closed at `close` (``好“聪明”的定价``,
    ``又是“史上最强”``, 'so "affordable", only 1,500 dollars'; :func:`scare_open`)."""
    qs = scare_open(t, close)
    if qs < 0:
        return
    for p in parts:
        if p[0] > 0 and qs < p[2] < close:
            p[0] *= NEG_FLIP


def _sweated(t: str, parts: list[list[Any]], at: int) -> None:
    """Flip the praise right before the sweat smile at `at`, in its clause (``续航真顶😅``,
    ``质量真好😅 用了三天就坏了``): the smile after praise says the praise is not meant. Praise
    in an earlier clause keeps its sign (``售后很给力，续航真“棒”，一天充三次呢😅``), and so does
    praise written without a Chinese character: in English the smile is self-mockery ("love
    it 😅", "great service 👏 😅"), not a sneer at the praise."""
    brk = _punctuation()[0]
    head = t.rfind(SEP, 0, at) + 1
    for p in parts:
        praise = p[0] > 0 and head <= p[1] and p[2] < at and not brk(t, p[2] + 1, at)
        if praise and _CJK.search(t, p[1], p[2] + 1):
            p[0] *= NEG_FLIP


#: what ends the reach of a clap back to a complaint (:func:`_clapped`): a full stop, an
#: exclamation mark, a line or a colon; a comma or a question mark does not (``屏幕碎了，666``,
#: ``烂的？？6666``: the clap answers the complaint)
_CLAP_STOP = re.compile("[.。!！\n:：;；" + SEP + "]")


def _clapped(t: str, parts: list[list[Any]], marks: list[tuple[float, int, int]], at: int) -> None:
    """Void the clap at `at` (``[赞]``, ``👍``, ``666``) when the nearest part before it in its
    sentence (:data:`_CLAP_STOP`), claps left aside, is a written complaint: a thumbs-up after a
    complaint is sarcasm (``吃鸡延迟太高了[赞]``, ``背刺老用户👍👍``, ``烂的？？6666``, "delayed
    again 👍"). After praise
    (``拍照效果很好[赞]``), after a negated complaint (``没有延迟👍``), after an emoticon
    (``[泪][赞]``: reactions in a repost chain) or alone it stays praise. The voided clap stays
    in the evidence."""
    claps = {s for mode, s, _ in marks if mode == CLAP}
    head = t.rfind(SEP, 0, at) + 1
    near: list[Any] | None = None
    for p in parts:
        if head <= p[1] and p[2] < at and p[1] not in claps and (near is None or p[2] > near[2]):
            near = p
    if near is None or near[0] >= 0 or t[near[1]] == "[" or _CLAP_STOP.search(t, near[2] + 1, at):
        return
    span = t[near[1] : near[2] + 1]
    if not (_CJK.search(span) or any(c.isalpha() for c in span)):
        return  # an emoji (😭👍) is no written complaint
    for p in parts:
        if p[1] == at and p[0] > 0:
            p[0] = 0.0
            p.append(SNEERED)


def scare_open(t: str, close: int) -> int:
    """Where the scare quote closed at `close` opens, or -1 where it is none: a quote of at most
    :data:`SCARE_CJK` characters with a CJK one, or :data:`SCARE_WORDS` Latin words (at most
    :data:`SCARE_CHARS` characters) after an intensifier (:data:`_SCARE_LEAD`). A straight
    ``"`` closes a quote only after an odd number of them in its text (`t` may be a joined
    batch: a text starts after SEP)."""
    head = t.rfind(SEP, 0, close) + 1
    if t[close] == "'":  # a straight single quote is a scare quote only around CJK (真是'良心'企业)
        return _single_quoted(t, head, close)
    if t[close] == "”":
        qs = t.rfind("“", head, close)
    elif t.count('"', head, close) % 2:
        qs = t.rfind('"', head, close)
    else:
        return -1
    inner = t[qs + 1 : close]
    if qs < 0 or not inner.strip():
        return -1
    if any("\u3400" <= c <= "\u9fff" for c in inner):
        return qs if len(inner) <= SCARE_CJK else -1
    if (
        len(inner) > SCARE_CHARS
        or len(inner.split()) > SCARE_WORDS
        or not _SCARE_LEAD.search(t, head, qs)
    ):
        return -1
    return qs


def _single_quoted(t: str, head: int, close: int) -> int:
    """Where the straight single quote closed at `close` opens (`head`: its text's start), or
    -1: only a quote of at most :data:`SCARE_CJK` characters with a CJK one, after an odd number
    of ``'`` in its text and with no letter or digit before it, is a scare quote
    (``真是'良心'企业``); an English apostrophe (it's, don't) never is."""
    if not _is_cjk(t[close - 1]) or not t.count("'", head, close) % 2:
        return -1
    qs = t.rfind("'", head, close)
    inner = t[qs + 1 : close]
    if not inner.strip() or len(inner) > SCARE_CJK or (qs > head and t[qs - 1] in _ASCII_ALNUM):
        return -1
    return qs


def _is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"


def _complains(t: str, parts: list[list[Any]], start: int, end: int) -> bool:
    """Does a negative part (the sneer's own, or another) share the sentence of the sneer at
    ``t[start:end + 1]``? ("I love how aggressive she is. Murray would lose" is sincere.)"""
    sentence_end = _sentence_stop().search
    for c, s0, e0, *_ in parts:  # a clap voided before (:func:`_clapped`) carries a mark
        if c < 0 and not (
            (s0 > end and sentence_end(t, end + 1, s0))
            or (e0 < start and sentence_end(t, e0 + 1, start))
        ):
            return True
    return False


def _retracted(
    t: str, parts: list[list[Any]], marks: list[tuple[float, int, int]], at: int
) -> None:
    """Flip the praise before the retraction at `at`, as the ``/s`` tag does ("my sheets finally
    arrived! just kidding, week five"); a complaint before it keeps its sign ("fuck psp lol jk.
    nope"). A retraction is a word of its own after white space or punctuation, not letters
    run between Weibo faces (``[挤眼]jk[挤眼]``); after a ``/s`` tag it takes the tag back
    ("amazing /s lol jk they are great"), not the praise."""
    if at and t[at - 1] not in _RETRACT_AFTER and not t[at - 1].isspace():
        return
    if any(mode == SARCASM_TAG and s < at for mode, s, _ in marks):
        return
    for p in parts:
        if p[2] < at and p[0] > 0:
            p[0] *= NEG_FLIP


#: what a retraction may follow besides white space (SEP: a text's start in a joined batch)
_RETRACT_AFTER = frozenset(".,!?;:-()\"'*~" + SEP)


#: what ends the clause of a rule of :func:`_aimed_sarcasm`: punctuation, a line, the end of a
#: text in a joined batch, and a dash that stands alone (not the one of "4-week", "see-through")
_CLAUSE_END = re.compile(
    "[,.;:!?\n\u2026\uff0c\u3002\uff01\uff1f\uff1b\uff1a"
    + SEP
    + "]"
    + "|(?<![a-z0-9])[-\u2013\u2014](?![a-z0-9])|[-\u2013\u2014]{2,}"
)
#: a turn between praise and a failure: the praise is meant ("took 3 weeks but worth it")
_TURN = re.compile(
    r"\b(?:but|though|tho|although|however|anyway|anyways|otherwise|except|despite|regardless"
    r"|overall|that said|at least|luckily|fortunately|thankfully|on the bright side|on the plus side)\b"
)
#: a failure put right: praise beside it is thanks, not sarcasm
_AMENDS = re.compile(
    r"\b(?:fixed|repaired|replaced|refunded|resolved|sorted|solved|made it right|found it"
    r"|sent (?:me )?(?:a )?(?:new|another|replacement)|right away|straight away|no questions asked"
    r"|finally (?:arrived|came|here|got)|just arrived|turned up|worth (?:it|the wait|waiting))\b"
)
#: what the thanks of an AIM head is for when it is sincere although its clause complains
#: ("thanks for the refund", "thanks for fixing the bug", "thanks for the heads up")
_THANKED_FOR = re.compile(
    r"\b(?:refund\w*|replac\w*|fix\w*|repair\w*|resolv\w*|solv\w*|sort\w*|help\w*|sav\w*"
    r"|heads[ -]up|letting|info\w*|feedback|flag\w*|report\w*|pointing|understanding|patience"
    r"|reaching out|look\w* into|warning|explain\w*)\b"
)
#: what may stand between praise and the failure it names ("love waiting 6 weeks", "loving the
#: 4 week wait"): articles, numbers and units of time, mentions
_FILLER = re.compile(
    r"(?:\s|@|-|\b(?:the|a|an|all|this|these|those|another|my|our|entire|whole|extra|over|almost"
    r"|nearly|about|of|one|two|three|four|five|six|seven|eight|nine|ten|few|several|couple|half"
    r"|hours?|days?|weeks?|months?|minutes?|hrs?|mins?|\d+(?:[.,/]\d+)*\+?)\b)*"
)
#: praise verbs that take a wait as their object ("love waiting", "enjoying the wait")
_AIM_VERBS = frozenset(
    [
        "love",
        "loving",
        "loved",
        "loves",
        "enjoy",
        "enjoying",
        "enjoyed",
        "enjoys",
        "adore",
        "appreciate",
        "appreciating",
    ]
)
#: praise that names what it is for ("thanks Northloom for ...", "5 stars for ..."), and a
#: gap that names it (at most four words, then "for")
_THANKS = frozenset(
    ["thanks", "thank", "thx", "ty", "tysm", "stars", "kudos", "props", "bravo", "applause"]
)
#: how strong a complaint after an AIM head must be to turn its thanks ("thanks for 'Keep Newer'
#: when copying from a hard drive" is thanks; "thank you for wasting my money" is not)
_AIMED_COMPLAINT = -1.2
_FOR_GAP = re.compile(r"\s*(?:[@\w'&.-]+\s+){0,4}?for\b")
#: praise of how something is ("really impressed how the inbox is a black hole")
_HOW = frozenset(["impressed", "amazed", "amazing", "love", "loving", "loved", "glad"])
_HOW_GAP = re.compile(r"\s*(?:by |at |with )?(?:how|that)\b")
#: interjections and service verdicts that a sarcastic post hands out beside a failure
#: ("perfect, my kettle broke after two uses", "never answers. fantastic support"): the words
#: of their clause besides praise, mentions and emoji may only be these
_VERDICT_PRAISE = frozenset(
    [
        "great",
        "good",
        "nice",
        "perfect",
        "awesome",
        "amazing",
        "wonderful",
        "fantastic",
        "brilliant",
        "lovely",
        "excellent",
        "incredible",
        "outstanding",
        "superb",
        "stellar",
        "terrific",
        "splendid",
        "marvelous",
        "marvellous",
        "impressive",
        "wow",
        "bravo",
        "kudos",
        "congrats",
        "thanks",
        "thank",
        "thx",
        "ty",
        "cheers",
        "well",
        "done",
        "10/10",
        "a+",
        "5",
        "five",
        "stars",
    ]
)
_VERDICT_WORDS = frozenset(
    [
        "job",
        "work",
        "service",
        "support",
        "customer",
        "tracking",
        "shipping",
        "delivery",
        "communication",
        "team",
        "effort",
        "move",
        "going",
        "one",
        "guys",
        "everyone",
        "all",
        "you",
        "so",
        "much",
        "a",
        "lot",
        "again",
        "really",
        "truly",
        "just",
        "very",
        "super",
        "absolutely",
        "@",
    ]
)
_WORD = re.compile(r"[a-z0-9][a-z0-9'+/]*|@")


def _aimed_sarcasm(t: str, parts: list[list[Any]], marks: list[tuple[float, int, int]]) -> bool:
    """Is the post's praise aimed at a failure, so sarcastic (issue 14)?

    - An AIM head (``thanks for``, ``5 stars for``) whose clause names a complaint and no praise:
      "5 stars for the app that crashes every time", "thank you for wasting my money" (not
      "thanks for the fast refund", "thanks for fixing the bug": :data:`_THANKED_FOR`);
    - praise that names a FAILURE frame in its clause: a praise verb right before a wait ("love
      waiting 6 weeks", "loving the 4 week wait"), any praise right before a failure that
      complains, thanks for one ("thanks Northloom for teaching me patience") or praise of how
      it is ("impressed how the support inbox is a black hole");
    - a failure that complains in its sentence, and in the post an interjection or a verdict on
      the service (:data:`_VERDICT_PRAISE`: "perfect, my kettle broke after two uses", "the chat
      bot never answers. fantastic support", "great job, leggings that ripped in a month").

    Praise with a turn between it and the failure is meant ("waited 2 weeks but totally worth
    it"), and so is praise in a post where the failure was put right (:data:`_AMENDS`)."""
    anchors = [(m, s, e) for m, s, e in marks if m in (AIM, FAILURE)]
    if not anchors or not any(p[0] > 0 for p in parts):
        return False
    head = t.rfind(SEP, 0, anchors[0][1]) + 1
    tail = t.find(SEP, anchors[0][2])
    tail = len(t) if tail < 0 else tail
    if _AMENDS.search(t, head, tail):
        return False
    own = {(s, e) for _, s, e in anchors}
    for mode, s, e in anchors:
        if mode == AIM:
            if _thanked_for_failure(t, parts, e, tail):
                return True
        elif _praise_aimed(t, parts, s, own) or _verdict_beside(t, parts, s, e, head, tail, own):
            return True
    return False


def _thanked_for_failure(t: str, parts: list[list[Any]], end: int, tail: int) -> bool:
    """Does the clause after the AIM head ending at `end` complain and not praise?"""
    m = _CLAUSE_END.search(t, end + 1, tail)
    stop = m.start() if m else tail
    turn = _TURN.search(t, end + 1, stop)
    stop = turn.start() if turn else stop
    inside = [p for p in parts if p[1] > end and p[2] < stop]
    return (
        any(p[0] <= _AIMED_COMPLAINT and not _quoted(t, end + 1, p[1]) for p in inside)
        and not any(p[0] > 0 for p in inside)
        and not _THANKED_FOR.search(t, end + 1, stop)
    )


def _quoted(t: str, lo: int, at: int) -> bool:
    """Is `at` inside a quote opened after `lo` (a title: thanks for playing "Hot Mess")?"""
    seg = t[lo:at]
    return bool(
        seg.count('"') % 2 or seg.count("''") % 2 or seg.count("\u201c") > seg.count("\u201d")
    )


def _praise_aimed(t: str, parts: list[list[Any]], at: int, own: set[tuple[int, int]]) -> bool:
    """Does praise name the failure frame that starts at `at` (in its clause, before it)?"""
    failing = any(p[0] < 0 and p[1] == at for p in parts)  # the frame complains of its own
    for p in parts:
        if p[0] <= 0 or p[2] >= at or (p[1], p[2]) in own:
            continue
        gap = t[p[2] + 1 : at]
        if len(gap) > 60 or _CLAUSE_END.search(gap) or _TURN.search(gap):
            continue
        words = _WORD.findall(t, p[1], p[2] + 1)
        word = words[-1] if words else ""
        if _FILLER.fullmatch(gap) and (failing or word in _AIM_VERBS):
            return True
        if failing and word in _THANKS and _FOR_GAP.match(gap):
            return True
        if failing and word in _HOW and _HOW_GAP.match(gap):
            return True
    return False


def _verdict_beside(
    t: str,
    parts: list[list[Any]],
    start: int,
    end: int,
    head: int,
    tail: int,
    own: set[tuple[int, int]],
) -> bool:
    """Does the failure frame at ``t[start:end + 1]`` complain in its sentence, and does an
    interjection or a verdict on the service stand in its own clause of the post, with no turn
    between the two?"""
    stops = _sentence_stop()
    lo = _after_last(stops, t, head, start)
    m = stops.search(t, end + 1, tail)
    hi = m.start() if m else tail
    if not any(p[0] < 0 and lo <= p[1] and p[2] < hi for p in parts):
        return False
    for p in parts:
        if p[0] <= 0 or (p[1], p[2]) in own:
            continue
        a, b = (p[2] + 1, start) if p[2] < start else (end + 1, p[1])
        if _TURN.search(t, a, b) or not _verdict_clause(t, parts, p, head, tail):
            continue
        return True
    return False


def _after_last(pattern: re.Pattern[str], t: str, lo: int, hi: int) -> int:
    """Where the last match of `pattern` in ``t[lo:hi]`` ends (`lo`: none)."""
    at = lo
    for m in pattern.finditer(t, lo, hi):
        at = m.end()
    return at


def _verdict_clause(t: str, parts: list[list[Any]], p: list[Any], head: int, tail: int) -> bool:
    """Is the praise `p` an interjection or a verdict on the service, alone in its clause
    ("perfect,", "great job @Northloom", "fantastic support", "thanks guys")?"""
    cs = _after_last(_CLAUSE_END, t, head, p[1])
    m = _CLAUSE_END.search(t, p[2] + 1, tail)
    ce = m.start() if m else tail
    spans = [(q[1], q[2]) for q in parts if q[0] > 0 and cs <= q[1] and q[2] < ce]
    for w in _WORD.finditer(t, cs, ce):
        inside = any(a <= w.start() <= b for a, b in spans)
        if w.group() not in _VERDICT_WORDS and not (inside and w.group() in _VERDICT_PRAISE):
            return False  # an emoji's part holds no word: a clap is a verdict too
    return True


@lru_cache(maxsize=1)
def _sentence_stop() -> re.Pattern[str]:
    """A sentence end for :func:`_complains`: the lexicon's sentence marks, but a dot of an
    ellipsis (``...``, what NFKC makes of ``…``) goes on with the sentence."""
    marks = punctuation_chars()[1]
    other = "".join(re.escape(c) for c in sorted(marks - {"."}))
    dot = r"|(?<!\.)\.(?!\.)" if "." in marks else ""
    return re.compile(f"[{other}]{dot}" if other else dot[1:])


def _long_matches(auto: Any, s: str) -> Iterator[tuple[int, Entry]]:
    """``auto.iter_long(s)``, read again where a match that cuts a word (and is dropped) could
    hide others (its key *shadows*, :func:`_shadowing`): "i liked it" matches ``i like``, which
    ends inside "liked" and is dropped, and ``liked`` after it had been lost. After such a
    match come the longest shorter key at its start that fits the word boundaries, if any,
    and the matches from just after that key (or from the dropped match's second character)."""
    pos = 0
    while pos >= 0:
        again = -1
        for end, e in auto.iter_long(s, pos):
            yield end, e
            start = end - e[3] + 1
            if e[7] and _inside_word(s, start, end, e[4], e[5]) and _reread(s, start, e):
                again = start + 1
                best = None
                for end2, e2 in auto.iter(s, start, end):  # keys inside s[start:end]
                    if end2 - e2[3] + 1 == start and not _inside_word(s, start, end2, e2[4], e2[5]):
                        best = (end2, e2)  # reported by end: the last is the longest
                if best is not None:
                    yield best
                    again = best[0] + 1
                break
        pos = again


def _reread(s: str, start: int, e: Entry) -> bool:
    """Can the dropped match at `start` of the shadowing entry `e` hide another one?"""
    left_cut = e[4] and start > 0 and s[start - 1] in _ASCII_ALNUM
    return bool(e[7] & SHADOW_ANY) or not left_cut


#: what may stand between a sentence start and an opener: spaces, mentions, quotes
_OPENER_SKIP = frozenset(" \t\r@:\"'*")
#: what an opener follows when it opens a sentence (SEP: the start of a text in a joined batch)
_OPENER_AFTER = frozenset(".?!\n。？！" + SEP)


def opens(t: str, start: int) -> bool:
    """Does the match at `start` open its text or a sentence of it (only spaces, mentions and
    quotes before it)? An *opener* word there (``ok``, ``okay``) is a discourse marker, "OK, I
    give up", "ok so the update ...", and scores nothing; elsewhere (还OK, "it's ok") it counts."""
    i = start - 1
    while i >= 0 and t[i] in _OPENER_SKIP:
        i -= 1
    return i < 0 or t[i] in _OPENER_AFTER


def _evidence(t: str, parts: list[list[Any]], k: int) -> list[str]:
    """The `k` strongest parts' spans, signed; praise a sneer voided (:func:`ironic`: weight 0,
    marked :data:`SNEERED`) comes last, signed ``-``: the sneer turned it."""
    ranked = parts if len(parts) == 1 else sorted(parts, key=lambda p: -abs(p[0]))
    out: list[str] = []
    for p in ranked:
        c, s0, end = p[0], p[1], p[2]
        if c == 0.0 and len(p) < 4:
            continue
        item = ("+" if c > 0 else "-") + t[s0 : end + 1].strip()
        if item not in out:
            out.append(item)
        if len(out) >= k:
            break
    return out
