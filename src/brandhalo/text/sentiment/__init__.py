"""Sentiment engines behind one small interface (see ``_base``).

Importing this package registers the built-in engines in :data:`ENGINES`; the heavy ones
(transformers) import their libraries only when used.

Example:
    >>> from brandhalo.text.sentiment import get_engine
    >>> res = get_engine("lexicon").score(["续航虚标，太失望了", "拍照非常好 👍"])
    >>> res.labels.tolist()
    [-1, 1]
"""

from __future__ import annotations

from brandhalo.text.sentiment import (  # noqa: F401  (importing registers the engines)
    embed,
    fake,
    hybrid,
    lexicon,
    linear,
    transformers_engine,
)
from brandhalo.text.sentiment._base import (
    ENGINES,
    ZH_EN,
    SentimentEngine,
    SentimentResult,
    engine_from_settings,
    get_engine,
    register_engine,
)

__all__ = [
    "ENGINES",
    "SentimentEngine",
    "SentimentResult",
    "ZH_EN",
    "engine_from_settings",
    "get_engine",
    "register_engine",
]
