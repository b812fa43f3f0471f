"""Evaluation of parsed queries over a batch: term presence, Boolean tree, NEAR, fields.

Everything is numpy over whole batches: a terms x posts presence matrix from the pattern
hits, one vector operation per tree node, NEAR from hit positions in token units, field
filters with pyarrow compute kernels.
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

    def tokens(self) -> np.ndarray:
        """Running token count per character (a token: Latin word, number, Han character)."""
        if self._tok is None:
            self._tok = self.batch.derived("query_tokens", _running_tokens)
        return self._tok

    def near(self, node: Near, ids: dict[Term, int]) -> np.ndarray:
        out = np.zeros(len(self.batch), dtype=bool)
        h = self.hits
        a = np.isin(h.pattern, [ids[t] for t in node.left])
        b = np.isin(h.pattern, [ids[t] for t in node.right])
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
        ok = (gap <= node.distance) & apart & ~a_part[ai] & ~b_part[bj]
        out[pa_[ai[ok]]] = True
        return out


def _running_tokens(batch: NormBatch) -> np.ndarray:
    """:meth:`EvalContext.tokens` of a batch, computed once per batch (themes, segments and
    origin queries all read it; read-only)."""
    cls = batch.classes
    word = (cls & WORD) > 0
    starts = ((cls & HAN) > 0) | (word & ~np.r_[False, word[:-1]])
    tok = running_count(starts)
    tok.setflags(write=False)
    return tok
