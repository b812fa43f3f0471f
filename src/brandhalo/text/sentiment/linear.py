"""`linear`: hashed character (1-3) + word (1-2) n-gram linear model, stored as a portable npz.

The model file holds only numpy arrays and a JSON header (no pickle), so loading a file from
someone else cannot run code. Features are hashed, so the model is small and needs no
vocabulary; evidence is recovered by re-hashing the n-grams of each text and keeping those
that pushed hardest toward the predicted label.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from brandhalo.errors import EngineError, NotFoundError
from brandhalo.text.sentiment._base import (
    SentimentEngine,
    SentimentResult,
    as_text_list,
    register_engine,
)

FORMAT = "brandhalo-linear-sentiment/1"
DEFAULT_MODEL = "default_linear.npz"
DEFAULT_FEATURES = 1 << 18
_TOKEN = r"(?u)\b\w+\b|[^\w\s]"


def normalize(text: str) -> str:
    """NFKC + lower case (what both training and scoring see)."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=4)
def _vectorizers(n_features: int) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import HashingVectorizer

    common: dict[str, Any] = {
        "n_features": n_features,
        "alternate_sign": False,
        "norm": None,
        "lowercase": False,
        "dtype": np.float32,
    }
    char = HashingVectorizer(analyzer="char", ngram_range=(1, 3), **common)
    word = HashingVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=_TOKEN, **common)
    return char, word


def featurize(texts: Sequence[str], n_features: int) -> Any:
    """Sparse CSR matrix of log-scaled, L2-normalised hashed char + word n-gram counts."""
    from sklearn.preprocessing import normalize as l2

    char, word = _vectorizers(n_features)
    norm = [normalize(t) for t in texts]
    x = char.transform(norm) + word.transform(norm)
    x.data = np.log1p(x.data)
    return l2(x, copy=False)


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
    #: readable n-gram of the strongest hashed features (feature index -> n-gram) for evidence
    names: dict[int, str] = field(default_factory=dict)

    def save(self, path: str | Path) -> Path:
        """Write the model as a compressed npz (float16 weights) and return the path."""
        out = Path(path)
        if out.suffix != ".npz":
            out = out.with_suffix(".npz")
        out.parent.mkdir(parents=True, exist_ok=True)
        header = {"format": FORMAT, "n_features": self.n_features, "meta": self.meta}
        idx = np.array(sorted(self.names), dtype=np.int64)
        joined = "\n".join(self.names[int(i)].replace("\n", " ") for i in idx)
        np.savez_compressed(
            out,
            coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32),
            classes=self.classes.astype(np.int8),
            header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
            name_index=idx,
            name_text=np.frombuffer(joined.encode(), dtype=np.uint8),
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
                    raise ValueError(f"format {header.get('format')!r}")
                idx = z["name_index"].tolist()
                text = bytes(z["name_text"]).decode().split("\n") if idx else []
                return cls(
                    coef=z["coef"].astype(np.float32),
                    intercept=z["intercept"].astype(np.float32),
                    classes=z["classes"].astype(np.int8),
                    n_features=int(header["n_features"]),
                    meta=header.get("meta", {}),
                    names=dict(zip(idx, text, strict=True)),
                )
        except (ValueError, KeyError, OSError) as exc:
            raise EngineError(
                f"{p} is not a brandhalo linear sentiment model ({exc}); retrain it with "
                "`brandhalo train`."
            ) from exc

    def decision(self, x: Any) -> np.ndarray:
        """Raw class scores, shape (n, k)."""
        return np.asarray(x @ self.coef.T) + self.intercept

    def proba(self, x: Any) -> np.ndarray:
        """Class probabilities (n, len(classes)) in the order of :attr:`classes`."""
        d = self.decision(x)
        if self.coef.shape[0] == 1:
            p1 = 1.0 / (1.0 + np.exp(-d[:, 0]))
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
        items = as_text_list(texts)
        parts = [
            self._score_batch(items[i : i + self.batch_size])
            for i in range(0, len(items), self.batch_size)
        ]
        return SentimentResult.concat(parts)

    def _score_batch(self, items: list[str]) -> SentimentResult:
        model = self.model
        x = featurize(items, model.n_features)
        proba = model.proba(x)
        classes = model.classes.tolist()
        p_pos = proba[:, classes.index(1)]
        p_neg = proba[:, classes.index(-1)]
        scores = p_pos - p_neg
        if 0 in classes:
            labels = model.classes[np.argmax(proba, axis=1)]
            conf = proba.max(axis=1)
        else:
            labels = np.where(np.abs(scores) < self.neutral_band, 0, np.sign(scores))
            conf = np.where(labels == 0, 1.0 - np.abs(scores), np.maximum(p_pos, p_neg))
        empty = np.fromiter((not t.strip() for t in items), dtype=bool, count=len(items))
        labels = np.where(empty, 0, labels)
        scores = np.where(empty, 0.0, scores)
        conf = np.where(empty, 0.5, conf)
        evidence = explain(model, x, labels, items)
        return SentimentResult.build(labels, scores, conf, evidence)

    def describe(self) -> dict[str, Any]:
        """Engine name, model path and the model's meta facts."""
        return {"engine": self.name, "model_path": self.model_path, "meta": self.model.meta}


