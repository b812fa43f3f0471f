"""`linear`: hashed character (1-4) + Latin word (1-2) n-gram linear model, stored as a portable npz.

The model file holds only numpy arrays and a JSON header (no pickle), so loading a file from
someone else cannot run code. Features are hashed by :mod:`fastgrams` over a whole batch with
numpy, so scoring is a gather and a sum per text (no per-text Python) and the model needs no
vocabulary; evidence is the n-gram spans of each text that pushed hardest toward its label.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from brandhalo.errors import EngineError, NotFoundError
from brandhalo.text.sentiment import fastgrams as fg
from brandhalo.text.sentiment._base import (
    ZH_EN,
    SentimentEngine,
    SentimentResult,
    register_engine,
    score_in_batches,
)

FORMAT = "brandhalo-linear-sentiment/2"
DEFAULT_MODEL = "default_linear.npz"
DEFAULT_FEATURES = 1 << 18


def n_bits_of(n_features: int) -> int:
    """log2 of a hashing space size (which must be a power of two >= 2**8)."""
    bits = int(n_features).bit_length() - 1
    if n_features < 256 or 1 << bits != n_features:
        raise EngineError(f"n_features must be a power of two >= 256, got {n_features}.")
    return bits


def featurize(texts: Sequence[str], n_features: int) -> Any:
    """Sparse CSR matrix of the hashed n-gram features (``count / sqrt(occurrences)``)."""
    bits = n_bits_of(n_features)
    return fg.grams(list(texts), n_bits=bits).matrix(bits)


@dataclass
class LinearModel:
    """Weights of a hashed n-gram linear classifier.

    Attributes:
        coef: (k, n_features) float32; k = 1 for a binary model (positive vs negative).
        intercept: (k,) float32.
        classes: int8 labels of the classes (``[-1, 1]`` or ``[-1, 0, 1]``).
        n_features: hashing space size.
        meta: JSON-able facts (sources, rows, scores) written into the file header.
    """

    coef: np.ndarray
    intercept: np.ndarray
    classes: np.ndarray
    n_features: int
    meta: dict[str, Any] = field(default_factory=dict)

    def save(self, path: str | Path) -> Path:
        """Write the model as a compressed npz (float16 weights) and return the path."""
        out = Path(path)
        if out.suffix != ".npz":
            out = out.with_suffix(".npz")
        out.parent.mkdir(parents=True, exist_ok=True)
        header = {"format": FORMAT, "n_features": self.n_features, "meta": self.meta}
        np.savez_compressed(
            out,
            coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32),
            classes=self.classes.astype(np.int8),
            header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
        )
        return out

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        """Read a model written by :meth:`save` (never unpickles anything)."""
        p = Path(path)
        if not p.is_file():
            raise NotFoundError(
                f"Linear sentiment model {str(p)!r} does not exist; train one with "
                "`brandhalo train --labels FILE --text-col C --label-col C --out PATH`."
            )
        try:
            with np.load(p, allow_pickle=False) as z:
                header = json.loads(bytes(z["header"]).decode())
                if header.get("format") != FORMAT:
                    raise ValueError(f"format {header.get('format')!r}, expected {FORMAT}")
                n_bits_of(int(header["n_features"]))
                return cls(
                    coef=z["coef"].astype(np.float32),
                    intercept=z["intercept"].astype(np.float32),
                    classes=z["classes"].astype(np.int8),
                    n_features=int(header["n_features"]),
                    meta=header.get("meta", {}),
                )
        except (ValueError, KeyError, OSError, EngineError) as exc:
            raise EngineError(
                f"{p} is not a brandhalo linear sentiment model ({exc}); retrain it with "
                "`brandhalo train`."
            ) from exc

    def grams(self, texts: Sequence[str]) -> fg.Grams:
        """The hashed n-gram occurrences of a batch in this model's feature space."""
        return fg.grams(texts, n_bits=n_bits_of(self.n_features))

    def decision(self, g: fg.Grams) -> np.ndarray:
        """Raw class scores of a batch's n-grams, shape (n, k)."""
        return fg.decision(g, self.coef, self.intercept)

    def proba(self, g: fg.Grams) -> np.ndarray:
        """Class probabilities (n, len(classes)) in the order of :attr:`classes`."""
        return self.proba_of(self.decision(g))

    def proba_of(self, d: np.ndarray) -> np.ndarray:
        """Class probabilities from raw class scores."""
        return self.softmax_or_sigmoid(d)

    @staticmethod
    def softmax_or_sigmoid(d: np.ndarray) -> np.ndarray:
        """(n, 2) sigmoid probabilities for one score column, else a row-wise softmax."""
        if d.shape[1] == 1:
            p1 = 1.0 / (1.0 + np.exp(-np.clip(d[:, 0], -50.0, 50.0)))
            return np.column_stack([1.0 - p1, p1])
        d = d - d.max(axis=1, keepdims=True)
        e = np.exp(d)
        return e / e.sum(axis=1, keepdims=True)


