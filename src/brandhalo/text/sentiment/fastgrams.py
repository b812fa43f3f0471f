"""Hashed n-gram features of a whole batch at once, with numpy (no per-text Python loop).

The batch is normalised as one string (:func:`brandhalo.text.normalize.ngram_codepoints`: lower
case, full width folded, URLs -> ``http``, ``@name`` -> ``@``, digits -> ``0``, white space
collapsed), turned into one array of code points, and every character n-gram (orders 1..4 by
default) and every Latin word unigram and bigram is hashed in a few vectorised passes. Scoring a linear model is then a gather and a ``bincount``: a few
microseconds per short post, so a model-backed engine can stay inside the enrich speed budget.

Features of one text are its n-gram *occurrences*; the value of a feature is
``count / sqrt(total occurrences of the text)`` (so a model's score is the sum of the weights of
its occurrences divided by ``sqrt(occurrences)``). Training and scoring use exactly the same
function, so a trained model scores the same inside and outside the batch path.

Example:
    >>> g = grams(["very good", "很好"], n_bits=18)
    >>> int(g.doc.max()), bool((g.bucket < 2**18).all())
    (1, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from brandhalo.text.normalize import NGRAM_SEP, ngram_codepoints

#: character n-gram orders and hashing space of the shipped model
CHAR_ORDERS = (1, 2, 3, 4)
DEFAULT_BITS = 20
_SEP = NGRAM_SEP  # code point that separates texts inside the joined batch
_K1 = np.uint64(0x9E3779B97F4A7C15)
_K2 = np.uint64(0xC2B2AE3D27D4EB4F)
_K3 = np.uint64(0x165667B19E3779F9)
_WORD_SEED = np.uint64(0x27D4EB2F165667C5)
_BIGRAM_SEED = np.uint64(0x85EBCA77C2B2AE63)


@dataclass(frozen=True)
class Grams:
    """The n-gram occurrences of a batch.

    Attributes:
        doc: int64 text index of each occurrence.
        bucket: int64 hashed feature index of each occurrence (``< 2**n_bits``).
        start: int64 start offset of the occurrence in ``cp`` (for evidence).
        length: int64 length in characters of the occurrence in ``cp``.
        word: bool, the occurrence is a Latin word or word pair (else a character n-gram).
        script: int64 per text, 1 for CJK texts (see :func:`scripts`), else 0.
        cp: the normalised code points of the batch (:func:`~brandhalo.text.normalize.ngram_codepoints`).
        n_docs: number of texts.
    """

    doc: np.ndarray
    bucket: np.ndarray
    start: np.ndarray
    length: np.ndarray
    word: np.ndarray
    script: np.ndarray
    cp: np.ndarray
    n_docs: int

    def doc_norm(self) -> np.ndarray:
        """Per text ``1 / sqrt(occurrences)`` (0 for texts without any n-gram)."""
        count = np.bincount(self.doc, minlength=self.n_docs).astype(np.float64)
        return np.where(count > 0, 1.0 / np.sqrt(np.maximum(count, 1.0)), 0.0)

    def matrix(self, n_bits: int) -> object:
        """Sparse CSR matrix (n_docs x 2**n_bits) of the feature values (for training)."""
        from scipy.sparse import csr_matrix

        val = self.doc_norm()[self.doc]
        x = csr_matrix((val, (self.doc, self.bucket)), shape=(self.n_docs, 1 << n_bits))
        x.sum_duplicates()
        return x


def text_of(cp: np.ndarray) -> str:
    """The string of normalised code points (for evidence)."""
    return cp.astype(np.uint32).tobytes().decode("utf-32-le")


def _mix(h: np.ndarray, n_bits: int) -> np.ndarray:
    """Final avalanche of 64-bit hashes into ``n_bits`` buckets."""
    h = h ^ (h >> np.uint64(31))
    h = h * _K2
    h = h ^ (h >> np.uint64(29))
    return (h >> np.uint64(64 - n_bits)).astype(np.int64)


def grams(
    texts: Sequence[str],
    n_bits: int = DEFAULT_BITS,
    char_orders: Sequence[int] = CHAR_ORDERS,
    words: bool = True,
) -> Grams:
    """Hash the char n-grams (and Latin word uni/bigrams) of a batch of texts.

    Args:
        texts: the batch.
        n_bits: hashing space is ``2**n_bits``.
        char_orders: character n-gram lengths.
        words: also hash Latin words (runs of ``a-z0-9'``) and adjacent word pairs.

    Returns:
        The occurrences of every feature of every text (see :class:`Grams`).
    """
    cp = ngram_codepoints(texts)
    n_docs = len(texts)
    sep = cp == _SEP
    space = cp == 32
    n = cp.shape[0]
    sepcum = np.concatenate(([0], np.cumsum(sep)))
    doc_of = sepcum[:-1]  # text index of every position (separators belong to the next text)
    code = cp.astype(np.uint64)
    docs, buckets, starts, lengths = [], [], [], []
    h = np.zeros(n, dtype=np.uint64)
    spacecum = np.concatenate(([0], np.cumsum(space)))
    for order in range(1, max(char_orders, default=0) + 1):
        m = n - order + 1
        if m <= 0:
            break
        h = h[:m] * _K1 + code[order - 1 : order - 1 + m] + np.uint64(order)
        if order not in char_orders:
            continue
        ok = sepcum[order : order + m] == sepcum[:m]
        # spaces mark word boundaries, but a window made only of spaces carries nothing
        ok &= (spacecum[order : order + m] - spacecum[:m]) < order
        idx = np.flatnonzero(ok)
        docs.append(doc_of[idx])
        buckets.append(_mix(h[idx] ^ (np.uint64(order) * _K3), n_bits))
        starts.append(idx)
        lengths.append(np.full(idx.shape[0], order, dtype=np.int64))
    n_char = sum(a.shape[0] for a in docs)
    if words:
        w = _word_grams(cp, doc_of, n_bits)
        for part, arr in zip((docs, buckets, starts, lengths), w, strict=True):
            part.append(arr)
    empty = np.zeros(0, dtype=np.int64)
    doc = np.concatenate(docs) if docs else empty
    script = scripts(cp, doc_of, n_docs)
    # CJK texts use the upper half of the hashing space, the others the lower half: one model
    # file holds a Chinese and an English model that never share a weight
    bucket = np.concatenate(buckets) if docs else empty
    bucket = (bucket >> 1) | (script[doc] << (n_bits - 1))
    word = np.zeros(doc.shape[0], dtype=bool)
    word[n_char:] = True  # the word grams come after the character grams
    return Grams(
        doc=doc,
        bucket=bucket,
        start=np.concatenate(starts) if docs else empty,
        length=np.concatenate(lengths) if docs else empty,
        word=word,
        script=script,
        cp=cp,
        n_docs=n_docs,
    )


def scripts(cp: np.ndarray, doc_of: np.ndarray, n_docs: int) -> np.ndarray:
    """Per text 1 if it is written in CJK (at least one CJK character and at least a quarter as
    many CJK characters as Latin letters: ``iPhone真香`` is CJK), else 0."""
    cjk = (
        ((cp >= 0x3400) & (cp <= 0x9FFF))
        | ((cp >= 0x3040) & (cp <= 0x30FF))
        | ((cp >= 0xAC00) & (cp <= 0xD7AF))
        | ((cp >= 0xF900) & (cp <= 0xFAFF))
    )
    latin = (cp >= 97) & (cp <= 122)
    n_cjk = np.bincount(doc_of[cjk], minlength=n_docs)[:n_docs]
    n_lat = np.bincount(doc_of[latin], minlength=n_docs)[:n_docs]
    return ((n_cjk > 0) & (4 * n_cjk >= n_lat)).astype(np.int64)


def _word_grams(
    cp: np.ndarray, doc_of: np.ndarray, n_bits: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Latin word unigrams and bigrams: (doc, bucket, start, length)."""
    tok = ((cp >= 97) & (cp <= 122)) | (cp == 48) | (cp == 39)
    if not tok.any():
        e = np.zeros(0, dtype=np.int64)
        return e, e, e, e
    prev = np.concatenate(([False], tok[:-1]))
    nxt = np.concatenate((tok[1:], [False]))
    first = np.flatnonzero(tok & ~prev)
    last = np.flatnonzero(tok & ~nxt)
    pos = np.flatnonzero(tok)
    # position of each token character inside its token, then an order-sensitive sum hash
    tok_index = np.searchsorted(first, pos, side="right") - 1
    offset = (pos - first[tok_index]).astype(np.uint64)
    part = (cp[pos].astype(np.uint64) + np.uint64(1)) * _K1 + offset * _K2
    part = part ^ (part >> np.uint64(29))
    part = part * _K3
    seg = np.searchsorted(pos, first)
    th = np.add.reduceat(part, seg) + _WORD_SEED
    length = last - first + 1
    doc = doc_of[first]
    same = doc[1:] == doc[:-1]
    bi = np.flatnonzero(same)
    bh = th[bi] * _K1 + th[bi + 1] + _BIGRAM_SEED
    return (
        np.concatenate((doc, doc[bi])),
        np.concatenate((_mix(th, n_bits), _mix(bh, n_bits))),
        np.concatenate((first, first[bi])),
        np.concatenate((length, last[bi + 1] - first[bi] + 1)),
    )


def decision(g: Grams, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """Linear scores (n_docs x k) of the batch: per text, the weights of its occurrences summed
    and divided by ``sqrt(occurrences)``, plus the intercept.

    Args:
        g: the batch's n-grams.
        coef: (k, 2**n_bits) weights.
        intercept: (k,) or, per script (row 0 non-CJK, row 1 CJK), (2, k).
    """
    norm = g.doc_norm()
    k = coef.shape[0]
    bias = np.asarray(intercept, dtype=np.float64)
    bias = bias[g.script] if bias.ndim == 2 else np.broadcast_to(bias, (g.n_docs, k))
    out = np.empty((g.n_docs, k), dtype=np.float64)
    for j in range(k):
        s = np.bincount(g.doc, weights=coef[j][g.bucket], minlength=g.n_docs)
        out[:, j] = s * norm
    return out + bias
