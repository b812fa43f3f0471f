"""Evaluation of parsed queries over a batch: term presence, Boolean tree, NEAR, fields.

Everything is numpy over whole batches: a terms x posts presence matrix from the pattern
hits, one vector operation per tree node, NEAR from hit positions in token units, field
filters with pyarrow compute kernels. :class:`Plan` (what :meth:`QuerySet.evaluate` runs)
gives the same answers at a cost that follows the call's hits: subtrees that are constant
because their terms have no hit are not computed (see the fast path below).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from brandhalo.text.matcher import Hits
from brandhalo.text.normalize import HAN, WORD, NormBatch, running_count
from brandhalo.text.query_ast import And, Field, Near, Node, Not, Or, Term


@dataclass
class Fields:
    """Per-post field values for filters; each field may have several columns (author id and
    author name): a filter matches when any column matches."""

    columns: dict[str, list[Any]] = field(default_factory=dict)
    _lower: dict[str, list[Any]] = field(default_factory=dict)

    def values(self, name: str) -> list[Any]:
        """The field's columns as lower-cased pyarrow string arrays (NULL -> '')."""
        if name not in self._lower:
            self._lower[name] = [
                _lower_array(c) for c in self.columns.get(name, []) if c is not None
            ]
        return self._lower[name]


def _lower_array(col: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    arr = col if isinstance(col, pa.Array) else pa.array(list(col), pa.string())
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    return pc.utf8_lower(arr).fill_null("")


@dataclass
class EvalContext:
    """State of one evaluation: the batch, its hits and the presence matrix."""

    batch: NormBatch
    hits: Hits
    present: np.ndarray
    fields: Fields
    _tok: np.ndarray | None = None

    def eval(self, node: Node, ids: dict[Term, int]) -> np.ndarray:
        if isinstance(node, Term):
            return self.present[ids[node]]
        if isinstance(node, Not):
            return ~self.eval(node.child, ids)
        if isinstance(node, And):
            acc = self.eval(node.children[0], ids).copy()
            for c in node.children[1:]:
                acc &= self.eval(c, ids)
            return acc
        if isinstance(node, Or):
            terms = [ids[c] for c in node.children if isinstance(c, Term)]
            acc = np.zeros(len(self.batch), dtype=bool)
            if terms:
                acc |= self.present[terms].any(axis=0)
            fields: dict[str, list[Field]] = {}
            for c in node.children:
                if isinstance(c, Field):
                    fields.setdefault(c.name, []).append(c)
                elif not isinstance(c, Term):
                    acc |= self.eval(c, ids)
            for group in fields.values():
                acc |= self.field(group[0]) if len(group) == 1 else self.fields_any(group)
            return acc
        if isinstance(node, Field):
            return self.field(node)
        return self.near(node, ids)

    def field(self, node: Field) -> np.ndarray:
        value = node.value.lower()
        acc = np.zeros(len(self.batch), dtype=bool)
        import pyarrow.compute as pc

        for col in self.fields.values(node.name):
            if node.prefix and node.suffix:
                hit = pc.match_substring(col, value)
            elif node.prefix:
                hit = pc.starts_with(col, value)
            elif node.suffix:
                hit = pc.ends_with(col, value)
            else:
                hit = pc.equal(col, value)
            acc |= hit.to_numpy(zero_copy_only=False)
        return acc

    def fields_any(self, nodes: list[Field]) -> np.ndarray:
        """OR of several filters on one field in one regex pass (``author:*a* OR author:b``)."""
        import re

        import pyarrow.compute as pc

        parts = []
        for n in nodes:
            v = re.escape(n.value.lower())
            parts.append(("" if n.suffix else "^") + v + ("" if n.prefix else "$"))
        pattern = "|".join(f"(?:{p})" for p in parts)
        acc = np.zeros(len(self.batch), dtype=bool)
        for col in self.fields.values(nodes[0].name):
            acc |= pc.match_substring_regex(col, pattern).to_numpy(zero_copy_only=False)
        return acc

    def fields_any_small(self, nodes: list[Field]) -> np.ndarray:
        """:meth:`fields_any` for a batch of a few posts: the same tests with ``str`` methods
        on the same lower-cased values (a regex compiled per call costs more than them)."""
        tests = [(n.value.lower(), n.prefix, n.suffix) for n in nodes]
        acc = np.zeros(len(self.batch), dtype=bool)
        for col in self.fields.values(nodes[0].name):
            for i, text in enumerate(col.to_pylist()):
                if not acc[i]:
                    acc[i] = any(_field_test(text, *t) for t in tests)
        return acc

    def tokens(self) -> np.ndarray:
        """Running token count per character (a token: Latin word, number, Han character)."""
        if self._tok is None:
            self._tok = self.batch.derived("query_tokens", _running_tokens)
        return self._tok

    def near(self, node: Near, ids: dict[Term, int]) -> np.ndarray:
        h = self.hits
        a = np.isin(h.pattern, [ids[t] for t in node.left])
        b = np.isin(h.pattern, [ids[t] for t in node.right])
        return self.near_hits(a, b, node.distance)

    def near_hits(self, a: np.ndarray, b: np.ndarray, distance: int) -> np.ndarray:
        """Posts with a hit of `a` (a mask over the hits) at most `distance` tokens from a
        hit of `b`."""
        out = np.zeros(len(self.batch), dtype=bool)
        h = self.hits
        if not a.any() or not b.any():
            return out
        tok = self.tokens()
        pa_, pb = h.post[a], h.post[b]
        a_first, a_last = tok[h.start[a]], tok[h.end[a] - 1]
        b_first, b_last = tok[h.start[b]], tok[h.end[b] - 1]
        order_b = np.argsort(pb, kind="stable")
        pb_sorted = pb[order_b]
        lo = np.searchsorted(pb_sorted, pa_, side="left")
        hi = np.searchsorted(pb_sorted, pa_, side="right")
        # Every (a hit, b hit) pair in the same post, expanded without a Python loop.
        reps = hi - lo
        ai = np.repeat(np.arange(len(pa_)), reps)
        offs = np.arange(len(ai)) - np.repeat(np.cumsum(reps) - reps, reps)
        bj = order_b[np.repeat(lo, reps) + offs]
        gap = np.maximum(b_first[bj] - a_last[ai], a_first[ai] - b_last[bj]) - 1
        # Two hits that share characters are one word, not two words near each other: a term
        # never pairs with its own hit, and a hit inside a longer hit of the other side is a
        # part of that word, no word of its own (据 inside 数据 pairs with no 数据 at all).
        sa, ea, sb, eb = h.start[a][ai], h.end[a][ai], h.start[b][bj], h.end[b][bj]
        apart = (ea <= sb) | (eb <= sa)
        a_part = np.zeros(len(pa_), dtype=bool)
        a_part[ai[(sb <= sa) & (ea <= eb) & (eb - sb > ea - sa)]] = True
        b_part = np.zeros(len(pb), dtype=bool)
        b_part[bj[(sa <= sb) & (eb <= ea) & (ea - sa > eb - sb)]] = True
        ok = (gap <= distance) & apart & ~a_part[ai] & ~b_part[bj]
        out[pa_[ai[ok]]] = True
        return out


def _field_test(text: str, value: str, prefix: bool, suffix: bool) -> bool:
    """One filter of :meth:`EvalContext.fields_any` on one lower-cased value."""
    if prefix and suffix:
        return value in text
    if prefix:
        return text.startswith(value)
    if suffix:
        return text.endswith(value)
    return text == value


def _running_tokens(batch: NormBatch) -> np.ndarray:
    """:meth:`EvalContext.tokens` of a batch, computed once per batch (themes, segments and
    origin queries all read it; read-only)."""
    cls = batch.classes
    word = (cls & WORD) > 0
    starts = ((cls & HAN) > 0) | (word & ~np.r_[False, word[:-1]])
    tok = running_count(starts)
    tok.setflags(write=False)
    return tok


# ----------------------------------------------------------------------------- fast path
# :meth:`EvalContext.eval` is the plain evaluation (one vector operation per node, every term
# a row of the presence matrix). The plans below give the same answers with a cost that
# follows the hits of the call: a term without a hit is False for every post, so an AND with
# it is False, an OR drops it, a NOT of it is True, a NEAR with a hitless side is False; such
# constants skip the numpy work (and the field filters) of whole subtrees. Terms are integers
# fixed at compile time (no hashing of tree nodes per call).

#: Batches of at most this many posts match several filters on one field in Python.
SMALL_BATCH = 64

#: A plan node's answer: the same for every post of the call (a bool), or one bool per post.
Value = bool | np.ndarray


@dataclass
class Live:
    """One call of the fast path: the context (its presence matrix has a row only for terms
    with a hit) and each term's row there (-1: no hit in this call)."""

    ctx: EvalContext
    row: list[int]


class Plan:
    """A query tree compiled for :class:`Live` evaluation."""

    __slots__ = ()

    def run(self, live: Live) -> Value:
        raise NotImplementedError


class _Term(Plan):
    __slots__ = ("term",)

    def __init__(self, term: int):
        self.term = term

    def run(self, live: Live) -> Value:
        r = live.row[self.term]
        return False if r < 0 else live.ctx.present[r]


class _Not(Plan):
    __slots__ = ("child",)

    def __init__(self, child: Plan):
        self.child = child

    def run(self, live: Live) -> Value:
        v = self.child.run(live)
        return (not v) if isinstance(v, bool) else ~v


class _And(Plan):
    __slots__ = ("terms", "rest")

    def __init__(self, terms: list[int], rest: list[Plan]):
        self.terms, self.rest = terms, rest

    def run(self, live: Live) -> Value:
        rows = [live.row[t] for t in self.terms]
        if any(r < 0 for r in rows):
            return False
        present = live.ctx.present
        acc: np.ndarray | None = None
        if rows:
            acc = (
                present[rows[0]].copy() if len(rows) == 1 else np.logical_and.reduce(present[rows])
            )
        for c in self.rest:
            v = c.run(live)
            if v is True:
                continue
            if v is False or not v.any():
                return False
            if acc is None:
                acc = v.copy()
            else:
                acc &= v
        return True if acc is None else acc


class _Or(Plan):
    __slots__ = ("terms", "rest", "fields")

    def __init__(self, terms: list[int], rest: list[Plan], fields: list[list[Field]]):
        self.terms, self.rest, self.fields = terms, rest, fields

    def run(self, live: Live) -> Value:
        parts: list[np.ndarray] = []
        for c in self.rest:
            v = c.run(live)
            if v is True:
                return True
            if v is not False:
                parts.append(v)
        rows = [r for r in (live.row[t] for t in self.terms) if r >= 0]
        ctx = live.ctx
        if rows:
            parts.append(
                ctx.present[rows[0]] if len(rows) == 1 else np.logical_or.reduce(ctx.present[rows])
            )
        for group in self.fields:
            if len(group) == 1:
                parts.append(ctx.field(group[0]))
            elif len(ctx.batch) <= SMALL_BATCH:
                parts.append(ctx.fields_any_small(group))
            else:
                parts.append(ctx.fields_any(group))
        if not parts:
            return False
        if len(parts) == 1:
            return parts[0]
        acc = parts[0] | parts[1]
        for p in parts[2:]:
            acc |= p
        return acc


class _Field(Plan):
    __slots__ = ("node",)

    def __init__(self, node: Field):
        self.node = node

    def run(self, live: Live) -> Value:
        return live.ctx.field(self.node)


class _Near(Plan):
    __slots__ = ("left", "right", "left_of", "right_of", "distance")

    def __init__(self, left: list[int], right: list[int], n_terms: int, distance: int):
        self.left, self.right, self.distance = left, right, distance
        # term id -> whether it is on this side: a side's hits are one lookup per hit
        self.left_of = np.zeros(n_terms, dtype=bool)
        self.left_of[left] = True
        self.right_of = np.zeros(n_terms, dtype=bool)
        self.right_of[right] = True

    def run(self, live: Live) -> Value:
        row = live.row
        if all(row[t] < 0 for t in self.left) or all(row[t] < 0 for t in self.right):
            return False
        pattern = live.ctx.hits.pattern
        a, b = self.left_of[pattern], self.right_of[pattern]
        return live.ctx.near_hits(a, b, self.distance)


def compile_plan(node: Node, ids: dict[Term, int]) -> Plan:
    """The plan of a query tree whose terms are numbered by `ids`."""
    if isinstance(node, Term):
        return _Term(ids[node])
    if isinstance(node, Not):
        return _Not(compile_plan(node.child, ids))
    if isinstance(node, And):
        terms = [ids[c] for c in node.children if isinstance(c, Term)]
        rest = [compile_plan(c, ids) for c in node.children if not isinstance(c, Term)]
        return _And(terms, rest)
    if isinstance(node, Or):
        fields: dict[str, list[Field]] = {}
        for c in node.children:
            if isinstance(c, Field):
                fields.setdefault(c.name, []).append(c)
        terms = [ids[c] for c in node.children if isinstance(c, Term)]
        rest = [compile_plan(c, ids) for c in node.children if not isinstance(c, Term | Field)]
        return _Or(terms, rest, list(fields.values()))
    if isinstance(node, Field):
        return _Field(node)
    left, right = [ids[t] for t in node.left], [ids[t] for t in node.right]
    return _Near(left, right, len(ids), node.distance)
