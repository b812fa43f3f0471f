"""The query language of themes, segments and ``brandhalo query``.

Grammar (``NOT`` binds tighter than ``AND``, ``AND`` tighter than ``OR``; ``NEAR/n`` tightest)::

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*          -- adjacent terms: implicit AND
    unary   := "NOT" unary | near
    near    := primary ("NEAR/" n primary)*    -- both sides: terms, phrases or (a OR b)
    primary := "(" or ")" | TERM | "PHRASE" | FIELD:VALUE

A TERM is any run of characters without spaces, parentheses or quotes (``刹车``, ``SU7``,
``crash*`` with a trailing ``*`` for a prefix match). Terms match the normalized text
(case-, width- and script-insensitive); Latin terms need word boundaries. Field filters are
``author:``, ``source:`` and ``lang:`` (exact, case-insensitive; ``value*`` starts with,
``*value`` ends with, ``*value*`` contains).
``a NEAR/n b``: some ``a`` and some ``b`` with at most ``n`` tokens between them (a token is a
Latin word, a number or one Chinese character), in either order.

A query is data: it is parsed into a tree and evaluated with numpy over whole batches; nothing
in it is ever executed as code or SQL. A parse error is a :class:`QueryError` with the position
and what was expected there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from brandhalo.errors import QueryError
from brandhalo.text.arrays import distinct
from brandhalo.text.matcher import Hits, Pattern, PatternIndex
from brandhalo.text.normalize import NormBatch, fold, normalize_batch
from brandhalo.text.query_ast import And, Field, Near, Node, Not, Or, Term
from brandhalo.text.query_eval import EvalContext, Fields, Live, Plan, compile_plan

__all__ = [
    "And",
    "CompiledQuery",
    "Field",
    "Fields",
    "Near",
    "Node",
    "Not",
    "Or",
    "QuerySet",
    "Term",
    "compile_query",
    "parse_query",
]

FIELDS = ("author", "source", "lang")
#: Names users try as fields that are not fields (what a query computes, or another column):
#: refused with the real fields, not searched as literal text that matches nothing.
NOT_FIELDS = frozenset(
    {
        "segment", "touchpoint", "theme", "brand", "product", "persona", "label", "sentiment",
        "origin", "date", "day", "time", "author_name", "author_id", "user", "platform",
        "language", "url", "text", "id",
    }
)  # fmt: skip
#: What ``lang:`` can match: the codes of :data:`brandhalo.text.lang.LANGS`.
LANG_VALUES = ("zh", "en", "mixed", "other")
KEYWORDS = ("AND", "OR", "NOT")
_NEAR = re.compile(r"NEAR/(\d+)$")
_OPEN, _CLOSE, _QUOTES = "(（", ")）", '"“”'
_STOP = set(_OPEN + _CLOSE + _QUOTES) | {" ", "\t", "\n", "\r", "\u3000"}


# ----------------------------------------------------------------------------- lexer
@dataclass(frozen=True)
class _Tok:
    kind: str  # ( ) AND OR NOT NEAR TERM PHRASE FIELD END
    pos: int
    text: str = ""
    value: Any = None


def _tokens(q: str) -> list[_Tok]:
    out, i, n = [], 0, len(q)
    while i < n:
        c = q[i]
        if c in _STOP and c not in _OPEN + _CLOSE + _QUOTES:
            i += 1
        elif c in _OPEN or c in _CLOSE:
            out.append(_Tok("(" if c in _OPEN else ")", i, c))
            i += 1
        elif c in _QUOTES:
            j = _closing_quote(q, i)
            out.append(_Tok("PHRASE", i, q[i : j + 1], q[i + 1 : j]))
            i = j + 1
        else:
            j = i
            while j < n and q[j] not in _STOP:
                j += 1
            word = q[i:j]
            name, colon, rest = word.partition(":")
            if colon and name.lower() in FIELDS:
                if not rest and j < n and q[j] in _QUOTES:
                    k = _closing_quote(q, j)
                    rest, word, j = q[j + 1 : k], q[i : k + 1], k + 1
                if not rest:
                    raise QueryError(
                        f"expected a value after '{name}:' (e.g. {name}:weibo)",
                        query=q,
                        position=j,
                    )
                out.append(_Tok("FIELD", i, word, (name.lower(), rest)))
            elif colon and rest and name.lower() in NOT_FIELDS:
                raise QueryError(
                    f"'{name}:' is not a field of the query language; the fields are author:, "
                    "source: and lang: (segments, themes and brands are what queries define, "
                    f'see docs/query-language.md); to search the text "{word}", quote it',
                    query=q,
                    position=i,
                )
            else:
                out.append(_word_token(q, i, word))
            i = j
    out.append(_Tok("END", n))
    return out


def _closing_quote(q: str, i: int) -> int:
    for j in range(i + 1, len(q)):
        if q[j] in _QUOTES:
            return j
    raise QueryError(
        "expected a closing quote for the phrase that starts here", query=q, position=i
    )


def _word_token(q: str, i: int, word: str) -> _Tok:
    if word in KEYWORDS:
        return _Tok(word, i, word)
    m = _NEAR.match(word)
    if m:
        return _Tok("NEAR", i, word, int(m.group(1)))
    if word.startswith("NEAR"):
        raise QueryError("expected NEAR/n with a whole number n, e.g. NEAR/5", query=q, position=i)
    return _Tok("TERM", i, word)


# ----------------------------------------------------------------------------- parser
_STARTS = ("TERM", "PHRASE", "FIELD", "(", "NOT")
_WHAT = "a term, a quoted phrase, a field filter (author:, source:, lang:) or '('"


class _Parser:
    def __init__(self, q: str):
        self.q, self.toks, self.i = q, _tokens(q), 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def fail(self, expected: str) -> QueryError:
        t = self.tok
        found = "the end of the query" if t.kind == "END" else f"{t.text!r}"
        return QueryError(f"expected {expected}, found {found}", query=self.q, position=t.pos)

    def parse(self) -> Node:
        node = self.or_()
        if self.tok.kind != "END":
            if self.tok.kind == ")":
                raise QueryError(
                    "unexpected ')': no '(' to close", query=self.q, position=self.tok.pos
                )
            raise self.fail("an operator (AND, OR, NOT, NEAR/n) or the end of the query")
        return node

    def or_(self) -> Node:
        items = [self.and_()]
        while self.tok.kind == "OR":
            self.i += 1
            items.append(self.and_())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_(self) -> Node:
        items = [self.unary()]
        while self.tok.kind == "AND" or self.tok.kind in _STARTS:
            if self.tok.kind == "AND":
                self.i += 1
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        if self.tok.kind == "NOT":
            self.i += 1
            return Not(self.unary())
        return self.near()

    def near(self) -> Node:
        left = self.primary()
        while self.tok.kind == "NEAR":
            tok = self.tok
            self.i += 1
            right_pos = self.tok.pos
            right = self.primary()
            ls, rs = _term_set(left), _term_set(right)
            if ls is None or rs is None:
                pos = tok.pos if ls is None else right_pos
                raise QueryError(
                    f"{tok.text} needs a term, a quoted phrase or a parenthesized OR of them "
                    "on each side",
                    query=self.q,
                    position=pos,
                )
            left = Near(ls, rs, tok.value)
        return left

    def primary(self) -> Node:
        t = self.tok
        if t.kind == "(":
            self.i += 1
            node = self.or_()
            if self.tok.kind != ")":
                raise self.fail(f"')' to close the '(' at position {t.pos}")
            self.i += 1
            return node
        if t.kind in ("TERM", "PHRASE"):
            self.i += 1
            return _make_term(self.q, t)
        if t.kind == "FIELD":
            self.i += 1
            name, value = t.value
            core = value.strip("*")
            if not core:
                raise QueryError(
                    f"expected a value after '{name}:' besides '*'", query=self.q, position=t.pos
                )
            exact = not value.endswith("*") and not value.startswith("*")
            if name.lower() == "lang" and exact and core.lower() not in LANG_VALUES:
                raise QueryError(
                    f"unknown language {core!r} after 'lang:'; use one of "
                    f"{', '.join(LANG_VALUES)} (what language detection gives)",
                    query=self.q,
                    position=t.pos,
                )
            return Field(name, core, prefix=value.endswith("*"), suffix=value.startswith("*"))
        raise self.fail(_WHAT)


def _make_term(q: str, t: _Tok) -> Term:
    if t.kind == "PHRASE":
        text = " ".join(str(t.value).split())
        if not text:
            raise QueryError("expected text inside the quotes", query=q, position=t.pos)
        return Term(text, phrase=True)
    prefix = t.text.endswith("*") and len(t.text.rstrip("*")) > 0
    text = t.text.rstrip("*") if prefix else t.text
    if not fold(text).strip():
        raise QueryError(
            "expected a term with letters, digits or characters", query=q, position=t.pos
        )
    return Term(text, prefix=prefix)


def _term_set(node: Node) -> tuple[Term, ...] | None:
    if isinstance(node, Term):
        return (node,)
    if isinstance(node, Or) and all(isinstance(c, Term) for c in node.children):
        return tuple(c for c in node.children if isinstance(c, Term))
    return None


def parse_query(text: str) -> Node:
    """Parse a query into its tree; raises :class:`QueryError` pointing at the problem."""
    if not isinstance(text, str):
        raise QueryError("a query must be text")
    if not text.strip():
        raise QueryError(f"expected {_WHAT}, found an empty query", query=text, position=0)
    try:
        return _Parser(text).parse()
    except RecursionError:  # hostile nesting must be an answer, not a crash
        raise QueryError(
            "the query nests too deeply (parentheses or NOTs); simplify it", query=text
        ) from None


def _walk(node: Node) -> list[Node]:
    out: list[Node] = [node]
    if isinstance(node, Not):
        out += _walk(node.child)
    elif isinstance(node, And | Or):
        for c in node.children:
            out += _walk(c)
    elif isinstance(node, Near):
        out += [*node.left, *node.right]
    return out


# ----------------------------------------------------------------------------- compiled sets
class QuerySet:
    """Many named queries compiled together: one pattern index for all their terms."""

    def __init__(self, queries: Mapping[str, str]):
        self.names = list(queries)
        self.texts = dict(queries)
        self.trees: list[Node] = []
        for name, text in queries.items():
            try:
                self.trees.append(parse_query(text))
            except QueryError as exc:
                label = f"query {name!r}: " if len(queries) > 1 or name != "query" else ""
                raise QueryError(
                    f"{label}{str(exc).splitlines()[0]}", query=exc.query, position=exc.position
                ) from None
        terms: dict[Term, int] = {}
        for tree in self.trees:
            for node in _walk(tree):
                if isinstance(node, Term):
                    terms.setdefault(node, len(terms))
        self.terms = list(terms)
        self._term_id = terms
        self.patterns = Pattern.many([t.text for t in self.terms], [t.prefix for t in self.terms])
        self.uses_near = any(isinstance(n, Near) for t in self.trees for n in _walk(t))
        self.uses_fields = {n.name for t in self.trees for n in _walk(t) if isinstance(n, Field)}

    @cached_property
    def plans(self) -> list[Plan]:
        """Each query's :class:`~brandhalo.text.query_eval.Plan` (compiled on first use)."""
        return [compile_plan(tree, self._term_id) for tree in self.trees]

    def evaluate(
        self,
        batch: NormBatch,
        hits: Hits,
        fields: Fields | None = None,
        offset: int = 0,
        only: Sequence[int] | None = None,
    ) -> np.ndarray:
        """Boolean matrix (posts x queries) from the hits of this set's patterns (`only`: of
        these queries, by index, in this order).

        Its cost follows the hits: only terms with a hit get a row of the presence matrix,
        and subtrees that are constant without them are not computed (the same answers as
        :meth:`evaluate_plain`)."""
        n = len(batch)
        h = self._mine(hits, offset)
        # terms with a hit x posts: each term's row is contiguous, so OR/AND stay cheap.
        hit_terms = distinct(h.pattern)
        row = np.full(len(self.terms), -1, dtype=np.int64)
        row[hit_terms] = np.arange(len(hit_terms))
        present = np.zeros((max(len(hit_terms), 1), n), dtype=bool)
        present[row[h.pattern], h.post] = True
        live = Live(EvalContext(batch, h, present, fields or Fields()), row.tolist())
        plans = self.plans if only is None else [self.plans[j] for j in only]
        out = np.zeros((n, len(plans)), dtype=bool)
        for j, plan in enumerate(plans):
            value = plan.run(live)
            if value is not False:
                out[:, j] = value
        return out

    def evaluate_plain(
        self,
        batch: NormBatch,
        hits: Hits,
        fields: Fields | None = None,
        offset: int = 0,
        only: Sequence[int] | None = None,
    ) -> np.ndarray:
        """:meth:`evaluate` the plain way (every term a row, every node computed): the
        reference its tests compare it with."""
        n = len(batch)
        h = self._mine(hits, offset)
        present = np.zeros((max(len(self.terms), 1), n), dtype=bool)
        present[h.pattern, h.post] = True
        ctx = EvalContext(batch, h, present, fields or Fields())
        trees = self.trees if only is None else [self.trees[j] for j in only]
        out = np.zeros((n, len(trees)), dtype=bool)
        for j, tree in enumerate(trees):
            out[:, j] = ctx.eval(tree, self._term_id)
        return out

    def _mine(self, hits: Hits, offset: int) -> Hits:
        """The hits of this set's patterns, numbered from 0."""
        mine = (hits.pattern >= offset) & (hits.pattern < offset + len(self.patterns))
        h = hits.select(mine)
        h.pattern = h.pattern - offset
        return h


