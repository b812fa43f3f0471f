"""The sentiment-engine slot: one small interface, one result type, one registry.

Every engine turns a batch of texts into a :class:`SentimentResult` (labels in {-1, 0, 1},
scores in [-1, 1], confidence in [0, 1] and the evidence that decided each label). Engines are
plain picklable objects so they can be shipped to worker processes and Spark executors; heavy
state (automata, model weights) is rebuilt lazily after unpickling.

Example:
    >>> from brandhalo.text.sentiment import get_engine
    >>> get_engine("lexicon").score(["刹车失灵，太危险了"]).labels.tolist()
    [-1]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import numpy as np

from brandhalo.errors import EngineError

#: name -> engine class; filled by :func:`register_engine` (the one way to add an engine).
ENGINES: dict[str, type[SentimentEngine]] = {}

E = TypeVar("E", bound="type[SentimentEngine]")


@dataclass(frozen=True)
class SentimentResult:
    """Per-text sentiment of one batch; all arrays have one row per input text.

    Attributes:
        labels: int8 array, -1 negative, 0 neutral, 1 positive.
        scores: float64 array in [-1, 1] (signed strength).
        confidence: float64 array in [0, 1] (how sure the engine is of the label).
        evidence: per text, the words or features that decided the label, strongest first.
            Lexicon evidence is the matched span prefixed by its sign, e.g. ``"-刹车失灵"``.
    """

    labels: np.ndarray
    scores: np.ndarray
    confidence: np.ndarray
    evidence: list[list[str]] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    @classmethod
    def build(
        cls,
        labels: Any,
        scores: Any,
        confidence: Any,
        evidence: list[list[str]] | None = None,
    ) -> SentimentResult:
        """Build a result with the contract's dtypes, clipping values into their ranges."""
        lab = np.asarray(labels, dtype=np.int8).reshape(-1)
        sc = np.clip(np.asarray(scores, dtype=np.float64).reshape(-1), -1.0, 1.0)
        conf = np.clip(np.asarray(confidence, dtype=np.float64).reshape(-1), 0.0, 1.0)
        ev = evidence if evidence is not None else [[] for _ in range(lab.shape[0])]
        if not (lab.shape[0] == sc.shape[0] == conf.shape[0] == len(ev)):
            raise EngineError(
                "A sentiment engine returned arrays of different lengths; this is a bug in the "
                "engine, please report it."
            )
        return cls(labels=lab, scores=sc, confidence=conf, evidence=ev)

    @classmethod
    def empty(cls) -> SentimentResult:
        """A result for zero texts."""
        return cls.build([], [], [], [])

    @classmethod
    def concat(cls, parts: Sequence[SentimentResult]) -> SentimentResult:
        """Join results of consecutive batches in order."""
        if not parts:
            return cls.empty()
        return cls.build(
            np.concatenate([p.labels for p in parts]),
            np.concatenate([p.scores for p in parts]),
            np.concatenate([p.confidence for p in parts]),
            [ev for p in parts for ev in p.evidence],
        )

    def take(self, index: Any) -> SentimentResult:
        """Rows selected by an integer index array (used to undo length-sorting)."""
        idx = np.asarray(index, dtype=np.int64)
        return SentimentResult(
            labels=self.labels[idx],
            scores=self.scores[idx],
            confidence=self.confidence[idx],
            evidence=[self.evidence[i] for i in idx.tolist()],
        )


class SentimentEngine:
    """Base class of every sentiment engine.

    Subclasses set ``name`` and implement :meth:`score`. Constructors take keyword options only
    (as given to :func:`get_engine`) and must stay cheap; load heavy state lazily.
    """

    name: ClassVar[str] = ""
    #: The languages (``lang`` codes of :mod:`brandhalo.text.lang`) the engine reads; None:
    #: any (a multilingual model). Enrichment leaves posts in other languages neutral.
    #: ``[sentiment] languages`` narrows it per workspace (:func:`engine_from_settings`).
    languages: frozenset[str] | None = None

    def score(self, texts: Sequence[str]) -> SentimentResult:
        """Score a batch of texts; ``None`` or empty strings come back neutral."""
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        """A small JSON-able description (engine name and options) for logs and eval output."""
        return {"engine": self.name}


