"""Targeted sentiment: one label per target when a post names several (clause level).

"雷军很棒，但是SU7刹车太差了" is positive about Lei Jun and negative about the SU7. The post is
cut into clauses at punctuation and before contrast words (但是, 不过, but, however ...). Each
clause belongs to the targets it names; a clause that names none continues the previous one
("SU7，刹车太差了": the second clause is still about the SU7); clauses before the first
mention belong to no target. Each target's clauses are scored
together by the same engine. When none of a post's targets gets a polar label from its clauses,
every target falls back to the post's overall sentiment.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from brandhalo.text.matcher import Mentions
from brandhalo.text.normalize import NormBatch

if TYPE_CHECKING:
    from brandhalo.text.sentiment import SentimentEngine, SentimentResult

_CONTRAST = r"但是|但|不过|可是|然而|却|只是|\bbut\b|\bhowever\b|\bthough\b|\balthough\b|\byet\b"
# The leading look-ahead (every alternative's first characters) lets the scan skip the other
# positions at once: half the time of trying each alternative at every character.
_BOUNDARY = re.compile(
    rf"(?=[。！？；!?;，,、：:\n…\s但不可然却只bhtay])(?:[。！？；!?;，,、：:\n…]+|\s+-\s+|(?={_CONTRAST}))"
)


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


def _clauses_by_target(text: str, targets: list[int], starts: list[int]) -> dict[int, list[str]]:
    """Clause texts owned by each target (mention starts relative to the post)."""
    spans = clause_spans(text)
    bounds = [s for s, _ in spans]
    owner_of: list[set[int]] = [set() for _ in spans]
    for t, s in zip(targets, starts, strict=True):
        owner_of[max(bisect.bisect_right(bounds, s) - 1, 0)].add(t)
    # Clauses before the first mention ("说实话，", "太爱了，") belong to no target.
    current: set[int] = set()
    out: dict[int, list[str]] = {t: [] for t in set(targets)}
    for (s, e), owners in zip(spans, owner_of, strict=True):
        if owners:
            current = owners
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
    batch: NormBatch, mentions: Mentions, overall: SentimentResult, engine: SentimentEngine
) -> TargetRows:
    """Label and score per (post, target) named in the batch."""
    if not len(mentions.post):
        e = np.zeros(0, dtype=np.int64)
        return TargetRows(e, e, e.astype(np.int8), e.astype(np.float64))
    key = mentions.post * (int(mentions.target.max()) + 1) + mentions.target
    first = np.r_[True, key[1:] != key[:-1]]  # mentions are sorted by (post, target, start)
    post, target = mentions.post[first], mentions.target[first]
    label = overall.labels[post].astype(np.int8)
    score = overall.scores[post].astype(np.float64)
    counts = np.bincount(post, minlength=len(batch))
    multi = np.flatnonzero(counts[post] > 1)
    if len(multi):
        _split_multi(batch, mentions, post, target, multi, label, score, overall, engine)
    return TargetRows(post, target, label, score)


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
    """Score each target's own clauses for the rows of posts naming several targets."""
    texts = clause_texts(batch, mentions, post[rows], target[rows])
    labels, scores = polarity_distinct(engine, texts)
    idx = rows.astype(np.int64)
    polar_post = np.zeros(len(batch), dtype=bool)
    np.logical_or.at(polar_post, post[idx], labels != 0)
    use = polar_post[post[idx]]
    label[idx[use]] = labels[use]
    score[idx[use]] = scores[use]


