"""Themes (named queries) and their roll-up into touchpoints.

Every theme belongs to one touchpoint (product, service, channel, communication); a post's
touchpoints are the touchpoints of the themes it matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from brandhalo.config import TOUCHPOINTS, Theme
from brandhalo.errors import ConfigError, QueryError
from brandhalo.text.query import QuerySet


@dataclass
class CompiledThemes:
    """Themes compiled into one :class:`QuerySet` (one pattern index for all their terms)."""

    names: list[str]
    touchpoints: list[str]
    controversy: np.ndarray
    queries: QuerySet

    @classmethod
    def from_themes(cls, themes: Sequence[Theme]) -> CompiledThemes:
        """Compile themes; a query that does not parse is a :class:`ConfigError` naming it."""
        names = [t.name for t in themes]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ConfigError(
                f"theme names must be unique; rename the duplicates: {', '.join(dupes)}",
                key="themes",
            )
        try:
            queries = QuerySet({t.name: t.query for t in themes})
        except QueryError as exc:
            raise ConfigError(f"{exc}; fix the theme's query", key="themes") from None
        return cls(
            names=names,
            touchpoints=[t.touchpoint for t in themes],
            controversy=np.array([t.controversy for t in themes], dtype=bool),
            queries=queries,
        )

    def touchpoint_of(self, theme: str) -> str:
        return self.touchpoints[self.names.index(theme)]


def touchpoint_matrix(themes: CompiledThemes, matched: np.ndarray) -> np.ndarray:
    """Posts x TOUCHPOINTS boolean matrix from a posts x themes match matrix."""
    out = np.zeros((matched.shape[0], len(TOUCHPOINTS)), dtype=bool)
    for j, tp in enumerate(themes.touchpoints):
        out[:, TOUCHPOINTS.index(tp)] |= matched[:, j]
    return out


def controversial(themes: CompiledThemes, matched: np.ndarray) -> np.ndarray:
    """Whether each post matches at least one controversy theme."""
    if not themes.controversy.any():
        return np.zeros(matched.shape[0], dtype=bool)
    return np.asarray(matched[:, themes.controversy].any(axis=1), dtype=bool)