class CompiledQuery:
    """One query, compiled once; :meth:`matches` evaluates it over a batch of posts.

    Example:
        >>> q = compile_query('(刹车 OR brake) AND NOT 测试')
        >>> q.matches(["SU7刹车失灵", "刹车测试", "Brake fade"]).tolist()
        [True, False, True]
    """

    def __init__(self, text: str):
        self.text = text
        self.set = QuerySet({"query": text})
        self.tree = self.set.trees[0]
        self._index = PatternIndex(self.set.patterns)

    def matches(
        self,
        texts: Sequence[str | None],
        authors: Sequence[Any] | Sequence[Sequence[Any]] | None = None,
        sources: Sequence[Any] | None = None,
        langs: Sequence[Any] | None = None,
    ) -> np.ndarray:
        """Boolean array: which of `texts` match. `authors` may be one column or a list of
        columns (author id, author name); `langs` is detected when the query needs it."""
        batch = normalize_batch(texts)
        hits = self._index.scan(batch)
        if langs is None and "lang" in self.set.uses_fields:
            from brandhalo.text.lang import detect_batch

            langs = list(detect_batch(batch))
        fields = Fields({"source": [sources], "lang": [langs]})
        if authors is not None:
            import pyarrow as pa

            column_types = (list, tuple, np.ndarray, pa.Array, pa.ChunkedArray)
            nested = (
                isinstance(authors, list | tuple)
                and len(authors) > 0
                and isinstance(authors[0], column_types)
            )
            fields.columns["author"] = list(authors) if nested else [authors]
        return self.set.evaluate(batch, hits, fields)[:, 0]

    def __repr__(self) -> str:
        return f"CompiledQuery({self.text!r})"


def compile_query(text: str) -> CompiledQuery:
    """Parse and compile a query once; raises :class:`QueryError` if it does not parse."""
    return CompiledQuery(text)