def clause_texts(
    batch: NormBatch, mentions: Mentions, post: np.ndarray, target: np.ndarray
) -> list[str]:
    """Each (post, target) row's own clauses joined with ``，`` (see the module docs).

    The rows are sorted by (post, target) and hold every target a post names. One regex pass
    over the rows' posts finds the clause boundaries; ownership is worked out with numpy: a
    target's mention owns its clause and the clauses after it up to the next clause that a
    mention owns (the same as :func:`_clauses_by_target` post by post).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = np.unique(post)
    c = _clauses(batch, wanted)
    # mentions of these posts -> their clause (the last one starting at or before them)
    m = np.flatnonzero(np.isin(mentions.post, wanted))
    k = np.searchsorted(wanted, mentions.post[m])
    at = c.offsets[k] + (mentions.start[m] - batch.starts[mentions.post[m]])
    clause = np.maximum(np.searchsorted(c.starts, at, side="right") - 1, c.first[k])
    # owner pairs (post, target, clause), sorted: one group of pairs per row
    width = int(target.max()) + 1
    key = np.unique((k * width + mentions.target[m]) * len(c.starts) + clause)
    pair_clause = key % len(c.starts)
    owned = np.unique(pair_clause)
    nxt = np.r_[owned[1:], len(c.starts)]
    post_end = c.first[c.post[owned]] + c.count[c.post[owned]]
    stop = np.minimum(nxt, post_end)[np.searchsorted(owned, pair_clause)]
    run = stop - pair_clause  # clauses each pair covers
    group = key // len(c.starts)  # post x target of each pair, same order as the rows
    per_row = np.bincount(np.unique(group, return_inverse=True)[1], weights=run).astype(np.int64)
    start_of = np.repeat(pair_clause - np.r_[0, np.cumsum(run)[:-1]], run)
    clause_of = start_of + np.arange(int(run.sum()))
    values = pa.array(c.texts, pa.string()).take(pa.array(clause_of))
    offsets = pa.array(np.r_[0, np.cumsum(per_row)].astype(np.int32))
    return pc.binary_join(pa.ListArray.from_arrays(offsets, values), "，").to_pylist()  # type: ignore[no-any-return]


@dataclass
class _Clauses:
    """The clauses of some posts, in order: text, start (in the posts joined by NUL), post."""

    texts: list[str]
    starts: np.ndarray
    post: np.ndarray  # index into the posts
    first: np.ndarray  # per post: index of its first clause
    count: np.ndarray  # per post: its number of clauses
    offsets: np.ndarray  # per post: where it starts in the joined text


def _clauses(batch: NormBatch, wanted: np.ndarray) -> _Clauses:
    """The clauses of posts `wanted` (as :func:`clause_spans` cuts each)."""
    lo, hi = batch.starts[wanted], batch.ends[wanted]
    text = batch.text
    joined = "\x00".join([text[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])
    n = len(wanted)
    offsets = np.r_[0, np.cumsum(hi - lo + 1)[:-1]].astype(np.int64)
    ends = offsets + (hi - lo)
    spans = itertools.chain.from_iterable(map(re.Match.span, _BOUNDARY.finditer(joined)))
    found = np.fromiter(spans, np.int64).reshape(-1, 2)
    b_post = np.searchsorted(offsets, found[:, 0], side="right") - 1
    same = np.r_[False, b_post[1:] == b_post[:-1]]
    prev_end = np.where(same, np.r_[0, found[:-1, 1]], offsets[b_post])
    gap = found[:, 0] > prev_end
    # after each post's last boundary (or from its start when it has none)
    last_end = offsets.copy()
    is_last = np.r_[b_post[1:] != b_post[:-1], True] if len(found) else np.zeros(0, bool)
    last_end[b_post[is_last]] = found[is_last, 1]
    tail = last_end < ends
    starts = np.r_[prev_end[gap], last_end[tail]]
    stops = np.r_[found[gap, 0], ends[tail]]
    owner = np.r_[b_post[gap], np.flatnonzero(tail)]
    empty = np.bincount(owner, minlength=n) == 0  # all separators: the whole post
    starts = np.r_[starts, offsets[empty]]
    stops = np.r_[stops, ends[empty]]
    owner = np.r_[owner, np.flatnonzero(empty)]
    order = np.lexsort((starts, owner))
    starts, stops, owner = starts[order], stops[order], owner[order]
    count = np.bincount(owner, minlength=n)
    texts = [joined[a:b] for a, b in zip(starts.tolist(), stops.tolist(), strict=True)]
    first = np.r_[0, np.cumsum(count)[:-1]].astype(np.int64)
    return _Clauses(texts, starts, owner, first, count, offsets)
