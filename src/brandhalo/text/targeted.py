"""Targeted sentiment: one label per target when a post names several (clause level).

"雷军很棒，但是SU7刹车太差了" is positive about Lei Jun and negative about the SU7. The post is
cut into clauses at punctuation and before contrast words (但是, 不过, but, however ...). Each
clause belongs to the targets it names; a clause that names none continues the previous one
("SU7，刹车太差了": the second clause is still about the SU7); clauses before the first
mention belong to no target. Each target's clauses are scored
together by the same engine. When none of a post's targets gets a polar label from its clauses,
every target falls back to the post's overall sentiment. A post whose language the engine
does not read (``unread``) is neutral about every target it names. A target only the post's
``brand`` or ``product`` column names (:func:`with_hinted`) takes the post's overall sentiment.

English text is cut at sentence ends too ("Aurelia is great. Brava is terrible": a dot run
before white space, not after "e.g." or "Mr.", never inside "3.5"), and before advice against
buying (别买, 不要买, 避雷, don't buy, stay away from). Two readings of the whole post reach the
targets: advice decides the targets it names (:func:`_advice`: "劝大家买极光别买星曜" is against
星曜 and for 极光; "Never buy Brava again" is against Brava even when it is a post's only
target), and a post ending with the sarcasm tag ``/s`` is sarcastic about every target it
names (each target's clauses are scored with the tag after them).

Themes get the same clause reading (:func:`theme_sentiment`): a theme owns the clauses holding
its words, up to the next theme's or target's clause or the end of the sentence, so the
after-sales complaint of a positive review is a complaint about after-sales; of the clauses
after one naming it, only those up to the first that says something are its own
(:func:`_said_clauses`: "售后电话打不通，佩戴舒适" is not praise of after-sales).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from brandhalo.text.arrays import distinct
from brandhalo.text.findall import KeyFinder
from brandhalo.text.matcher import Mentions
from brandhalo.text.normalize import NormBatch

if TYPE_CHECKING:
    from brandhalo.text.sentiment import SentimentEngine, SentimentResult

#: advice against buying what follows ("劝大家买极光别买星曜", "don't buy X", "stay away from
#: X"): a clause starts there, as at a contrast word, so the target after it is not the one before
_AVOID = r"(?<!特)别买|(?<!要)不要买|避雷|\bdon['’]t buy\b|\bdo not buy\b|\bnever buy\b|\bstay away from\b"
_CONTRAST = (
    r"但是|但|不过|可是|然而|却|只是|\bbut\b|\bhowever\b|\bthough\b|\balthough\b|\byet\b|" + _AVOID
)
#: a sentence end in Latin text: a run of dots followed by white space, unless it ends an
#: abbreviation ("Mr.", "e.g.", "U.S.": a single letter or a title before it); a dot inside a
#: number ("3.5", "$4.99") or a link has no white space after it
_DOT = (
    r"(?<!\.)(?i:(?<!\bmr)(?<!\bmrs)(?<!\bms)(?<!\bdr)(?<!\bst)(?<!\bvs)(?<!\bjr)(?<!\bsr)"
    r"(?<!\bprof)(?<!\binc)(?<!\bltd)(?<!\bapprox))(?<!\b[^\W\d_])\.+(?=\s)"
)
_DOT_AT = re.compile(_DOT)
#: first characters of the contrast (and advice) words
_CONTRAST_FIRST = "但不可然却只别避bhtaydns"
# The leading look-ahead (every alternative's first characters) lets the scan skip the other
# positions at once: half the time of trying each alternative at every character.
_BOUNDARY = re.compile(
    rf"(?=[。！？；!?;，,、：:\n…\s.{_CONTRAST_FIRST}])"
    rf"(?:[。！？；!?;，,、：:\n…]+|\s+-\s+|(?={_CONTRAST})|{_DOT})"
)


_PUNCT = "。！？；!?;，,、：:\n…"
_CONTRAST_AT = re.compile(rf"(?=[{_CONTRAST_FIRST}])(?={_CONTRAST})")
#: the words of _CONTRAST, letters only (its word boundaries are left to the regex)
_CONTRAST_WORDS: tuple[str, ...] = ("但是", "但", "不过", "可是", "然而", "却", "只是")
_CONTRAST_WORDS += ("but", "however", "though", "although", "yet")
_CONTRAST_WORDS += ("别买", "不要买", "避雷", "don't buy", "don’t buy", "do not buy")
_CONTRAST_WORDS += ("never buy", "stay away from")
#: per BMP code point (every one of these is in it): 1 punctuation, 2 white space, 4 the first
#: letter of a contrast word, 8 (:data:`_SENTENCE_END`) punctuation that ends a sentence
_CHAR_KIND = np.zeros(0x10000, dtype=np.uint8)
_CHAR_KIND[[ord(c) for c in _PUNCT]] |= 1
_CHAR_KIND[[c for c in range(0x3001) if chr(c).isspace()]] |= 2
_CHAR_KIND[[ord(w[0]) for w in _CONTRAST_WORDS]] |= 4
#: the :data:`_CHAR_KIND` bit of the separators that end a sentence: a theme's clauses stop
#: where its sentence does (:func:`theme_sentiment`)
_SENTENCE_END = 8
_CHAR_KIND[[ord(c) for c in "。！？；!?;\n."]] |= _SENTENCE_END  # a dot only as a separator (_DOT)


@dataclass
class TargetRows:
    """One row per (post, target): the target's label and score."""

    post: np.ndarray
    target: np.ndarray
    label: np.ndarray
    score: np.ndarray


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of `text` (separators are left out)."""
    spans, pos = [], 0
    for m in _BOUNDARY.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = max(pos, m.end())
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans or [(0, len(text))]


#: the hashtags (and mentions, emoji, punctuation) that end a post, read from the ``#`` of one:
#: a target named in them shares its clause with the target before it (:func:`_trailing`)
_TAIL_TAGS = re.compile(r"(?:#[^\s#@\x00]+#?|@[^\s#@\x00]+|[^\w#@\x00]|_)*(?=\x00|\Z)")
#: a person pronoun earlier in the clause of a trailing hashtag ("love him #Xiaomi"): the
#: clause speaks of someone named before, not of the hashtag ("love #Brava")
_PRONOUN_BEFORE = re.compile(
    r"(?:\b(?:him|her|he|she|his|them|they|their)\b|[他她])[^,.!?;，。！？；\n\x00]*$"
)
#: a Weibo topic, closed by a second ``#``
_TOPIC = re.compile(r"#[^\s#@\x00]+#")


def _trailing(text: str, start: int) -> bool:
    """Is the mention at `start` a hashtag among those ending its post that labels the post
    rather than being what its clause speaks of: a Weibo topic (``#小米#``), or a hashtag after
    a person pronoun in its clause ("Lei Jun is such a humble CEO, love him #Xiaomi")?"""
    if start <= 0 or text[start - 1] != "#" or _TAIL_TAGS.match(text, start - 1) is None:
        return False
    if _TOPIC.match(text, start - 1):
        return True  # a closed topic: #小米#
    return _PRONOUN_BEFORE.search(text, max(0, start - 41), start - 1) is not None


def _clauses_by_target(text: str, targets: list[int], starts: list[int]) -> dict[int, list[str]]:
    """Clause texts owned by each target (mention starts relative to the post). A target named
    only in a hashtag ending the post that labels it (:func:`_trailing`) owns its clause with
    the target before it: in "Lei Jun is such a humble CEO, love him #Xiaomi" the praise of the last
    clause is Lei Jun's as well as Xiaomi's."""
    spans = clause_spans(text)
    bounds = [s for s, _ in spans]
    owner_of: list[set[int]] = [set() for _ in spans]
    tags_of: list[set[int]] = [set() for _ in spans]
    for t, s in zip(targets, starts, strict=True):
        at = max(bisect.bisect_right(bounds, s) - 1, 0)
        (tags_of if _trailing(text, s) else owner_of)[at].add(t)
    # Clauses before the first mention ("说实话，", "太爱了，") belong to no target.
    current: set[int] = set()
    out: dict[int, list[str]] = {t: [] for t in set(targets)}
    for (s, e), owners, tags in zip(spans, owner_of, tags_of, strict=True):
        if owners:
            current = owners | tags
        elif tags:
            current = current | tags
        for t in current:
            out[t].append(text[s:e])
    return out


def score_distinct(engine: SentimentEngine, texts: Sequence[str]) -> SentimentResult:
    """``engine.score(texts)``, scoring each distinct text once (copies, targets that own the
    same clauses); engines score a text on its own, so the rows are the same."""
    first: dict[str | None, int] = {}
    inverse = np.fromiter(
        (first.setdefault(t, len(first)) for t in texts), dtype=np.int64, count=len(texts)
    )
    if len(first) == len(inverse):
        return engine.score(texts)
    res = engine.score(list(first))  # type: ignore[arg-type]  # as given: None stays None
    return type(res)(
        labels=res.labels[inverse],
        scores=res.scores[inverse],
        confidence=res.confidence[inverse],
        evidence=[res.evidence[i] for i in inverse.tolist()] if res.evidence else [],
    )


def polarity_distinct(
    engine: SentimentEngine, texts: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(labels, scores) of :func:`score_distinct`: an engine with a ``polarity(texts)`` method
    (the lexicon: no evidence, no confidence built) answers through it, each distinct text
    once; any other engine through ``score``. Same arrays, bit for bit."""
    polarity = getattr(engine, "polarity", None)
    if polarity is None:
        res = score_distinct(engine, texts)
        return res.labels, res.scores
    first: dict[str, int] = {}
    inverse = np.fromiter(
        (first.setdefault(t, len(first)) for t in texts), dtype=np.int64, count=len(texts)
    )
    labels, scores = polarity(list(first))
    return labels[inverse], scores[inverse]


def targeted_sentiment(
    batch: NormBatch,
    mentions: Mentions,
    overall: SentimentResult,
    engine: SentimentEngine,
    unread: np.ndarray | None = None,
) -> TargetRows:
    """Label and score per (post, target) named in the batch; the targets of the posts in
    `unread` (a mask: a language the engine does not read) are neutral, score 0."""
    if not len(mentions.post):
        e = np.zeros(0, dtype=np.int64)
        return TargetRows(e, e, e.astype(np.int8), e.astype(np.float64))
    key = mentions.post * (int(mentions.target.max()) + 1) + mentions.target
    first = np.r_[True, key[1:] != key[:-1]]  # mentions are sorted by (post, target, start)
    post, target = mentions.post[first], mentions.target[first]
    label = overall.labels[post].astype(np.int8)
    score = overall.scores[post].astype(np.float64)
    counts = np.bincount(post, minlength=len(batch))
    read = np.ones(len(post), dtype=bool) if unread is None else ~unread[post]
    label[~read], score[~read] = 0, 0.0
    multi = np.flatnonzero((counts[post] > 1) & read)
    if len(multi):
        _split_multi(batch, mentions, post, target, multi, label, score, overall, engine)
    single = np.flatnonzero((counts[post] == 1) & read)
    if len(single):  # "Never buy Brava again": advice against the one target it names
        rows = (post[single], target[single])
        _follow_advice(batch, mentions, *rows, single, label, score, _AVOID_WORDS)
    return TargetRows(post, target, label, score)


def _follow_advice(
    batch: NormBatch,
    mentions: Mentions,
    post: np.ndarray,
    target: np.ndarray,
    at: np.ndarray,
    label: np.ndarray,
    score: np.ndarray,
    words: tuple[str, ...],
) -> None:
    """Give the rows (`post`, `target`), at `at` of `label` and `score`, the label advice
    decides (:func:`_advice`, in posts holding one of `words`), with a score of at least
    :data:`CUE_SCORE` in size."""
    advice = _advice(batch, mentions, post, target, words)
    given = np.flatnonzero(advice != 0)
    if not len(given):
        return
    sign = advice[given].astype(np.float64)
    old = score[at[given]]
    strong = np.where(np.sign(old) == sign, np.maximum(np.abs(old), CUE_SCORE), CUE_SCORE)
    label[at[given]] = advice[given]
    score[at[given]] = sign * strong


def with_hinted(
    rows: TargetRows,
    post: np.ndarray,
    target: np.ndarray,
    overall: SentimentResult,
    unread: np.ndarray | None = None,
) -> TargetRows:
    """`rows` and one row per hinted (post, target) pair (a target the post's ``brand`` or
    ``product`` column names and its text does not), ordered by (post, target).

    A hinted target takes the post's overall label and score: a review is about the product
    its row names. Targets the text names keep their own (clause) sentiment. A post in a
    language the engine does not read is neutral about its hinted targets too.
    """
    if not len(post):
        return rows
    label = overall.labels[post].astype(np.int8)
    score = overall.scores[post].astype(np.float64)
    if unread is not None:
        label[unread[post]], score[unread[post]] = 0, 0.0
    all_post = np.concatenate((rows.post, post)).astype(np.int64)
    all_target = np.concatenate((rows.target, target)).astype(np.int64)
    order = np.lexsort((all_target, all_post))
    return TargetRows(
        all_post[order],
        all_target[order],
        np.concatenate((rows.label, label)).astype(np.int8)[order],
        np.concatenate((rows.score, score)).astype(np.float64)[order],
    )


def _split_multi(
    batch: NormBatch,
    mentions: Mentions,
    post: np.ndarray,
    target: np.ndarray,
    rows: np.ndarray,
    label: np.ndarray,
    score: np.ndarray,
    overall: SentimentResult,
    engine: SentimentEngine,
) -> None:
    """Score each target's own clauses for the rows of posts naming several targets.

    A post tagged sarcastic (a trailing ``/s``, :data:`_TAG`) is sarcastic about every target:
    each target's clauses are scored with the tag after them, so the lexicon flips their
    praise as it does the post's. Advice (:func:`_advice`) then decides the targets it names.
    """
    texts = clause_texts(batch, mentions, post[rows], target[rows])
    tagged = _tagged(batch, post[rows])
    for i in np.flatnonzero(tagged[post[rows]]).tolist():
        texts[i] += " /s"
    labels, scores = polarity_distinct(engine, texts)
    labels, scores = labels.astype(np.int8), scores.astype(np.float64)
    every = np.arange(len(rows))
    _follow_advice(batch, mentions, post[rows], target[rows], every, labels, scores, _ADVICE_WORDS)
    idx = rows.astype(np.int64)
    polar_post = np.zeros(len(batch), dtype=bool)
    np.logical_or.at(polar_post, post[idx], labels != 0)
    use = polar_post[post[idx]]
    label[idx[use]] = labels[use]
    score[idx[use]] = scores[use]


#: |score| of a target that advice decides (:func:`_advice`): about one plain complaint or
#: praise word of the lexicon ("bad" alone scores -0.63)
CUE_SCORE = 0.6
#: a sarcasm tag ending a post (the lexicon's ``/s``), read at a ``/s`` after white space or at
#: the post's start: no letter or digit after it but hashtags, mentions and laughs ("/s lol",
#: "/s #brand", as :func:`brandhalo.text.sentiment.lexicon.ironic` reads it; the batch's text
#: is lower case, NUL between posts)
_TAG = re.compile(
    r"/s(?:[^\w\x00#@]|_|[#@][^\s#@\x00]*"
    r"|\b(?:lol+|lmf?ao+|rofl|(?:ha){2,}h?|(?:he){2,}|xd+)\b)*(?=\x00|\Z)"
)
#: what may stand between an advice word and the target it names
_ARTICLE = r"\s*(?:the\s+|an?\s+|这个|这款|那个|那款)?$"
#: advice against buying the target that follows (not 要不要买X, "whether to buy X")
_AVOID_END = re.compile(
    r"(?:(?<!特)别买|(?<!要)不要买|(?<!特)别入|(?<!要)不要入|避雷|\bdon['’]t buy|\bdo not buy"
    r"|\bnever buy|\bstay away from)" + _ARTICLE
)
#: the other half of "buy A, not B" / "买A而不是B": against B after a target to buy
_NOT_END = re.compile(r"(?:\bnot|\binstead of|\brather than|而不是|不买)[\s,，]*" + _ARTICLE[3:])
#: advice to buy the target that follows ("买A别买B", "buy A not B", "去买极光"), not after a
#: negation ("没买极光", "can't get Brava to pair")
_BUY_END = re.compile(
    r"(?:(?<![不没别])(?:买|入手|选)|(?<!n't )(?<!n’t )(?<!not )(?<!never )"
    r"\b(?:buy|get|go with|go for|pick))" + _ARTICLE
)
#: words one of which a post holds when it may advise against a target (found with numpy,
#: :func:`_found_in`, a cheap scan before each mention is looked at): the words of
#: :data:`_AVOID_END`, and those of :data:`_NOT_END` where a post names several targets
_AVOID_WORDS: tuple[str, ...] = (
    "别买",
    "不要买",
    "别入",
    "不要入",
    "避雷",
    "don't buy",
    "don’t buy",
)
_AVOID_WORDS += ("do not buy", "never buy", "stay away from")
_ADVICE_WORDS = (*_AVOID_WORDS, "而不是", "不买", "not", "instead of", "rather than")
#: how far before a mention its advice word may start
_ADVICE_REACH = 24


def _found(text: str, words: Sequence[str]) -> np.ndarray:
    """Where each of `words` occurs in `text` (``str.find``: a fast scan of rare words; the
    sarcasm tag's reference; the advice words take :func:`_found_in`)."""
    at: list[int] = []
    for w in words:
        i = text.find(w)
        while i >= 0:
            at.append(i)
            i = text.find(w, i + 1)
    return np.array(at, dtype=np.int64)


@lru_cache(maxsize=4)
def _finder(words: tuple[str, ...]) -> KeyFinder:
    return KeyFinder(words)


def _found_in(batch: NormBatch, words: tuple[str, ...]) -> np.ndarray:
    """Where each of `words` occurs in the batch's text: the places :func:`_found` gives (in
    another order), found with numpy over the code points (:class:`KeyFinder`: every
    occurrence, overlapping ones too) instead of a scan of the whole batch per word and a
    ``str.find`` per occurrence ("not" is common), which cost a third of targeted sentiment's
    time on real-length posts. The words of :data:`_ADVICE_WORDS` (the single-target
    reading's are a part of them) are found once per batch and shared by both readings."""
    base = _ADVICE_WORDS if set(words) <= set(_ADVICE_WORDS) else words
    start, key = batch.derived(
        "targeted.advice:" + "\x00".join(base), lambda b: _finder(base).find(b.codes)
    )
    if base is words:
        return start
    return start[np.isin(key, [base.index(w) for w in set(words)])]


def _before_mentions(at: np.ndarray, mentions: Mentions) -> np.ndarray:
    """The places of `at` that a mention follows within :data:`_ADVICE_REACH` characters (only
    there can an advice word reach a target: "not" is common, most posts holding it advise
    nothing, and reading each such post costs a Python loop)."""
    if not len(at) or not len(mentions.start):
        return at[:0]
    starts = np.sort(mentions.start)
    i = np.searchsorted(starts, at, side="right")  # the first mention starting after it
    near = i < len(starts)
    near[near] = starts[i[near]] - at[near] <= _ADVICE_REACH
    return at[near]


def _posts_at(batch: NormBatch, at: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Per post of the batch: does it hold one of the places `at` (posts `wanted` only)?"""
    out = np.zeros(len(batch), dtype=bool)
    if not len(at) or not len(wanted):
        return out
    hit = np.searchsorted(batch.starts, at, side="right") - 1
    inside = (hit >= 0) & (at < batch.ends[np.maximum(hit, 0)])
    out[hit[inside]] = True
    keep = np.zeros(len(batch), dtype=bool)
    keep[wanted] = True
    return out & keep


def _tagged(batch: NormBatch, wanted: np.ndarray) -> np.ndarray:
    """Per post of the batch: does it end with a sarcasm tag (:data:`_TAG`; `wanted` only)?"""
    text = batch.text
    at = [
        i
        for i in _found(text, ("/s",)).tolist()
        if (i == 0 or text[i - 1].isspace() or text[i - 1] == "\x00") and _TAG.match(text, i)
    ]
    return _posts_at(batch, np.array(at, dtype=np.int64), wanted)


def _advice(
    batch: NormBatch,
    mentions: Mentions,
    post: np.ndarray,
    target: np.ndarray,
    words: tuple[str, ...] = _ADVICE_WORDS,
) -> np.ndarray:
    """Per (post, target) row: -1 where the post advises against buying the target ("别买X",
    "不要买X", "避雷X", "don't buy X", "stay away from X", and B of "buy A, not B"), +1 where a
    post that advises against one target says to buy this one ("劝大家买极光别买星曜": 极光), else 0.
    Only the words just before a mention count (:data:`_ADVICE_REACH` characters of its post);
    only posts holding one of `words` are read."""
    out = np.zeros(len(post), dtype=np.int8)
    cand = _posts_at(batch, _before_mentions(_found_in(batch, words), mentions), post)
    if not cand[post].any():
        return out
    text = batch.text
    for p in distinct(post[cand[post]]).tolist():
        lo = int(batch.starts[p])
        a, b = np.searchsorted(mentions.post, [p, p + 1])  # mentions are sorted by post
        sel = np.arange(a, b)
        order = np.argsort(mentions.start[sel], kind="stable")
        avoid: dict[int, bool] = {}
        buy: dict[int, bool] = {}
        bought = False  # a target to buy came before
        for t, s in zip(
            mentions.target[sel][order].tolist(), mentions.start[sel][order].tolist(), strict=True
        ):
            before = text[max(lo, s - _ADVICE_REACH) : s]
            if _AVOID_END.search(before) or (bought and _NOT_END.search(before)):
                avoid[t] = True
            elif _BUY_END.search(before):
                buy[t] = bought = True
        if not avoid:
            continue
        a, b = np.searchsorted(post, [p, p + 1])  # the rows are sorted by post
        for r in range(int(a), int(b)):
            t = int(target[r])
            out[r] = -1 if avoid.get(t) else (1 if buy.get(t) else 0)
    return out


def theme_sentiment(
    batch: NormBatch,
    anchors: Mentions,
    themes: int,
    post: np.ndarray,
    theme: np.ndarray,
    engine: SentimentEngine,
    skip: np.ndarray,
    sides: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per (post, theme) row, the label of the theme's own clauses, and whether the post's
    own sentiment stands instead (``known`` False): "打王者很流畅，屏幕也清楚，就是售后客服踢皮球，
    问了三天没人理" is positive overall and negative about after-sales.

    As for targets (:func:`targeted_sentiment`): when none of a post's themes gets a polar
    label from its clauses, every theme of it takes the post's sentiment; when one does, a
    theme whose clauses say nothing is neutral in it.

    Args:
        batch: the normalized posts.
        anchors: where each theme and each target stands in its post, sorted by (post,
            ``target``, start); ``target`` is the theme's index, or `themes` for a target's
            mention. A clause naming one starts a run of clauses, as a target's mention does
            in :func:`clause_texts`: a theme's clauses run up to the next clause naming a
            theme or a target, or to the end of the sentence (。！？；), and no further than
            the first clause of the run that says something (:func:`_said_clauses`).
        themes: how many themes there are.
        post, theme: the rows (every theme each post matched), sorted by (post, theme).
        engine: the sentiment engine (:func:`polarity_distinct`).
        skip: per post of the batch, whether its own sentiment stands for all its themes: not
            read, a neutral frame (news, an ad), a placeholder review.
        sides: per post of the batch, the side (1, -1) of a post whose evidence is all
            praise or all complaint but whose own label is neutral, else 0. Where none of
            such a post's themes gets a polar label, a theme whose clauses lean to that side
            (a score of its sign short of the threshold: "售后太难找了") takes it, the others
            are neutral; a theme whose clauses were not scored (the whole post) takes it too.

    Only rows whose theme has a place, in a post not skipped, with clauses short of the
    whole post (whose label is the post's own) are scored; the others stay unknown.

    Returns:
        (label, known), one item per row.
    """
    label = np.zeros(len(post), dtype=np.int8)
    known = np.zeros(len(post), dtype=bool)
    lean = np.zeros(len(post), dtype=np.int8)  # scored rows of posts with no polar one
    leaned = np.zeros(len(post), dtype=bool)
    is_theme = anchors.target < themes
    cand = np.isin(post, anchors.post[is_theme]) & ~skip[post]
    if cand.any():
        m = np.isin(anchors.post, post[cand])  # every place in these posts, targets' included
        sub = Mentions(anchors.post[m], anchors.target[m], anchors.start[m], anchors.start[m])
        width = themes + 1
        key = sub.post * width + sub.target
        first = np.r_[True, key[1:] != key[:-1]]
        rows = key[first]  # (post, place owner) pairs, sorted
        rp = rows // width
        c, clause_of, per_row, head = _owned_runs(batch, sub, rp, rows % width, sentences=True)
        is_theme_row = rows % width < themes
        entry = np.repeat(is_theme_row, per_row)
        clause_of, head = clause_of[entry], head[entry]
        rows, rp, per_row = rows[is_theme_row], rp[is_theme_row], per_row[is_theme_row]
        if len(rows):
            said = _said_clauses(c, clause_of, head, engine)
            clause_of = clause_of[said]
            per_row = np.bincount(
                np.repeat(np.arange(len(rows)), per_row)[said], minlength=len(rows)
            )
            whole = per_row == c.count[np.searchsorted(distinct(rp), rp)]
            keep = ~whole
            want = np.flatnonzero(keep)
            if len(want):
                texts = _join_rows(c, clause_of[np.repeat(keep, per_row)], per_row[keep])
                labels, scores = polarity_distinct(engine, texts)
                at = np.searchsorted(post * width + theme, rows[want])
                polar = np.isin(post[at], post[at][labels != 0])  # rows of posts with a polar one
                label[at[polar]] = labels[polar]
                known[at[polar]] = True
                lean[at[~polar]] = np.sign(scores[~polar]).astype(np.int8)
                leaned[at[~polar]] = True
    if sides is not None:
        side = sides[post] * ~skip[post]
        fill = (side != 0) & ~known
        label[fill] = np.where(leaned[fill] & (lean[fill] != side[fill]), 0, side[fill])
        known[fill] = True
    return label, known


def clause_texts(
    batch: NormBatch, mentions: Mentions, post: np.ndarray, target: np.ndarray
) -> list[str]:
    """Each (post, target) row's own clauses joined with ``，`` (see the module docs).

    The rows are sorted by (post, target) and hold every target a post names. One pass over
    the rows' posts finds the clause boundaries; ownership is worked out with numpy: a
    target's mention owns its clause and the clauses after it up to the next clause that a
    mention owns (the same as :func:`_clauses_by_target` post by post).
    """
    if not len(post):
        return []
    c, clause_of, per_row = _owned_clauses(
        batch, mentions, post, target, trailing=_trailing_tags(batch, mentions)
    )
    return _join_rows(c, clause_of, per_row)


def _trailing_tags(batch: NormBatch, mentions: Mentions) -> np.ndarray:
    """Per mention: is it a hashtag among those ending its post (:func:`_trailing`)? Only the
    mentions right after a ``#`` are read further."""
    out = np.zeros(len(mentions.start), dtype=bool)
    text = batch.text
    for i in np.flatnonzero(np.isin(mentions.start - 1, _found(text, ("#",)))).tolist():
        out[i] = _trailing(text, int(mentions.start[i]))
    return out


def _said_clauses(
    c: _Clauses, clause_of: np.ndarray, head: np.ndarray, engine: SentimentEngine
) -> np.ndarray:
    """Which of the owned clauses speak of their theme (`clause_of`: the rows' runs in order;
    `head`: the clause names the row's theme, as each row's first one does): each clause
    naming it; after one, the clauses up to the first that says something (polar on its
    own), and one right after that starting with a contrast word ("售后态度很好，但是一直没解决").
    "客服机器人回复，售后电话打不通，佩戴舒适": the comfort after the complaint is not about
    after-sales; "售后，太差了" still is. The clauses are scored by `engine`, each on its own."""
    n = len(clause_of)
    polar = np.zeros(n, dtype=bool)
    contrast = np.zeros(n, dtype=bool)
    after = np.flatnonzero(~head)
    if len(after):
        texts = _join_rows(c, clause_of[after], np.ones(len(after), dtype=np.int64))
        polar[after] = polarity_distinct(engine, texts)[0] != 0
        first = c.codes.take(c.starts.take(clause_of[after]).astype(_position_type(len(c.codes))))
        maybe = np.flatnonzero((_CHAR_KIND.take(first, mode="clip") & 4) != 0)
        for k in maybe.tolist():  # starts with a contrast word's first letter: is it one?
            contrast[after[k]] = _CONTRAST_AT.match(texts[k]) is not None
    # a head's own words count too ("售后很给力，第二天就给换了新的" says it in its first clause);
    # read where a clause after it depends on that
    heads = np.flatnonzero(head[:-1] & ~head[1:])
    if len(heads):
        texts = _join_rows(c, clause_of[heads], np.ones(len(heads), dtype=np.int64))
        polar[heads] = polarity_distinct(engine, texts)[0] != 0
    # polar clauses before each one in its segment (a head up to the next head)
    before = np.cumsum(polar) - polar
    before -= before[np.flatnonzero(head)][np.cumsum(head) - 1]
    first_said = np.zeros(n, dtype=bool)  # the clause before is its segment's first polar one
    first_said[1:] = polar[:-1] & (before[:-1] == 0) & ~head[1:]
    return head | (before == 0) | (contrast & first_said)


def _owned_clauses(
    batch: NormBatch,
    mentions: Mentions,
    post: np.ndarray,
    target: np.ndarray,
    *,
    sentences: bool = False,
    trailing: np.ndarray | None = None,
) -> tuple[_Clauses, np.ndarray, np.ndarray]:
    """The clauses of the posts of rows (`post`, `target`) and, per row in order, the
    clauses it owns (`clause_of`, `per_row` of them per row), as :func:`clause_texts` reads
    them; `sentences`: a run of clauses also stops where a sentence ends (。！？；);
    `trailing` (per mention): a hashtag ending its post, whose clause does not stop the run
    of the target before it (:func:`_clauses_by_target`)."""
    c, clause_of, per_row, _ = _owned_runs(
        batch, mentions, post, target, sentences=sentences, trailing=trailing
    )
    return c, clause_of, per_row


def _owned_runs(
    batch: NormBatch,
    mentions: Mentions,
    post: np.ndarray,
    target: np.ndarray,
    *,
    sentences: bool = False,
    trailing: np.ndarray | None = None,
) -> tuple[_Clauses, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_owned_clauses` and, per item of `clause_of`, whether it is the first clause of
    its run: a clause a mention of the row stands in."""
    wanted = distinct(post)
    c = _clauses(batch, wanted)
    # mentions of these posts -> their clause (the last one starting at or before them)
    m = np.flatnonzero(np.isin(mentions.post, wanted))
    k = np.searchsorted(wanted, mentions.post[m])
    at = c.offsets[k] + (mentions.start[m] - batch.starts[mentions.post[m]])
    clause = np.maximum(np.searchsorted(c.starts, at, side="right") - 1, c.first[k])
    # owner pairs (post, target, clause), sorted: one group of pairs per row
    width = int(target.max()) + 1
    every = (k * width + mentions.target[m]) * len(c.starts) + clause
    key = distinct(every)
    pair_clause = key % len(c.starts)
    if trailing is not None and trailing[m].any():
        # a clause that only trailing hashtags name stops no run
        owned = distinct(distinct(every[~trailing[m]]) % len(c.starts))
    else:
        owned = distinct(pair_clause)
    nxt = np.r_[owned, len(c.starts)][np.searchsorted(owned, pair_clause, side="right")]
    post_end = c.first[c.post[pair_clause]] + c.count[c.post[pair_clause]]
    stop = np.minimum(nxt, post_end)
    if sentences:
        stop = np.minimum(stop, _sentence_stops(c)[pair_clause])
    run = stop - pair_clause  # clauses each pair covers
    group = key // len(c.starts)  # post x target of each pair, same order as the rows
    if trailing is not None and len(run) > 1:
        # a trailing hashtag's clause inside the run of the same target's pair before it
        covered = (group[1:] == group[:-1]) & (stop[:-1] > pair_clause[1:])
        run[1:][covered] = 0
    per_row = np.bincount(np.unique(group, return_inverse=True)[1], weights=run).astype(np.int64)
    offset = np.r_[0, np.cumsum(run)[:-1]]
    start_of = np.repeat(pair_clause - offset, run)
    clause_of = start_of + np.arange(int(run.sum()))
    head = np.zeros(len(clause_of), dtype=bool)
    head[offset[run > 0]] = True
    return c, clause_of, per_row, head


def _sentence_stops(c: _Clauses) -> np.ndarray:
    """Per clause, the first clause after it that starts a sentence (a post's first clause,
    or one after a separator holding 。！？；), else the end of the clauses."""
    kind = _CHAR_KIND.take(c.codes, mode="clip")
    ends = np.r_[0, np.cumsum((kind & _SENTENCE_END) != 0)]
    brk = np.zeros(len(c.starts), dtype=bool)
    brk[1:] = ends[c.starts[1:]] > ends[c.stops[:-1]]
    brk[c.first[c.count > 0]] = True
    heads = np.r_[np.flatnonzero(brk), len(c.starts)]
    return heads[np.searchsorted(heads, np.arange(len(c.starts)), side="right")]


def _join_rows(c: _Clauses, clause_of: np.ndarray, per_row: np.ndarray) -> list[str]:
    """The texts of clauses `clause_of` (`per_row` of them per row, in order), each row's
    joined with ``，``: the code points gathered with numpy (each clause followed by ``，``,
    or by NUL when it ends its row), decoded once and split at NUL (posts hold none)."""
    pos = _position_type(len(c.codes))
    a, b = c.starts.take(clause_of).astype(pos), c.stops.take(clause_of).astype(pos)
    size = b - a + 1  # the clause and the separator after it
    tail = np.cumsum(size, dtype=np.int64) - 1  # where each separator goes
    seg = tail - (size - 1)
    where = np.repeat(a - seg.astype(pos), size) + np.arange(int(tail[-1]) + 1, dtype=pos)
    where[tail] = 0  # (may be past the end: the last clause's stop)
    out = c.codes.take(where)
    out[tail] = _COMMA
    out[tail[np.cumsum(per_row) - 1]] = 0
    return out[:-1].tobytes().decode("utf-32-le", "surrogatepass").split("\x00")


_COMMA = ord("，")


@dataclass
class _Clauses:
    """The clauses of some posts, in order: start and stop (in the posts joined by NUL), post."""

    codes: np.ndarray  # uint32 code points of the posts joined by NUL
    starts: np.ndarray
    stops: np.ndarray
    post: np.ndarray  # index into the posts
    first: np.ndarray  # per post: index of its first clause
    count: np.ndarray  # per post: its number of clauses
    offsets: np.ndarray  # per post: where it starts in the joined text


def _clauses(batch: NormBatch, wanted: np.ndarray) -> _Clauses:
    """The clauses of posts `wanted` (as :func:`clause_spans` cuts each), cut from the batch's
    code points: the posts joined by NUL are gathered as code points, not built as a string
    (the batch's text already has NUL around each post, so the contrast regex checks a place
    in it at the same post's text)."""
    lo, hi = batch.starts[wanted], batch.ends[wanted]
    n = len(wanted)
    size = hi - lo + 1  # each post and the NUL after it
    offsets = np.r_[0, np.cumsum(size)[:-1]].astype(np.int64)
    ends = offsets + (hi - lo)
    pos = _position_type(len(batch.codes))
    where = np.repeat((lo - offsets).astype(pos), size) + np.arange(int(size.sum()), dtype=pos)
    codes = batch.codes.take(where[:-1])
    codes[ends[:-1]] = 0
    starts, stops = _cut_codes(codes, batch.text, where)
    owner = np.searchsorted(offsets, starts, side="right") - 1
    empty = np.bincount(owner, minlength=n) == 0  # all separators: the whole post
    if empty.any():
        starts = np.r_[starts, offsets[empty]]
        stops = np.r_[stops, ends[empty]]
        owner = np.r_[owner, np.flatnonzero(empty)]
        order = np.lexsort((starts, owner))
        starts, stops, owner = starts[order], stops[order], owner[order]
    count = np.bincount(owner, minlength=n)
    first = np.r_[0, np.cumsum(count)[:-1]].astype(np.int64)
    return _Clauses(codes, starts, stops, owner, first, count, offsets)


def _position_type(size: int) -> type[np.signedinteger]:
    """int32 for positions in `size` code points when they fit (half the memory traffic)."""
    return np.int32 if size < 2**31 - 1 else np.int64


def _cut(joined: str) -> tuple[np.ndarray, np.ndarray]:
    """(start, stop) of every clause of `joined` (posts joined by NUL), as
    :func:`clause_spans` cuts each post (see :func:`_cut_codes`)."""
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _cut_codes(cp, joined, None)


def _cut_codes(
    cp: np.ndarray, text: str, place: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """(start, stop) of every clause of the posts joined by NUL whose code points are `cp`,
    as :func:`clause_spans` cuts each post, with numpy instead of one regex match per
    boundary. The contrast regex is checked in `text` at ``place[i]`` for position ``i`` of
    `cp` (at ``i`` when `place` is None): a text holding the same post there, NUL around it.

    ``_BOUNDARY.finditer`` covers every punctuation run and, per `` - `` (white space, a dash,
    white space), the white space around the dash, unless the white space before it is all
    ``\n`` (punctuation takes it first) or is what the previous dash's match took; it cuts
    (zero width) before each contrast word. A clause is a run of what no match covers (NUL
    ends a post), cut before contrast words.
    """
    kind = _CHAR_KIND.take(cp, mode="clip")  # (past the table: its last entry, 0)
    covered = (kind & 1).astype(bool) | (cp == 0)
    space = (kind & 2).astype(bool)
    size = len(cp)
    _cover_dots(cp, space, covered, text, place)
    dash = np.flatnonzero(cp[1:-1] == ord("-")) + 1 if size > 2 else np.zeros(0, np.int64)
    dash = dash[space[dash - 1] & space[dash + 1]]
    if len(dash):
        edge = np.flatnonzero(np.diff(space.view(np.int8), prepend=0, append=0))
        run_start, run_end = edge[0::2], edge[1::2]  # white space runs
        before = run_start[np.searchsorted(run_end, dash)]  # the run ending at the dash
        after = run_end[np.searchsorted(run_start, dash + 1)]
        newline = np.r_[0, np.cumsum(cp == ord("\n"))]
        only_nl = newline[dash] - newline[before] == dash - before
        taken = -1  # the end of the last dash match
        for b, a, nl in zip(before.tolist(), after.tolist(), only_nl.tolist(), strict=True):
            if nl or b < taken:
                continue
            covered[b:a] = True
            taken = a
    edge = _edges(covered)
    run_start, run_end = edge[0::2], edge[1::2]
    at = _contrast_at(text, cp, kind, place)
    cut = at[~covered[at] & ~covered[np.maximum(at - 1, 0)] & (at > 0)]  # inside a run
    starts = np.sort(np.concatenate((run_start, cut))) if len(cut) else run_start
    stops = np.minimum(np.r_[starts[1:], size], run_end[np.searchsorted(run_end, starts, "right")])
    return starts, stops


def _cover_dots(
    cp: np.ndarray, space: np.ndarray, covered: np.ndarray, text: str, place: np.ndarray | None
) -> None:
    """Mark the sentence-ending dot runs (:data:`_DOT`) of `cp` in `covered`: each run of dots
    followed by white space, confirmed by the regex at its first dot (abbreviations)."""
    dot = cp == ord(".")
    if not dot.any():
        return
    edge = _edges(~dot)  # runs of dots
    run_start, run_end = edge[0::2], edge[1::2]
    ok = run_end < len(cp)
    run_start, run_end = run_start[ok], run_end[ok]
    ok = space[run_end]
    run_start, run_end = run_start[ok], run_end[ok]
    there = (run_start if place is None else place[run_start]).tolist()
    match = _DOT_AT.match
    for a, b, p in zip(run_start.tolist(), run_end.tolist(), there, strict=True):
        if match(text, p) is not None:
            covered[a:b] = True


def _edges(covered: np.ndarray) -> np.ndarray:
    """Start, end, start, end ... of the runs of False in `covered`."""
    pad = np.ones(len(covered) + 2, dtype=bool)
    pad[1:-1] = covered
    return np.flatnonzero(pad[1:] != pad[:-1])


def _contrast_at(
    joined: str, cp: np.ndarray, kind: np.ndarray, place: np.ndarray | None = None
) -> np.ndarray:
    """Where ``_CONTRAST_AT.finditer(joined)`` matches (ascending), found with numpy: the
    places where a contrast word's letters stand (`cp`: the code points, `kind`: their
    :data:`_CHAR_KIND`), each confirmed by the regex itself (word boundaries). A match of the
    regex needs one word's letters at its place, so no place is missed; the regex at each
    place decides, so none is added. Scanning with the regex alone tried every character."""
    first = np.flatnonzero((kind & 4) != 0)
    head = cp.take(first)
    found = []
    for word in _CONTRAST_WORDS:
        at = first[head == ord(word[0])]
        for k, letter in enumerate(word[1:], start=1):
            at = at[at + k < len(cp)]
            at = at[cp.take(at + k) == ord(letter)]
        found.append(at)
    places = distinct(np.concatenate(found))
    there = (places if place is None else place[places]).tolist()
    match = _CONTRAST_AT.match
    keep = np.fromiter((match(joined, p) is not None for p in there), dtype=bool, count=len(there))
    return places[keep]
