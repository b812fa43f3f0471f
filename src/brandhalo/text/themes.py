"""Themes (named queries) and their roll-up into touchpoints.

Every theme belongs to one touchpoint (product, service, channel, communication); a post's
touchpoints are the touchpoints of the themes it matches.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from brandhalo.config import TOUCHPOINTS, Theme
from brandhalo.errors import ConfigError, QueryError
from brandhalo.text.query import And, Near, Node, Not, Or, QuerySet, Term, parse_query

#: Words and symbols people write for an operator; the query language reads them as terms
#: (a theme with ``排队 or 出杯慢`` needs the word "or" and matches almost nothing).
LOOKALIKE_OPERATORS = {"and": "AND", "or": "OR", "not": "NOT", "&": "AND", "&&": "AND",
                       "|": "OR", "||": "OR"}  # fmt: skip


class QueryEntry(Protocol):
    """A configured entry with a query: a theme, a segment rule, an origin rule."""

    @property
    def name(self) -> str | None: ...
    @property
    def query(self) -> str | None: ...
    @property
    def where(self) -> str | None: ...


def _called(entry: QueryEntry, i: int) -> str:
    """How an error names a config entry: its name, else its number (origin rules may have
    no name)."""
    return repr(entry.name) if entry.name else f"#{i + 1}"


def compile_entries(
    kind: str, group: str, entries: Sequence[QueryEntry], at: Sequence[int] | None = None
) -> QuerySet:
    """Compile the queries of config entries (`kind`: "theme"; `group`: their key, "themes";
    `at`: their places in that list, when only some of them have a query).

    Raises:
        ConfigError: a query does not parse, or writes an operator in lower case or as a
            symbol; names the entry, its file and line, the key and the fix.
    """
    try:
        queries = QuerySet({f"{group}.{i}": e.query or "" for i, e in enumerate(entries)})
    except QueryError:
        for i, e in zip(at or range(len(entries)), entries, strict=True):
            try:
                parse_query(e.query or "")
            except QueryError as one:
                first, *shown = str(one).splitlines()
                raise ConfigError(
                    "\n".join([f"{kind} {_called(e, i)}: {first}; fix its query", *shown]),
                    key=f"{group}.{i}.query",
                    path=e.where,
                ) from None
        raise
    for i, e, tree in zip(at or range(len(entries)), entries, queries.trees, strict=True):
        word = next((t.text for t in _terms(tree) if _lookalike(t)), None)
        if word is not None:
            op = LOOKALIKE_OPERATORS[word.lower()]
            raise ConfigError(
                f"{kind} {_called(e, i)}: {word!r} in its query is read as a word to find, not as "
                f'the operator {op}; write {op} in capitals (or quote it, "{word}", to find '
                "the word)",
                key=f"{group}.{i}.query",
                path=e.where,
            )
    return queries


def _lookalike(term: Term) -> bool:
    return not term.phrase and term.text.lower() in LOOKALIKE_OPERATORS and not term.text.isupper()


def _terms(node: Node) -> Iterator[Term]:
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Not):
        yield from _terms(node.child)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _terms(child)
    elif isinstance(node, Near):
        yield from (*node.left, *node.right)


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
        queries = compile_entries("theme", "themes", themes)
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