def explain(
    model: LinearModel, x: Any, labels: np.ndarray, texts: Sequence[str] | None = None, k: int = 4
) -> list[list[str]]:
    """Top named n-grams pushing each text toward its label (``+`` positive / ``-`` negative).

    Longer n-grams win over the pieces inside them; with `texts`, Latin n-grams that are only
    part of a word ("eat" of "great") are dropped.
    """
    direction = direction_of(model)  # per feature: weight toward positive
    names = model.names
    x = x.tocsr()
    out: list[list[str]] = []
    for i in range(x.shape[0]):
        lo, hi = x.indptr[i], x.indptr[i + 1]
        lab = float(labels[i])
        if lab == 0 or hi == lo:
            out.append([])
            continue
        cols = x.indices[lo:hi]
        contrib = x.data[lo:hi] * direction[cols] * lab
        order = np.argsort(-contrib)[: k * 4]
        words = set(_WORDS.findall(normalize(texts[i]))) if texts is not None else None
        grams = []
        for j in order:
            gram = names.get(int(cols[j]), "").strip(_EDGE)
            if contrib[j] > 0 and gram and (words is None or _whole(gram, words)):
                grams.append(gram)
        kept = [g for g in grams if not any(g != o and g in o for o in grams)]
        sign = "+" if lab > 0 else "-"
        out.append([sign + g for g in dict.fromkeys(kept)][:k])
    return out


_WORDS = re.compile(r"[a-z0-9']+")
_EDGE = " \t,.!?;:，。！？；：、~…"


def _whole(gram: str, words: set[str]) -> bool:
    """A Latin n-gram counts only if each of its words is a whole word of the text."""
    if not gram.isascii():
        return True
    parts = _WORDS.findall(gram)
    return bool(parts) and all(p in words for p in parts)


def name_features(
    texts: Sequence[str], direction: np.ndarray, n_features: int, top: int = 40_000
) -> dict[int, str]:
    """Readable n-gram for each of the `top` strongest features (most frequent source n-gram)."""
    from collections import Counter

    from sklearn.utils import murmurhash3_32

    keep = set(np.argsort(-np.abs(direction))[:top].tolist())
    char, word = _vectorizers(n_features)
    counts: Counter[str] = Counter()
    for analyzer in (char.build_analyzer(), word.build_analyzer()):
        for t in texts:
            counts.update(analyzer(normalize(t)))
    names: dict[int, str] = {}
    best: dict[int, int] = {}
    for gram, n in counts.items():
        h = abs(murmurhash3_32(gram, seed=0)) % n_features
        # among colliding n-grams the most frequent one names the feature; ties -> longer
        if h in keep and (n, len(gram)) > (best.get(h, 0), len(names.get(h, ""))):
            names[h], best[h] = gram, n
    return names


def direction_of(model: LinearModel) -> np.ndarray:
    classes = model.classes.tolist()
    if model.coef.shape[0] == 1:
        return model.coef[0]
    return model.coef[classes.index(1)] - model.coef[classes.index(-1)]