def default_model_path() -> Path:
    """Path of the shipped default model (may not exist in a source checkout)."""
    return Path(str(resources.files("brandhalo.text.sentiment") / "data" / DEFAULT_MODEL))


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> LinearModel:
    return LinearModel.load(path)


def load_model(model_path: str | Path | None) -> LinearModel:
    """Load `model_path`, or the shipped default when None (cached per process and file)."""
    p = Path(model_path) if model_path else default_model_path()
    if not p.is_file():
        hint = "" if model_path else " (no default model is shipped in this install)"
        raise NotFoundError(
            f"Linear sentiment model {str(p)!r} does not exist{hint}; train one with "
            "`brandhalo train --labels FILE --text-col C --label-col C --out PATH` and set "
            "[sentiment] model_path."
        )
    return _load_cached(str(p.resolve()), p.stat().st_mtime)


@register_engine("linear")
class LinearEngine(SentimentEngine):
    """Hashed n-gram linear model engine.

    Args:
        model_path: a model written by ``brandhalo train``; None = the shipped default.
        neutral_band: for binary models, texts with |p(pos) - p(neg)| below this are neutral.
        batch_size: texts vectorised at once.
    """

    languages = ZH_EN  # the word lists and n-grams read Chinese and English only

    def __init__(
        self,
        model_path: str | Path | None = None,
        neutral_band: float = 0.3,
        batch_size: int = 4096,
    ) -> None:
        self.model_path = str(model_path) if model_path else None
        self.neutral_band = float(neutral_band)
        self.batch_size = max(1, int(batch_size))
        load_model(self.model_path)  # fail early, in the caller, if the file is bad

    @property
    def model(self) -> LinearModel:
        """The loaded model (cached per process, so pickling ships only the path)."""
        return load_model(self.model_path)

    def score(self, texts: Sequence[str]) -> SentimentResult:
        """Score texts in batches."""
        return score_in_batches(texts, self.batch_size, self._score_batch)

    def _score_batch(self, items: list[str]) -> SentimentResult:
        model = self.model
        g = model.grams(items)
        proba = model.proba(g)
        classes = model.classes.tolist()
        p_pos = proba[:, classes.index(1)]
        p_neg = proba[:, classes.index(-1)]
        scores = p_pos - p_neg
        if 0 in classes:
            labels = model.classes[np.argmax(proba, axis=1)]
            conf = proba.max(axis=1)
        else:
            labels = np.where(np.abs(scores) < self.neutral_band, 0, np.sign(scores))
            conf = binary_confidence(labels, p_pos, p_neg, scores)
        empty = np.fromiter((not t.strip() for t in items), dtype=bool, count=len(items))
        labels = np.where(empty, 0, labels)
        scores = np.where(empty, 0.0, scores)
        conf = np.where(empty, 0.5, conf)
        evidence = explain(model, g, labels)
        return SentimentResult.build(labels, scores, conf, evidence)

    def describe(self) -> dict[str, Any]:
        """Engine name, model path and the model's meta facts."""
        return {"engine": self.name, "model_path": self.model_path, "meta": self.model.meta}