#: What an engine reading only Chinese and English reads (``mixed``: both in one post);
#: enrichment leaves the others neutral (:func:`brandhalo.text.enrich.unread_posts`).
ZH_EN: frozenset[str] = frozenset({"zh", "en", "mixed"})


def register_engine(name: str) -> Callable[[E], E]:
    """Class decorator that registers an engine under `name` in :data:`ENGINES`."""

    def deco(cls: E) -> E:
        cls.name = name
        ENGINES[name] = cls
        return cls

    return deco


def get_engine(name: str, **options: Any) -> SentimentEngine:
    """Create the engine registered as `name` with its keyword `options`.

    Raises:
        EngineError: `name` is not registered (the message lists the available engines) or
            the engine rejects its options.
    """
    cls = ENGINES.get(str(name).strip().lower())
    if cls is None:
        available = ", ".join(sorted(ENGINES))
        raise EngineError(
            f"Unknown sentiment engine {name!r}; choose one of: {available} "
            "(set [sentiment] engine in brandhalo.toml or pass --engine)."
        )
    try:
        return cls(**options)
    except TypeError as exc:
        raise EngineError(
            f"The {name!r} sentiment engine does not accept these options: "
            f"{sorted(options)} ({exc}); fix the [sentiment] section or the command options."
        ) from exc


def as_text_list(texts: Sequence[str] | Any) -> list[str]:
    """Turn a batch (list, tuple, numpy/pyarrow/pandas column) into a list of str; None -> ''."""
    if hasattr(texts, "to_pylist"):
        texts = texts.to_pylist()
    elif hasattr(texts, "tolist"):
        texts = texts.tolist()
    if isinstance(texts, str):
        raise EngineError(
            "score() takes a sequence of texts, not one string; wrap it in a list: score([text])."
        )
    return ["" if t is None else t if isinstance(t, str) else str(t) for t in texts]


def score_in_batches(
    texts: Sequence[str] | Any,
    batch_size: int,
    score_batch: Callable[[list[str]], SentimentResult],
) -> SentimentResult:
    """Score `texts` with `score_batch` on slices of `batch_size` and join the results."""
    items = as_text_list(texts)
    parts = [score_batch(items[i : i + batch_size]) for i in range(0, len(items), batch_size)]
    return SentimentResult.concat(parts)


def engine_from_settings(settings: Any, **overrides: Any) -> SentimentEngine:
    """Create the engine a ``[sentiment]`` config section asks for.

    Passes ``model_path`` and ``batch_size`` only to engines whose constructor takes them, so
    one settings object serves every engine. `overrides` (non-None values) win.
    """
    import inspect

    name = overrides.pop("engine", None) or settings.engine
    cls = ENGINES.get(str(name).strip().lower())
    if cls is None:
        return get_engine(name)  # raises the EngineError listing the engines
    accepted = inspect.signature(cls.__init__).parameters
    opts = {
        key: getattr(settings, key, None)
        for key in ("model_path", "batch_size")
        if key in accepted and getattr(settings, key, None) is not None
    }
    opts.update({k: v for k, v in overrides.items() if v is not None and k in accepted})
    engine = get_engine(name, **opts)
    wanted = getattr(settings, "languages", None)
    if wanted is not None:
        engine.languages = narrowed_languages(engine, wanted)
    return engine


def narrowed_languages(engine: SentimentEngine, wanted: Sequence[str]) -> frozenset[str]:
    """The languages `engine` reads, narrowed to `wanted` (``[sentiment] languages``).

    Raises:
        EngineError: `wanted` names a language the engine cannot read (a setting can narrow
            what an engine reads, not widen it).
    """
    reads = engine.languages
    extra = sorted(set(wanted) - reads) if reads is not None else []
    if extra:
        raise EngineError(
            f"[sentiment] languages lists {', '.join(map(repr, extra))}, which the "
            f"{engine.name!r} engine does not read (it reads {', '.join(sorted(reads or ()))}); "
            "remove them, or pick an engine that reads them (transformers with a "
            "multilingual model)"
        )
    return frozenset(wanted)
