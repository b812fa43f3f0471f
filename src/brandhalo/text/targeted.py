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
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from brandhalo.text.matcher import Mentions
from brandhalo.text.normalize import NormBatch

if TYPE_CHECKING:
    from brandhalo.text.sentiment import SentimentEngine, SentimentResult

_CONTRAST = r"但是|但|不过|可是|然而|却|只是|\bbut\b|\bhowever\b|\bthough\b|\balthough\b|\byet\b"
_BOUNDARY = re.compile(rf"[。！？；!?;，,、：:\n…]+|\s+-\s+|(?={_CONTRAST})")


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
    texts: list[str] = []
    owners: list[int] = []  # row index per text
    # Plain lists: these loops touch a few items per post, where numpy calls cost more.
    wanted = np.unique(post[rows])
    m_lo = np.searchsorted(mentions.post, wanted, side="left").tolist()
    m_hi = np.searchsorted(mentions.post, wanted, side="right").tolist()
    r_lo = np.searchsorted(post, wanted, side="left").tolist()
    r_hi = np.searchsorted(post, wanted, side="right").tolist()
    m_target, m_start = mentions.target.tolist(), mentions.start.tolist()
    starts, ends = batch.starts[wanted].tolist(), batch.ends[wanted].tolist()
    rows_target = target.tolist()
    text = batch.text
    for k in range(len(m_lo)):
        base, lo, hi = starts[k], m_lo[k], m_hi[k]
        clauses = _clauses_by_target(
            text[base : ends[k]], m_target[lo:hi], [x - base for x in m_start[lo:hi]]
        )
        for r in range(r_lo[k], r_hi[k]):
            texts.append("，".join(clauses.get(rows_target[r], [])))
            owners.append(r)
    res = engine.score(texts)
    idx = np.array(owners, dtype=np.int64)
    polar_post = np.zeros(len(batch), dtype=bool)
    np.logical_or.at(polar_post, post[idx], res.labels != 0)
    use = polar_post[post[idx]]
    label[idx[use]] = res.labels[use]
    score[idx[use]] = res.scores[use]
