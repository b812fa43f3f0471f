"""Themes (named queries) and their roll-up into touchpoints.

Every theme belongs to one touchpoint (product, service, channel, communication); a post's
touchpoints are the touchpoints of the themes it matches. Where a theme sits in a post
(:func:`theme_anchors`: the places of its words, those not under NOT) decides the clauses its
sentiment is read from (:func:`brandhalo.text.targeted.theme_sentiment`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np

from brandhalo.config import TOUCHPOINTS, Theme
from brandhalo.errors import ConfigError, QueryError
from brandhalo.text.matcher import Hits
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


def _terms(node: Node, *, positive: bool = False) -> Iterator[Term]:
    """The terms of `node` (`positive`: those not under a NOT)."""
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Not):
        if not positive:
            yield from _terms(node.child)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _terms(child, positive=positive)
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

    @cached_property
    def anchor_terms(self) -> tuple[np.ndarray, np.ndarray]:
        """CSR (pointers by term, themes) of the themes each term of :attr:`queries` places:
        a term that is not under a NOT (``售后 AND NOT 测试``: 售后 places the theme, 测试
        does not)."""
        ids = {t: i for i, t in enumerate(self.queries.terms)}
        pairs = sorted({(ids[t], j) for j, tree in enumerate(self.queries.trees)
                        for t in _terms(tree, positive=True)})  # fmt: skip
        term = np.array([p[0] for p in pairs], dtype=np.int64)
        theme = np.array([p[1] for p in pairs], dtype=np.int64)
        ptr = np.zeros(len(self.queries.terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term, minlength=len(self.queries.terms)), out=ptr[1:])
        return ptr, theme


def theme_anchors(
    themes: CompiledThemes, hits: Hits, offset: int, matched: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(post, theme, start) of each place a matched theme's words stand in its post (the
    hits of the terms :attr:`CompiledThemes.anchor_terms` gives it; `offset`: where the
    themes' patterns start in the index the `hits` come from), sorted by (post, theme, start).
    A theme matched by a field filter alone (``author:``) has no place."""
    ptr, theme_of = themes.anchor_terms
    mine = (hits.pattern >= offset) & (hits.pattern < offset + len(themes.queries.patterns))
    term = hits.pattern[mine] - offset
    count = ptr[term + 1] - ptr[term]
    hit = np.repeat(np.flatnonzero(mine), count)
    first = np.repeat(ptr[term] - np.r_[0, np.cumsum(count)[:-1]], count)
    theme = theme_of[first + np.arange(len(hit))]
    post = hits.post[hit].astype(np.int64)
    keep = matched[post, theme] if len(post) else np.zeros(0, dtype=bool)
    post, theme, start = post[keep], theme[keep], hits.start[hit][keep].astype(np.int64)
    order = np.lexsort((start, theme, post))
    return post[order], theme[order], start[order]


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