def binary_confidence(
    labels: np.ndarray, p_pos: np.ndarray, p_neg: np.ndarray, scores: np.ndarray
) -> np.ndarray:
    """How sure a two-class (negative/positive) model is of its call: max(p_pos, p_neg), that
    is 0.5 + |score| / 2 (`scores`: p_pos - p_neg, damped by a neutral frame where there is one).

    Its neutral calls are where p_pos and p_neg are close, where it is least sure: about 0.5,
    never near 1 (``1 - |score|`` made the coin tosses its surest calls, so the labelling queue
    never offered them as the ones it is least sure of).
    """
    return np.where(labels == 0, 0.5 + 0.5 * np.abs(scores), np.maximum(p_pos, p_neg))


def explain(
    model: LinearModel,
    g: fg.Grams,
    labels: np.ndarray,
    rows: Sequence[int] | None = None,
    k: int = 4,
) -> list[list[str]]:
    """Top n-gram spans pushing each text toward its label (``+`` positive / ``-`` negative).

    Candidates are Latin whole words and word pairs and CJK n-grams of two or more characters;
    a span inside a longer kept span is dropped.

    Args:
        model: the model whose weights decide.
        g: the batch's n-grams (from :meth:`LinearModel.grams`).
        labels: per text of the batch, -1/0/1 (neutral texts get no evidence).
        rows: explain only these texts of the batch (default: all).
        k: spans per text at most.
    """
    n = g.n_docs
    lab = np.asarray(labels, dtype=np.float64)
    wanted = lab != 0
    if rows is not None:
        wanted &= np.isin(np.arange(n), rows)
    out: list[list[str]] = [[] for _ in range(n)]
    occ = np.flatnonzero(wanted[g.doc])
    if occ.size == 0:
        return out if rows is None else [out[i] for i in rows]
    start, length, doc = g.start[occ], g.length[occ], g.doc[occ]
    latin = (g.cp >= 97) & (g.cp <= 122)
    latcum = np.concatenate(([0], np.cumsum(latin)))
    has_latin = latcum[start + length] - latcum[start] > 0
    cand = np.where(g.word[occ], True, ~has_latin & (length >= 2))
    contrib = direction_of(model)[g.bucket[occ]] * lab[doc]
    sel = np.flatnonzero(cand & (contrib > 0))
    order = sel[np.lexsort((-contrib[sel], doc[sel]))]
    if order.size == 0:
        return out if rows is None else [out[i] for i in rows]
    text = fg.text_of(g.cp)
    docs = doc[order]
    first = np.flatnonzero(np.concatenate(([True], docs[1:] != docs[:-1])))
    bounds = np.append(first, order.size)
    starts, ends = start[order].tolist(), (start + length)[order].tolist()
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        d = int(docs[a])
        top = range(a, min(b, a + 3 * k))
        spans = list(dict.fromkeys(text[starts[j] : ends[j]].strip() for j in top))
        kept = [s for s in spans if s and not any(s != o and s in o for o in spans)]
        sign = "+" if lab[d] > 0 else "-"
        out[d] = [sign + s for s in kept[:k]]
    return out if rows is None else [out[i] for i in rows]


def direction_of(model: LinearModel) -> np.ndarray:
    """Per feature, the weight toward positive (minus the weight toward negative); computed
    once per model."""
    cached: np.ndarray | None = model.__dict__.get("_direction")
    if cached is not None:
        return cached
    classes = model.classes.tolist()
    if model.coef.shape[0] == 1:
        out = model.coef[0]
    else:
        out = model.coef[classes.index(1)] - model.coef[classes.index(-1)]
    model.__dict__["_direction"] = out
    return out
